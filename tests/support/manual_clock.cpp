#include "manual_clock.hpp"

#include <gtest/gtest.h>

namespace st::test {

std::size_t run_until_idle(Loop& loop, std::size_t max_tasks) {
    std::size_t total = 0;
    while (true) {
        const std::size_t ran = loop.run_ready();
        total += ran;
        if (ran == 0) break;
        if (total > max_tasks) {
            ADD_FAILURE() << "the loop never became idle (" << total << " tasks): a livelock?";
            break;
        }
    }
    return total;
}

void advance(Loop& loop, ManualClock& clock, std::chrono::milliseconds d) {
    run_until_idle(loop);
    auto left = d;
    while (true) {
        auto next = loop.next_timer_in();
        if (!next || *next > left) break;
        clock.advance(*next);
        left -= *next;
        run_until_idle(loop);
    }
    clock.advance(left);
    run_until_idle(loop);
}

bool run_until(Loop& loop, ManualClock& clock, const std::function<bool()>& done,
               std::chrono::milliseconds limit) {
    auto left = limit;
    run_until_idle(loop);
    while (!done()) {
        auto next = loop.next_timer_in();
        if (!next || *next > left) return done();
        clock.advance(*next);
        left -= *next;
        run_until_idle(loop);
    }
    return true;
}

}  // namespace st::test
