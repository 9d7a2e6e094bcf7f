// Legacy wrapping of config messages (docs/config.md §5), checked against libsession-util
// src/config/protos.cpp (wrap_config / unwrap_config) and src/config/base.cpp (merge).
#include "st/config/wrap.hpp"

#include <algorithm>

#include "../proto/nanopb_io.hpp"
#include "SessionProtos.pb.h"
#include "st/crypto/session_box.hpp"
#include "st/proto/envelope.hpp"

namespace st::config {

Result<Bytes> wrap_config(const crypto::Identity& me, ByteView encrypted, std::int64_t seqno,
                          SharedKind kind) {
    SessionProtos_Content content = SessionProtos_Content_init_zero;
    content.has_sharedConfigMessage = true;
    proto::detail::set_enum(content.sharedConfigMessage.kind, static_cast<std::int64_t>(kind));
    content.sharedConfigMessage.seqno = seqno;
    proto::detail::bind_out(content.sharedConfigMessage.data, encrypted);
    auto plain = proto::detail::encode(SessionProtos_Content_fields, &content);
    if (!plain) return plain;
    // One 0x80 byte and no zeros: the config inside is already padded (protos.cpp).
    plain->push_back(0x80);
    auto sealed = crypto::session_box::seal_deterministic(me, me.x25519_public(), *plain);
    if (!sealed) return sealed;
    proto::Envelope env;
    env.type = proto::Envelope::kSessionMessage;
    env.timestamp = 1;  // old clients with their own unwrapping require > 0
    env.source_device.reset();
    env.content = std::move(*sealed);
    return proto::wrap_websocket_request(proto::encode_envelope(env));
}

Result<Bytes> unwrap_config(const crypto::Identity& me, ByteView data, SharedKind kind) {
    auto body = proto::unwrap_websocket_request(data);
    if (!body) return fail(kErrNotWrapped, "not a WebSocketMessage");
    auto env = proto::decode_envelope(*body);
    if (!env) return fail(kErrNotWrapped, "not an Envelope");
    auto opened = crypto::session_box::open(me, env->content);
    if (!opened) return fail(kErrNotWrapped, "the envelope does not open with our key");
    if (opened->sender_ed25519 != me.ed25519_public())
        return fail(kErrNotWrapped, "the wrapped config was not sealed by this account");
    auto& m = opened->message;
    // libsession-util requires the padding to end in 0x80 or 0x00, with 0x80 before the zeros.
    auto last = std::find_if(m.rbegin(), m.rend(), [](std::uint8_t c) { return c != 0; });
    if (last == m.rend() || *last != 0x80)
        return fail(kErrNotWrapped, "the wrapped config is not padded");
    m.resize(static_cast<std::size_t>(std::distance(last, m.rend())) - 1);

    SessionProtos_Content content = SessionProtos_Content_init_zero;
    std::optional<Bytes> inner;
    proto::detail::bind(content.sharedConfigMessage.data, &inner);
    std::string why;
    if (!proto::detail::decode(m, SessionProtos_Content_fields, &content, why))
        return fail(kErrNotWrapped, "the wrapped config is not a Content (" + why + ")");
    if (!content.has_sharedConfigMessage || !inner)
        return fail(kErrNotWrapped, "the Content holds no SharedConfigMessage");
    if (proto::detail::enum_value(content.sharedConfigMessage.kind) !=
        static_cast<std::int64_t>(kind))
        return fail(kErrNotWrapped, "the SharedConfigMessage is of another kind");
    return std::move(*inner);
}

}  // namespace st::config
