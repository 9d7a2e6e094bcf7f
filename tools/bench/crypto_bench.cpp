// The libsodium primitives Session Tab depends on, timed identically natively and in wasm.
#include <sodium.h>

#include <array>
#include <vector>

#include "bench.hpp"
#include "st/crypto/keys.hpp"

namespace {

struct Keys {
    std::array<unsigned char, 32> ed_pk{}, x_pk{}, x_sk{}, peer_pk{};
    std::array<unsigned char, 64> ed_sk{};
    Keys() {
        st::crypto::ensure_sodium_ready();
        crypto_sign_keypair(ed_pk.data(), ed_sk.data());
        crypto_box_keypair(x_pk.data(), x_sk.data());
        std::array<unsigned char, 32> unused{};
        crypto_box_keypair(peer_pk.data(), unused.data());
    }
};
const Keys& keys() {
    static const Keys k;
    return k;
}

std::vector<unsigned char> message(std::size_t n) { return std::vector<unsigned char>(n, 0x5a); }

}  // namespace

ST_BENCH("crypto/ed25519_sign_1k") {
    auto m = message(1024);
    std::array<unsigned char, 64> sig{};
    for (std::uint64_t i = 0; i < iterations; ++i) {
        crypto_sign_detached(sig.data(), nullptr, m.data(), m.size(), keys().ed_sk.data());
        st::bench::keep(sig);
    }
}

ST_BENCH("crypto/ed25519_verify_1k") {
    auto m = message(1024);
    std::array<unsigned char, 64> sig{};
    crypto_sign_detached(sig.data(), nullptr, m.data(), m.size(), keys().ed_sk.data());
    for (std::uint64_t i = 0; i < iterations; ++i) {
        int ok = crypto_sign_verify_detached(sig.data(), m.data(), m.size(), keys().ed_pk.data());
        st::bench::keep(ok);
    }
}

ST_BENCH("crypto/x25519_scalarmult") {
    std::array<unsigned char, 32> shared{};
    for (std::uint64_t i = 0; i < iterations; ++i) {
        int rc = crypto_scalarmult(shared.data(), keys().x_sk.data(), keys().peer_pk.data());
        st::bench::keep(rc);
        st::bench::keep(shared);
    }
}

ST_BENCH("crypto/box_seal_1k") {
    auto m = message(1024);
    std::vector<unsigned char> c(m.size() + crypto_box_SEALBYTES);
    for (std::uint64_t i = 0; i < iterations; ++i) {
        crypto_box_seal(c.data(), m.data(), m.size(), keys().x_pk.data());
        st::bench::keep(c[0]);
    }
}

ST_BENCH("crypto/box_seal_open_1k") {
    auto m = message(1024);
    std::vector<unsigned char> c(m.size() + crypto_box_SEALBYTES), out(m.size());
    crypto_box_seal(c.data(), m.data(), m.size(), keys().x_pk.data());
    for (std::uint64_t i = 0; i < iterations; ++i) {
        int rc = crypto_box_seal_open(out.data(), c.data(), c.size(), keys().x_pk.data(), keys().x_sk.data());
        st::bench::keep(rc);
    }
}

static void xchacha(std::uint64_t iterations, std::size_t size) {
    auto m = message(size);
    std::vector<unsigned char> c(size + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key{};
    std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
    for (std::uint64_t i = 0; i < iterations; ++i) {
        unsigned long long clen = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(c.data(), &clen, m.data(), m.size(), nullptr, 0,
                                                   nullptr, nonce.data(), key.data());
        st::bench::keep(c[0]);
    }
}

ST_BENCH("crypto/xchacha20poly1305_encrypt_1k") { xchacha(iterations, 1024); }
ST_BENCH("crypto/xchacha20poly1305_encrypt_1m") { xchacha(iterations, 1024 * 1024); }

ST_BENCH("crypto/blake2b_256_1k") {
    auto m = message(1024);
    std::array<unsigned char, 32> h{};
    for (std::uint64_t i = 0; i < iterations; ++i) {
        crypto_generichash(h.data(), h.size(), m.data(), m.size(), nullptr, 0);
        st::bench::keep(h);
    }
}

ST_BENCH("crypto/argon2id_interactive") {
    std::array<unsigned char, 32> key{};
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
    const char password[] = "correct horse battery staple";
    for (std::uint64_t i = 0; i < iterations; ++i) {
        int rc = crypto_pwhash(key.data(), key.size(), password, sizeof password - 1, salt.data(),
                               crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                               crypto_pwhash_ALG_ARGON2ID13);
        st::bench::keep(rc);
    }
}
