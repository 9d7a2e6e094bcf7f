// Passphrase locks (issue 16, docs/lock.md): the public lock record of a locked account, the
// passphrase → data key derivation (Argon2id), the growing delay after wrong passphrases, and the
// crash-safe migrations that seal an account's plain records or unseal them again.
//
// Lock record, key "lock/<lock id>" (lock id: 32 random hex digits, unrelated to the account), in
// plain so the lock screen can list locks before any passphrase is known. Binary, big-endian:
//   version (1) = 1 | state (1) | opslimit (4) | memlimit KiB (4) | salt (16) | nonce (24)
//   | wrapped data key (48: XChaCha20-Poly1305-IETF of the 32-byte key + 16-byte tag)
//   | failed attempts (4) | last failure ms (8) | public name (UTF-8, the rest)
// Passphrase key = Argon2id13(passphrase, salt, opslimit, memlimit) (crypto_pwhash,
// https://doc.libsodium.org/password_hashing/default_phf). It only wraps the random data key,
// associated data "st-lock-v1" | lock id | opslimit | memlimit | salt; so the wrap is also the
// passphrase verifier, and changing the passphrase rewrites only the lock record (one batch).
// The data key never leaves memory; SealedKvStore derives its subkeys from it.
//
// Errors: "lock.wrong_passphrase", "lock.too_soon" (a delay after wrong passphrases still runs;
// next_attempt_ms says until when), "lock.empty_passphrase", "lock.not_found",
// "lock.bad_record", "lock.bad_params", "lock.kdf_failed" (Argon2id could not get its memory),
// "lock.bad_prefix", and the stores' errors. Argon2id runs synchronously on the caller's thread
// for up to about a second (kDefaultArgon2Params): show "Unlocking…" before calling.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/loop.hpp"
#include "st/base/secret.hpp"
#include "st/store/kv_store.hpp"
#include "st/store/sealed_kv_store.hpp"

namespace st::store {

struct Argon2Params {
    std::uint32_t opslimit = 0;
    std::uint32_t memlimit_kib = 0;
};
// Chosen from tools/bench/lock_bench.cpp measurements (docs/lock.md: about 0.2 s in wasm under
// node on the build machine, so ≤ 1 s on a phone-class CPU assumed 4× slower). It is also
// RFC 9106's second recommended option (t = 3, m = 64 MiB) with one lane, as libsodium has.
inline constexpr Argon2Params kDefaultArgon2Params{3, 64 * 1024};
// The smallest libsodium accepts (crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN): tests.
inline constexpr Argon2Params kTestArgon2Params{1, 8};

// Ready: every record of the account is sealed. Sealing / Unsealing: a migration was started and
// must be finished (seal_records / unseal_records again) before the account is used.
enum class LockState : std::uint8_t { Ready = 0, Sealing = 1, Unsealing = 2 };

struct LockRecord {
    std::string id;  // the key is lock_key(id); not part of the encoded value
    LockState state = LockState::Ready;
    Argon2Params params;
    std::array<std::uint8_t, 16> salt{};
    std::array<std::uint8_t, 24> nonce{};
    std::array<std::uint8_t, 48> wrapped_key{};
    std::uint32_t failed_attempts = 0;
    std::int64_t last_failure_ms = 0;  // unix ms of the last wrong passphrase
    std::string public_name;           // the only thing the lock screen shows before unlocking
};

inline constexpr std::string_view kLockPrefix = "lock/";
std::string lock_key(std::string_view lock_id);
Bytes encode_lock(const LockRecord& record);
Result<LockRecord> decode_lock(std::string lock_id, ByteView value);

// The wait before the next attempt after `failed_attempts` wrong passphrases in a row: none for
// the first three, then 1 s, 2 s, 4 s, … doubling up to 5 minutes. A pure function; the count and
// the time of the last failure are persisted in the lock record, so a reload does not reset them.
std::chrono::milliseconds unlock_delay(std::uint32_t failed_attempts);
// Unix ms from which the next attempt is accepted.
std::int64_t next_attempt_ms(const LockRecord& record);

struct NewLock {
    LockRecord record;
    Secret<32> data_key;
};

// Synchronous crypto (no store). make_lock draws the lock id, salt and data key at random.
Result<NewLock> make_lock(const SecretBytes& passphrase, std::string public_name, Argon2Params params);
Result<Secret<32>> open_lock(const LockRecord& record, const SecretBytes& passphrase);
// The record with the same data key wrapped under another passphrase (new salt and nonce).
Result<LockRecord> rewrap_lock(const LockRecord& record, const Secret<32>& data_key,
                               const SecretBytes& new_passphrase, Argon2Params params);

// How much one migration call does: records per write batch, and batches before it returns
// (false: not finished; call again). Tests stop half-way with max_batches.
struct MigrationLimits {
    std::size_t batch_records = 200;
    std::size_t max_batches = std::numeric_limits<std::size_t>::max();
};

// The lock records of the inner store (the plain KvStore of the browser) and what changes them.
// Callbacks run from the Loop, exactly once. The Locks object may go away before they run.
class Locks {
public:
    Locks(Loop& loop, KvStore& inner) : loop_(loop), inner_(inner) {}

