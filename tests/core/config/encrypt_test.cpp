// Config encryption (docs/config.md §4) against libsession-util's vectors (tests/test_encrypt.cpp,
// tests/test_config_userprofile.cpp).
#include "st/config/encrypt.hpp"

#include <gtest/gtest.h>

#include "core/config/vectors.hpp"
#include "st/config/compress.hpp"

namespace st::config {
namespace {

Bytes hex(std::string_view h) { return *from_hex(h); }

std::array<std::uint8_t, 32> key32(std::string_view h) {
    std::array<std::uint8_t, 32> k{};
    auto b = hex(h);
    std::copy(b.begin(), b.end(), k.begin());
    return k;
}

constexpr std::string_view kKeyBase = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

TEST(ConfigEncrypt, MatchesTheUpstreamVector) {
    const auto key = key32(kKeyBase);
    auto c = encrypt(as_bytes("some message 1"), key, "test-suite1");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(to_hex(*c),
              "f14f242a26638f3305707d1035e734577f943cd7d28af58e32637e0966dcaf2f4860cb4d0f8ba7e09d29e3"
              "1f5e4a18f65847287a54a0");
    auto c2 = encrypt(as_bytes("some message 1"), key, "test-suite2");
    ASSERT_TRUE(c2);
    // The nonce is last and depends on the domain.
    EXPECT_EQ(to_hex(ByteView(*c2).last(24)), "277e639d36ba46470dfff509a68cb73d9a96386c51739bdd");
    auto p = decrypt(*c, key, "test-suite1");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(as_chars(*p), "some message 1");
}

TEST(ConfigEncrypt, RefusesAnotherKeyDomainOrTampering) {
    const auto key = key32(kKeyBase);
    auto c = *encrypt(as_bytes("some message 1"), key, "test-suite1");
    EXPECT_EQ(decrypt(c, key, "test-suite2").error().code, kErrDecrypt);
    auto other = key;
    other[0] ^= 1;
    EXPECT_EQ(decrypt(c, other, "test-suite1").error().code, kErrDecrypt);
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto t = c;
        t[i] ^= 0x40;
        EXPECT_FALSE(decrypt(t, key, "test-suite1")) << "byte " << i;
    }
    EXPECT_EQ(decrypt(Bytes(39), key, "test-suite1").error().code, kErrDecrypt);
    EXPECT_EQ(encrypt(as_bytes("x"), key, "").error().code, kErrBadDomain);
    EXPECT_EQ(encrypt(as_bytes("x"), key, "0123456789012345678901234").error().code,
              kErrBadDomain);
}

TEST(ConfigEncrypt, PaddedSizeTable) {
    EXPECT_EQ(padded_size(1, 0), 256u);
    EXPECT_EQ(padded_size(1, 10), 246u);
    EXPECT_EQ(padded_size(246, 10), 246u);
    EXPECT_EQ(padded_size(247, 10), 502u);
    EXPECT_EQ(padded_size(3745, 96), 4000u);
    EXPECT_EQ(padded_size(4865, 0), 5120u);
    EXPECT_EQ(padded_size(5121, 0), 6144u);
    EXPECT_EQ(padded_size(20481, 0), 22528u);
    EXPECT_EQ(padded_size(38913, 0), 40960u);
    EXPECT_EQ(padded_size(40961, 0), 46080u);
    EXPECT_EQ(padded_size(71681, 0), 76800u);
    EXPECT_EQ(padded_size(180), 216u);  // the Kallie message: 180 + 36 zeros + 40 = 256
}

TEST(ConfigEncrypt, KallieMessageEncryptsByteExact) {
    const auto seed = key32(vectors::kSeed1);
    const std::string msg = vectors::kallie_message();
    ASSERT_EQ(msg.size(), 180u);
    Bytes padded(36, 0);
    padded.insert(padded.end(), msg.begin(), msg.end());
    auto c = encrypt(padded, seed, "UserProfile");
    ASSERT_TRUE(c);
    EXPECT_EQ(to_hex(*c), vectors::kKallieEncrypted);
    // The whole write path gives the same bytes: 180 bytes do not compress smaller.
    auto sealed = seal_message(as_bytes(msg), seed, "UserProfile");
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(to_hex(*sealed), vectors::kKallieEncrypted);
    auto opened = open_message(hex(vectors::kKallieEncrypted), seed, "UserProfile");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(as_chars(*opened), msg);
}

TEST(ConfigEncrypt, CompressesWhenSmallerAndReadsItBack) {
    const auto seed = key32(vectors::kSeed1);
    std::string big = "d1:#i1e1:&d1:n";
    const std::string name(100, 'a');
    big += std::to_string(name.size()) + ":" + name + "e1:<le1:=d1:n0:ee";
    auto sealed = seal_message(as_bytes(big), seed, "Contacts");
    ASSERT_TRUE(sealed);
    auto plain = decrypt(*sealed, seed, "Contacts");
    ASSERT_TRUE(plain);
    std::size_t start = 0;
    while ((*plain)[start] == 0) ++start;
    EXPECT_EQ((*plain)[start], 'z');
    auto opened = open_message(*sealed, seed, "Contacts");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(as_chars(*opened), big);
}

TEST(ConfigEncrypt, OpenRefusesEmptyMultipartAndBadFrames) {
    const auto seed = key32(vectors::kSeed1);
    EXPECT_EQ(open_message(*encrypt(Bytes(216, 0), seed, "Contacts"), seed, "Contacts")
                  .error()
                  .code,
              kErrEmpty);
    Bytes m(215, 0);
    m.push_back('m');
    EXPECT_EQ(open_message(*encrypt(m, seed, "Contacts"), seed, "Contacts").error().code,
              kErrMultipart);
    Bytes z(200, 0);
    for (char ch : std::string_view("zgarbage")) z.push_back(static_cast<std::uint8_t>(ch));
    EXPECT_EQ(open_message(*encrypt(z, seed, "Contacts"), seed, "Contacts").error().code,
              kErrDecompress);
}

}  // namespace
}  // namespace st::config
