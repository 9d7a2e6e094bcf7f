// Polling our swarm (component tests, fake network): two members merged and de-duplicated,
// last_hash per node and namespace, replays after an unknown last_hash, intervals.
#include "st/net/poller.hpp"

#include <nlohmann/json.hpp>

#include "net_fixture.hpp"
#include "st/net/sender.hpp"
#include "st/rpc/status.hpp"

namespace st::net::testing {
namespace {

class PollerTest : public NetFixture {
protected:
    crypto::Identity alice = account("0123456789abcdef0123456789abcdef");
    MemoryPollStateStore state;
    std::vector<std::vector<RetrievedItem>> deliveries;
    std::unique_ptr<Poller> poller;

    void make_poller(PollerConfig config = {}) {
        poller = std::make_unique<Poller>(
            *network, alice.clone(), state, config,
            [this](std::vector<RetrievedItem> items) { deliveries.push_back(std::move(items)); });
    }

    PollReport poll() {
        Outcome<PollReport> out;
        poller->poll_once(out.callback());
        EXPECT_TRUE(run_until([&] { return out.done(); }));
        EXPECT_TRUE(out.ok());
        return out.ok() ? out.value() : PollReport{};
    }
};

TEST_F(PollerTest, DeliversEachMessageOnceFromTwoSwarmMembers) {
    make();
    make_poller();
    fake->inject(alice.session_id(), 0, "b25l");
    fake->inject(alice.session_id(), 0, "dHdv");
    const auto config_hash = fake->inject(alice.session_id(), 2, "cHJvZmlsZQ==");
    auto report = poll();
    EXPECT_EQ(report.nodes_asked, 2u);
    EXPECT_EQ(report.nodes_answered, 2u);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(report.new_items, 3u);
    EXPECT_EQ(report.duplicates, 3u);  // the second member returned the same three
    ASSERT_EQ(deliveries.size(), 1u);
    const auto& items = deliveries[0];
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].data, "b25l");
    EXPECT_EQ(items[0].ns, 0);
    EXPECT_EQ(items[1].data, "dHdv");
    EXPECT_EQ(items[2].hash, config_hash);
    EXPECT_EQ(items[2].ns, 2);
    EXPECT_GT(items[0].expiration, items[0].timestamp);
    // One batch of five signed retrieves per member.
    std::size_t retrieves = 0;
    for (const auto& n : fake->nodes()) retrieves += fake->rpc_calls(n.ed25519, "retrieve");
    EXPECT_EQ(retrieves, 10u);
}

TEST_F(PollerTest, AMemberThatDoesNotAnswerIsReplacedInTheSameRound) {
    NetworkConfig config;
    config.router.path_count = 1;
    make({}, config);
    make_poller();
    fake->inject(alice.session_id(), 0, "b25l");
    Outcome<void> built;
    network->router().build_paths(built.callback());
    ASSERT_TRUE(run_until([&] { return built.done(); }));
    // A member of our swarm is silent (the exit's relay to it times out): whichever two members
    // a round picks, it still hears from two. (It is chosen off the path: a silent hop fails
    // every request, which is the router's business, not the poller's.)
    std::vector<rpc::ServiceNode> off_path;
    for (const auto& m : fake->swarm_of(alice.session_id())) {
        bool used = false;
        for (const auto& h : network->router().paths().at(0).nodes) used = used || h.same_node(m);
        if (!used) off_path.push_back(m);
    }
    ASSERT_GE(off_path.size(), 1u);
    fake->set_behaviour(off_path[0].ed25519, FakeSnodeNetwork::Behaviour::silent);
    for (int round = 0; round < 4; ++round) {
        auto report = poll();
        EXPECT_EQ(report.nodes_answered, 2u) << "round " << round;
        EXPECT_EQ(report.nodes_asked, report.nodes_answered + report.errors.size());
    }
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].at(0).data, "b25l");
}

