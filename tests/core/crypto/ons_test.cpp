// ONS names (st/crypto/ons.hpp): the name rule, the name hash, and opening an answer, checked
// against libsession-util's vector (tests/test_session_encrypt.cpp, "Session ONS response
// decryption") and against values computed here with an independent BLAKE2b (Python hashlib).
#include "st/crypto/ons.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>

namespace st::crypto {
namespace {

// libsession-util's vector: the name "test" registered for this Session ID.
constexpr const char* kVectorName = "test";
constexpr const char* kVectorCiphertext =
    "3575802dd9bfea72672a208840f37ca289ceade5d3ffacabe2d231f109d204329fc33e28c331580d9a8c9b8a64ca"
    "cfec97";
constexpr const char* kVectorNonce = "00112233445566778899aabbccddeeff00ffeeddccbbaa99";
constexpr const char* kVectorId = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
// The same ID as a pre-HF16 value (Argon2id + secretbox, no nonce), from the same upstream test.
constexpr const char* kVectorLegacyCiphertext =
    "dbd4bc89bd2c9e5322fd9f4cadcaa66a0c38f15d0c927a86cc36e895fe1f3c532a3958d972563f52ca858e94eec2"
    "2dc360";

Bytes hex(std::string_view text) { return *from_hex(text); }

// Encrypts `plaintext` as a node's value for `name`, with the key the module computes.
Bytes seal(std::string_view name, ByteView plaintext, ByteView nonce) {
    const auto key = ons_value_key(name);
    Bytes out(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, plaintext.data(), plaintext.size(),
                                               nullptr, 0, nullptr, nonce.data(), key.data());
    out.resize(len);
    return out;
}

TEST(OnsName, LowerCasesAndAcceptsTheClientsCharacters) {
    EXPECT_EQ(*normalize_ons_name("Alice"), "alice");
    EXPECT_EQ(*normalize_ons_name("KeeJef"), "keejef");
    EXPECT_EQ(*normalize_ons_name("a"), "a");
    EXPECT_EQ(*normalize_ons_name("_"), "_");
    EXPECT_EQ(*normalize_ons_name("a-b_c-9"), "a-b_c-9");
    EXPECT_EQ(*normalize_ons_name("_x-"  "_"), "_x-_");
    EXPECT_EQ(*normalize_ons_name(std::string(64, 'z')), std::string(64, 'z'));
}

TEST(OnsName, RefusesWhatTheClientsRefuse) {
    const std::vector<std::string> bads = {"", "-a", "a-", "-", "a b", "a.b", "ali@ce", " alice", "alice\n",
                            "\xc3\xa9t\xc3\xa9", std::string(65, 'a'), std::string("a\0b", 3)};
    for (const std::string& bad : bads) {
        auto r = normalize_ons_name(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, kOnsInvalidName) << bad;
        EXPECT_FALSE(r.error().message.empty());
    }
    EXPECT_NE(normalize_ons_name(std::string(65, 'a')).error().message.find("65"),
              std::string::npos);
    EXPECT_NE(normalize_ons_name("ab cd").error().message.find("character 3"), std::string::npos);
}

TEST(OnsName, HashIsBlake2b256OfTheLowerCasedName) {
    // Python: base64(hashlib.blake2b(b"test", digest_size=32).digest())
    EXPECT_EQ(ons_name_hash_b64("test"), "kosgNmlD4q/RHrwOri5TqTvxd6T881vMZNUDcE5l4gI=");
    EXPECT_EQ(ons_name_hash_b64("alice"), "4R2BSXk3LIg7UL2w/62x6vCJi/VP1PvymK8Sb7q72kw=");
    EXPECT_EQ(to_hex(ons_name_hash("test")),
              "928b20366943e2afd11ebc0eae2e53a93bf177a4fcf35bcc64d503704e65e202");
    // hashlib.blake2b(b"test", digest_size=32, key=<the hash above>)
    EXPECT_EQ(to_hex(ons_value_key("test")),
              "594a0222623edfc2fc2a36a453e7c2e4664936a13625408795f22721b4ec1ccf");
}

TEST(OnsValue, OpensLibsessionVector) {
    auto id = decrypt_ons_value(kVectorName, hex(kVectorCiphertext), hex(kVectorNonce));
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(id->hex(), kVectorId);
}

TEST(OnsValue, RefusesLegacyValuesWithoutNonce) {
    auto r = decrypt_ons_value(kVectorName, hex(kVectorLegacyCiphertext), {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kOnsBadAnswer);
    EXPECT_NE(r.error().message.find("nonce"), std::string::npos);
}

TEST(OnsValue, RefusesAnotherNamesValue) {
    auto r = decrypt_ons_value("tesT", hex(kVectorCiphertext), hex(kVectorNonce));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kOnsBadAnswer);
    EXPECT_FALSE(decrypt_ons_value("test2", hex(kVectorCiphertext), hex(kVectorNonce)));
}

TEST(OnsValue, RefusesEveryTamperedByte) {
    const Bytes ct = hex(kVectorCiphertext), nonce = hex(kVectorNonce);
    for (std::size_t i = 0; i < ct.size(); ++i) {
        Bytes bad = ct;
        bad[i] ^= 0x01;
        EXPECT_EQ(decrypt_ons_value(kVectorName, bad, nonce).error().code, kOnsBadAnswer) << i;
    }
    for (std::size_t i = 0; i < nonce.size(); ++i) {
        Bytes bad = nonce;
        bad[i] ^= 0x80;
        EXPECT_EQ(decrypt_ons_value(kVectorName, ct, bad).error().code, kOnsBadAnswer) << i;
    }
}

TEST(OnsValue, RefusesWrongSizes) {
    const Bytes ct = hex(kVectorCiphertext), nonce = hex(kVectorNonce);
    EXPECT_FALSE(decrypt_ons_value(kVectorName, Bytes(ct.begin(), ct.end() - 1), nonce));
    Bytes longer = ct;
    longer.push_back(0);
    EXPECT_FALSE(decrypt_ons_value(kVectorName, longer, nonce));
    EXPECT_FALSE(decrypt_ons_value(kVectorName, {}, nonce));
    EXPECT_FALSE(decrypt_ons_value(kVectorName, ct, Bytes(nonce.begin(), nonce.end() - 1)));
    EXPECT_FALSE(decrypt_ons_value(kVectorName, ct, Bytes(25, 0)));
    EXPECT_FALSE(decrypt_ons_value(kVectorName, to_bytes("invalid"), nonce));
}

TEST(OnsValue, RefusesAPlaintextThatIsNotAnAccountId) {
    const Bytes nonce(24, 7);
    Bytes group_id = hex(kVectorId);
    group_id[0] = 0x03;  // a group's ID: 33 bytes, authentic, but not an account
    auto r = decrypt_ons_value("grp", seal("grp", group_id, nonce), nonce);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kOnsBadAnswer);
    // ... while the same bytes with 05 open fine.
    auto ok = decrypt_ons_value("grp", seal("grp", hex(kVectorId), nonce), nonce);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->hex(), kVectorId);
}

TEST(OnsValue, RandomInputNeverCrashes) {
    std::mt19937 rng(1234);
    for (int i = 0; i < 2000; ++i) {
        Bytes ct(rng() % 80), nonce(rng() % 2 ? 24 : rng() % 40);
        for (auto& b : ct) b = static_cast<std::uint8_t>(rng());
        for (auto& b : nonce) b = static_cast<std::uint8_t>(rng());
        EXPECT_FALSE(decrypt_ons_value("name", ct, nonce));
    }
}

}  // namespace
}  // namespace st::crypto
