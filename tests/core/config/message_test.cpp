// Config messages, diffs and merging at the message level (docs/config.md §2–3), with the cases
// of libsession-util docs/config-merge-logic.md.
#include "st/config/message.hpp"

#include <gtest/gtest.h>

#include "core/config/vectors.hpp"

namespace st::config {
namespace {

using bt::Dict;
using bt::List;
using bt::Value;

std::string str(const Bytes& b) { return std::string(b.begin(), b.end()); }
Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

// The next version of `m` with `data`, as a device editing it would write it.
Message next(const Message& m, Dict data) {
    Message n;
    n.seqno = m.seqno + 1;
    n.lagged = m.lagged;
    std::erase_if(n.lagged, [&](const auto& e) { return e.first.seqno <= n.seqno - kLag; });
    n.lagged.emplace(SeqHash{m.seqno, hash_bytes(serialize_message(m))}, m.diff);
    n.diff = compute_diff(m.data, data);
    n.data = std::move(data);
    return n;
}

TEST(ConfigMessage, EmptyConfigHash) {
    Message empty;
    const Bytes s = serialize_message(empty);
    EXPECT_EQ(str(s), "d1:#i0e1:&de1:<le1:=dee");
    EXPECT_EQ(to_hex(hash_bytes(s)), vectors::kEmptyHash);
}

TEST(ConfigMessage, KallieMessageByteExact) {
    Message m;
    Dict data;
    data["n"] = Value("Kallie");
    data["p"] = Value("http://example.org/omg-pic-123.bmp");
    data["q"] = Value("secret78901234567890123456789012");
    data["+"] = Value(9);
    auto k = next(m, data);
    EXPECT_EQ(str(serialize_message(k)), vectors::kallie_message());
    auto parsed = parse_message(bytes(vectors::kallie_message()));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->seqno, 1);
    EXPECT_EQ(parsed->data, data);
    ASSERT_EQ(parsed->lagged.size(), 1u);
    EXPECT_EQ(to_hex(parsed->lagged.begin()->first.hash), vectors::kEmptyHash);
    EXPECT_EQ(str(serialize_message(*parsed)), vectors::kallie_message());
}

TEST(ConfigMessage, DiffsOfScalarsDictsAndSets) {
    Dict a;
    a["s"] = Value("x");
    a["i"] = Value(1);
    a["d"] = Value(Dict{{"k", Value(1)}, {"l", Value(2)}});
    a["set"] = Value(List{Value(1), Value(3), Value("a")});
    a["gone"] = Value(Dict{{"x", Value(1)}});
    Dict b = a;
    b["s"] = Value(5);  // same kind (scalar), new value
    b.erase("i");
    (*b["d"].as_dict())["k"] = Value(7);
    b["set"] = Value(List{Value(2), Value(3), Value("a"), Value("b")});
    b.erase("gone");
    b["new"] = Value(List{Value("z")});
    const Dict diff = compute_diff(a, b);
    EXPECT_EQ(bt::encode(Value(diff)),
              "d1:dd1:k0:e4:gone"
              "d1:x1:-e1:i1:-3:newll1:zelee1:s0:3:setlli2e1:beli1eeee");
    Dict applied = a;
    apply_diff(applied, diff, b);
    prune_data(applied);
    EXPECT_EQ(applied, b);
    EXPECT_TRUE(compute_diff(b, b).empty());
}

TEST(ConfigMessage, ChangingKindReplacesTheValue) {
    Dict a{{"k", Value(Dict{{"x", Value(1)}})}};
    Dict b{{"k", Value(42)}};
    Dict c{{"k", Value(Dict{{"y", Value(2)}})}};
    // dict -> 42 -> dict: replaying both diffs in order ends with the last dict only.
    Dict data = a;
    apply_diff(data, compute_diff(a, b), b);
    apply_diff(data, compute_diff(b, c), c);
    prune_data(data);
    EXPECT_EQ(data, c);
}

TEST(ConfigMessage, ParseRefusesMalformedMessages) {
    const std::string h(32, 'h');
    for (std::string s : {
             std::string("le"),
             std::string("de"),
             std::string("d1:&dee"),                            // no seqno
             std::string("d1:#1:x1:&dee"),                      // seqno not an int
             std::string("d1:#i1ee"),                           // no data
             std::string("d1:#i1e1:&lee"),                      // data not a dict
             std::string("d1:!i1e1:#i1e1:&dee"),                // key before "#"
             std::string("d1:#i1e1:&d1:ade1:<le1:=dee"),        // empty nested dict
             std::string("d1:#i1e1:&d1:alee1:<le1:=dee"),       // empty set
             std::string("d1:#i1e1:&d1:ali2ei1eee1:<le1:=dee"), // unsorted set
             std::string("d1:#i1e1:&d1:ali1ei1eee1:<le1:=dee"), // duplicate in set
             std::string("d1:#i1e1:&d1:al1:bi1eee1:<le1:=dee"), // string before int
             std::string("d1:#i1e1:&d1:alleee1:<le1:=dee"),     // list in set
             std::string("d1:#i1e1:&de1:<lli1e32:" + h + "deee1:=dee"),  // lag not older
             std::string("d1:#i2e1:&de1:<lli1e3:abcdeee1:=dee"),        // short hash
             std::string("d1:#i2e1:&de1:<lli1e32:" + h + "dei0eee1:=dee"),  // 4 elements
             std::string("d1:#i2e1:&de1:=d1:a1:xee"),           // bad diff mark
             std::string("d1:#i2e1:&de1:=d1:ai1eee"),           // int in diff
             std::string("d1:#i2e1:&de1:=d1:alleee"),           // set diff with 1 part
             std::string("d1:#i2e1:&de1:=de1:~3:abce"),          // signature not 64 bytes
             std::string("d1:#i2e1:&de1:~64:" + std::string(64, 's') + "1:~~i1ee"),  // after ~
             std::string("d1:#i-1e1:&dee"),                     // negative seqno
         }) {
        EXPECT_FALSE(parse_message(bytes(s))) << s;
    }
}

TEST(ConfigMessage, SignatureIsCheckedAndNotKept) {
    const std::string signed_msg = "d1:#i1e1:&d1:ai1ee1:<le1:=d1:a0:e1:~64:" + std::string(64, 's') + "e";
    auto m = parse_message(bytes(signed_msg));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(str(serialize_message(*m)), "d1:#i1e1:&d1:ai1ee1:<le1:=d1:a0:ee");
}

TEST(ConfigMessage, UnknownTopLevelKeysAreKeptInPlace) {
    const std::string s = "d1:#i1e1:$i5e1:&d1:ai1ee1:*3:xyz1:<le1:=d1:a0:e1:>le1:@dee";
    auto m = parse_message(bytes(s));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->unknown.size(), 4u);
    EXPECT_EQ(str(serialize_message(*m)), s);
}

