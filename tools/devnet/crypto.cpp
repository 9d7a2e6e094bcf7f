#include "crypto.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <memory>
#include <stdexcept>

#include "util.hpp"

namespace devnet {
namespace {

constexpr std::size_t kGcmIv = 12;
constexpr std::size_t kGcmTag = 16;
constexpr std::size_t kXNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kXTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* uc(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// AES-256-GCM with a 12-byte IV and 16-byte tag, no associated data.
bool gcm_crypt(bool encrypt, const Key32& key, const unsigned char* iv, const unsigned char* in,
               std::size_t in_len, unsigned char* out, unsigned char* tag) {
    CipherCtx ctx{EVP_CIPHER_CTX_new()};
    if (!ctx) return false;
    if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1)
        return false;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmIv), nullptr) != 1)
        return false;
    if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv, -1) != 1) return false;
    int len = 0;
    if (in_len > 0 &&
        EVP_CipherUpdate(ctx.get(), out, &len, in, static_cast<int>(in_len)) != 1)
        return false;
    if (!encrypt &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTag), tag) != 1)
        return false;
    int fin = 0;
    if (EVP_CipherFinal_ex(ctx.get(), out + len, &fin) != 1) return false;
    if (encrypt &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTag), tag) != 1)
        return false;
    return true;
}

// aes-gcm: HMAC-SHA256 keyed with the 4 ASCII bytes "LOKI" over the X25519 shared secret (a plain
// HMAC, not HKDF). crypto_auth_hmacsha256() wants a 32-byte key, so use the streaming form.
void gcm_key(const Key32& shared, Key32& key) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, uc("LOKI"), 4);
    crypto_auth_hmacsha256_update(&st, shared.data(), shared.size());
    crypto_auth_hmacsha256_final(&st, key.data());
}

// xchacha20: unkeyed BLAKE2b-256 of shared ‖ client ephemeral ‖ node key (client key first).
void xchacha_key(const Key32& shared, const Key32& client, const Key32& node, Key32& key) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, key.size());
    crypto_generichash_update(&st, shared.data(), shared.size());
    crypto_generichash_update(&st, client.data(), client.size());
    crypto_generichash_update(&st, node.data(), node.size());
    crypto_generichash_final(&st, key.data(), key.size());
}

}  // namespace

void crypto_init() {
    if (sodium_init() < 0) throw std::runtime_error{"libsodium failed to initialise"};
}

NodeKeys NodeKeys::from_seed(const Key32& seed) {
    NodeKeys k;
    k.seed_ = seed;
    crypto_sign_seed_keypair(k.ed_pk_.data(), k.ed_sk_.data(), seed.data());
    if (crypto_sign_ed25519_sk_to_curve25519(k.x_sk_.data(), k.ed_sk_.data()) != 0 ||
        crypto_sign_ed25519_pk_to_curve25519(k.x_pk_.data(), k.ed_pk_.data()) != 0)
        throw std::runtime_error{"Ed25519 to X25519 conversion failed"};
    return k;
}

NodeKeys NodeKeys::generate() {
    Key32 seed;
    randombytes_buf(seed.data(), seed.size());
    auto k = from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    return k;
}

NodeKeys::~NodeKeys() {
    sodium_memzero(seed_.data(), seed_.size());
    sodium_memzero(ed_sk_.data(), ed_sk_.size());
    sodium_memzero(x_sk_.data(), x_sk_.size());
}
NodeKeys::NodeKeys(const NodeKeys&) = default;
NodeKeys& NodeKeys::operator=(const NodeKeys&) = default;

std::string NodeKeys::ed_hex() const {
    return to_hex({reinterpret_cast<const char*>(ed_pk_.data()), ed_pk_.size()});
}
std::string NodeKeys::x_hex() const {
    return to_hex({reinterpret_cast<const char*>(x_pk_.data()), x_pk_.size()});
}

std::string NodeKeys::sign(std::string_view message) const {
    std::string sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, uc(message),
                         message.size(), ed_sk_.data());
    return sig;
}

std::optional<Key32> NodeKeys::layer_key(bool xchacha, const Key32& eph) const {
    return channel_key(x_sk_, x_pk_, xchacha, eph);
}

std::optional<std::string> NodeKeys::decrypt(bool xchacha, std::string_view blob,
                                             const Key32& eph) const {
    return channel_decrypt(x_sk_, x_pk_, xchacha, blob, eph);
}

