// One frame of the browser app, in the order of architecture.md §6: the app's loop (bounded),
// the ImGui frame, draw_app, the intents dispatched, render.
#pragma once

#include <chrono>

#include "app_host.hpp"
#include "imgui_host.hpp"
#include "st/app/intent.hpp"
#include "st/ui/ui.hpp"

namespace st::wasm {

// How long the app's loop may run per frame before the frame is drawn (~half a 60 Hz frame).
inline constexpr std::chrono::milliseconds kPumpBudget{8};

struct Frame {
    AppHost& app;
    ImGuiHost& imgui;
    ui::UiState& ui;
    app::IntentSink& sink;
    std::uint64_t count = 0;  // frames drawn
};

// Returns true if a frame was drawn (false while the host waits for its font).
bool run_frame(Frame& frame);

}  // namespace st::wasm
