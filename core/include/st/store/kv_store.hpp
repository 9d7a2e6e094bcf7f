// KvStore: the one storage interface of the core (architecture.md §4, §6). Hosts implement it
// (IndexedDB in the browser, memory for tests and the keep-nothing kiosk mode).
//
// Model: ordered byte-string keys → byte values. Keys are built with st::store::key helpers so
// prefix scans walk one account or one conversation in order:
//   acct/<session id>/...                     everything of one account
//   acct/<session id>/msg/<peer>/<ts be64>/…  the messages of one conversation, oldest first
// A write batch is atomic and durable once its callback reports success (one IndexedDB readwrite
// transaction). Callbacks run exactly once, from the Loop, never inline.
//
// Errors: "store.unavailable" (the host cannot store anything: private mode, storage disabled),
// "store.quota_exceeded", "store.io" (anything else; the message says what).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::store {

struct KvEntry {
    std::string key;
    Bytes value;
};

// One change of a batch: a value to put, or (no value) a key to delete.
struct KvWrite {
    std::string key;
    std::optional<Bytes> value;

    static KvWrite put(std::string key, Bytes value) { return {std::move(key), std::move(value)}; }
    static KvWrite erase(std::string key) { return {std::move(key), std::nullopt}; }
};

// The direction of a scan: ascending (oldest first) or descending (newest first, for paging a
// conversation's history back from its latest message).
enum class ScanOrder { Ascending, Descending };

class KvStore {
public:
    virtual ~KvStore() = default;

    virtual void get(std::string key, Callback<std::optional<Bytes>> done) = 0;
    // Applies every write of the batch, in order, atomically.
    virtual void write(std::vector<KvWrite> batch, Callback<> done) = 0;
    // Entries whose key starts with `prefix`, at most `limit` of them, in `order` of their keys
    // (unsigned byte by byte). `cursor` pages through a long conversation: if it is not empty,
    // only keys strictly after it (Ascending) or strictly before it (Descending) are returned, so
    // the last key of one page is the cursor of the next. An empty cursor starts at the first
    // (Ascending) or the last (Descending) key under `prefix`. Implementations repeat the default.
    virtual void scan(std::string prefix, std::string cursor, std::size_t limit,
                      Callback<std::vector<KvEntry>> done,
                      ScanOrder order = ScanOrder::Ascending) = 0;
    // Deletes every key starting with `prefix` (wiping an account, "clear device").
    virtual void erase_prefix(std::string prefix, Callback<> done) = 0;
};

namespace key {
// A big-endian, fixed-width hex rendering of a number, so keys sort numerically.
std::string be64(std::uint64_t value);
// The smallest key greater than every key that starts with `prefix`: `prefix` without its
// trailing 0xff bytes, last byte + 1. Empty (no upper bound) if `prefix` is empty or all 0xff.
std::string prefix_end(std::string_view prefix);
}  // namespace key

}  // namespace st::store
