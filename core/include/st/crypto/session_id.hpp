// Session IDs (protocol.md §1.3): 66 lowercase hex characters, "05" followed by the account's
// X25519 public key. This type only ever holds a valid 05-prefixed ID.
#pragma once

#include <string>
#include <string_view>

#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"

namespace st::crypto {

class SessionId {
public:
    static constexpr std::size_t kTextLength = 66;
    static constexpr std::string_view kAccountPrefix = "05";

    static SessionId from_x25519(const X25519PublicKey& key) { return SessionId(key); }

    // Parses an ID typed or pasted by a person: surrounding white space is ignored and uppercase
    // hex is accepted. Errors (each with a sentence that says what to fix):
    //   session_id.empty          nothing but white space
    //   session_id.bad_character  a character that is not a hex digit (position given)
    //   session_id.bad_length     not 66 hex characters (count given)
    //   session_id.bad_prefix     66 hex characters, but not starting with 05 (e.g. a group 03 ID
    //                             or a community-blinded 15/25 ID, which cannot receive 1:1 messages)
    static Result<SessionId> parse(std::string_view text);

    const X25519PublicKey& x25519() const { return key_; }
    std::string hex() const { return std::string(kAccountPrefix) + key_.hex(); }
    // The 33 bytes 0x05 || key, as signed or hashed by some protocol steps.
    Bytes bytes() const;

    bool operator==(const SessionId&) const = default;
    bool operator<(const SessionId& o) const { return key_ < o.key_; }

private:
    explicit SessionId(const X25519PublicKey& key) : key_(key) {}
    X25519PublicKey key_;
};

}  // namespace st::crypto
