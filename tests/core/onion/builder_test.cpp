// The onion builder against the deterministic 3-hop request of protocol.md §10.7 (byte-exact), a
// peel of every layer as the nodes would do it, and v4 server requests.
#include "st/onion/builder.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "st/onion/response.hpp"

namespace st::onion {
namespace {

using json = nlohmann::json;

std::array<std::uint8_t, 32> blake(std::string_view name) {
    std::array<std::uint8_t, 32> out{};
    crypto_generichash(out.data(), 32, reinterpret_cast<const unsigned char*>(name.data()),
                       name.size(), nullptr, 0);
    return out;
}

// A §10.7 node: Ed25519 from seed BLAKE2b-256(name), X25519 by the standard conversion.
struct TestNode {
    Hop hop;
    crypto::X25519SecretKey x_sk;
    explicit TestNode(std::string_view name) {
        auto seed = blake(name);
        std::uint8_t sk[64];
        crypto_sign_seed_keypair(hop.ed25519.bytes.data(), sk, seed.data());
        EXPECT_EQ(
            crypto_sign_ed25519_pk_to_curve25519(hop.x25519.bytes.data(), hop.ed25519.bytes.data()),
            0);
        crypto_sign_ed25519_sk_to_curve25519(x_sk.data(), sk);
        sodium_memzero(sk, sizeof sk);
    }
};

LayerSecrets layer(std::string_view eph_name, std::uint8_t nonce_byte) {
    LayerSecrets s;
    auto sk = blake(eph_name);
    std::copy(sk.begin(), sk.end(), s.ephemeral_sk.data());
    s.nonce.fill(nonce_byte);
    return s;
}

BuildOptions vector_secrets() {
    BuildOptions o;
    o.layers.push_back(layer("eph-dest", 0x01));
    o.layers.push_back(layer("eph-exit", 0x02));
    o.layers.push_back(layer("eph-middle", 0x03));
    o.layers.push_back(layer("eph-guard", 0x04));
    return o;
}

// Opens one layer as `node` would: returns (plaintext, routing JSON of the layer opened).
std::pair<Bytes, json> peel(const TestNode& node, ByteView blob) {
    auto parts = split_layer(blob);
    EXPECT_TRUE(parts);
    json j = json::parse(parts->json);
    auto E = crypto::X25519PublicKey::from_hex(j["ephemeral_key"].get<std::string>());
    auto key = node_key(node.x_sk, node.hop.x25519, *E);
    auto plain = decrypt(*key, parts->ciphertext);
    EXPECT_TRUE(plain);
    return {*plain, j};
}

class OnionVector : public ::testing::Test {
protected:
    TestNode guard{"guard"}, middle{"middle"}, exit{"exit"}, dest{"dest"};
    std::vector<Hop> path{guard.hop, middle.hop, exit.hop};
    const std::string payload = R"({"method":"info","params":{}})";
};

TEST_F(OnionVector, NodeKeysMatchTheTable) {
    EXPECT_EQ(guard.hop.ed25519.hex(),
              "3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da");
    EXPECT_EQ(guard.hop.x25519.hex(),
              "7f115455aec3d0cc39c2dc9259604f6d13ad5714c09a702a225d68abeb2e433a");
    EXPECT_EQ(middle.hop.ed25519.hex(),
              "9aa69446d18b1a6cbbe26d252e04a82c620bfbda9fe94d66097d71b5f41f3f4d");
    EXPECT_EQ(exit.hop.ed25519.hex(),
              "88cf6cbbef3cefb59db22e669270b5929cd2b30784ef0b4d80c0776aa3c10abe");
    EXPECT_EQ(dest.hop.ed25519.hex(),
              "0ebb0b291e4446ec85bc142cc131d41d0afe80737da1890a094cd123283b9a58");
    EXPECT_EQ(dest.hop.x25519.hex(),
              "ef28774a71ea59727ea6e029768e9cc184cbdb777d1fe1612df10e838dbcca6b");
}

TEST_F(OnionVector, GuardBodyIsByteExact) {
    auto req = build_to_snode(path, dest.hop, as_bytes(payload), vector_secrets());
    ASSERT_TRUE(req) << req.error().message;
    EXPECT_EQ(req->body.size(), 894u);
    std::string guard_nonce;
    for (int i = 0; i < 24; ++i) guard_nonce += "04";
    EXPECT_EQ(to_hex(ByteView(req->body).first(28)), "0f030000" + guard_nonce);
    EXPECT_EQ(to_hex(ByteView(req->body).subspan(28, 12)), "80784210bef83c6dfda3bae7");
    const std::string tail =
        R"({"enc_type":"xchacha20","ephemeral_key":"58441c6ec4fa2383504342ca6da3eb0e7b23eb5341d13587fe042b334be4ff40"})";
    EXPECT_EQ(as_chars(req->body).substr(req->body.size() - tail.size()), tail);
    std::array<std::uint8_t, 32> digest{};
    crypto_hash_sha256(digest.data(), req->body.data(), req->body.size());
    EXPECT_EQ(to_hex(digest), "6b1c81efe65e28eb45579ec6c7cf3a1b2bf473c22e4241674bce8753e6daa972");
    EXPECT_EQ(req->dest_ephemeral_pk.hex(),
              "5c1a096bc969b769993a415b0c8183b285aeaf0741973f05d2fba04264e06b33");
    EXPECT_EQ(to_hex(req->dest_ephemeral_sk.view()),
              "fe665e577419893fd8133542626aab33b6646d4354af43d5c2da7d99175749f5");
}

TEST_F(OnionVector, EachNodePeelsItsLayerAndLearnsOnlyTheNextHop) {
    auto req = build_to_snode(path, dest.hop, as_bytes(payload), vector_secrets());
    ASSERT_TRUE(req);
    auto [at_guard, outer] = peel(guard, req->body);
    EXPECT_EQ(outer["ephemeral_key"],
              "58441c6ec4fa2383504342ca6da3eb0e7b23eb5341d13587fe042b334be4ff40");
    auto guard_route = json::parse(split_layer(at_guard)->json);
    EXPECT_EQ(
        guard_route,
        json::parse(
            R"({"destination":"9aa69446d18b1a6cbbe26d252e04a82c620bfbda9fe94d66097d71b5f41f3f4d","enc_type":"xchacha20","ephemeral_key":"9ab95e73805eead7e7f9341cfd5b82a00d2b507715e0f4e523ad364967182f09"})"));
    EXPECT_EQ(split_layer(at_guard)->json, guard_route.dump());  // compact, sorted keys

    auto [at_middle, r1] = peel(middle, at_guard);
    auto middle_route = json::parse(split_layer(at_middle)->json);
    EXPECT_EQ(middle_route["destination"], exit.hop.ed25519.hex());
    EXPECT_EQ(middle_route["ephemeral_key"],
              "292e9221bb84a26f3ddee0f6392c4ae29c89d187634ee1015cab083f10d8174f");

    auto [at_exit, r2] = peel(exit, at_middle);
    auto exit_route = json::parse(split_layer(at_exit)->json);
    EXPECT_EQ(exit_route["destination"], dest.hop.ed25519.hex());
    EXPECT_EQ(exit_route["ephemeral_key"],
              "5c1a096bc969b769993a415b0c8183b285aeaf0741973f05d2fba04264e06b33");
    EXPECT_EQ(split_layer(at_exit)->ciphertext.size(), 87u);  // the destination blob

    auto [at_dest, r3] = peel(dest, at_exit);
    EXPECT_EQ(to_hex(ByteView(at_dest).first(4)), "1d000000");
    auto final_layer = split_layer(at_dest);
    EXPECT_EQ(as_chars(final_layer->ciphertext), payload);
    EXPECT_EQ(final_layer->json, R"({"headers":""})");
}

TEST_F(OnionVector, ResponseKeyOpensTheDestinationsReply) {
    auto req = build_to_snode(path, dest.hop, as_bytes(payload), vector_secrets());
    ASSERT_TRUE(req);
    auto node_side = node_key(dest.x_sk, dest.hop.x25519, req->dest_ephemeral_pk);
    ASSERT_TRUE(node_side);
    EXPECT_TRUE(node_side->equals(req->response_key));
    const std::string answer = R"({"status":200,"body":"{\"t\":1700000000000}"})";
    const std::string wire = to_base64(encrypt(*node_side, as_bytes(answer)));
    auto reply = decode_snode_response(req->response_key, as_bytes(wire));
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, R"({"t":1700000000000})");
}

