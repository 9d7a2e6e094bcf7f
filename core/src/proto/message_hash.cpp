#include "st/proto/message_hash.hpp"

#include <sodium.h>

#include <array>

#include "st/crypto/keys.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {

std::string storage_message_hash(ByteView pubkey33, std::int32_t ns, ByteView data) {
    crypto::ensure_sodium_ready();
    // Namespace 0 contributes nothing; any other is hashed as its decimal text.
    const std::string ns_text = ns == 0 ? std::string() : std::to_string(ns);
    std::array<std::uint8_t, 32> digest{};
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, digest.size());
    crypto_generichash_update(&st, pubkey33.data(), pubkey33.size());
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(ns_text.data()),
                              ns_text.size());
    crypto_generichash_update(&st, data.data(), data.size());
    crypto_generichash_final(&st, digest.data(), digest.size());
    std::string hash = to_base64(digest);
    while (!hash.empty() && hash.back() == '=') hash.pop_back();  // 44 → 43 characters
    return hash;
}

std::string storage_message_hash(const crypto::SessionId& pubkey, std::int32_t ns, ByteView data) {
    return storage_message_hash(pubkey.bytes(), ns, data);
}

Result<std::string> storage_message_hash_of_base64(const crypto::SessionId& pubkey, std::int32_t ns,
                                                   std::string_view data_base64) {
    auto data = from_base64(data_base64);
    if (!data)
        return fail(kErrNotBase64, "the message data is not base64: " + data.error().message);
    return storage_message_hash(pubkey, ns, *data);
}

}  // namespace st::proto
