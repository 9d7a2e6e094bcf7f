// The node pool: seed fetch and fail-over, failure strikes (component tests, fake network).
#include "st/net/node_pool.hpp"

#include "net_fixture.hpp"

namespace st::net::testing {
namespace {

class NodePoolTest : public NetFixture {
protected:
    void SetUp() override { fake = std::make_unique<FakeSnodeNetwork>(transport, clock); }
};

TEST_F(NodePoolTest, FetchesTheListFromASeed) {
    NodePool pool(loop, transport, {{fake->seed_url()}});
    Outcome<void> done;
    pool.ensure(done.callback());
    EXPECT_FALSE(done.done());  // never inline
    ASSERT_TRUE(run_until([&] { return done.done(); }));
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(pool.size(), fake->nodes().size());
    EXPECT_TRUE(pool.has_swarm_ids());
    const auto& req = transport.sent().front();
    EXPECT_EQ(req.url, fake->seed_url() + "/json_rpc");
    EXPECT_NE(as_chars(req.body).find("get_n_service_nodes"), std::string_view::npos);
    EXPECT_EQ(req.timeout, 5000ms);
}

TEST_F(NodePoolTest, SeedUrlsWithAPathArePostedToAsTheyAre) {
    transport.route("http://relay.test/relay/seed", [&](auto&) {
        return FakeTransport::Reply::http(200, R"({"result":{"service_node_states":[
            {"public_ip":"1.2.3.4","storage_port":22021,
             "pubkey_ed25519":"3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da",
             "pubkey_x25519":"7f115455aec3d0cc39c2dc9259604f6d13ad5714c09a702a225d68abeb2e433a"}]}})");
    });
    NodePool pool(loop, transport, {{"http://relay.test/relay/seed"}});
    Outcome<void> done;
    pool.ensure(done.callback());
    ASSERT_TRUE(run_until([&] { return done.done(); }));
    EXPECT_TRUE(done.ok());
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(transport.sent().at(0).url, "http://relay.test/relay/seed");
    NodePool slash(loop, transport, {{fake->seed_url() + "/"}});
    Outcome<void> again;
    slash.ensure(again.callback());
    ASSERT_TRUE(run_until([&] { return again.done(); }));
    EXPECT_EQ(transport.sent().at(1).url, fake->seed_url() + "/json_rpc");
}

TEST_F(NodePoolTest, DoesNotFetchWhenEnoughNodesAreKnown) {
    NodePool pool(loop, transport, {{fake->seed_url()}});
    pool.set_nodes(fake->nodes());
    Outcome<void> done;
    pool.ensure(done.callback());
    run_until([&] { return done.done(); });
    EXPECT_TRUE(done.ok());
    EXPECT_TRUE(transport.sent().empty());
}

TEST_F(NodePoolTest, TriesTheNextSeedWhenOneFails) {
    transport.route("http://dead.seed", [](auto&) {
        return FakeTransport::Reply::fail_with(net::kUnreachable, "refused");
    });
    transport.route("http://broken.seed",
                    [](auto&) { return FakeTransport::Reply::http(200, "{oops"); });
    NodePool pool(loop, transport, {{"http://dead.seed", "http://broken.seed", fake->seed_url()}});
    Outcome<void> done;
    pool.ensure(done.callback());
    ASSERT_TRUE(run_until([&] { return done.done(); }));
    EXPECT_TRUE(done.ok());
    EXPECT_EQ(pool.size(), fake->nodes().size());
}

TEST_F(NodePoolTest, ASilentSeedTimesOutAndConcurrentCallersShareOneFetch) {
    transport.route("http://silent.seed", [](auto&) { return FakeTransport::Reply::hang(); });
    NodePool pool(loop, transport, {{"http://silent.seed"}});
    Outcome<void> a, b;
    pool.ensure(a.callback());
    pool.ensure(b.callback());
    ASSERT_TRUE(run_until([&] { return a.done() && b.done(); }));
    EXPECT_EQ(a.error().code, kSeedFailed);
    EXPECT_EQ(b.error().code, kSeedFailed);
    EXPECT_NE(a.error().message.find("no answer"), std::string::npos);
    EXPECT_EQ(transport.sent().size(), 1u);
    EXPECT_EQ(transport.cancelled(), 1u);
}

