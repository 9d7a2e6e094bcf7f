// The strict bencode codec (docs/config.md §1): canonical encoding, and a decoder that refuses
// every other encoding of the same value, so a config message's hash is a function of its value.
#include "st/config/bencode.hpp"

#include <gtest/gtest.h>

namespace st::config::bt {
namespace {

TEST(Bencode, EncodesCanonically) {
    Dict d;
    d.emplace("b", Value(List{Value(1), Value("x"), Value(-7)}));
    d.emplace("a", Value(std::int64_t{0}));
    d.emplace("", Value(Dict{}));
    EXPECT_EQ(encode(Value(d)), "d0:de1:ai0e1:bli1e1:xi-7eee");
    EXPECT_EQ(encode(Value(std::string("\x00\xff", 2))), std::string("2:\x00\xff", 4));
    EXPECT_EQ(encode(Value(std::numeric_limits<std::int64_t>::min())), "i-9223372036854775808e");
    EXPECT_EQ(encode(Value(std::numeric_limits<std::int64_t>::max())), "i9223372036854775807e");
}

TEST(Bencode, KeysSortAsUnsignedBytes) {
    Dict d;
    d.emplace("\xff", Value(1));
    d.emplace("a", Value(2));
    d.emplace("\x01", Value(3));
    EXPECT_EQ(encode(Value(d)), "d1:\x01i3e1:ai2e1:\xffi1ee");
    auto back = decode(std::string_view("d1:\x01i3e1:ai2e1:\xffi1ee"));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, Value(d));
}

TEST(Bencode, CanonicalInputRoundTrips) {
    for (std::string_view s :
         {"i0e", "i-1e", "i42e", "0:", "3:abc", "le", "de", "l0:lee", "d1:ai1e1:bd1:cleee",
          "i-9223372036854775808e", "i9223372036854775807e",
          "d1:#i1e1:&d1:n6:Kalliee1:<le1:=d1:n0:ee"}) {
        auto v = decode(s);
        ASSERT_TRUE(v) << s << ": " << v.error().message;
        EXPECT_EQ(encode(*v), s);
    }
}

struct Bad {
    std::string_view input;
    std::string_view code;
};

TEST(Bencode, RefusesNonCanonicalAndMalformedInput) {
    const Bad cases[] = {
        {"", kErrTruncated},
        {"i", kErrTruncated},
        {"i1", kErrTruncated},
        {"ie", kErrMalformed},
        {"i-e", kErrMalformed},
        {"i01e", kErrNotCanonical},
        {"i-0e", kErrNotCanonical},
        {"i-01e", kErrNotCanonical},
        {"i00e", kErrNotCanonical},
        {"i+1e", kErrMalformed},
        {"i1.5e", kErrMalformed},
        {"i9223372036854775808e", kErrMalformed},
        {"i-9223372036854775809e", kErrMalformed},
        {"i99999999999999999999999e", kErrMalformed},
        {"01:a", kErrNotCanonical},
        {"00:", kErrNotCanonical},
        {"2:a", kErrTruncated},
        {"5", kErrTruncated},
        {"99999999999999999999999:a", kErrTruncated},
        {"1a", kErrMalformed},
        {"l", kErrTruncated},
        {"li1e", kErrTruncated},
        {"d", kErrTruncated},
        {"d1:a", kErrTruncated},
        {"di1ei2ee", kErrMalformed},
        {"d1:bi1e1:ai2ee", kErrNotCanonical},
        {"d1:ai1e1:ai2ee", kErrNotCanonical},
        {"d0:i1e0:i2ee", kErrNotCanonical},
        {"i1ei2e", kErrTrailing},
        {"dex", kErrTrailing},
        {"x", kErrMalformed},
        {"e", kErrMalformed},
    };
    for (const auto& c : cases) {
        auto v = decode(c.input);
        ASSERT_FALSE(v) << "accepted: " << c.input;
        EXPECT_EQ(v.error().code, c.code) << c.input << ": " << v.error().message;
    }
}

TEST(Bencode, NestingIsBounded) {
    std::string deep(kMaxDepth, 'l');
    deep += std::string(kMaxDepth, 'e');
    EXPECT_TRUE(decode(deep));
    std::string deeper(kMaxDepth + 1, 'l');
    deeper += std::string(kMaxDepth + 1, 'e');
    auto v = decode(deeper);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, kErrTooDeep);
    // A million opening brackets: refused at the limit, not by the stack.
    auto huge = decode(std::string(1'000'000, 'l'));
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error().code, kErrTooDeep);
}

}  // namespace
}  // namespace st::config::bt
