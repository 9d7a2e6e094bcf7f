// The network clock offset (§7.3), the poll-state store (§7.4) and node addressing.
#include <gtest/gtest.h>

#include "st/net/addressing.hpp"
#include "st/net/network_clock.hpp"
#include "st/net/poll_state.hpp"
#include "support/manual_clock.hpp"

namespace st::net {
namespace {

using test::ManualClock;

TEST(NetworkClock, OffsetIsTheFlooredMeanOfTheLastTenSamples) {
    ManualClock local(1700000000000);
    NetworkClock clock(local);
    EXPECT_EQ(clock.offset_ms(), 0);
    EXPECT_EQ(clock.now_ms(), 1700000000000);
    clock.add_sample(1700000000000 - 1000);  // server 1 s behind us
    clock.add_sample(1700000000000 - 2001);
    EXPECT_EQ(clock.offset_ms(), 1500);  // floor(3001 / 2)
    EXPECT_EQ(clock.now_ms(), 1700000000000 - 1500);
    for (int i = 0; i < 10; ++i) clock.add_sample(1700000000000 + 7);  // pushes the old ones out
    EXPECT_EQ(clock.samples(), 10u);
    EXPECT_EQ(clock.offset_ms(), -7);
}

TEST(NetworkClock, FloorsNegativeMeans) {
    ManualClock local(1700000000000);
    NetworkClock clock(local);
    clock.add_sample(1700000000001);
    clock.add_sample(1700000000002);
    EXPECT_EQ(clock.offset_ms(), -2);  // floor(-1.5)
}

TEST(NetworkClock, IgnoresImplausibleServerTimesAndResetsOnDemand) {
    ManualClock local(1700000000000);
    NetworkClock clock(local);
    clock.add_sample(5);  // before 2021: not a server time
    EXPECT_EQ(clock.samples(), 0u);
    clock.add_sample(1700000000000 - 50);
    clock.reset(1700000000000 - 300000);
    EXPECT_EQ(clock.samples(), 1u);
    EXPECT_EQ(clock.offset_ms(), 300000);
}

TEST(MemoryPollStateStore, KeepsLastHashPerAccountNodeAndNamespace) {
    MemoryPollStateStore s;
    crypto::Ed25519PublicKey a, b;
    a.bytes[0] = 1;
    b.bytes[0] = 2;
    EXPECT_EQ(s.last_hash("acct", a, 0), "");
    s.set_last_hash("acct", a, 0, "h1");
    s.set_last_hash("acct", a, 2, "h2");
    s.set_last_hash("acct", b, 0, "h3");
    EXPECT_EQ(s.last_hash("acct", a, 0), "h1");
    EXPECT_EQ(s.last_hash("acct", a, 2), "h2");
    EXPECT_EQ(s.last_hash("acct", b, 0), "h3");
    EXPECT_EQ(s.last_hash("other", a, 0), "");
    s.forget_last_hashes();
    EXPECT_EQ(s.last_hash("acct", a, 0), "");
}

TEST(MemoryPollStateStore, ForgetsSeenHashesAfterTheirExpiry) {
    MemoryPollStateStore s;
    s.mark_seen("x", 100);
    s.mark_seen("y", 300);
    s.mark_seen("x", 50);  // an earlier expiry does not shorten
    EXPECT_TRUE(s.seen("x"));
    s.prune(200);
    EXPECT_FALSE(s.seen("x"));
    EXPECT_TRUE(s.seen("y"));
    EXPECT_EQ(s.seen_count(), 1u);
}

TEST(Addressing, DirectAndRelayUrls) {
    rpc::ServiceNode n;
    n.ip = {1, 2, 3, 4};
    n.port = 22021;
    n.ed25519.bytes[31] = 0xab;
    EXPECT_EQ(UrlTemplateAddressing::direct().onion_url(n), "https://1.2.3.4:22021/onion_req/v2");
    EXPECT_EQ(UrlTemplateAddressing::direct("http").rpc_url(n),
              "http://1.2.3.4:22021/storage_rpc/v1");
    auto relay = UrlTemplateAddressing::relay("https://relay.example/");
    EXPECT_EQ(relay.onion_url(n), "https://relay.example/relay/onion/" + n.ed25519.hex());
    EXPECT_FALSE(relay.rpc_url(n));  // the relay has no direct route
    UrlTemplateAddressing custom("x/{ed25519}/{ip}", "{port}{");
    EXPECT_EQ(custom.onion_url(n), "x/" + n.ed25519.hex() + "/1.2.3.4");
    EXPECT_EQ(*custom.rpc_url(n), "22021{");
}

}  // namespace
}  // namespace st::net