TEST_F(OnionVector, RandomBuildsDifferButPeelTheSame) {
    auto a = build_to_snode(path, dest.hop, as_bytes(payload));
    auto b = build_to_snode(path, dest.hop, as_bytes(payload));
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->body, b->body);
    EXPECT_EQ(a->body.size(), 894u);
    auto [g, j0] = peel(guard, a->body);
    auto [m, j1] = peel(middle, g);
    auto [x, j2] = peel(exit, m);
    auto [d, j3] = peel(dest, x);
    EXPECT_EQ(as_chars(split_layer(d)->ciphertext), payload);
}

TEST_F(OnionVector, RejectsBadPathsAndSecrets) {
    EXPECT_EQ(build_to_server({}, ServerDestination{"h", dest.hop.x25519}, as_bytes(payload))
                  .error()
                  .code,
              kBadPath);
    std::vector<Hop> long_path(kMaxPathLength + 1, guard.hop);
    EXPECT_EQ(build_to_snode(long_path, dest.hop, as_bytes(payload)).error().code, kBadPath);
    BuildOptions short_secrets;
    short_secrets.layers.push_back(layer("x", 1));
    EXPECT_EQ(build_to_snode(path, dest.hop, as_bytes(payload), short_secrets).error().code,
              kBadPath);
    Hop broken = dest.hop;
    broken.x25519 = {};
    EXPECT_EQ(build_to_snode(path, broken, as_bytes(payload)).error().code, kBadKey);
    std::vector<Hop> one{guard.hop};
    EXPECT_TRUE(build_to_snode(one, dest.hop, as_bytes(payload)));
}