// [SECTION] Merging (docs/config-merge-logic.md cases) ---------------------------------------------

std::vector<ByteView> views(const std::vector<Bytes>& v) { return {v.begin(), v.end()}; }

TEST(ConfigMerge, ANewerVersionSupersedesTheOneItContains) {
    Message m0;
    auto m1 = next(m0, {{"a", Value(1)}});
    auto m2 = next(m1, {{"a", Value(2)}});
    std::vector<Bytes> in{serialize_message(m1), serialize_message(m2)};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->merged);
    EXPECT_EQ(r->unmerged_index, 1u);
    EXPECT_EQ(r->id.seqno, 2);
}

TEST(ConfigMerge, IdenticalMessagesAreOne) {
    Message m0;
    auto m1 = next(m0, {{"a", Value(1)}});
    std::vector<Bytes> in{serialize_message(m1), serialize_message(m1), serialize_message(m1)};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->merged);
    EXPECT_EQ(r->unmerged_index, 0u);
}

TEST(ConfigMerge, ConcurrentEditsOfDifferentFieldsCombine) {
    Message m0;
    auto base = next(m0, {{"a", Value(1)}, {"b", Value(1)}});
    auto x = next(base, {{"a", Value(2)}, {"b", Value(1)}});
    auto y = next(base, {{"a", Value(1)}, {"b", Value(3)}, {"c", Value("new")}});
    std::vector<Bytes> xy{serialize_message(x), serialize_message(y)};
    std::vector<Bytes> yx{serialize_message(y), serialize_message(x)};
    auto r1 = merge_messages(views(xy));
    auto r2 = merge_messages(views(yx));
    ASSERT_TRUE(r1 && r2);
    EXPECT_TRUE(r1->merged);
    EXPECT_EQ(r1->id.seqno, 3);
    Dict want{{"a", Value(2)}, {"b", Value(3)}, {"c", Value("new")}};
    EXPECT_EQ(r1->message.data, want);
    // Whatever the order, the same message.
    EXPECT_EQ(serialize_message(r1->message), serialize_message(r2->message));
    EXPECT_EQ(r1->id, r2->id);
    // The merged version's history holds both concurrent versions and their ancestor.
    EXPECT_EQ(r1->message.lagged.size(), 4u);  // seqno 0, 1, and both 2s
}

