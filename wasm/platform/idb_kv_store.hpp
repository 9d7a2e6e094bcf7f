// IdbKvStore: st::store::KvStore on IndexedDB (architecture.md §6). One database ("session-tab"),
// one object store ("kv") with binary keys, so IndexedDB orders them byte by byte exactly as the
// KvStore contract says. Every write batch is one `readwrite` transaction with strict durability:
// its callback reports success only once the transaction has committed, so a completed write
// survives a closed tab. A scan reads keys and values in one read-only transaction; a descending
// scan finds its page with a 'prev' key cursor and reads it with getAll (idb_kv_store.js).
//
// The JS side gets a slot id and serialised arguments, and calls st_idb_complete(slot, ...) with a
// malloc'd result; the callback is queued on the Loop (never inline).
//
// Result layouts (little-endian u32 lengths), as written by idb_kv_store.js:
//   get   [u8 found] [value bytes]
//   scan  [u32 count] then count × ([u32 key length] [key] [u32 value length] [value])
//   error [UTF-8 message]
// Batch layout sent to JS: [u32 count] then count × ([u8 1=put 0=erase] [u32 key length] [key]
//   [u32 value length] [value])   (erase: value length 0)
// Errors: store.unavailable (no IndexedDB, or it refused to open: private mode, storage off),
// store.quota_exceeded, store.io (anything else; the message says what).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"

namespace st::wasm {

class IdbKvStore final : public store::KvStore {
public:
    // Opens (or creates) the database `name`; calls made before it is open wait for it.
    IdbKvStore(Loop& loop, std::string name = "session-tab");
    // Outstanding callbacks are dropped (their transactions still complete in the browser).
    ~IdbKvStore() override;
    IdbKvStore(const IdbKvStore&) = delete;
    IdbKvStore& operator=(const IdbKvStore&) = delete;

    void get(std::string key, Callback<std::optional<Bytes>> done) override;
    void write(std::vector<store::KvWrite> batch, Callback<> done) override;
    void scan(std::string prefix, std::string cursor, std::size_t limit,
              Callback<std::vector<store::KvEntry>> done,
              store::ScanOrder order = store::ScanOrder::Ascending) override;
    void erase_prefix(std::string prefix, Callback<> done) override;

    // From JS (st_idb_complete). `data` is malloc'd; ownership passes here.
    void complete(std::uint32_t slot, int status, std::uint8_t* data, std::size_t size);

private:
    // Turns the raw result into the caller's Result; runs on the Loop.
    using Finisher = std::function<void(int status, Bytes data)>;
    std::uint32_t begin(Finisher finish);

    Loop& loop_;
    std::uint32_t db_ = 0;  // the JS side's handle of this store's database
    std::unordered_map<std::uint32_t, Finisher> pending_;
};

}  // namespace st::wasm