TEST_F(OnionVector, AnEmptyPathMakesTheDestinationItsOwnGuard) {
    auto req = build_to_snode({}, dest.hop, as_bytes(payload));
    ASSERT_TRUE(req) << req.error().message;
    auto [plain, outer] = peel(dest, req->body);
    EXPECT_EQ(outer["enc_type"], "xchacha20");
    auto inner = split_layer(plain);
    EXPECT_EQ(as_chars(inner->ciphertext), payload);
    EXPECT_EQ(inner->json, R"({"headers":""})");
}

TEST(V4Request, IsABencodedListOfInfoAndBody) {
    auto r = encode_v4_request("POST", "/file", {{"Content-Type", "application/octet-stream"}},
                               as_bytes("hi"));
    ASSERT_TRUE(r);
    const std::string info =
        R"({"endpoint":"/file","headers":{"Content-Type":"application/octet-stream"},"method":"POST"})";
    EXPECT_EQ(as_chars(*r), "l" + std::to_string(info.size()) + ":" + info + "2:hie");
    auto no_body = encode_v4_request("GET", "/file/1", {}, std::nullopt);
    ASSERT_TRUE(no_body);
    EXPECT_EQ(as_chars(*no_body).back(), 'e');
    EXPECT_EQ(as_chars(*no_body).find("2:"), std::string_view::npos);
    EXPECT_EQ(encode_v4_request("GET", "file", {}, std::nullopt).error().code, kBadServer);
}

TEST(ServerRequest, ExitLayerNamesTheServerAndTheServerOpensItsBlob) {
    TestNode guard("guard"), middle("middle"), exit("exit");
    std::vector<Hop> path{guard.hop, middle.hop, exit.hop};
    crypto::X25519SecretKey server_sk;
    randombytes_buf(server_sk.data(), 32);
    ServerDestination server;
    server.host = "filev2.getsession.org";
    server.protocol = "http";
    server.port = 80;
    crypto_scalarmult_base(server.x25519.bytes.data(), server_sk.data());
    auto v4 = *encode_v4_request("GET", "/file/1", {}, std::nullopt);
    auto req = build_to_server(path, server, v4);
    ASSERT_TRUE(req) << req.error().message;
    auto [g, j0] = peel(guard, req->body);
    auto [m, j1] = peel(middle, g);
    auto [x, j2] = peel(exit, m);
    auto exit_layer = split_layer(x);
    auto exit_json = json::parse(exit_layer->json);
    EXPECT_EQ(exit_json["host"], "filev2.getsession.org");
    EXPECT_EQ(exit_json["target"], "/oxen/v4/lsrpc");
    EXPECT_EQ(exit_json["protocol"], "http");
    EXPECT_EQ(exit_json["port"], 80);
    EXPECT_EQ(exit_json["method"], "POST");
    EXPECT_EQ(exit_json["enc_type"], "xchacha20");
    auto E = crypto::X25519PublicKey::from_hex(exit_json["ephemeral_key"].get<std::string>());
    auto key = node_key(server_sk, server.x25519, *E);
    auto inner = decrypt(*key, exit_layer->ciphertext);
    ASSERT_TRUE(inner);
    EXPECT_EQ(*inner, v4);  // no length prefix or JSON of its own
    EXPECT_TRUE(key->equals(req->response_key));

    auto bad = server;
    bad.target = "/other";
    EXPECT_EQ(build_to_server(path, bad, v4).error().code, kBadServer);
    bad = server;
    bad.protocol = "ftp";
    EXPECT_EQ(build_to_server(path, bad, v4).error().code, kBadServer);
    bad = server;
    bad.host = "";
    EXPECT_EQ(build_to_server(path, bad, v4).error().code, kBadServer);
    bad = server;
    bad.host = "a/b";
    EXPECT_EQ(build_to_server(path, bad, v4).error().code, kBadServer);
}

}  // namespace
}  // namespace st::onion
