// ConfigBase across devices (docs/config.md §6): two instances of one account push to and merge
// from a simulated namespace, as two clients sharing a swarm do.
#include "st/config/base.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/config/vectors.hpp"
#include "st/config/contacts.hpp"
#include "st/config/encrypt.hpp"
#include "st/config/user_groups.hpp"
#include "st/config/user_profile.hpp"
#include "st/config/wrap.hpp"

namespace st::config {
namespace {

using bt::Dict;
using bt::Value;

std::array<std::uint8_t, 32> seed_of(std::string_view hex) {
    std::array<std::uint8_t, 32> s{};
    auto b = *from_hex(hex);
    std::copy(b.begin(), b.end(), s.begin());
    return s;
}
const auto kSeed1 = seed_of(vectors::kSeed1);
const auto kSeed2 = seed_of(vectors::kSeed2);

crypto::Identity identity_of(const std::array<std::uint8_t, 32>& seed) {
    crypto::AccountSeed s{std::span<const std::uint8_t, 16>(seed.data(), 16)};
    return crypto::Identity::from_seed(s);
}
crypto::Identity identity1() { return identity_of(kSeed1); }

constexpr std::int64_t kNow = 1'700'000'000'000;

// One namespace of a swarm: storage hash -> bytes.
struct Namespace {
    std::map<std::string, Bytes> stored;

    std::vector<IncomingConfig> all() const {
        std::vector<IncomingConfig> out;
        for (const auto& [h, b] : stored) out.push_back({h, b});
        return out;
    }
    // Pushes, stores, deletes obsolete, confirms: what the app does after a successful store.
    std::string push(ConfigBase& c) {
        auto p = c.push(kNow);
        EXPECT_TRUE(p) << p.error().message;
        const auto h = hash_bytes(p->data);
        const std::string hash = to_hex(ByteView(h).first(8));
        stored[hash] = p->data;
        for (const auto& o : p->obsolete) stored.erase(o);
        c.confirm_pushed(p->seqno, hash);
        return hash;
    }
    std::vector<std::string> pull(ConfigBase& c) const {
        auto in = all();
        return c.merge(in);
    }
};

std::optional<ProfilePic> pic(std::string url, char fill) {
    ProfilePic p;
    p.url = std::move(url);
    p.key.fill(static_cast<std::uint8_t>(fill));
    return p;
}

TEST(ConfigBase, FreshConfigHasNothingToPush) {
    auto c = UserProfile::create(kSeed1);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_FALSE(c->needs_push());
    EXPECT_FALSE(c->needs_dump());
    EXPECT_EQ(c->seqno(), 0);
    EXPECT_TRUE(c->current_hashes().empty());
    EXPECT_EQ(c->storage_namespace(), 2);
}

TEST(ConfigBase, RefusesSeedsThatAreNotSessionSeeds) {
    auto s = kSeed1;
    s[31] = 1;
    auto c = Contacts::create(s);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, kErrBadSeed);
}

TEST(ConfigBase, KallieThroughTheViewIsByteExactAndWrapped) {
    auto c = *UserProfile::create(kSeed1);
    ASSERT_TRUE(c.set_name("Kallie"));
    ProfilePic p;
    p.url = "http://example.org/omg-pic-123.bmp";
    const std::string_view key = "secret78901234567890123456789012";
    std::copy(key.begin(), key.end(), p.key.begin());
    c.set_picture(p);
    c.set_nts_priority(9);
    EXPECT_TRUE(c.needs_push());
    EXPECT_EQ(c.seqno(), 1);
    auto pushed = c.push(kNow);
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(pushed->seqno, 1);
    EXPECT_TRUE(pushed->obsolete.empty());
    EXPECT_EQ(c.state(), ConfigState::Waiting);
    // Wrapped: the raw 256-byte blob + 176 bytes of protobuf and session-protocol box.
    EXPECT_EQ(pushed->data.size(), 256u + 176u);
    auto raw = unwrap_config(identity1(), pushed->data, SharedKind::UserProfile);
    ASSERT_TRUE(raw) << raw.error().message;
    EXPECT_EQ(to_hex(*raw), vectors::kKallieEncrypted);
    // Same content, same bytes: the whole push is deterministic.
    auto again = c.push(kNow);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->data, pushed->data);
}

