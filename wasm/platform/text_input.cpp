#include "platform/text_input.hpp"

#include <emscripten.h>
#include <imgui.h>

#include <string>

#include "imgui_host.hpp"

extern "C" {
// platform/text_input.js
void st_input_install();
void st_input_sync(int wants_text, double css_x, double css_y);
void st_input_clear();
}

namespace st::wasm {
namespace {

// Where ImGui last put the text cursor (device pixels); -1 until it has.
int g_ime_x = -1;
int g_ime_y = -1;

void set_ime_position(int x, int y) {
    g_ime_x = x;
    g_ime_y = y;
}

}  // namespace

void text_input_install(ImGuiIO& io) {
    io.ImeSetInputScreenPosFn = set_ime_position;
    st_input_install();
}

void text_input_sync(bool wants_text, float scale) {
    const double k = scale > 0 ? 1.0 / scale : 1.0;
    st_input_sync(wants_text ? 1 : 0, g_ime_x * k, g_ime_y * k);
}

void text_input_clear() { st_input_clear(); }

}  // namespace st::wasm

extern "C" {

EMSCRIPTEN_KEEPALIVE void st_input_text(const char* utf8) {
    if (auto* host = st::wasm::active_imgui_host(); host != nullptr && utf8 != nullptr) {
        host->add_text(utf8);
    }
}

EMSCRIPTEN_KEEPALIVE void st_input_mouse_release(int button) {
    if (auto* host = st::wasm::active_imgui_host()) host->on_mouse_button(button, false);
}

EMSCRIPTEN_KEEPALIVE void st_input_wheel(double dx, double dy) {
    if (auto* host = st::wasm::active_imgui_host()) {
        host->add_wheel(static_cast<float>(dx), static_cast<float>(dy));
    }
}

}  // extern "C"
