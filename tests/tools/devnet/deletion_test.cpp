// Deletion and expiry against a real devnet (docs/deletion.md): the devnet's per-node signatures
// of delete / delete_all / expire verify with the core's checks (st/rpc/node_signatures.hpp,
// written from the storage server's layout); a disappearing message sent by `session-cli send
// --expire after_send:10` stops being returned by retrieve once it expires; `session-cli
// delete-all` leaves every member of the swarm empty, and fails (exit 3) naming a member that
// signs falsely (devnet admin op "lie").
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "devnet_client.hpp"
#include "devnet_harness.hpp"
#include "st/rpc/node_signatures.hpp"
#include "st/rpc/responses.hpp"
#include "wait_until.hpp"

namespace {

using devnet_client::json;
using devnet_client::now_ms;
using devnet_test::DevnetProcess;
using devnet_test::wait_until;

class Env : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Env);

struct CliRun {
    int status = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs session-cli with `args`; stdout and stderr apart (stdout holds the JSON).
CliRun cli(const std::string& args) {
    const std::string err_file =
        ::testing::TempDir() + "/session_cli_stderr_" + std::to_string(::getpid()) + ".txt";
    FILE* pipe = popen((std::string(SESSION_CLI_EXE) + " " + args + " 2>" + err_file).c_str(), "r");
    CliRun r;
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    for (std::size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;)
        r.out.append(buf.data(), n);
    const int st = pclose(pipe);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (FILE* f = fopen(err_file.c_str(), "r")) {
        for (std::size_t n; (n = fread(buf.data(), 1, buf.size(), f)) > 0;)
            r.err.append(buf.data(), n);
        fclose(f);
    }
    return r;
}

json first_json_line(const std::string& out) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] == '{') return json::parse(line);
    return json();
}

// A session-cli account (16-byte seed) and the same keys in the devnet's independent client
// (Ed25519 seed = account seed ‖ 16 zero bytes, protocol.md §1).
struct Account {
    std::string seed;
    devnet_client::Account keys;
    std::string id;
    explicit Account(const std::string& s)
        : seed(s),
          keys(devnet_client::Account::from_seed(
              devnet_client::key_from_hex(s + std::string(32, '0')))),
          id(keys.session_id()) {}
};

class Deletion : public ::testing::Test {
protected:
    DevnetProcess net;
    Account alice{"00112233445566778899aabbccddee01"};
    Account bob{"ffeeddccbbaa99887766554433221102"};

    std::string network() const {
        auto url = net.seed_url();
        return url.substr(0, url.find("/json_rpc"));
    }
    std::vector<devnet_client::NodeInfo> swarm(const Account& who) const {
        auto nodes = net.nodes();
        return devnet_test::members(nodes, devnet_client::swarm_of(who.id, nodes));
    }
    // Stores `n` messages for `who` in namespace `ns` straight at a swarm member; their hashes.
    std::vector<std::string> store(const Account& who, int n, int ns = 0) {
        std::vector<std::string> hashes;
        const auto member = swarm(who).at(0);
        for (int i = 0; i < n; ++i) {
            const std::string data = "message " + std::to_string(i) + " in " + std::to_string(ns);
            const auto ts = now_ms();
            json params = ns == 0 ? devnet_client::store_params(who.id, ts, 3600000, data)
                                  : who.keys.store_signed(ns, ts, 3600000, data);
            auto r = net.rpc(member.port, "store", params);
            EXPECT_EQ(r.status, 200) << r.body;
            hashes.push_back(devnet_client::message_hash(who.id, ns, data));
        }
        return hashes;
    }
    // The hashes a member returns to a signed retrieve of `ns` (nullopt-like empty set with
    // ok=false when it did not answer 200).
    std::set<std::string> retrieve(const devnet_client::NodeInfo& node, const Account& who,
                                   int ns = 0, bool* ok = nullptr) const {
        auto r = net.rpc(node.port, "retrieve", who.keys.retrieve(ns, now_ms()));
        if (ok) *ok = r.status == 200;
        std::set<std::string> out;
        if (r.status != 200) return out;
        const json answer = json::parse(r.body);  // (a temporary would not outlive the loop)
        for (const auto& m : answer.at("messages")) out.insert(m.at("hash").get<std::string>());
        return out;
    }
    // Parses a recursive answer with the core's parser and checks every member with `verify`.
    template <class Verify>
    void expect_all_verified(const devnet_client::HttpResult& r, std::size_t members,
                             Verify verify) {
        ASSERT_EQ(r.status, 200) << r.body;
        auto outcome = st::rpc::parse_swarm_outcome(r.body);
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_EQ(outcome->nodes.size(), members);
        for (const auto& [key, o] : outcome->nodes) {
            auto ed = st::crypto::Ed25519PublicKey::from_hex(key);
            ASSERT_TRUE(ed);
            ASSERT_FALSE(o.failed) << key << ": " << o.reason;
            auto ok = verify(*ed, o);
            EXPECT_TRUE(ok) << key << ": " << (ok ? "" : ok.error().message);
        }
    }
};

