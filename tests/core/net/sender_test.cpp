// Sending through the network core (component tests, fake network): store in the recipient's
// swarm, 421 → new swarm, 406 → clock resync, failed members, give-ups, sync copies.
#include "st/net/sender.hpp"

#include <nlohmann/json.hpp>

#include "net_fixture.hpp"
#include "st/rpc/status.hpp"

namespace st::net::testing {
namespace {

using Behaviour = FakeSnodeNetwork::Behaviour;

class SenderTest : public NetFixture {
protected:
    crypto::Identity alice = account("0123456789abcdef0123456789abcdef");
    crypto::Identity bob = account("00112233445566778899aabbccddeeff");
    MemoryPollStateStore seen;

    OutgoingMessage to_bob(std::string data = "SGVsbG8gQm9i") {
        return OutgoingMessage(bob.session_id(), std::move(data));
    }

    // `node` (every node when nullopt) answers each store with `status` and `body`.
    void answer_stores(std::optional<rpc::ServiceNode> node, int status, std::string body) {
        fake->set_rpc_hook(
            [node, status, body](const rpc::ServiceNode& n, const std::string& method,
                                 const std::string&) -> std::optional<std::pair<int, std::string>> {
                if (method == "store" && (!node || n.same_node(*node)))
                    return std::pair<int, std::string>{status, body};
                return std::nullopt;
            });
    }

    Outcome<SendReceipt> send(Sender& sender, OutgoingMessage m) {
        Outcome<SendReceipt> out;
        sender.send(std::move(m), out.callback());
        run_until([&] { return out.done(); });
        return out;
    }
};

TEST_F(SenderTest, StoresTheMessageInTheRecipientsSwarmAndRemembersItsHash) {
    make();
    Sender sender(*network, &seen);
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    const auto swarm = fake->swarm_of(bob.session_id());
    EXPECT_TRUE(std::any_of(swarm.begin(), swarm.end(),
                            [&](const auto& n) { return n.ed25519 == out.value().node; }));
    EXPECT_EQ(out.value().hash, *rpc::message_hash_b64(bob.session_id(), 0, "SGVsbG8gQm9i"));
    EXPECT_EQ(out.value().expiry_ms, out.value().timestamp_ms + 14LL * 86400000);
    EXPECT_TRUE(seen.seen(out.value().hash));
    EXPECT_GT(network->clock().samples(), 0u);  // the answer's "t" fed the clock
    EXPECT_EQ(out.calls, 1);
}

TEST_F(SenderTest, WrongSwarmAnswerMovesToTheNewSwarmAndStoresOnce) {
    make();
    Sender sender(*network, &seen);
    // A stale cache: Bob's swarm is believed to be a node of another swarm.
    const auto stale = fake->node_outside_swarm(bob.session_id());
    network->swarms().set(bob.session_id().hex(), {stale});
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(fake->rpc_calls(stale.ed25519, "store"), 1u);  // answered 421
    EXPECT_EQ(fake->store_calls(), 1u);                      // stored by exactly one member
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    const auto* cached = network->swarms().find(bob.session_id().hex());
    ASSERT_NE(cached, nullptr);
    EXPECT_EQ(cached->size(), fake->swarm_of(bob.session_id()).size());
    EXPECT_FALSE(out.value().node == stale.ed25519);
}

TEST_F(SenderTest, ClockOutOfSyncResyncsAndTheRetrySucceeds) {
    make();
    Sender sender(*network, &seen);
    fake->set_server_skew(-5min);  // our clock is 5 minutes ahead of the network
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(network->clock().offset_ms(), 5 * 60 * 1000);
    EXPECT_EQ(out.value().timestamp_ms, fake->server_now());  // the retry used network time
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    std::size_t info_calls = 0;
    for (const auto& n : fake->nodes()) info_calls += fake->rpc_calls(n.ed25519, "info");
    EXPECT_EQ(info_calls, 3u);  // three nodes asked, their median taken
}

TEST_F(SenderTest, OneNodeWithAWrongClockCannotMisleadTheResync) {
    make();
    Sender sender(*network, &seen);
    fake->set_server_skew(-5min);  // our clock is 5 minutes ahead of the network
    int infos = 0;
    fake->set_rpc_hook([&](const rpc::ServiceNode&, const std::string& method,
                           const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method != "info" || infos++ > 0) return std::nullopt;
        // The first node asked is an hour off.
        const auto wrong = fake->server_now() + 3600 * 1000;
        return std::pair<int, std::string>{200, "{\"timestamp\":" + std::to_string(wrong) +
                                                    ",\"t\":" + std::to_string(wrong) +
                                                    ",\"hf\":[19,3],\"version\":[2,8,0]}"};
    });
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(infos, 3);
    EXPECT_EQ(network->clock().offset_ms(), 5 * 60 * 1000);
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
}

TEST_F(SenderTest, ASecondClockErrorAfterResyncFails) {
    make();
    Sender sender(*network, &seen);
    answer_stores(std::nullopt, 406, "Timestamp error: check your clock");
    auto out = send(sender, to_bob());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, rpc::kClockOutOfSync);
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 0u);
}

