// Content, the signed and encrypted protobuf of every 1:1 message (protocol.md §4.2–4.4), to and
// from the message model of st/proto/model.hpp. Padding, encryption and wrapping are the business
// of st/proto/message.hpp; these functions see plaintext Content bytes only.
#pragma once

#include <cstdint>
#include <optional>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/session_id.hpp"
#include "st/proto/model.hpp"

namespace st::proto {

// Inputs: the message, its sent timestamp (written as Content.sigTimestamp, and as
// TypingMessage.timestamp for typing) and, for a copy to our own swarm, the conversation's
// recipient (written as DataMessage.syncTarget; the profile key is then left out).
// Output: the Content's protobuf bytes. Required fields are always written, including enum
// values of 0 (TypingMessage.action = STARTED).
// Errors: proto.invalid_message (empty text body, read receipt without timestamps, profile key
// not 32 bytes), proto.not_syncable (a sync target for a typing, receipt, unsend or request
// response, which are not DataMessages).
Result<Bytes> encode_content(const OutgoingMessage& message, std::uint64_t sent_ms,
                             const std::optional<crypto::SessionId>& sync_target = std::nullopt);

// Parses decrypted, unpadded Content bytes into an event and applies the receiver's rules:
// timestamp binding (sigTimestamp, TypingMessage.timestamp vs `envelope_timestamp`), unsend only
// by the author, sync copies only from ourselves, desktop's dispatch order.
// Inputs: `sender` as proven by the signature, `me` our own Session ID.
// Errors: proto.bad_protobuf, proto.timestamp_mismatch, proto.empty_content, proto.unsupported,
// proto.invalid_field (see st/proto/errors.hpp). Allocation is bounded by the input's size.
Result<IncomingEvent> parse_content(ByteView content, const crypto::SessionId& sender,
                                    std::uint64_t envelope_timestamp, const crypto::SessionId& me);

}  // namespace st::proto
