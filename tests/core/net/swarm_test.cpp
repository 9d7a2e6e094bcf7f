// Swarm mapping, with the known answers of protocol.md §10.10 (upstream storage server tests).
#include "st/net/swarm.hpp"

#include <gtest/gtest.h>

namespace st::net {
namespace {

std::uint64_t space_of(std::string_view pubkey66) {
    auto raw = *from_hex(pubkey66);
    return swarm_space(std::span<const std::uint8_t, 32>(raw.data() + 1, 32));
}

TEST(SwarmSpace, MatchesKnownAnswers) {
    EXPECT_EQ(space_of("053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8"),
              17589930838143112648ULL);
    EXPECT_EQ(space_of("05cf27da303a50ac8c4b2d43d27259505c9bcd73fc21cf2a57902c3d050730b604"),
              10370619079776428163ULL);
    EXPECT_EQ(space_of("03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc"),
              2144983569669512198ULL);
    EXPECT_EQ(space_of("050123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), 0ULL);
    EXPECT_EQ(space_of("ff0f06693428fca9102a451e3f28d9cc743d8ea60a89ab6aa69eb119470c11cbd3"),
              9690840703409570833ULL);
    EXPECT_EQ(space_of("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48"),
              4532060000165252872ULL);
    EXPECT_EQ(space_of("05eeeeeeeeeeeeeeee777777777777777711111111111111118888888888888888"), 0ULL);
    EXPECT_EQ(space_of("05fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"), 1ULL);
    EXPECT_EQ(space_of("05ffffffffffffffffffffffffffffffffffffffffffffffff7fffffffffffffff"),
              1ULL << 63);
    EXPECT_EQ(space_of("05000000000000000000000000000000000000000000000000ffffffffffffffff"),
              ~0ULL);
    EXPECT_EQ(space_of("050000000000000000000000000000000000000000000000000123456789abcdef"),
              0x0123456789abcdefULL);
}

TEST(SwarmSpace, OfASessionIdUsesItsKey) {
    auto id = crypto::SessionId::parse(
        "053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8");
    ASSERT_TRUE(id);
    EXPECT_EQ(swarm_space(*id), 17589930838143112648ULL);
}

TEST(ClosestSwarm, MatchesKnownAnswers) {
    std::vector<std::uint64_t> ids{100, 200, 300, 399, 498, 596, 694};
    const std::pair<std::uint64_t, std::uint64_t> cases[] = {
        {0x64, 100},
        {0xc8, 200},
        {0x1f2, 498},
        {0, 100},
        {1, 100},
        {0x8000000000000000ULL, 694},
        {0xa000000000000000ULL, 100},
        {0xffffffffffffffffULL, 100},
        {0x95, 100},
        {0x96, 100},
        {0x97, 200},
        {0xf9, 200},
        {0xfa, 200},
        {0xfb, 300},
        {0x15d, 300},
        {0x15e, 399},
        {0x1c0, 399},
        {0x1c1, 498},
        {0x222, 498},
        {0x223, 498},
        {0x224, 596},
        {0x285, 596},
        {0x286, 694},
        {0x800000000000018cULL, 694},
        {0x800000000000018dULL, 694},
        {0x800000000000018eULL, 100},
    };
    for (auto [space, want] : cases)
        EXPECT_EQ(closest_swarm(ids, space), want) << std::hex << space;

    ids.push_back(~0ULL - 19);  // 2^64 - 20
    EXPECT_EQ(closest_swarm(ids, 0x27), ~0ULL - 19);
    EXPECT_EQ(closest_swarm(ids, 0x28), ~0ULL - 19);  // tie goes left (wrapping)
    EXPECT_EQ(closest_swarm(ids, 0x29), 100u);
    ids.insert(ids.begin(), 0);
    EXPECT_EQ(closest_swarm(ids, ~0ULL), 0u);
    EXPECT_EQ(closest_swarm(std::vector<std::uint64_t>{42}, 7), 42u);
}

TEST(SwarmMembers, GroupsNodesByTheChosenSwarmAndIgnoresInvalidIds) {
    std::vector<rpc::ServiceNode> nodes(5);
    const std::uint64_t ids[] = {100, 200, 200, kInvalidSwarmId, 300};
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        nodes[i].ed25519.bytes[0] = static_cast<std::uint8_t>(i);
        nodes[i].swarm_id = ids[i];
    }
    auto members = swarm_members(nodes, 190);
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(members[0].ed25519.bytes[0], 1);
    EXPECT_EQ(members[1].ed25519.bytes[0], 2);
    // 2^64-1 is the "invalid swarm" marker: a space near it goes to the nearest real swarm.
    EXPECT_EQ(swarm_members(nodes, ~0ULL - 1)[0].swarm_id, 100u);
    std::vector<rpc::ServiceNode> without(2);
    EXPECT_TRUE(swarm_members(without, 5).empty());
}

TEST(SwarmCache, ForgetsRemovedNodesEverywhere) {
    SwarmCache cache;
    rpc::ServiceNode a, b;
    a.ed25519.bytes[0] = 1;
    b.ed25519.bytes[0] = 2;
    cache.set("x", {a, b});
    cache.set("y", {b});
    cache.remove_node(b.ed25519);
    EXPECT_EQ(cache.find("x")->size(), 1u);
    EXPECT_TRUE(cache.find("y")->empty());
    EXPECT_EQ(cache.find("z"), nullptr);
    cache.forget("x");
    EXPECT_EQ(cache.find("x"), nullptr);
}

}  // namespace
}  // namespace st::net