TEST_F(PollerTest, ContinuesFromTheLastHashOfEachNodeAndNamespace) {
    NetworkConfig config;
    config.random = &first_choice;  // the same two members each time
    make({}, config);
    make_poller();
    fake->inject(alice.session_id(), 0, "b25l");
    const auto last = fake->inject(alice.session_id(), 0, "dHdv");
    poll();
    std::vector<std::string> last_hashes;
    fake->set_rpc_hook(
        [&](const rpc::ServiceNode&, const std::string& method,
            const std::string& params) -> std::optional<std::pair<int, std::string>> {
            auto p = nlohmann::json::parse(params);
            if (method == "retrieve" && p["namespace"] == 0) last_hashes.push_back(p["last_hash"]);
            return std::nullopt;
        });
    const auto fresh = fake->inject(alice.session_id(), 0, "dGhyZWU=");
    auto report = poll();
    EXPECT_EQ(report.new_items, 1u);
    EXPECT_EQ(report.duplicates, 1u);  // only the new one, from both members
    ASSERT_EQ(deliveries.size(), 2u);
    ASSERT_EQ(deliveries[1].size(), 1u);
    EXPECT_EQ(deliveries[1][0].hash, fresh);
    ASSERT_EQ(last_hashes.size(), 2u);
    EXPECT_EQ(last_hashes[0], last);
    EXPECT_EQ(last_hashes[1], last);
}

