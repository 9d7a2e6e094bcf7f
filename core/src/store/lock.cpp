// Passphrase locks (lock.hpp; design in docs/lock.md).
//
// [SECTION] Lock record          encoding, delay policy
// [SECTION] Key wrapping          Argon2id and the wrapped data key
// [SECTION] Locks                 store operations and the two migrations
#include "st/store/lock.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "st/crypto/keys.hpp"

namespace st::store {
namespace {

constexpr std::uint8_t kLockVersion = 1;
constexpr std::size_t kFixedBytes = 1 + 1 + 4 + 4 + 16 + 24 + 48 + 4 + 8;
constexpr std::string_view kWrapContext = "st-lock-v1";
// Upper bounds for parameters read from a record (a damaged record must not make us allocate
// gigabytes): generous against kDefaultArgon2Params.
constexpr std::uint32_t kMaxOpslimit = 64;
constexpr std::uint32_t kMaxMemlimitKib = 1024 * 1024;  // 1 GiB

void put_be(Bytes& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint64_t get_be(const std::uint8_t* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
    return v;
}

Error wrong_passphrase() { return Error{"lock.wrong_passphrase", "the passphrase is not right"}; }

template <class T>
void post_result(Loop& loop, Callback<T> done, Result<T> result) {
    auto shared = std::make_shared<Result<T>>(std::move(result));
    loop.post([done = std::move(done), shared] { done(std::move(*shared)); });
}

}  // namespace

// [SECTION] Lock record

std::string lock_key(std::string_view lock_id) { return std::string(kLockPrefix) + std::string(lock_id); }

Bytes encode_lock(const LockRecord& r) {
    Bytes out;
    out.reserve(kFixedBytes + r.public_name.size());
    out.push_back(kLockVersion);
    out.push_back(static_cast<std::uint8_t>(r.state));
    put_be(out, r.params.opslimit, 4);
    put_be(out, r.params.memlimit_kib, 4);
    out.insert(out.end(), r.salt.begin(), r.salt.end());
    out.insert(out.end(), r.nonce.begin(), r.nonce.end());
    out.insert(out.end(), r.wrapped_key.begin(), r.wrapped_key.end());
    put_be(out, r.failed_attempts, 4);
    put_be(out, static_cast<std::uint64_t>(r.last_failure_ms), 8);
    out.insert(out.end(), r.public_name.begin(), r.public_name.end());
    return out;
}

Result<LockRecord> decode_lock(std::string lock_id, ByteView v) {
    if (v.size() < kFixedBytes || v[0] != kLockVersion || v[1] > static_cast<std::uint8_t>(LockState::Unsealing))
        return fail("lock.bad_record", "the lock record is damaged or from a newer version");
    LockRecord r;
    r.id = std::move(lock_id);
    const std::uint8_t* p = v.data() + 1;
    r.state = static_cast<LockState>(*p++);
    r.params.opslimit = static_cast<std::uint32_t>(get_be(p, 4));
    p += 4;
    r.params.memlimit_kib = static_cast<std::uint32_t>(get_be(p, 4));
    p += 4;
    std::copy(p, p + 16, r.salt.begin());
    p += 16;
    std::copy(p, p + 24, r.nonce.begin());
    p += 24;
    std::copy(p, p + 48, r.wrapped_key.begin());
    p += 48;
    r.failed_attempts = static_cast<std::uint32_t>(get_be(p, 4));
    p += 4;
    r.last_failure_ms = static_cast<std::int64_t>(get_be(p, 8));
    p += 8;
    r.public_name.assign(reinterpret_cast<const char*>(p), v.size() - kFixedBytes);
    return r;
}

std::chrono::milliseconds unlock_delay(std::uint32_t failed_attempts) {
    using namespace std::chrono_literals;
    constexpr std::uint32_t kFree = 3;  // typos happen: the first three cost nothing but Argon2id
    constexpr std::chrono::milliseconds kMax = 5min;
    if (failed_attempts < kFree) return 0ms;
    const std::uint32_t doublings = failed_attempts - kFree;
    if (doublings >= 9) return kMax;  // 2^9 s > 5 min
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(1u << doublings), kMax);
}

std::int64_t next_attempt_ms(const LockRecord& r) {
    return r.last_failure_ms + static_cast<std::int64_t>(unlock_delay(r.failed_attempts).count());
}

// [SECTION] Key wrapping

namespace {

// libsodium 1.0.18 frees Argon2's memory without clearing it (argon2.c passes
// ARGON2_DEFAULT_FLAGS = 0, so argon2-core.c's clear_memory does nothing), leaving blocks derived
// from the passphrase in the wasm heap. Best effort: allocate the same amount again and zero it;
// with Emscripten's allocator the block just freed is normally what comes back. (Natively the
// memory was mmap'd and is gone with munmap.)
void scrub_freed_memory(std::size_t size) {
    void* block = std::malloc(size + 64);
    if (!block) return;
    secure_zero(block, size + 64);
    std::free(block);
}

Result<Secret<32>> passphrase_key(const SecretBytes& passphrase, const std::array<std::uint8_t, 16>& salt,
                                  Argon2Params params) {
    if (passphrase.empty()) return fail("lock.empty_passphrase", "the passphrase is empty");
    if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN || params.opslimit > kMaxOpslimit ||
        std::size_t{params.memlimit_kib} * 1024 < crypto_pwhash_MEMLIMIT_MIN || params.memlimit_kib > kMaxMemlimitKib)
        return fail("lock.bad_params", "the lock's Argon2id parameters are out of range");
    Secret<32> key;
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()), passphrase.size(),
                      salt.data(), params.opslimit, std::size_t{params.memlimit_kib} * 1024,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail("lock.kdf_failed", "not enough memory to check the passphrase");
    scrub_freed_memory(std::size_t{params.memlimit_kib} * 1024);
    return key;
}