TEST(ConfigBase, AnotherDeviceReadsWrappedRawAndDoubleWrappedMessages) {
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("Kallie"));
    auto pushed = *a.push(kNow);
    auto raw = *unwrap_config(identity1(), pushed.data, SharedKind::UserProfile);
    auto twice = *wrap_config(identity1(), pushed.data, 1, SharedKind::UserProfile);
    for (const Bytes* form : {&pushed.data, &raw, &twice}) {
        auto b = *UserProfile::create(kSeed1);
        std::vector<IncomingConfig> in{{"h1", *form}};
        EXPECT_EQ(b.merge(in), std::vector<std::string>{"h1"});
        EXPECT_EQ(b.name(), "Kallie");
        EXPECT_FALSE(b.needs_push());
        EXPECT_EQ(b.current_hashes(), std::vector<std::string>{"h1"});
    }
}

TEST(ConfigBase, BadInputIsSkippedAndChangesNothing) {
    Namespace ns;
    auto a = *Contacts::create(kSeed1);
    auto other = *Contacts::create(kSeed2);
    auto profile = *UserProfile::create(kSeed1);
    a.set(Contact(*crypto::SessionId::parse(
        "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74")));
    ns.push(a);
    const Bytes before = a.dump();

    Contact c(*crypto::SessionId::parse(
        "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"));
    c.name = "x";
    other.set(c);
    auto foreign = *other.push(kNow);  // another account's config
    ASSERT_TRUE(profile.set_name("me"));
    auto wrong_kind = *profile.push(kNow);  // our own, but a UserProfile
    // The other account's blob without its wrapping: still sealed under the other account's key.
    auto raw = *unwrap_config(identity_of(kSeed2), foreign.data, SharedKind::Contacts);
    Bytes truncated(foreign.data.begin(), foreign.data.begin() + 100);
    Bytes flipped = ns.stored.begin()->second;
    flipped[flipped.size() / 2] ^= 1;
    auto key = std::array<std::uint8_t, 32>{};
    std::copy(kSeed1.begin(), kSeed1.end(), key.begin());
    auto not_a_config = *seal_message(as_bytes("this is not bencode"), key, "Contacts");
    auto bad_message = *seal_message(as_bytes("d1:#i9e1:&d1:ade1:<le1:=dee"), key, "Contacts");
    std::vector<IncomingConfig> in{{"g", as_bytes("garbage")}, {"e", {}},
                                   {"f", foreign.data},       {"k", wrong_kind.data},
                                   {"r", raw},                {"t", truncated},
                                   {"x", flipped},            {"n", not_a_config},
                                   {"m", bad_message}};
    EXPECT_TRUE(a.merge(in).empty());
    EXPECT_EQ(a.dump(), before);
    EXPECT_FALSE(a.needs_push());
}

TEST(ConfigBase, TwoDevicesEditingDifferentFieldsConverge) {
    Namespace ns;
    auto a = *UserProfile::create(kSeed1);
    auto b = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("Alice"));
    const auto h1 = ns.push(a);
    EXPECT_EQ(ns.pull(b), std::vector<std::string>{h1});
    EXPECT_EQ(b.name(), "Alice");
    EXPECT_FALSE(b.needs_push());

    // Concurrent edits at seqno 2 on both devices.
    a.set_nts_priority(5);
    b.set_picture(pic("http://example.org/p", 'k'));
    ns.push(a);
    ns.push(b);
    EXPECT_EQ(ns.stored.size(), 2u);  // both deleted h1, each stored its seqno 2
    ns.pull(a);
    ns.pull(b);
    for (auto* c : {&a, &b}) {
        EXPECT_EQ(c->seqno(), 3);
        EXPECT_TRUE(c->needs_push());
        EXPECT_EQ(c->name(), "Alice");
        EXPECT_EQ(c->nts_priority(), 5);
        EXPECT_EQ(c->picture(), pic("http://example.org/p", 'k'));
    }
    // Both devices produced the very same merge, so they push the same bytes.
    auto pa = *a.push(kNow);
    auto pb = *b.push(kNow);
    EXPECT_EQ(pa.data, pb.data);
    EXPECT_EQ(pa.obsolete.size(), 2u);  // both seqno-2 messages
}