    // Every lock record, for the lock screen (public names, failed attempts, next attempt time).
    void list(Callback<std::vector<LockRecord>> done);
    // Makes a lock (state Sealing) and writes its record; then call seal_records with a
    // SealedKvStore over the returned data key to seal the account's plain records.
    void create(const SecretBytes& passphrase, std::string public_name, Argon2Params params,
                Callback<NewLock> done);
    // The data key, or "lock.wrong_passphrase" once the failure is durable in the lock record,
    // or "lock.too_soon" (no attempt made) while a delay runs. A success clears the count.
    void unlock(std::string lock_id, const SecretBytes& passphrase, std::int64_t now_ms,
                Callback<Secret<32>> done);
    // Re-wraps the data key: one write of the lock record, so a closed tab leaves either the old
    // or the new passphrase working, never neither. Records are not touched.
    void change_passphrase(std::string lock_id, const SecretBytes& old_passphrase,
                           const SecretBytes& new_passphrase, Argon2Params params, Callback<> done);

    // Enabling, step 2 (and its resumption while the record says Sealing): moves the plain
    // records under `plain_prefixes` (e.g. "accounts/<id>" and "acct/<id>/") into `sealed`, each
    // batch putting the sealed form and erasing the plain one atomically, then marks the lock
    // Ready. true when finished.
    void seal_records(SealedKvStore& sealed, std::vector<std::string> plain_prefixes,
                      MigrationLimits limits, Callback<bool> done);
    // Removing the passphrase (and its resumption while the record says Unsealing): marks the lock
    // Unsealing, moves every sealed record back to its plain key in atomic batches, then erases
    // the lock record. true when finished; `sealed` is empty and useless then.
    void unseal_records(SealedKvStore& sealed, MigrationLimits limits, Callback<bool> done);

private:
    Loop& loop_;
    KvStore& inner_;
};

// The idle lock: locks `sealed` once `idle` has passed (steady clock of the Loop) without
// touch(), then calls `on_locked` (the host closes the account session: no polling, views
// dropped, and shows the lock screen). touch() only records the time, so the host may call it on
// every input event; one timer is pending at a time. Destroying the IdleLock cancels it.
class IdleLock {
public:
    IdleLock(Loop& loop, SealedKvStore& sealed, std::chrono::milliseconds idle, std::function<void()> on_locked);
    ~IdleLock();
    IdleLock(const IdleLock&) = delete;
    IdleLock& operator=(const IdleLock&) = delete;

    void touch();

private:
    void arm(std::chrono::milliseconds delay);
    void fire();

    Loop& loop_;
    SealedKvStore& sealed_;
    std::chrono::milliseconds idle_;
    std::function<void()> on_locked_;
    std::chrono::milliseconds last_touch_;
    TimerId timer_{};
};

}  // namespace st::store
