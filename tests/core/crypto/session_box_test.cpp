// session_box (protocol.md §3.3–3.4): the upstream known answer of §10.3 byte for byte, and every
// way opening a box can fail.
#include "st/crypto/session_box.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <set>
#include <vector>

namespace st::crypto::session_box {
namespace {

constexpr const char* kSeed1 = "0123456789abcdef0123456789abcdef";
constexpr const char* kSeed2 = "00112233445566778899aabbccddeeff";
constexpr const char* kSeed3 = "ffeeddccbbaa99887766554433221100";

// libsession-util tests/test_session_encrypt.cpp "deterministic encryption" (§10.3).
constexpr const char* kHelloCiphertext =
    "208f96785db92319bc7a14afecc01e17bde912d17bbb32834c03ea63b1862c2a1b730e0725ef75b2f1a276db"
    "584c59a0ed9b5497bcb9f4effa893b5cb8b04dbe7a6ab457ebf972f03b006dd4572980a725399616d40184b8"
    "6aa3b7b218bdc6dd7c1adccda8ef4897f0f458492240b39079c27a6c791067ab26a03067a7602b50f0434639"
    "906f93e548f909d5286edde365ebddc146";
constexpr const char* kHelloSignature =
    "636421cbdb1c0754612c57d210d7bd1daf2be3205f732bcf9130c47d35b2e5cdf3794b39f3d388358c6334153d"
    "33e580fcddfe70154108effe82d7db52ad4902";

Identity id(const char* seed) { return *Identity::from_seed_hex(seed); }

TEST(SessionBox, DeterministicSealMatchesUpstreamVector) {
    auto sender = id(kSeed1), recipient = id(kSeed2);
    auto c = seal_deterministic(sender, recipient.x25519_public(), as_bytes("hello"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->size(), 149u);
    EXPECT_EQ(to_hex(*c), kHelloCiphertext);
}

TEST(SessionBox, OpensUpstreamVectorAndNamesTheSender) {
    auto recipient = id(kSeed2);
    auto opened = open(recipient, *from_hex(kHelloCiphertext));
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(as_chars(opened->message), "hello");
    EXPECT_EQ(opened->sender_ed25519.hex(),
              "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7");
    EXPECT_EQ(opened->sender.hex(),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
}

TEST(SessionBox, InnerSignatureIsOverMessageSenderKeyAndRecipientKey) {
    // Open the sealed box by hand and check the signature bytes of §10.3.
    auto recipient = id(kSeed2);
    auto c = *from_hex(kHelloCiphertext);
    Bytes inner(c.size() - crypto_box_SEALBYTES);
    ASSERT_EQ(crypto_box_seal_open(inner.data(), c.data(), c.size(),
                                   recipient.x25519_public().bytes.data(),
                                   recipient.x25519_secret().data()),
              0);
    ASSERT_EQ(inner.size(), 5u + 32 + 64);
    EXPECT_EQ(to_hex(ByteView(inner).subspan(5 + 32)), kHelloSignature);
}

TEST(SessionBox, RandomSealRoundTripsAndDiffersEachTime) {
    auto sender = id(kSeed1), recipient = id(kSeed2);
    std::set<std::string> seen;
    for (int i = 0; i < 5; ++i) {
        auto c = seal(sender, recipient.x25519_public(), as_bytes("hello"));
        ASSERT_TRUE(c);
        EXPECT_EQ(c->size(), 5u + kOverhead);
        seen.insert(to_hex(*c));
        auto opened = open(recipient, *c);
        ASSERT_TRUE(opened);
        EXPECT_EQ(as_chars(opened->message), "hello");
        EXPECT_EQ(opened->sender, sender.session_id());
    }
    EXPECT_EQ(seen.size(), 5u);
}

TEST(SessionBox, NamesTheRightSenderAmongManyEvenWhenSeenBefore) {
    // open() memoises the Ed25519 → X25519 conversion; every sender must still map to itself,
    // the first time and again later (after other senders may have evicted its entry).
    auto recipient = id(kSeed2);
    std::vector<Identity> senders;
    for (int i = 0; i < 150; ++i) senders.push_back(Identity::generate());
    for (int round = 0; round < 2; ++round) {
        for (const auto& s : senders) {
            auto opened = open(recipient, *seal(s, recipient.x25519_public(), as_bytes("x")));
            ASSERT_TRUE(opened);
            ASSERT_EQ(opened->sender, s.session_id());
        }
    }
}

TEST(SessionBox, EmptyMessageIsTheShortestBox) {
    auto sender = id(kSeed1), recipient = id(kSeed2);
    auto c = seal(sender, recipient.x25519_public(), {});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->size(), kMinCiphertext);
    auto opened = open(recipient, *c);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(opened->message.empty());
}

TEST(SessionBox, RejectsEveryFlippedByte) {
    auto recipient = id(kSeed2);
    auto c = *from_hex(kHelloCiphertext);
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto bad = c;
        bad[i] ^= 0x01;
        auto r = open(recipient, bad);
        ASSERT_FALSE(r) << "byte " << i;
        EXPECT_EQ(r.error().code, kErrNotForUs) << "byte " << i;
    }
}

TEST(SessionBox, RejectsABoxForSomeoneElse) {
    auto r = open(id(kSeed3), *from_hex(kHelloCiphertext));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kErrNotForUs);
}

TEST(SessionBox, RejectsTooShortInput) {
    for (std::size_t n : {0u, 1u, 143u}) {
        auto r = open(id(kSeed2), Bytes(n, 0x42));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, kErrTooShort);
    }
}

