// Page lifecycle: browsers stop requestAnimationFrame in a hidden tab, so while hidden a timer
// keeps the app's loop running (polling, sending the outbox); visibility changes reach the app
// (foreground polling rate); `pagehide` (tab closed, navigated away, frozen) flushes queued work
// to storage while the page can still run. Frames are drawn on demand: request_frame() asks for
// one animation frame, and the page's changes a frame must show (size, devicePixelRatio, window
// focus, becoming visible) are reported through `changed`.
#pragma once

#include <functional>

namespace st::wasm {

struct LifecycleHandlers {
    std::function<void()> hidden_tick;             // every `interval_ms` while hidden
    std::function<void()> wake;                    // after wake_loop() / wake_loop_in()
    std::function<void(bool visible)> visibility;  // on every change
    std::function<void()> page_hide;               // the page is going away
    std::function<void()> frame;                   // the animation frame asked for
    std::function<void()> changed;                 // resized, new devicePixelRatio, window focus
};

// Installs the listeners and the timer. One set of handlers per page.
void lifecycle_install(LifecycleHandlers handlers, int hidden_interval_ms);

// Whether the page is visible now.
bool page_visible();

// Asks for the `wake` handler to run soon, outside the animation frame (setTimeout 0): platform
// adapters call it when they queue a completion on the Loop, so network and storage latency does
// not wait for the next frame (which a slow GPU or a busy machine can delay). Coalesced.
void wake_loop();
// The same after `ms` (the Loop's next timer); replaces an earlier timed wake.
void wake_loop_in(int ms);

// Asks for the `frame` handler to run at the next animation frame (requestAnimationFrame; none
// come while the tab is hidden). Coalesced: one request per animation frame.
void request_frame();
// The same once `ms` have passed (a caret blink, a countdown); replaces an earlier timed request.
// A negative `ms` cancels it.
void request_frame_in(int ms);

}  // namespace st::wasm
