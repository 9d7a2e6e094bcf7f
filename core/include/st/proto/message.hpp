// The 1:1 message pipeline (protocol.md §3): an outgoing message → the base64 `data` of a
// `store` request, and a retrieved `data` → a typed event or a precise error.
//
//   send     Content (st/proto/content.hpp)  → pad (§3.2)  → session_box::seal to the recipient
//            (§3.3) → Envelope{6, T, sourceDevice 1, content, decoy proSig} → WebSocketMessage
//            → base64
//   receive  base64 → WebSocketMessage → Envelope → session_box::open with our key, signature
//            checked (§3.4) → unpad → Content → receiver's rules (§3.6–3.7, §8) → IncomingEvent
//
// Usage (the network layer; `now` from the network-adjusted clock, §7.3):
//   auto data = proto::encode_message(me, peer, now, proto::OutgoingText{.body = "hi"});
//   store(peer, data)  then, once stored:
//   auto copy = proto::encode_sync_copy(me, peer, now, same message);   store(me, copy)
//   ... poll:  auto event = proto::decode_incoming(me, retrieved.data);
//
// Sizes: a service node stores at most 76 800 decoded bytes (102 400 base64 characters); both
// directions enforce it (proto.too_large), and decoding allocates no more than a small multiple of
// the input's size. Errors are the codes of st/proto/errors.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/session_id.hpp"
#include "st/proto/errors.hpp"
#include "st/proto/model.hpp"

namespace st::proto {

inline constexpr std::size_t kMaxMessageBytes = 76'800;  // SSS store::MAX_MESSAGE_BODY
inline constexpr std::size_t kMaxMessageBase64 = 102'400;

struct EncodeOptions {
    // Envelope.proSig: a 64-byte decoy (protocol.md §3.5), as libsession sends when the user has
    // no Session Pro key. Receivers accept envelopes without it today, but it is announced to
    // become mandatory; turn it off only to reproduce older clients' bytes.
    bool decoy_pro_signature = true;
    // The ephemeral key of the sealed box is fresh (random) in production. The deterministic form
    // makes the output a pure function of the inputs, for known-answer tests only.
    bool deterministic_for_testing = false;
};

// Encrypts `message` from `sender` to `recipient`, sent at `sent_ms` (Envelope.timestamp =
// Content.sigTimestamp). Output: the base64 `data` for a store request to the recipient's swarm,
// namespace 0.
// Errors: proto.invalid_message, proto.bad_recipient (an ID that is no usable key),
// proto.too_large (over 76 800 bytes once encrypted).
Result<std::string> encode_message(const crypto::Identity& sender,
                                   const crypto::SessionId& recipient, std::uint64_t sent_ms,
                                   const OutgoingMessage& message,
                                   const EncodeOptions& options = {});

// The copy of a message we sent to `recipient` that goes to our OWN swarm (namespace 0) so that
// our other devices show it (protocol.md §8.1): encrypted to ourselves, same sent timestamp,
// DataMessage.syncTarget = recipient, profile key left out. Store it after the original was
// stored, and record its hash as seen (our own poll will bring it back).
//   OutgoingText, OutgoingExpirationUpdate   a DataMessage with syncTarget
//   OutgoingUnsend                           the same unsend request, to ourselves
// Errors: proto.not_syncable for typing, read receipts and request responses (never copied);
// otherwise as encode_message.
Result<std::string> encode_sync_copy(const crypto::Identity& sender,
                                     const crypto::SessionId& recipient, std::uint64_t sent_ms,
                                     const OutgoingMessage& message,
                                     const EncodeOptions& options = {});

// Decodes one retrieved message of namespace 0 of our own swarm.
// Inputs: our identity and the `data` string of a retrieve result.
// Errors, in pipeline order: proto.too_large, proto.not_base64, proto.not_websocket_message,
// proto.bad_envelope, proto.not_for_us, proto.bad_signature, proto.bad_padding,
// proto.bad_protobuf, proto.timestamp_mismatch, proto.empty_content, proto.unsupported,
// proto.invalid_field. Never crashes, whatever the input.
Result<IncomingEvent> decode_incoming(const crypto::Identity& me, std::string_view data_base64);

// The same from the already base64-decoded bytes (a WebSocketMessage).
Result<IncomingEvent> decode_incoming_bytes(const crypto::Identity& me, ByteView websocket_message);

}  // namespace st::proto
