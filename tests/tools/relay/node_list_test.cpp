// The seed's node list as the relay reads it, and the page's seed requests it lets through.
#include "relay/node_list.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace st::relay {
namespace {

const std::string kKeyA(64, 'a');
const std::string kKeyB = std::string(63, '0') + "B";

std::string seed_answer(const std::string& states) {
    return R"({"result":{"service_node_states":[)" + states + R"(],"height":5,"status":"OK"}})";
}

std::string state(const std::string& ip, const std::string& port, const std::string& key) {
    return R"({"public_ip":")" + ip + R"(","storage_port":)" + port + R"(,"pubkey_ed25519":")" +
           key + R"(","swarm_id":18446744073709551614})";
}

TEST(RelayNodeList, ReadsUsableNodesAndSkipsTheRest) {
    const std::string json = seed_answer(
        state("1.2.3.4", "22021", kKeyA) + "," + state("5.6.7.8", "443", kKeyB) + "," +
        state("0.0.0.0", "1", std::string(64, 'c')) + "," + state("", "1", std::string(64, 'd')) +
        "," + state("::1", "1", std::string(64, 'e')) + "," +
        state("9.9.9.9", "0", std::string(64, 'f')) + "," +
        state("9.9.9.9", "70000", std::string(64, 'f')) + "," + state("9.9.9.9", "1", "abc") + "," +
        state("9.9.9.9", "1", kKeyA) + R"(,{"public_ip":"9.9.9.9"},7)");
    auto parsed = parse_service_nodes(json, {});
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    ASSERT_EQ(parsed->nodes.size(), 2u);
    EXPECT_EQ(parsed->skipped, 9u);
    EXPECT_EQ(parsed->nodes[0].ip, "1.2.3.4");
    EXPECT_EQ(parsed->nodes[0].port, 22021);
    EXPECT_EQ(parsed->nodes[1].ed25519_hex, std::string(63, '0') + "b");

    NodeList list;
    list.replace(std::move(parsed->nodes));
    EXPECT_EQ(list.size(), 2u);
    ASSERT_NE(list.find(std::string(63, '0') + "B"), nullptr);
    EXPECT_EQ(list.find(std::string(64, 'A'))->ip, "1.2.3.4");
    EXPECT_EQ(list.find(std::string(64, 'c')), nullptr);
    EXPECT_EQ(list.find("../../etc"), nullptr);
}

TEST(RelayNodeList, LoopbackAndPrivateNodesOnlyOnDevnet) {
    const std::string json =
        seed_answer(state("127.0.0.1", "22100", kKeyA) + "," + state("10.1.2.3", "1", kKeyB) + "," +
                    state("192.168.1.1", "1", std::string(64, 'c')) + "," +
                    state("169.254.1.1", "1", std::string(64, 'd')) + "," +
                    state("8.8.8.8", "1", std::string(64, 'e')));
    ParseOptions live;
    auto on_live = parse_service_nodes(json, live);
    ASSERT_TRUE(on_live.has_value());
    ASSERT_EQ(on_live->nodes.size(), 1u);
    EXPECT_EQ(on_live->nodes[0].ip, "8.8.8.8");
    ParseOptions devnet;
    devnet.allow_private_addresses = true;
    auto on_devnet = parse_service_nodes(json, devnet);
    ASSERT_TRUE(on_devnet.has_value());
    EXPECT_EQ(on_devnet->nodes.size(), 5u);
}

TEST(RelayNodeList, ReportsBrokenAnswersAsErrors) {
    EXPECT_EQ(parse_service_nodes("not json", {}).error().code, "seed.bad_json");
    EXPECT_EQ(parse_service_nodes("[]", {}).error().code, "seed.bad_json");
    EXPECT_EQ(parse_service_nodes(R"({"result":{}})", {}).error().code, "seed.bad_json");
    EXPECT_EQ(parse_service_nodes(R"({"error":{"code":-1}})", {}).error().code, "seed.error");
    EXPECT_EQ(parse_service_nodes(seed_answer(""), {}).error().code, "seed.no_nodes");
    EXPECT_EQ(parse_service_nodes(std::string(100, '[') + std::string(100, ']'), {}).error().code,
              "seed.bad_json");
    ParseOptions small;
    small.max_nodes = 1;
    EXPECT_EQ(
        parse_service_nodes(
            seed_answer(state("1.2.3.4", "1", kKeyA) + "," + state("1.2.3.5", "1", kKeyB)), small)
            .error()
            .code,
        "seed.too_many_nodes");
}

TEST(RelayNodeList, OwnSeedRequestAsksForTheFieldsItReads) {
    const auto body = nlohmann::json::parse(seed_request_body());
    EXPECT_EQ(body["method"], "get_n_service_nodes");
    EXPECT_EQ(body["params"]["active_only"], true);
    for (const char* field : {"public_ip", "storage_port", "pubkey_ed25519"}) {
        EXPECT_EQ(body["params"]["fields"][field], true) << field;
    }
}

TEST(RelayNodeList, LetsOnlyGetNServiceNodesThroughReserialised) {
    auto ok = sanitize_seed_request(
        R"({"jsonrpc":"2.0","id":7,"method":"get_n_service_nodes","params":{"limit":5},"x":1})");
    ASSERT_TRUE(ok.has_value());
    const auto sent = nlohmann::json::parse(*ok);
    EXPECT_EQ(sent["method"], "get_n_service_nodes");
    EXPECT_EQ(sent["params"]["limit"], 5);
    EXPECT_EQ(sent["id"], 7);
    EXPECT_FALSE(sent.contains("x"));

    EXPECT_EQ(sanitize_seed_request(R"({"method":"get_info"})").error().code,
              "seed.method_not_allowed");
    EXPECT_EQ(sanitize_seed_request(R"({"params":{}})").error().code, "seed.method_not_allowed");
    EXPECT_EQ(sanitize_seed_request(R"({"method":["get_n_service_nodes"]})").error().code,
              "seed.method_not_allowed");
    EXPECT_EQ(sanitize_seed_request("get_n_service_nodes").error().code, "seed.bad_request");
    EXPECT_EQ(sanitize_seed_request(R"({"method":"get_n_service_nodes","params":[]})").error().code,
              "seed.bad_request");
    const std::string deep = R"({"method":"get_n_service_nodes","params":{"a":)" +
                             std::string(1000, '[') + std::string(1000, ']') + "}}";
    EXPECT_EQ(sanitize_seed_request(deep).error().code, "seed.bad_request");
}

TEST(RelayNodeList, DuplicateMethodKeysCannotSmuggleAnotherMethod) {
    // Whatever a parser keeps of duplicate keys, the seed receives the one that was checked.
    auto result = sanitize_seed_request(
        R"({"method":"get_info","method":"get_n_service_nodes","params":{}})");
    if (result) {
        EXPECT_EQ(nlohmann::json::parse(*result)["method"], "get_n_service_nodes");
        EXPECT_EQ(result->find("get_info"), std::string::npos);
    }
}

TEST(RelayNodeList, KeysAreExactly64HexDigits) {
    EXPECT_TRUE(is_ed25519_hex(kKeyA));
    EXPECT_TRUE(is_ed25519_hex(std::string(64, 'F')));
    EXPECT_FALSE(is_ed25519_hex(std::string(63, 'a')));
    EXPECT_FALSE(is_ed25519_hex(std::string(65, 'a')));
    EXPECT_FALSE(is_ed25519_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace st::relay
