#include "platform/test_hook.hpp"

#include <emscripten.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

extern "C" {
// platform/test_hook.js
void st_test_hook_install();
void st_test_hook_first_frame();
}

namespace st::wasm {
namespace {

TestHookSources g_sources;
bool g_first_frame_seen = false;

char* to_malloc(const std::string& s) {
    auto* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out != nullptr) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

}  // namespace

void test_hook_install(TestHookSources sources) {
    g_sources = std::move(sources);
    st_test_hook_install();
}

void test_hook_frame_drawn() {
    if (g_first_frame_seen) return;
    g_first_frame_seen = true;
    st_test_hook_first_frame();
}

}  // namespace st::wasm

extern "C" {

// Each returns a malloc'd, NUL-terminated UTF-8 string the JS side frees.
EMSCRIPTEN_KEEPALIVE char* st_test_state_json(int max_messages) {
    auto& sources = st::wasm::g_sources;
    if (!sources.state_json) return st::wasm::to_malloc("null");
    return st::wasm::to_malloc(sources.state_json(max_messages < 0 ? 0 : static_cast<std::size_t>(max_messages)));
}

EMSCRIPTEN_KEEPALIVE char* st_test_rects_json() {
    auto& sources = st::wasm::g_sources;
    return st::wasm::to_malloc(sources.rects_json ? sources.rects_json() : "[]");
}

EMSCRIPTEN_KEEPALIVE char* st_test_frame_ms() {
    auto& sources = st::wasm::g_sources;
    const st::wasm::FrameTimes t = sources.frame_ms ? sources.frame_ms() : st::wasm::FrameTimes{};
    char out[128];
    std::snprintf(out, sizeof out, "{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f}", t.median, t.p95,
                  t.max);
    return st::wasm::to_malloc(out);
}

EMSCRIPTEN_KEEPALIVE double st_test_frames() {
    auto& sources = st::wasm::g_sources;
    return sources.frames ? static_cast<double>(sources.frames()) : 0.0;
}

EMSCRIPTEN_KEEPALIVE double st_test_imgui_frames() {
    auto& sources = st::wasm::g_sources;
    return sources.imgui_frames ? static_cast<double>(sources.imgui_frames()) : 0.0;
}

EMSCRIPTEN_KEEPALIVE int st_test_settled() {
    auto& sources = st::wasm::g_sources;
    return sources.settled && sources.settled() ? 1 : 0;
}

}  // extern "C"
