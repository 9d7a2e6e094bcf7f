// Per-hop crypto and the layer format, with the known answers of protocol.md §10.5.
#include "st/onion/hop.hpp"

#include <gtest/gtest.h>

namespace st::onion {
namespace {

crypto::X25519SecretKey secret(std::string_view hex) {
    crypto::X25519SecretKey s;
    EXPECT_TRUE(from_hex_into(hex, s.mutable_view()));
    return s;
}
crypto::X25519PublicKey pub(std::string_view hex) {
    return *crypto::X25519PublicKey::from_hex(hex);
}
Bytes hex(std::string_view h) { return *from_hex(h); }

// Test 1 of §10.5 (upstream libsession-util tests/test_onionreq.cpp).
const auto kA = "bbdfc83022d0aff084a6f0c529a93d1c4d728bf7e41199afed0e01ae70d20540";
const auto ka = "ccc335912da8939e2b44816728a5a4773063efa82bf7ae2d42a0abfa2caa452d";
const auto kB = "caea52c5b0c316d85ffb53ea536826618b13dee40685f166f632653114526a78";
const auto kb = "8fcd8ad3a15c76f76f1c56dff0c529999f8c59b4acda79e05666e54d5727dca1";
const auto kKey = "37a3af90eb276c0b4069998e97edf956b6933bd3c77d330a072cdf274e757ab5";
const auto kHelloCiphertext =
    "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75"
    "de02b032";

TEST(HopKey, ClientAndNodeDeriveTheKnownKey) {
    auto client = client_key(secret(ka), pub(kA), pub(kB));
    ASSERT_TRUE(client);
    EXPECT_EQ(to_hex(client->view()), kKey);
    auto node = node_key(secret(kb), pub(kB), pub(kA));
    ASSERT_TRUE(node);
    EXPECT_TRUE(node->equals(*client));
}

TEST(HopKey, EphemeralPublicKeyIsTheBasePointMultiple) {
    auto pair = ephemeral_from_secret(secret(ka));
    EXPECT_EQ(pair.pk.hex(), kA);
    auto fresh = generate_ephemeral();
    auto again = ephemeral_from_secret(fresh.sk.clone());
    EXPECT_EQ(fresh.pk, again.pk);
}

TEST(HopKey, RejectsALowOrderNodeKey) {
    crypto::X25519PublicKey zero{};  // the all-zero point gives a zero shared secret
    auto k = client_key(secret(ka), pub(kA), zero);
    ASSERT_FALSE(k);
    EXPECT_EQ(k.error().code, kBadKey);
}

TEST(HopCipher, DecryptsTheUpstreamCiphertext) {
    auto key = client_key(secret(ka), pub(kA), pub(kB));
    auto plain = decrypt(*key, hex(kHelloCiphertext));
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(as_chars(*plain), "Hello world");
}

TEST(HopCipher, RejectsTamperedCiphertext) {
    auto key = client_key(secret(ka), pub(kA), pub(kB));
    auto last = hex(kHelloCiphertext);
    last.back() = 0x33;  // 32 -> 33
    EXPECT_EQ(decrypt(*key, last).error().code, kBadMac);
    auto twelfth = hex(kHelloCiphertext);
    ASSERT_EQ(twelfth[12], 0xc7);
    twelfth[12] = 0xcf;
    EXPECT_EQ(decrypt(*key, twelfth).error().code, kBadMac);
    EXPECT_EQ(decrypt(*key, Bytes(39)).error().code, kTooShort);
}

TEST(HopCipher, ReplyWithFixedNonceMatchesKnownAnswer) {
    auto key = client_key(secret(ka), pub(kA), pub(kB));
    Nonce nonce;
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(i);
    const std::string reply = R"({"status":200,"body":"{\"t\":1700000000000}"})";
    auto sealed = encrypt_with_nonce(*key, as_bytes(reply), nonce);
    EXPECT_EQ(
        to_hex(sealed),
        "000102030405060708090a0b0c0d0e0f1011121314151617ff3e9a22b4f9f82c3b7682ed094a7da4d7618cac1f"
        "11c21044367d7ffede9e9345adf5bbf9731c43b3e3d430e2e6398bb03ca143725909b9350aa38dfa");
    EXPECT_EQ(to_base64(sealed),
              "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX/z6aIrT5+Cw7doLtCUp9pNdhjKwfEcIQRDZ9f/"
              "7enpNFrfW7+XMcQ7Pj1DDi5jmLsDyhQ3JZCbk1CqON+g==");
}

TEST(HopCipher, RandomNonceRoundTrips) {
    auto key = client_key(secret(ka), pub(kA), pub(kB));
    auto a = encrypt(*key, as_bytes("x"));
    auto b = encrypt(*key, as_bytes("x"));
    EXPECT_NE(a, b);  // fresh nonces
    EXPECT_EQ(as_chars(*decrypt(*key, a)), "x");
    EXPECT_EQ(decrypt(*key, encrypt(*key, {}))->size(), 0u);
}

TEST(Layer, UpstreamParserBlobOpensToHelloWorld) {
    // Test 2 of §10.5: a full layer blob for node B2 from client A2.
    auto blob =
        hex("33000000e440bc244ddcafd947b86fc5a964aa58de54a6d75cc0f0f3840db14b6c1176a8e2e0a04d5fbdf9"
            "8f23adee1edc8362ab99b10b7b22656e635f74797065223a2022786368616368613230222c202265706865"
            "6d6572616c5f6b6579223a2022383136376539373637323030356336363961343838353863363938393566"
            "33393563613233353231396163336637613432313030323262316639313065363532227d");
    auto parts = split_layer(blob);
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->ciphertext.size(), 51u);
    EXPECT_EQ(
        parts->json,
        R"({"enc_type": "xchacha20", "ephemeral_key": "8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652"})");
    auto key = node_key(secret("2f4d1c0d28e137777ec0a316e9f4f763e3e66662a6c51994c6315c9ef34b6deb"),
                        pub("8388de69bc0d4b6196133233ad9a46ba0473474bc67718aad96a3a33c257f726"),
                        pub("8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652"));
    ASSERT_TRUE(key);
    auto plain = decrypt(*key, parts->ciphertext);
    ASSERT_TRUE(plain);
    EXPECT_EQ(as_chars(*plain), "Hello world");
    // The node's answer to "Goodbye world": 24 + 13 + 16 bytes.
    EXPECT_EQ(encrypt(*key, as_bytes("Goodbye world")).size(), 53u);
}

