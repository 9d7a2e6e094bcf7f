// The browser entry point: wires the app (AppHost), ImGui on the canvas, the page lifecycle and
// the test hook. Frames are drawn on demand (frame.hpp): input, the app's view changing, the
// page's size or focus changing ask for an animation frame; an idle page draws nothing.
#include <emscripten.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "app_host.hpp"
#include "frame.hpp"
#include "imgui_host.hpp"
#include "platform/lifecycle.hpp"
#include "platform/test_hook.hpp"
#include "st/ui/view_json.hpp"

namespace {

using namespace st::wasm;

// How often the app's loop runs while the tab is hidden (browsers may stretch it to ~1 s).
constexpr int kHiddenTickMs = 250;

struct Page {
    std::unique_ptr<AppHost> app = make_app_host();
    ImGuiHost imgui;
    st::ui::UiState ui;
    st::app::IntentSink sink;
    Frame frame{*app, imgui, ui, sink};
    // CPU time of the last frames (app loop + UI + GL calls), for the test hook.
    std::array<double, 120> frame_ms{};
    std::size_t frame_ms_count = 0;
    // Start marks (performance.mark) already set.
    bool marked_first_frame = false;
    bool marked_interactive = false;
};

Page* g_page = nullptr;

// clang-format off
EM_JS(void, st_js_fatal, (const char* message), {
    var box = document.getElementById('loading');
    if (box) { box.textContent = UTF8ToString(message); box.className = 'failed'; }
});
// Start marks for measuring (tests/e2e/start_time.mjs reads them with
// performance.getEntriesByName): "st:first-frame" when the first frame is on the canvas (the
// shell, with the UI font), "st:interactive" when the first frame showing the real UI is (the
// stored state read: no longer view().loading). Both are times since navigation start.
EM_JS(void, st_js_mark, (const char* name), {
    if (typeof performance === 'object' && performance.mark) performance.mark(UTF8ToString(name));
});
// clang-format on

// After the app's loop ran, make sure it runs again when its next timer is due, frame or not.
void schedule_next_wake() {
    if (const auto due = g_page->app->next_timer_in()) {
        wake_loop_in(static_cast<int>(std::min<std::int64_t>(due->count(), 60'000)));
    }
}

// Runs the app's loop outside a frame (a completion arrived, a timer is due, the tab is hidden);
// a frame follows if that changed the view.
void pump_between_frames() {
    g_page->app->pump(kPumpBudget);
    schedule_next_wake();
    after_pump(g_page->frame);
}

void on_animation_frame() {
    const double start = emscripten_get_now();
    const bool drawn = animation_frame(g_page->frame);
    schedule_next_wake();
    if (!drawn) return;
    Page& page = *g_page;
    page.frame_ms[page.frame_ms_count++ % page.frame_ms.size()] = emscripten_get_now() - start;
    if (!page.marked_first_frame) {
        page.marked_first_frame = true;
        st_js_mark("st:first-frame");
    }
    if (!page.marked_interactive && !page.app->view().loading) {
        page.marked_interactive = true;
        st_js_mark("st:interactive");
    }
    test_hook_frame_drawn();
}

}  // namespace

int main() {
    g_page = new Page();  // lives as long as the page
    Page& page = *g_page;
    if (!page.imgui.init([] { want_frames(g_page->frame); })) {
        st_js_fatal("Session Tab needs WebGL 2, which this browser did not provide.");
        return 1;
    }
    lifecycle_install(
        LifecycleHandlers{
            .hidden_tick = pump_between_frames,
            .wake = pump_between_frames,
            .visibility =
                [](bool visible) {
                    g_page->app->set_foreground(visible);
                    if (visible) want_frames(g_page->frame);
                    // A hidden tab may be killed without a pagehide (mobile browsers, tab
                    // discarding): hand queued writes to IndexedDB now (docs/storage.md).
                    else g_page->app->flush();
                },
            .page_hide = [] { g_page->app->flush(); },
            .frame = on_animation_frame,
            .changed = [] { want_frames(g_page->frame); },
        },
        kHiddenTickMs);
    test_hook_install(TestHookSources{
        .state_json = [](std::size_t max) { return st::ui::view_to_json(g_page->app->view(), max); },
        .rects_json = [] { return st::ui::rects_to_json(g_page->ui, g_page->ui.scale); },
        .frames = [] { return g_page->frame.count; },
        .imgui_frames = [] { return g_page->frame.imgui_frames; },
        .settled = [] { return settled(g_page->frame); },
        .frame_ms =
            [] {
                const Page& page = *g_page;
                const std::size_t n = std::min(page.frame_ms_count, page.frame_ms.size());
                std::vector<double> recent(page.frame_ms.begin(), page.frame_ms.begin() + n);
                std::sort(recent.begin(), recent.end());
                return FrameTimes{n ? recent[n / 2] : 0, n ? recent[n * 95 / 100] : 0,
                                  n ? recent.back() : 0};
            },
    });
    page.app->start();
    page.app->set_foreground(page_visible());
    schedule_next_wake();
    // The first frame (drawn once the font is there). main returns; the runtime stays alive for
    // the callbacks.
    want_frames(page.frame);
    return 0;
}
