// Integration tests of `session-cli send/poll --network` against a real devnet: two accounts
// exchange messages through 3-hop onion paths, sync copies reach the sender's own swarm, and the
// fault switches (a node stopped mid-send, a swarm move answered with 421, a skewed node clock)
// lose no message and show none twice.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "devnet_client.hpp"
#include "devnet_harness.hpp"

namespace {

using devnet_client::json;
using devnet_test::DevnetProcess;

class Env : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Env);

struct CliRun {
    int status = -1;
    std::string out;  // stdout and stderr
};

// A session-cli child whose output is read while it runs (wait_for_output) and when it is waited
// for (popen: it runs meanwhile).
class Child {
public:
    explicit Child(const std::string& args)
        : pipe_(popen((std::string(SESSION_CLI_EXE) + " " + args + " 2>&1").c_str(), "r")) {}
    ~Child() {
        if (pipe_) pclose(pipe_);  // a test that stopped early still reaps its child
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    // Reads the child's output until it contains `text` or `limit` has passed (or the child
    // closed its output); returns whether `text` appeared.
    bool wait_for_output(const std::string& text,
                         std::chrono::milliseconds limit = std::chrono::seconds{30}) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (out_.find(text) == std::string::npos) {
            if (eof_) return false;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd pfd{fileno(pipe_), POLLIN, 0};
            const int rc = ::poll(&pfd, 1, static_cast<int>(left.count()));
            if (rc < 0 && errno == EINTR) continue;
            if (rc <= 0) return out_.find(text) != std::string::npos;
            read_some();
        }
        return true;
    }
    const std::string& output_so_far() const { return out_; }
    CliRun wait() {
        while (!eof_) read_some();
        CliRun r;
        r.out = out_;
        const int st = pclose(pipe_);
        pipe_ = nullptr;
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return r;
    }

private:
    void read_some() {
        std::array<char, 4096> buf{};
        const ssize_t n = ::read(fileno(pipe_), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) return;
        if (n <= 0) {
            eof_ = true;
            return;
        }
        out_.append(buf.data(), static_cast<std::size_t>(n));
    }

    FILE* pipe_;
    std::string out_;
    bool eof_ = false;
};

CliRun cli(const std::string& args) { return Child(args).wait(); }

std::vector<json> json_lines(const std::string& out) {
    std::vector<json> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] == '{') v.push_back(json::parse(line));
    return v;
}

struct Account {
    std::string seed;
    std::string id;
    explicit Account(const std::string& s) : seed(s) {
        auto r = cli("id --seed " + s);
        id = r.out.substr(0, 66);
    }
};

class Messaging : public ::testing::Test {
protected:
    DevnetProcess net;
    Account alice{"00112233445566778899aabbccddeef1"};
    Account bob{"ffeeddccbbaa998877665544332211f2"};

    std::string network() const {
        auto url = net.seed_url();
        return url.substr(0, url.find("/json_rpc"));
    }
    std::string send_args(const Account& from, const Account& to, const std::string& text) const {
        return "send --network " + network() + " --seed " + from.seed + " --to " + to.id +
               " --text '" + text + "'";
    }
    std::string poll_args(const Account& who, int wait = 0) const {
        return "poll --network " + network() + " --seed " + who.seed + " --wait " +
               std::to_string(wait);
    }
    CliRun send(const Account& from, const Account& to, const std::string& text) const {
        return cli(send_args(from, to, text));
    }
    // body → how many times it was shown, for one kind.
    static std::map<std::string, int> bodies(const CliRun& r, const std::string& kind) {
        std::map<std::string, int> m;
        for (const auto& j : json_lines(r.out))
            if (j["kind"] == kind) ++m[j["body"].get<std::string>()];
        return m;
    }
    // The Ed25519 keys (hex) of the devnet nodes in `who`'s swarm.
    std::vector<std::string> swarm_of(const Account& who) const {
        auto nodes = net.nodes();
        const auto swarm = devnet_client::swarm_of(who.id, nodes);
        std::vector<std::string> out;
        for (const auto& n : devnet_test::members(nodes, swarm)) out.push_back(n.ed_hex);
        return out;
    }
};

