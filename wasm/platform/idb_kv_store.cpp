#include "platform/idb_kv_store.hpp"

#include <emscripten.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "platform/lifecycle.hpp"
#include "st/base/secret.hpp"

extern "C" {
// platform/idb_kv_store.js
std::uint32_t st_idb_open(const char* name);
void st_idb_get(std::uint32_t db, std::uint32_t slot, const char* key, std::size_t key_size);
void st_idb_write(std::uint32_t db, std::uint32_t slot, const std::uint8_t* batch,
                  std::size_t size, int clear_journal);
void st_idb_journal(std::uint32_t db, const std::uint8_t* batch, std::size_t size);
void st_idb_scan(std::uint32_t db, std::uint32_t slot, const char* prefix, std::size_t prefix_size,
                 const char* cursor, std::size_t cursor_size, double limit, int descending);
std::uint32_t st_idb_write_stats(int which);
}

namespace st::wasm {
namespace {

// Status values reported by idb_kv_store.js.
enum IdbStatus : int { kOk = 0, kUnavailable = 1, kQuota = 2, kIo = 3 };

std::uint32_t g_next_slot = 1;
std::unordered_map<std::uint32_t, IdbKvStore*> g_slots;

Error to_error(int status, const Bytes& message) {
    std::string text(message.begin(), message.end());
    switch (status) {
        case kUnavailable:
            return Error{"store.unavailable",
                         text.empty() ? "This browser does not let the page store data." : text};
        case kQuota:
            return Error{"store.quota_exceeded",
                         text.empty() ? "The browser's storage for this page is full." : text};
        default:
            return Error{"store.io", text.empty() ? "The browser's database failed." : text};
    }
}

// Reads the little-endian u32 at `at`, advancing it; false past the end.
bool read_u32(const Bytes& data, std::size_t& at, std::uint32_t& out) {
    if (data.size() < 4 || at > data.size() - 4) return false;
    out = static_cast<std::uint32_t>(data[at]) | static_cast<std::uint32_t>(data[at + 1]) << 8 |
          static_cast<std::uint32_t>(data[at + 2]) << 16 |
          static_cast<std::uint32_t>(data[at + 3]) << 24;
    at += 4;
    return true;
}

void put_u32(Bytes& out, std::size_t v) {
    const auto x = static_cast<std::uint32_t>(v);
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(x >> shift));
}

// Write-layout op codes (idb_kv_store.hpp).
enum Op : std::uint8_t { kErase = 0, kPut = 1, kErasePrefix = 2 };

void put_op(Bytes& out, Op op, const std::string& key, const Bytes* value) {
    out.push_back(op);
    put_u32(out, key.size());
    out.insert(out.end(), key.begin(), key.end());
    put_u32(out, value ? value->size() : 0);
    if (value) out.insert(out.end(), value->begin(), value->end());
}

// Appends `tail` to `out`. Values may hold key material: a buffer left behind when `out` grows,
// and `tail`, are zeroed rather than freed as they are.
void append_zeroing(Bytes& out, Bytes& tail) {
    if (out.capacity() - out.size() < tail.size()) {
        Bytes bigger;
        bigger.reserve(std::max(out.size() + tail.size(), 2 * out.capacity()));
        bigger.assign(out.begin(), out.end());
        secure_zero(out.data(), out.size());
        out.swap(bigger);
    }
    out.insert(out.end(), tail.begin(), tail.end());
    secure_zero(tail.data(), tail.size());
}

}  // namespace

IdbKvStore::IdbKvStore(Loop& loop, std::string name) : loop_(loop), db_(st_idb_open(name.c_str())) {}

IdbKvStore::~IdbKvStore() {
    flush();
    for (auto& [slot, outstanding] : pending_) {
        secure_zero(outstanding.ops.data(), outstanding.ops.size());
        g_slots.erase(slot);
    }
}

