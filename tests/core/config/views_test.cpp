// The typed views (docs/config.md §7): the keys they write, their limits, and the
// ConvoInfoVolatile age rules.
#include <gtest/gtest.h>

#include "core/config/vectors.hpp"
#include "st/config/contacts.hpp"
#include "st/config/convo_info_volatile.hpp"
#include "st/config/user_profile.hpp"

namespace st::config {
namespace {

using bt::Dict;
using bt::Value;

std::array<std::uint8_t, 32> seed1() {
    std::array<std::uint8_t, 32> s{};
    auto b = *from_hex(vectors::kSeed1);
    std::copy(b.begin(), b.end(), s.begin());
    return s;
}

const crypto::SessionId kBob = *crypto::SessionId::parse(
    "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74");
const crypto::SessionId kCarol = *crypto::SessionId::parse(
    "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");

std::string raw(const crypto::SessionId& id) {
    auto b = id.bytes();
    return std::string(b.begin(), b.end());
}

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kNow = 1'700'000'000'000;

TEST(UserProfileView, NameIsLimitedTo100Bytes) {
    auto p = *UserProfile::create(seed1());
    EXPECT_FALSE(p.name());
    EXPECT_TRUE(p.set_name(std::string(100, 'n')));
    auto r = p.set_name(std::string(101, 'n'));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kErrNameTooLong);
    EXPECT_EQ(p.name(), std::string(100, 'n'));
    ASSERT_TRUE(p.set_name(""));
    EXPECT_FALSE(p.name());
    EXPECT_EQ(p.data().count("n"), 0u);
}

TEST(UserProfileView, UpdateTimesAndReuploadedPictures) {
    auto p = *UserProfile::create(seed1());
    ASSERT_TRUE(p.set_name("A", 100));
    EXPECT_EQ(p.data().at("t"), Value(100));
    // Another device re-uploaded the avatar later (P/Q with a newer T): that one is shown.
    Dict d = p.data();
    d["p"] = Value("http://old");
    d["q"] = Value(std::string(32, 'o'));
    d["P"] = Value("http://new");
    d["Q"] = Value(std::string(32, 'n'));
    d["T"] = Value(200);
    p.set_data(d);
    ASSERT_TRUE(p.picture());
    EXPECT_EQ(p.picture()->url, "http://new");
    // Removing the avatar removes the re-upload too.
    p.set_picture(std::nullopt, 300);
    EXPECT_FALSE(p.picture());
    EXPECT_EQ(p.data().count("P"), 0u);
    EXPECT_EQ(p.data().at("t"), Value(300));
}

TEST(UserProfileView, NoteToSelfSettings) {
    auto p = *UserProfile::create(seed1());
    p.set_nts_priority(-1);
    p.set_nts_expiry_s(3600);
    EXPECT_EQ(p.nts_priority(), -1);
    EXPECT_EQ(p.nts_expiry_s(), 3600);
    p.set_nts_expiry_s(0);
    EXPECT_FALSE(p.nts_expiry_s());
    EXPECT_FALSE(p.blinded_msgreqs());
}

TEST(ContactsView, SetGetEraseList) {
    auto c = *Contacts::create(seed1());
    EXPECT_FALSE(c.get(kBob));
    Contact bob = c.get_or_construct(kBob);
    bob.name = "Bob";
    bob.nickname = "Bobby";
    bob.approved = true;
    bob.approved_me = true;
    bob.priority = 1;
    bob.expiration = ExpirationMode::AfterSend;
    bob.expiration_timer_s = 86400;
    bob.created_s = 1'700'000'000;
    c.set(bob);
    Contact carol(kCarol);
    carol.blocked = true;
    c.set(carol);

    // Keyed by the 33 raw bytes of the Session ID.
    const Dict& all = *c.data().at("c").as_dict();
    ASSERT_EQ(all.count(raw(kBob)), 1u);
    EXPECT_EQ(bt::encode(all.at(raw(kBob))),
              "d1:+i1e1:Ai1e1:Ei86400e1:N5:Bobby1:ai1e1:ei1e1:ji1700000000e1:n3:Bobe");
    EXPECT_EQ(bt::encode(all.at(raw(kCarol))), "d1:bi1e1:n0:e");

    auto back = *c.get(kBob);
    EXPECT_EQ(back.name, "Bob");
    EXPECT_EQ(back.nickname, "Bobby");
    EXPECT_TRUE(back.approved && back.approved_me && !back.blocked);
    EXPECT_EQ(back.expiration, ExpirationMode::AfterSend);
    EXPECT_EQ(back.expiration_timer_s, 86400);
    auto list = c.list();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, kBob);  // 05aa… sorts before 05d2…
    EXPECT_EQ(c.size(), 2u);
    EXPECT_TRUE(c.erase(kBob));
    EXPECT_FALSE(c.erase(kBob));
    EXPECT_EQ(c.size(), 1u);
}

