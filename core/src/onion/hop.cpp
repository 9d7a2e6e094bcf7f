#include "st/onion/hop.hpp"

#include <sodium.h>

#include <cstring>

namespace st::onion {

std::string_view enc_type_name(EncType) { return "xchacha20"; }

Result<EncType> parse_enc_type(std::string_view name) {
    if (name == "xchacha20" || name == "xchacha20-poly1305") return EncType::xchacha20;
    if (name == "aes-gcm" || name == "gcm")
        return fail(kUnsupportedEnc,
                    "enc type '" + std::string(name) +
                        "' is not supported: AES-GCM is unavailable in the browser build; use "
                        "xchacha20");
    return fail(kUnsupportedEnc, "unknown enc type (expected xchacha20)");
}

EphemeralKeyPair generate_ephemeral() {
    crypto::ensure_sodium_ready();
    crypto::X25519SecretKey sk;
    randombytes_buf(sk.data(), sk.size());
    return ephemeral_from_secret(std::move(sk));
}

EphemeralKeyPair ephemeral_from_secret(crypto::X25519SecretKey sk) {
    crypto::ensure_sodium_ready();
    crypto::X25519PublicKey pk;
    crypto_scalarmult_base(pk.bytes.data(), sk.data());
    return {std::move(sk), pk};
}

namespace {

// K = BLAKE2b-256(shared || E || P); the client passes X25519(e, P), the node X25519(p, E).
Result<SymmetricKey> derive(const crypto::X25519SecretKey& secret,
                            const crypto::X25519PublicKey& other, const crypto::X25519PublicKey& E,
                            const crypto::X25519PublicKey& P) {
    crypto::ensure_sodium_ready();
    Secret<32> shared;
    if (crypto_scalarmult(shared.data(), secret.data(), other.bytes.data()) != 0)
        return fail(kBadKey, "a hop's X25519 key gives no usable shared secret");
    SymmetricKey key;
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    crypto_generichash_update(&st, shared.data(), shared.size());
    crypto_generichash_update(&st, E.bytes.data(), E.bytes.size());
    crypto_generichash_update(&st, P.bytes.data(), P.bytes.size());
    crypto_generichash_final(&st, key.data(), key.size());
    secure_zero(&st, sizeof st);
    return key;
}

}  // namespace

Result<SymmetricKey> client_key(const crypto::X25519SecretKey& e, const crypto::X25519PublicKey& E,
                                const crypto::X25519PublicKey& P) {
    return derive(e, P, E, P);
}

Result<SymmetricKey> node_key(const crypto::X25519SecretKey& p, const crypto::X25519PublicKey& P,
                              const crypto::X25519PublicKey& E) {
    return derive(p, E, E, P);
}

Bytes encrypt(const SymmetricKey& key, ByteView plaintext) {
    crypto::ensure_sodium_ready();
    Nonce nonce;
    randombytes_buf(nonce.data(), nonce.size());
    return encrypt_with_nonce(key, plaintext, nonce);
}

Bytes encrypt_with_nonce(const SymmetricKey& key, ByteView plaintext, const Nonce& nonce) {
    crypto::ensure_sodium_ready();
    Bytes out(kNonceBytes + plaintext.size() + kTagBytes);
    std::memcpy(out.data(), nonce.data(), kNonceBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceBytes, &written, plaintext.data(),
                                               plaintext.size(), nullptr, 0, nullptr, nonce.data(),
                                               key.data());
    return out;
}

Result<Bytes> decrypt(const SymmetricKey& key, ByteView sealed) {
    crypto::ensure_sodium_ready();
    if (sealed.size() < kNonceBytes + kTagBytes)
        return fail(kTooShort, "an encrypted onion part must hold at least 40 bytes, not " +
                                   std::to_string(sealed.size()));
    Bytes out(sealed.size() - kNonceBytes - kTagBytes);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            out.data(), &written, nullptr, sealed.data() + kNonceBytes, sealed.size() - kNonceBytes,
            nullptr, 0, sealed.data(), key.data()) != 0)
        return fail(kBadMac, "an onion part did not decrypt (wrong key or altered bytes)");
    out.resize(static_cast<std::size_t>(written));
    return out;
}

Bytes encode_layer(ByteView ciphertext, std::string_view json) {
    Bytes out;
    out.reserve(4 + ciphertext.size() + json.size());
    const auto n = static_cast<std::uint32_t>(ciphertext.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    out.insert(out.end(), json.begin(), json.end());
    return out;
}

Result<LayerParts> split_layer(ByteView blob) {
    if (blob.size() < 4) return fail(kBadLayer, "an onion layer is shorter than its length prefix");
    std::uint64_t n = 0;
    for (int i = 3; i >= 0; --i) n = (n << 8) | blob[static_cast<std::size_t>(i)];
    if (n > blob.size() - 4)
        return fail(kBadLayer, "an onion layer's length prefix points past its end");
    const auto len = static_cast<std::size_t>(n);
    return LayerParts{blob.subspan(4, len), as_chars(blob.subspan(4 + len))};
}

}  // namespace st::onion
