#include "platform/lifecycle.hpp"

#include <emscripten.h>

#include <utility>

extern "C" {
// platform/lifecycle.js
void st_lifecycle_install(int hidden_interval_ms);
int st_lifecycle_visible();
void st_lifecycle_wake(int delay_ms);
void st_lifecycle_request_frame(int delay_ms);
}

namespace st::wasm {
namespace {
LifecycleHandlers g_handlers;
}

void lifecycle_install(LifecycleHandlers handlers, int hidden_interval_ms) {
    g_handlers = std::move(handlers);
    st_lifecycle_install(hidden_interval_ms);
}

bool page_visible() { return st_lifecycle_visible() != 0; }

void wake_loop() { st_lifecycle_wake(0); }
void wake_loop_in(int ms) { st_lifecycle_wake(ms < 0 ? 0 : ms); }

void request_frame() { st_lifecycle_request_frame(0); }
void request_frame_in(int ms) { st_lifecycle_request_frame(ms < 0 ? -1 : ms); }

}  // namespace st::wasm

extern "C" {

EMSCRIPTEN_KEEPALIVE void st_lifecycle_hidden_tick() {
    if (st::wasm::g_handlers.hidden_tick) st::wasm::g_handlers.hidden_tick();
}

EMSCRIPTEN_KEEPALIVE void st_lifecycle_wake_now() {
    if (st::wasm::g_handlers.wake) st::wasm::g_handlers.wake();
}

EMSCRIPTEN_KEEPALIVE void st_lifecycle_visibility(int visible) {
    if (st::wasm::g_handlers.visibility) st::wasm::g_handlers.visibility(visible != 0);
}

EMSCRIPTEN_KEEPALIVE void st_lifecycle_page_hide() {
    if (st::wasm::g_handlers.page_hide) st::wasm::g_handlers.page_hide();
}

EMSCRIPTEN_KEEPALIVE void st_lifecycle_frame() {
    if (st::wasm::g_handlers.frame) st::wasm::g_handlers.frame();
}

EMSCRIPTEN_KEEPALIVE void st_lifecycle_changed() {
    if (st::wasm::g_handlers.changed) st::wasm::g_handlers.changed();
}

}  // extern "C"
