// Parsers of node answers: the documented shapes, full-width integers, and every rejection.
#include "st/rpc/responses.hpp"

#include <gtest/gtest.h>

#include "st/rpc/status.hpp"

namespace st::rpc {
namespace {

const std::string kEd = "3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da";
const std::string kX = "7f115455aec3d0cc39c2dc9259604f6d13ad5714c09a702a225d68abeb2e433a";
const std::string kHash = "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ";

TEST(ParseRetrieve, ReadsMessagesInNodeOrderWithExpiration) {
    auto r =
        parse_retrieve(R"({"messages":[
        {"hash":")" + kHash +
                       R"(","timestamp":1700000000123,"expiration":1701209600123,"data":"AAEC"},
        {"hash":"lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k","timestamp":2,"expiration":3,"data":""}],
        "more":true,"t":1700000000999,"hf":[19,3]})");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->messages.size(), 2u);
    EXPECT_EQ(r->messages[0].hash, kHash);
    EXPECT_EQ(r->messages[0].data, "AAEC");
    EXPECT_EQ(r->messages[0].timestamp, 1700000000123);
    EXPECT_EQ(r->messages[0].expiration, 1701209600123);
    EXPECT_EQ(r->messages[1].expiration, 3);
    EXPECT_TRUE(r->more);
    EXPECT_EQ(r->t, 1700000000999);
}

TEST(ParseRetrieve, AcceptsEmptyListAndTheOldExpirySpelling) {
    auto empty = parse_retrieve(R"({"messages":[]})");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->messages.empty());
    EXPECT_FALSE(empty->more);
    EXPECT_FALSE(empty->t);
    auto old = parse_retrieve(R"({"messages":[{"hash":")" + kHash +
                              R"(","timestamp":1,"expiry":5,"data":"x"}]})");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->messages[0].expiration, 5);
}

TEST(ParseRetrieve, RejectsMalformedAnswers) {
    const char* bad[] = {
        "",
        "not json",
        "[]",
        "{}",
        R"({"messages":{}})",
        R"({"messages":[1]})",
        R"({"messages":[{"hash":"short","timestamp":1,"expiration":2,"data":""}]})",
        R"({"messages":[{"timestamp":1,"expiration":2,"data":""}]})",
        R"({"messages":[{"hash":"iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ","timestamp":1.5,"expiration":2,"data":""}]})",
        R"({"messages":[{"hash":"iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ","timestamp":"1","expiration":2,"data":""}]})",
        R"({"messages":[{"hash":"iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ","timestamp":1,"expiration":2}]})",
        R"({"messages":[{"hash":"iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ","timestamp":18446744073709551615,"expiration":2,"data":""}]})",
        "{\"messages\":[], \"x\":\"\xff\"}",
    };
    for (const char* body : bad) {
        auto r = parse_retrieve(body);
        EXPECT_FALSE(r) << body;
        if (!r) {
            EXPECT_TRUE(r.error().code == kBadJson || r.error().code == kBadResponse);
        }
    }
    EXPECT_EQ(parse_retrieve("nope").error().code, kBadJson);
    EXPECT_EQ(parse_retrieve("{}").error().code, kBadResponse);
}

TEST(ParseServiceNodes, KeepsTheFullUint64SwarmId) {
    auto r = parse_service_nodes(
        R"({"result":{"service_node_states":[
        {"public_ip":"1.2.3.4","storage_port":22021,"pubkey_ed25519":")" +
        kEd + R"(","pubkey_x25519":")" + kX + R"(","swarm_id":18446744073709551614},
        {"public_ip":"5.6.7.8","storage_port":22021,"pubkey_ed25519":")" +
        kEd + R"(","pubkey_x25519":")" + kX + R"(","swarm_id":9007199254740993}
        ],"height":1,"status":"OK"}})");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].swarm_id, 18446744073709551614ULL);
    EXPECT_EQ((*r)[1].swarm_id, 9007199254740993ULL);  // 2^53 + 1: a double would lose it
    EXPECT_EQ((*r)[0].ip_text(), "1.2.3.4");
    EXPECT_EQ((*r)[0].port, 22021);
    EXPECT_EQ((*r)[0].ed25519.hex(), kEd);
    EXPECT_EQ((*r)[0].x25519.hex(), kX);
}

TEST(ParseServiceNodes, SkipsUnusableEntriesAndAcceptsNoWrapper) {
    auto r = parse_service_nodes(R"({"service_node_states":[
        {"public_ip":"0.0.0.0","storage_port":1,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"("},
        {"public_ip":"","storage_port":1,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"("},
        {"public_ip":"1.2.3.4","storage_port":0,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"("},
        {"public_ip":"1.2.3.4","storage_port":70000,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"("},
        {"public_ip":"1.2.3.4","storage_port":1,"pubkey_ed25519":"zz","pubkey_x25519":")" +
                                 kX + R"("},
        {"public_ip":"::1","storage_port":1,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"("},
        {"public_ip":"9.9.9.9","storage_port":1,"pubkey_ed25519":")" +
                                 kEd + R"(","pubkey_x25519":")" + kX + R"(","swarm_id":1.5},
        "junk", 7
        ]})");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].ip_text(), "9.9.9.9");
    EXPECT_FALSE((*r)[0].swarm_id);  // a float is not a swarm id
}

