// Request builders and signatures, with the known answers of protocol.md §10.6.
#include "st/rpc/requests.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

namespace st::rpc {
namespace {

using json = nlohmann::json;

crypto::Identity seed1() {
    return *crypto::Identity::from_seed_hex("0123456789abcdef0123456789abcdef");
}

TEST(RequestSignature, MatchesKnownAnswers) {
    const auto id = seed1();
    EXPECT_EQ(
        sign(id, "retrieve1700000000000"),
        "WyOyu+IdImmQ8OV7AdFy6O5bTGN2pn7r6UQdyVYaZIkW25BqP1rzts9nJJOT85kCiurH2eozd2DV7Mhds7fGAg==");
    EXPECT_EQ(
        sign(id, "retrieve21700000000000"),
        "S7ta+HqpLQgbDJD7ApyYSI/yIfQAf0Aa0y6eUkXIHoncSHSpWGo0tq6YmjsZWlj5pXqlTjzunQrBjPIcmDwUDw==");
    EXPECT_EQ(
        sign(id, "store21700000000000"),
        "KNaPUUhj78bGZlJG9+FEzvCg29VVlpZtpRR0RU5FP/BYxFZhKajtUp97U5Lsolfh7tAKXy38gBo4LcXKRdSSCg==");
    EXPECT_EQ(
        sign(id, "delete_allall1700000000000"),
        "6yLmTE8A19eR6jg+Ued8wgxvrYxxYXbInwZ2mCF+ZA7GUd15mTCYxHMEODKQ1UCg9QArHU1NC7hPeojEMzy4AQ==");
}

TEST(MessageHash, MatchesKnownAnswers) {
    const auto id = seed1();
    EXPECT_EQ(message_hash(id.session_id(), 0, as_bytes("abc 123")),
              "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
    EXPECT_EQ(message_hash(id.session_id(), 2, as_bytes("abc 123")),
              "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k");
    EXPECT_EQ(message_hash(id.session_id(), -10, as_bytes("abc 123")),
              "OyxfyAc772mPEm3zbbbEvFJe3VDLMEPRsloecuFaSsw");
    auto from_b64 = message_hash_b64(id.session_id(), 0, to_base64(as_bytes("abc 123")));
    ASSERT_TRUE(from_b64);
    EXPECT_EQ(*from_b64, "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
    EXPECT_FALSE(message_hash_b64(id.session_id(), 0, "not base64!"));
}

TEST(Namespace, TextIsEmptyForZeroAndPublicInboxesAreMultiplesOfTen) {
    EXPECT_EQ(namespace_text(0), "");
    EXPECT_EQ(namespace_text(2), "2");
    EXPECT_EQ(namespace_text(-10), "-10");
    EXPECT_TRUE(is_public_namespace(0));
    EXPECT_TRUE(is_public_namespace(-10));
    EXPECT_TRUE(is_public_namespace(30));
    EXPECT_FALSE(is_public_namespace(2));
    EXPECT_FALSE(is_public_namespace(-11));
}

TEST(RetrieveRequest, IsTheDocumentedSignedRequest) {
    const auto id = seed1();
    auto r = retrieve(id, {0, "", 1700000000000, std::nullopt, std::nullopt});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, "retrieve");
    auto j = json::parse(r->to_json());
    EXPECT_EQ(j["method"], "retrieve");
    const auto& p = j["params"];
    EXPECT_EQ(p["pubkey"], "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    EXPECT_EQ(p["pubkey_ed25519"],
              "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7");
    EXPECT_EQ(p["timestamp"], 1700000000000);
    EXPECT_EQ(p["namespace"], 0);
    EXPECT_EQ(p["last_hash"], "");
    EXPECT_EQ(
        p["signature"],
        "WyOyu+IdImmQ8OV7AdFy6O5bTGN2pn7r6UQdyVYaZIkW25BqP1rzts9nJJOT85kCiurH2eozd2DV7Mhds7fGAg==");
    EXPECT_FALSE(p.contains("max_size"));

    auto ns2 =
        retrieve(id, {2, "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ", 1700000000000, -8, 10});
    ASSERT_TRUE(ns2);
    auto p2 = json::parse(ns2->params);
    EXPECT_EQ(
        p2["signature"],
        "S7ta+HqpLQgbDJD7ApyYSI/yIfQAf0Aa0y6eUkXIHoncSHSpWGo0tq6YmjsZWlj5pXqlTjzunQrBjPIcmDwUDw==");
    EXPECT_EQ(p2["max_size"], -8);
    EXPECT_EQ(p2["max_count"], 10);
    EXPECT_EQ(p2["last_hash"], "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
}

TEST(RetrieveRequest, RejectsALastHashTheNodeWouldRefuse) {
    auto r = retrieve(seed1(), {0, "tooshort", 1700000000000, std::nullopt, std::nullopt});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kBadHash);
}

TEST(StoreRequest, NamespaceZeroIsNotSigned) {
    const auto id = seed1();
    auto r = store({id.session_id(), 0, 1700000000000, 14LL * 86400000, "AAEC"}, &id);
    ASSERT_TRUE(r);
    auto p = json::parse(r->params);
    EXPECT_FALSE(p.contains("signature"));
    EXPECT_FALSE(p.contains("pubkey_ed25519"));
    EXPECT_EQ(p["pubkey"], id.session_id().hex());
    EXPECT_EQ(p["namespace"], 0);
    EXPECT_EQ(p["ttl"], 14LL * 86400000);
    EXPECT_EQ(p["timestamp"], 1700000000000);
    EXPECT_EQ(p["data"], "AAEC");
}

TEST(StoreRequest, PrivateNamespaceIsSignedByTheOwner) {
    const auto id = seed1();
    auto r = store({id.session_id(), 2, 1700000000000, 30LL * 86400000, "AAEC"}, &id);
    ASSERT_TRUE(r);
    auto p = json::parse(r->params);
    EXPECT_EQ(
        p["signature"],
        "KNaPUUhj78bGZlJG9+FEzvCg29VVlpZtpRR0RU5FP/BYxFZhKajtUp97U5Lsolfh7tAKXy38gBo4LcXKRdSSCg==");
    EXPECT_EQ(p["pubkey_ed25519"], id.ed25519_public().hex());

    EXPECT_FALSE(store({id.session_id(), 2, 1, 10000, "AAEC"}, nullptr));  // no signer
    auto other = *crypto::Identity::from_seed_hex("00112233445566778899aabbccddeeff");
    EXPECT_FALSE(store({id.session_id(), 2, 1, 10000, "AAEC"}, &other));  // not the owner
}

TEST(StoreRequest, RejectsEmptyOrOversizedDataAndBadTtl) {
    const auto id = seed1();
    EXPECT_EQ(store({id.session_id(), 0, 1, 10000, ""}).error().code, kBadParams);
    EXPECT_EQ(
        store({id.session_id(), 0, 1, 10000, std::string(kMaxDataChars + 1, 'A')}).error().code,
        kBadParams);
    EXPECT_TRUE(store({id.session_id(), 0, 1, 10000, std::string(kMaxDataChars, 'A')}));
    EXPECT_EQ(store({id.session_id(), 0, 1, 0, "AAEC"}).error().code, kBadParams);
}

TEST(DeleteAllRequest, SignsAllOrTheNamespace) {
    const auto id = seed1();
    auto all = json::parse(delete_all(id, std::nullopt, 1700000000000).params);
    EXPECT_EQ(all["namespace"], "all");
    EXPECT_EQ(
        all["signature"],
        "6yLmTE8A19eR6jg+Ued8wgxvrYxxYXbInwZ2mCF+ZA7GUd15mTCYxHMEODKQ1UCg9QArHU1NC7hPeojEMzy4AQ==");
    auto zero = json::parse(delete_all(id, 0, 1700000000000).params);
    EXPECT_EQ(zero["namespace"], 0);
    EXPECT_EQ(zero["signature"], sign(id, "delete_all1700000000000"));
}

TEST(DeleteAndExpireRequests, SignTheHashesInOrder) {
    const auto id = seed1();
    const std::string h1 = "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ";
    const std::string h2 = "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k";
    auto del = delete_messages(id, {h1, h2}, true);
    ASSERT_TRUE(del);
    auto d = json::parse(del->params);
    EXPECT_EQ(d["signature"], sign(id, "delete" + h1 + h2));
    EXPECT_EQ(d["messages"], json({h1, h2}));
    EXPECT_EQ(d["required"], true);

    auto exp = expire(id, {h1}, 1700000600000, ExpireMode::shorten);
    ASSERT_TRUE(exp);
    auto e = json::parse(exp->params);
    EXPECT_EQ(e["signature"], sign(id, "expireshorten1700000600000" + h1));
    EXPECT_EQ(e["shorten"], true);
    EXPECT_FALSE(e.contains("extend"));
    auto plain = json::parse(expire(id, {h1}, 5, ExpireMode::set)->params);
    EXPECT_EQ(plain["signature"], sign(id, "expire5" + h1));

    EXPECT_EQ(delete_messages(id, {}).error().code, kBadParams);
    EXPECT_EQ(delete_messages(id, {"short"}).error().code, kBadHash);
    EXPECT_EQ(expire(id, {h1 + "="}, 5).error().code, kBadHash);
}

TEST(GetExpiriesRequest, SignsTheTimestampThenTheHashes) {
    const auto id = seed1();
    const std::string h1 = "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ";
    const std::string h2 = "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k";
    auto r = get_expiries(id, {h2, h1}, 1700000000123);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, "get_expiries");
    auto p = json::parse(r->params);
    EXPECT_EQ(p["signature"], sign(id, "get_expiries1700000000123" + h2 + h1));
    EXPECT_EQ(p["messages"], json({h2, h1}));
    EXPECT_EQ(p["timestamp"], 1700000000123);
    EXPECT_EQ(p["pubkey"], id.session_id().hex());
    EXPECT_EQ(p["pubkey_ed25519"], id.ed25519_public().hex());
    EXPECT_EQ(get_expiries(id, {}, 1).error().code, kBadParams);
    EXPECT_EQ(get_expiries(id, {"x"}, 1).error().code, kBadHash);
}

TEST(BatchRequest, WrapsOneToTwentyRequests) {
    std::vector<Request> reqs(3, info());
    auto b = batch(reqs);
    ASSERT_TRUE(b);
    auto j = json::parse(b->to_json());
    EXPECT_EQ(j["method"], "batch");
    ASSERT_EQ(j["params"]["requests"].size(), 3u);
    EXPECT_EQ(j["params"]["requests"][0], json::parse(R"({"method":"info","params":{}})"));
    EXPECT_EQ(sequence(reqs)->method, "sequence");

    EXPECT_EQ(batch({}).error().code, kTooManyRequests);
    EXPECT_EQ(batch(std::vector<Request>(21, info())).error().code, kTooManyRequests);
    EXPECT_TRUE(batch(std::vector<Request>(20, info())));
    EXPECT_EQ(batch({*b}).error().code, kBadParams);  // no nesting
}

TEST(OtherRequests, HaveTheDocumentedShape) {
    auto g = json::parse(get_swarm("05abc").to_json());
    EXPECT_EQ(g, json::parse(R"({"method":"get_swarm","params":{"pubkey":"05abc"}})"));
    auto o = json::parse(get_service_nodes().to_json());
    EXPECT_EQ(o["method"], "oxend_request");
    EXPECT_EQ(o["params"]["endpoint"], "get_service_nodes");
    EXPECT_EQ(o["params"]["params"]["fields"]["swarm_id"], true);
    auto s = json::parse(seed_request_body());
    EXPECT_EQ(s["method"], "get_n_service_nodes");
    EXPECT_EQ(s["params"]["active_only"], true);
    EXPECT_EQ(s["params"]["fields"]["pubkey_ed25519"], true);
}

TEST(HashFormat, IsFortyThreeBase64Characters) {
    EXPECT_TRUE(is_valid_hash("iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ"));
    EXPECT_FALSE(is_valid_hash("iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hL"));
    EXPECT_FALSE(is_valid_hash("iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hL="));
    EXPECT_FALSE(is_valid_hash("iBlnwojt-9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ"));
}

}  // namespace
}  // namespace st::rpc
