// SealedKvStore (sealed_kv_store.hpp; design and threat model in docs/lock.md).
//
// [SECTION] Keys and values      key mapping, sealing and opening one record
// [SECTION] Scans                 group-wise reading that restores logical order
// [SECTION] SealedKvStore         the KvStore calls
#include "st/store/sealed_kv_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "st/crypto/keys.hpp"

namespace st::store {

struct SealedKvStore::State {
    bool locked = false;
    Secret<32> value_key;
    Secret<32> name_key;
    std::string inner_prefix;

    void zero() {
        locked = true;
        secure_zero(value_key.data(), value_key.size());
        secure_zero(name_key.data(), name_key.size());
    }
};

namespace {

using State = SealedKvStore::State;

// [SECTION] Keys and values

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
// Values are padded (sodium_pad, ISO/IEC 7816-4) to a multiple of 64 bytes, so a stored value's
// size tells a message's length only to within 64 bytes.
constexpr std::size_t kPadBlock = 64;
constexpr std::size_t kTokenBytes = 16;  // 128-bit tokens: no collision among any account's keys
// crypto_kdf (BLAKE2b) subkeys of the data key: https://doc.libsodium.org/key_derivation
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "stsealkv";
constexpr std::uint64_t kValueSubkey = 1;
constexpr std::uint64_t kNameSubkey = 2;

Error locked_error() { return Error{"store.locked", "the account is locked; unlock it with its passphrase"}; }
Error tampered_error(std::string what) { return Error{"store.tampered", std::move(what)}; }

// be64 segments (key::be64) stay readable so timestamps keep their order in the inner store.
bool is_number(std::string_view segment) {
    return segment.size() == 16 && std::all_of(segment.begin(), segment.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

void append_token(const State& s, std::string& out, std::string_view segment, std::string_view path) {
    if (is_number(segment)) {
        out += segment;
        return;
    }
    std::uint8_t token[kTokenBytes];
    crypto_generichash(token, sizeof token, reinterpret_cast<const unsigned char*>(path.data()), path.size(),
                       s.name_key.data(), s.name_key.size());
    out += '~';
    out += to_hex(ByteView(token, sizeof token));
}

// The stored form of `logical`. As a prefix, only the segments ending in '/' are mapped (the
// stored prefix of their range); the text after the last '/' is left for the caller to filter.
std::string map_key(const State& s, std::string_view logical, bool prefix_form) {
    std::string out = s.inner_prefix;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t end = logical.find('/', pos);
        if (end == std::string_view::npos) {
            if (!prefix_form) append_token(s, out, logical.substr(pos), logical);
            return out;
        }
        append_token(s, out, logical.substr(pos, end - pos), logical.substr(0, end));
        out += '/';
        pos = end + 1;
    }
}

// The group of a stored key below `base` stored bytes: the key up to its first hashed segment
// (whose siblings' stored order says nothing of their logical order), or the whole key if every
// segment below `base` is a number. Groups in stored order are in logical order (see header).
std::string_view group_of(std::string_view stored, std::size_t base) {
    std::size_t pos = base;
    while (pos < stored.size()) {
        if (stored[pos] == '~') return stored.substr(0, pos);
        const std::size_t end = stored.find('/', pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return stored;
}

std::string associated_data(std::string_view stored_key) {
    std::string ad(1, static_cast<char>(kVersion));
    ad += stored_key;
    return ad;
}

Bytes seal_value(const State& s, std::string_view stored_key, std::string_view logical, ByteView value) {
    const std::size_t inner = 4 + logical.size() + value.size();
    SecretBytes plain(inner + kPadBlock);
    const auto n = static_cast<std::uint32_t>(logical.size());
    plain.data()[0] = static_cast<std::uint8_t>(n >> 24);
    plain.data()[1] = static_cast<std::uint8_t>(n >> 16);
    plain.data()[2] = static_cast<std::uint8_t>(n >> 8);
    plain.data()[3] = static_cast<std::uint8_t>(n);
    if (!logical.empty()) std::memcpy(plain.data() + 4, logical.data(), logical.size());
    if (!value.empty()) std::memcpy(plain.data() + 4 + logical.size(), value.data(), value.size());
    std::size_t padded = 0;
    sodium_pad(&padded, plain.data(), inner, kPadBlock, plain.size());

    Bytes out(1 + kNonceBytes + padded + kTagBytes);
    out[0] = kVersion;
    randombytes_buf(out.data() + 1, kNonceBytes);
    const auto ad = associated_data(stored_key);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + 1 + kNonceBytes, &written, plain.data(), padded,
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                               nullptr, out.data() + 1, s.value_key.data());
    return out;
}

Result<KvEntry> open_value(const State& s, std::string_view stored_key, ByteView sealed) {
    if (sealed.size() < 1 + kNonceBytes + kTagBytes || sealed[0] != kVersion)
        return Unexpected<Error>(tampered_error("a stored record is not a sealed record of this version"));
    SecretBytes plain(sealed.size() - 1 - kNonceBytes - kTagBytes);
    const auto ad = associated_data(stored_key);
    unsigned long long size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &size, nullptr, sealed.data() + 1 + kNonceBytes,
                                                   sealed.size() - 1 - kNonceBytes, reinterpret_cast<const unsigned char*>(ad.data()),
                                                   ad.size(), sealed.data() + 1, s.value_key.data()) != 0)
        return Unexpected<Error>(tampered_error("a stored record does not open under its key (changed or moved)"));
    std::size_t unpadded = 0;
    if (sodium_unpad(&unpadded, plain.data(), plain.size(), kPadBlock) != 0 || unpadded < 4)
        return Unexpected<Error>(tampered_error("a stored record has a bad layout"));
    const std::uint8_t* p = plain.data();
    const std::size_t n = std::size_t{p[0]} << 24 | std::size_t{p[1]} << 16 | std::size_t{p[2]} << 8 | p[3];
    if (n > unpadded - 4) return Unexpected<Error>(tampered_error("a stored record has a bad layout"));
    return KvEntry{std::string(reinterpret_cast<const char*>(p + 4), n), Bytes(p + 4 + n, p + unpadded)};
}

void wipe(Bytes& b) {
    if (!b.empty()) secure_zero(b.data(), b.size());
    b.clear();
}
void wipe(std::vector<KvEntry>& entries) {
    for (auto& e : entries) wipe(e.value);
    entries.clear();
}

// [SECTION] Scans

// One logical scan: pages of the inner range, opened, filtered and sorted group by group, until
// `limit` entries and the group holding the last of them are complete.
struct ScanJob : std::enable_shared_from_this<ScanJob> {
    std::shared_ptr<State> state;
    KvStore* inner = nullptr;
    std::string prefix, cursor;  // logical; an empty cursor filters nothing
    std::size_t limit = 0;
    ScanOrder order = ScanOrder::Ascending;
    std::string stored_prefix, inner_cursor;
    std::size_t page = 0;
    std::string group;
    bool in_group = false;
    std::vector<KvEntry> pending, out;
    Callback<std::vector<KvEntry>> done;

