// Known-answer checks of the devnet's server-side code and of the test client (protocol.md §10):
// swarm mapping (§10.10), message hashes and request signatures (§10.6), onion layers (§10.5) and
// the deterministic 3-hop request (§10.7) — built by the client and peeled by the devnet's code.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <set>

#include "crypto.hpp"
#include "devnet_client.hpp"
#include "network.hpp"
#include "onion.hpp"

namespace {

namespace dc = devnet_client;

std::string unhex(std::string_view h) { return *dc::unhex(h); }

devnet::Key32 key32(std::string_view h) { return dc::key_from_hex(h); }

devnet::Key32 blake2b_name(std::string_view name) {
    devnet::Key32 out;
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(name.data()),
                       name.size(), nullptr, 0);
    return out;
}

class Sodium : public ::testing::Environment {
public:
    void SetUp() override {
        devnet::crypto_init();
        dc::init();
    }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Sodium);

// --- §10.10 ----------------------------------------------------------------------------------

TEST(DevnetVectors, SwarmSpaceMatchesTheServersValues) {
    struct Case {
        const char* pubkey;
        std::uint64_t space;
    };
    const Case cases[] = {
            {"053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8", 17589930838143112648ull},
            {"05cf27da303a50ac8c4b2d43d27259505c9bcd73fc21cf2a57902c3d050730b604", 10370619079776428163ull},
            {"03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc", 2144983569669512198ull},
            {"050123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0},
            {"05fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", 1},
            {"05ffffffffffffffffffffffffffffffffffffffffffffffff7fffffffffffffff", 1ull << 63},
            {"05000000000000000000000000000000000000000000000000ffffffffffffffff", ~0ull},
            {"050000000000000000000000000000000000000000000000000123456789abcdef", 0x0123456789abcdefull},
    };
    for (const auto& c : cases)
        EXPECT_EQ(devnet::Devnet::swarm_space(unhex(c.pubkey).substr(1)), c.space) << c.pubkey;
}

TEST(DevnetVectors, ClosestSwarmRuleMatchesTheServers) {
    std::set<std::uint64_t> ids{100, 200, 300, 399, 498, 596, 694};
    struct Case {
        std::uint64_t space, swarm;
    };
    const Case cases[] = {
            {0x64, 100}, {0xc8, 200}, {0x1f2, 498}, {0, 100}, {1, 100},
            {0x8000000000000000ull, 694}, {0xa000000000000000ull, 100}, {~0ull, 100},
            {0x95, 100}, {0x96, 100}, {0x97, 200}, {0xf9, 200}, {0xfa, 200}, {0xfb, 300},
            {0x15d, 300}, {0x15e, 399}, {0x1c0, 399}, {0x1c1, 498}, {0x222, 498}, {0x223, 498},
            {0x224, 596}, {0x285, 596}, {0x286, 694}, {0x800000000000018cull, 694},
            {0x800000000000018dull, 694}, {0x800000000000018eull, 100},
    };
    // The client's independent implementation sees the same swarms through node lists.
    std::vector<dc::NodeInfo> nodes;
    for (auto id : ids) {
        dc::NodeInfo n;
        n.swarm_id = id;
        nodes.push_back(n);
    }
    auto pubkey_for = [](std::uint64_t space) {
        char buf[67];
        std::snprintf(buf, sizeof buf, "05%048d%016llx", 0, static_cast<unsigned long long>(space));
        return std::string{buf};
    };
    for (const auto& c : cases) {
        EXPECT_EQ(devnet::Devnet::closest_swarm(ids, c.space), c.swarm) << std::hex << c.space;
        EXPECT_EQ(dc::swarm_of(pubkey_for(c.space), nodes), c.swarm) << std::hex << c.space;
    }
    ids.insert(~0ull - 19);
    EXPECT_EQ(devnet::Devnet::closest_swarm(ids, 0x27), ~0ull - 19);
    EXPECT_EQ(devnet::Devnet::closest_swarm(ids, 0x28), ~0ull - 19);  // tie goes left
    EXPECT_EQ(devnet::Devnet::closest_swarm(ids, 0x29), 100u);
    ids.insert(0);
    EXPECT_EQ(devnet::Devnet::closest_swarm(ids, ~0ull), 0u);
}

// --- §10.6 -----------------------------------------------------------------------------------

TEST(DevnetVectors, MessageHashesAndRequestSignatures) {
    const std::string sid = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
    const auto owner = unhex(sid);
    EXPECT_EQ(devnet::message_hash(owner, 0, "abc 123"), "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
    EXPECT_EQ(devnet::message_hash(owner, 2, "abc 123"), "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k");
    EXPECT_EQ(devnet::message_hash(owner, -10, "abc 123"), "OyxfyAc772mPEm3zbbbEvFJe3VDLMEPRsloecuFaSsw");
    EXPECT_EQ(dc::message_hash(sid, 2, "abc 123"), "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k");

    auto seed1 = key32("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    auto acct = dc::Account::from_seed(seed1);
    EXPECT_EQ(acct.session_id(), sid);
    EXPECT_EQ(acct.sign_b64("retrieve1700000000000"),
              "WyOyu+IdImmQ8OV7AdFy6O5bTGN2pn7r6UQdyVYaZIkW25BqP1rzts9nJJOT85kCiurH2eozd2DV7Mhds7fGAg==");
    EXPECT_EQ(acct.retrieve(2, 1700000000000)["signature"],
              "S7ta+HqpLQgbDJD7ApyYSI/yIfQAf0Aa0y6eUkXIHoncSHSpWGo0tq6YmjsZWlj5pXqlTjzunQrBjPIcmDwUDw==");
    EXPECT_EQ(acct.delete_all(std::nullopt, 1700000000000)["signature"],
              "6yLmTE8A19eR6jg+Ued8wgxvrYxxYXbInwZ2mCF+ZA7GUd15mTCYxHMEODKQ1UCg9QArHU1NC7hPeojEMzy4AQ==");
    // The server-side check accepts it.
    EXPECT_TRUE(devnet::verify_signature(*dc::unb64(acct.sign_b64("store21700000000000")),
                                         "store21700000000000",
                                         key32("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7")));
}

// --- §10.5 -----------------------------------------------------------------------------------

TEST(DevnetVectors, NodePeelsTheUpstreamOnionLayersOfBothEncTypes) {
    auto b = key32("2f4d1c0d28e137777ec0a316e9f4f763e3e66662a6c51994c6315c9ef34b6deb");
    auto B = key32("8388de69bc0d4b6196133233ad9a46ba0473474bc67718aad96a3a33c257f726");
    const char* blobs[] = {
            "270000009525d587d188c92a966eef0e7162bef99a6171a124575b998072a8ee7eb265e0b6f0930ed965047b22656e635f74797065223a20226165732d67636d222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d",
            "33000000e440bc244ddcafd947b86fc5a964aa58de54a6d75cc0f0f3840db14b6c1176a8e2e0a04d5fbdf98f23adee1edc8362ab99b10b7b22656e635f74797065223a2022786368616368613230222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d",
    };
    for (const char* h : blobs) {
        auto raw = unhex(h);
        auto [ct, control] = devnet::parse_combined(raw);
        bool xchacha = devnet::parse_enc_type(control["enc_type"].get<std::string>());
        auto eph = key32(control["ephemeral_key"].get<std::string>());
        auto plain = devnet::channel_decrypt(b, B, xchacha, ct, eph);
        ASSERT_TRUE(plain) << control.dump();
        EXPECT_EQ(*plain, "Hello world");
        // A reply comes back under the same key: length = nonce + 13 + tag.
        auto reply = devnet::channel_encrypt(b, B, xchacha, "Goodbye world", eph);
        EXPECT_EQ(reply.size(), xchacha ? 53u : 41u);
        // Tampering is detected.
        auto bad = std::string{ct};
        bad.back() = static_cast<char>(bad.back() ^ 8);
        EXPECT_FALSE(devnet::channel_decrypt(b, B, xchacha, bad, eph));
    }
}

// --- §10.7 -----------------------------------------------------------------------------------

TEST(DevnetVectors, ClientBuildsAndNodesPeelTheDeterministicThreeHopRequest) {
    auto node = [](const char* name) { return devnet::NodeKeys::from_seed(blake2b_name(name)); };
    auto guard = node("guard"), middle = node("middle"), exit = node("exit"), dest = node("dest");
    EXPECT_EQ(guard.ed_hex(), "3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da");
    EXPECT_EQ(dest.x_hex(), "ef28774a71ea59727ea6e029768e9cc184cbdb777d1fe1612df10e838dbcca6b");
    auto info = [](const devnet::NodeKeys& k) {
        dc::NodeInfo n;
        n.ed = k.ed_pk();
        n.x = k.x_pk();
        n.ed_hex = k.ed_hex();
        return n;
    };

    dc::OnionOptions opts;
    for (const char* e : {"eph-dest", "eph-exit", "eph-middle", "eph-guard"})
        opts.ephemeral_secrets.push_back(blake2b_name(e));
    for (char c : {'\x01', '\x02', '\x03', '\x04'}) opts.nonces.push_back(std::string(24, c));
    const std::string payload = R"({"method":"info","params":{}})";
    auto req = dc::build_onion({info(guard), info(middle), info(exit)}, info(dest), payload, opts);

    ASSERT_EQ(req.body.size(), 894u);
    EXPECT_EQ(dc::hex(req.body.substr(0, 4)), "0f030000");
    EXPECT_EQ(req.body.substr(4, 24), std::string(24, '\x04'));
    unsigned char sha[32];
    crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(req.body.data()), req.body.size());
    EXPECT_EQ(dc::hex({reinterpret_cast<const char*>(sha), 32}),
              "6b1c81efe65e28eb45579ec6c7cf3a1b2bf473c22e4241674bce8753e6daa972");

    // Peel it as each node would.
    auto [ct, outer] = devnet::parse_combined(req.body);
    EXPECT_EQ(outer["ephemeral_key"], "58441c6ec4fa2383504342ca6da3eb0e7b23eb5341d13587fe042b334be4ff40");
    auto layer = devnet::peel_layer(guard, ct, key32(outer["ephemeral_key"].get<std::string>()), true);
    const devnet::NodeKeys* expect_next[] = {&middle, &exit, &dest};
    const char* expect_eph[] = {"9ab95e73805eead7e7f9341cfd5b82a00d2b507715e0f4e523ad364967182f09",
                                "292e9221bb84a26f3ddee0f6392c4ae29c89d187634ee1015cab083f10d8174f",
                                "5c1a096bc969b769993a415b0c8183b285aeaf0741973f05d2fba04264e06b33"};
    for (int hop = 0; hop < 3; ++hop) {
        auto* relay = std::get_if<devnet::RelayToNode>(&layer);
        ASSERT_NE(relay, nullptr) << "hop " << hop;
        EXPECT_EQ(relay->destination, expect_next[hop]->ed_pk());
        EXPECT_EQ(dc::hex(relay->ephemeral), expect_eph[hop]);
        EXPECT_TRUE(relay->xchacha);
        layer = devnet::peel_layer(*expect_next[hop], relay->ciphertext, relay->ephemeral,
                                   relay->xchacha);
    }
    auto* fin = std::get_if<devnet::FinalDestination>(&layer);
    ASSERT_NE(fin, nullptr);
    EXPECT_EQ(fin->body, payload);
    EXPECT_FALSE(fin->json);
    EXPECT_TRUE(fin->base64);

    // The destination's reply decrypts with the client's K for that layer.
    auto reply = dest.encrypt(true, R"({"status":200,"body":"{}"})",
                              key32("5c1a096bc969b769993a415b0c8183b285aeaf0741973f05d2fba04264e06b33"));
    auto plain = dc::decrypt_reply(req, dc::b64(reply));
    ASSERT_TRUE(plain);
    EXPECT_EQ(*plain, R"({"status":200,"body":"{}"})");

    // A node that is not the addressee cannot read a layer.
    EXPECT_TRUE(std::holds_alternative<devnet::LayerError>(devnet::peel_layer(
            middle, ct, key32(outer["ephemeral_key"].get<std::string>()), true)));
}

}  // namespace
