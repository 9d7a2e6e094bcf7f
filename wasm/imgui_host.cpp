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
#include <cfloat>
#include <iterator>

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
// The emoji are a second font file (wasm/cmake/split_ui_font.py), named by the page's
// <meta name="st-emoji-font"> and fetched once the page is interactive (the "st:interactive" mark,
// wasm/main.cpp), or 5 s after its first frame if the stored state takes longer: they are not part
// of what the page downloads to start (docs/performance.md, "Transfer size"). build_fonts merges
// them into the atlas when they arrive; until then an emoji draws as the fallback glyph.
EM_JS(void, st_js_request_emoji, (), {
    var meta = document.querySelector('meta[name="st-emoji-font"]');
    if (!meta || !meta.content) return;
    var started = false;
    function start() {
        if (started) return;
        started = true;
        fetch(meta.content, { credentials: 'same-origin' }).then(function(response) {
            if (!response.ok) throw new Error('HTTP ' + response.status);
            return response.arrayBuffer();
        }).then(function(buffer) {
            var bytes = new Uint8Array(buffer);
            var ptr = _malloc(bytes.length);
            HEAPU8.set(bytes, ptr);
            _st_emoji_loaded(ptr, bytes.length);
        }, function(error) {
            console.warn('Session Tab: the emoji font did not load:', error);
        });
    }
    function marked(list, name) { return list.getEntriesByName(name).length > 0; }
    if (marked(performance, 'st:interactive')) return start();
    if (typeof PerformanceObserver !== 'function') return window.addEventListener('load', start);
    var waiting = false;
    var observer = new PerformanceObserver(function(list) {
        if (marked(list, 'st:interactive')) {
            observer.disconnect();
            start();
        } else if (!waiting && marked(list, 'st:first-frame')) {
            waiting = true;
            setTimeout(start, 5000);
        }
    });
    observer.observe({ type: 'mark', buffered: true });
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

void cursor_pos_callback(GLFWwindow*, double x, double y) {
    if (g_host != nullptr) g_host->on_mouse_move(static_cast<float>(x), static_cast<float>(y));
}

void mouse_button_callback(GLFWwindow* window, int button, int action, int) {
    if (g_host == nullptr) return;
    // A touch or a click without a move before it: GLFW updated the position without telling.
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    g_host->on_mouse_move(static_cast<float>(x), static_cast<float>(y));
    g_host->on_mouse_button(button, action == GLFW_PRESS);
}

void cursor_enter_callback(GLFWwindow*, int entered) {
    if (g_host != nullptr && entered == 0) g_host->on_mouse_leave();
}

// The emoji font's bytes once they arrived (st_emoji_loaded), and whether the atlas still lacks
// them.
std::vector<std::uint8_t> g_emoji_ttf;
bool g_emoji_fresh = false;

// Adds the emoji to every size of the UI font (ImGui's merge mode, each into its font) and builds
// the atlas again. The emoji file has the UI font's metrics (split_ui_font.py cuts both files from
// it), so the glyphs come out as from the one file.
bool merge_emoji(ImFontAtlas& atlas, const ui::Fonts& fonts) {
    ImFont* const sizes[] = {fonts.body, fonts.title, fonts.small};
    std::vector<ImFontConfig> configs;  // copied first: AddFont moves the atlas' ConfigData
    for (ImFont* font : sizes) {
        if (font == nullptr || font->ConfigData == nullptr) return false;
        bool seen = false;
        for (const ImFontConfig& c : configs) seen = seen || c.DstFont == font;
        if (seen) continue;
        ImFontConfig config = *font->ConfigData;  // the same size, oversampling and ranges
        config.MergeMode = true;
        config.DstFont = font;
        config.FontData = g_emoji_ttf.data();
        config.FontDataSize = static_cast<int>(g_emoji_ttf.size());
        config.FontDataOwnedByAtlas = false;  // AddFont keeps its own copy
        config.Name[0] = '\0';
        configs.push_back(config);
    }
    for (const ImFontConfig& config : configs) atlas.AddFont(&config);
    return atlas.Build();
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

bool ImGuiHost::init(std::function<void()> on_change) {
    g_host = this;
    on_change_ = std::move(on_change);
    if (glfwInit() != GLFW_TRUE) return false;
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
    scale_ = static_cast<float>(emscripten_get_device_pixel_ratio());
    width_ = std::max(1, static_cast<int>(std::lround(css_w * scale_)));
    height_ = std::max(1, static_cast<int>(std::lround(css_h * scale_)));
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    // ImGui draws 2D triangles over an opaque background: no depth or stencil buffer, and an
    // opaque canvas the compositor need not blend (GLFW's defaults ask for all three).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_ALPHA_BITS, 0);
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
    // Replace the backend's GLFW input callbacks: keys and the mouse are queued (see header),
    // characters come from the <textarea> bridge, and the wheel from our own listener (3.1.6's
    // GLFW passes raw pixel deltas with the browser's sign). The backend still polls the mouse
    // in its NewFrame; begin_frame overwrites that with the queued state.
    glfwSetKeyCallback(window_, key_callback);
    glfwSetCharCallback(window_, nullptr);
    glfwSetScrollCallback(window_, nullptr);
    glfwSetMouseButtonCallback(window_, mouse_button_callback);
    glfwSetCursorPosCallback(window_, cursor_pos_callback);
    glfwSetCursorEnterCallback(window_, cursor_enter_callback);
    clipboard_install(io);
    text_input_install(io);
    imgui_ready_ = true;
    st_js_request_font();
    st_js_request_emoji();
    return true;
}

void ImGuiHost::on_font(std::vector<std::uint8_t> ttf, bool ok) {
    ttf_ = std::move(ttf);
    font_state_ = ok && !ttf_.empty() ? FontState::Loaded : FontState::Failed;
    built_scale_ = 0;  // build on the next frame
    if (on_change_) on_change_();
}

void ImGuiHost::push(InputEvent event) {
    input_.push_back(std::move(event));
    last_input_ms_ = emscripten_get_now();
    if (on_change_) on_change_();
}

void ImGuiHost::add_text(std::string utf8) {
    if (!utf8.empty()) push(TextEvent{std::move(utf8)});
}

void ImGuiHost::add_wheel(float dx, float dy) { push(WheelEvent{dx, dy}); }

void ImGuiHost::on_key(int glfw_key, bool down) { push(KeyEvent{glfw_key, down}); }

void ImGuiHost::on_mouse_move(float x, float y) {
    if (x == queued_mouse_x_ && y == queued_mouse_y_) return;
    queued_mouse_x_ = x;
    queued_mouse_y_ = y;
    push(MoveEvent{x, y});
}

void ImGuiHost::on_mouse_button(int button, bool down) {
    if (button < 0 || button >= static_cast<int>(std::size(queued_down_))) return;
    // A release outside the canvas reaches us from the page's listener as well as, sometimes,
    // from GLFW: only changes are queued.
    if (queued_down_[button] == down) return;
    queued_down_[button] = down;
    push(ButtonEvent{button, down});
}

void ImGuiHost::on_mouse_leave() {
    // While a button is held ImGui keeps following the drag; otherwise nothing is hovered.
    for (bool down : queued_down_) {
        if (down) return;
    }
    on_mouse_move(-FLT_MAX, -FLT_MAX);
}

void ImGuiHost::changed() {
    if (on_change_) on_change_();
}

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
        repaint_ = true;  // resizing cleared the canvas
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
    } else if (!ttf.empty() && !g_emoji_ttf.empty() && !merge_emoji(*io.Fonts, ui.fonts)) {
        std::fprintf(stderr, "Session Tab: the emoji font could not be built; drawing without it\n");
        g_emoji_ttf.clear();
        ui.fonts = ui::load_fonts(*io.Fonts, ttf, scale_);
    }
    g_emoji_fresh = false;
    ui::apply_style(scale_);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    built_scale_ = scale_;
    repaint_ = true;  // same vertices may now sample a different atlas
}

namespace {
// ImGui frames a text field may take to get the keyboard (the composer takes it back the frame
// after Enter sent; a step's field is focused on the step's first frame, and ImGui 1.86 resolves
// SetKeyboardFocusHere a frame later); text typed meanwhile waits for it.
constexpr int kTextHoldFrames = 6;
// How long the text caret blinks after the last input (GTK's default blink timeout: 10 s).
constexpr double kCaretBlinkMs = 10'000;

bool text_field_active() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    return g.ActiveId != 0 && g.ActiveId == g.InputTextState.ID;
}

bool is_shift(int key) { return key == GLFW_KEY_LEFT_SHIFT || key == GLFW_KEY_RIGHT_SHIFT; }

bool shortcut_held(const ImGuiIO& io) {
    return io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL] ||
           io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}
}  // namespace

