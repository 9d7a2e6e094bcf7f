// Reading onion replies: snode replies (base64, legacy JSON, double-encoded body), v4 bencoded
// replies, guard error classification, and every rejection.
#include "st/onion/response.hpp"

#include <gtest/gtest.h>

namespace st::onion {
namespace {

SymmetricKey test_key(std::uint8_t fill = 7) {
    SymmetricKey k;
    std::fill(k.data(), k.data() + k.size(), fill);
    return k;
}

TEST(SnodeResponse, DecodesBase64OfTheEncryptedStatusAndBody) {
    auto key = test_key();
    const std::string r = R"({"status":421,"body":"{\"snodes\":[]}"})";
    auto reply = decode_snode_response(key, as_bytes(to_base64(encrypt(key, as_bytes(r)))));
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->status, 421);
    EXPECT_EQ(reply->body, R"({"snodes":[]})");
}

TEST(SnodeResponse, AcceptsLegacyResultJsonStatusCodeAndJsonBodies) {
    auto key = test_key();
    const std::string r = R"({"status_code":200,"body":{"t":5}})";
    const std::string wire = R"({"result":")" + to_base64(encrypt(key, as_bytes(r))) + "\"}\n";
    auto reply = decode_snode_response(key, as_bytes(wire));
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, R"({"t":5})");
    auto no_body = parse_snode_reply(R"({"status":200})");
    ASSERT_TRUE(no_body);
    EXPECT_EQ(no_body->body, "");
}

TEST(SnodeResponse, RejectsWhatIsNotAnEncryptedReply) {
    auto key = test_key();
    EXPECT_EQ(decode_snode_response(key, as_bytes("not base64!")).error().code, kBadResponse);
    EXPECT_EQ(decode_snode_response(key, as_bytes(R"({"nope":1})")).error().code, kBadResponse);
    EXPECT_EQ(decode_snode_response(key, as_bytes("AAAA")).error().code, kTooShort);
    auto other = test_key(8);
    auto sealed = to_base64(encrypt(other, as_bytes(R"({"status":200})")));
    EXPECT_EQ(decode_snode_response(key, as_bytes(sealed)).error().code, kBadMac);
    for (const char* plain : {"", "[]", "{}", R"({"status":"200"})", R"({"status":99})",
                              R"({"status":1000})", R"({"status":200.5})", "{\"status\":200"}) {
        EXPECT_EQ(parse_snode_reply(plain).error().code, kBadResponse) << plain;
        auto wire = to_base64(encrypt(key, as_bytes(plain)));
        EXPECT_FALSE(decode_snode_response(key, as_bytes(wire))) << plain;
    }
}

TEST(SnodeResponse, RefusesDeeplyNestedBodies) {
    const std::string deep =
        R"({"status":200,"body":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    EXPECT_EQ(parse_snode_reply(deep).error().code, kBadResponse);
}

TEST(V4Response, ParsesMetaAndBody) {
    const std::string meta = R"({"code":200,"headers":{"content-type":"application/json"}})";
    const std::string text = "l" + std::to_string(meta.size()) + ":" + meta + "5:hello" + "e";
    auto r = parse_v4_response(as_bytes(text));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->code, 200);
    ASSERT_EQ(r->headers.size(), 1u);
    EXPECT_EQ(r->headers[0].first, "content-type");
    EXPECT_EQ(r->headers[0].second, "application/json");
    EXPECT_EQ(as_chars(r->body), "hello");

    auto key = test_key();
    auto decoded = decode_v4_response(key, encrypt(key, as_bytes(text)));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(as_chars(decoded->body), "hello");

    const std::string empty_body = "l" + std::to_string(meta.size()) + ":" + meta + "0:e";
    ASSERT_TRUE(parse_v4_response(as_bytes(empty_body)));
    EXPECT_TRUE(parse_v4_response(as_bytes(empty_body))->body.empty());
    const std::string meta_only = "l" + std::to_string(meta.size()) + ":" + meta + "e";
    EXPECT_TRUE(parse_v4_response(as_bytes(meta_only)));
}

TEST(V4Response, RejectsMalformedBencoding) {
    const std::string meta = R"({"code":200})";
    const std::string m = std::to_string(meta.size()) + ":" + meta;
    const std::string bad[] = {
        "",
        "l",
        "le",
        "x" + m + "e",
        "l" + m,                                // no list / no end
        "l" + m + "5:hie",                      // body length past the end
        "l" + m + "2:hi2:hie",                  // three elements
        "l" + m + "02:hie",                     // leading zero
        "l" + m + "2hie",                       // no colon
        "l" + m + "9999999999:e",               // absurd length
        "l3:abc0:e",                            // meta is not JSON
        "l2:{}0:e",                             // no code
        "l12:{\"code\":\"x\"}0:e",              // code is not an integer
        "l10:{\"code\":1}0:e",                  // code out of range
        "l24:{\"code\":200,\"headers\":1}0:e",  // headers not an object
    };
    for (const auto& b : bad)
        EXPECT_EQ(parse_v4_response(as_bytes(b)).error().code, kBadResponse) << b;
    auto key = test_key();
    EXPECT_EQ(decode_v4_response(key, Bytes(10)).error().code, kTooShort);
}

TEST(GuardError, NamesTheFailedNode) {
    const std::string ed = "3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da";
    auto nf = classify_guard_error(502, "Next node not found: " + ed);
    EXPECT_EQ(nf.kind, GuardFailure::node_not_found);
    ASSERT_TRUE(nf.node);
    EXPECT_EQ(nf.node->hex(), ed);
    auto unreachable =
        classify_guard_error(502, "Next node is currently unreachable: " + ed + "\n");
    EXPECT_EQ(unreachable.kind, GuardFailure::node_not_found);
    EXPECT_TRUE(unreachable.node);
    auto not_ready = classify_guard_error(503, "Snode not ready: " + ed);
    EXPECT_EQ(not_ready.kind, GuardFailure::node_not_ready);
    EXPECT_EQ(not_ready.node->hex(), ed);
}

TEST(GuardError, ClassifiesTheOtherFailures) {
    EXPECT_EQ(classify_guard_error(502, "oxend returned unparsable data").kind,
              GuardFailure::destination_failed);
    EXPECT_EQ(classify_guard_error(504, "Request time out").kind, GuardFailure::timeout);
    EXPECT_EQ(classify_guard_error(400, "Invalid ciphertext").kind,
              GuardFailure::invalid_ciphertext);
    EXPECT_EQ(classify_guard_error(406, "").kind, GuardFailure::clock_out_of_sync);
    EXPECT_EQ(classify_guard_error(425, "").kind, GuardFailure::clock_out_of_sync);
    EXPECT_EQ(classify_guard_error(500, "Invalid response from snode").kind,
              GuardFailure::path_failure);
    EXPECT_EQ(classify_guard_error(503, "Server busy, try again later").kind,
              GuardFailure::path_failure);
    // A truncated or malformed key is no name at all.
    auto short_key = classify_guard_error(502, "Next node not found: 3225");
    EXPECT_EQ(short_key.kind, GuardFailure::path_failure);
    EXPECT_FALSE(short_key.node);
    EXPECT_FALSE(classify_guard_error(502, "Next node not found: " + std::string(64, 'z')).node);
}

}  // namespace
}  // namespace st::onion
