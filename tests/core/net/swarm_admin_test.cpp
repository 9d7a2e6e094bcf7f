// Deleting and expiring in our own swarm (component tests, fake network): every member's signed
// result is checked; a member with a bad signature, a member missing from the answer and a member
// that refused are reported, not errors; bad input fails without sending anything.
#include "st/net/swarm_admin.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "net_fixture.hpp"
#include "st/rpc/node_signatures.hpp"
#include "st/rpc/status.hpp"

namespace st::net::testing {
namespace {

using json = nlohmann::json;

const std::string kH1 = "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ";
const std::string kH2 = "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k";

class SwarmAdminTest : public NetFixture {
protected:
    crypto::Identity me = account("0123456789abcdef0123456789abcdef");
    std::size_t hook_calls = 0;

    // How each member answers, by its Ed25519 hex: honest (default), with a signature by another
    // key, left out of the answer, or failed with a reason.
    enum class Member { honest, wrong_key, missing, refused };
    std::map<std::string, Member> members;

    // The fake network's node keys are derived from "fake-node-<i>"
    // (tests/support/fake_snode_network.cpp); recompute the secret key of a node.
    std::array<unsigned char, 64> secret_of(const rpc::ServiceNode& node) const {
        for (std::size_t i = 0; i < fake->nodes().size(); ++i) {
            const std::string name = "fake-node-" + std::to_string(i);
            unsigned char seed[32];
            crypto_generichash(seed, 32, reinterpret_cast<const unsigned char*>(name.data()),
                               name.size(), nullptr, 0);
            std::array<unsigned char, 64> sk{};
            unsigned char pk[32];
            crypto_sign_seed_keypair(pk, sk.data(), seed);
            if (std::equal(pk, pk + 32, node.ed25519.bytes.begin())) return sk;
        }
        ADD_FAILURE() << "no key for node " << node.ed25519.hex();
        return {};
    }

    static std::string sign(const std::array<unsigned char, 64>& sk, const std::string& text) {
        std::array<unsigned char, 64> sig{};
        crypto_sign_detached(sig.data(), nullptr,
                             reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                             sk.data());
        return to_base64(sig);
    }

    // Answers delete / delete_all / expire / get_expiries as a whole swarm would: every member
    // "deletes" or "updates" all requested hashes (kH1, kH2 for delete_all) and signs its result
    // in the storage server's layout.
    void install_swarm_answers() {
        fake->set_rpc_hook(
            [this](const rpc::ServiceNode&, const std::string& method,
                   const std::string& params_text) -> std::optional<std::pair<int, std::string>> {
                if (method != "delete" && method != "delete_all" && method != "expire" &&
                    method != "get_expiries")
                    return std::nullopt;
                ++hook_calls;
                const json p = json::parse(params_text);
                const std::string owner = p["pubkey"].get<std::string>();
                if (method == "get_expiries") {
                    json e = json::object();
                    for (const auto& h : p["messages"]) e[h.get<std::string>()] = 1700000000000;
                    return std::pair<int, std::string>{200, json{{"expiries", e}}.dump()};
                }
                json swarm = json::object();
                const auto nodes = fake->swarm_of(me.session_id());
                const auto stranger = secret_of(fake->node_outside_swarm(me.session_id()));
                for (const auto& n : nodes) {
                    const std::string hex = n.ed25519.hex();
                    const Member how = members.count(hex) ? members.at(hex) : Member::honest;
                    if (how == Member::missing) continue;
                    if (how == Member::refused) {
                        swarm[hex] = {{"failed", true}, {"code", 401}, {"reason", "bad signature"}};
                        continue;
                    }
                    const auto sk = how == Member::wrong_key ? stranger : secret_of(n);
                    json mine;
                    if (method == "delete") {
                        std::vector<std::string> asked = p["messages"];
                        mine["deleted"] = asked;
                        mine["signature"] = sign(sk, rpc::delete_signed_text(owner, asked, asked));
                    } else if (method == "delete_all") {
                        const std::int64_t ts = p["timestamp"];
                        mine["deleted"] = {{"0", {kH1}}, {"2", {kH2}}};
                        mine["signature"] =
                            sign(sk, rpc::delete_all_signed_text(owner, ts, {kH1, kH2}));
                    } else {
                        std::vector<std::string> asked = p["messages"];
                        const std::int64_t expiry = p["expiry"];
                        mine["updated"] = asked;
                        mine["unchanged"] = json::object();
                        mine["expiry"] = expiry;
                        mine["signature"] =
                            sign(sk, rpc::expire_signed_text(owner, expiry, asked, asked, {}));
                    }
                    swarm[hex] = mine;
                }
                return std::pair<int, std::string>{200, json{{"swarm", swarm}, {"t", 1}}.dump()};
            });
    }

