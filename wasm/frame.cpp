#include "frame.hpp"

#include <algorithm>
#include <optional>

#include "platform/clipboard.hpp"
#include "platform/lifecycle.hpp"
#include "platform/text_input.hpp"
#include "st/ui/ui.hpp"

namespace st::wasm {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kMsPerDay = 86'400'000;

bool view_changed(Frame& frame) {
    const app::AppView& view = frame.app.view();
    return &view != frame.drawn_view || view.version != frame.drawn_version;
}

// One ImGui frame: input batch (if `take_input`), draw_app, intents. Returns whether intents were
// dispatched.
bool imgui_frame(Frame& frame, bool take_input) {
    frame.imgui.begin_frame(frame.ui, take_input);
    frame.ui.clock.now_ms = frame.app.now_ms();
    frame.ui.clock.utc_offset_minutes = frame.imgui.utc_offset_minutes();
    const app::AppView& view = frame.app.view();
    frame.drawn_view = &view;
    frame.drawn_version = view.version;
    if (view.kiosk.sessions_ended != frame.kiosk_sessions_seen) {
        // A kiosk session ended (docs/kiosk.md): the page forgets what it held for the person too
        // (draw_app does the same for the UI's own fields).
        frame.kiosk_sessions_seen = view.kiosk.sessions_ended;
        clipboard_forget();
        text_input_clear();
    }
    ui::draw_app(view, frame.ui, frame.sink);
    ++frame.imgui_frames;
    // Intents go to the app after the frame, so the view drawn stayed one consistent snapshot.
    bool dispatched = false;
    for (app::Intent& intent : frame.sink.take()) {
        frame.app.dispatch(std::move(intent));
        dispatched = true;
    }
    return dispatched;
}

// When the picture changes with no event: the caret's next blink, a "Copied" label running out,
// dates ("Today", "Yesterday") at local midnight. Milliseconds from now.
std::optional<std::int64_t> next_timed_change(const Frame& frame) {
    std::optional<std::int64_t> next;
    const auto sooner = [&next](std::int64_t ms) { next = next ? std::min(*next, ms) : ms; };
    if (const auto blink = frame.imgui.caret_blink_in()) {
        sooner(static_cast<std::int64_t>(*blink * 1000.0) + 1);
    }
    const ui::FrameContext& clock = frame.ui.clock;
    if (!frame.ui.copied_what.empty()) {
        const std::int64_t left = frame.ui.copied_at_ms + ui::kCopiedFeedbackMs - clock.now_ms;
        if (left >= 0) sooner(left + 1);
    }
    // A disappearing message's countdown label changes (the screens say when: UiState).
    if (frame.ui.redraw_at_ms > 0) sooner(std::max<std::int64_t>(frame.ui.redraw_at_ms - clock.now_ms, 0) + 1);
    const std::int64_t local = clock.now_ms + std::int64_t{clock.utc_offset_minutes} * 60'000;
    sooner(kMsPerDay - ((local % kMsPerDay) + kMsPerDay) % kMsPerDay + 1);
    return next;
}

}  // namespace

void want_frames(Frame& frame) {
    frame.wanted = std::max(frame.wanted, kSettleFrames);
    request_frame();
}

void after_pump(Frame& frame) {
    if (view_changed(frame)) want_frames(frame);
}

bool animation_frame(Frame& frame) {
    frame.app.pump(kPumpBudget);
    if (view_changed(frame)) frame.wanted = std::max(frame.wanted, kSettleFrames);
    const bool timed = frame.redraw_at != Clock::time_point{} && Clock::now() >= frame.redraw_at;
    if (frame.wanted == 0 && !timed && !frame.imgui.has_input()) return false;
    if (frame.imgui.has_input()) frame.app.note_input();
    if (!frame.imgui.ready()) return false;  // the font's arrival asks again
    frame.redraw_at = {};

    int run = 0;
    int follow_ups = 0;  // consecutive frames without input while the UI settles
    for (;;) {
        const bool dispatched = imgui_frame(frame, follow_ups == 0);
        ++run;
        // What one frame started (a new view after an intent, the composer asking for the
        // keyboard, a focus request ImGui resolves a frame later) is settled before the next input
        // is handed over, as it would be between a person's keystrokes; otherwise a click right
        // after Enter could land while the composer takes the keyboard back, and be lost.
        const bool unsettled = dispatched || view_changed(frame) || frame.ui.focus_composer ||
                               frame.imgui.imgui_settling();
        follow_ups = unsettled && follow_ups < kFollowUpImGuiFrames ? follow_ups + 1 : 0;
        const bool more = follow_ups > 0 || frame.imgui.has_input();
        if (!more || run >= kMaxImGuiFramesPerDraw) break;
        frame.imgui.end_frame_unrendered();
    }
    const bool rendered = frame.imgui.end_frame();
    if (rendered) ++frame.count;
    frame.wanted = std::max(frame.wanted - 1, 0);

    // Frames that must follow without a new event.
    if (frame.imgui.has_input() || view_changed(frame)) {
        frame.wanted = std::max(frame.wanted, kSettleFrames);
    } else if (frame.imgui.input_held() || frame.imgui.text_focus_pending() ||
               frame.ui.messages.background_next > 0) {
        // Held keys repeat and drags move; the textarea lets the keyboard go only after a few
        // frames; the message list measures heights a bounded number per frame.
        frame.wanted = std::max(frame.wanted, 1);
    }
    if (frame.wanted > 0) {
        request_frame();
    } else if (const auto in = next_timed_change(frame)) {
        frame.redraw_at = Clock::now() + std::chrono::milliseconds(*in);
        request_frame_in(static_cast<int>(std::min<std::int64_t>(*in, kMsPerDay)));
    } else {
        request_frame_in(-1);
    }
    return rendered;
}

bool settled(Frame& frame) {
    return frame.wanted == 0 && !frame.imgui.has_input() && !view_changed(frame);
}

}  // namespace st::wasm
