#include "platform/clipboard.hpp"

#include <emscripten.h>
#include <imgui.h>

#include <string>

#include "st/base/secret.hpp"

#include "imgui_host.hpp"

extern "C" {
// platform/clipboard.js
void st_clipboard_install();
void st_clipboard_write(const char* utf8);
}

namespace st::wasm {
namespace {

// The last text copied in the app or pasted into the page.
std::string g_clipboard;
// The app wrote the system clipboard since the last clipboard_forget().
bool g_wrote = false;

void set_text(void*, const char* text) {
    g_clipboard = text != nullptr ? text : "";
    g_wrote = true;
    st_clipboard_write(g_clipboard.c_str());
}

const char* get_text(void*) { return g_clipboard.c_str(); }

}  // namespace

void clipboard_forget() {
    st::secure_zero(g_clipboard.data(), g_clipboard.size());
    g_clipboard.clear();
    // Best effort: without a recent click the browser may refuse the write (clipboard.js warns in
    // the console); the page's own copy is gone either way.
    if (g_wrote) st_clipboard_write("");
    g_wrote = false;
}

void clipboard_install(ImGuiIO& io) {
    io.SetClipboardTextFn = set_text;
    io.GetClipboardTextFn = get_text;
    io.ClipboardUserData = nullptr;
    st_clipboard_install();
}

}  // namespace st::wasm

extern "C" EMSCRIPTEN_KEEPALIVE void st_clipboard_pasted(const char* utf8) {
    st::wasm::g_clipboard = utf8 != nullptr ? utf8 : "";
    // Input like any other: ask for frames (the Ctrl/Cmd+V key before it usually already has).
    if (auto* host = st::wasm::active_imgui_host()) host->changed();
}
