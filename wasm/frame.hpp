// The page's frames, drawn on demand. An animation frame runs in the order of architecture.md §6:
// the app's loop (bounded), then ImGui frames with draw_app and the intents dispatched after each,
// then render. Frames are drawn only when something changed (the Dear ImGui wiki, "Implementing
// Power Save, aka Idling outside of ImGui"; hello_imgui's fpsIdle): input, a new view from the
// app, a size or devicePixelRatio change, the font arriving, and a few frames after each of those
// so ImGui can settle hover, popups and focus changes. While a key or mouse button is held (key
// repeat, drags) frames keep coming; a blinking caret or a time-limited label asks for one frame
// when it changes. An idle page draws nothing and runs nothing but the app's own timers.
//
// ImGui 1.86 reads input as one state per frame. So that no input is lost or reordered, and all
// input that arrived before an animation frame is handled in it, that animation frame runs as many
// ImGui frames as the queued input needs (ImGuiHost::take_input_batch gives each what ImGui can
// take at once) and renders only the last — and only if its picture differs from the one on the
// canvas (ImGuiHost::end_frame).
#pragma once

#include <chrono>
#include <cstdint>

#include "app_host.hpp"
#include "imgui_host.hpp"
#include "st/app/intent.hpp"
#include "st/ui/ui.hpp"

namespace st::wasm {

// How long the app's loop may run per frame before the frame is drawn (~half a 60 Hz frame).
inline constexpr std::chrono::milliseconds kPumpBudget{8};
// Frames drawn after each change (ImGui needs 2–3 to settle hover, popups and focus requests).
inline constexpr int kSettleFrames = 3;
// ImGui frames at most in one animation frame (a run of typed text takes one; each key press,
// click or key release after text another). Input beyond it waits for the next animation frame.
inline constexpr int kMaxImGuiFramesPerDraw = 256;
// ImGui frames without input, at most, after a frame that started something: an intent's new view
// drawn, a focus request resolved (ImGui 1.86 applies SetKeyboardFocusHere a frame later). The
// next input (or the render) waits for them, so each event meets the UI the previous ones left and
// the frame shown — and the text field that gets the keyboard — are current.
inline constexpr int kFollowUpImGuiFrames = 4;

struct Frame {
    AppHost& app;
    ImGuiHost& imgui;
    ui::UiState& ui;
    app::IntentSink& sink;
    std::uint64_t count = 0;         // frames rendered to the canvas
    std::uint64_t imgui_frames = 0;  // ImGui frames run (one or more per animation frame)
    int wanted = 0;                  // frames still to draw after the last change
    // The view the last drawn frame showed, to notice when the app changes it.
    const app::AppView* drawn_view = nullptr;
    std::uint64_t drawn_version = 0;
    std::chrono::steady_clock::time_point redraw_at{};  // a timed redraw; epoch: none
    std::uint64_t kiosk_sessions_seen = 0;  // AppView::kiosk.sessions_ended last handled
};

// Something changed that a frame should show (input, size, font, window focus, visibility):
// asks for an animation frame and kSettleFrames after it.
void want_frames(Frame& frame);
// After the app's loop ran between frames: asks for frames if the app's view changed.
void after_pump(Frame& frame);
// The animation frame: runs the app's loop and, if anything changed, runs ImGui. Returns true if a
// frame was rendered (false when nothing changed, the picture stayed the same, or the font is not
// there yet).
bool animation_frame(Frame& frame);
// Nothing left to draw: no input queued, no frame wanted, the view drawn is current. (A timed
// redraw such as the caret's next blink does not count.) For tests: the page has caught up.
bool settled(Frame& frame);

}  // namespace st::wasm