std::string wrap_ad(const LockRecord& r) {
    std::string ad(kWrapContext);
    ad += r.id;
    Bytes params;
    put_be(params, r.params.opslimit, 4);
    put_be(params, r.params.memlimit_kib, 4);
    ad.append(params.begin(), params.end());
    ad.append(r.salt.begin(), r.salt.end());
    return ad;
}

// Fills salt, nonce and wrapped_key of `r` (id and params set) for `data_key`.
Result<void> wrap(LockRecord& r, const Secret<32>& data_key, const SecretBytes& passphrase) {
    randombytes_buf(r.salt.data(), r.salt.size());
    randombytes_buf(r.nonce.data(), r.nonce.size());
    auto key = passphrase_key(passphrase, r.salt, r.params);
    if (!key) return Unexpected<Error>(std::move(key).error());
    const auto ad = wrap_ad(r);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(r.wrapped_key.data(), &written, data_key.data(), data_key.size(),
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                               r.nonce.data(), key->data());
    return {};
}

}  // namespace

Result<NewLock> make_lock(const SecretBytes& passphrase, std::string public_name, Argon2Params params) {
    crypto::ensure_sodium_ready();
    NewLock made;
    std::array<std::uint8_t, 16> id{};
    randombytes_buf(id.data(), id.size());
    made.record.id = to_hex(ByteView(id.data(), id.size()));
    made.record.params = params;
    made.record.public_name = std::move(public_name);
    randombytes_buf(made.data_key.data(), made.data_key.size());
    auto wrapped = wrap(made.record, made.data_key, passphrase);
    if (!wrapped) return Unexpected<Error>(std::move(wrapped).error());
    return made;
}

Result<Secret<32>> open_lock(const LockRecord& r, const SecretBytes& passphrase) {
    crypto::ensure_sodium_ready();
    auto key = passphrase_key(passphrase, r.salt, r.params);
    if (!key) return Unexpected<Error>(std::move(key).error());
    const auto ad = wrap_ad(r);
    Secret<32> data_key;
    unsigned long long size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(data_key.data(), &size, nullptr, r.wrapped_key.data(),
                                                   r.wrapped_key.size(),
                                                   reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                                   r.nonce.data(), key->data()) != 0 ||
        size != data_key.size())
        return Unexpected<Error>(wrong_passphrase());
    return data_key;
}

Result<LockRecord> rewrap_lock(const LockRecord& record, const Secret<32>& data_key, const SecretBytes& new_passphrase,
                               Argon2Params params) {
    crypto::ensure_sodium_ready();
    LockRecord r = record;
    r.params = params;
    r.failed_attempts = 0;
    r.last_failure_ms = 0;
    auto wrapped = wrap(r, data_key, new_passphrase);
    if (!wrapped) return Unexpected<Error>(std::move(wrapped).error());
    return r;
}

// [SECTION] Locks

namespace {

// Reads and decodes one lock record.
void read_lock(KvStore& inner, std::string lock_id, Callback<LockRecord> done) {
    inner.get(lock_key(lock_id), [lock_id, done = std::move(done)](Result<std::optional<Bytes>> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        if (!*r) return done(fail("lock.not_found", "no such lock"));
        done(decode_lock(lock_id, **r));
    });
}

bool overlaps(std::string_view a, std::string_view b) {
    return a.substr(0, std::min(a.size(), b.size())) == b.substr(0, std::min(a.size(), b.size()));
}

struct SealJob : std::enable_shared_from_this<SealJob> {
    KvStore* inner = nullptr;
    SealedKvStore* sealed = nullptr;
    std::vector<std::string> prefixes;
    std::size_t index = 0, batches = 0;
    MigrationLimits limits;
    Callback<bool> done;

