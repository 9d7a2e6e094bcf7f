// The onion router against the fake network: path building and diversity, guard testing,
// failures, strikes, repairs, rebuilds, timeouts, and server (v4) requests.
#include "st/net/router.hpp"

#include <set>

#include "net_fixture.hpp"

namespace st::net::testing {
namespace {

using Behaviour = FakeSnodeNetwork::Behaviour;

class RouterTest : public NetFixture {
protected:
    OnionRouter& router() { return network->router(); }

    void build() {
        Outcome<void> built;
        router().build_paths(built.callback());
        ASSERT_TRUE(run_until([&] { return built.done(); }));
        ASSERT_TRUE(built.ok()) << built.error().message;
    }

    // A node on no path: a destination that makes the path choice free.
    rpc::ServiceNode off_path_node() {
        for (const auto& n : fake->nodes()) {
            bool used = false;
            for (const auto& p : router().paths())
                for (const auto& h : p.nodes) used = used || h.same_node(n);
            if (!used) return n;
        }
        ADD_FAILURE() << "every node is on a path";
        return fake->nodes().front();
    }

    const Path* find_path(std::uint64_t id) {
        for (const auto& p : router().paths())
            if (p.id == id) return &p;
        ADD_FAILURE() << "no path " << id;
        return &router().paths().front();
    }

    Outcome<onion::SnodeReply> info_via(const rpc::ServiceNode& target) {
        Outcome<onion::SnodeReply> out;
        router().send_to_snode(target, rpc::info().to_json(), out.callback());
        return out;
    }
};

TEST_F(RouterTest, BuildsThreeHopPathsInDistinctSubnetsAroundTestedGuards) {
    make();
    build();
    ASSERT_EQ(router().paths().size(), 2u);
    std::set<std::string> guards;
    for (const auto& p : router().paths()) {
        ASSERT_EQ(p.nodes.size(), 3u);
        std::set<std::string> subnets;
        for (const auto& n : p.nodes) subnets.insert(router().diversity_key(n));
        EXPECT_EQ(subnets.size(), 3u);
        EXPECT_EQ(fake->direct_calls(p.nodes[0].ed25519), 1u);  // the guard was tested
        guards.insert(p.nodes[0].ed25519.hex());
    }
    EXPECT_EQ(guards.size(), 2u);
    // The guard test is a direct get_swarm, not for our own account.
    const auto& test = transport.sent().at(1);
    EXPECT_NE(test.url.find("/storage_rpc/v1"), std::string::npos);
    EXPECT_NE(as_chars(test.body).find("\"get_swarm\""), std::string_view::npos);
    EXPECT_EQ(test.timeout, 10000ms);
}

TEST_F(RouterTest, WithoutADirectRouteGuardsAreTestedThroughAnOnionLayer) {
    // Like a browser behind tools/relay: only onion requests reach a node.
    make({}, {}, std::make_shared<UrlTemplateAddressing>("http://{ip}:{port}/onion_req/v2", ""));
    build();
    for (const auto& n : fake->nodes()) EXPECT_EQ(fake->direct_calls(n.ed25519), 0u);
    for (const auto& p : router().paths()) {
        EXPECT_EQ(fake->guard_calls(p.nodes[0].ed25519), 1u);
        EXPECT_EQ(fake->rpc_calls(p.nodes[0].ed25519, "info"), 1u);  // it was its own destination
    }
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    EXPECT_TRUE(out.ok()) << out.error().message;
}

TEST_F(RouterTest, DevnetLoopbackNodesAreDistinguishedByKey) {
    FakeSnodeNetwork::Options devnet;
    devnet.loopback = true;
    make(devnet);
    build();
    for (const auto& p : router().paths()) {
        std::set<std::string> keys;
        for (const auto& n : p.nodes) keys.insert(n.ed25519.hex());
        EXPECT_EQ(keys.size(), 3u);
        EXPECT_TRUE(p.nodes[0].is_loopback());
    }
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    EXPECT_TRUE(out.ok()) << out.error().message;
}

TEST_F(RouterTest, StrictSubnetRuleCannotUseAllLoopbackNodes) {
    FakeSnodeNetwork::Options devnet;
    devnet.loopback = true;
    NetworkConfig strict;
    strict.router.diversity = PathDiversity::subnet24;
    make(devnet, strict);
    Outcome<void> built;
    router().build_paths(built.callback());
    ASSERT_TRUE(run_until([&] { return built.done(); }));
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().code, kNoNodes);
}

TEST_F(RouterTest, DeliversTheDestinationsDecryptedReply) {
    make();
    build();
    const auto target = off_path_node();
    auto out = info_via(target);
    EXPECT_FALSE(out.done());  // never inline
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out.value().status, 200);
    EXPECT_NE(out.value().body.find("\"timestamp\""), std::string::npos);
    EXPECT_EQ(fake->rpc_calls(target.ed25519, "info"), 1u);
    EXPECT_EQ(out.calls, 1);
}

