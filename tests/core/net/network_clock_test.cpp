// NetworkClock samples are taken at the request's midpoint (send + round trip / 2): a server's
// "t" is written while it handles the request, not when a (possibly starved) tab reads the answer.
#include "st/net/network_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "support/manual_clock.hpp"

namespace st::net {
namespace {

using namespace std::chrono_literals;
using test::ManualClock;

constexpr std::int64_t kT0 = 1700000000000;

TEST(NetworkClockMidpoint, SlowRoundTripWithServerInSyncGivesNoOffset) {
    ManualClock local(kT0);
    NetworkClock clock(local);
    const std::int64_t sent = clock.local_ms();
    local.advance(3s);
    const std::int64_t server_t = local.now_ms();  // the server handles it 3 s in, in sync with us
    local.advance(3s);                             // and the answer is read 6 s after sending
    clock.add_sample(server_t, sent);
    EXPECT_EQ(clock.offset_ms(), 0);  // dating the sample at the answer would have said 3000
    EXPECT_EQ(clock.now_ms(), local.now_ms());
}

TEST(NetworkClockMidpoint, ASkewIsMeasuredFromTheMidpoint) {
    ManualClock local(kT0);
    NetworkClock clock(local);
    const std::int64_t sent = clock.local_ms();
    local.advance(1000ms);
    const std::int64_t server_t = local.now_ms() - 2500;  // the network is 2.5 s behind us
    local.advance(1000ms);
    clock.add_sample(server_t, sent);
    EXPECT_EQ(clock.offset_ms(), 2500);
}

TEST(NetworkClockMidpoint, OddRoundTripsRoundTheMidpointDown) {
    ManualClock local(kT0);
    NetworkClock clock(local);
    const std::int64_t sent = clock.local_ms();
    local.advance(5ms);
    EXPECT_EQ(clock.midpoint_ms(sent), kT0 + 2);
}

TEST(NetworkClockMidpoint, ASendTimeInTheFutureCountsAsNow) {
    // The device clock stepped back during the request: no midpoint after "now".
    ManualClock local(kT0);
    NetworkClock clock(local);
    clock.add_sample(kT0 - 100, kT0 + 10000);
    EXPECT_EQ(clock.offset_ms(), 100);
}

TEST(NetworkClockMidpoint, ResetUsesTheMidpointToo) {
    ManualClock local(kT0);
    NetworkClock clock(local);
    clock.add_sample(kT0 - 9000);  // an old, wrong sample that reset must forget
    const std::int64_t sent = clock.local_ms();
    local.advance(4s);
    clock.reset(kT0 + 2000, sent);  // server time at our midpoint (kT0 + 2 s): in sync
    EXPECT_EQ(clock.samples(), 1u);
    EXPECT_EQ(clock.offset_ms(), 0);
}

TEST(NetworkClockMidpoint, ImplausibleServerTimesAreStillIgnored) {
    ManualClock local(kT0);
    NetworkClock clock(local);
    clock.add_sample(5, kT0);
    EXPECT_EQ(clock.samples(), 0u);
}

}  // namespace
}  // namespace st::net
