// Bounded polling for integration tests: wait for the event itself (a message is retrievable, a
// node's clock has passed an expiry, a child printed a line) instead of sleeping a fixed time,
// so a test is quick on an idle machine and still passes on a loaded one.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace devnet_test {

// Polls `done` every `interval` until it returns true or `limit` has passed; returns whether it
// became true. `done` is always tried at least once, and once more after the limit.
inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds{30},
                       std::chrono::milliseconds interval = std::chrono::milliseconds{50}) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return done();
        std::this_thread::sleep_for(interval);
    }
}

}  // namespace devnet_test
