// Config encryption (docs/config.md §4), checked against libsession-util src/config/encrypt.cpp,
// include/session/config/encrypt.hpp and the vectors of its tests/test_encrypt.cpp.
#include "st/config/encrypt.hpp"

#include <sodium.h>

#include <array>

#include "st/base/secret.hpp"
#include "st/config/compress.hpp"
#include "st/crypto/keys.hpp"

namespace st::config {

namespace {

constexpr std::string_view kNonceKeyPrefix = "libsessionutil-config-encrypted-";
constexpr std::size_t kMaxDomain = 24;

Result<void> check_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > kMaxDomain)
        return fail(kErrBadDomain, "a config encryption domain is 1 to 24 bytes");
    return {};
}

// K = BLAKE2b-256(key_base || BE64(size) || domain). The size and domain vary the key so that a
// nonce collision would also need equal sizes and domains (the nonce is deterministic).
Secret<32> derive_key(KeyBase key_base, std::uint64_t size, std::string_view domain) {
    std::array<std::uint8_t, 8> be{};
    for (int i = 0; i < 8; ++i) be[7 - i] = static_cast<std::uint8_t>(size >> (8 * i));
    crypto_generichash_blake2b_state st;
    crypto_generichash_blake2b_init(&st, nullptr, 0, 32);
    crypto_generichash_blake2b_update(&st, key_base.data(), key_base.size());
    crypto_generichash_blake2b_update(&st, be.data(), be.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const std::uint8_t*>(domain.data()),
                                      domain.size());
    Secret<32> key;
    crypto_generichash_blake2b_final(&st, key.data(), key.size());
    secure_zero(&st, sizeof st);
    return key;
}

}  // namespace

std::size_t padded_size(std::size_t size, std::size_t overhead) {
    const std::size_t s2 = size + overhead;
    const std::size_t chunk = s2 < 5 * 1024 ? 256 : s2 < 20 * 1024 ? 1024 : s2 < 40 * 1024 ? 2048 : 5120;
    return (s2 + chunk - 1) / chunk * chunk - overhead;
}

Result<Bytes> encrypt(ByteView plain, KeyBase key_base, std::string_view domain) {
    if (auto r = check_domain(domain); !r) return Unexpected<Error>(std::move(r).error());
    crypto::ensure_sodium_ready();
    const auto key = derive_key(key_base, plain.size(), domain);
    std::string nonce_key(kNonceKeyPrefix);
    nonce_key += domain;
    std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
    crypto_generichash_blake2b(nonce.data(), nonce.size(), plain.data(), plain.size(),
                               reinterpret_cast<const std::uint8_t*>(nonce_key.data()),
                               nonce_key.size());
    Bytes out(plain.size() + kEncryptOverhead);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, plain.data(), plain.size(),
                                               nullptr, 0, nullptr, nonce.data(), key.data());
    std::copy(nonce.begin(), nonce.end(), out.begin() + static_cast<std::ptrdiff_t>(written));
    return out;
}

Result<Bytes> decrypt(ByteView stored, KeyBase key_base, std::string_view domain) {
    if (auto r = check_domain(domain); !r) return Unexpected<Error>(std::move(r).error());
    if (stored.size() < kEncryptOverhead)
        return fail(kErrDecrypt, "a config message is shorter than its encryption overhead");
    crypto::ensure_sodium_ready();
    const std::size_t plain_size = stored.size() - kEncryptOverhead;
    const auto key = derive_key(key_base, plain_size, domain);
    const auto nonce = stored.subspan(stored.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    Bytes out(plain_size);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            out.data(), &written, nullptr, stored.data(),
            stored.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr, 0, nonce.data(),
            key.data()) != 0)
        return fail(kErrDecrypt, "the config message does not decrypt with this account's key");
    out.resize(static_cast<std::size_t>(written));  // never more than plain_size
    return out;
}

Result<Bytes> seal_message(ByteView serialized, KeyBase key_base, std::string_view domain) {
    Bytes body;
    // Compressed with zstd level 1 whenever 'z' + frame is smaller (libsession-util
    // src/config/base.cpp, compress_message): in practice every Contacts/ConvoInfoVolatile.
    Bytes frame = zstd_compress(serialized);
    if (frame.size() + 1 < serialized.size()) {
        body.reserve(frame.size() + 1);
        body.push_back('z');
        body.insert(body.end(), frame.begin(), frame.end());
    } else {
        body.assign(serialized.begin(), serialized.end());
    }
    const std::size_t target = padded_size(body.size());
    Bytes padded(target - body.size(), 0);  // padded_size(n) >= n
    padded.insert(padded.end(), body.begin(), body.end());
    return encrypt(padded, key_base, domain);
}

Result<Bytes> open_message(ByteView stored, KeyBase key_base, std::string_view domain) {
    auto plain = decrypt(stored, key_base, domain);
    if (!plain) return plain;
    std::size_t start = 0;
    while (start < plain->size() && (*plain)[start] == 0) ++start;
    if (start == plain->size()) return fail(kErrEmpty, "the config message holds no data");
    const ByteView body = ByteView(*plain).subspan(start);
    if (body[0] == 'm')
        return fail(kErrMultipart, "multi-part config messages are not supported");
    if (body[0] == 'z') {
        auto out = zstd_decompress(body.subspan(1), kMaxDecompressedConfig);
        if (!out || out->empty())
            return fail(kErrDecompress, "the config message does not decompress" +
                                            (out ? std::string() : " (" + out.error().message + ")"));
        return out;
    }
    return Bytes(body.begin(), body.end());
}

}  // namespace st::config
