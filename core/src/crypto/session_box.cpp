#include "st/crypto/session_box.hpp"

#include <sodium.h>

#include <cstring>

namespace st::crypto::session_box {
namespace {

constexpr std::string_view kEphemeralHashKey = "SessionBoxEphemeralHashKey";

static_assert(crypto_box_SEALBYTES == 48);
static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32);
static_assert(crypto_box_NONCEBYTES == 24 && crypto_sign_BYTES == kSignatureBytes);

// Builds I = M || A || SIG. The buffer first holds M || A || Y (the signed bytes); the signature
// then replaces Y and runs 32 bytes further.
Bytes sign_inner(const Identity& sender, const X25519PublicKey& recipient, ByteView message) {
    const std::size_t m = message.size();
    Bytes inner(m + 32 + kSignatureBytes);
    if (m) std::memcpy(inner.data(), message.data(), m);
    std::memcpy(inner.data() + m, sender.ed25519_public().bytes.data(), 32);
    std::memcpy(inner.data() + m + 32, recipient.bytes.data(), 32);
    std::array<std::uint8_t, kSignatureBytes> sig{};
    crypto_sign_detached(sig.data(), nullptr, inner.data(), m + 64, sender.ed25519_secret().data());
    std::memcpy(inner.data() + m + 32, sig.data(), sig.size());
    return inner;
}

// The sender's X25519 key (its Session ID) from its Ed25519 key. libsodium's conversion first
// proves the point lies in the prime-order subgroup with a full scalar multiplication, which costs
// as much as verifying the signature — a third of the whole receive path — and a client decodes
// message after message from the same few contacts. This pure function is therefore memoised in a
// small direct-mapped table (64 entries, 4 KiB, fixed: untrusted senders can only evict entries).
// Only successful conversions are stored. thread_local, because native tools may decode from
// several threads; wasm has one.
bool ed25519_to_x25519(const Ed25519PublicKey& ed, X25519PublicKey& x) {
    struct Entry {
        std::array<std::uint8_t, 32> ed{}, x{};
        bool used = false;
    };
    thread_local std::array<Entry, 64> memo;
    Entry& e = memo[ed.bytes[0] % memo.size()];
    if (e.used && e.ed == ed.bytes) {
        x.bytes = e.x;
        return true;
    }
    if (crypto_sign_ed25519_pk_to_curve25519(x.bytes.data(), ed.bytes.data()) != 0) return false;
    e.ed = ed.bytes;
    e.x = x.bytes;
    e.used = true;
    return true;
}

Unexpected<Error> bad_recipient() {
    return fail(kErrBadRecipientKey, "the recipient's Session ID is not a usable encryption key");
}

}  // namespace

Result<Bytes> seal(const Identity& sender, const X25519PublicKey& recipient, ByteView message) {
    ensure_sodium_ready();
    Bytes inner = sign_inner(sender, recipient, message);
    Bytes out(inner.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(out.data(), inner.data(), inner.size(), recipient.bytes.data()) != 0)
        return bad_recipient();
    return out;
}

Result<Bytes> seal_deterministic(const Identity& sender, const X25519PublicKey& recipient,
                                 ByteView message) {
    ensure_sodium_ready();
    Bytes inner = sign_inner(sender, recipient, message);

    // The ephemeral seed: keyed BLAKE2b over the sender's Ed25519 seed, the recipient and M.
    Secret<32> seed;
    crypto_generichash_state st;
    crypto_generichash_init(&st, reinterpret_cast<const unsigned char*>(kEphemeralHashKey.data()),
                            kEphemeralHashKey.size(), seed.size());
    crypto_generichash_update(&st, sender.ed25519_secret().data(), 32);
    crypto_generichash_update(&st, recipient.bytes.data(), recipient.bytes.size());
    crypto_generichash_update(&st, message.data(), message.size());
    crypto_generichash_final(&st, seed.data(), seed.size());
    secure_zero(&st, sizeof st);

    std::array<std::uint8_t, 32> eph_pk{};
    Secret<32> eph_sk;
    crypto_box_seed_keypair(eph_pk.data(), eph_sk.data(), seed.data());

    // The sealed-box nonce: BLAKE2b-192(E || Y), exactly as crypto_box_seal derives it.
    std::array<std::uint8_t, crypto_box_NONCEBYTES> nonce{};
    crypto_generichash_init(&st, nullptr, 0, nonce.size());
    crypto_generichash_update(&st, eph_pk.data(), eph_pk.size());
    crypto_generichash_update(&st, recipient.bytes.data(), recipient.bytes.size());
    crypto_generichash_final(&st, nonce.data(), nonce.size());

    Bytes out(eph_pk.size() + inner.size() + crypto_box_MACBYTES);
    std::memcpy(out.data(), eph_pk.data(), eph_pk.size());
    if (crypto_box_easy(out.data() + eph_pk.size(), inner.data(), inner.size(), nonce.data(),
                        recipient.bytes.data(), eph_sk.data()) != 0)
        return bad_recipient();
    return out;
}

