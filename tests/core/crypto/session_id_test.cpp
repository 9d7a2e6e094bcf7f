#include "st/crypto/session_id.hpp"

#include <gtest/gtest.h>

namespace st::crypto {
namespace {

constexpr const char* kId = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";

TEST(SessionId, ParsesCanonicalId) {
    auto id = SessionId::parse(kId);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->hex(), kId);
    EXPECT_EQ(id->x25519().hex(), std::string(kId).substr(2));
    auto bytes = id->bytes();
    ASSERT_EQ(bytes.size(), 33u);
    EXPECT_EQ(bytes[0], 0x05);
}

TEST(SessionId, IgnoresSurroundingWhiteSpaceAndCase) {
    std::string pasted = "  \t05D2AD010EEB72D72E561D9DE7BD7B6989AF77DCABFFA03A5111A6C859AE5C3A72\n ";
    auto id = SessionId::parse(pasted);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->hex(), kId);  // stored and shown lower-case
}

TEST(SessionId, RejectsEmptyInput) {
    EXPECT_EQ(SessionId::parse("").error().code, "session_id.empty");
    EXPECT_EQ(SessionId::parse("   \n").error().code, "session_id.empty");
}

TEST(SessionId, RejectsWrongLength) {
    auto r = SessionId::parse(std::string(kId).substr(0, 65));
    EXPECT_EQ(r.error().code, "session_id.bad_length");
    EXPECT_NE(r.error().message.find("65"), std::string::npos);
    EXPECT_EQ(SessionId::parse(std::string(kId) + "0").error().code, "session_id.bad_length");
}

TEST(SessionId, RejectsNonHexNamingThePosition) {
    std::string bad = kId;
    bad[10] = 'x';
    auto r = SessionId::parse(bad);
    EXPECT_EQ(r.error().code, "session_id.bad_character");
    EXPECT_NE(r.error().message.find("11"), std::string::npos);
    EXPECT_EQ(SessionId::parse("05d2ad01 0eeb").error().code, "session_id.bad_character");
}

TEST(SessionId, RejectsOtherPrefixes) {
    for (const char* prefix : {"03", "15", "25", "00", "06"}) {
        std::string other = std::string(prefix) + std::string(kId).substr(2);
        EXPECT_EQ(SessionId::parse(other).error().code, "session_id.bad_prefix") << prefix;
    }
}

TEST(SessionId, OrdersAndComparesByKey) {
    auto a = SessionId::parse(kId);
    auto b = SessionId::parse("05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74");
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
    EXPECT_LT(*b, *a);
}

}  // namespace
}  // namespace st::crypto