std::string NodeKeys::encrypt(bool xchacha, std::string_view plaintext, const Key32& eph) const {
    return channel_encrypt(x_sk_, x_pk_, xchacha, plaintext, eph);
}

std::optional<Key32> channel_key(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                                 const Key32& eph) {
    Key32 shared;
    if (crypto_scalarmult(shared.data(), x_sk.data(), eph.data()) != 0) return std::nullopt;
    Key32 key;
    if (xchacha)
        xchacha_key(shared, eph, x_pk, key);
    else
        gcm_key(shared, key);
    sodium_memzero(shared.data(), shared.size());
    return key;
}

std::optional<std::string> channel_open(bool xchacha, const Key32& key, std::string_view blob) {
    if (xchacha) {
        if (blob.size() < kXNonce + kXTag) return std::nullopt;
        std::string out(blob.size() - kXNonce - kXTag, '\0');
        unsigned long long mlen = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                    reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr,
                    uc(blob) + kXNonce, blob.size() - kXNonce, nullptr, 0, uc(blob),
                    key.data()) != 0)
            return std::nullopt;
        out.resize(mlen);
        return out;
    }
    if (blob.size() < kGcmIv + kGcmTag) return std::nullopt;
    std::size_t n = blob.size() - kGcmIv - kGcmTag;
    std::string out(n, '\0');
    std::array<unsigned char, kGcmTag> tag;
    std::copy(uc(blob) + kGcmIv + n, uc(blob) + blob.size(), tag.begin());
    if (!gcm_crypt(false, key, uc(blob), uc(blob) + kGcmIv, n,
                   reinterpret_cast<unsigned char*>(out.data()), tag.data()))
        return std::nullopt;
    return out;
}

std::string channel_seal(bool xchacha, const Key32& key, std::string_view plaintext) {
    std::string out;
    if (xchacha) {
        out.resize(kXNonce + plaintext.size() + kXTag);
        auto* o = reinterpret_cast<unsigned char*>(out.data());
        randombytes_buf(o, kXNonce);
        unsigned long long clen = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(o + kXNonce, &clen, uc(plaintext),
                                                   plaintext.size(), nullptr, 0, nullptr, o,
                                                   key.data());
        return out;
    }
    out.resize(kGcmIv + plaintext.size() + kGcmTag);
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(o, kGcmIv);
    if (!gcm_crypt(true, key, o, uc(plaintext), plaintext.size(), o + kGcmIv,
                   o + kGcmIv + plaintext.size()))
        throw std::runtime_error{"AES-GCM encryption failed"};
    return out;
}

std::optional<std::string> channel_decrypt(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                                           std::string_view blob, const Key32& eph) {
    auto key = channel_key(x_sk, x_pk, xchacha, eph);
    if (!key) return std::nullopt;
    auto out = channel_open(xchacha, *key, blob);
    sodium_memzero(key->data(), key->size());
    return out;
}

std::string channel_encrypt(const Key32& x_sk, const Key32& x_pk, bool xchacha,
                            std::string_view plaintext, const Key32& eph) {
    auto key = channel_key(x_sk, x_pk, xchacha, eph);
    if (!key) throw std::runtime_error{"bad ephemeral key"};
    auto out = channel_seal(xchacha, *key, plaintext);
    sodium_memzero(key->data(), key->size());
    return out;
}

bool verify_signature(std::string_view signature, std::string_view message, const Key32& ed_pk) {
    if (signature.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(uc(signature), uc(message), message.size(), ed_pk.data()) == 0;
}

std::optional<Key32> ed_to_x25519(const Key32& ed_pk) {
    Key32 x;
    if (crypto_sign_ed25519_pk_to_curve25519(x.data(), ed_pk.data()) != 0) return std::nullopt;
    return x;
}

std::string message_hash(std::string_view owner33, int ns, std::string_view data) {
    std::string ns_text = ns == 0 ? std::string{} : std::to_string(ns);
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, sizeof h);
    crypto_generichash_update(&st, uc(owner33), owner33.size());
    crypto_generichash_update(&st, uc(ns_text), ns_text.size());
    crypto_generichash_update(&st, uc(data), data.size());
    crypto_generichash_final(&st, h, sizeof h);
    return to_base64_unpadded({reinterpret_cast<const char*>(h), sizeof h});
}

}  // namespace devnet
