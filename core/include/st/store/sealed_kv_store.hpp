// SealedKvStore: the at-rest encryption layer of a passphrase-locked account (issue 16,
// docs/lock.md). A KvStore decorator: the caller sees ordinary logical keys and values; the inner
// store only ever holds keys that do not reveal names and values that are sealed.
//
// Stored key (under sealed_prefix(lock_id) = "sealed/<lock id>/"): the logical key split at '/',
// each segment mapped on its own, joined with '/':
//   - a segment of exactly 16 lowercase hex digits (key::be64: timestamps) stays as it is, so
//     time-ordered paging keeps working in the inner store;
//   - any other segment (account id, peer id, record names, "o"/"i", empty) becomes
//     "~" + hex(BLAKE2b-128 keyed with the names subkey over the logical key up to the end of
//     that segment). Chaining over the whole path means equal segments at different places
//     ("o" under two timestamps, a peer under conv/ and msg/) give unrelated tokens.
// Stored value: 0x01 | nonce (24, random per write) | XChaCha20-Poly1305-IETF ciphertext of
//   sodium_pad_64(u32be key length | logical key | value), associated data = 0x01 | stored key.
// The stored key is a keyed, collision-resistant function of the logical key and the logical key
// travels inside the ciphertext, so a value copied or moved to any other key fails to open
// ("store.tampered"), never returns garbage. (Associated data is the stored key rather than the
// logical key because a scan only learns the logical key by opening the value.)
//
// Order: scans return logical key order, as the KvStore contract says. Where the stored order can
// differ (siblings under hashed tokens), entries are read by "group" — all keys sharing the stored
// key up to its first hashed segment below the scanned prefix — and each group is sorted after
// opening. A conversation's messages (msg/<peer>/<be64>/<o|i>) form groups of one or two, so
// paging stays one short read; a scan of contacts is one group (it reads them all, as the app
// does anyway). Not preserved: the order between siblings of which some are 16-hex-digit
// numbers and others are not (numbers come first); the app has no such siblings.
//
// Errors: "store.locked" (lock() was called: every operation refuses, decrypted data dropped),
// "store.tampered" (a stored value fails to open or does not belong to its key), and the inner
// store's errors. Callbacks run from the Loop, never inline.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "st/base/loop.hpp"
#include "st/base/secret.hpp"
#include "st/store/kv_store.hpp"

namespace st::store {

// The inner-store prefix of every sealed record of a lock: "sealed/<lock id>/".
std::string sealed_prefix(std::string_view lock_id);

class SealedKvStore final : public KvStore {
public:
    // `data_key` is the lock's random data key (lock.hpp unlock()); the store keeps only two
    // subkeys derived from it (crypto_kdf: values, names) and zeroes the rest.
    SealedKvStore(Loop& loop, KvStore& inner, std::string lock_id, Secret<32> data_key);
    ~SealedKvStore() override;

    SealedKvStore(const SealedKvStore&) = delete;
    SealedKvStore& operator=(const SealedKvStore&) = delete;

    void get(std::string key, Callback<std::optional<Bytes>> done) override;
    void write(std::vector<KvWrite> batch, Callback<> done) override;
    void scan(std::string prefix, std::string cursor, std::size_t limit,
              Callback<std::vector<KvEntry>> done,
              ScanOrder order = ScanOrder::Ascending) override;
    // A prefix ending at a segment boundary ("acct/<id>/", "") is one inner erase_prefix. A prefix
    // ending mid-segment is a scan then one erase batch (a write queued between the two that adds
    // a matching key survives).
    void erase_prefix(std::string prefix, Callback<> done) override;

    // Zeroes the subkeys. Every later call, and every call still waiting for the inner store,
    // fails with "store.locked"; plaintext already decrypted for it is zeroed and dropped.
    void lock();
    bool locked() const;

    const std::string& lock_id() const { return lock_id_; }
    const std::string& inner_prefix() const { return inner_prefix_; }

    // For migrations (lock.hpp): the inner write for one logical write, and the logical entry of
    // one stored entry. Fail with "store.locked" / "store.tampered".
    Result<KvWrite> seal(KvWrite logical) const;
    Result<KvEntry> open(const KvEntry& stored) const;
    // The stored key of a logical key (tests and docs: what the inner store sees).
    Result<std::string> stored_key(std::string_view logical) const;

    struct State;  // the subkeys and the locked flag, shared with pending callbacks

private:
    Loop& loop_;
    KvStore& inner_;
    std::string lock_id_;
    std::string inner_prefix_;
    std::shared_ptr<State> state_;
};

}  // namespace st::store