TEST(Layer, EncodesLittleEndianLengthThenCiphertextThenJson) {
    const Bytes ct{1, 2, 3};
    auto blob = encode_layer(ct, "{}");
    EXPECT_EQ(to_hex(blob), "03000000010203" + to_hex(as_bytes("{}")));
    auto parts = split_layer(blob);
    ASSERT_TRUE(parts);
    EXPECT_EQ(Bytes(parts->ciphertext.begin(), parts->ciphertext.end()), ct);
    EXPECT_EQ(parts->json, "{}");
}

TEST(Layer, RejectsLengthsPastTheEnd) {
    EXPECT_EQ(split_layer(Bytes{1, 0, 0}).error().code, kBadLayer);
    EXPECT_EQ(split_layer(Bytes{4, 0, 0, 0, 1, 2, 3}).error().code, kBadLayer);
    EXPECT_EQ(split_layer(Bytes{0xff, 0xff, 0xff, 0xff, 1}).error().code, kBadLayer);
    auto empty = split_layer(Bytes{0, 0, 0, 0});
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->ciphertext.empty());
    EXPECT_TRUE(empty->json.empty());
}

TEST(EncType, OnlyXChaChaIsSupported) {
    EXPECT_EQ(enc_type_name(EncType::xchacha20), "xchacha20");
    EXPECT_TRUE(parse_enc_type("xchacha20"));
    EXPECT_TRUE(parse_enc_type("xchacha20-poly1305"));
    EXPECT_EQ(parse_enc_type("aes-gcm").error().code, kUnsupportedEnc);
    EXPECT_EQ(parse_enc_type("gcm").error().code, kUnsupportedEnc);
    EXPECT_EQ(parse_enc_type("").error().code, kUnsupportedEnc);
}

}  // namespace
}  // namespace st::onion
