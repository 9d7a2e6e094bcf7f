// Time as the core sees it, injected by the host (architecture.md §4) so that tests can move it by
// hand. Two readings: the wall clock (Unix epoch, for message and signature timestamps) and a
// monotonic clock (for timers and timeouts, which must not jump when the user changes the time).
#pragma once

#include <chrono>
#include <cstdint>

namespace st {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch, as the local device believes (no network offset: see
    // st::net::NetworkClock for the network-adjusted time of protocol.md §7.3).
    virtual std::chrono::milliseconds now() const = 0;
    // Milliseconds on a clock that only moves forward; its origin is meaningless.
    virtual std::chrono::milliseconds steady() const = 0;

    std::int64_t now_ms() const { return now().count(); }
};

// The real clocks, through std::chrono only (no threads, no platform calls): works natively and in
// wasm, where Emscripten maps both to the JavaScript clocks.
class SystemClock final : public Clock {
public:
    std::chrono::milliseconds now() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
    }
    std::chrono::milliseconds steady() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    }
};

}  // namespace st
