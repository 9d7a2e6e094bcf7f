#include "platform/idb_kv_store.hpp"

#include <emscripten.h>

#include <cstdlib>
#include <utility>

#include "platform/lifecycle.hpp"
#include "st/base/secret.hpp"

extern "C" {
// platform/idb_kv_store.js
std::uint32_t st_idb_open(const char* name);
void st_idb_get(std::uint32_t db, std::uint32_t slot, const char* key, std::size_t key_size);
void st_idb_write(std::uint32_t db, std::uint32_t slot, const std::uint8_t* batch,
                  std::size_t size);
void st_idb_scan(std::uint32_t db, std::uint32_t slot, const char* prefix, std::size_t prefix_size,
                 const char* cursor, std::size_t cursor_size, double limit, int descending);
void st_idb_erase_prefix(std::uint32_t db, std::uint32_t slot, const char* prefix,
                         std::size_t prefix_size);
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

}  // namespace

IdbKvStore::IdbKvStore(Loop& loop, std::string name) : loop_(loop), db_(st_idb_open(name.c_str())) {}

IdbKvStore::~IdbKvStore() {
    for (auto& [slot, finish] : pending_) g_slots.erase(slot);
}

std::uint32_t IdbKvStore::begin(Finisher finish) {
    const std::uint32_t slot = g_next_slot++;
    pending_.emplace(slot, std::move(finish));
    g_slots.emplace(slot, this);
    return slot;
}

void IdbKvStore::complete(std::uint32_t slot, int status, std::uint8_t* data, std::size_t size) {
    Bytes bytes;
    if (data != nullptr) bytes.assign(data, data + size);
    std::free(data);
    auto it = pending_.find(slot);
    if (it == pending_.end()) return;
    auto finish = std::move(it->second);
    pending_.erase(it);
    g_slots.erase(slot);
    loop_.post([finish = std::move(finish), status, bytes = std::move(bytes)]() mutable {
        finish(status, std::move(bytes));
    });
    wake_loop();
}

void IdbKvStore::get(std::string key, Callback<std::optional<Bytes>> done) {
    const auto slot = begin([done = std::move(done)](int status, Bytes data) {
        if (status != kOk) return done(Unexpected<Error>(to_error(status, data)));
        if (data.empty() || data[0] == 0) return done(std::optional<Bytes>());
        done(std::optional<Bytes>(Bytes(data.begin() + 1, data.end())));
    });
    st_idb_get(db_, slot, key.data(), key.size());
}

void IdbKvStore::write(std::vector<store::KvWrite> batch, Callback<> done) {
    Bytes packed;
    put_u32(packed, batch.size());
    for (const store::KvWrite& w : batch) {
        packed.push_back(w.value ? 1 : 0);
        put_u32(packed, w.key.size());
        packed.insert(packed.end(), w.key.begin(), w.key.end());
        put_u32(packed, w.value ? w.value->size() : 0);
        if (w.value) packed.insert(packed.end(), w.value->begin(), w.value->end());
    }
    const auto slot = begin([done = std::move(done)](int status, Bytes data) {
        if (status != kOk) return done(Unexpected<Error>(to_error(status, data)));
        done(Result<>());
    });
    st_idb_write(db_, slot, packed.data(), packed.size());
    // The packed copy may hold key material: clear it now that JS has copied it.
    secure_zero(packed.data(), packed.size());
}

void IdbKvStore::scan(std::string prefix, std::string cursor, std::size_t limit,
                      Callback<std::vector<store::KvEntry>> done, store::ScanOrder order) {
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
}

void IdbKvStore::erase_prefix(std::string prefix, Callback<> done) {
    const auto slot = begin([done = std::move(done)](int status, Bytes data) {
        if (status != kOk) return done(Unexpected<Error>(to_error(status, data)));
        done(Result<>());
    });
    st_idb_erase_prefix(db_, slot, prefix.data(), prefix.size());
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
