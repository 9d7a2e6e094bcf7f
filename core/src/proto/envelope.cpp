#include "st/proto/envelope.hpp"

#include <cstring>

#include "SessionProtos.pb.h"
#include "WebSocketResources.pb.h"
#include "nanopb_io.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {

using detail::bind;
using detail::bind_out;

Bytes encode_envelope(const Envelope& envelope) {
    SessionProtos_Envelope msg = SessionProtos_Envelope_init_zero;
    detail::set_enum(msg.type, envelope.type);
    msg.timestamp = envelope.timestamp;
    msg.has_sourceDevice = envelope.source_device.has_value();
    msg.sourceDevice = envelope.source_device.value_or(0);
    msg.has_serverTimestamp = envelope.server_timestamp.has_value();
    msg.serverTimestamp = envelope.server_timestamp.value_or(0);
    if (envelope.source) bind_out(msg.source, *envelope.source);
    const ByteView content = envelope.content;
    bind_out(msg.content, content);
    ByteView pro_sig;
    if (envelope.pro_sig) {
        pro_sig = *envelope.pro_sig;
        bind_out(msg.proSig, pro_sig);
    }
    // Every field is bounded and every callback infallible: encoding cannot fail.
    return *detail::encode(SessionProtos_Envelope_fields, &msg);
}

Result<Envelope> decode_envelope(ByteView bytes) {
    SessionProtos_Envelope msg = SessionProtos_Envelope_init_zero;
    Envelope out;
    std::optional<Bytes> content, pro_sig;
    bind(msg.source, &out.source);
    bind(msg.content, &content);
    bind(msg.proSig, &pro_sig);
    std::string why;
    if (!detail::decode(bytes, SessionProtos_Envelope_fields, &msg, why))
        return fail(kErrBadEnvelope, "the message is not a valid Envelope (" + why + ")");
    // proto2 required enum: a value outside the enum makes the C++ runtime (libsession) treat the
    // field as missing and reject the Envelope; do the same.
    const std::int64_t type = detail::enum_value(msg.type);
    if (type != SessionProtos_Envelope_Type_SESSION_MESSAGE &&
        type != SessionProtos_Envelope_Type_CLOSED_GROUP_MESSAGE)
        return fail(kErrBadEnvelope, "the Envelope has an unknown type " + std::to_string(type));
    if (!content) return fail(kErrBadEnvelope, "the Envelope carries no content");
    // source is informational for DMs, but libsession rejects one that is neither empty nor an id.
    if (out.source && !out.source->empty() && (out.source->size() != 66 || !from_hex(*out.source)))
        return fail(kErrBadEnvelope, "the Envelope's source is neither empty nor a Session ID");
    if (pro_sig) {
        if (pro_sig->size() != 64)
            return fail(kErrBadEnvelope, "the Envelope's proSig is " +
                                             std::to_string(pro_sig->size()) +
                                             " bytes instead of 64");
        out.pro_sig.emplace();
        std::memcpy(out.pro_sig->data(), pro_sig->data(), 64);
    }
    out.type = static_cast<std::uint32_t>(type);
    out.timestamp = msg.timestamp;
    out.source_device =
        msg.has_sourceDevice ? std::optional<std::uint32_t>(msg.sourceDevice) : std::nullopt;
    out.server_timestamp =
        msg.has_serverTimestamp ? std::optional<std::uint64_t>(msg.serverTimestamp) : std::nullopt;
    out.content = std::move(*content);
    return out;
}

Bytes wrap_websocket_request(ByteView body) {
    WebSocketProtos_WebSocketMessage msg = WebSocketProtos_WebSocketMessage_init_zero;
    msg.has_type = true;
    msg.type = WebSocketProtos_WebSocketMessage_Type_REQUEST;
    msg.has_request = true;
    const std::string empty;
    bind_out(msg.request.verb, empty);  // written, empty: 0a 00
    bind_out(msg.request.path, empty);  // 12 00
    bind_out(msg.request.body, body);
    msg.request.has_requestId = true;  // 20 00
    msg.request.requestId = 0;
    return *detail::encode(WebSocketProtos_WebSocketMessage_fields, &msg);
}

Result<Bytes> unwrap_websocket_request(ByteView bytes) {
    WebSocketProtos_WebSocketMessage msg = WebSocketProtos_WebSocketMessage_init_zero;
    std::optional<Bytes> body;
    bind(msg.request.body, &body);
    std::string why;
    if (!detail::decode(bytes, WebSocketProtos_WebSocketMessage_fields, &msg, why))
        return fail(kErrNotWebSocketMessage,
                    "the message is not a valid WebSocketMessage (" + why + ")");
    if (!msg.has_request)
        return fail(kErrNotWebSocketMessage, "the WebSocketMessage has no request");
    if (!body) return fail(kErrNotWebSocketMessage, "the WebSocketMessage request has no body");
    return std::move(*body);
}

}  // namespace st::proto
