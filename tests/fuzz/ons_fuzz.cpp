// Untrusted ons_resolve answers (protocol.md §5.4.11) → parse_ons_resolve, then decrypt_ons_value
// under a few names, and the name rule on the same bytes. None may crash, hang or throw; a value
// that opens must be a 05 Session ID, and an accepted name must follow the clients' rule.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/crypto/ons.hpp"
#include "st/rpc/responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (auto r = st::rpc::parse_ons_resolve(body); r && r->found) {
        for (std::string_view name : {"test", "alice", "a"}) {
            auto id = st::crypto::decrypt_ons_value(name, r->encrypted_value, r->nonce);
            if (id && id->hex().substr(0, 2) != "05") std::abort();
        }
    }
    // The raw bytes as a ciphertext ‖ nonce, in case the JSON layer rejects most inputs.
    if (size >= 24) {
        const st::ByteView all(data, size);
        (void)st::crypto::decrypt_ons_value("test", all.subspan(24), all.first(24));
    }
    if (auto name = st::crypto::normalize_ons_name(body)) {
        if (name->empty() || name->size() > st::crypto::kOnsNameMaxLength) std::abort();
        if (name->front() == '-' || name->back() == '-') std::abort();
        for (char c : *name)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
                std::abort();
        (void)st::crypto::ons_name_hash_b64(*name);
    }
    return 0;
}
