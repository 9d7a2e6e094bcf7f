// ImGuiHost (see imgui_host.hpp).
#include "imgui_host.hpp"

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "platform/clipboard.hpp"
#include "platform/text_input.hpp"
#include "st/ui/theme.hpp"

namespace st::wasm {
namespace {

ImGuiHost* g_host = nullptr;
constexpr const char* kCanvas = "#canvas";

// The font is fetched by the page as soon as it starts (platform/pre.js), in parallel with the
// wasm module; this hands the bytes over once both are there.
// clang-format off
EM_JS(void, st_js_request_font, (), {
    var pending = Module['stFont'] || Promise.reject(new Error('no font request'));
    pending.then(function(buffer) {
        var bytes = new Uint8Array(buffer);
        var ptr = _malloc(bytes.length);
        HEAPU8.set(bytes, ptr);
        _st_font_loaded(ptr, bytes.length, 1);
    }, function(error) {
        console.warn('Session Tab: the UI font did not load, using the built-in font:', error);
        _st_font_loaded(0, 0, 0);
    });
});
EM_JS(int, st_js_utc_offset_minutes, (), { return -new Date().getTimezoneOffset(); });
// 3.1.6's GLFW has no cursor shapes: set the canvas' CSS cursor from ImGui's wish.
EM_JS(void, st_js_set_cursor, (int shape), {
    var names = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize', 'nwse-resize',
                 'pointer', 'not-allowed'];
    var name = shape < 0 ? 'none' : (names[shape] || 'default');
    var canvas = Module['canvas'];
    if (canvas.style.cursor !== name) canvas.style.cursor = name;
});
EM_JS(int, st_js_is_apple, (), {
    return /Mac|iPhone|iPad|iPod/.test(navigator.platform || "") ? 1 : 0;
});
// clang-format on

void key_callback(GLFWwindow*, int key, int, int action, int) {
    if (g_host == nullptr || action == GLFW_REPEAT) return;  // ImGui repeats held keys itself
    g_host->on_key(key, action == GLFW_PRESS);
}

bool is_modifier(int key) {
    return key == GLFW_KEY_LEFT_SHIFT || key == GLFW_KEY_RIGHT_SHIFT ||
           key == GLFW_KEY_LEFT_CONTROL || key == GLFW_KEY_RIGHT_CONTROL ||
           key == GLFW_KEY_LEFT_ALT || key == GLFW_KEY_RIGHT_ALT || key == GLFW_KEY_LEFT_SUPER ||
           key == GLFW_KEY_RIGHT_SUPER;
}

}  // namespace

ImGuiHost* active_imgui_host() { return g_host; }

ImGuiHost::~ImGuiHost() {
    if (imgui_ready_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (window_ != nullptr) glfwDestroyWindow(window_);
    if (g_host == this) g_host = nullptr;
}

bool ImGuiHost::init() {
    g_host = this;
    if (glfwInit() != GLFW_TRUE) return false;
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
    scale_ = static_cast<float>(emscripten_get_device_pixel_ratio());
    width_ = std::max(1, static_cast<int>(std::lround(css_w * scale_)));
    height_ = std::max(1, static_cast<int>(std::lround(css_h * scale_)));
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    window_ = glfwCreateWindow(width_, height_, "Session Tab", nullptr, nullptr);
    if (window_ == nullptr) return false;
    glfwMakeContextCurrent(window_);
    emscripten_set_canvas_element_size(kCanvas, width_, height_);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no file system: settings would go through the app's store
    io.LogFilename = nullptr;
    io.ConfigMacOSXBehaviors = st_js_is_apple() != 0;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // the CSS cursor is set in end_frame
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // Replace three of the backend's GLFW callbacks: keys are queued (see header), characters
    // come from the <textarea> bridge, and the wheel from our own listener (3.1.6's GLFW passes
    // raw pixel deltas with the browser's sign).
    glfwSetKeyCallback(window_, key_callback);
    glfwSetCharCallback(window_, nullptr);
    glfwSetScrollCallback(window_, nullptr);
    clipboard_install(io);
    text_input_install(io);
    imgui_ready_ = true;
    st_js_request_font();
    return true;
}

void ImGuiHost::on_font(std::vector<std::uint8_t> ttf, bool ok) {
    ttf_ = std::move(ttf);
    font_state_ = ok && !ttf_.empty() ? FontState::Loaded : FontState::Failed;
    built_scale_ = 0;  // build on the next frame
}

void ImGuiHost::add_text(std::string utf8) { input_.emplace_back(std::move(utf8)); }

void ImGuiHost::add_wheel(float dx, float dy) {
    wheel_x_ += dx;
    wheel_y_ += dy;
}

void ImGuiHost::on_key(int glfw_key, bool down) { input_.emplace_back(KeyEvent{glfw_key, down}); }

int ImGuiHost::utc_offset_minutes() const { return st_js_utc_offset_minutes(); }

void ImGuiHost::apply_size() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
    const float dpr = std::clamp(static_cast<float>(emscripten_get_device_pixel_ratio()), 0.5f, 4.0f);
    const int w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
    const int h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
    if (w != width_ || h != height_) {
        width_ = w;
        height_ = h;
        // Set the canvas directly: glfwSetWindowSize would ask for full screen whenever the size
        // happens to equal the screen's.
        emscripten_set_canvas_element_size(kCanvas, w, h);
    }
    scale_ = dpr;
}

