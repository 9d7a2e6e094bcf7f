#include "st/crypto/session_id.hpp"

#include <cctype>

namespace st::crypto {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<SessionId> SessionId::parse(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (text.empty()) return fail("session_id.empty", "enter a Session ID");

    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_hex(text[i]))
            return fail("session_id.bad_character",
                        "a Session ID has only the characters 0-9 and a-f; character " +
                            std::to_string(i + 1) + " is not one of them");
    }
    if (text.size() != kTextLength)
        return fail("session_id.bad_length", "a Session ID is 66 characters long; this one has " +
                                                 std::to_string(text.size()));
    if (text.substr(0, 2) != kAccountPrefix)
        return fail("session_id.bad_prefix",
                    "this is not an account's Session ID: those start with 05 (this one starts with " +
                        std::string(text.substr(0, 2)) + ")");

    auto key = X25519PublicKey::from_hex(text.substr(2));
    if (!key) return Unexpected<Error>(std::move(key).error());  // unreachable: checked above
    return SessionId(*key);
}

Bytes SessionId::bytes() const {
    Bytes out;
    out.reserve(33);
    out.push_back(0x05);
    out.insert(out.end(), key_.bytes.begin(), key_.bytes.end());
    return out;
}

}  // namespace st::crypto
