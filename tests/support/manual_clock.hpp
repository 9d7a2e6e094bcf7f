// Test time: a Clock moved by hand, and helpers that drive a Loop with it. No test sleeps; a
// scenario that would take 30 s of network timeouts runs in microseconds.
//
//   ManualClock clock;            // wall 2023-11-14 22:13:20 UTC (1 700 000 000 000 ms)
//   Loop loop(clock);
//   ... start something ...
//   run_until_idle(loop);          // everything ready now, without moving time
//   advance(loop, clock, 10s);     // move time, firing each timer at its due time
//   run_until(loop, clock, [&] { return done; });  // jump timer to timer until done
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "st/base/clock.hpp"
#include "st/base/loop.hpp"

namespace st::test {

class ManualClock final : public Clock {
public:
    static constexpr std::int64_t kDefaultWallMs = 1700000000000;

    explicit ManualClock(std::int64_t wall_ms = kDefaultWallMs) : wall_(wall_ms) {}

    std::chrono::milliseconds now() const override { return std::chrono::milliseconds(wall_); }
    std::chrono::milliseconds steady() const override { return std::chrono::milliseconds(steady_); }

    // Moves both clocks forward.
    void advance(std::chrono::milliseconds d) {
        wall_ += d.count();
        steady_ += d.count();
    }
    // Sets the wall clock only (a device whose clock is wrong or was changed); steady time and
    // therefore timers are unaffected.
    void set_wall(std::int64_t wall_ms) { wall_ = wall_ms; }

private:
    std::int64_t wall_;
    std::int64_t steady_ = 0;
};

// Runs the loop until nothing is ready at the current time. Returns the number of tasks run.
// Aborts the test (ADD_FAILURE + stop) after `max_tasks`, which catches a livelock.
std::size_t run_until_idle(Loop& loop, std::size_t max_tasks = 1000000);

// Moves time forward by `d`, stopping at each timer's due time to run it and what it posts.
void advance(Loop& loop, ManualClock& clock, std::chrono::milliseconds d);

// Runs ready work; when idle, jumps to the next timer; until `done()` holds or `limit` of
// simulated time has passed. Returns done().
bool run_until(Loop& loop, ManualClock& clock, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::minutes(10));

}  // namespace st::test