TEST(ParseServiceNodes, RejectsAnswersWithoutAList) {
    for (const char* body :
         {"", "{", "[]", "{}", R"({"result":{}})", R"({"result":{"service_node_states":{}}})"})
        EXPECT_FALSE(parse_service_nodes(body)) << body;
}

TEST(ParseSwarm, ReadsMembersAndTheHexSwarmId) {
    auto r =
        parse_swarm(R"({"snodes":[{"address":"x.snode","pubkey_legacy":"00","pubkey_x25519":")" +
                    kX + R"(","pubkey_ed25519":")" + kEd +
                    R"(","port":"22021","port_https":22021,"port_omq":22020,"ip":"1.2.3.4"},
            {"pubkey_x25519":")" +
                    kX + R"(","pubkey_ed25519":")" + kEd +
                    R"(","port":"22022","ip":"5.6.7.8"},
            {"pubkey_x25519":")" +
                    kX + R"(","pubkey_ed25519":")" + kEd +
                    R"(","port_https":22021,"ip":"0.0.0.0"}],
        "swarm":"fffffffffffffffe","t":1700000000000})");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->nodes.size(), 2u);
    EXPECT_EQ(r->nodes[1].port, 22022);  // the deprecated string port as a fallback
    EXPECT_EQ(r->swarm_id, 0xfffffffffffffffeULL);
    EXPECT_EQ(r->nodes[0].swarm_id, 0xfffffffffffffffeULL);
    EXPECT_EQ(r->t, 1700000000000);
    EXPECT_FALSE(parse_swarm(R"({"swarm":"1"})"));
    EXPECT_FALSE(parse_swarm(R"({"snodes":7})"));
    auto bad_id = parse_swarm(R"({"snodes":[],"swarm":"not hex"})");
    ASSERT_TRUE(bad_id);
    EXPECT_FALSE(bad_id->swarm_id);
}

TEST(ParseStore, ReadsTheHashAndPerNodeResults) {
    auto r = parse_store(R"({"swarm":{")" + kEd + R"(":{"hash":")" + kHash +
                         R"(","signature":"sig","expiry":1701209600000,"already":true},
        "0000000000000000000000000000000000000000000000000000000000000000":{"failed":true,"timeout":true,"code":504,"reason":"x"}},
        "hash":")" + kHash +
                         R"(","t":1700000000123})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->hash, kHash);
    EXPECT_EQ(r->swarm.t, 1700000000123);
    ASSERT_EQ(r->swarm.nodes.size(), 2u);
    EXPECT_TRUE(r->swarm.nodes.at(kEd).already);
    EXPECT_EQ(r->swarm.nodes.at(kEd).expiry, 1701209600000);
    const auto& failed = r->swarm.nodes.at(std::string(64, '0'));
    EXPECT_TRUE(failed.failed);
    EXPECT_TRUE(failed.timeout);
    EXPECT_EQ(failed.code, 504);

    auto only_swarm = parse_store(R"({"swarm":{")" + kEd + R"(":{"hash":")" + kHash + R"("}}})");
    ASSERT_TRUE(only_swarm);
    EXPECT_EQ(only_swarm->hash, kHash);
    EXPECT_EQ(parse_store(R"({"t":1})").error().code, kBadResponse);
    EXPECT_FALSE(parse_store(R"({"hash":"h","swarm":{"short":{}}})"));
    EXPECT_FALSE(parse_store(R"({"hash":"h","swarm":{")" + kEd + R"(":7}})"));
}

TEST(ParseSwarmOutcome, FlattensDeletedListsOfEveryNamespace) {
    auto r = parse_swarm_outcome(R"({"swarm":{")" + kEd +
                                 R"(":{"deleted":{"0":["a","b"],"2":["c"]},"signature":"s"}}})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->nodes.at(kEd).hashes, (std::vector<std::string>{"a", "b", "c"}));
    auto upd = parse_swarm_outcome(R"({"swarm":{")" + kEd + R"(":{"updated":["a"],"expiry":5}}})");
    ASSERT_TRUE(upd);
    EXPECT_EQ(upd->nodes.at(kEd).hashes, (std::vector<std::string>{"a"}));
    EXPECT_FALSE(parse_swarm_outcome(R"({"swarm":{")" + kEd + R"(":{"deleted":[1]}}})"));
    EXPECT_FALSE(parse_swarm_outcome(R"({})"));
}