TEST_F(SenderTest, AFailingMemberIsStruckAndAnotherMemberTried) {
    NetworkConfig config;
    config.random = &first_choice;
    make({}, config);
    Sender sender(*network, &seen);
    const auto broken = fake->swarm_of(bob.session_id()).front();
    answer_stores(broken, 500, "internal error");
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(out.value().node == broken.ed25519);
    EXPECT_EQ(fake->rpc_calls(broken.ed25519, "store"), 1u);
    EXPECT_EQ(network->pool().failures(broken.ed25519), 1);
}

TEST_F(SenderTest, ASilentMemberIsLeftAtOnceForAnotherMemberThroughAnotherPath) {
    NetworkConfig config;
    config.random = &first_choice;  // the first attempt picks the silent member
    make({}, config);
    Sender sender(*network, &seen);
    Outcome<void> built;
    network->router().build_paths(built.callback());
    ASSERT_TRUE(run_until([&] { return built.done(); }));
    // A member on no path, so only its own silence is at stake; the network's view of the
    // swarm decides which member the first attempt picks.
    Outcome<std::vector<rpc::ServiceNode>> swarm;
    network->swarm_for(bob.session_id(), swarm.callback());
    ASSERT_TRUE(run_until([&] { return swarm.done(); }));
    const auto on_path = [&](const rpc::ServiceNode& n) {
        for (const auto& p : network->router().paths())
            for (const auto& h : p.nodes)
                if (h.same_node(n)) return true;
        return false;
    };
    auto members = swarm.value();
    auto off_path = std::find_if(members.begin(), members.end(),
                                 [&](const rpc::ServiceNode& n) { return !on_path(n); });
    ASSERT_NE(off_path, members.end());
    std::iter_swap(members.begin(), off_path);
    const auto silent = members.front();
    network->swarms().set(bob.session_id().hex(), members);
    fake->set_behaviour(silent.ed25519, Behaviour::silent);  // stopped: the exit answers 504
    const auto start = clock.steady();
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(out.value().node == silent.ed25519);
    EXPECT_EQ(clock.steady() - start, 5000ms);  // one 504, then straight to another member
    EXPECT_EQ(fake->store_calls(), 1u);
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    EXPECT_EQ(network->pool().failures(silent.ed25519), 1);
    // The path that saw the 504 was not used again for the retry, and neither path is lost.
    EXPECT_EQ(network->router().paths().size(), 2u);
}

TEST_F(SenderTest, AMemberWhoseClockIsWrongIsLeftForAnotherMemberAfterOneResync) {
    NetworkConfig config;
    config.random = &first_choice;
    make({}, config);
    Sender sender(*network, &seen);
    const auto skewed = fake->swarm_of(bob.session_id()).front();
    answer_stores(skewed, 406, "Timestamp error: check your clock");
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(out.value().node == skewed.ed25519);
    EXPECT_EQ(fake->rpc_calls(skewed.ed25519, "store"), 2u);  // before and after the resync
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    EXPECT_EQ(network->pool().failures(skewed.ed25519), 0);  // a wrong clock is no strike
    EXPECT_EQ(network->clock().offset_ms(), 0);              // ours was right all along
}

TEST_F(SenderTest, ARefusedRequestIsNotRetried) {
    make();
    Sender sender(*network, &seen);
    std::size_t stores = 0;
    fake->set_rpc_hook([&](const rpc::ServiceNode&, const std::string& method,
                           const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method != "store") return std::nullopt;
        ++stores;
        return std::pair<int, std::string>{403, "Provided expiry/TTL is not valid."};
    });
    auto out = send(sender, to_bob());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, rpc::kBadTtl);
    EXPECT_NE(out.error().message.find("expiry/TTL"), std::string::npos);
    EXPECT_EQ(stores, 1u);
}

TEST_F(SenderTest, GivesUpAfterTheConfiguredNumberOfMembers) {
    make();
    Sender sender(*network, &seen);
    std::size_t stores = 0;
    fake->set_rpc_hook([&](const rpc::ServiceNode&, const std::string& method,
                           const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method != "store") return std::nullopt;
        ++stores;
        return std::pair<int, std::string>{503, "busy"};
    });
    auto out = send(sender, to_bob());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, rpc::kUnavailable);
    EXPECT_EQ(stores, 3u);
}