TEST_F(RouterTest, AFailedPathIsReplacedAroundANewGuardWhenNoOtherPathWorks) {
    NetworkConfig config;
    config.router.path_count = 1;
    config.router.attempts = 1;  // each request gives up on its first failure
    make({}, config);
    build();
    const Path old = router().paths().at(0);
    const auto target = off_path_node();
    fake->set_behaviour(old.nodes[2].ed25519, Behaviour::silent);  // the middle's relay: 504
    auto lost = info_via(target);
    ASSERT_TRUE(run_until([&] { return lost.done(); }));
    EXPECT_EQ(lost.error().code, kPathFailed);
    // Each non-guard hop shares the blame; the guard answered, so it is not struck.
    EXPECT_EQ(network->pool().failures(old.nodes[1].ed25519), 1);
    EXPECT_EQ(network->pool().failures(old.nodes[2].ed25519), 1);
    EXPECT_EQ(network->pool().failures(old.nodes[0].ed25519), 0);

    auto out = info_via(target);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    ASSERT_EQ(router().paths().size(), 1u);
    const Path& fresh = router().paths().at(0);
    EXPECT_NE(fresh.id, old.id);
    EXPECT_FALSE(fresh.nodes[0].same_node(old.nodes[0]));  // a newly tested guard
    EXPECT_EQ(fake->direct_calls(fresh.nodes[0].ed25519), 1u);
    EXPECT_EQ(fake->guard_calls(old.nodes[0].ed25519), 1u);
    for (const auto& n : fresh.nodes)  // the struck hops are avoided
        for (std::size_t i = 1; i < old.nodes.size(); ++i) EXPECT_FALSE(n.same_node(old.nodes[i]));
}

TEST_F(RouterTest, APathThatWentSilentIsLeftAloneWhileAnotherWorks) {
    NetworkConfig config;
    config.random = &first_choice;  // without failures, requests would take paths()[0]
    make({}, config);
    build();
    ASSERT_EQ(router().paths().size(), 2u);
    const Path broken = router().paths().at(0);
    fake->set_behaviour(broken.nodes[2].ed25519, Behaviour::silent);
    for (int i = 0; i < 3; ++i) {
        auto out = info_via(off_path_node());
        ASSERT_TRUE(run_until([&] { return out.done(); }));
        ASSERT_TRUE(out.ok()) << out.error().message;
    }
    EXPECT_EQ(fake->guard_calls(broken.nodes[0].ed25519), 1u);  // only the first request
    EXPECT_EQ(router().paths().at(0).failures, 1);
    EXPECT_EQ(router().paths().at(1).failures, 0);
}

TEST_F(RouterTest, ARequestThatFailedOnEveryPathGetsNewPathsAvoidingStruckNodes) {
    NetworkConfig config;
    config.router.path_count = 1;
    make({}, config);
    build();
    const Path old = router().paths().at(0);
    fake->set_behaviour(old.nodes[2].ed25519, Behaviour::silent);  // 504 from the middle
    const auto start = clock.steady();
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(clock.steady() - start, 5000ms);  // one 504, then a new path at once
    EXPECT_EQ(fake->guard_calls(old.nodes[0].ed25519), 1u);
    ASSERT_EQ(router().paths().size(), 1u);
    const Path& fresh = router().paths().at(0);
    EXPECT_NE(fresh.id, old.id);
    for (const auto& n : fresh.nodes)  // neither struck hop of the failed path
        for (std::size_t i = 1; i < old.nodes.size(); ++i) EXPECT_FALSE(n.same_node(old.nodes[i]));
}

