// Envelope and WebSocketMessage (protocol.md §3.5–3.6, §4.1, §4.9): the bytes of §10.4 steps 4–5
// and the receiver's rules. Malformed inputs are written out as hex here on purpose: they are
// what a broken or hostile sender would put on the wire.
#include "st/proto/envelope.hpp"

#include <gtest/gtest.h>

#include "core/proto/vectors.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {
namespace {

Bytes hex(const std::string& h) { return *from_hex(h); }

Envelope vector_envelope() {
    Envelope e;
    e.timestamp = vectors::kSentMs;
    e.content = hex(vectors::kCiphertext);
    return e;
}

TEST(Envelope, EncodesTheVectorEnvelopeByteForByte) {
    EXPECT_EQ(to_hex(encode_envelope(vector_envelope())),
              std::string(vectors::kEnvelopePrefix) + vectors::kCiphertext);
}

TEST(Envelope, ProSigIsField11WithExactly64Bytes) {
    auto e = vector_envelope();
    e.pro_sig.emplace();
    e.pro_sig->fill(0xab);
    auto bytes = encode_envelope(e);
    EXPECT_EQ(to_hex(bytes), std::string(vectors::kEnvelopePrefix) + vectors::kCiphertext + "5a40" +
                                 to_hex(*e.pro_sig));
    auto back = decode_envelope(bytes);
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_TRUE(back->pro_sig);
    EXPECT_EQ(*back->pro_sig, *e.pro_sig);
}

TEST(Envelope, DecodesTheVectorEnvelope) {
    auto e = decode_envelope(hex(std::string(vectors::kEnvelopePrefix) + vectors::kCiphertext));
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->type, Envelope::kSessionMessage);
    EXPECT_EQ(e->timestamp, vectors::kSentMs);
    EXPECT_EQ(e->source_device, std::optional<std::uint32_t>(1));
    EXPECT_EQ(to_hex(e->content), vectors::kCiphertext);
    EXPECT_FALSE(e->pro_sig);
    EXPECT_FALSE(e->source);
}

TEST(Envelope, WrapsTheVectorEnvelopeInAWebSocketRequest) {
    auto env = hex(std::string(vectors::kEnvelopePrefix) + vectors::kCiphertext);
    auto ws = wrap_websocket_request(env);
    EXPECT_EQ(to_hex(ws), std::string(vectors::kWebSocketPrefix) + vectors::kEnvelopePrefix +
                              vectors::kCiphertext + vectors::kWebSocketSuffix);
    EXPECT_EQ(ws.size(), 332u);
    auto body = unwrap_websocket_request(ws);
    ASSERT_TRUE(body);
    EXPECT_EQ(*body, env);
}

TEST(Envelope, UnwrapAcceptsTheOlderPutForm) {
    // {type 1, request{verb "PUT", path "/api/v1/message", body "abc", requestId 0}}
    std::string request = "0a03" + to_hex(as_bytes("PUT")) + "120f" +
                          to_hex(as_bytes("/api/v1/message")) + "1a03616263" + "2000";
    auto ws =
        hex("080112" + to_hex(Bytes{static_cast<std::uint8_t>(request.size() / 2)}) + request);
    auto body = unwrap_websocket_request(ws);
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(as_chars(*body), "abc");
}

TEST(Envelope, UnwrapSkipsUnknownFields) {
    // Field 15 (varint) at the top level and field 9 (bytes) inside the request.
    auto body = unwrap_websocket_request(hex("0801780512071a036162634a00"));
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(as_chars(*body), "abc");
}

TEST(Envelope, UnwrapRejectsWhatIsNotAWebSocketRequest) {
    const char* cases[] = {
        "",              // nothing: no request
        "0801",          // type only
        "08011200",      // a request without body
        "ffff",          // not protobuf
        "0801120a1a03",  // truncated
        "0b",            // group wire type
        "1a03616263",    // a bare request body at the top level (field 3 is `response`)
    };
    for (const char* c : cases) {
        auto r = unwrap_websocket_request(hex(c));
        ASSERT_FALSE(r) << c;
        EXPECT_EQ(r.error().code, kErrNotWebSocketMessage) << c;
    }
}

TEST(Envelope, DecodeRejectsBrokenEnvelopes) {
    const std::string sig63 = std::string(126, '1');
    const std::string cases[] = {
        "",                          // type and timestamp missing
        "08064200",                  // timestamp missing
        "28014200",                  // type missing
        "080528014200",              // unknown type 5
        "08062801",                  // no content
        "0806280142005a3f" + sig63,  // proSig of 63 bytes
        "0806280142001203616263",    // source "abc"
        "0806280142",                // truncated
    };
    for (const auto& c : cases) {
        auto r = decode_envelope(hex(c));
        ASSERT_FALSE(r) << c;
        EXPECT_EQ(r.error().code, kErrBadEnvelope) << c;
    }
}

TEST(Envelope, SourceMayBeEmptyOrAnId) {
    auto e = vector_envelope();
    e.source = "";
    ASSERT_TRUE(decode_envelope(encode_envelope(e)));
    e.source = vectors::kId1;
    auto back = decode_envelope(encode_envelope(e));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->source, std::optional<std::string>(vectors::kId1));
    e.source = std::string(66, 'z');
    auto bad = decode_envelope(encode_envelope(e));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, kErrBadEnvelope);
}

TEST(Envelope, EmptyContentIsPresentContent) {
    auto r = decode_envelope(hex("080628014200"));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->content.empty());
    EXPECT_EQ(r->timestamp, 1u);
}

}  // namespace
}  // namespace st::proto