TEST_F(Deletion, DevnetNodeSignaturesVerifyWithTheCoresChecks) {
    const auto members = swarm(alice);
    const auto hashes = store(alice, 3);
    const auto entry = members.at(1);

    // expire with shorten: one updated message, one unknown hash ("unchanged" stays empty).
    const std::vector<std::string> asked{hashes[0], std::string(43, 'A')};
    const std::int64_t expiry = now_ms() + 600000;
    expect_all_verified(net.rpc(entry.port, "expire", alice.keys.expire(asked, expiry, "shorten")),
                        members.size(), [&](const auto& ed, const auto& o) {
                            EXPECT_EQ(o.hashes, std::vector<std::string>{hashes[0]});
                            return st::rpc::verify_expire(alice.id, asked, expiry, ed, o);
                        });
    // A second shorten to a later time changes nothing: the message is listed as unchanged.
    const std::int64_t later = expiry + 60000;
    expect_all_verified(net.rpc(entry.port, "expire", alice.keys.expire(asked, later, "shorten")),
                        members.size(), [&](const auto& ed, const auto& o) {
                            EXPECT_TRUE(o.hashes.empty());
                            EXPECT_EQ(o.unchanged.count(hashes[0]), 1u);
                            return st::rpc::verify_expire(alice.id, asked, later, ed, o);
                        });

    // delete of two hashes, in request order (not sorted).
    const std::vector<std::string> del{hashes[2], hashes[1]};
    expect_all_verified(net.rpc(entry.port, "delete", alice.keys.delete_msgs(del)), members.size(),
                        [&](const auto& ed, const auto& o) {
                            EXPECT_EQ(o.hashes.size(), 2u);
                            return st::rpc::verify_delete(alice.id, del, ed, o);
                        });

    // delete_all of every namespace (one message in 0 and one in the private namespace 2 left).
    store(alice, 1, 2);
    const auto ts = now_ms();
    expect_all_verified(net.rpc(entry.port, "delete_all", alice.keys.delete_all(std::nullopt, ts)),
                        members.size(), [&](const auto& ed, const auto& o) {
                            EXPECT_EQ(o.hashes.size(), 2u);
                            return st::rpc::verify_delete_all(alice.id, ts, ed, o);
                        });
}