TEST_F(Messaging, TwoAccountsExchangeMessagesAndSyncCopiesReachTheSendersSwarm) {
    auto s1 = send(alice, bob, "hello bob");
    ASSERT_EQ(s1.status, 0) << s1.out;
    auto receipt = json_lines(s1.out).at(0);
    EXPECT_EQ(receipt["hash"].get<std::string>().size(), 43u);
    auto s2 = send(bob, alice, "hi alice");
    ASSERT_EQ(s2.status, 0) << s2.out;

    auto b = cli(poll_args(bob));
    ASSERT_EQ(b.status, 0) << b.out;
    EXPECT_EQ(bodies(b, "visible"), (std::map<std::string, int>{{"hello bob", 1}}));
    EXPECT_EQ(bodies(b, "sync"), (std::map<std::string, int>{{"hi alice", 1}}));
    for (const auto& j : json_lines(b.out)) {
        if (j["kind"] == "visible") {
            EXPECT_EQ(j["sender"], alice.id);
            EXPECT_EQ(j["timestamp"], receipt["timestamp"]);
        }
    }

    auto a = cli(poll_args(alice));
    ASSERT_EQ(a.status, 0) << a.out;
    EXPECT_EQ(bodies(a, "visible"), (std::map<std::string, int>{{"hi alice", 1}}));
    EXPECT_EQ(bodies(a, "sync"), (std::map<std::string, int>{{"hello bob", 1}}));
    for (const auto& j : json_lines(a.out)) {
        if (j["kind"] == "sync") {
            EXPECT_EQ(j["recipient"], bob.id);
        }
    }
}

TEST_F(Messaging, BadInputAndAnUnansweringSeedExitWithTwo) {
    EXPECT_EQ(cli("send --network http://127.0.0.1:1 --seed " + alice.seed + " --to " + bob.id +
                  " --text x")
                  .status,
              2);
    EXPECT_EQ(cli("send --network " + network() + " --seed zz --to " + bob.id + " --text x").status,
              2);
    EXPECT_EQ(
        cli("send --network " + network() + " --seed " + alice.seed + " --to 05ab --text x").status,
        2);
    EXPECT_EQ(cli("poll --network " + network() + " --seed " + alice.seed + " --wait soon").status,
              2);
}

TEST_F(Messaging, ASwarmMoveDuringPollingIsFollowedAndLosesNothing) {
    auto r1 = send(alice, bob, "sent before the swarms moved");
    ASSERT_EQ(r1.status, 0) << r1.out;
    // A swarm move while bob polls: his cached swarm is stale, the old members answer 421.
    Child poller(poll_args(bob, 8));
    // Move only once bob's poller has bootstrapped, found his swarm and polled it: it has shown
    // the first message.
    ASSERT_TRUE(poller.wait_for_output("sent before the swarms moved"))
        << "bob's poller did not show the first message within 30 s: "
        << poller.output_so_far();
    net.admin({{"op", "move_swarms"}, {"pubkey", bob.id}});
    auto r2 = send(alice, bob, "sent after the swarms moved");
    EXPECT_EQ(r2.status, 0) << r2.out;
    auto p = poller.wait();
    ASSERT_EQ(p.status, 0) << p.out;
    EXPECT_EQ(bodies(p, "visible"),
              (std::map<std::string, int>{{"sent before the swarms moved", 1},
                                          {"sent after the swarms moved", 1}}))
        << p.out;
    auto a = cli(poll_args(alice));
    EXPECT_EQ(bodies(a, "sync"), (std::map<std::string, int>{{"sent before the swarms moved", 1},
                                                             {"sent after the swarms moved", 1}}))
        << a.out;
}