    bool wanted(const std::string& key) const {
        if (key.compare(0, prefix.size(), prefix) != 0) return false;
        if (cursor.empty()) return true;
        return order == ScanOrder::Ascending ? key > cursor : key < cursor;
    }
    void flush() {
        if (order == ScanOrder::Ascending)
            std::sort(pending.begin(), pending.end(), [](auto& a, auto& b) { return a.key < b.key; });
        else
            std::sort(pending.begin(), pending.end(), [](auto& a, auto& b) { return a.key > b.key; });
        for (auto& e : pending) out.push_back(std::move(e));
        pending.clear();
    }
    void fail(Error e) {
        wipe(pending);
        wipe(out);
        done(Unexpected<Error>(std::move(e)));
    }
    void finish() {
        while (out.size() > limit) {
            wipe(out.back().value);
            out.pop_back();
        }
        done(std::move(out));
    }
    void next() {
        inner->scan(
            stored_prefix, inner_cursor, page,
            [self = shared_from_this()](Result<std::vector<KvEntry>> r) { self->on_page(std::move(r)); }, order);
    }
    void on_page(Result<std::vector<KvEntry>> r) {
        if (state->locked) return fail(locked_error());
        if (!r) return fail(std::move(r).error());
        for (auto& e : *r) {
            const auto g = group_of(e.key, stored_prefix.size());
            if (!in_group || g != group) {
                flush();
                if (out.size() >= limit) return finish();
                group = std::string(g);
                in_group = true;
            }
            auto opened = open_value(*state, e.key, e.value);
            if (!opened) return fail(std::move(opened).error());
            if (wanted(opened->key)) {
                pending.push_back(std::move(*opened));
            } else {
                wipe(opened->value);
            }
        }
        if (r->size() < page) {
            flush();
            return finish();
        }
        inner_cursor = r->back().key;
        next();
    }
};

void post_error(Loop& loop, std::function<void(Error)> done, Error e) {
    loop.post([done = std::move(done), e = std::move(e)]() mutable { done(std::move(e)); });
}

}  // namespace

std::string sealed_prefix(std::string_view lock_id) { return "sealed/" + std::string(lock_id) + "/"; }

// [SECTION] SealedKvStore

SealedKvStore::SealedKvStore(Loop& loop, KvStore& inner, std::string lock_id, Secret<32> data_key)
    : loop_(loop),
      inner_(inner),
      lock_id_(std::move(lock_id)),
      inner_prefix_(sealed_prefix(lock_id_)),
      state_(std::make_shared<State>()) {
    crypto::ensure_sodium_ready();
    crypto_kdf_derive_from_key(state_->value_key.data(), 32, kValueSubkey, kKdfContext, data_key.data());
    crypto_kdf_derive_from_key(state_->name_key.data(), 32, kNameSubkey, kKdfContext, data_key.data());
    state_->inner_prefix = inner_prefix_;
    // data_key is zeroed by its destructor on return.
}

SealedKvStore::~SealedKvStore() { state_->zero(); }

void SealedKvStore::lock() { state_->zero(); }
bool SealedKvStore::locked() const { return state_->locked; }

Result<std::string> SealedKvStore::stored_key(std::string_view logical) const {
    if (state_->locked) return Unexpected<Error>(locked_error());
    return map_key(*state_, logical, false);
}

Result<KvWrite> SealedKvStore::seal(KvWrite logical) const {
    if (state_->locked) return Unexpected<Error>(locked_error());
    auto stored = map_key(*state_, logical.key, false);
    if (!logical.value) return KvWrite::erase(std::move(stored));
    auto sealed = seal_value(*state_, stored, logical.key, *logical.value);
    wipe(*logical.value);
    return KvWrite::put(std::move(stored), std::move(sealed));
}

Result<KvEntry> SealedKvStore::open(const KvEntry& stored) const {
    if (state_->locked) return Unexpected<Error>(locked_error());
    if (stored.key.compare(0, inner_prefix_.size(), inner_prefix_) != 0)
        return Unexpected<Error>(tampered_error("a stored record is outside this lock's range"));
    return open_value(*state_, stored.key, stored.value);
}

void SealedKvStore::get(std::string key, Callback<std::optional<Bytes>> done) {
    if (state_->locked)
        return post_error(loop_, [done = std::move(done)](Error e) { done(Unexpected<Error>(std::move(e))); },
                          locked_error());
    auto stored = map_key(*state_, key, false);
    inner_.get(stored, [state = state_, key = std::move(key), stored, done = std::move(done)](
                           Result<std::optional<Bytes>> r) {
        if (state->locked) return done(Unexpected<Error>(locked_error()));
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        if (!*r) return done(std::optional<Bytes>{});
        auto opened = open_value(*state, stored, **r);
        if (!opened) return done(Unexpected<Error>(std::move(opened).error()));
        if (opened->key != key) {
            wipe(opened->value);
            return done(Unexpected<Error>(tampered_error("a stored record belongs to another key")));
        }
        done(std::optional<Bytes>(std::move(opened->value)));
    });
}

void SealedKvStore::write(std::vector<KvWrite> batch, Callback<> done) {
    auto refuse = [&](Error e) {
        for (auto& w : batch)
            if (w.value) wipe(*w.value);
        post_error(loop_, [done = std::move(done)](Error x) { done(Unexpected<Error>(std::move(x))); }, std::move(e));
    };
    if (state_->locked) return refuse(locked_error());
    std::vector<KvWrite> sealed;
    sealed.reserve(batch.size());
    for (auto& w : batch) {
        auto s = seal(std::move(w));
        if (!s) return refuse(std::move(s).error());
        sealed.push_back(std::move(*s));
    }
    // Once handed to the inner store the batch completes as it does there, locked or not: the
    // caller must learn whether it is durable.
    inner_.write(std::move(sealed), std::move(done));
}

void SealedKvStore::scan(std::string prefix, std::string cursor, std::size_t limit,
                         Callback<std::vector<KvEntry>> done, ScanOrder order) {
    if (state_->locked)
        return post_error(loop_, [done = std::move(done)](Error e) { done(Unexpected<Error>(std::move(e))); },
                          locked_error());
    const std::size_t boundary = prefix.rfind('/');
    const std::string segments = boundary == std::string::npos ? std::string() : prefix.substr(0, boundary + 1);

    auto job = std::make_shared<ScanJob>();
    job->state = state_;
    job->inner = &inner_;
    job->order = order;
    job->limit = limit;
    job->stored_prefix = map_key(*state_, segments, true);
    job->page = std::clamp<std::size_t>(limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1, 16, 256);
    job->done = std::move(done);

    bool empty = limit == 0;
    if (!cursor.empty()) {
        const bool ascending = order == ScanOrder::Ascending;
        if (cursor.compare(0, segments.size(), segments) == 0) {
            // Start the inner scan at the cursor's group (the only one needing a logical filter).
            const auto mapped = map_key(*state_, cursor, false);
            const std::string group(group_of(mapped, job->stored_prefix.size()));
            if (ascending) {
                // Strictly after a key just below the group: stored keys are ASCII, so no key
                // lies between "<group minus its last byte, that byte - 1>\xff" and the group.
                std::string before = group;
                before.back() = static_cast<char>(before.back() - 1);
                before += '\xff';
                job->inner_cursor = std::move(before);
            } else {
                job->inner_cursor = key::prefix_end(group);
            }
            job->cursor = std::move(cursor);
        } else if (ascending ? cursor > segments : cursor < segments) {
            empty = true;  // the cursor is past the whole range in the scan's direction
        }  // else the cursor is before the whole range: it filters nothing
    }
    job->prefix = std::move(prefix);
    if (empty) {
        loop_.post([job] { job->finish(); });
        return;
    }
    job->next();
}

void SealedKvStore::erase_prefix(std::string prefix, Callback<> done) {
    if (state_->locked)
        return post_error(loop_, [done = std::move(done)](Error e) { done(Unexpected<Error>(std::move(e))); },
                          locked_error());
    const std::size_t boundary = prefix.rfind('/');
    const std::size_t segments = boundary == std::string::npos ? 0 : boundary + 1;
    if (segments == prefix.size()) return inner_.erase_prefix(map_key(*state_, prefix, true), std::move(done));
    // Mid-segment: the matching keys are spread over their parent's range; find and erase them.
    scan(std::move(prefix), {}, std::numeric_limits<std::size_t>::max(),
         [inner = &inner_, state = state_, done = std::move(done)](Result<std::vector<KvEntry>> r) mutable {
             if (!r) return done(Unexpected<Error>(std::move(r).error()));
             if (state->locked) return done(Unexpected<Error>(locked_error()));
             std::vector<KvWrite> batch;
             for (auto& e : *r) {
                 wipe(e.value);
                 batch.push_back(KvWrite::erase(map_key(*state, e.key, false)));
             }
             inner->write(std::move(batch), std::move(done));
         });
}

}  // namespace st::store
