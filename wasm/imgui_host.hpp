// ImGuiHost: Dear ImGui on the page's <canvas> through Emscripten's GLFW and WebGL2.
//
// What it adds to the stock GLFW/OpenGL3 backends of ImGui 1.86:
//   * the canvas backing store follows the canvas' CSS size times devicePixelRatio, and fonts and
//     style are rebuilt when the ratio changes (ImGui units are device pixels);
//   * keyboard events are queued and applied at most one change per key per frame: 1.86 reads key
//     state, so a press and release between two frames (a fast typist, Playwright) would be lost;
//   * text comes from the hidden <textarea> bridge (platform/text_input), not GLFW's keypress;
//     text typed in the frames between a text field losing the keyboard and one taking it back
//     (Enter sends, the composer refocuses a frame later) is held for it, not dropped;
//   * the font (Noto Sans) arrives asynchronously: no frame is drawn until it is there or failed.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "st/ui/ui.hpp"

struct GLFWwindow;

namespace st::wasm {

class ImGuiHost {
public:
    ImGuiHost() = default;
    ~ImGuiHost();
    ImGuiHost(const ImGuiHost&) = delete;
    ImGuiHost& operator=(const ImGuiHost&) = delete;

    // Creates the GL context on #canvas and the ImGui context; starts loading the font.
    bool init();

    // Prepares an ImGui frame (size, scale, input); false if the font is not there yet.
    bool begin_frame(ui::UiState& ui);
    // Renders the frame to the canvas.
    void end_frame();

    // Input from the platform bridges (called from JS through C entry points).
    void add_text(std::string utf8);
    void add_wheel(float dx, float dy);
    void on_key(int glfw_key, bool down);
    void on_font(std::vector<std::uint8_t> ttf, bool ok);

    float scale() const { return scale_; }
    int utc_offset_minutes() const;
    bool font_ready() const { return font_state_ != FontState::Waiting; }

private:
    struct KeyEvent {
        int key;
        bool down;
    };
    using InputEvent = std::variant<KeyEvent, std::string>;

    void apply_size();
    void build_fonts(ui::UiState& ui);
    void apply_input();

    enum class FontState { Waiting, Loaded, Failed };

    GLFWwindow* window_ = nullptr;
    bool imgui_ready_ = false;
    int width_ = 0, height_ = 0;  // canvas backing store, device pixels
    float scale_ = 1.0f;
    float built_scale_ = 0.0f;    // scale the fonts and style were built for
    FontState font_state_ = FontState::Waiting;
    std::vector<std::uint8_t> ttf_;
    std::deque<InputEvent> input_;
    int frames_without_text_field_ = 1 << 20;  // since a text field last had the keyboard
    float wheel_x_ = 0, wheel_y_ = 0;
};

// The single ImGuiHost the JS bridges deliver input to (set by init()).
ImGuiHost* active_imgui_host();

}  // namespace st::wasm
