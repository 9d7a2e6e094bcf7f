// The error codes of the Session protocol layer (st::proto). Each is a stable dotted id that
// callers switch on; Error::message adds a sentence for logs. Decoding reports the first rule the
// input breaks, in pipeline order (base64 → WebSocketMessage → Envelope → decryption → signature
// → padding → Content → semantic checks).
#pragma once

#include <string_view>

namespace st::proto {

// --- decode_incoming (and the stage functions it is made of) ---------------------------------
// `data` is not valid standard base64.
inline constexpr std::string_view kErrNotBase64 = "proto.not_base64";
// More than a service node would ever store (76 800 bytes decoded, protocol.md §5.6).
inline constexpr std::string_view kErrTooLarge = "proto.too_large";
// Not a WebSocketMessage, or one without request or request.body.
inline constexpr std::string_view kErrNotWebSocketMessage = "proto.not_websocket_message";
// The body is not an Envelope, has no content, a proSig that is not 64 bytes, or a source that is
// neither empty nor a 66-character id.
inline constexpr std::string_view kErrBadEnvelope = "proto.bad_envelope";
// The content does not decrypt with our key: sealed to someone else, truncated or corrupted.
inline constexpr std::string_view kErrNotForUs = "proto.not_for_us";
// Decrypted, but the sender's signature does not verify (or the sender key is unusable).
inline constexpr std::string_view kErrBadSignature = "proto.bad_signature";
// The decrypted bytes hold nothing but zero padding.
inline constexpr std::string_view kErrBadPadding = "proto.bad_padding";
// The unpadded bytes are not a Content (malformed protobuf, missing required field, or more
// repeated entries than any client sends).
inline constexpr std::string_view kErrBadProtobuf = "proto.bad_protobuf";
// Content.sigTimestamp (or TypingMessage.timestamp) differs from Envelope.timestamp: the
// unsigned envelope time was changed (protocol.md §3.7).
inline constexpr std::string_view kErrTimestampMismatch = "proto.timestamp_mismatch";
// A Content with no message this protocol defines (or a DataMessage with nothing in it).
inline constexpr std::string_view kErrEmptyContent = "proto.empty_content";
// A well-formed message of a feature this client does not implement: calls, groups v2 updates,
// legacy config wrappers, community invitations, delivery receipts, unknown DataMessage flags.
inline constexpr std::string_view kErrUnsupported = "proto.unsupported";
// A field breaks a rule of the protocol: an unsend request for someone else's message, a sync
// copy (syncTarget) sent by another account, a syncTarget or author that is not a Session ID,
// more than 32 attachments.
inline constexpr std::string_view kErrInvalidField = "proto.invalid_field";

// --- encode_message / encode_sync_copy ---------------------------------------------------------
// The outgoing description breaks a rule (e.g. a read receipt with no timestamps).
inline constexpr std::string_view kErrInvalidMessage = "proto.invalid_message";
// The recipient's Session ID is 05 + 64 hex digits but not a usable X25519 key (small order).
inline constexpr std::string_view kErrBadRecipient = "proto.bad_recipient";
// This kind of message is not copied to our own swarm (typing, receipts, request responses).
inline constexpr std::string_view kErrNotSyncable = "proto.not_syncable";
// The protobuf encoder failed. Cannot happen for the messages of this module (every field is
// bounded and every callback infallible); declared so that no failure goes without a code.
inline constexpr std::string_view kErrEncodeFailed = "proto.encode_failed";

}  // namespace st::proto