// Whether ImGui acts on this key's state: the keys of its io.KeyMap (Enter, Backspace, arrows,
// Escape, ...). Not Space, which 1.86 reads only for keyboard navigation (not enabled here), nor
// the letters of its shortcuts (A, C, V, X, Y, Z) while no Ctrl/Cmd is held: typed characters
// reach ImGui as text, so the state of those keys changes nothing and may share a frame with text.
bool ImGuiHost::key_matters(int key) const {
    const ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) {
        if (io.KeyMap[k] != key) continue;
        if (k == ImGuiKey_Space) return false;
        if (k >= ImGuiKey_A && k <= ImGuiKey_Z) return shortcut_held(io);
        return true;
    }
    return false;
}

// One ImGui frame's worth of queued input, in arrival order. ImGui 1.86 sees one state per frame,
// so a frame takes events only as long as none is lost or reordered:
//   * one "action" per frame: a press of a key ImGui acts on, a mouse button change, or a run of
//     wheel events, or a run of typed text (InputText takes any amount of text in one frame);
//   * each key ImGui acts on changes at most once (a press and release in one frame is no press);
//   * modifiers change only before the action (ImGui reads them once per frame: Ctrl after typed
//     text would make InputText ignore that text; Shift after a click would make it a Shift+click),
//     except Shift after text, which text handling ignores;
//   * the mouse moves only before a button change or wheel (they happen where the pointer is);
//   * releases of keys ImGui acts on, and keys it does not act on, join any frame.
// Text that arrives while no text field has the keyboard waits up to kTextHoldFrames frames for
// one to take it, and everything behind it waits too.
void ImGuiHost::take_input_batch() {
    ImGuiIO& io = ImGui::GetIO();
    const bool field = text_field_active();
    bool acted = false;        // this frame has its action
    bool text = false;         // ... and it is typed text, which more text may join
    bool wheel = false;        // ... and it is the wheel, which more wheel may join
    bool mouse_acted = false;  // a button changed or the wheel turned
    bool touched[IM_ARRAYSIZE(io.KeysDown)] = {};
    while (!input_.empty()) {
        InputEvent& event = input_.front();
        if (const auto* key = std::get_if<KeyEvent>(&event)) {
            if (key->key < 0 || key->key >= IM_ARRAYSIZE(io.KeysDown)) {
                input_.pop_front();
                continue;
            }
            if (is_modifier(key->key)) {
                if (touched[key->key] || mouse_acted || (acted && !(text && is_shift(key->key)))) break;
                touched[key->key] = true;
            } else if (key_matters(key->key)) {
                if (touched[key->key] || (key->down && acted)) break;
                touched[key->key] = true;
                acted = acted || key->down;
            }
            io.KeysDown[key->key] = key->down;
        } else if (auto* typed = std::get_if<TextEvent>(&event)) {
            if (acted && !text) break;
            if (!field && text_waited_frames_ < kTextHoldFrames) {
                ++text_waited_frames_;
                break;
            }
            text_waited_frames_ = 0;
            io.AddInputCharactersUTF8(typed->utf8.c_str());
            acted = text = true;
        } else if (const auto* move = std::get_if<MoveEvent>(&event)) {
            if (mouse_acted) break;
            mouse_x_ = move->x;
            mouse_y_ = move->y;
        } else if (const auto* button = std::get_if<ButtonEvent>(&event)) {
            if (acted) break;
            mouse_down_[button->button] = button->down;
            acted = mouse_acted = true;
        } else if (const auto* turn = std::get_if<WheelEvent>(&event)) {
            if (acted && !wheel) break;
            io.MouseWheel += turn->dy;
            io.MouseWheelH += turn->dx;
            acted = wheel = mouse_acted = true;
        }
        input_.pop_front();
    }
}