TEST_F(NodePoolTest, ASmallNetworkIsNotRefetchedOnEveryCall) {
    PoolConfig config{{fake->seed_url()}};
    config.min_nodes = 100;  // more than the network has, like a 5-node devnet
    NodePool pool(loop, transport, config);
    for (int i = 0; i < 3; ++i) {
        Outcome<void> done;
        pool.ensure(done.callback());
        ASSERT_TRUE(run_until([&] { return done.done(); }));
        EXPECT_TRUE(done.ok());
    }
    EXPECT_EQ(transport.count(fake->seed_url()), 1u);
    test::advance(loop, clock, 11min);
    Outcome<void> later;
    pool.ensure(later.callback());
    ASSERT_TRUE(run_until([&] { return later.done(); }));
    EXPECT_EQ(transport.count(fake->seed_url()), 2u);
}

TEST_F(NodePoolTest, APoolThatRanDryAfterFailuresIsRefilledSoon) {
    PoolConfig config{{fake->seed_url()}};  // min_nodes 8; the fake network has 12
    NodePool pool(loop, transport, config);
    Outcome<void> first;
    pool.ensure(first.callback());
    ASSERT_TRUE(run_until([&] { return first.done(); }));
    ASSERT_EQ(pool.size(), fake->nodes().size());
    // Failures drop nodes until fewer than a path and its spares are left.
    for (std::size_t i = 0; i < 6; ++i) pool.drop(fake->nodes()[i].ed25519);
    ASSERT_LT(pool.size(), config.min_nodes);
    Outcome<void> at_once;
    pool.ensure(at_once.callback());
    ASSERT_TRUE(run_until([&] { return at_once.done(); }));
    EXPECT_EQ(transport.count(fake->seed_url()), 1u) << "not in a loop: a short pause first";
    test::advance(loop, clock, 11s);
    Outcome<void> later;
    pool.ensure(later.callback());
    ASSERT_TRUE(run_until([&] { return later.done(); }));
    EXPECT_EQ(transport.count(fake->seed_url()), 2u);
    EXPECT_EQ(pool.size(), fake->nodes().size()) << "the seed's list fills it again";
}

TEST_F(NodePoolTest, FailsWithoutSeedsOrNodes) {
    NodePool pool(loop, transport, {});
    Outcome<void> done;
    pool.ensure(done.callback());
    run_until([&] { return done.done(); });
    EXPECT_EQ(done.error().code, kNoSeeds);
}

TEST_F(NodePoolTest, DropsANodeAtTheFailureThreshold) {
    PoolConfig config;
    config.failure_threshold = 3;
    NodePool pool(loop, transport, config);
    pool.set_nodes(fake->nodes());
    std::vector<crypto::Ed25519PublicKey> dropped;
    pool.set_drop_listener([&](const auto& ed) { dropped.push_back(ed); });
    const auto victim = fake->nodes()[3].ed25519;
    EXPECT_FALSE(pool.strike(victim));
    EXPECT_FALSE(pool.strike(victim));
    EXPECT_EQ(pool.failures(victim), 2);
    EXPECT_TRUE(pool.strike(victim));
    EXPECT_FALSE(pool.contains(victim));
    EXPECT_EQ(dropped, std::vector<crypto::Ed25519PublicKey>{victim});
    EXPECT_FALSE(pool.strike(victim));  // unknown now
    pool.set_nodes(fake->nodes());      // it comes back with a clean record
    EXPECT_EQ(pool.failures(victim), 0);
}

}  // namespace
}  // namespace st::net::testing