std::uint32_t IdbKvStore::begin(Finisher finish) {
    const std::uint32_t slot = g_next_slot++;
    Outstanding outstanding;
    outstanding.finish = std::move(finish);
    pending_.emplace(slot, std::move(outstanding));
    g_slots.emplace(slot, this);
    return slot;
}

void IdbKvStore::complete(std::uint32_t slot, int status, std::uint8_t* data, std::size_t size) {
    Bytes bytes;
    if (data != nullptr) bytes.assign(data, data + size);
    std::free(data);
    auto it = pending_.find(slot);
    if (it == pending_.end()) return;
    Outstanding outstanding = std::move(it->second);
    pending_.erase(it);
    g_slots.erase(slot);
    secure_zero(outstanding.ops.data(), outstanding.ops.size());
    loop_.post([finish = std::move(outstanding.finish), status, bytes = std::move(bytes)]() mutable {
        finish(status, std::move(bytes));
    });
    // The next transaction starts now, from the browser's completion event, not from the Loop:
    // batches that waited are on their way to disk one event sooner.
    if (outstanding.write && --writes_in_flight_ == 0) issue_next();
    wake_loop();
}

void IdbKvStore::get(std::string key, Callback<std::optional<Bytes>> done) {
    read([this, key = std::move(key), done = std::move(done)]() mutable {
        const auto slot = begin([done = std::move(done)](int status, Bytes data) {
            if (status != kOk) return done(Unexpected<Error>(to_error(status, data)));
            if (data.empty() || data[0] == 0) return done(std::optional<Bytes>());
            done(std::optional<Bytes>(Bytes(data.begin() + 1, data.end())));
        });
        st_idb_get(db_, slot, key.data(), key.size());
    });
}

void IdbKvStore::write(std::vector<store::KvWrite> batch, Callback<> done) {
    Bytes ops;
    for (const store::KvWrite& w : batch) put_op(ops, w.value ? kPut : kErase, w.key, w.value ? &*w.value : nullptr);
    enqueue(std::move(ops), static_cast<std::uint32_t>(batch.size()), std::move(done));
}

void IdbKvStore::erase_prefix(std::string prefix, Callback<> done) {
    Bytes ops;
    put_op(ops, kErasePrefix, prefix, nullptr);
    enqueue(std::move(ops), 1, std::move(done));
}

void IdbKvStore::enqueue(Bytes ops, std::uint32_t count, Callback<> done) {
    // Joins the last waiting group unless a read came after it (the read must not see this batch).
    if (waiting_.empty() || !waiting_.back().reads_after.empty()) waiting_.emplace_back();
    Group& group = waiting_.back();
    append_zeroing(group.ops, ops);
    group.count += count;
    group.done.push_back(std::move(done));
    if (writes_in_flight_ == 0) issue_next();
}

void IdbKvStore::read(std::function<void()> issue) {
    if (waiting_.empty()) return issue();
    waiting_.back().reads_after.push_back(std::move(issue));
}

void IdbKvStore::issue_next(bool clear_journal) {
    if (waiting_.empty() && !clear_journal) return;
    Group group;
    if (!clear_journal) {
        group = std::move(waiting_.front());
        waiting_.pop_front();
    }
    Bytes packed;
    packed.reserve(4 + group.ops.size());
    put_u32(packed, group.count);
    packed.insert(packed.end(), group.ops.begin(), group.ops.end());
    const auto slot = begin([done = std::move(group.done)](int status, Bytes data) mutable {
        // Every batch of the transaction, in the order they were written.
        for (auto& d : done) {
            if (status != kOk) {
                d(Unexpected<Error>(to_error(status, data)));
            } else {
                d(Result<>());
            }
        }
    });
    Outstanding& outstanding = pending_.at(slot);
    outstanding.write = true;
    outstanding.ops = std::move(group.ops);  // until it completes: flush() may journal it
    outstanding.count = group.count;
    ++writes_in_flight_;
    st_idb_write(db_, slot, packed.data(), packed.size(), clear_journal ? 1 : 0);
    // The packed copy may hold key material: clear it now that JS has copied it.
    secure_zero(packed.data(), packed.size());
    // Created after the transaction, so IndexedDB runs them after it.
    for (auto& issue : group.reads_after) issue();
}