// The input state ImGui is given every frame: the GLFW backend's NewFrame rewrote the mouse from
// GLFW's current state, which is ahead of the queue.
void ImGuiHost::apply_input_state() {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
    io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
    io.MousePos = ImVec2(mouse_x_, mouse_y_);
    for (std::size_t i = 0; i < std::size(mouse_down_); ++i) io.MouseDown[i] = mouse_down_[i];
}

bool ImGuiHost::input_held() const {
    for (bool down : mouse_down_) {
        if (down) return true;
    }
    if (!imgui_ready_) return false;
    const ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) {
        const int key = io.KeyMap[k];
        if (key >= 0 && key < IM_ARRAYSIZE(io.KeysDown) && io.KeysDown[key] && key_matters(key)) {
            return true;
        }
    }
    return false;
}

bool ImGuiHost::text_focus_pending() const {
    return frames_without_text_field_ > 0 && frames_without_text_field_ <= kTextHoldFrames;
}

bool ImGuiHost::imgui_settling() const {
    if (!imgui_ready_) return false;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    return g.NavMoveSubmitted || g.NavMoveScoringItems || g.NavNextActivateId != 0 ||
           g.NavActivateId != 0 || g.NavActivateInputId != 0;
}

std::optional<double> ImGuiHost::caret_blink_in() const {
    if (!imgui_ready_ || !text_field_active()) return std::nullopt;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (!g.IO.ConfigInputTextCursorBlink) return std::nullopt;
    // ImGui 1.86 InputTextEx: the caret shows while CursorAnim <= 0 (it is set below 0 after each
    // edit) or fmod(CursorAnim, 1.2) <= 0.8; CursorAnim grows by DeltaTime each frame.
    const double anim = g.InputTextState.CursorAnim;
    double edge = 0;
    if (anim <= 0) {
        edge = 0.8 - anim;
    } else {
        const double phase = std::fmod(anim, 1.2);
        edge = phase <= 0.8 ? 0.8 - phase : 1.2 - phase;
    }
    // The frame that stops the blinking (and shows the caret for good) comes on time too.
    const double until_solid = (last_input_ms_ + kCaretBlinkMs - emscripten_get_now()) / 1000.0;
    return std::max(0.0, std::min(edge, until_solid));
}

