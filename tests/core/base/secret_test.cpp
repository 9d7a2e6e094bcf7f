#include "st/base/secret.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace st {
namespace {

TEST(Secret, MovingZeroesTheSource) {
    Secret<4> a;
    std::memcpy(a.data(), "\x01\x02\x03\x04", 4);
    Secret<4> b = std::move(a);
    EXPECT_EQ(b.data()[3], 4);
    for (auto byte : a.view()) EXPECT_EQ(byte, 0);  // NOLINT(bugprone-use-after-move): intended
}

TEST(Secret, CloneIsEqualAndIndependent) {
    Secret<4> a;
    a.data()[0] = 9;
    auto b = a.clone();
    EXPECT_TRUE(a.equals(b));
    b.data()[0] = 8;
    EXPECT_FALSE(a.equals(b));
}

TEST(SecretBytes, AppendGrowsAndKeepsContent) {
    SecretBytes s;
    for (int i = 0; i < 100; ++i) s.append("word ");
    EXPECT_EQ(s.size(), 500u);
    EXPECT_EQ(s.str().substr(0, 10), "word word ");
    auto copy = s.clone();
    EXPECT_EQ(copy.str(), s.str());
}

TEST(SecretBytes, MoveLeavesSourceEmpty) {
    SecretBytes s;
    s.append("secret");
    SecretBytes t = std::move(s);
    EXPECT_EQ(t.str(), "secret");
    EXPECT_TRUE(s.empty());  // NOLINT(bugprone-use-after-move): intended
}

}  // namespace
}  // namespace st
