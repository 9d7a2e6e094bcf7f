// The node pool between sessions and its refresh from the nodes (protocol.md §5.8, §6.7): a kept
// pool means no seed request at start, kept guards are tried first, a refresh keeps only the nodes
// every asked node names, too little agreement leaves the pool alone, and a pool too small for a
// path goes back to the seeds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "net_fixture.hpp"

namespace st::net::testing {
namespace {

class MemoryPoolStore final : public PoolStore {
public:
    explicit MemoryPoolStore(Loop& loop) : loop_(loop) {}
    std::optional<PoolSnapshot> kept;
    int saves = 0;
    void load(Callback<std::optional<PoolSnapshot>> done) override {
        loop_.post([this, done = std::move(done)] { done(kept); });
    }
    void save(const PoolSnapshot& snapshot) override {
        kept = snapshot;
        ++saves;
    }

private:
    Loop& loop_;
};

class PoolRefresh : public NetFixture {
protected:
    const crypto::Identity me = account("000102030405060708090a0b0c0d0e0f");

    NetworkConfig config() {
        NetworkConfig c;
        c.pool.min_agreed = 6;  // the fake network has 12 nodes
        return c;
    }
    std::size_t seed_requests() const { return transport.count(fake->seed_url()); }
    std::size_t list_requests() const {
        std::size_t n = 0;
        for (const auto& node : fake->nodes()) n += fake->rpc_calls(node.ed25519, "oxend_request");
        return n;
    }
    // One request to our swarm, to have paths (and so guards).
    void use_the_network() {
        Outcome<std::vector<rpc::ServiceNode>> swarm;
        network->swarm_for(me.session_id(), swarm.callback());
        ASSERT_TRUE(run_until([&] { return swarm.done(); }));
        ASSERT_TRUE(swarm.ok()) << swarm.error().message;
        Outcome<RpcReply> reply;
        network->swarm_request(me.session_id(), [](std::int64_t) -> Result<rpc::Request> { return rpc::info(); },
                               reply.callback());
        ASSERT_TRUE(run_until([&] { return reply.done(); }));
        ASSERT_TRUE(reply.ok()) << reply.error().message;
    }
};

TEST_F(PoolRefresh, AFirstStartAsksASeedAndKeepsThePoolAndGuards) {
    make({}, config());
    MemoryPoolStore store(loop);
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    use_the_network();
    EXPECT_EQ(seed_requests(), 1u);
    network->save_pool();
    ASSERT_TRUE(store.kept);
    EXPECT_EQ(store.kept->nodes.size(), fake->nodes().size());
    EXPECT_FALSE(store.kept->guards.empty());
    EXPECT_EQ(store.kept->guards, network->router().guards());
    const int saves = store.saves;
    network->save_pool();
    EXPECT_EQ(store.saves, saves) << "nothing changed: nothing written";
}

TEST_F(PoolRefresh, AKeptPoolStartsWithoutASeedAndTriesTheKeptGuardsFirst) {
    make({}, config());
    MemoryPoolStore store(loop);
    {
        Outcome<void> restored;
        network->restore_pool(store, restored.callback());
        ASSERT_TRUE(run_until([&] { return restored.done(); }));
        use_the_network();
        network->save_pool();
    }
    auto kept = *store.kept;
    // A new session (a reload) on the same storage.
    network = std::make_unique<Network>(loop, clock, transport,
                                        std::make_shared<UrlTemplateAddressing>(UrlTemplateAddressing::direct("http")),
                                        [&] {
                                            auto c = config();
                                            c.pool.seed_urls = {fake->seed_url()};
                                            return c;
                                        }());
    const auto seeds_before = seed_requests();
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    EXPECT_EQ(network->pool().size(), kept.nodes.size());
    use_the_network();
    EXPECT_EQ(seed_requests(), seeds_before) << "a reload asks no seed";
    auto guards = network->router().guards();
    std::sort(guards.begin(), guards.end());
    std::sort(kept.guards.begin(), kept.guards.end());
    EXPECT_EQ(guards, kept.guards) << "the kept guards answered, so they are the guards again";
}

TEST_F(PoolRefresh, ARefreshKeepsOnlyTheNodesEveryAskedNodeNames) {
    make({}, config());
    const auto dropped = fake->nodes().back().ed25519.hex();
    int answers = 0;
    // The first node asked leaves one node out of its list (a node that lies can only shrink it).
    fake->set_answer_filter([&](const std::string& method, std::string body) {
        if (method != "oxend_request" || answers++ != 0) return body;
        auto j = nlohmann::json::parse(body);
        auto& states = j["result"]["service_node_states"];
        for (auto it = states.begin(); it != states.end(); ++it)
            if ((*it)["pubkey_ed25519"] == dropped) {
                states.erase(it);
                break;
            }
        return j.dump();
    });
    MemoryPoolStore store(loop);
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    use_the_network();
    Outcome<void> refreshed;
    network->refresh_pool(refreshed.callback());
    ASSERT_TRUE(run_until([&] { return refreshed.done(); }));
    ASSERT_TRUE(refreshed.ok()) << refreshed.error().message;
    EXPECT_EQ(list_requests(), 3u) << "three nodes are asked";
    EXPECT_EQ(network->pool().size(), fake->nodes().size() - 1);
    EXPECT_FALSE(network->pool().contains(*crypto::Ed25519PublicKey::from_hex(dropped)));
    ASSERT_TRUE(store.kept) << "a refreshed pool is kept";
    EXPECT_EQ(store.kept->nodes.size(), fake->nodes().size() - 1);
}

TEST_F(PoolRefresh, TooLittleAgreementLeavesThePoolAsItWas) {
    auto c = config();
    c.pool.min_agreed = 24;  // the live network's rule; the fake has 12 nodes
    make({}, c);
    MemoryPoolStore store(loop);
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    use_the_network();
    Outcome<void> refreshed;
    network->refresh_pool(refreshed.callback());
    ASSERT_TRUE(run_until([&] { return refreshed.done(); }));
    ASSERT_FALSE(refreshed.ok());
    EXPECT_EQ(refreshed.error().code, kPoolNotAgreed);
    EXPECT_EQ(network->pool().size(), fake->nodes().size());
}

TEST_F(PoolRefresh, AnOldKeptPoolIsRefreshedFromTheNodesNotTheSeeds) {
    make({}, config());
    MemoryPoolStore store(loop);
    store.kept = PoolSnapshot{fake->nodes(), {}, clock.now_ms() - std::int64_t{3} * 3600 * 1000};
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    ASSERT_TRUE(run_until([&] { return list_requests() == 3; }));
    EXPECT_EQ(seed_requests(), 0u);
    ASSERT_TRUE(run_until([&] { return store.kept->refreshed_ms >= clock.now_ms() - 60'000; }));
}

TEST_F(PoolRefresh, APoolTooSmallForAPathGoesBackToTheSeeds) {
    make({}, config());
    MemoryPoolStore store(loop);
    std::vector<rpc::ServiceNode> few(fake->nodes().begin(), fake->nodes().begin() + 2);
    store.kept = PoolSnapshot{few, {}, clock.now_ms()};
    Outcome<void> restored;
    network->restore_pool(store, restored.callback());
    ASSERT_TRUE(run_until([&] { return restored.done(); }));
    EXPECT_EQ(network->pool().size(), 2u);
    Outcome<void> refreshed;
    network->refresh_pool(refreshed.callback());
    ASSERT_TRUE(run_until([&] { return refreshed.done(); }));
    ASSERT_TRUE(refreshed.ok()) << refreshed.error().message;
    EXPECT_EQ(seed_requests(), 1u);
    EXPECT_EQ(list_requests(), 0u);
    EXPECT_EQ(network->pool().size(), fake->nodes().size());
}

}  // namespace
}  // namespace st::net::testing
