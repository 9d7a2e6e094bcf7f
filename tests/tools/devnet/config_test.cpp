// Config sync between two devices of one account through a real devnet (docs/config.md): two
// session-cli "devices" with one seed, each keeping its config between runs in its own --state
// file (ConfigBase::dump), push and pull the account's config namespaces. Changes of different
// fields made concurrently both survive; a field changed concurrently on both ends with the same
// value on both once each has pulled the other's push (the merge is deterministic). `config pull`
// only reads: a device stores the version a merge made with its next `config push` (here with
// no fields), as the clients push right after a merge.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "devnet_client.hpp"
#include "devnet_harness.hpp"
#include "wait_until.hpp"

namespace {

using devnet_client::json;
using devnet_test::CliRun;
using devnet_test::DevnetProcess;
using devnet_test::first_json_line;
using devnet_test::run_cli;
using devnet_test::wait_until;

class Env : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Env);

const std::string kX = "05" + std::string(64, '1');
const std::string kY = "05" + std::string(32, 'a') + std::string(32, 'b');

// How long two devices may take to see each other's pushes: a store reaches the other swarm
// members by forwarding, and every pull asks two random members.
constexpr std::chrono::seconds kConverge{90};

class ConfigSync : public ::testing::Test {
protected:
    DevnetProcess net;
    const std::string seed = "00112233445566778899aabbccddee0c";
    std::string dir;