TEST(ConfigBase, ConflictingEditsEndEqualWhateverTheOrderOfMerges) {
    for (int order = 0; order < 2; ++order) {
        Namespace ns;
        auto a = *UserProfile::create(kSeed1);
        auto b = *UserProfile::create(kSeed1);
        ASSERT_TRUE(a.set_name("start"));
        ns.push(a);
        ns.pull(b);
        ASSERT_TRUE(a.set_name("from a"));
        ASSERT_TRUE(b.set_name("from b"));
        auto pa = *a.push(kNow);
        auto pb = *b.push(kNow);
        const std::string ha = "ha", hb = "hb";
        a.confirm_pushed(pa.seqno, ha);
        b.confirm_pushed(pb.seqno, hb);
        std::vector<IncomingConfig> to_a{{hb, pb.data}}, to_b{{ha, pa.data}};
        if (order == 0) {
            a.merge(to_a);
            b.merge(to_b);
        } else {
            b.merge(to_b);
            a.merge(to_a);
        }
        EXPECT_EQ(a.name(), b.name());
        EXPECT_EQ(a.seqno(), 3);
        // The winner is the message with the higher (seqno, hash).
        auto ra = *open_message(*unwrap_config(identity1(), pa.data, SharedKind::UserProfile),
                                std::span<const std::uint8_t, 32>(kSeed1), "UserProfile");
        auto rb = *open_message(*unwrap_config(identity1(), pb.data, SharedKind::UserProfile),
                                std::span<const std::uint8_t, 32>(kSeed1), "UserProfile");
        const bool a_wins = SeqHash{2, hash_bytes(rb)} < SeqHash{2, hash_bytes(ra)};
        EXPECT_EQ(a.name(), a_wins ? "from a" : "from b");
        // And both then push the same merge.
        EXPECT_EQ(a.push(kNow)->data, b.push(kNow)->data);
    }
}

TEST(ConfigBase, ObsoleteHashesAreHandedOutOnce) {
    Namespace ns;
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("one"));
    const auto h1 = ns.push(a);
    EXPECT_EQ(a.current_hashes(), std::vector<std::string>{h1});
    ASSERT_TRUE(a.set_name("two"));
    EXPECT_TRUE(a.current_hashes().empty());
    auto p = *a.push(kNow);
    EXPECT_EQ(p.obsolete, std::vector<std::string>{h1});
    EXPECT_TRUE(a.push(kNow)->obsolete.empty());
}

TEST(ConfigBase, ConfirmationOfAnOlderPushIsIgnored) {
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("one"));
    auto p = *a.push(kNow);
    ASSERT_TRUE(a.set_name("two"));  // changed while the push was in flight
    a.confirm_pushed(p.seqno, "h1");
    EXPECT_TRUE(a.needs_push());
    EXPECT_TRUE(a.current_hashes().empty());
    EXPECT_EQ(a.seqno(), 2);
}

TEST(ConfigBase, RetrievingOurOwnMessageChangesNothing) {
    Namespace ns;
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("me"));
    const auto h = ns.push(a);
    EXPECT_EQ(ns.pull(a), std::vector<std::string>{h});
    EXPECT_FALSE(a.needs_push());
    EXPECT_EQ(a.current_hashes(), std::vector<std::string>{h});
    ASSERT_TRUE(a.set_name("me2"));
    EXPECT_EQ(a.push(kNow)->obsolete, std::vector<std::string>{h});
}

TEST(ConfigBase, ANewerVersionReplacesOursAndOlderOnesAreIgnored) {
    Namespace ns;
    auto a = *UserProfile::create(kSeed1);
    auto b = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("v1"));
    ns.push(a);
    const auto old_copy = ns.stored;
    for (int i = 2; i <= 8; ++i) {
        ASSERT_TRUE(a.set_name("v" + std::to_string(i)));
        ns.push(a);
    }
    // b, still empty, edits something else and is seven versions behind: its edit is too old
    // to merge, as in libsession-util (the newest version wins outright).
    b.set_nts_priority(3);
    ns.pull(b);
    EXPECT_EQ(b.name(), "v8");
    EXPECT_EQ(b.seqno(), 8);
    EXPECT_FALSE(b.needs_push());
    // An old message retrieved late is accepted (understood) and changes nothing.
    std::vector<IncomingConfig> late;
    for (const auto& [h, d] : old_copy) late.push_back({h, d});
    EXPECT_EQ(b.merge(late).size(), 1u);
    EXPECT_EQ(b.name(), "v8");
}

