// The Loop's contract (architecture.md §4): FIFO tasks, timers by due time, cancellation, and
// run_ready() never running work queued while it runs.
#include "st/base/loop.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/manual_clock.hpp"

namespace st {
namespace {

using namespace std::chrono_literals;
using test::ManualClock;

TEST(Loop, RunsPostedTasksInOrderOnlyWhenPumped) {
    ManualClock clock;
    Loop loop(clock);
    std::string log;
    loop.post([&] { log += 'a'; });
    loop.post([&] { log += 'b'; });
    EXPECT_EQ(log, "");
    EXPECT_TRUE(loop.has_ready());
    EXPECT_EQ(loop.run_ready(), 2u);
    EXPECT_EQ(log, "ab");
    EXPECT_FALSE(loop.has_ready());
}

TEST(Loop, TaskPostedWhileRunningWaitsForTheNextCall) {
    ManualClock clock;
    Loop loop(clock);
    int runs = 0;
    std::function<void()> again = [&] {
        ++runs;
        loop.post(again);
    };
    loop.post(again);
    EXPECT_EQ(loop.run_ready(), 1u);
    EXPECT_EQ(loop.run_ready(), 1u);
    EXPECT_EQ(runs, 2);
}

TEST(Loop, TimersRunAtTheirDueTimeInDueOrder) {
    ManualClock clock;
    Loop loop(clock);
    std::vector<int> order;
    loop.post_after(30ms, [&] { order.push_back(30); });
    loop.post_after(10ms, [&] { order.push_back(10); });
    loop.post_after(10ms, [&] { order.push_back(11); });  // same instant: creation order
    EXPECT_EQ(loop.run_ready(), 0u);
    ASSERT_TRUE(loop.next_timer_in());
    EXPECT_EQ(*loop.next_timer_in(), 10ms);
    clock.advance(9ms);
    EXPECT_EQ(loop.run_ready(), 0u);
    clock.advance(1ms);
    EXPECT_EQ(loop.run_ready(), 2u);
    clock.advance(100ms);
    EXPECT_EQ(loop.run_ready(), 1u);
    EXPECT_EQ(order, (std::vector<int>{10, 11, 30}));
    EXPECT_FALSE(loop.next_timer_in());
}

TEST(Loop, CancelledTimerNeverRuns) {
    ManualClock clock;
    Loop loop(clock);
    bool ran = false;
    auto id = loop.post_after(5ms, [&] { ran = true; });
    loop.cancel(id);
    loop.cancel(id);    // twice is harmless
    loop.cancel(9999);  // unknown too
    clock.advance(10ms);
    EXPECT_EQ(loop.run_ready(), 0u);
    EXPECT_FALSE(ran);
    EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST(Loop, ZeroDelayTimerCreatedByATimerWaitsForTheNextCall) {
    ManualClock clock;
    Loop loop(clock);
    int runs = 0;
    std::function<void()> rearm = [&] {
        ++runs;
        loop.post_after(0ms, rearm);
    };
    loop.post_after(0ms, rearm);
    EXPECT_EQ(loop.run_ready(), 1u);
    EXPECT_EQ(loop.run_ready(), 1u);
    EXPECT_EQ(runs, 2);
}

TEST(Loop, TimerCancelledByAnEarlierTaskOfTheSameRunDoesNotRun) {
    ManualClock clock;
    Loop loop(clock);
    bool second = false;
    TimerId later = 0;
    loop.post_after(1ms, [&] { loop.cancel(later); });
    later = loop.post_after(1ms, [&] { second = true; });
    clock.advance(1ms);
    loop.run_ready();
    EXPECT_FALSE(second);
}

TEST(Loop, MaxTasksBoundsOneCall) {
    ManualClock clock;
    Loop loop(clock);
    int runs = 0;
    for (int i = 0; i < 5; ++i) loop.post([&] { ++runs; });
    EXPECT_EQ(loop.run_ready(2), 2u);
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(loop.run_ready(), 3u);
}

TEST(Loop, NegativeDelayCountsAsNow) {
    ManualClock clock;
    Loop loop(clock);
    bool ran = false;
    loop.post_after(-5ms, [&] { ran = true; });
    EXPECT_EQ(*loop.next_timer_in(), 0ms);
    loop.run_ready();
    EXPECT_TRUE(ran);
}

TEST(Loop, WallClockChangesDoNotMoveTimers) {
    ManualClock clock;
    Loop loop(clock);
    bool ran = false;
    loop.post_after(1000ms, [&] { ran = true; });
    clock.set_wall(clock.now_ms() + 3600 * 1000);  // the user changed the time
    loop.run_ready();
    EXPECT_FALSE(ran);
}

TEST(SystemClock, WallClockIsAfter2023AndSteadyMovesForward) {
    SystemClock clock;
    EXPECT_GT(clock.now_ms(), 1700000000000);
    auto a = clock.steady();
    auto b = clock.steady();
    EXPECT_LE(a, b);
}

TEST(ManualClockDriver, AdvanceFiresTimersAtTheirDueTimes) {
    ManualClock clock;
    Loop loop(clock);
    std::vector<std::int64_t> fired_at;
    const auto t0 = clock.steady();
    loop.post_after(10ms, [&] {
        fired_at.push_back((clock.steady() - t0).count());
        loop.post_after(5ms, [&] { fired_at.push_back((clock.steady() - t0).count()); });
    });
    test::advance(loop, clock, 100ms);
    EXPECT_EQ(fired_at, (std::vector<std::int64_t>{10, 15}));
    EXPECT_EQ((clock.steady() - t0).count(), 100);
}

}  // namespace
}  // namespace st