    void step() {
        if (index == prefixes.size()) return finish();
        if (batches >= limits.max_batches) return done(false);
        inner->scan(prefixes[index], {}, limits.batch_records,
                    [self = shared_from_this()](Result<std::vector<KvEntry>> r) { self->on_page(std::move(r)); });
    }
    void on_page(Result<std::vector<KvEntry>> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        if (r->empty()) {
            ++index;
            return step();
        }
        std::vector<KvWrite> batch;
        for (auto& e : *r) {
            std::string plain_key = e.key;
            auto s = sealed->seal(KvWrite::put(std::move(e.key), std::move(e.value)));
            if (!s) return done(Unexpected<Error>(std::move(s).error()));
            batch.push_back(std::move(*s));
            batch.push_back(KvWrite::erase(std::move(plain_key)));
        }
        // One batch: a record is either still plain or already sealed, never both or neither.
        inner->write(std::move(batch), [self = shared_from_this()](Result<> w) {
            if (!w) return self->done(Unexpected<Error>(std::move(w).error()));
            ++self->batches;
            self->step();
        });
    }
    void finish() {
        read_lock(*inner, sealed->lock_id(), [self = shared_from_this()](Result<LockRecord> r) {
            if (!r) return self->done(Unexpected<Error>(std::move(r).error()));
            if (r->state == LockState::Ready) return self->done(true);
            r->state = LockState::Ready;
            self->inner->write({KvWrite::put(lock_key(r->id), encode_lock(*r))}, [self](Result<> w) {
                if (!w) return self->done(Unexpected<Error>(std::move(w).error()));
                self->done(true);
            });
        });
    }
};

struct UnsealJob : std::enable_shared_from_this<UnsealJob> {
    KvStore* inner = nullptr;
    SealedKvStore* sealed = nullptr;
    std::size_t batches = 0;
    MigrationLimits limits;
    Callback<bool> done;

    void start() {
        // The record says Unsealing before the first record moves, so a reload resumes this
        // instead of expecting a fully sealed account.
        read_lock(*inner, sealed->lock_id(), [self = shared_from_this()](Result<LockRecord> r) {
            if (!r) return self->done(Unexpected<Error>(std::move(r).error()));
            if (r->state == LockState::Unsealing) return self->step();
            r->state = LockState::Unsealing;
            self->inner->write({KvWrite::put(lock_key(r->id), encode_lock(*r))}, [self](Result<> w) {
                if (!w) return self->done(Unexpected<Error>(std::move(w).error()));
                self->step();
            });
        });
    }
    void step() {
        if (batches >= limits.max_batches) return done(false);
        inner->scan(sealed->inner_prefix(), {}, limits.batch_records,
                    [self = shared_from_this()](Result<std::vector<KvEntry>> r) { self->on_page(std::move(r)); });
    }
    void on_page(Result<std::vector<KvEntry>> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        if (r->empty()) return finish();
        std::vector<KvWrite> batch;
        for (auto& e : *r) {
            auto opened = sealed->open(e);
            if (!opened) return done(Unexpected<Error>(std::move(opened).error()));
            batch.push_back(KvWrite::put(std::move(opened->key), std::move(opened->value)));
            batch.push_back(KvWrite::erase(std::move(e.key)));
        }
        inner->write(std::move(batch), [self = shared_from_this()](Result<> w) {
            if (!w) return self->done(Unexpected<Error>(std::move(w).error()));
            ++self->batches;
            self->step();
        });
    }
    void finish() {
        // Last: the lock record goes only when no sealed record is left.
        inner->write({KvWrite::erase(lock_key(sealed->lock_id()))}, [self = shared_from_this()](Result<> w) {
            if (!w) return self->done(Unexpected<Error>(std::move(w).error()));
            self->done(true);
        });
    }
};

}  // namespace

void Locks::list(Callback<std::vector<LockRecord>> done) {
    inner_.scan(std::string(kLockPrefix), {}, 1000, [done = std::move(done)](Result<std::vector<KvEntry>> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        std::vector<LockRecord> out;
        for (auto& e : *r) {
            // A damaged record is skipped rather than hiding every other lock.
            if (auto rec = decode_lock(e.key.substr(kLockPrefix.size()), e.value)) out.push_back(std::move(*rec));
        }
        done(std::move(out));
    });
}

void Locks::create(const SecretBytes& passphrase, std::string public_name, Argon2Params params,
                   Callback<NewLock> done) {
    auto made = make_lock(passphrase, std::move(public_name), params);
    if (!made) return post_result<NewLock>(loop_, std::move(done), Unexpected<Error>(std::move(made).error()));
    made->record.state = LockState::Sealing;
    auto shared = std::make_shared<NewLock>(std::move(*made));
    inner_.write({KvWrite::put(lock_key(shared->record.id), encode_lock(shared->record))},
                 [shared, done = std::move(done)](Result<> w) {
                     if (!w) return done(Unexpected<Error>(std::move(w).error()));
                     done(std::move(*shared));
                 });
}