TEST(ParseInfo, ReadsVersionAndTime) {
    auto r = parse_info(
        R"({"version":[2,8,0],"timestamp":1700000000000,"t":1700000000001,"hf":[19,3]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->timestamp, 1700000000000);
    EXPECT_EQ(r->version, (std::vector<int>{2, 8, 0}));
    EXPECT_EQ(parse_info(R"({"t":5})")->timestamp, 5);
    EXPECT_FALSE(parse_info(R"({"version":[2]})"));
    EXPECT_FALSE(parse_info(R"({"timestamp":1,"version":[-1]})"));
    EXPECT_TRUE(parse_info(R"({"timestamp":1,"version":"2.8"})"));  // an odd version is ignored
}

TEST(ParseBatch, KeepsResultOrderAndBodiesAsText) {
    auto r = parse_batch(R"({"results":[{"code":200,"body":{"t":1700000000000,"messages":[]}},
                                        {"code":421,"body":"wrong swarm"},{"code":500}]})");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].code, 200);
    EXPECT_EQ((*r)[0].body, R"({"messages":[],"t":1700000000000})");
    EXPECT_EQ((*r)[1].body, "wrong swarm");
    EXPECT_EQ((*r)[2].body, "");
    for (const char* body :
         {"{}", R"({"results":{}})", R"({"results":[7]})", R"({"results":[{"body":{}}]})",
          R"({"results":[{"code":1000}]})", R"({"results":[{"code":-1}]})"})
        EXPECT_FALSE(parse_batch(body)) << body;
}

TEST(ParseBatch, RefusesDeepNestingThatWouldExhaustTheStack) {
    // 200 000 levels: parsing is iterative, but serialising a sub-body would recurse.
    const std::string deep = R"({"results":[{"code":200,"body":)" + std::string(200000, '[') +
                             std::string(200000, ']') + "}]}";
    auto r = parse_batch(deep);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kBadJson);
    EXPECT_TRUE(server_times(deep).empty());
    // Brackets inside strings are not nesting.
    const std::string in_string =
        R"({"results":[{"code":200,"body":")" + std::string(1000, '[') + R"(\"]"}]})";
    EXPECT_TRUE(parse_batch(in_string));
    std::string nested = R"({"results":[{"code":200,"body":)";
    for (int i = 0; i < 28; ++i) nested += R"({"a":)";
    nested += "1" + std::string(28, '}') + "}]}";
    EXPECT_TRUE(parse_batch(nested));  // ordinary depth is fine
}

TEST(ServerTimes, CollectsTopLevelAndBatchTimes) {
    EXPECT_EQ(server_times(R"({"t":5})"), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(
        server_times(
            R"({"results":[{"code":200,"body":{"t":7}},{"code":200,"body":"x"},{"code":200,"body":{"t":8}}]})"),
        (std::vector<std::int64_t>{7, 8}));
    EXPECT_TRUE(server_times("garbage").empty());
    EXPECT_TRUE(server_times(R"({"t":"5"})").empty());
}

TEST(StatusCodes, MapToTypedErrorsAndActions) {
    struct Case {
        int status;
        std::string_view code;
        StatusAction action;
    };
    const Case cases[] = {
        {400, kBadRequest, StatusAction::give_up},
        {401, kUnauthorized, StatusAction::give_up},
        {403, kBadTtl, StatusAction::give_up},
        {404, kNotFound, StatusAction::give_up},
        {406, kClockOutOfSync, StatusAction::resync_clock},
        {410, kObsolete, StatusAction::give_up},
        {421, kWrongSwarm, StatusAction::update_swarm},
        {425, kClockOutOfSync, StatusAction::resync_clock},
        {429, kRateLimited, StatusAction::back_off},
        {432, kUnexpectedStatus, StatusAction::try_another_node},
        {500, kServerError, StatusAction::try_another_node},
        {502, kBadGateway, StatusAction::try_another_node},
        {503, kUnavailable, StatusAction::try_another_node},
        {504, kGatewayTimeout, StatusAction::try_another_node},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(status_error(c.status, "body").code, c.code) << c.status;
        EXPECT_EQ(action_for(c.status), c.action) << c.status;
    }
    EXPECT_EQ(action_for(200), StatusAction::ok);
    EXPECT_EQ(action_for(204), StatusAction::ok);
    auto e = status_error(406, std::string("Timestamp error\n\x01") + std::string(500, 'x'));
    EXPECT_NE(e.message.find("HTTP 406"), std::string::npos);
    EXPECT_EQ(e.message.find('\n'), std::string::npos);  // untrusted text is made printable
    EXPECT_LT(e.message.size(), 250u);                   // and short
}

TEST(ParseIpv4, AcceptsDottedQuadsOnly) {
    EXPECT_EQ(*parse_ipv4("1.2.3.4"), (Ipv4{1, 2, 3, 4}));
    EXPECT_EQ(*parse_ipv4("255.255.255.0"), (Ipv4{255, 255, 255, 0}));
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
                            "a.b.c.d", "1..3.4", "1.2.3.", "1234.1.1.1"})
        EXPECT_FALSE(parse_ipv4(bad)) << bad;
}

}  // namespace
}  // namespace st::rpc