TEST_F(SenderTest, RejectsInvalidMessagesBeforeTouchingTheNetwork) {
    make();
    Sender sender(*network, &seen);
    auto bad_ttl = to_bob();
    bad_ttl.ttl_ms = 15LL * 86400000;
    auto not_b64 = to_bob("not base64!");
    auto empty = to_bob("");
    auto config_without_signer = to_bob();
    config_without_signer.recipient = alice.session_id();
    config_without_signer.ns = 2;
    for (auto* m : {&bad_ttl, &not_b64, &empty, &config_without_signer}) {
        Outcome<SendReceipt> out;
        sender.send(*m, out.callback());
        EXPECT_FALSE(out.done());  // never inline, even for an error
        run_until([&] { return out.done(); });
        EXPECT_EQ(out.error().code, kBadMessage);
    }
    EXPECT_TRUE(transport.sent().empty());
}

TEST_F(SenderTest, SignedStoreToOurOwnConfigNamespace) {
    make();
    Sender sender(*network, &seen, &alice);
    OutgoingMessage config(alice.session_id(), "Y29uZmln", 2);
    config.ttl_ms = 30LL * 86400000;
    auto out = send(sender, config);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(fake->stored(alice.session_id(), 2), 1u);
}

TEST_F(SenderTest, SendsTheSyncCopyAfterTheMessage) {
    make();
    Sender sender(*network, &seen);
    OutgoingMessage copy(alice.session_id(), "U3luYyBjb3B5");
    Outcome<PairReceipt> out;
    sender.send_with_sync_copy(to_bob(), copy, out.callback());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    ASSERT_TRUE(out.ok()) << out.error().message;
    ASSERT_TRUE(out.value().sync_copy.has_value());
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
    EXPECT_EQ(fake->stored(alice.session_id(), 0), 1u);
    EXPECT_TRUE(seen.seen(out.value().sync_copy->hash));
}

TEST_F(SenderTest, NoSyncCopyWhenTheMessageFails) {
    make();
    Sender sender(*network, &seen);
    fake->set_rpc_hook([](const rpc::ServiceNode&, const std::string& method,
                          const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method == "store") return std::pair<int, std::string>{401, "bad"};
        return std::nullopt;
    });
    OutgoingMessage copy(alice.session_id(), "U3luYyBjb3B5");
    Outcome<PairReceipt> out;
    sender.send_with_sync_copy(to_bob(), copy, out.callback());
    ASSERT_TRUE(run_until([&] { return out.done(); }));
    EXPECT_EQ(out.error().code, rpc::kUnauthorized);
    EXPECT_EQ(fake->stored(alice.session_id(), 0), 0u);
}

TEST_F(SenderTest, DestroyingTheSenderAbandonsItsSends) {
    make();
    bool called = false;
    {
        Sender sender(*network, &seen);
        sender.send(to_bob(), [&](Result<SendReceipt>) { called = true; });
        loop.run_ready();
    }
    test::advance(loop, clock, 60s);
    EXPECT_FALSE(called);
    EXPECT_FALSE(seen.seen(*rpc::message_hash_b64(bob.session_id(), 0, "SGVsbG8gQm9i")));
}

TEST_F(SenderTest, FindsTheSwarmWithGetSwarmWhenTheListHasNoSwarmIds) {
    FakeSnodeNetwork::Options options;
    options.seed_gives_swarm_ids = false;
    make(options);
    Sender sender(*network, &seen);
    auto out = send(sender, to_bob());
    ASSERT_TRUE(out.ok()) << out.error().message;
    std::size_t lookups = 0;
    for (const auto& n : fake->nodes()) lookups += fake->rpc_calls(n.ed25519, "get_swarm");
    EXPECT_EQ(lookups, 1u);
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 1u);
}

TEST_F(SenderTest, ConcurrentSendsShareOneSwarmLookupAndOnePathBuild) {
    FakeSnodeNetwork::Options options;
    options.seed_gives_swarm_ids = false;
    make(options);
    Sender sender(*network, &seen);
    Outcome<SendReceipt> a, b;
    sender.send(to_bob("QQ=="), a.callback());
    sender.send(to_bob("Qg=="), b.callback());
    ASSERT_TRUE(run_until([&] { return a.done() && b.done(); }));
    EXPECT_TRUE(a.ok() && b.ok());
    std::size_t lookups = 0;
    for (const auto& n : fake->nodes()) lookups += fake->rpc_calls(n.ed25519, "get_swarm");
    EXPECT_EQ(lookups, 1u);
    EXPECT_EQ(transport.count(fake->seed_url()), 1u);
    EXPECT_EQ(fake->stored(bob.session_id(), 0), 2u);
}

}  // namespace
}  // namespace st::net::testing
