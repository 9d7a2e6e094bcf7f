// AppHost: what the browser host needs from "the app" each frame. The product implements it with
// st::app::Client (client_host.cpp); a fixture driver (dev/fixture_host.cpp) implements it with
// canned data to look at the screens without a network. main.cpp and frame.cpp see only this.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "st/app/intent.hpp"
#include "st/app/view.hpp"

namespace st::wasm {

class AppHost {
public:
    virtual ~AppHost() = default;

    // Begins work (reading storage, connecting). Called once, before the first frame.
    virtual void start() = 0;
    // Runs ready tasks and due timers of the app's Loop for at most `budget`; returns how many.
    virtual std::size_t pump(std::chrono::milliseconds budget) = 0;
    // This frame's snapshot; valid until the next pump() or dispatch().
    virtual const app::AppView& view() = 0;
    virtual void dispatch(app::Intent intent) = 0;
    // The tab became visible (true) or hidden (false).
    virtual void set_foreground(bool foreground) = 0;
    // The page is going away (pagehide): hand everything queued to storage now.
    virtual void flush() = 0;
    // Wall-clock milliseconds since the Unix epoch, as the app sees them.
    virtual std::int64_t now_ms() const = 0;
    // When the app's loop next has a timer due (nullopt: none), so the host can run it on time
    // even if no frame comes (slow GPU, hidden tab).
    virtual std::optional<std::chrono::milliseconds> next_timer_in() const { return std::nullopt; }
    // The person did something (key, click, touch, wheel) — kiosk mode's idle time restarts.
    virtual void note_input() {}
};

// The app this executable was linked with (client_host.cpp or dev/fixture_host.cpp).
std::unique_ptr<AppHost> make_app_host();

}  // namespace st::wasm
