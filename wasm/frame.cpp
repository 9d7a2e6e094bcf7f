#include "frame.hpp"

#include "st/ui/ui.hpp"

namespace st::wasm {

bool run_frame(Frame& frame) {
    frame.app.pump(kPumpBudget);
    if (!frame.imgui.begin_frame(frame.ui)) return false;
    frame.ui.clock.now_ms = frame.app.now_ms();
    frame.ui.clock.utc_offset_minutes = frame.imgui.utc_offset_minutes();
    ui::draw_app(frame.app.view(), frame.ui, frame.sink);
    // Intents go to the app after the frame, so the view drawn stayed one consistent snapshot.
    for (app::Intent& intent : frame.sink.take()) frame.app.dispatch(std::move(intent));
    frame.imgui.end_frame();
    ++frame.count;
    return true;
}

}  // namespace st::wasm
