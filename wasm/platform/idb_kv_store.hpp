// IdbKvStore: st::store::KvStore on IndexedDB (architecture.md §6). One database ("session-tab"),
// one object store ("kv") with binary keys, so IndexedDB orders them byte by byte exactly as the
// KvStore contract says, and a second one ("journal", see flush()). A scan reads keys and values in one read-only transaction; a descending
// scan finds its page with a 'prev' key cursor and reads it with getAll (idb_kv_store.js).
//
// Writes go through a queue (write() and erase_prefix() alike):
// - At most one readwrite transaction is in flight. Batches written meanwhile wait here and are
//   merged, in order, into the next transaction when it completes. A chat UI saves a draft per
//   keystroke: one transaction per batch would queue dozens of flushing transactions, and a
//   reload aborts those that have not run yet (so a message sent last is lost while older draft
//   writes survive). Merged, the queue holds at most one transaction's worth of work.
// - Each batch's callback runs, in order, once the transaction holding it has completed (strict
//   durability: committed to disk), with that transaction's error if it failed; every batch of
//   a failed transaction fails, and nothing of it was written. A merged transaction applies its
//   batches in order, atomically, so each batch stays atomic.
// - A read (get, scan) sees every write issued before it and none issued after: with nothing
//   waiting it is handed to IndexedDB at once, which runs a transaction only after the readwrite
//   transactions created before it with an overlapping scope (IndexedDB 3.0, "transaction
//   scheduling"); with batches waiting, it is handed over right after their transaction is
//   created, and batches written after the read wait for the next transaction.
// - flush() (the host calls it on `pagehide`) first saves every batch not yet confirmed (in
//   flight or waiting) to "journal", in one transaction, then hands the waiting batches to
//   IndexedDB at once, then creates a transaction that deletes the journal. Chromium finishes
//   a transaction the page committed once it has started, but aborts those still waiting for
//   another when the page goes away (measured in headless Chromium 156: 30,000 puts in flight,
//   a small transaction created at `pagehide` was kept by 1 reload of 6 when on the same store,
//   by 6 of 6 when on another store). The journal's transaction waits for no write to "kv" (only
//   an earlier flush's transactions, if still running, share its scope); the deleting one runs only after every
//   journaled batch's transaction has finished (their scopes overlap). Opening the database
//   applies a journal left behind to "kv", in order, before anything else: the page wrote
//   nothing after it, so re-applying puts and deletes that did commit changes nothing, and no
//   batch is lost or applied out of order. (Another tab of the app writing between the two
//   pages is not covered: tabs sharing an account hand its writes over through leases, and the
//   one moment this can still overlap is described in docs/accounts.md.)
//
// The JS side gets a slot id and serialised arguments, and calls st_idb_complete(slot, ...) with a
// malloc'd result; the callback is queued on the Loop (never inline).
//
// Result layouts (little-endian u32 lengths), as written by idb_kv_store.js:
//   get   [u8 found] [value bytes]
//   scan  [u32 count] then count × ([u32 key length] [key] [u32 value length] [value])
//   error [UTF-8 message]
// Write layout sent to JS: [u32 count] then count × ([u8 op] [u32 key length] [key]
//   [u32 value length] [value]), op 1 = put, 0 = erase the key, 2 = erase every key starting
//   with `key` (erase and erase-prefix: value length 0)
// Errors: store.unavailable (no IndexedDB, or it refused to open: private mode, storage off),
// store.quota_exceeded, store.io (anything else; the message says what).
//
// Tests can make the next N readwrite transactions fail as QuotaExceededError:
// `window.sessionTabStoreFaults = {quota: N}` (idb_kv_store.js; tests/e2e/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <deque>
#include <vector>

#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"

namespace st::wasm {

class IdbKvStore final : public store::KvStore {
public:
    // Opens (or creates) the database `name`; calls made before it is open wait for it.
    IdbKvStore(Loop& loop, std::string name = "session-tab");
    // Waiting batches are handed to IndexedDB (flush()); outstanding callbacks are dropped (their
    // transactions still complete in the browser).
    ~IdbKvStore() override;
    IdbKvStore(const IdbKvStore&) = delete;
    IdbKvStore& operator=(const IdbKvStore&) = delete;

    void get(std::string key, Callback<std::optional<Bytes>> done) override;
    void write(std::vector<store::KvWrite> batch, Callback<> done) override;
    void scan(std::string prefix, std::string cursor, std::size_t limit,
              Callback<std::vector<store::KvEntry>> done,
              store::ScanOrder order = store::ScanOrder::Ascending) override;
    void erase_prefix(std::string prefix, Callback<> done) override;

    // Saves every batch not yet confirmed to the journal, then hands the waiting ones to
    // IndexedDB now, in order, even with a transaction in flight (IndexedDB runs them in the
    // order they were created). For `pagehide`; harmless at any other time.
    void flush();

    // Readwrite transactions started by every IdbKvStore of the page so far, and the most that
    // were in flight at once (idb_kv_store.js counts them; for tests).
    static std::uint32_t write_transactions_started();
    static std::uint32_t max_write_transactions_in_flight();

    // From JS (st_idb_complete). `data` is malloc'd; ownership passes here.
    void complete(std::uint32_t slot, int status, std::uint8_t* data, std::size_t size);

private:
    // Turns the raw result into the caller's Result; runs on the Loop.
    using Finisher = std::function<void(int status, Bytes data)>;
    struct Outstanding {
        Finisher finish;
        bool write = false;
        Bytes ops;  // a write's batches (write layout without the count), kept for flush()
        std::uint32_t count = 0;
    };
    // Batches merged into one transaction, and the reads issued after them (handed to IndexedDB
    // right after that transaction is created).
    struct Group {
        Bytes ops;  // packed as in the write layout, without the count
        std::uint32_t count = 0;
        std::vector<Callback<>> done;
        std::vector<std::function<void()>> reads_after;
    };

    std::uint32_t begin(Finisher finish);
    void enqueue(Bytes ops, std::uint32_t count, Callback<> done);
    // A read: now if no batch waits, else right after the waiting batches' transaction.
    void read(std::function<void()> issue);
    // Creates the transaction of the first waiting group, then its reads. `clear_journal`: a
    // transaction of no batch that deletes the journal instead.
    void issue_next(bool clear_journal = false);

    Loop& loop_;
    std::uint32_t db_ = 0;  // the JS side's handle of this store's database
    std::unordered_map<std::uint32_t, Outstanding> pending_;
    std::deque<Group> waiting_;
    int writes_in_flight_ = 0;
};

}  // namespace st::wasm
