// A service node's cryptography (protocol.md §5.3, §5.5, §6.2): its Ed25519/X25519 identity,
// request-signature checks, message hashes, and the per-hop onion channel encryption seen from
// the node's side.
//
// Channel encryption, given the client's ephemeral X25519 key E and the node's key pair (b, B):
//   aes-gcm    K = HMAC-SHA256(key = "LOKI", X25519(b, E));  blob = iv(12) ‖ AES-256-GCM ‖ tag(16)
//   xchacha20  K = BLAKE2b-256(X25519(b, E) ‖ E ‖ B);        blob = nonce(24) ‖ XChaCha20-Poly1305
// The reply to a request is encrypted with the same K and a fresh random nonce.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace devnet {

using Key32 = std::array<unsigned char, 32>;

// Must be called once before anything else here (initialises libsodium).
void crypto_init();

// A node identity. The Ed25519 seed is the only secret persisted; the X25519 pair is derived from
// it with the standard Ed25519→Curve25519 conversion, as oxend does for service nodes.
class NodeKeys {
public:
    static NodeKeys from_seed(const Key32& seed);
    static NodeKeys generate();
    ~NodeKeys();
    NodeKeys(const NodeKeys&);
    NodeKeys& operator=(const NodeKeys&);

    const Key32& seed() const { return seed_; }
    const Key32& ed_pk() const { return ed_pk_; }
    const Key32& x_pk() const { return x_pk_; }
    std::string ed_hex() const;
    std::string x_hex() const;

    // Detached Ed25519 signature (64 raw bytes).
    std::string sign(std::string_view message) const;

    // K for a layer sent with `client_ephemeral` (nullopt for a degenerate key).
    std::optional<Key32> layer_key(bool xchacha, const Key32& client_ephemeral) const;
    // Decrypts one onion layer addressed to this node; nullopt if it does not authenticate.
    std::optional<std::string> decrypt(bool xchacha, std::string_view blob,
                                       const Key32& client_ephemeral) const;
    // Encrypts a reply for the client that sent `client_ephemeral`.
    std::string encrypt(bool xchacha, std::string_view plaintext,
                        const Key32& client_ephemeral) const;

private:
    NodeKeys() = default;
    Key32 seed_{};
    std::array<unsigned char, 64> ed_sk_{};
    Key32 ed_pk_{};
    Key32 x_sk_{};
    Key32 x_pk_{};
};

// The pieces: derive K (nullopt for a degenerate ephemeral key), open or seal with K.
std::optional<Key32> channel_key(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                                 const Key32& client_ephemeral);
std::optional<std::string> channel_open(bool xchacha, const Key32& key, std::string_view blob);
std::string channel_seal(bool xchacha, const Key32& key, std::string_view plaintext);

// The same channel encryption on a bare X25519 key pair (the node's, or a test vector's).
std::optional<std::string> channel_decrypt(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                                           std::string_view blob, const Key32& client_ephemeral);
std::string channel_encrypt(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                            std::string_view plaintext, const Key32& client_ephemeral);

// Verifies a detached Ed25519 signature (64 raw bytes) by `ed_pk` over `message`.
bool verify_signature(std::string_view signature, std::string_view message, const Key32& ed_pk);

// The X25519 key corresponding to an Ed25519 public key; nullopt if it is not a valid point.
std::optional<Key32> ed_to_x25519(const Key32& ed_pk);

// §5.5: base64 (unpadded) of BLAKE2b-256(type ‖ pubkey32 ‖ NS ‖ data), NS empty for namespace 0.
std::string message_hash(std::string_view owner33, int ns, std::string_view data);

}  // namespace devnet
