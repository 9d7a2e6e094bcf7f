// The core's only scheduler (architecture.md rule 3): one thread, tasks and timers queued here and
// run when the host calls run_ready() (once per frame, and from a timer while the tab is hidden).
// Every asynchronous callback of the core is delivered through a Loop, never inline from the call
// that started the work, so a caller's state is always consistent when its callback runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "st/base/clock.hpp"

namespace st {

using TimerId = std::uint64_t;

class Loop {
public:
    // Timers are measured on clock.steady(); the Loop keeps a reference (the clock outlives it).
    explicit Loop(const Clock& clock) : clock_(clock) {}
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    // Runs `task` on the next run_ready() call, after the tasks posted before it (FIFO).
    void post(std::function<void()> task);

    // Runs `task` on the first run_ready() call at or after now + delay (steady clock). Timers due
    // at the same instant run in the order they were created. A negative delay counts as 0.
    TimerId post_after(std::chrono::milliseconds delay, std::function<void()> task);

    // Forgets a timer that has not run yet; unknown or already-run ids are ignored.
    void cancel(TimerId id);

    // Runs what is ready now: the tasks posted before this call, then the timers due at the time of
    // the call (in due order). Work queued while running waits for the next call, so a task that
    // re-posts itself cannot keep run_ready from returning. Stops early after `max_tasks`.
    // Returns the number of tasks run.
    std::size_t run_ready(std::size_t max_tasks = std::numeric_limits<std::size_t>::max());

    // True when a posted task is waiting (timers not counted).
    bool has_ready() const { return !posted_.empty(); }
    // Time until the earliest timer is due (0 if overdue); nullopt without timers. Lets a host
    // sleep exactly as long as it may.
    std::optional<std::chrono::milliseconds> next_timer_in() const;
    std::size_t pending_timers() const { return timers_.size(); }

    const Clock& clock() const { return clock_; }

private:
    using Key = std::pair<std::int64_t, TimerId>;  // (due steady ms, id): ordered by due, then age

    const Clock& clock_;
    std::deque<std::function<void()>> posted_;
    std::map<Key, std::function<void()>> timers_;
    std::unordered_map<TimerId, std::int64_t> due_of_;
    TimerId next_id_ = 1;
};

}  // namespace st
