// The 1:1 message pipeline (st::proto, protocol.md §3) on a typical message: a 90-character text
// with the sender's display name, sealed with a fresh ephemeral key and a decoy proSig, as the app
// sends it. "decode" is the whole receive path for one retrieved `data` string: base64 →
// WebSocketMessage → Envelope → sealed-box open → signature check → unpad → Content → event.
// "decode_text" repeats one sender, as a conversation does (the sender-key conversion is then
// memoised, see session_box.cpp); "decode_text_new_sender" cycles through 256 senders.
// "decode_codec_only" is the same without the crypto, to show what the protobuf layer costs.
#include <string>
#include <vector>

#include "bench.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/session_box.hpp"
#include "st/proto/content.hpp"
#include "st/proto/envelope.hpp"
#include "st/proto/message.hpp"
#include "st/proto/padding.hpp"

namespace {

using namespace st;

struct Fixture {
    crypto::Identity alice = *crypto::Identity::from_seed_hex("0123456789abcdef0123456789abcdef");
    crypto::Identity bob = *crypto::Identity::from_seed_hex("00112233445566778899aabbccddeeff");
    proto::OutgoingText text;
    std::string data;
    Bytes content;  // the Content bytes of `data`, for the codec-only case

    Fixture() {
        text.body =
            "Hey! Are we still on for lunch tomorrow at 12:30? I booked a table by the window 🙂";
        text.profile.emplace();
        text.profile->display_name = "Alice";
        data = *proto::encode_message(alice, bob.session_id(), 1700000000000, text);
        content = *proto::encode_content(text, 1700000000000);
    }
};
const Fixture& fixture() {
    static const Fixture f;
    return f;
}

}  // namespace

ST_BENCH("message/encode_text") {
    const auto& f = fixture();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto data = proto::encode_message(f.alice, f.bob.session_id(), 1700000000000 + i, f.text);
        bench::keep(data->size());
    }
}

ST_BENCH("message/decode_text") {
    const auto& f = fixture();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto event = proto::decode_incoming(f.bob, f.data);
        bench::keep(event->sent_ms);
    }
}

// The receive path for a sender seen for the first time: the memo of the sender-key conversion
// misses (256 different senders in turn, for a 64-entry memo).
ST_BENCH("message/decode_text_new_sender") {
    static const std::vector<std::string> datas = [] {
        const auto& f = fixture();
        std::vector<std::string> out;
        for (int i = 0; i < 256; ++i)
            out.push_back(*proto::encode_message(crypto::Identity::generate(), f.bob.session_id(),
                                                 1700000000000, f.text));
        return out;
    }();
    const auto& f = fixture();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto event = proto::decode_incoming(f.bob, datas[i % datas.size()]);
        bench::keep(event->sent_ms);
    }
}

ST_BENCH("message/decode_codec_only") {
    const auto& f = fixture();
    // The same layers as decode_text minus the sealed box: an Envelope whose content is the
    // padded plaintext, unwrapped, parsed, unpadded and interpreted.
    proto::Envelope envelope;
    envelope.timestamp = 1700000000000;
    envelope.content = proto::pad(f.content);
    envelope.pro_sig = crypto::session_box::decoy_pro_signature();
    const std::string data =
        to_base64(proto::wrap_websocket_request(proto::encode_envelope(envelope)));
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto bytes = from_base64(data);
        auto body = proto::unwrap_websocket_request(*bytes);
        auto env = proto::decode_envelope(*body);
        auto content = proto::unpad(env->content);
        auto event = proto::parse_content(*content, f.alice.session_id(), env->timestamp,
                                          f.bob.session_id());
        bench::keep(event->sent_ms);
    }
}
