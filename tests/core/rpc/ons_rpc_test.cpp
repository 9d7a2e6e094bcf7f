// oxend_request ons_resolve: the request as session-desktop builds it
// (ts/session/apis/snode_api/SnodeRequestTypes.ts OnsResolveSubRequest) and the parser of oxend's
// answer (oxen-core src/rpc/core_rpc_server.cpp ONS_RESOLVE).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "st/rpc/requests.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::rpc {
namespace {

using nlohmann::json;

constexpr const char* kHashB64 = "kosgNmlD4q/RHrwOri5TqTvxd6T881vMZNUDcE5l4gI=";

TEST(OnsResolveRequest, IsTheOxendRequestDesktopSends) {
    const Request r = ons_resolve(kHashB64);
    EXPECT_EQ(r.method, "oxend_request");
    EXPECT_EQ(json::parse(r.params),
              (json{{"endpoint", "ons_resolve"},
                    {"params", {{"type", 0}, {"name_hash", kHashB64}}}}));
    // Desktop wraps it alone in a batch.
    auto b = batch({r});
    ASSERT_TRUE(b);
    EXPECT_EQ(json::parse(b->to_json()),
              json::parse(R"({"method":"batch","params":{"requests":[{"method":"oxend_request",
                  "params":{"endpoint":"ons_resolve","params":{"type":0,"name_hash":")" +
                          std::string(kHashB64) + R"("}}}]}})"));
}

TEST(ParseOnsResolve, ReadsAValueAndItsNonce) {
    auto r = parse_ons_resolve(
        R"({"result":{"encrypted_value":"00ff10","nonce":"00112233445566778899AABBCCDDEEFF00FFEEDDCCBBAA99"},"t":1,"hf":[19,3]})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->found);
    EXPECT_EQ(to_hex(r->encrypted_value), "00ff10");
    EXPECT_EQ(to_hex(r->nonce), "00112233445566778899aabbccddeeff00ffeeddccbbaa99");
}

TEST(ParseOnsResolve, AValueWithoutNonceIsALegacyValue) {
    auto r = parse_ons_resolve(R"({"result":{"encrypted_value":"abcd"}})");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->found);
    EXPECT_TRUE(r->nonce.empty());
}

TEST(ParseOnsResolve, NoValueMeansNotRegistered) {
    for (const char* body : {R"({"result":{}})", R"({"result":{"status":"OK"},"t":5})",
                             R"({"result":{"encrypted_value":""}})",
                             R"({"result":{"encrypted_value":null}})"}) {
        auto r = parse_ons_resolve(body);
        ASSERT_TRUE(r) << body;
        EXPECT_FALSE(r->found) << body;
    }
}

TEST(ParseOnsResolve, RefusesMalformedAnswers) {
    EXPECT_EQ(parse_ons_resolve("not json").error().code, kBadJson);
    EXPECT_EQ(parse_ons_resolve("").error().code, kBadJson);
    for (const char* body :
         {"[]", "{}", R"({"result":[]})", R"({"result":"x"})",
          R"({"result":{"encrypted_value":12}})", R"({"result":{"encrypted_value":"xyz"}})",
          R"({"result":{"encrypted_value":"abc"}})",
          R"({"result":{"encrypted_value":"ab","nonce":7}})",
          R"({"result":{"encrypted_value":"ab","nonce":"zz"}})"}) {
        auto r = parse_ons_resolve(body);
        ASSERT_FALSE(r) << body;
        EXPECT_EQ(r.error().code, kBadResponse) << body;
    }
    const std::string huge = R"({"result":{"encrypted_value":")" + std::string(4096, 'a') + "\"}}";
    EXPECT_EQ(parse_ons_resolve(huge).error().code, kBadResponse);
}

}  // namespace
}  // namespace st::rpc