TEST(ContactsView, NamesAreTruncatedOnACharacterBoundary) {
    auto c = *Contacts::create(seed1());
    Contact bob(kBob);
    bob.name = std::string(99, 'a') + "\xc3\xa9";  // 101 bytes, é straddles the limit
    bob.nickname = std::string(150, 'b');
    c.set(bob);
    auto back = *c.get(kBob);
    EXPECT_EQ(back.name, std::string(99, 'a'));
    EXPECT_EQ(back.nickname, std::string(100, 'b'));
}

TEST(ContactsView, ExpirationWithoutTimerReadsAsOff) {
    auto c = *Contacts::create(seed1());
    Dict entry{{"n", Value("x")}, {"e", Value(1)}};
    c.set_data(Dict{{"c", Value(Dict{{raw(kBob), Value(entry)}})}});
    EXPECT_EQ(c.get(kBob)->expiration, ExpirationMode::None);
}

TEST(ConvoInfoVolatileView, LastReadOlderThan30DaysIsNotStored) {
    auto v = *ConvoInfoVolatile::create(seed1());
    OneToOneInfo recent(kBob);
    recent.last_read_ms = kNow - 29 * kDay;
    v.set_1to1(recent, kNow);
    EXPECT_EQ(v.get_1to1(kBob)->last_read_ms, kNow - 29 * kDay);
    // Keyed by raw bytes.
    EXPECT_EQ(v.data().at("1").as_dict()->count(raw(kBob)), 1u);

    OneToOneInfo old(kCarol);
    old.last_read_ms = kNow - 31 * kDay;
    v.set_1to1(old, kNow);
    EXPECT_FALSE(v.get_1to1(kCarol));  // nothing to store
    old.unread = true;
    v.set_1to1(old, kNow);
    ASSERT_TRUE(v.get_1to1(kCarol));
    EXPECT_TRUE(v.get_1to1(kCarol)->unread);
    EXPECT_EQ(v.get_1to1(kCarol)->last_read_ms, 0);

    // Moving a stored time back is always written.
    recent.last_read_ms = kNow - 40 * kDay;
    v.set_1to1(recent, kNow);
    EXPECT_EQ(v.get_1to1(kBob)->last_read_ms, kNow - 40 * kDay);
    EXPECT_EQ(v.list_1to1().size(), 2u);
}

TEST(ConvoInfoVolatileView, PushPrunesEntriesOlderThan45DaysUnlessUnread) {
    auto v = *ConvoInfoVolatile::create(seed1());
    const std::string group(33, '\x03');
    Dict data{
        {"1", Value(Dict{{raw(kBob), Value(Dict{{"r", Value(kNow - 46 * kDay)}})},
                         {raw(kCarol), Value(Dict{{"r", Value(kNow - 46 * kDay)}, {"u", Value(1)}})}})},
        {"g", Value(Dict{{group, Value(Dict{{"r", Value(kNow - 44 * kDay)}})}})},
        {"o", Value(Dict{{"https://old.example",
                          Value(Dict{{"#", Value(std::string(32, 'k'))},
                                     {"R", Value(Dict{{"room", Value(Dict{{"r", Value(1)}})}})}})}})},
        {"x", Value("unknown, kept")}};
    v.set_data(data);
    auto pushed = v.push(kNow);
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_FALSE(v.get_1to1(kBob));
    EXPECT_TRUE(v.get_1to1(kCarol));
    EXPECT_EQ(v.data().at("g").as_dict()->size(), 1u);
    EXPECT_EQ(v.data().count("o"), 0u);
    EXPECT_EQ(v.data().at("x"), Value("unknown, kept"));
}

}  // namespace
}  // namespace st::config