    void SetUp() override {
        dir = ::testing::TempDir() + "/config_sync_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    // One device's words for a command on `kind`: its own state file per config.
    std::vector<std::string> device(int n, const std::string& action, const std::string& kind) const {
        return {"config", action,  "--network", net.network(),
                "--seed", seed,    "--kind",    kind,
                "--state", dir + "/device" + std::to_string(n) + "." + kind + ".state"};
    }
    CliRun push(int n, const std::string& kind, const json& fields, bool no_pull = false) const {
        auto words = device(n, "push", kind);
        words.insert(words.end(), {"--json", fields.dump()});
        if (no_pull) words.push_back("--no-pull");
        return run_cli(words);
    }
    // The device's config after a pull, or null if the pull failed.
    json pull(int n, const std::string& kind) const {
        auto r = run_cli(device(n, "pull", kind));
        if (r.status != 0) {
            ADD_FAILURE() << "pull on device " << n << " exited " << r.status << ": " << r.err;
            return json();
        }
        return first_json_line(r.out);
    }
    // Pulls on both devices until `done(d1, d2)` holds for their configs; the last configs seen.
    std::pair<json, json> pull_both_until(const std::string& kind,
                                          const std::function<bool(const json&, const json&)>& done) {
        json a, b;
        const bool ok = wait_until(
                [&] {
                    a = pull(1, kind);
                    b = pull(2, kind);
                    return !a.is_null() && !b.is_null() && done(a, b);
                },
                kConverge, std::chrono::milliseconds{200});
        EXPECT_TRUE(ok) << "device 1: " << a.dump() << "\ndevice 2: " << b.dump();
        return {a, b};
    }
    static json contact(const std::string& id, const std::string& nickname, bool approved,
                        bool blocked) {
        return {{"session_id", id}, {"name", ""},         {"nickname", nickname},
                {"approved", approved}, {"approved_me", false}, {"blocked", blocked}};
    }
};

json pushed_ok(const CliRun& r) {
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    const json j = first_json_line(r.out);
    EXPECT_TRUE(j.is_object()) << r.out;
    if (!j.is_object()) return json::object();
    EXPECT_EQ(j.value("pushed", false), true) << r.out;
    EXPECT_EQ(j.value("hash", std::string()).size(), 43u) << r.out;
    return j;
}

TEST_F(ConfigSync, ConcurrentChangesOfDifferentFieldsBothSurvive) {
    // Device 1: the profile name, and contact X approved (it pulls first: nothing yet).
    EXPECT_EQ(pushed_ok(push(1, "user_profile", {{"name", "Alice"}})).value("seqno", 0), 1);
    EXPECT_EQ(pushed_ok(push(1, "contacts", {{"contacts", {{{"session_id", kX}, {"approved", true}}}}}))
                      .value("seqno", 0),
              1);
    // Device 2 has not seen that push: contact Y blocked, from its own (empty) state.
    EXPECT_EQ(pushed_ok(push(2, "contacts", {{"contacts", {{{"session_id", kY}, {"blocked", true}}}}},
                             /*no_pull=*/true))
                      .value("seqno", 0),
              1);

    // Both pull and end with both contacts: the two seqno-1 versions merge into seqno 2.
    const json both = {{"seqno", 2},
                       {"contacts", {contact(kX, "", true, false), contact(kY, "", false, true)}}};
    auto [c1, c2] = pull_both_until("contacts", [&](const json& a, const json& b) {
        return a == both && b == both;
    });
    EXPECT_EQ(c1, both);
    EXPECT_EQ(c1, c2);

    // Device 2 sees device 1's profile name.
    json profile;
    EXPECT_TRUE(wait_until([&] { return (profile = pull(2, "user_profile")).value("name", json()) == "Alice"; },
                           kConverge, std::chrono::milliseconds{200}))
            << profile.dump();
    EXPECT_EQ(profile.value("seqno", 0), 1);

    // Bad input is refused before anything is sent.
    auto bad = push(1, "contacts", {{"contacts", {{{"session_id", "05zz"}}}}});
    EXPECT_EQ(bad.status, 2) << bad.out << bad.err;
}

TEST_F(ConfigSync, ConcurrentChangesOfOneFieldEndEqualOnBothDevices) {
    pushed_ok(push(1, "contacts", {{"contacts", {{{"session_id", kX}, {"approved", true}}}}}));
    // Device 2 learns of X.
    pull_both_until("contacts", [](const json& a, const json& b) {
        return a.value("seqno", 0) == 1 && b.value("seqno", 0) == 1;
    });

    // Both change X's nickname from the same state, neither having seen the other's change.
    const json n1 = pushed_ok(push(1, "contacts",
                                   {{"contacts", {{{"session_id", kX}, {"nickname", "one"}}}}}, true));
    const json n2 = pushed_ok(push(2, "contacts",
                                   {{"contacts", {{{"session_id", kX}, {"nickname", "two"}}}}}, true));
    EXPECT_EQ(n1.value("seqno", 0), 2);
    EXPECT_EQ(n2.value("seqno", 0), 2);
    EXPECT_NE(n1.value("hash", ""), n2.value("hash", ""));

    // After pulling, both hold the merge of the two (seqno 3) with the same winner.
    auto [c1, c2] = pull_both_until("contacts", [](const json& a, const json& b) {
        return a.value("seqno", 0) == 3 && a == b;
    });
    ASSERT_EQ(c1.value("contacts", json::array()).size(), 1u) << c1.dump();
    const auto nickname = c1["contacts"][0]["nickname"].get<std::string>();
    EXPECT_TRUE(nickname == "one" || nickname == "two") << nickname;
    EXPECT_EQ(c1["contacts"][0], contact(kX, nickname, true, false));
    EXPECT_EQ(c1, c2);

    // As the clients do after a merge, each device stores its merged version: both merged the
    // same messages, so it is the same message (one hash), and it replaces the two seqno-2 ones.
    const json m1 = pushed_ok(push(1, "contacts", json::object()));
    const json m2 = pushed_ok(push(2, "contacts", json::object()));
    EXPECT_EQ(m1.value("seqno", 0), 3);
    EXPECT_EQ(m1.value("hash", ""), m2.value("hash", ""));
    const auto obsolete = m1.value("obsolete", json::array());
    EXPECT_NE(std::find(obsolete.begin(), obsolete.end(), n1["hash"]), obsolete.end()) << m1.dump();
    EXPECT_NE(std::find(obsolete.begin(), obsolete.end(), n2["hash"]), obsolete.end()) << m1.dump();

    // A later change on one device then reaches the other as it is.
    const json next =
            pushed_ok(push(1, "contacts", {{"contacts", {{{"session_id", kX}, {"blocked", true}}}}}));
    EXPECT_EQ(next.value("seqno", 0), 4);
    auto [d1, d2] = pull_both_until("contacts", [](const json& a, const json& b) {
        return a == b && a.value("seqno", 0) == 4;
    });
    ASSERT_EQ(d2.value("contacts", json::array()).size(), 1u) << d2.dump();
    EXPECT_EQ(d2["contacts"][0], contact(kX, nickname, true, true));
}

}  // namespace
