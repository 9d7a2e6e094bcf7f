#include "st/proto/message.hpp"

#include "st/crypto/session_box.hpp"
#include "st/proto/content.hpp"
#include "st/proto/envelope.hpp"
#include "st/proto/padding.hpp"

namespace st::proto {
namespace {

namespace box = crypto::session_box;

// Content bytes → pad → seal to `to` → Envelope → WebSocketMessage → base64.
Result<std::string> seal_and_wrap(const crypto::Identity& sender, const crypto::X25519PublicKey& to,
                                  std::uint64_t sent_ms, const Bytes& content,
                                  const EncodeOptions& options) {
    const Bytes padded = pad(content);
    Envelope envelope;
    envelope.timestamp = sent_ms;
    auto sealed = options.deterministic_for_testing ? box::seal_deterministic(sender, to, padded)
                                                    : box::seal(sender, to, padded);
    if (!sealed) return fail(kErrBadRecipient, sealed.error().message);
    envelope.content = std::move(*sealed);
    if (options.decoy_pro_signature) envelope.pro_sig = box::decoy_pro_signature();
    const Bytes wrapped = wrap_websocket_request(encode_envelope(envelope));
    if (wrapped.size() > kMaxMessageBytes)
        return fail(kErrTooLarge, "the message is " + std::to_string(wrapped.size()) +
                                      " bytes once encrypted; service nodes store at most " +
                                      std::to_string(kMaxMessageBytes));
    return to_base64(wrapped);
}

}  // namespace

Result<std::string> encode_message(const crypto::Identity& sender,
                                   const crypto::SessionId& recipient, std::uint64_t sent_ms,
                                   const OutgoingMessage& message, const EncodeOptions& options) {
    auto content = encode_content(message, sent_ms);
    if (!content) return Unexpected<Error>(std::move(content).error());
    return seal_and_wrap(sender, recipient.x25519(), sent_ms, *content, options);
}

Result<std::string> encode_sync_copy(const crypto::Identity& sender,
                                     const crypto::SessionId& recipient, std::uint64_t sent_ms,
                                     const OutgoingMessage& message, const EncodeOptions& options) {
    // An unsend is not a DataMessage and has no syncTarget: the same request goes to ourselves.
    const bool plain_copy = std::holds_alternative<OutgoingUnsend>(message);
    auto content =
        plain_copy ? encode_content(message, sent_ms) : encode_content(message, sent_ms, recipient);
    if (!content) return Unexpected<Error>(std::move(content).error());
    return seal_and_wrap(sender, sender.x25519_public(), sent_ms, *content, options);
}

Result<IncomingEvent> decode_incoming(const crypto::Identity& me, std::string_view data_base64) {
    if (data_base64.size() > kMaxMessageBase64)
        return fail(kErrTooLarge, "the message data is " + std::to_string(data_base64.size()) +
                                      " characters; service nodes store at most " +
                                      std::to_string(kMaxMessageBase64));
    auto bytes = from_base64(data_base64);
    if (!bytes)
        return fail(kErrNotBase64, "the message data is not base64: " + bytes.error().message);
    return decode_incoming_bytes(me, *bytes);
}

Result<IncomingEvent> decode_incoming_bytes(const crypto::Identity& me,
                                            ByteView websocket_message) {
    if (websocket_message.size() > kMaxMessageBytes)
        return fail(kErrTooLarge, "the message is " + std::to_string(websocket_message.size()) +
                                      " bytes; service nodes store at most " +
                                      std::to_string(kMaxMessageBytes));
    auto body = unwrap_websocket_request(websocket_message);
    if (!body) return Unexpected<Error>(std::move(body).error());
    auto envelope = decode_envelope(*body);
    if (!envelope) return Unexpected<Error>(std::move(envelope).error());

    auto opened = box::open(me, envelope->content);
    if (!opened) {
        const auto code = opened.error().code;
        const bool signature = code == box::kErrBadSignature || code == box::kErrBadSenderKey;
        return fail(signature ? kErrBadSignature : kErrNotForUs, opened.error().message);
    }
    auto content = unpad(opened->message);
    if (!content) return Unexpected<Error>(std::move(content).error());
    return parse_content(*content, opened->sender, envelope->timestamp, me.session_id());
}

}  // namespace st::proto