TEST_F(RouterTest, AMissingHopIsDroppedAndThePathRepaired) {
    NetworkConfig config;
    config.router.path_count = 1;
    make({}, config);
    build();
    const Path before = router().paths().at(0);
    const auto middle = before.nodes[1];
    fake->set_behaviour(middle.ed25519, Behaviour::down);  // "Next node not found: <middle>"
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(network->pool().contains(middle.ed25519));
    const Path& after = router().paths().at(0);
    EXPECT_EQ(after.id, before.id);  // repaired, not rebuilt
    EXPECT_TRUE(after.nodes[0].same_node(before.nodes[0]));
    EXPECT_FALSE(after.nodes[1].same_node(middle));
    EXPECT_EQ(after.failures, 0);
}

TEST_F(RouterTest, ATimeoutMovesTheRequestToAnotherPath) {
    NetworkConfig config;
    config.random = &first_choice;  // the first attempt takes paths()[0]
    make({}, config);
    build();
    ASSERT_EQ(router().paths().size(), 2u);
    const auto silent_guard = router().paths()[0].nodes[0];
    fake->set_behaviour(silent_guard.ed25519, Behaviour::silent_to_client);
    const auto start = clock.steady();
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(clock.steady() - start, 10000ms);  // one request timeout, then the other path
    EXPECT_EQ(router().paths()[0].failures, 1);
    EXPECT_EQ(router().paths()[1].failures, 0);
    EXPECT_EQ(transport.cancelled(), 1u);  // the silent request was cancelled
    EXPECT_EQ(out.calls, 1);
}

TEST_F(RouterTest, AGuardThatNeverAnswersIsNeverUsed) {
    make();
    // Ten of twelve nodes ignore us (they still relay for the others).
    std::set<std::string> responsive;
    for (std::size_t i = 0; i < fake->nodes().size(); ++i) {
        if (i == 4 || i == 9)
            responsive.insert(fake->nodes()[i].ed25519.hex());
        else
            fake->set_behaviour(fake->nodes()[i].ed25519, Behaviour::silent_to_client);
    }
    build();
    ASSERT_FALSE(router().paths().empty());
    for (const auto& p : router().paths()) EXPECT_TRUE(responsive.count(p.nodes[0].ed25519.hex()));
    for (const auto& n : fake->nodes()) EXPECT_LE(fake->direct_calls(n.ed25519), 1u);
    auto out = info_via(off_path_node());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    EXPECT_TRUE(out.ok()) << out.error().message;
}

TEST_F(RouterTest, WithoutAnyAnsweringGuardRequestsFailInsteadOfWaitingForever) {
    NetworkConfig config;
    config.router.guard_test_rounds = 2;
    make({}, config);
    for (const auto& n : fake->nodes()) fake->set_behaviour(n.ed25519, Behaviour::silent_to_client);
    const auto start = clock.steady();
    auto out = info_via(fake->nodes()[0]);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, kNoGuard);
    EXPECT_EQ(clock.steady() - start, 20000ms);  // two rounds of guard tests
}

TEST_F(RouterTest, AGoneDestinationEndsTheRequestForTheCallerToPickAnother) {
    make();
    build();
    const auto target = off_path_node();
    fake->set_behaviour(target.ed25519, Behaviour::down);
    auto out = info_via(target);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, kDestinationFailed);
    EXPECT_FALSE(network->pool().contains(target.ed25519));
    for (const auto& p : router().paths()) EXPECT_EQ(p.failures, 0);  // not the path's fault
}

TEST_F(RouterTest, ASilentDestinationIsRetriedOnOtherPathsByDefault) {
    make();
    build();
    const auto target = off_path_node();
    fake->set_behaviour(target.ed25519, Behaviour::silent);  // the exit answers 504 after 5 s
    const auto start = clock.steady();
    auto out = info_via(target);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, kPathFailed);
    EXPECT_EQ(clock.steady() - start, 15000ms);  // three paths tried, one 504 each
}