TEST(SessionBox, RejectsABoxResealedToAnotherRecipient) {
    // Seed 2 opens a message meant for it and re-seals the same inner bytes to seed 3: the
    // signature covered seed 2's key, so seed 3 must refuse it.
    auto sender = id(kSeed1), middle = id(kSeed2), victim = id(kSeed3);
    auto c = *seal(sender, middle.x25519_public(), as_bytes("transfer"));
    Bytes inner(c.size() - crypto_box_SEALBYTES);
    ASSERT_EQ(
        crypto_box_seal_open(inner.data(), c.data(), c.size(), middle.x25519_public().bytes.data(),
                             middle.x25519_secret().data()),
        0);
    Bytes resealed(c.size());
    ASSERT_EQ(crypto_box_seal(resealed.data(), inner.data(), inner.size(),
                              victim.x25519_public().bytes.data()),
              0);
    auto r = open(victim, resealed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kErrBadSignature);
}

TEST(SessionBox, RejectsAForgedBoxWithASmallOrderSenderKey) {
    // Anyone can seal to us; a forger might pick the identity point (01 00…00) as "sender" key,
    // for which weak verifiers accept an all-zero signature. libsodium rejects small-order keys,
    // and the key would have no X25519 form either: the box is refused.
    auto me = id(kSeed2);
    Bytes inner(5 + 32 + 64, 0);
    std::memcpy(inner.data(), "hello", 5);
    inner[5] = 0x01;  // A = identity point, SIG = 0
    Bytes c(inner.size() + crypto_box_SEALBYTES);
    ASSERT_EQ(
        crypto_box_seal(c.data(), inner.data(), inner.size(), me.x25519_public().bytes.data()), 0);
    auto r = open(me, c);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().code == kErrBadSignature || r.error().code == kErrBadSenderKey)
        << r.error().code;
}

TEST(SessionBox, RefusesToSealToASmallOrderKey) {
    X25519PublicKey zero;  // all zeros: a small-order point
    auto r = seal(id(kSeed1), zero, as_bytes("hello"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kErrBadRecipientKey);
    EXPECT_FALSE(seal_deterministic(id(kSeed1), zero, as_bytes("hello")));
}

TEST(SessionBox, DecoyProSignatureLooksLikeASignature) {
    auto a = decoy_pro_signature(), b = decoy_pro_signature();
    EXPECT_NE(to_hex(a), to_hex(b));
    // R is a valid point of the main subgroup, s a reduced scalar: like a real Ed25519 signature.
    EXPECT_EQ(crypto_core_ed25519_is_valid_point(a.data()), 1);
    std::array<std::uint8_t, 64> wide{};
    std::memcpy(wide.data(), a.data() + 32, 32);
    std::array<std::uint8_t, 32> reduced{};
    crypto_core_ed25519_scalar_reduce(reduced.data(), wide.data());
    EXPECT_EQ(to_hex(reduced), to_hex(ByteView(a).subspan(32)));
}

}  // namespace
}  // namespace st::crypto::session_box
