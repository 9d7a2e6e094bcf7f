// The full receive path (st::proto::decode_incoming). Random bytes almost never get past the
// sealed box, so the first input byte selects how far the rest is trusted:
//   0  the rest is the `data` text of a retrieve result (base64 → … → event)
//   1  the rest is a WebSocketMessage's bytes
//   2  the rest is Content plaintext, padded and sealed to us by a contact, then decoded
//   3  the same, sealed by ourselves (sync copies, Note-to-Self)
//   4  the rest is any plaintext (padded or not, broken padding), sealed by a contact
// Must never crash; whatever decodes must name the sender that sealed it.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/crypto/identity.hpp"
#include "st/crypto/session_box.hpp"
#include "st/proto/envelope.hpp"
#include "st/proto/message.hpp"
#include "st/proto/padding.hpp"

namespace {

using st::crypto::Identity;

const Identity& contact() {
    static const Identity id = *Identity::from_seed_hex("0123456789abcdef0123456789abcdef");
    return id;
}
const Identity& me() {
    static const Identity id = *Identity::from_seed_hex("00112233445566778899aabbccddeeff");
    return id;
}

void sealed_by(const Identity& sender, st::ByteView plaintext) {
    st::proto::Envelope envelope;
    envelope.timestamp = 1700000000000;
    envelope.content =
        *st::crypto::session_box::seal_deterministic(sender, me().x25519_public(), plaintext);
    const auto data =
        st::to_base64(st::proto::wrap_websocket_request(st::proto::encode_envelope(envelope)));
    auto event = st::proto::decode_incoming(me(), data);
    if (event && !(event->sender == sender.session_id())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const st::ByteView rest(data + 1, size - 1);
    switch (data[0] % 5) {
        case 0:
            (void)st::proto::decode_incoming(me(), st::as_chars(rest));
            break;
        case 1:
            (void)st::proto::decode_incoming_bytes(me(), rest);
            break;
        case 2:
            sealed_by(contact(), st::proto::pad(rest));
            break;
        case 3:
            sealed_by(me(), st::proto::pad(rest));
            break;
        default:
            sealed_by(contact(), rest);
            break;
    }
    return 0;
}