    Outcome<SwarmReport> wait(Outcome<SwarmReport>& out) {
        run_until([&] { return out.done(); });
        return out;
    }
};

TEST_F(SwarmAdminTest, DeleteIsConfirmedByEveryMember) {
    make();
    install_swarm_answers();
    SwarmAdmin admin(*network, me);
    Outcome<SwarmReport> out;
    admin.delete_messages({kH1, kH2}, out.callback());
    EXPECT_FALSE(out.done());  // never inline
    wait(out);
    ASSERT_TRUE(out.ok()) << out.error().message;
    const auto& report = out.value();
    EXPECT_EQ(report.members.size(), fake->swarm_of(me.session_id()).size());
    EXPECT_TRUE(report.all_confirmed());
    EXPECT_EQ(report.confirmed(), report.members.size());
    for (const auto& m : report.members) {
        EXPECT_TRUE(m.confirmed) << m.node << ": " << m.problem;
        EXPECT_EQ(m.problem, "");
        EXPECT_EQ(m.hashes, (std::vector<std::string>{kH1, kH2}));
    }
    EXPECT_EQ(out.calls, 1);
}

TEST_F(SwarmAdminTest, AMemberWithABadSignatureIsNotConfirmed) {
    make();
    install_swarm_answers();
    const auto swarm = fake->swarm_of(me.session_id());
    const std::string liar = swarm[1].ed25519.hex();
    members[liar] = Member::wrong_key;
    SwarmAdmin admin(*network, me);
    Outcome<SwarmReport> out;
    admin.delete_all(out.callback());
    wait(out);
    ASSERT_TRUE(out.ok()) << out.error().message;
    const auto& report = out.value();
    EXPECT_FALSE(report.all_confirmed());
    EXPECT_EQ(report.confirmed(), swarm.size() - 1);
    for (const auto& m : report.members) {
        if (m.node == liar) {
            EXPECT_FALSE(m.confirmed);
            EXPECT_EQ(m.problem, "its signature is not valid");
            EXPECT_TRUE(m.hashes.empty());  // an unproven claim is not reported as deleted
        } else {
            EXPECT_TRUE(m.confirmed) << m.problem;
            EXPECT_EQ(m.hashes.size(), 2u);
        }
    }
    EXPECT_GT(report.timestamp_ms, 0);
}

TEST_F(SwarmAdminTest, AMemberMissingFromTheAnswerDidNotAnswer) {
    make();
    install_swarm_answers();
    const auto swarm = fake->swarm_of(me.session_id());
    members[swarm[0].ed25519.hex()] = Member::missing;
    members[swarm[2].ed25519.hex()] = Member::refused;
    SwarmAdmin admin(*network, me);
    Outcome<SwarmReport> out;
    admin.shorten_expiry({kH1}, 1700000000000 + 3600000, out.callback());
    wait(out);
    ASSERT_TRUE(out.ok()) << out.error().message;
    const auto& report = out.value();
    ASSERT_EQ(report.members.size(), swarm.size());  // the missing one is still listed
    EXPECT_EQ(report.confirmed(), swarm.size() - 2);
    EXPECT_FALSE(report.all_confirmed());
    for (const auto& m : report.members) {
        if (m.node == swarm[0].ed25519.hex()) {
            EXPECT_FALSE(m.confirmed);
            EXPECT_EQ(m.problem, "did not answer");
        } else if (m.node == swarm[2].ed25519.hex()) {
            EXPECT_FALSE(m.confirmed);
            EXPECT_EQ(m.problem, "refused: bad signature");
        } else {
            EXPECT_TRUE(m.confirmed) << m.problem;
            EXPECT_EQ(m.hashes, std::vector<std::string>{kH1});
        }
    }
    EXPECT_TRUE(std::is_sorted(report.members.begin(), report.members.end(),
                               [](const auto& a, const auto& b) { return a.node < b.node; }));
}

TEST_F(SwarmAdminTest, BadInputFailsWithoutARequest) {
    make();
    install_swarm_answers();
    SwarmAdmin admin(*network, me);
    Outcome<SwarmReport> empty, bad_hash, bad_expiry;
    Outcome<std::map<std::string, std::int64_t>> bad_get;
    admin.delete_messages({}, empty.callback());
    admin.delete_messages({kH1, "short"}, bad_hash.callback());
    admin.shorten_expiry({kH1}, 0, bad_expiry.callback());
    admin.get_expiries({"x"}, bad_get.callback());
    EXPECT_FALSE(empty.done());  // reported from the loop, not inline
    run_until(
        [&] { return empty.done() && bad_hash.done() && bad_expiry.done() && bad_get.done(); });
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, rpc::kBadParams);
    ASSERT_FALSE(bad_hash.ok());
    EXPECT_EQ(bad_hash.error().code, rpc::kBadHash);
    ASSERT_FALSE(bad_expiry.ok());
    EXPECT_EQ(bad_expiry.error().code, rpc::kBadParams);
    ASSERT_FALSE(bad_get.ok());
    EXPECT_EQ(bad_get.error().code, rpc::kBadHash);
    EXPECT_EQ(hook_calls, 0u);
    EXPECT_EQ(transport.sent().size(), 0u);
}

TEST_F(SwarmAdminTest, GetExpiriesReturnsTheNodesMap) {
    make();
    install_swarm_answers();
    SwarmAdmin admin(*network, me);
    Outcome<std::map<std::string, std::int64_t>> out;
    admin.get_expiries({kH1, kH2}, out.callback());
    run_until([&] { return out.done(); });
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out.value().size(), 2u);
    EXPECT_EQ(out.value().at(kH2), 1700000000000);
}

TEST_F(SwarmAdminTest, AnUnreadableAnswerIsAnErrorOfTheWholeRequest) {
    make();
    fake->set_rpc_hook([](const rpc::ServiceNode&, const std::string& method,
                          const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method == "delete_all") return std::pair<int, std::string>{200, "{\"no\":1}"};
        return std::nullopt;
    });
    SwarmAdmin admin(*network, me);
    Outcome<SwarmReport> out;
    admin.delete_all(out.callback());
    wait(out);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, rpc::kBadResponse);
}

TEST_F(SwarmAdminTest, DestroyingItAbandonsPendingCallbacks) {
    make();
    install_swarm_answers();
    Outcome<SwarmReport> out;
    {
        SwarmAdmin admin(*network, me);
        admin.delete_all(out.callback());
    }
    test::run_until_idle(loop);
    test::advance(loop, clock, std::chrono::minutes(2));
    EXPECT_EQ(out.calls, 0);
}

}  // namespace
}  // namespace st::net::testing