// Two of the four members of Bob's swarm stop: one before the sends, one while the first send is
// under way. Each send may pick a stopped member first (its exit answers 504 after the relay
// timeout); the core must move on to another member at once, so every message is stored, and
// Bob's poll (which asks two members) shows each exactly once.
TEST_F(Messaging, ANodeStoppedMidSendLosesNothing) {
    const auto bob_swarm = swarm_of(bob);
    ASSERT_GE(bob_swarm.size(), 4u);
    net.admin({{"op", "stop"}, {"node", bob_swarm[0]}});
    Child first(send_args(alice, bob, "sent while a node stops"));
    net.admin({{"op", "stop"}, {"node", bob_swarm[1]}});
    auto r1 = first.wait();
    EXPECT_EQ(r1.status, 0) << r1.out;
    std::map<std::string, int> expected{{"sent while a node stops", 1}};
    for (const char* text : {"after one", "after two", "after three", "after four"}) {
        auto r = send(alice, bob, text);
        EXPECT_EQ(r.status, 0) << r.out;
        expected[text] = 1;
    }
    auto b = cli(poll_args(bob));
    EXPECT_EQ(bodies(b, "visible"), expected) << b.out;
    auto a = cli(poll_args(alice));
    EXPECT_EQ(bodies(a, "sync"), expected) << a.out;
}

// Nodes outside both swarms stop, so the paths session-cli builds (guards are tested, the other
// hops are not) may run through a dead node: relays to it time out (504) and the path is
// blamed, rebuilt or avoided. Messages still arrive once, both ways.
TEST_F(Messaging, DeadPathNodesAreRoutedAroundAndLoseNothing) {
    const auto a_swarm = swarm_of(alice);
    const auto b_swarm = swarm_of(bob);
    int stopped = 0;
    for (const auto& n : net.nodes()) {
        const bool member = std::count(a_swarm.begin(), a_swarm.end(), n.ed_hex) +
                                std::count(b_swarm.begin(), b_swarm.end(), n.ed_hex) >
                            0;
        if (member || stopped == 3) continue;
        net.admin({{"op", "stop"}, {"node", n.ed_hex}});
        ++stopped;
    }
    ASSERT_EQ(stopped, 3);
    std::map<std::string, int> to_bob, to_alice;
    for (const char* text : {"path one", "path two", "path three"}) {
        auto r = send(alice, bob, text);
        EXPECT_EQ(r.status, 0) << r.out;
        to_bob[text] = 1;
        auto back = send(bob, alice, std::string("re: ") + text);
        EXPECT_EQ(back.status, 0) << back.out;
        to_alice[std::string("re: ") + text] = 1;
    }
    auto b = cli(poll_args(bob));
    EXPECT_EQ(bodies(b, "visible"), to_bob) << "status " << b.status << "\n" << b.out;
    auto a = cli(poll_args(alice));
    EXPECT_EQ(bodies(a, "visible"), to_alice) << "status " << a.status << "\n" << a.out;
}

// Two members of Bob's swarm have clocks two minutes off (one behind, one ahead): they answer 406
// to every store. The core resyncs once from another node (whose clock is right), finds the
// member still disagreeing, and stores on another member instead of giving up.
TEST_F(Messaging, ASkewedNodeClockLosesNothing) {
    const auto bob_swarm = swarm_of(bob);
    ASSERT_GE(bob_swarm.size(), 4u);
    net.admin({{"op", "clock_skew"}, {"node", bob_swarm[1]}, {"ms", -120000}});
    net.admin({{"op", "clock_skew"}, {"node", bob_swarm[2]}, {"ms", 120000}});
    std::map<std::string, int> expected;
    for (const char* text : {"skew one", "skew two", "skew three", "skew four", "skew five"}) {
        auto r = send(alice, bob, text);
        EXPECT_EQ(r.status, 0) << r.out;
        expected[text] = 1;
    }
    auto b = cli(poll_args(bob));
    EXPECT_EQ(bodies(b, "visible"), expected) << b.out;
}

}  // namespace