void ImGuiHost::begin_frame(ui::UiState& ui, bool take_input) {
    apply_size();
    if (built_scale_ != scale_ || (g_emoji_fresh && font_state_ != FontState::Waiting)) {
        build_fonts(ui);
    }
    ui.scale = scale_;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // The backend read GLFW's idea of the window size; the canvas is what counts.
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    // ImGui asserts on DeltaTime <= 0, which headless browsers and several ImGui frames in one
    // animation frame give. The upper bound lets the caret blink on time after an idle second.
    io.DeltaTime = std::clamp(io.DeltaTime, 1.0f / 1000.0f, 2.0f);
    // The caret blinks for a while after the last input, then stays solid (as GTK's
    // gtk-cursor-blink-timeout does): each blink is a frame, which costs a browser without a GPU
    // tens of milliseconds, and a tab left with a focused field should cost nothing.
    io.ConfigInputTextCursorBlink = emscripten_get_now() - last_input_ms_ < kCaretBlinkMs;
    frames_without_text_field_ = text_field_active() ? 0 : frames_without_text_field_ + 1;
    if (take_input) take_input_batch();
    apply_input_state();
    ImGui::NewFrame();
}

void ImGuiHost::end_frame_unrendered() { ImGui::EndFrame(); }

// The frame's picture as bytes: its draw lists (commands, vertices, indices) and display size.
// ImDrawCmd is zero-filled by its constructor, so equal pictures give equal bytes.
void ImGuiHost::capture_picture(const ImDrawData& draw, std::vector<char>& out) {
    out.clear();
    const auto append = [&out](const void* data, std::size_t size) {
        const char* bytes = static_cast<const char*>(data);
        out.insert(out.end(), bytes, bytes + size);
    };
    append(&draw.DisplayPos, sizeof draw.DisplayPos);
    append(&draw.DisplaySize, sizeof draw.DisplaySize);
    append(&draw.CmdListsCount, sizeof draw.CmdListsCount);
    for (int i = 0; i < draw.CmdListsCount; ++i) {
        const ImDrawList& list = *draw.CmdLists[i];
        const int sizes[3] = {list.CmdBuffer.Size, list.VtxBuffer.Size, list.IdxBuffer.Size};
        append(sizes, sizeof sizes);
        append(list.CmdBuffer.Data, sizeof(ImDrawCmd) * static_cast<std::size_t>(sizes[0]));
        append(list.VtxBuffer.Data, sizeof(ImDrawVert) * static_cast<std::size_t>(sizes[1]));
        append(list.IdxBuffer.Data, sizeof(ImDrawIdx) * static_cast<std::size_t>(sizes[2]));
    }
}

bool ImGuiHost::end_frame() {
    ImGui::Render();
    const ImDrawData& draw = *ImGui::GetDrawData();
    // Rendering is skipped when the picture is the one already on the canvas (a key released,
    // hover on nothing, a settling frame): in a browser without a GPU every frame is rasterised in
    // software and, with a software compositor, read back, which costs far more than the ImGui
    // frame itself. The canvas keeps showing the last frame drawn into it.
    capture_picture(draw, picture_);
    const bool render = repaint_ || picture_ != shown_picture_;
    if (render) {
        glViewport(0, 0, width_, height_);
        const ui::Rgb bg = ui::background_color();
        glClearColor(bg.r, bg.g, bg.b, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        picture_.swap(shown_picture_);
        repaint_ = false;
    }
    // The textarea keeps the browser's focus a few frames after a text field let the keyboard go,
    // so keys typed before the next field takes it still arrive (and wait in the queue for it).
    text_input_sync(ImGui::GetIO().WantTextInput || text_field_active() || text_focus_pending(),
                    scale_);
    st_js_set_cursor(ImGui::GetMouseCursor());
    return render;
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

// The emoji font's bytes (malloc'd by JS; ownership passes here), merged into the atlas on the
// next frame.
EMSCRIPTEN_KEEPALIVE void st_emoji_loaded(std::uint8_t* data, int size) {
    if (data != nullptr && size > 0) {
        st::wasm::g_emoji_ttf.assign(data, data + size);
        st::wasm::g_emoji_fresh = true;
    }
    std::free(data);
    if (auto* host = st::wasm::active_imgui_host()) host->changed();
}

}  // extern "C"