TEST_F(Deletion, AnAfterSendMessageIsNotRetrievedOnceItExpires) {
    auto sent = cli("send --network " + network() + " --seed " + alice.seed + " --to " + bob.id +
                    " --text 'gone soon' --expire after_send:10");
    ASSERT_EQ(sent.status, 0) << sent.out << sent.err;
    const json receipt = first_json_line(sent.out);
    const std::string hash = receipt.at("hash");
    // The store happens just after the message is dated: its expiry is the store time + 10 s.
    const auto expiry = receipt.at("expiry").get<std::int64_t>();
    const auto dated = receipt.at("timestamp").get<std::int64_t>();
    EXPECT_GE(expiry, dated + 10000);
    EXPECT_LT(expiry, dated + 10000 + 60000);

    const auto members = swarm(bob);
    // Stored with TTL = 10 s: retrieve reports that expiration while it lasts...
    auto r = net.rpc(members.at(0).port, "retrieve", bob.keys.retrieve(0, now_ms()));
    ASSERT_EQ(r.status, 200) << r.body;
    const json answer = json::parse(r.body);
    bool listed = false;
    for (const auto& m : answer.at("messages")) {
        if (m["hash"] != hash) continue;
        listed = true;
        EXPECT_EQ(m["expiration"].get<std::int64_t>(), m["timestamp"].get<std::int64_t>() + 10000);
    }
    EXPECT_TRUE(listed) << "the message was not stored in the recipient's swarm: " << r.body;
    // ...and no member returns it once it has expired (bounded: 10 s TTL + margin).
    EXPECT_TRUE(wait_until(
        [&] {
            for (const auto& n : members) {
                bool ok = false;
                auto got = retrieve(n, bob, 0, &ok);
                if (!ok || got.count(hash)) return false;
            }
            return true;
        },
        std::chrono::seconds{25}, std::chrono::milliseconds{250}));
}

TEST_F(Deletion, DeleteAllLeavesEveryMemberOfTheSwarmEmpty) {
    const auto members = swarm(alice);
    store(alice, 3, 0);
    store(alice, 2, 2);
    // Replicated to every member before we delete.
    std::string seen;
    ASSERT_TRUE(wait_until([&] {
        seen.clear();
        bool all = true;
        for (const auto& n : members) {
            const auto in0 = retrieve(n, alice, 0).size(), in2 = retrieve(n, alice, 2).size();
            seen += std::to_string(in0) + "+" + std::to_string(in2) + " ";
            if (in0 != 3 || in2 != 2) all = false;
        }
        return all;
    })) << "messages per member (ns 0 + ns 2): "
        << seen;

    auto r = cli("delete-all --network " + network() + " --seed " + alice.seed);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const json report = first_json_line(r.out);
    EXPECT_EQ(report.at("swarm"), members.size());
    EXPECT_EQ(report.at("confirmed"), members.size());
    EXPECT_TRUE(report.at("problems").empty()) << r.out;
    for (const auto& n : members) {
        ASSERT_TRUE(report.at("deleted").contains(n.ed_hex)) << r.out;
        EXPECT_EQ(report["deleted"][n.ed_hex].size(), 5u) << n.ed_hex;
        bool ok0 = false, ok2 = false;
        EXPECT_TRUE(retrieve(n, alice, 0, &ok0).empty()) << n.ed_hex;
        EXPECT_TRUE(retrieve(n, alice, 2, &ok2).empty()) << n.ed_hex;
        EXPECT_TRUE(ok0 && ok2);
    }
}

TEST_F(Deletion, DeleteAllWithALyingMemberExitsNonZeroAndNamesIt) {
    const auto members = swarm(alice);
    store(alice, 2);
    const auto liar = members.at(2);
    net.admin({{"op", "lie"}, {"node", liar.ed_hex}, {"lie", true}});

    auto r = cli("delete-all --network " + network() + " --seed " + alice.seed);
    EXPECT_EQ(r.status, 3) << r.out << r.err;
    const json report = first_json_line(r.out);
    EXPECT_EQ(report.at("swarm"), members.size());
    EXPECT_EQ(report.at("confirmed"), members.size() - 1);
    ASSERT_TRUE(report.at("problems").contains(liar.ed_hex)) << r.out;
    EXPECT_EQ(report["problems"][liar.ed_hex], "its signature is not valid");
    EXPECT_FALSE(report.at("deleted").contains(liar.ed_hex));
    EXPECT_NE(r.err.find("did not confirm"), std::string::npos) << r.err;

    // Honest again: the same command succeeds.
    net.admin({{"op", "lie"}, {"node", liar.ed_hex}, {"lie", false}});
    auto again = cli("delete-all --network " + network() + " --seed " + alice.seed);
    EXPECT_EQ(again.status, 0) << again.out << again.err;
}

}  // namespace
