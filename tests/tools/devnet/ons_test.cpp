// ONS names on a devnet: `devnet --ons NAME=ID` registers names that its nodes resolve as oxend
// does, and `session-cli ons resolve` (the core's Network::resolve_ons through 3-hop onion paths)
// finds them. Also the node's answer itself, asked directly: shape, encryption, unknown names and
// malformed parameters.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "devnet_client.hpp"
#include "devnet_harness.hpp"

namespace {

using devnet_client::json;
using devnet_test::DevnetConfig;
using devnet_test::DevnetProcess;

class Env : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Env);

constexpr const char* kAliceId = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";

struct CliRun {
    int status = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

CliRun cli(const std::string& args) {
    const std::string err_file = ::testing::TempDir() + "ons_cli_stderr.txt";
    FILE* pipe = popen((std::string(SESSION_CLI_EXE) + " " + args + " 2>" + err_file).c_str(), "r");
    CliRun r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int st = pclose(pipe);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (FILE* f = fopen(err_file.c_str(), "r")) {
        while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) r.err.append(buf.data(), n);
        fclose(f);
    }
    return r;
}

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) (s += d[p[i] >> 4]) += d[p[i] & 15];
    return s;
}
std::string unhex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
    return out;
}
// BLAKE2b-256 (libsodium's generic hash), optionally keyed.
std::string blake2b(const std::string& m, const std::string& key = {}) {
    unsigned char out[32];
    crypto_generichash(out, 32, reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    return {reinterpret_cast<char*>(out), 32};
}
std::string b64(const std::string& raw) {
    std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

class Ons : public ::testing::Test {
protected:
    static DevnetConfig config() {
        DevnetConfig c;
        c.extra_args = {"--ons", std::string("alice=") + kAliceId, "--ons",
                        "Bob_2=0544a3f9c1e7e0bd1f8a1e2c9b3d7f6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b1a"};
        return c;
    }
    DevnetProcess net{config()};
    std::string seed_arg() const { return "--network " + net.seed_url(); }

    json ask(std::uint16_t port, const json& params) {
        auto r = net.rpc(port, "oxend_request", {{"endpoint", "ons_resolve"}, {"params", params}});
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    }
};

TEST_F(Ons, SessionCliResolvesARegisteredName) {
    auto r = cli("ons resolve alice " + seed_arg());
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out, std::string(kAliceId) + "\n");
    // Names are case-insensitive: registered as Bob_2, found as BOB_2.
    auto bob = cli("ons resolve BOB_2 " + seed_arg());
    EXPECT_EQ(bob.status, 0) << bob.err;
    EXPECT_EQ(bob.out, "0544a3f9c1e7e0bd1f8a1e2c9b3d7f6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b1a\n");
}

TEST_F(Ons, AnUnknownNameIsNotFoundExit2) {
    auto r = cli("ons resolve carol " + seed_arg());
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err, "session-cli ons: No Session ID is registered for that name.\n");
}

TEST_F(Ons, AnInvalidNameExit2WithoutAsking) {
    for (const char* bad : {"'al ice'", "al.ice", "x-"}) {
        auto r = cli(std::string("ons resolve ") + bad + " " + seed_arg());
        EXPECT_EQ(r.status, 2) << bad;
        EXPECT_NE(r.err.find("ONS name"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    }
}

TEST_F(Ons, NodesAnswerAsOxendDoes) {
    const auto nodes = net.nodes();
    ASSERT_GE(nodes.size(), 2u);
    const std::string name_hash = blake2b("alice");
    const json a = ask(nodes[0].port, {{"type", 0}, {"name_hash", b64(name_hash)}});
    ASSERT_TRUE(a.contains("result")) << a.dump();
    EXPECT_TRUE(a.contains("t"));
    EXPECT_EQ(a["hf"], json({19, 3}));
    const auto& res = a["result"];
    ASSERT_TRUE(res["encrypted_value"].is_string());
    ASSERT_TRUE(res["nonce"].is_string());
    const std::string ct = unhex(res["encrypted_value"]), nonce = unhex(res["nonce"]);
    ASSERT_EQ(ct.size(), 49u);
    ASSERT_EQ(nonce.size(), 24u);
    const std::string key = blake2b("alice", name_hash);
    unsigned char plain[33];
    unsigned long long len = 0;
    ASSERT_EQ(crypto_aead_xchacha20poly1305_ietf_decrypt(
                  plain, &len, nullptr, reinterpret_cast<const unsigned char*>(ct.data()),
                  ct.size(), nullptr, 0, reinterpret_cast<const unsigned char*>(nonce.data()),
                  reinterpret_cast<const unsigned char*>(key.data())),
              0);
    EXPECT_EQ(hex(plain, len), kAliceId);
    // Every node holds the same on-chain value; the hash may also be given as hex.
    const json b = ask(nodes[1].port, {{"type", 0}, {"name_hash", hex(reinterpret_cast<const unsigned char*>(name_hash.data()), 32)}});
    EXPECT_EQ(b["result"], res);
    // Unknown: an empty result, as oxend sets no field.
    const json none = ask(nodes[0].port, {{"type", 0}, {"name_hash", b64(blake2b("carol"))}});
    EXPECT_EQ(none["result"], json::object());
    // Only Session names are registered: the wallet type finds nothing.
    const json wallet = ask(nodes[0].port, {{"type", 1}, {"name_hash", b64(name_hash)}});
    EXPECT_EQ(wallet["result"], json::object());
}

TEST_F(Ons, MalformedParametersAreRefused) {
    const auto port = net.nodes().at(0).port;
    auto bad_hash = net.rpc(port, "oxend_request",
                            {{"endpoint", "ons_resolve"}, {"params", {{"type", 0}, {"name_hash", "abc"}}}});
    EXPECT_EQ(bad_hash.status, 400);
    EXPECT_NE(bad_hash.body.find("invalid 'name_hash'"), std::string::npos) << bad_hash.body;
    auto bad_type = net.rpc(port, "oxend_request",
                            {{"endpoint", "ons_resolve"},
                             {"params", {{"type", 99}, {"name_hash", b64(blake2b("alice"))}}}});
    EXPECT_EQ(bad_type.status, 400);
}

TEST(OnsArgs, DevnetRefusesABadRegistration) {
    for (const char* spec : {"alice", "-alice=05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72",
                             "alice=0323", "al ice=05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"}) {
        const std::string cmd = std::string(DEVNET_EXE) + " --ons '" + spec + "' >/dev/null 2>&1";
        const int st = std::system(cmd.c_str());
        ASSERT_TRUE(WIFEXITED(st)) << spec;
        EXPECT_EQ(WEXITSTATUS(st), 2) << spec;
    }
}

}  // namespace
