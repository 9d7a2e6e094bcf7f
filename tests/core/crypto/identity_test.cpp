// Known answers from protocol.md §10.1 (upstream libsession-util test vectors).
#include "st/crypto/identity.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "st/crypto/mnemonic.hpp"

namespace st::crypto {
namespace {

struct IdentityVector {
    const char* seed16;
    const char* ed_pk;
    const char* x_pk;
    const char* x_sk;
    const char* session_id;
};

constexpr IdentityVector kVectors[] = {
    {"0123456789abcdef0123456789abcdef",
     "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7",
     "d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72",
     "c066ce44b14d551ee69dbcd631c061d17655b374f5d54e4f1ea9e3718638956b",
     "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"},
    {"00112233445566778899aabbccddeeff",
     "5ea34e72bb044654a6a23675690ef5ffaaf1656b02f93fb76655f9cbdbe89876",
     "aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74",
     "608744d00cd35a82177fe30a1befc3ec3282a9484df0deb13cc5842c0145d455",
     "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74"},
};

TEST(Identity, MatchesUpstreamKnownAnswers) {
    for (const auto& v : kVectors) {
        auto id = Identity::from_seed_hex(v.seed16);
        ASSERT_TRUE(id) << v.seed16;
        EXPECT_EQ(id->ed25519_public().hex(), v.ed_pk);
        EXPECT_EQ(id->x25519_public().hex(), v.x_pk);
        EXPECT_EQ(to_hex(id->x25519_secret().view()), v.x_sk);
        EXPECT_EQ(id->session_id().hex(), v.session_id);
        // The libsodium secret key is the padded seed followed by the public key.
        EXPECT_EQ(to_hex(id->ed25519_secret().view()),
                  std::string(v.seed16) + std::string(32, '0') + v.ed_pk);
    }
}

TEST(Identity, X25519SecretMatchesPublic) {
    auto id = Identity::generate();
    std::array<std::uint8_t, 32> pk{};
    ASSERT_EQ(crypto_scalarmult_base(pk.data(), id.x25519_secret().data()), 0);
    EXPECT_EQ(to_hex(pk), id.x25519_public().hex());
}

TEST(Identity, GeneratedAccountsAreDistinct) {
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) ids.insert(Identity::generate().session_id().hex());
    EXPECT_EQ(ids.size(), 50u);
}

TEST(Identity, SeedRoundTripsThroughRecoveryPhrase) {
    auto id = Identity::generate();
    auto phrase = mnemonic::encode(id.seed());
    auto seed = mnemonic::decode_seed(phrase.str());
    ASSERT_TRUE(seed);
    EXPECT_EQ(Identity::from_seed(*seed).session_id(), id.session_id());
}

TEST(Identity, PhraseToSessionIdFullChain) {
    // protocol.md §10.1: seed 1's phrase leads back to its Session ID.
    auto seed = mnemonic::decode_seed(
        "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept");
    ASSERT_TRUE(seed);
    EXPECT_EQ(Identity::from_seed(*seed).session_id().hex(),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
}

TEST(Identity, CloneKeepsEverything) {
    auto id = Identity::generate();
    auto copy = id.clone();
    EXPECT_TRUE(copy.seed().equals(id.seed()));
    EXPECT_TRUE(copy.ed25519_secret().equals(id.ed25519_secret()));
    EXPECT_EQ(copy.session_id(), id.session_id());
}

TEST(Identity, RejectsMalformedSeedHex) {
    EXPECT_EQ(Identity::from_seed_hex("0123").error().code, "seed.bad_length");
    EXPECT_EQ(Identity::from_seed_hex("0123456789abcdef0123456789abcdef00").error().code,
              "seed.bad_length");
    EXPECT_EQ(Identity::from_seed_hex("0123456789abcdef0123456789abcdeg").error().code,
              "seed.bad_hex");
    EXPECT_EQ(Identity::from_seed_hex("").error().code, "seed.bad_length");
}

}  // namespace
}  // namespace st::crypto