void Locks::unlock(std::string lock_id, const SecretBytes& passphrase, std::int64_t now_ms, Callback<Secret<32>> done) {
    auto pw = std::make_shared<SecretBytes>(passphrase.clone());
    read_lock(inner_, std::move(lock_id), [inner = &inner_, pw, now_ms, done = std::move(done)](Result<LockRecord> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        // A clock set back before the last failure does not extend the wait.
        if (now_ms >= r->last_failure_ms && now_ms < next_attempt_ms(*r)) {
            const auto wait_s = (next_attempt_ms(*r) - now_ms + 999) / 1000;
            return done(fail("lock.too_soon", "wrong passphrase too often: try again in " + std::to_string(wait_s) + " s"));
        }
        auto key = open_lock(*r, *pw);
        if (!key && key.error().code != "lock.wrong_passphrase") return done(Unexpected<Error>(std::move(key).error()));
        const bool right = key.has_value();
        if (right && r->failed_attempts == 0) return done(std::move(key));
        if (right) {
            r->failed_attempts = 0;
            r->last_failure_ms = 0;
        } else {
            ++r->failed_attempts;
            r->last_failure_ms = now_ms;
        }
        auto result = std::make_shared<Result<Secret<32>>>(std::move(key));
        inner->write({KvWrite::put(lock_key(r->id), encode_lock(*r))}, [result, done](Result<> w) {
            // A right passphrase whose count could not be cleared still unlocks; a wrong one is
            // reported as such even if storage failed (the count then did not grow).
            (void)w;
            done(std::move(*result));
        });
    });
}

void Locks::change_passphrase(std::string lock_id, const SecretBytes& old_passphrase, const SecretBytes& new_passphrase,
                              Argon2Params params, Callback<> done) {
    auto old_pw = std::make_shared<SecretBytes>(old_passphrase.clone());
    auto new_pw = std::make_shared<SecretBytes>(new_passphrase.clone());
    read_lock(inner_, std::move(lock_id), [inner = &inner_, old_pw, new_pw, params, done = std::move(done)](
                                              Result<LockRecord> r) {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        auto key = open_lock(*r, *old_pw);
        if (!key) return done(Unexpected<Error>(std::move(key).error()));
        auto next = rewrap_lock(*r, *key, *new_pw, params);
        if (!next) return done(Unexpected<Error>(std::move(next).error()));
        inner->write({KvWrite::put(lock_key(next->id), encode_lock(*next))}, done);
    });
}

void Locks::seal_records(SealedKvStore& sealed, std::vector<std::string> plain_prefixes, MigrationLimits limits,
                         Callback<bool> done) {
    for (const auto& p : plain_prefixes) {
        if (p.empty() || overlaps(p, "sealed/") || overlaps(p, kLockPrefix))
            return post_result<bool>(loop_, std::move(done),
                                     fail("lock.bad_prefix", "a plain prefix to seal covers lock or sealed records"));
    }
    auto job = std::make_shared<SealJob>();
    job->inner = &inner_;
    job->sealed = &sealed;
    job->prefixes = std::move(plain_prefixes);
    job->limits = limits;
    job->limits.batch_records = std::max<std::size_t>(1, limits.batch_records);
    job->limits.max_batches = std::max<std::size_t>(1, limits.max_batches);  // never done inline
    job->done = std::move(done);
    job->step();
}

void Locks::unseal_records(SealedKvStore& sealed, MigrationLimits limits, Callback<bool> done) {
    auto job = std::make_shared<UnsealJob>();
    job->inner = &inner_;
    job->sealed = &sealed;
    job->limits = limits;
    job->limits.batch_records = std::max<std::size_t>(1, limits.batch_records);
    job->done = std::move(done);
    job->start();
}

// [SECTION] Idle lock

IdleLock::IdleLock(Loop& loop, SealedKvStore& sealed, std::chrono::milliseconds idle, std::function<void()> on_locked)
    : loop_(loop), sealed_(sealed), idle_(idle), on_locked_(std::move(on_locked)), last_touch_(loop.clock().steady()) {
    arm(idle_);
}

IdleLock::~IdleLock() {
    if (timer_) loop_.cancel(timer_);
}

void IdleLock::touch() { last_touch_ = loop_.clock().steady(); }

void IdleLock::arm(std::chrono::milliseconds delay) {
    timer_ = loop_.post_after(delay, [this] {
        timer_ = {};
        fire();
    });
}

void IdleLock::fire() {
    if (sealed_.locked()) return;
    const auto idle_for = loop_.clock().steady() - last_touch_;
    if (idle_for < idle_) return arm(idle_ - idle_for);
    sealed_.lock();
    if (on_locked_) on_locked_();
}

}  // namespace st::store