TEST(ConfigBase, UnknownKeysSurviveMergeAndPush) {
    Namespace ns;
    auto newer = *Contacts::create(kSeed1);  // a newer client writing fields we do not know
    auto ours = *Contacts::create(kSeed1);
    const auto bob = *crypto::SessionId::parse(
        "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74");
    const Bytes bob_key = bob.bytes();
    Dict entry{{"n", Value("Bob")}, {"a", Value(1)}, {"~future", Value("keep me")},
               {"Z", Value(bt::List{Value(1), Value("x")})}};
    Dict contacts{{std::string(bob_key.begin(), bob_key.end()), Value(entry)},
                  {"not-a-session-id", Value(Dict{{"q", Value(1)}})}};
    Dict data{{"c", Value(contacts)}, {"zz", Value(Dict{{"x", Value(7)}})}};
    ASSERT_TRUE(newer.set_data(data));
    ns.push(newer);
    ns.pull(ours);
    ASSERT_EQ(ours.list().size(), 1u);
    auto c = *ours.get(bob);
    EXPECT_EQ(c.name, "Bob");
    EXPECT_TRUE(c.approved);
    c.nickname = "Bobby";
    c.blocked = true;
    ours.set(c);
    ns.push(ours);
    ns.pull(newer);
    Dict want_entry = entry;
    want_entry["N"] = Value("Bobby");
    want_entry["b"] = Value(1);
    Dict want = data;
    (*want["c"].as_dict())[std::string(bob_key.begin(), bob_key.end())] = Value(want_entry);
    EXPECT_EQ(newer.data(), want);
    EXPECT_EQ(ours.data(), want);
}

TEST(ConfigBase, UserGroupsArePreservedAsReceived) {
    Namespace ns;
    auto other = *UserGroups::create(kSeed1);
    Dict data{{"o", Value(Dict{{"https://example.org", Value(Dict{{"#", Value(std::string(32, 'k'))},
                                                                    {"R", Value(Dict{{"room", Value(Dict{{"P", Value(1)}})}})}})}})},
              {"g", Value(Dict{{std::string(33, '\x03'), Value(Dict{{"n", Value("group")}})}})}};
    ASSERT_TRUE(other.set_data(data));
    ns.push(other);
    auto ours = *UserGroups::create(kSeed1);
    ns.pull(ours);
    EXPECT_EQ(ours.data(), data);
    EXPECT_EQ(ours.storage_namespace(), 5);
}

TEST(ConfigBase, DumpsRestoreEveryState) {
    Namespace ns;
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("one"));
    EXPECT_TRUE(a.needs_dump());
    // Dirty: a reload pushes exactly what the original would have.
    const Bytes dirty = a.dump();
    EXPECT_FALSE(a.needs_dump());
    auto reloaded = *UserProfile::create(kSeed1, ByteView(dirty));
    EXPECT_TRUE(reloaded.needs_push());
    EXPECT_EQ(reloaded.seqno(), 1);
    const auto h = ns.push(a);
    EXPECT_EQ(reloaded.push(kNow)->data, ns.stored.at(h));
    // Clean, with a current hash and an obsolete one pending.
    ASSERT_TRUE(a.set_name("two"));
    auto p = *a.push(kNow);  // hands out h as obsolete
    a.confirm_pushed(p.seqno, "h2");
    auto clean = *UserProfile::create(kSeed1, ByteView(a.dump()));
    EXPECT_FALSE(clean.needs_push());
    EXPECT_EQ(clean.current_hashes(), std::vector<std::string>{"h2"});
    EXPECT_EQ(clean.name(), "two");
    // An edit after reload continues the history exactly as the original does.
    ASSERT_TRUE(clean.set_name("three"));
    ASSERT_TRUE(a.set_name("three"));
    auto pc = *clean.push(kNow);
    auto pa = *a.push(kNow);
    EXPECT_EQ(pc.data, pa.data);
    EXPECT_EQ(pc.obsolete, pa.obsolete);
    // A config received from elsewhere (not mutable) also round-trips.
    auto b = *UserProfile::create(kSeed1);
    std::vector<IncomingConfig> in{{"hp", pa.data}};
    b.merge(in);
    auto b2 = *UserProfile::create(kSeed1, ByteView(b.dump()));
    ASSERT_TRUE(b.set_name("four"));
    ASSERT_TRUE(b2.set_name("four"));
    EXPECT_EQ(b.push(kNow)->data, b2.push(kNow)->data);
}

TEST(ConfigBase, BadDumpsAreRefused) {
    for (std::string_view d : {"", "garbage", "de", "d1:vi2ee", "d1:!i0e1:$3:abc1:(0:1:)le1:vi1ee"}) {
        auto c = UserProfile::create(kSeed1, as_bytes(d));
        ASSERT_FALSE(c) << d;
        EXPECT_EQ(c.error().code, kErrBadDump);
    }
}

TEST(ConfigBase, SetDataWithTheSameValuesIsNotAChange) {
    auto a = *UserProfile::create(kSeed1);
    ASSERT_TRUE(a.set_name("same"));
    Namespace ns;
    ns.push(a);
    ASSERT_TRUE(a.set_name("same"));
    a.set_nts_priority(0);
    EXPECT_FALSE(a.needs_push());
    EXPECT_FALSE(a.set_data(a.data()));
}

}  // namespace
}  // namespace st::config
