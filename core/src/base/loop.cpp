#include "st/base/loop.hpp"

#include <algorithm>

namespace st {

void Loop::post(std::function<void()> task) { posted_.push_back(std::move(task)); }

TimerId Loop::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
    const TimerId id = next_id_++;
    const std::int64_t due = clock_.steady().count() + std::max<std::int64_t>(0, delay.count());
    timers_.emplace(Key{due, id}, std::move(task));
    due_of_.emplace(id, due);
    return id;
}

void Loop::cancel(TimerId id) {
    auto it = due_of_.find(id);
    if (it == due_of_.end()) return;
    timers_.erase(Key{it->second, id});
    due_of_.erase(it);
}

std::size_t Loop::run_ready(std::size_t max_tasks) {
    std::size_t ran = 0;
    // Posted tasks: only those queued before this call (a task may post more).
    for (std::size_t n = posted_.size(); n > 0 && ran < max_tasks; --n) {
        auto task = std::move(posted_.front());
        posted_.pop_front();
        task();
        ++ran;
    }
    // Timers due now. One created while running has a due time >= now and a larger id than
    // every older timer, so it sorts after them and waits for the next call.
    const std::int64_t now = clock_.steady().count();
    const TimerId last_id = next_id_;
    while (ran < max_tasks && !timers_.empty()) {
        auto it = timers_.begin();
        if (it->first.first > now || it->first.second >= last_id) break;
        auto task = std::move(it->second);
        due_of_.erase(it->first.second);
        timers_.erase(it);
        task();
        ++ran;
    }
    return ran;
}

std::optional<std::chrono::milliseconds> Loop::next_timer_in() const {
    if (timers_.empty()) return std::nullopt;
    const std::int64_t wait = timers_.begin()->first.first - clock_.steady().count();
    return std::chrono::milliseconds(std::max<std::int64_t>(0, wait));
}

}  // namespace st
