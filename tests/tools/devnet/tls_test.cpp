// `devnet --tls`: every node and the seed serve HTTPS with their own self-signed certificate, made
// once per data folder and kept; the seed's SHA-256 is printed and written to seed.pin. These run
// with --tls whatever DEVNET_TLS says (the "tls." variants of the other suites run them all over
// TLS).
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "devnet_client.hpp"
#include "devnet_harness.hpp"

namespace {

using namespace devnet_client;
using devnet_test::DevnetConfig;
using devnet_test::DevnetProcess;
namespace fs = std::filesystem;

class TlsEnv : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new TlsEnv);

std::string slurp(const fs::path& file) {
    std::ifstream in{file};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "devnet-tls-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error{"mkdtemp failed"};
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

DevnetConfig tls_config(const std::string& dir, int nodes = 4) {
    DevnetConfig cfg;
    cfg.nodes = nodes;
    cfg.data_dir = dir;
    cfg.tls = true;
    return cfg;
}

TEST(DevnetTls, SeedAndNodesServeHttpsWithTheirOwnSelfSignedCertificates) {
    TempDir dir;
    DevnetProcess net{tls_config(dir.path)};
    ASSERT_EQ(net.seed_url().rfind("https://127.0.0.1:", 0), 0u) << net.seed_url();
    ASSERT_EQ(net.seed_pin().size(), 64u);
    EXPECT_EQ(slurp(fs::path{dir.path} / "seed.pin"), net.seed_pin() + "\n");

    auto status = net.status();
    EXPECT_EQ(status["tls"], true);
    EXPECT_EQ(status["seed_pin"], net.seed_pin());
    std::set<std::string> fingerprints{net.seed_pin()};
    for (const auto& n : status["nodes"]) {
        EXPECT_EQ(n["url"].get<std::string>().rfind("https://127.0.0.1:", 0), 0u) << n["url"];
        fingerprints.insert(peer_certificate_sha256("127.0.0.1", n["port"].get<std::uint16_t>()));
    }
    EXPECT_EQ(fingerprints.size(), status["nodes"].size() + 1) << "a certificate is shared";

    // Each certificate: self-signed, for the IP 127.0.0.1, valid for years, with its key.
    for (const char* sub : {"seed", "node-00", "node-03"}) {
        auto pem = slurp(fs::path{dir.path} / sub / "tls.crt");
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        ASSERT_NE(cert, nullptr) << sub;
        EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1) << sub;
        // Self-signed: issuer = subject, and its own key verifies its signature.
        EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)), 0);
        EXPECT_EQ(X509_verify(cert, X509_get0_pubkey(cert)), 1) << sub;
        int days = 0, secs = 0;
        ASSERT_EQ(ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert)), 1);
        EXPECT_GT(days, 9 * 365) << sub;
        X509_free(cert);
        auto mode = fs::status(fs::path{dir.path} / sub / "tls.key").permissions();
        EXPECT_EQ(mode & (fs::perms::group_all | fs::perms::others_all), fs::perms::none) << sub;
    }
}

TEST(DevnetTls, PlainHttpGetsNoAnswerOnATlsPort) {
    TempDir dir;
    DevnetProcess net{tls_config(dir.path, 2)};
    auto url = parse_url(net.seed_url());
    use_tls(false);
    auto plain = http_post(url.host, url.port, url.path,
                           R"({"method":"get_n_service_nodes","params":{}})");
    use_tls(true);
    EXPECT_EQ(plain.status, 0) << plain.body;
    auto secure = http_post(url.host, url.port, url.path,
                            R"({"method":"get_n_service_nodes","params":{}})");
    EXPECT_EQ(secure.status, 200) << secure.body;
}

TEST(DevnetTls, CertificatesAreKeptAcrossRestarts) {
    TempDir dir;
    std::string pin, node_fp;
    {
        DevnetProcess net{tls_config(dir.path, 2)};
        pin = net.seed_pin();
        node_fp = peer_certificate_sha256("127.0.0.1", net.nodes().at(0).port);
        EXPECT_EQ(net.stop(), 0);
    }
    DevnetProcess net{tls_config(dir.path, 2)};
    EXPECT_EQ(net.seed_pin(), pin);
    EXPECT_EQ(peer_certificate_sha256("127.0.0.1", net.nodes().at(0).port), node_fp);
}

TEST(DevnetTls, AHalfMissingCertificatePairStopsTheStart) {
    TempDir dir;
    {
        DevnetProcess net{tls_config(dir.path, 1)};
    }
    fs::remove(fs::path{dir.path} / "seed" / "tls.key");
    EXPECT_THROW(DevnetProcess{tls_config(dir.path, 1)}, std::runtime_error);
}

TEST(DevnetTls, StoreRetrieveAndThreeHopOnionOverHttps) {
    TempDir dir;
    DevnetProcess net{tls_config(dir.path, 4)};
    auto nodes = net.nodes();
    ASSERT_EQ(nodes.size(), 4u);
    auto alice = Account::random();
    auto swarm = swarm_of(alice.session_id(), nodes);
    auto member = devnet_test::members(nodes, swarm).at(0);
    auto stored = net.rpc(member.port, "store",
                          store_params(alice.session_id(), now_ms(), 3600'000, "over tls"));
    ASSERT_EQ(stored.status, 200) << stored.body;

    // Guard, middle and exit relay to each other inside the devnet; the guard is reached over
    // HTTPS and the reply comes back encrypted to the destination layer's key.
    std::vector<NodeInfo> path;
    for (const auto& n : nodes)
        if (n.ed_hex != member.ed_hex && path.size() < 3) path.push_back(n);
    auto req = build_onion(path, member,
                           rpc_body("retrieve", alice.retrieve(0, now_ms())));
    auto res = net.onion(path[0].port, req.body);
    ASSERT_EQ(res.status, 200) << res.body;
    auto reply = decrypt_reply(req, res.body);
    ASSERT_TRUE(reply);
    auto outer = json::parse(*reply);
    EXPECT_EQ(outer["status"], 200);
    auto body = json::parse(outer["body"].get<std::string>());
    ASSERT_EQ(body["messages"].size(), 1u);
    EXPECT_EQ(*unb64(body["messages"][0]["data"].get<std::string>()), "over tls");
}

}  // namespace
