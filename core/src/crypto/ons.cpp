#include "st/crypto/ons.hpp"

#include <sodium.h>

#include "st/crypto/keys.hpp"

namespace st::crypto {
namespace {

const unsigned char* uchars(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

bool allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

// The rule of session-desktop's onsNameRegex ^\w([\w-]*[\w])?$ and of oxen-core's
// validate_ons_name for Session names: [a-z0-9_] at both ends, [a-z0-9_-] in between, 1..64
// characters once lower-cased.
Result<std::string> normalize_ons_name(std::string_view name) {
    if (name.empty()) return fail(kOnsInvalidName, "enter an ONS name");
    if (name.size() > kOnsNameMaxLength)
        return fail(kOnsInvalidName, "an ONS name has at most " +
                                         std::to_string(kOnsNameMaxLength) +
                                         " characters; this one has " +
                                         std::to_string(name.size()));
    std::string lower(name);
    for (std::size_t i = 0; i < lower.size(); ++i) {
        char& c = lower[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (!allowed(c))
            return fail(kOnsInvalidName,
                        "an ONS name has only the characters a-z, 0-9, _ and -; character " +
                            std::to_string(i + 1) + " is not one of them");
    }
    if (lower.front() == '-' || lower.back() == '-')
        return fail(kOnsInvalidName, "an ONS name cannot start or end with '-'");
    return lower;
}

std::array<std::uint8_t, 32> ons_name_hash(std::string_view lower_name) {
    ensure_sodium_ready();
    std::array<std::uint8_t, 32> out{};
    crypto_generichash(out.data(), out.size(), uchars(lower_name), lower_name.size(), nullptr, 0);
    return out;
}

std::string ons_name_hash_b64(std::string_view lower_name) {
    return to_base64(ons_name_hash(lower_name));
}

std::array<std::uint8_t, 32> ons_value_key(std::string_view lower_name) {
    const auto hash = ons_name_hash(lower_name);
    std::array<std::uint8_t, 32> key{};
    crypto_generichash(key.data(), key.size(), uchars(lower_name), lower_name.size(), hash.data(),
                       hash.size());
    return key;
}

Result<SessionId> decrypt_ons_value(std::string_view lower_name, ByteView ciphertext,
                                    ByteView nonce) {
    static_assert(kOnsNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    static_assert(kOnsCiphertextBytes == 33 + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    if (nonce.empty())
        return fail(kOnsBadAnswer,
                    "the name's value has no nonce (a registration from before Oxen hard fork "
                    "16, which Session no longer reads)");
    if (nonce.size() != kOnsNonceBytes)
        return fail(kOnsBadAnswer, "the nonce of the name's value is " +
                                       std::to_string(nonce.size()) + " bytes, not 24");
    if (ciphertext.size() != kOnsCiphertextBytes)
        return fail(kOnsBadAnswer, "the name's encrypted value is " +
                                       std::to_string(ciphertext.size()) + " bytes, not 49");
    ensure_sodium_ready();
    const auto key = ons_value_key(lower_name);
    std::array<std::uint8_t, 33> plain{};
    unsigned long long plain_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_len, nullptr,
                                                   ciphertext.data(), ciphertext.size(), nullptr,
                                                   0, nonce.data(), key.data()) != 0 ||
        plain_len != plain.size())
        return fail(kOnsBadAnswer, "the name's value does not decrypt (tampered with, or the "
                                   "value of another name)");
    auto id = SessionId::parse(to_hex(plain));
    if (!id)
        return fail(kOnsBadAnswer, "the name's value is not an account's Session ID (" +
                                       id.error().message + ")");
    return *id;
}

}  // namespace st::crypto