void ImGuiHost::build_fonts(ui::UiState& ui) {
    ImGuiIO& io = ImGui::GetIO();
    std::span<const std::uint8_t> ttf;
    if (font_state_ == FontState::Loaded) ttf = ttf_;
    ui.fonts = ui::load_fonts(*io.Fonts, ttf, scale_);
    if (ui.fonts.body == nullptr && !ttf.empty()) {
        std::fprintf(stderr, "Session Tab: the UI font could not be built; using the built-in one\n");
        ui.fonts = ui::load_fonts(*io.Fonts, {}, scale_);
    }
    ui::apply_style(scale_);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    built_scale_ = scale_;
}

namespace {
// Frames a text field may take to get the keyboard back (the composer refocuses itself the frame
// after Enter sent); text typed meanwhile waits for it. At 4 fps (a busy tab) about 1.5 s.
constexpr int kTextHoldFrames = 6;

bool text_field_active() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    return g.ActiveId != 0 && g.ActiveId == g.InputTextState.ID;
}
}  // namespace

void ImGuiHost::apply_input() {
    ImGuiIO& io = ImGui::GetIO();
    frames_without_text_field_ = text_field_active() ? 0 : frames_without_text_field_ + 1;
    const bool hold_text = frames_without_text_field_ > 0 &&
                           frames_without_text_field_ <= kTextHoldFrames;
    // One change per key per frame, and typed text never in the same frame as a key press, so
    // "type, then Enter" reaches ImGui in that order whatever arrived between two frames.
    std::set<int> touched;
    bool text_applied = false;
    bool key_applied = false;
    while (!input_.empty()) {
        InputEvent& event = input_.front();
        if (const auto* key = std::get_if<KeyEvent>(&event)) {
            if (key->key < 0 || key->key >= IM_ARRAYSIZE(io.KeysDown)) {
                input_.pop_front();
                continue;
            }
            const bool modifier = is_modifier(key->key);
            if (touched.count(key->key) != 0 || (!modifier && text_applied)) break;
            io.KeysDown[key->key] = key->down;
            touched.insert(key->key);
            key_applied = key_applied || (!modifier && key->down);
        } else {
            if (key_applied || hold_text) break;  // held: keys after it wait too, in order
            io.AddInputCharactersUTF8(std::get<std::string>(event).c_str());
            text_applied = true;
        }
        input_.pop_front();
    }
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
    io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
    io.MouseWheel += wheel_y_;
    io.MouseWheelH += wheel_x_;
    wheel_x_ = wheel_y_ = 0;
}

bool ImGuiHost::begin_frame(ui::UiState& ui) {
    if (!imgui_ready_ || font_state_ == FontState::Waiting) return false;
    apply_size();
    if (built_scale_ != scale_) build_fonts(ui);
    ui.scale = scale_;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // The backend read GLFW's idea of the window size; the canvas is what counts.
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    // Headless browsers can report no time between frames; ImGui asserts on DeltaTime <= 0.
    io.DeltaTime = std::clamp(io.DeltaTime, 1.0f / 1000.0f, 0.25f);
    apply_input();
    ImGui::NewFrame();
    return true;
}

void ImGuiHost::end_frame() {
    ImGui::Render();
    glViewport(0, 0, width_, height_);
    const ui::Rgb bg = ui::background_color();
    glClearColor(bg.r, bg.g, bg.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    text_input_sync(ImGui::GetIO().WantTextInput, scale_);
    st_js_set_cursor(ImGui::GetMouseCursor());
}

}  // namespace st::wasm

// [SECTION] Entry points for JS ------------------------------------------------------------------

extern "C" {

// The font bytes (malloc'd by JS; ownership passes here), or ok = 0 if the fetch failed.
EMSCRIPTEN_KEEPALIVE void st_font_loaded(std::uint8_t* data, int size, int ok) {
    std::vector<std::uint8_t> ttf;
    if (data != nullptr && size > 0) ttf.assign(data, data + size);
    std::free(data);
    if (auto* host = st::wasm::active_imgui_host()) host->on_font(std::move(ttf), ok != 0);
}

}  // extern "C"