TEST_F(PollerTest, AReplayAfterAnUnknownLastHashDropsEveryDuplicate) {
    make();
    make_poller();
    fake->inject(alice.session_id(), 0, "b25l");
    fake->inject(alice.session_id(), 0, "dHdv");
    poll();
    ASSERT_EQ(deliveries.size(), 1u);
    // The nodes no longer know our last_hash (expired/deleted): they replay from the start.
    for (const auto& n : fake->swarm_of(alice.session_id()))
        state.set_last_hash(alice.session_id().hex(), n.ed25519, 0,
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    auto report = poll();
    EXPECT_EQ(report.new_items, 0u);
    EXPECT_EQ(report.duplicates, 4u);
    EXPECT_EQ(deliveries.size(), 1u);  // the handler is not called for nothing
    state.forget_last_hashes();
    EXPECT_EQ(poll().new_items, 0u);
}

TEST_F(PollerTest, ConfigNamespacesAreDeliveredAgainWhenANodeReplaysThem) {
    make();
    PollerConfig config;
    config.redeliver = {2, 3, 4, 5};
    make_poller(config);
    fake->inject(alice.session_id(), 0, "b25l");
    const auto profile = fake->inject(alice.session_id(), 2, "cHJvZmlsZQ==");
    poll();
    ASSERT_EQ(deliveries.size(), 1u);
    ASSERT_EQ(deliveries[0].size(), 2u);
    // Nothing new: with every member's last_hash at the newest item of both namespaces, nothing
    // comes back (a member asked for the first time would replay the config, which is harmless).
    for (const auto& n : fake->swarm_of(alice.session_id())) {
        state.set_last_hash(alice.session_id().hex(), n.ed25519, 0, deliveries[0][0].ns == 0
                                                                       ? deliveries[0][0].hash
                                                                       : deliveries[0][1].hash);
        state.set_last_hash(alice.session_id().hex(), n.ed25519, 2, profile);
    }
    EXPECT_EQ(poll().new_items, 0u);
    // Re-reading the configs from the start (last_hash forgotten): the config comes again, once,
    // while the message of namespace 0 stays dropped by the seen set.
    state.forget_last_hashes();
    auto report = poll();
    EXPECT_EQ(report.new_items, 1u);
    ASSERT_EQ(deliveries.size(), 2u);
    ASSERT_EQ(deliveries[1].size(), 1u);
    EXPECT_EQ(deliveries[1][0].hash, profile);
    EXPECT_EQ(deliveries[1][0].ns, 2);
}

TEST_F(PollerTest, OurOwnStoredMessagesAreNotReadBack) {
    make();
    make_poller();
    Sender sender(*network, &state);
    OutgoingMessage copy(alice.session_id(), "U3luYyBjb3B5");
    Outcome<SendReceipt> sent;
    sender.send(copy, sent.callback());
    ASSERT_TRUE(run_until([&] { return sent.done(); }));
    ASSERT_TRUE(sent.ok());
    auto report = poll();
    EXPECT_EQ(report.new_items, 0u);
    EXPECT_EQ(report.duplicates, 2u);
    EXPECT_TRUE(deliveries.empty());
}

TEST_F(PollerTest, AClockOutOfSyncIsResyncedAndThePollSucceeds) {
    make();
    make_poller();
    fake->set_server_skew(3min);  // our clock is 3 minutes behind
    fake->inject(alice.session_id(), 0, "b25l");
    auto report = poll();
    EXPECT_TRUE(report.errors.empty()) << report.errors[0].message;
    EXPECT_EQ(report.new_items, 1u);
    EXPECT_EQ(network->clock().offset_ms(), -3 * 60 * 1000);
}

TEST_F(PollerTest, NodeAndNamespaceErrorsAreReportedNotFatal) {
    make();
    make_poller();
    fake->inject(alice.session_id(), 0, "b25l");
    fake->set_rpc_hook([](const rpc::ServiceNode&, const std::string& method,
                          const std::string& params) -> std::optional<std::pair<int, std::string>> {
        if (method == "retrieve" && nlohmann::json::parse(params)["namespace"] == 3)
            return std::pair<int, std::string>{500, "database busy"};
        return std::nullopt;
    });
    auto report = poll();
    EXPECT_EQ(report.new_items, 1u);
    ASSERT_EQ(report.errors.size(), 2u);  // namespace 3 at both members
    EXPECT_EQ(report.errors[0].code, rpc::kServerError);
}

TEST_F(PollerTest, PollsOnItsIntervalFasterWhenActive) {
    make();
    PollerConfig config;
    config.active_interval = 5s;
    config.idle_interval = 60s;
    make_poller(config);
    std::size_t polls = 0;
    poller->on_report([&](const PollReport&) { ++polls; });
    poller->start();
    run_until([&] { return polls == 1; });
    const auto first = polls;
    test::advance(loop, clock, 60s);
    const auto active_polls = polls - first;
    EXPECT_GE(active_polls, 10u);
    EXPECT_LE(active_polls, 12u);
    poller->set_active(false);
    const auto before_idle = polls;
    test::advance(loop, clock, 130s);
    EXPECT_GE(polls - before_idle, 2u);
    EXPECT_LE(polls - before_idle, 3u);
    poller->stop();
    const auto stopped = polls;
    test::advance(loop, clock, 10min);
    EXPECT_EQ(polls, stopped);
}

TEST_F(PollerTest, OpeningAConversationBringsTheNextPollForward) {
    make();
    PollerConfig config;
    config.active_interval = 5s;
    config.idle_interval = 60s;
    config.conversation_interval = 1s;
    make_poller(config);
    std::size_t polls = 0;
    poller->on_report([&](const PollReport&) { ++polls; });
    poller->set_pace(Poller::Pace::Idle);
    poller->start();
    run_until([&] { return polls == 1; });
    test::advance(loop, clock, 10s);
    EXPECT_EQ(polls, 1u) << "hidden: the next poll is a minute away";
    // The person opens a conversation: the poll waiting for 50 more seconds comes now.
    poller->set_pace(Poller::Pace::Conversation);
    test::advance(loop, clock, 500ms);
    EXPECT_EQ(polls, 2u);
    const auto before = polls;
    test::advance(loop, clock, 20s);
    EXPECT_GE(polls - before, 15u);
    EXPECT_LE(polls - before, 21u) << "at most one poll a second";
    // Back to the list: every 5 s.
    poller->set_pace(Poller::Pace::Active);
    test::advance(loop, clock, 2s);
    const auto listed = polls;
    test::advance(loop, clock, 30s);
    EXPECT_GE(polls - listed, 5u);
    EXPECT_LE(polls - listed, 7u);
}

TEST_F(PollerTest, DeliversMessagesThatArriveWhileRunning) {
    make();
    make_poller();
    poller->start();
    test::advance(loop, clock, 1s);
    EXPECT_TRUE(deliveries.empty());
    fake->inject(alice.session_id(), 0, "bGF0ZQ==");
    test::advance(loop, clock, 6s);
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0][0].data, "bGF0ZQ==");
    test::advance(loop, clock, 30s);
    EXPECT_EQ(deliveries.size(), 1u);
}

}  // namespace
}  // namespace st::net::testing
