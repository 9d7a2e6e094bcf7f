// window.sessionTab: the small JS test hook end-to-end tests use to act like a person (issue 6).
//   sessionTab.state(max?)  the AppView as a JSON object (st/ui/view_json.hpp; newest `max`
//                           messages of the open conversation, default 1000)
//   sessionTab.rects()      [{name, x, y, w, h}] of the named widgets drawn in the last frame, in
//                           CSS pixels relative to the page, so Playwright can click their centre
//   sessionTab.rect(name)   one of them, or null
//   sessionTab.frames()     frames drawn so far. Frames are drawn on demand: an idle page draws
//                           none, so wait for settled() rather than for a number of frames
//   sessionTab.imguiFrames() ImGui frames run so far (several per drawn frame while input queues)
//   sessionTab.settled()    the page has drawn everything it had to: no input queued, no frame
//                           wanted, the app's view drawn is current
//   sessionTab.frameMs()    {median, p95, max} CPU ms of the last 120 frames (app loop, UI, GL calls)
//   sessionTab.firstFrameMs performance.now() at the first drawn frame (navigation → interactive)
//   sessionTab.memory()     {wasm: bytes of wasm memory, jsHeap / jsHeapTotal: used / total JS
//                           heap bytes (Chromium's performance.memory) or null}
//   sessionTab.fetchLog(t)  timings of the last 256 fetch() requests started at or after t (ms
//                           since the epoch): path, start, end, status, sizes, the relay's
//                           X-Relay-Error if any; never bodies
// The hook reads; it never changes the app's state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace st::wasm {

struct FrameTimes {
    double median = 0, p95 = 0, max = 0;
};

struct TestHookSources {
    std::function<std::string(std::size_t max_messages)> state_json;
    std::function<std::string()> rects_json;
    std::function<std::uint64_t()> frames;
    std::function<std::uint64_t()> imgui_frames;
    std::function<bool()> settled;
    std::function<FrameTimes()> frame_ms;
};

void test_hook_install(TestHookSources sources);
// Records the time of the first drawn frame (call after each frame; only the first counts).
void test_hook_frame_drawn();

}  // namespace st::wasm
