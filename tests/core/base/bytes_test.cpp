#include "st/base/bytes.hpp"

#include <gtest/gtest.h>

namespace st {
namespace {

TEST(Hex, RoundTripsEveryByteValue) {
    Bytes all(256);
    for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
    auto hex = to_hex(all);
    EXPECT_EQ(hex.substr(0, 8), "00010203");
    EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
    auto back = from_hex(hex);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, all);
}

TEST(Hex, AcceptsUppercase) {
    auto b = from_hex("ABcd");
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, (Bytes{0xab, 0xcd}));
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
    EXPECT_EQ(from_hex("abc").error().code, "hex.odd_length");
    EXPECT_EQ(from_hex("zz").error().code, "hex.bad_digit");
    EXPECT_EQ(from_hex("0g").error().code, "hex.bad_digit");
}

TEST(Hex, DecodesIntoExactSizeBuffer) {
    std::array<std::uint8_t, 2> out{};
    EXPECT_TRUE(from_hex_into("beef", out));
    EXPECT_EQ(out[0], 0xbe);
    EXPECT_EQ(from_hex_into("beefee", out).error().code, "hex.bad_length");
}

// RFC 4648 §10 test vectors.
TEST(Base64, MatchesRfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(to_base64(as_bytes(plain)), encoded);
        auto back = from_base64(encoded);
        ASSERT_TRUE(back) << encoded;
        EXPECT_EQ(as_chars(*back), plain);
    }
}

TEST(Base64, AcceptsMissingPadding) {
    auto b = from_base64("Zm8");
    ASSERT_TRUE(b);
    EXPECT_EQ(as_chars(*b), "fo");
}

TEST(Base64, RejectsMalformedText) {
    EXPECT_EQ(from_base64("Zm9v!").error().code, "base64.bad_character");
    EXPECT_EQ(from_base64("Z").error().code, "base64.bad_length");
    EXPECT_EQ(from_base64("Zm9=").error().code, "base64.bad_padding");    // non-zero trailing bits
    EXPECT_EQ(from_base64("Zg=").error().code, "base64.bad_padding");     // padding, wrong length
    EXPECT_EQ(from_base64("Zm 9v").error().code, "base64.bad_character");
    EXPECT_EQ(from_base64("=Zm9").error().code, "base64.bad_character");
}

TEST(Base64, RoundTripsRandomLengths) {
    for (std::size_t n = 0; n < 70; ++n) {
        Bytes b(n);
        for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 37 + n);
        auto back = from_base64(to_base64(b));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, b);
    }
}

}  // namespace
}  // namespace st
