// ImGuiHost: Dear ImGui on the page's <canvas> through Emscripten's GLFW and WebGL2.
//
// What it adds to the stock GLFW/OpenGL3 backends of ImGui 1.86:
//   * the canvas backing store follows the canvas' CSS size times devicePixelRatio, and fonts and
//     style are rebuilt when the ratio changes (ImGui units are device pixels);
//   * all input (keys, text, mouse moves and buttons, wheel) goes into one queue in arrival order.
//     ImGui 1.86 has no input queue of its own: it sees one state per NewFrame, so a key pressed
//     and released, or a click, between two frames would be lost, and text typed before a click
//     could reach ImGui after it. Each ImGui frame takes the longest run of queued events that
//     ImGui can see at once without losing or reordering any (take_input_batch); the frame loop
//     (frame.cpp) runs ImGui frames until the queue is empty and renders only the last;
//   * text comes from the hidden <textarea> bridge (platform/text_input), not GLFW's keypress;
//     text that arrives while no text field has the keyboard (Enter sent and the composer takes
//     it back a frame later; a click opened a step whose field is focused on its first frame)
//     waits a few ImGui frames for one to take it, instead of being dropped;
//   * the font (Noto Sans) arrives asynchronously: no frame is drawn until it is there or failed;
//   * frames on demand: every input event, the font and a change of size call on_change, so the
//     page can draw only when something changed (frame.cpp).
#pragma once

#include <cfloat>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "st/ui/ui.hpp"

struct GLFWwindow;
struct ImDrawData;

namespace st::wasm {

class ImGuiHost {
public:
    ImGuiHost() = default;
    ~ImGuiHost();
    ImGuiHost(const ImGuiHost&) = delete;
    ImGuiHost& operator=(const ImGuiHost&) = delete;

    // Creates the GL context on #canvas and the ImGui context; starts loading the font.
    // `on_change` is called whenever something arrives that a frame should show (input, the font).
    bool init(std::function<void()> on_change);

    // Whether a frame can be drawn (false until the font is there or failed).
    bool ready() const { return imgui_ready_ && font_state_ != FontState::Waiting; }
    // Prepares an ImGui frame (size, scale, time) and, if `take_input`, hands it the next batch of
    // queued input. Requires ready().
    void begin_frame(ui::UiState& ui, bool take_input = true);
    // Ends an ImGui frame without rendering it (more queued input follows in another frame).
    void end_frame_unrendered();
    // Ends the frame and renders it to the canvas, unless its picture is the one the canvas
    // already shows. Returns whether it rendered.
    bool end_frame();

    // Input from the platform bridges (called from JS through C entry points).
    void add_text(std::string utf8);
    void add_wheel(float dx, float dy);
    void on_key(int glfw_key, bool down);
    void on_mouse_move(float x, float y);  // device pixels on the canvas
    void on_mouse_button(int button, bool down);
    void on_mouse_leave();
    void on_font(std::vector<std::uint8_t> ttf, bool ok);
    // Something else a frame should show arrived (pasted text for the next Ctrl+V).
    void changed();

    // Input queued that ImGui has not seen yet.
    bool has_input() const { return !input_.empty(); }
    // A key or mouse button is held: ImGui repeats held keys and follows drags from frame to frame,
    // so frames must keep coming while it lasts.
    bool input_held() const;
    // A text field lost the keyboard a moment ago: the textarea keeps the browser's focus and
    // typed text is held for the next field for a few more frames (see take_input_batch).
    bool text_focus_pending() const;
    // Whether ImGui is still settling something it was asked to do in the last frame: a focus
    // request (SetKeyboardFocusHere) or an activation resolves only in the next frame.
    bool imgui_settling() const;
    // Seconds until the blinking text caret of the active text field next appears or disappears,
    // or stops blinking (nullopt: no text field has the keyboard, or its caret no longer blinks).
    std::optional<double> caret_blink_in() const;

    float scale() const { return scale_; }
    int utc_offset_minutes() const;
    bool font_ready() const { return font_state_ != FontState::Waiting; }

private:
    struct KeyEvent {
        int key;
        bool down;
    };
    struct TextEvent {
        std::string utf8;
    };
    struct MoveEvent {
        float x, y;
    };
    struct ButtonEvent {
        int button;
        bool down;
    };
    struct WheelEvent {
        float dx, dy;
    };
    using InputEvent = std::variant<KeyEvent, TextEvent, MoveEvent, ButtonEvent, WheelEvent>;

    void push(InputEvent event);
    void apply_size();
    void build_fonts(ui::UiState& ui);
    void take_input_batch();
    void apply_input_state();
    static void capture_picture(const ImDrawData& draw, std::vector<char>& out);
    bool key_matters(int key) const;

    enum class FontState { Waiting, Loaded, Failed };

    GLFWwindow* window_ = nullptr;
    std::function<void()> on_change_;
    bool imgui_ready_ = false;
    int width_ = 0, height_ = 0;  // canvas backing store, device pixels
    float scale_ = 1.0f;
    float built_scale_ = 0.0f;    // scale the fonts and style were built for
    FontState font_state_ = FontState::Waiting;
    std::vector<std::uint8_t> ttf_;
    std::deque<InputEvent> input_;
    // The mouse as ImGui is given it each frame (the GLFW backend's NewFrame rewrites ImGui's io
    // fields from GLFW's current state, which is ahead of the queue).
    float mouse_x_ = -FLT_MAX, mouse_y_ = -FLT_MAX;
    bool mouse_down_[5] = {};
    // The mouse after the last queued event, to queue only changes.
    float queued_mouse_x_ = -FLT_MAX, queued_mouse_y_ = -FLT_MAX;
    bool queued_down_[5] = {};
    int frames_without_text_field_ = 1 << 20;  // since a text field last had the keyboard
    int text_waited_frames_ = 0;                // frames the text at the queue's front has waited
    double last_input_ms_ = 0;                  // emscripten_get_now() of the last input event
    // The picture on the canvas and the one just made (see end_frame); repaint_: draw regardless.
    std::vector<char> shown_picture_, picture_;
    bool repaint_ = true;
};

// The single ImGuiHost the JS bridges deliver input to (set by init()).
ImGuiHost* active_imgui_host();

}  // namespace st::wasm