Result<Opened> open(const Identity& me, ByteView ciphertext) {
    ensure_sodium_ready();
    if (ciphertext.size() < kMinCiphertext)
        return fail(kErrTooShort, "the encrypted message is " + std::to_string(ciphertext.size()) +
                                      " bytes, shorter than the " + std::to_string(kMinCiphertext) +
                                      " of an empty one");

    Bytes inner(ciphertext.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(inner.data(), ciphertext.data(), ciphertext.size(),
                             me.x25519_public().bytes.data(), me.x25519_secret().data()) != 0)
        return fail(kErrNotForUs, "the message is not encrypted to this account (or corrupted)");

    // I = M || A || SIG. Verify SIG over M || A || Y with Y = our own key: put Y where SIG was.
    const std::size_t m = inner.size() - 32 - kSignatureBytes;
    Ed25519PublicKey sender_ed;
    std::memcpy(sender_ed.bytes.data(), inner.data() + m, 32);
    std::array<std::uint8_t, kSignatureBytes> sig{};
    std::memcpy(sig.data(), inner.data() + m + 32, sig.size());
    std::memcpy(inner.data() + m + 32, me.x25519_public().bytes.data(), 32);
    if (crypto_sign_verify_detached(sig.data(), inner.data(), m + 64, sender_ed.bytes.data()) != 0)
        return fail(kErrBadSignature, "the message's signature does not verify");

    X25519PublicKey sender_x;
    if (!ed25519_to_x25519(sender_ed, sender_x))
        return fail(kErrBadSenderKey, "the sender's key is not a valid account key");

    inner.resize(m);
    return Opened{std::move(inner), sender_ed, SessionId::from_x25519(sender_x)};
}

std::array<std::uint8_t, 64> decoy_pro_signature() {
    ensure_sodium_ready();
    // Two uniformly random scalars r and s. crypto_core_ed25519_scalar_random would draw 32 bytes
    // per attempt and reject about half of them, ~128 random bytes for both; in wasm libsodium
    // asks JavaScript for randomness one byte at a time (~7 µs per byte under node), so draw 32
    // bytes once and expand them: each scalar is a 512-bit BLAKE2b output of the seed under its
    // own label, reduced mod L (statistically uniform, as libsodium's own from_string method).
    Secret<32> seed;
    randombytes_buf(seed.data(), seed.size());
    std::array<std::uint8_t, 64> wide{};
    std::array<std::uint8_t, crypto_core_ed25519_SCALARBYTES> r{};
    std::array<std::uint8_t, 64> out{};
    crypto_generichash(wide.data(), wide.size(), reinterpret_cast<const unsigned char*>("decoy R"),
                       7, seed.data(), seed.size());
    crypto_core_ed25519_scalar_reduce(r.data(), wide.data());
    // Fails only for r = 0 (probability 2^-252); then fall back to libsodium's own sampler.
    while (crypto_scalarmult_ed25519_base_noclamp(out.data(), r.data()) != 0)
        crypto_core_ed25519_scalar_random(r.data());
    crypto_generichash(wide.data(), wide.size(), reinterpret_cast<const unsigned char*>("decoy s"),
                       7, seed.data(), seed.size());
    crypto_core_ed25519_scalar_reduce(out.data() + 32, wide.data());
    secure_zero(r.data(), r.size());
    secure_zero(wide.data(), wide.size());
    return out;
}

}  // namespace st::crypto::session_box
