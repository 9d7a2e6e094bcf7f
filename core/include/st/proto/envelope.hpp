// The two wrappers around an encrypted 1:1 message (protocol.md §3.5–3.6): the Envelope (sent
// time, ciphertext, decoy Pro signature) inside a WebSocketMessage, whose bytes, base64-encoded,
// are the `data` of a `store` request.
//
//   WebSocketMessage  08 01 | 12 <len> [ 0a 00 | 12 00 | 1a <len> <Envelope> | 20 00 ]
//   Envelope          08 06 | 28 <timestamp varint> | 38 01 | 42 <len> <content> | 5a 40 <proSig>
//
// Both are encoded by nanopb code generated from core/proto/*.proto.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::proto {

struct Envelope {
    static constexpr std::uint32_t kSessionMessage = 6;      // 1:1 messages and sync copies
    static constexpr std::uint32_t kClosedGroupMessage = 7;  // legacy closed groups

    std::uint32_t type = kSessionMessage;  // no longer trusted by receivers: informational
    std::uint64_t timestamp = 0;           // sent time (ms); = Content.sigTimestamp
    std::optional<std::uint32_t> source_device = 1;       // libsession and iOS write 1
    std::optional<std::string> source;                    // unset for DMs
    Bytes content;                                        // the session_box ciphertext
    std::optional<std::array<std::uint8_t, 64>> pro_sig;  // Pro signature or decoy
    std::optional<std::uint64_t> server_timestamp;        // unused for swarm messages
};

// Output: the Envelope's protobuf bytes, fields in number order. Never fails.
Bytes encode_envelope(const Envelope& envelope);

// Parses and checks an Envelope by the receiver's rules (protocol.md §3.6).
// Errors: proto.bad_envelope — not an Envelope (malformed, type/timestamp missing, unknown type),
// no content, a proSig that is not 64 bytes, or a source that is neither empty nor 66 characters.
Result<Envelope> decode_envelope(ByteView bytes);

// WebSocketMessage{type REQUEST, request{verb "", path "", body, requestId 0}}, as libsession
// writes it (older clients used verb "PUT" and path "/api/v1/message"; receivers ignore both).
Bytes wrap_websocket_request(ByteView body);

// Output: request.body of a WebSocketMessage.
// Errors: proto.not_websocket_message — not a WebSocketMessage, or without request or body.
Result<Bytes> unwrap_websocket_request(ByteView bytes);

}  // namespace st::proto