void IdbKvStore::flush() {
    // Every batch not yet confirmed, in the order written: those in flight (slots grow with
    // every transaction created), then those waiting.
    std::vector<std::pair<std::uint32_t, const Outstanding*>> in_flight;
    for (const auto& [slot, outstanding] : pending_) {
        if (outstanding.write) in_flight.emplace_back(slot, &outstanding);
    }
    if (in_flight.empty() && waiting_.empty()) return;
    std::sort(in_flight.begin(), in_flight.end());
    std::uint32_t count = 0;
    Bytes ops;
    for (const auto& [slot, o] : in_flight) {
        count += o->count;
        ops.insert(ops.end(), o->ops.begin(), o->ops.end());
    }
    for (const Group& g : waiting_) {
        count += g.count;
        ops.insert(ops.end(), g.ops.begin(), g.ops.end());
    }
    Bytes journal;
    journal.reserve(4 + ops.size());
    put_u32(journal, count);
    journal.insert(journal.end(), ops.begin(), ops.end());
    secure_zero(ops.data(), ops.size());
    st_idb_journal(db_, journal.data(), journal.size());
    secure_zero(journal.data(), journal.size());
    while (!waiting_.empty()) issue_next();
    // Then a transaction that only deletes the journal: IndexedDB runs it after every one above
    // has finished (its scope overlaps theirs), whether they committed or failed; one that did
    // not run when the page went away leaves the journal for the next open.
    issue_next(true);
}

std::uint32_t IdbKvStore::write_transactions_started() { return st_idb_write_stats(0); }
std::uint32_t IdbKvStore::max_write_transactions_in_flight() { return st_idb_write_stats(1); }

void IdbKvStore::scan(std::string prefix, std::string cursor, std::size_t limit,
                      Callback<std::vector<store::KvEntry>> done, store::ScanOrder order) {
    read([this, prefix = std::move(prefix), cursor = std::move(cursor), limit, done = std::move(done),
          order]() mutable {
        const auto slot = begin([done = std::move(done)](int status, Bytes data) {
            if (status != kOk) return done(Unexpected<Error>(to_error(status, data)));
            std::vector<store::KvEntry> entries;
            std::size_t at = 0;
            std::uint32_t count = 0;
            if (!read_u32(data, at, count)) {
                return done(fail("store.io", "The browser's database gave a malformed answer."));
            }
            for (std::uint32_t i = 0; i < count; ++i) {
                std::uint32_t key_size = 0, value_size = 0;
                store::KvEntry entry;
                if (!read_u32(data, at, key_size) || key_size > data.size() - at) break;
                entry.key.assign(data.begin() + static_cast<std::ptrdiff_t>(at),
                                 data.begin() + static_cast<std::ptrdiff_t>(at + key_size));
                at += key_size;
                if (!read_u32(data, at, value_size) || value_size > data.size() - at) break;
                entry.value.assign(data.begin() + static_cast<std::ptrdiff_t>(at),
                                   data.begin() + static_cast<std::ptrdiff_t>(at + value_size));
                at += value_size;
                entries.push_back(std::move(entry));
            }
            if (entries.size() != count) {
                return done(fail("store.io", "The browser's database gave a malformed answer."));
            }
            done(std::move(entries));
        });
        st_idb_scan(db_, slot, prefix.data(), prefix.size(), cursor.data(), cursor.size(),
                    static_cast<double>(limit), order == store::ScanOrder::Descending ? 1 : 0);
    });
}

}  // namespace st::wasm

extern "C" EMSCRIPTEN_KEEPALIVE void st_idb_complete(std::uint32_t slot, int status,
                                                     std::uint8_t* data, std::size_t size) {
    auto it = st::wasm::g_slots.find(slot);
    if (it == st::wasm::g_slots.end()) {
        std::free(data);
        return;
    }
    it->second->complete(slot, status, data, size);
}
