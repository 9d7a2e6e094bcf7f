// One onion layer (protocol.md §6.2, §6.3): per-hop key agreement, XChaCha20-Poly1305 sealing and
// the layer wire format. Only the "xchacha20" encryption type exists here: AES-GCM is not available
// in wasm libsodium (§11.1), and every snode and server accepts xchacha20.
//
//   key K      = BLAKE2b-256( X25519(e, P) || E || P )    e/E: the client's ephemeral pair for this
//                                                         hop, P: the hop's X25519 public key
//   sealed     = nonce (24) || XChaCha20-Poly1305-IETF_K(nonce, plaintext) || tag (16), no AAD
//   layer blob = N: uint32 little-endian (4) || ciphertext (N bytes) || JSON (UTF-8, the rest)
//
// The destination answers with the same K as its own layer, a fresh nonce, same layout.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/base/secret.hpp"
#include "st/crypto/keys.hpp"

namespace st::onion {

// Error codes of this module.
inline constexpr std::string_view kUnsupportedEnc = "onion.unsupported_enc_type";
inline constexpr std::string_view kBadKey = "onion.bad_key";
inline constexpr std::string_view kTooShort = "onion.too_short";
inline constexpr std::string_view kBadMac = "onion.bad_mac";
inline constexpr std::string_view kBadLayer = "onion.bad_layer";

enum class EncType { xchacha20 };

// "xchacha20", the value of "enc_type" in routing JSON.
std::string_view enc_type_name(EncType type);
// Accepts "xchacha20" and its alias "xchacha20-poly1305". Errors: kUnsupportedEnc (with a reason
// for "aes-gcm"/"gcm": unavailable in the browser build).
Result<EncType> parse_enc_type(std::string_view name);

inline constexpr std::size_t kNonceBytes = 24;
inline constexpr std::size_t kTagBytes = 16;
using Nonce = std::array<std::uint8_t, kNonceBytes>;
using SymmetricKey = Secret<32>;

struct EphemeralKeyPair {
    crypto::X25519SecretKey sk;
    crypto::X25519PublicKey pk;
};
// A fresh pair from libsodium's randomness.
EphemeralKeyPair generate_ephemeral();
// The pair of a given secret (pk = X25519_base(sk)); for known-answer tests.
EphemeralKeyPair ephemeral_from_secret(crypto::X25519SecretKey sk);

// The client's K for a hop. Errors: kBadKey (a low-order node key: the shared secret is zero).
Result<SymmetricKey> client_key(const crypto::X25519SecretKey& e, const crypto::X25519PublicKey& E,
                                const crypto::X25519PublicKey& P);
// The same K computed by the node from its own key pair and the client's E.
Result<SymmetricKey> node_key(const crypto::X25519SecretKey& p, const crypto::X25519PublicKey& P,
                              const crypto::X25519PublicKey& E);

// nonce || ciphertext || tag, with a random nonce or a given one (known-answer tests).
Bytes encrypt(const SymmetricKey& key, ByteView plaintext);
Bytes encrypt_with_nonce(const SymmetricKey& key, ByteView plaintext, const Nonce& nonce);
// Errors: kTooShort (under 40 bytes), kBadMac (wrong key or altered bytes).
Result<Bytes> decrypt(const SymmetricKey& key, ByteView sealed);

// Layer wire format. Errors of split_layer: kBadLayer (shorter than 4 bytes, or N past the end).
Bytes encode_layer(ByteView ciphertext, std::string_view json);
struct LayerParts {
    ByteView ciphertext;  // views into the blob given to split_layer
    std::string_view json;
};
Result<LayerParts> split_layer(ByteView blob);

}  // namespace st::onion