TEST(ConfigMerge, SameFieldConflictGoesToTheHigherSeqnoHash) {
    Message m0;
    auto base = next(m0, {{"n", Value("base")}});
    auto x = next(base, {{"n", Value("x")}});
    auto y = next(base, {{"n", Value("y")}});
    const auto hx = hash_bytes(serialize_message(x));
    const auto hy = hash_bytes(serialize_message(y));
    const bool x_wins = SeqHash{2, hy} < SeqHash{2, hx};
    std::vector<Bytes> in{serialize_message(x), serialize_message(y)};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message.data.at("n"), Value(x_wins ? "x" : "y"));
    // A higher seqno wins regardless of hash: y edits again.
    auto y2 = next(y, {{"n", Value("y2")}});
    std::vector<Bytes> in2{serialize_message(x), serialize_message(y2)};
    auto r2 = merge_messages(views(in2));
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->id.seqno, 4);
    EXPECT_EQ(r2->message.data.at("n"), Value("y2"));
}

TEST(ConfigMerge, LaggedDiffsReplayChangesTheNewestDoesNotShow) {
    // x edits "a" at 2; y, without seeing x, edits "b" at 2, 3 and 4. Merging x with y4 must
    // still apply x's change (x is not in y4's history) and keep y's three.
    Message m0;
    auto base = next(m0, {{"a", Value(0)}, {"b", Value(0)}});
    auto x = next(base, {{"a", Value(1)}, {"b", Value(0)}});
    auto y2 = next(base, {{"a", Value(0)}, {"b", Value(2)}, {"c", Value(2)}});
    auto y3 = next(y2, {{"a", Value(0)}, {"b", Value(3)}, {"c", Value(2)}});
    auto y4 = next(y3, {{"a", Value(0)}, {"b", Value(4)}});
    std::vector<Bytes> in{serialize_message(x), serialize_message(y4)};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->merged);
    EXPECT_EQ(r->id.seqno, 5);
    Dict want{{"a", Value(1)}, {"b", Value(4)}};
    EXPECT_EQ(r->message.data, want);
}

TEST(ConfigMerge, VersionsFiveOrMoreBehindAreDropped) {
    Message m0;
    auto base = next(m0, {{"a", Value(0)}});
    auto stale = next(base, {{"a", Value(0)}, {"old", Value(1)}});  // seqno 2
    Message y = base;
    for (int i = 0; i < 5; ++i) y = next(y, {{"a", Value(10 + i)}});  // seqno 6: 2 + 5 <= 7? no
    // seqno 2 vs 6: 2 + 5 > 6, still merged.
    std::vector<Bytes> in{serialize_message(stale), serialize_message(y)};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->merged);
    EXPECT_EQ(r->message.data.at("old"), Value(1));
    y = next(y, {{"a", Value(99)}});  // seqno 7: 2 + 5 <= 7, too old
    std::vector<Bytes> in2{serialize_message(stale), serialize_message(y)};
    auto r2 = merge_messages(views(in2));
    ASSERT_TRUE(r2);
    EXPECT_FALSE(r2->merged);
    EXPECT_EQ(r2->unmerged_index, 1u);
    EXPECT_EQ(r2->message.data.count("old"), 0u);
}

TEST(ConfigMerge, BadInputsAreSkippedAndReported) {
    Message m0;
    auto m1 = next(m0, {{"a", Value(1)}});
    std::vector<Bytes> in{bytes("garbage"), serialize_message(m1), bytes("d1:#i1ee")};
    auto r = merge_messages(views(in));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->unmerged_index, 1u);
    EXPECT_EQ(r->bad, (std::vector<std::size_t>{0, 2}));
    std::vector<Bytes> none{bytes("x")};
    EXPECT_FALSE(merge_messages(views(none)));
}

}  // namespace
}  // namespace st::config
