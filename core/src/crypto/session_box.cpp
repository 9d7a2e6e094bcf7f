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
    crypto_sign_detached(sig.data(), nullptr, inner.data(), m + 64,
                         sender.ed25519_secret().data());
    std::memcpy(inner.data() + m + 32, sig.data(), sig.size());
    return inner;
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
                                      " bytes, shorter than the " +
                                      std::to_string(kMinCiphertext) + " of an empty one");

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
    if (crypto_sign_ed25519_pk_to_curve25519(sender_x.bytes.data(), sender_ed.bytes.data()) != 0)
        return fail(kErrBadSenderKey, "the sender's key is not a valid account key");

    inner.resize(m);
    return Opened{std::move(inner), sender_ed, SessionId::from_x25519(sender_x)};
}

std::array<std::uint8_t, 64> decoy_pro_signature() {
    ensure_sodium_ready();
    std::array<std::uint8_t, 64> out{};
    std::array<std::uint8_t, crypto_core_ed25519_SCALARBYTES> r{};
    crypto_core_ed25519_scalar_random(r.data());
    // r is a non-zero reduced scalar, so r·B is a valid point and this cannot fail.
    crypto_scalarmult_ed25519_base_noclamp(out.data(), r.data());
    crypto_core_ed25519_scalar_random(out.data() + 32);
    secure_zero(r.data(), r.size());
    return out;
}

}  // namespace st::crypto::session_box
