// An account's identity (protocol.md §1): everything derives from a 16-byte seed.
//
//   ed25519 seed (32) = account seed (16) || 16 zero bytes
//   (ed_pk, ed_sk)    = crypto_sign_seed_keypair(ed25519 seed)
//   x_pk              = crypto_sign_ed25519_pk_to_curve25519(ed_pk)
//   x_sk              = crypto_sign_ed25519_sk_to_curve25519(ed_sk)
//   Session ID        = "05" || hex(x_pk)
#pragma once

#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"
#include "st/crypto/session_id.hpp"

namespace st::crypto {

class Identity {
public:
    // A new account from libsodium's randomness (crypto.getRandomValues in a browser).
    static Identity generate();
    // Deterministic: the same seed always gives the same keys. Never fails for a 16-byte seed.
    static Identity from_seed(const AccountSeed& seed);
    // From 32 hex characters (the command line's form of the seed). Errors: "seed.bad_hex",
    // "seed.bad_length".
    static Result<Identity> from_seed_hex(std::string_view hex);

    Identity(Identity&&) noexcept = default;
    Identity& operator=(Identity&&) noexcept = default;
    Identity clone() const;

    const AccountSeed& seed() const { return seed_; }
    const Ed25519PublicKey& ed25519_public() const { return ed_pk_; }
    const Ed25519SecretKey& ed25519_secret() const { return ed_sk_; }
    const X25519PublicKey& x25519_public() const { return x_pk_; }
    const X25519SecretKey& x25519_secret() const { return x_sk_; }
    const SessionId& session_id() const { return session_id_; }

private:
    Identity(AccountSeed seed, Ed25519PublicKey ed_pk, Ed25519SecretKey ed_sk, X25519PublicKey x_pk,
             X25519SecretKey x_sk);

    AccountSeed seed_;
    Ed25519PublicKey ed_pk_;
    Ed25519SecretKey ed_sk_;
    X25519PublicKey x_pk_;
    X25519SecretKey x_sk_;
    SessionId session_id_;
};

}  // namespace st::crypto