TEST_F(RouterTest, ASilentDestinationEndsTheRequestAtOnceWhenTheCallerCanPickAnother) {
    make();
    build();
    const auto target = off_path_node();
    fake->set_behaviour(target.ed25519, Behaviour::silent);
    auto failed = std::make_shared<std::vector<std::uint64_t>>();
    SnodeSendOptions options;
    options.retry_unanswered = false;
    options.failed_paths = failed;
    Outcome<onion::SnodeReply> out;
    const auto start = clock.steady();
    router().send_to_snode(target, rpc::info().to_json(), out.callback(), options);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, kNoAnswer);
    EXPECT_EQ(clock.steady() - start, 5000ms);  // one 504, no second path
    ASSERT_EQ(failed->size(), 1u);              // the caller learns which path failed
    EXPECT_EQ(network->pool().failures(target.ed25519), 1);
    EXPECT_EQ(find_path(failed->front())->failures, 1);
    EXPECT_EQ(out.calls, 1);
}

TEST_F(RouterTest, AnAnsweredRequestForgivesTheNodesItWentThrough) {
    NetworkConfig config;
    config.router.path_count = 1;
    make({}, config);
    build();
    const Path path = router().paths().at(0);
    const auto target = off_path_node();
    // Strikes from earlier silences these nodes shared with a path that failed.
    for (const auto& n : path.nodes) network->pool().strike(n.ed25519);
    network->pool().strike(target.ed25519);
    const auto bystander = fake->nodes().back();
    network->pool().strike(bystander.ed25519);

    auto answered = info_via(target);
    ASSERT_TRUE(run_until([&] { return answered.done(); }));
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    for (const auto& n : path.nodes) EXPECT_EQ(network->pool().failures(n.ed25519), 0);
    EXPECT_EQ(network->pool().failures(target.ed25519), 0);
    if (!bystander.same_node(target) && !bystander.same_node(path.nodes[0]) &&
        !bystander.same_node(path.nodes[1]) && !bystander.same_node(path.nodes[2])) {
        EXPECT_EQ(network->pool().failures(bystander.ed25519), 1);  // not on the request
    }
}

TEST_F(RouterTest, ANotReadyDestinationIsStruck) {
    make();
    build();
    const auto target = off_path_node();
    fake->set_behaviour(target.ed25519, Behaviour::not_ready);
    auto out = info_via(target);
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    EXPECT_EQ(out.error().code, kDestinationFailed);
    EXPECT_EQ(network->pool().failures(target.ed25519), 1);
}

TEST_F(RouterTest, ServerRequestsReturnTheServersV4Answer) {
    make();
    std::string seen_endpoint, seen_body;
    onion::ServerDestination server;
    server.host = "files.test";
    server.protocol = "http";
    server.port = 80;
    server.x25519 = fake->add_server(
        "files.test",
        [&](const std::string& method, const std::string& endpoint, const std::string& body) {
            seen_endpoint = method + " " + endpoint;
            seen_body = body;
            return std::pair<int, std::string>{201, R"({"id":"42"})"};
        });
    auto v4 = onion::encode_v4_request("POST", "/file", {}, as_bytes("attachment"));
    Outcome<onion::V4Response> out;
    router().send_to_server(server, *v4, out.callback());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out.value().code, 201);
    EXPECT_EQ(as_chars(out.value().body), R"({"id":"42"})");
    EXPECT_EQ(seen_endpoint, "POST /file");
    EXPECT_EQ(seen_body, "attachment");

    onion::ServerDestination unknown = server;
    unknown.host = "nowhere.test";
    Outcome<onion::V4Response> lost;
    router().send_to_server(unknown, *v4, lost.callback());
    ASSERT_TRUE(run_until([&] { return lost.done(); }));
    EXPECT_EQ(lost.error().code, kServerUnreachable);
}

TEST_F(RouterTest, DestroyingTheRouterAbandonsItsCallbacks) {
    make();
    fake->set_behaviour(fake->nodes()[0].ed25519, Behaviour::silent);
    bool called = false;
    network->router().send_to_snode(fake->nodes()[1], rpc::info().to_json(),
                                    [&](Result<onion::SnodeReply>) { called = true; });
    loop.run_ready();
    network.reset();
    test::advance(loop, clock, 60s);
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace st::net::testing
