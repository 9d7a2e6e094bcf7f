// The legacy protobuf wrapping of user config messages (docs/config.md §5). The official
// clients' push() still writes it for every user config, and older clients double-wrapped, so
// we write the wrapped form and read both:
//
//   WebSocketMessage{type REQUEST, request{verb "", path "", requestId 0, body =
//     Envelope{type SESSION_MESSAGE (6), timestamp 1, content =
//       session_box::seal_deterministic(self -> self,
//         Content{sharedConfigMessage (11) {kind, seqno, data = encrypted config}} || 0x80)}}}
//
// The padding is a single 0x80 byte (the encrypted config is already padded). Overhead: 176
// bytes for a 256-byte config.
#pragma once

#include <cstdint>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"

namespace st::config {

// SharedConfigMessage.Kind values (core/proto/SessionProtos.proto).
enum class SharedKind : std::uint8_t {
    UserProfile = 1,
    Contacts = 2,
    ConvoInfoVolatile = 3,
    UserGroups = 4,
};

inline constexpr std::string_view kErrNotWrapped = "config.not_wrapped";

// Output: the WebSocketMessage bytes (what is base64-encoded into the store request).
// Errors: session_box.* from sealing (cannot happen with a valid identity).
Result<Bytes> wrap_config(const crypto::Identity& me, ByteView encrypted, std::int64_t seqno,
                          SharedKind kind);

// Output: the encrypted config inside. Errors: config.not_wrapped (not a WebSocketMessage with
// an Envelope whose content opens with our key, was sealed by ourselves, is padded with 0x80 and
// holds a SharedConfigMessage of `kind`): the caller then reads the bytes as a raw config.
Result<Bytes> unwrap_config(const crypto::Identity& me, ByteView data, SharedKind kind);

}  // namespace st::config
