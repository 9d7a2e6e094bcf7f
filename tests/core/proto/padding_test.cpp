// Padding (protocol.md §3.2, §10.11): lengths at the block edges and the tolerant unpadding.
#include "st/proto/padding.hpp"

#include <gtest/gtest.h>

#include "st/proto/errors.hpp"

namespace st::proto {
namespace {

Bytes filled(std::size_t n) { return Bytes(n, 0x41); }

TEST(Padding, PadsToAMultipleOf160WithTerminatorAndZeros) {
    const struct {
        std::size_t in, out;
    } cases[] = {{0, 160},   {1, 160},   {13, 160},  {158, 160}, {159, 320},
                 {160, 320}, {161, 320}, {318, 320}, {319, 480}, {320, 480}};
    for (auto c : cases) {
        auto p = pad(filled(c.in));
        ASSERT_EQ(p.size(), c.out) << c.in;
        EXPECT_EQ(p[c.in], 0x80) << c.in;
        for (std::size_t i = c.in + 1; i < p.size(); ++i) ASSERT_EQ(p[i], 0x00) << c.in;
        EXPECT_TRUE(std::equal(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(c.in),
                               filled(c.in).begin()));
    }
}

TEST(Padding, UnpadInvertsPadAtEveryLengthAroundTheEdges) {
    for (std::size_t n = 0; n <= 330; ++n) {
        Bytes content(n);
        for (std::size_t i = 0; i < n; ++i) content[i] = static_cast<std::uint8_t>(i * 7 + 1);
        if (n) content.back() = 0x00;  // content may itself end in zeros
        auto padded = pad(content);
        auto back = unpad(padded);
        ASSERT_TRUE(back) << n;
        ASSERT_EQ(Bytes(back->begin(), back->end()), content) << n;
    }
}

TEST(Padding, UnpadAcceptsOlderClientsShorterPadding) {
    // session.js / older desktop: terminator, then zeros to 160k − 1 bytes.
    Bytes p = filled(13);
    p.push_back(0x80);
    p.resize(159, 0x00);
    auto r = unpad(p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 13u);
}

TEST(Padding, UnpadLeavesUnpaddedInputAlone) {
    auto r = unpad(as_bytes("hello"));
    ASSERT_TRUE(r);
    EXPECT_EQ(as_chars(*r), "hello");
    // Trailing zeros without a terminator are dropped (libsession's behaviour).
    Bytes z = {0x01, 0x02, 0x00, 0x00};
    auto r2 = unpad(z);
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->size(), 2u);
}

TEST(Padding, UnpadOfTerminatorOnlyIsEmptyContent) {
    Bytes p(160, 0x00);
    p[0] = 0x80;
    auto r = unpad(p);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->empty());
}

TEST(Padding, UnpadRejectsEmptyAndAllZeroInput) {
    for (std::size_t n : {0u, 1u, 160u}) {
        auto r = unpad(Bytes(n, 0x00));
        ASSERT_FALSE(r) << n;
        EXPECT_EQ(r.error().code, kErrBadPadding);
    }
}

TEST(Padding, UnpadReturnsAViewIntoItsInput) {
    auto p = pad(filled(20));
    auto r = unpad(p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->data(), p.data());
}

}  // namespace
}  // namespace st::proto
