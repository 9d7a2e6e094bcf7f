#include "st/crypto/identity.hpp"

#include <sodium.h>

#include <cassert>
#include <cstring>

namespace st::crypto {

Identity::Identity(AccountSeed seed, Ed25519PublicKey ed_pk, Ed25519SecretKey ed_sk,
                   X25519PublicKey x_pk, X25519SecretKey x_sk)
    : seed_(std::move(seed)),
      ed_pk_(ed_pk),
      ed_sk_(std::move(ed_sk)),
      x_pk_(x_pk),
      x_sk_(std::move(x_sk)),
      session_id_(SessionId::from_x25519(x_pk)) {}

Identity Identity::generate() {
    ensure_sodium_ready();
    AccountSeed seed;
    randombytes_buf(seed.data(), seed.size());
    return from_seed(seed);
}

Identity Identity::from_seed(const AccountSeed& seed) {
    ensure_sodium_ready();
    // Session pads the 16-byte account seed with 16 zero bytes to make the Ed25519 seed (§1.1).
    Secret<32> ed_seed;
    std::memcpy(ed_seed.data(), seed.data(), seed.size());

    Ed25519PublicKey ed_pk;
    Ed25519SecretKey ed_sk;
    crypto_sign_seed_keypair(ed_pk.bytes.data(), ed_sk.data(), ed_seed.data());

    X25519PublicKey x_pk;
    X25519SecretKey x_sk;
    // The conversion fails only for points of small order, which a key made from a seed never is.
    [[maybe_unused]] int rc = crypto_sign_ed25519_pk_to_curve25519(x_pk.bytes.data(), ed_pk.bytes.data());
    assert(rc == 0);
    crypto_sign_ed25519_sk_to_curve25519(x_sk.data(), ed_sk.data());

    return Identity(seed.clone(), ed_pk, std::move(ed_sk), x_pk, std::move(x_sk));
}

Result<Identity> Identity::from_seed_hex(std::string_view hex) {
    AccountSeed seed;
    if (hex.size() != seed.size() * 2)
        return fail("seed.bad_length", "the seed must be 16 bytes written as 32 hex digits; got " +
                                           std::to_string(hex.size()) + " characters");
    if (!from_hex_into(hex, seed.mutable_view()))
        return fail("seed.bad_hex", "the seed must be written with hex digits only (0-9, a-f)");
    return from_seed(seed);
}

Identity Identity::clone() const {
    return Identity(seed_.clone(), ed_pk_, ed_sk_.clone(), x_pk_, x_sk_.clone());
}

}  // namespace st::crypto
