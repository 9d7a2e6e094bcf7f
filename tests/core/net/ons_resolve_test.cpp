// Network::resolve_ons against the fake network (component tests): three random nodes asked
// through onion paths, all must agree; not found, disagreement, tampered and failing nodes.
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <set>

#include "net_fixture.hpp"
#include "st/crypto/ons.hpp"
#include "st/rpc/status.hpp"

namespace st::net::testing {
namespace {

using nlohmann::json;
using Hook = std::function<std::optional<std::pair<int, std::string>>(const rpc::ServiceNode&,
                                                                      const json& params)>;

constexpr const char* kAliceId = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
constexpr const char* kBobId = "0544a3f9c1e7e0bd1f8a1e2c9b3d7f6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b1a";

// oxend's answer for `name` registered to `id`, sealed as a wallet does when registering.
std::string registered(std::string_view name, std::string_view id) {
    Bytes plain = *from_hex(id);
    Bytes nonce(24);
    randombytes_buf(nonce.data(), nonce.size());
    const auto key = crypto::ons_value_key(name);
    Bytes ct(plain.size() + 16);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &len, plain.data(), plain.size(),
                                               nullptr, 0, nullptr, nonce.data(), key.data());
    return json{{"result", {{"encrypted_value", to_hex(ct)}, {"nonce", to_hex(nonce)}}},
                {"t", 1}, {"hf", {19, 3}}}
        .dump();
}
const std::string kNotRegistered = R"({"result":{},"t":1,"hf":[19,3]})";

class OnsResolveTest : public NetFixture {
protected:
    std::vector<rpc::ServiceNode> asked;        // nodes that got an ons_resolve
    std::vector<std::string> name_hashes;       // what they were asked

    void answer(Hook hook) {
        fake->set_rpc_hook([this, hook](const rpc::ServiceNode& node, const std::string& method,
                                        const std::string& params_text)
                               -> std::optional<std::pair<int, std::string>> {
            if (method != "oxend_request") return std::nullopt;
            const json params = json::parse(params_text);
            if (params.value("endpoint", "") != "ons_resolve") return std::nullopt;
            asked.push_back(node);
            name_hashes.push_back(params["params"]["name_hash"].get<std::string>());
            EXPECT_EQ(params["params"]["type"], 0);
            return hook(node, params);
        });
    }
    void answer_all(std::string body) {
        answer([body](const rpc::ServiceNode&, const json&) {
            return std::pair<int, std::string>{200, body};
        });
    }

    Outcome<crypto::SessionId> resolve(std::string name) {
        Outcome<crypto::SessionId> out;
        network->resolve_ons(name, out.callback());
        run_until([&] { return out.done(); });
        return out;
    }

    std::size_t distinct_asked() const {
        std::set<crypto::Ed25519PublicKey> keys;
        for (const auto& n : asked) keys.insert(n.ed25519);
        return keys.size();
    }
};

TEST_F(OnsResolveTest, ThreeNodesAgreeOnTheSessionId) {
    make();
    answer_all(registered("alice", kAliceId));
    auto out = resolve("Alice");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out.value().hex(), kAliceId);
    EXPECT_EQ(asked.size(), 3u);
    EXPECT_EQ(distinct_asked(), 3u);
    for (const auto& h : name_hashes) EXPECT_EQ(h, crypto::ons_name_hash_b64("alice"));
    EXPECT_EQ(out.calls, 1);
}

TEST_F(OnsResolveTest, AnUnknownNameIsNotFound) {
    make();
    answer_all(kNotRegistered);
    auto out = resolve("nobody");
    ASSERT_TRUE(out.done());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, crypto::kOnsNotFound);
    EXPECT_EQ(out.error().message, "No Session ID is registered for that name.");
    EXPECT_EQ(asked.size(), 3u);
}

TEST_F(OnsResolveTest, AnInvalidNameSendsNothing) {
    make();
    answer_all(kNotRegistered);
    for (const char* bad : {"", "-alice", "al ice", "a.b"}) {
        auto out = resolve(bad);
        ASSERT_TRUE(out.done());
        EXPECT_EQ(out.error().code, crypto::kOnsInvalidName) << bad;
    }
    EXPECT_TRUE(asked.empty());
}

TEST_F(OnsResolveTest, NodesThatDisagreeAreNotBelieved) {
    make();
    const std::string alice = registered("alice", kAliceId), bob = registered("alice", kBobId);
    answer([&](const rpc::ServiceNode&, const json&) {
        return std::pair<int, std::string>{200, asked.size() == 2 ? bob : alice};
    });
    auto out = resolve("alice");
    ASSERT_TRUE(out.done());
    EXPECT_EQ(out.error().code, crypto::kOnsDisagreement);
}

TEST_F(OnsResolveTest, OneNodeSayingNotFoundIsADisagreement) {
    make();
    const std::string alice = registered("alice", kAliceId);
    answer([&](const rpc::ServiceNode&, const json&) {
        return std::pair<int, std::string>{200, asked.size() == 1 ? kNotRegistered : alice};
    });
    EXPECT_EQ(resolve("alice").error().code, crypto::kOnsDisagreement);
}

TEST_F(OnsResolveTest, ATamperedAnswerIsReplacedByAnotherNode) {
    make();
    const std::string good = registered("alice", kAliceId);
    json tampered = json::parse(good);
    std::string value = tampered["result"]["encrypted_value"];
    value[10] = value[10] == '0' ? '1' : '0';
    tampered["result"]["encrypted_value"] = value;
    answer([&](const rpc::ServiceNode&, const json&) {
        return std::pair<int, std::string>{200, asked.size() == 1 ? tampered.dump() : good};
    });
    auto out = resolve("alice");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out.value().hex(), kAliceId);
    EXPECT_EQ(asked.size(), 4u);
    EXPECT_EQ(distinct_asked(), 4u);
}

TEST_F(OnsResolveTest, FailingNodesAreReplacedUpToALimit) {
    make();
    const std::string good = registered("alice", kAliceId);
    answer([&](const rpc::ServiceNode&, const json&) {
        return asked.size() <= 2 ? std::pair<int, std::string>{500, "oxend is unavailable"}
                                 : std::pair<int, std::string>{200, good};
    });
    auto out = resolve("alice");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(asked.size(), 5u);
}

TEST_F(OnsResolveTest, AnswersNoNodeCanReadEndWithTheirError) {
    make();
    answer_all(R"({"result":{"encrypted_value":"0011","nonce":"00"}})");
    auto out = resolve("alice");
    ASSERT_TRUE(out.done());
    EXPECT_EQ(out.error().code, crypto::kOnsBadAnswer);
    EXPECT_EQ(asked.size(), 3u + kOnsSpareNodes);

    asked.clear();
    answer_all("this is not JSON");
    EXPECT_EQ(resolve("alice").error().code, rpc::kBadJson);
    asked.clear();
    answer([](const rpc::ServiceNode&, const json&) {
        return std::pair<int, std::string>{400, "Unable to resolve ONS address"};
    });
    EXPECT_EQ(resolve("alice").error().code, rpc::kBadRequest);
}

}  // namespace
}  // namespace st::net::testing
