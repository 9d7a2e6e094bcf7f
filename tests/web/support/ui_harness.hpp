// Runs st::ui::draw_app natively with no rendering backend: a real ImGui context, a built font
// atlas and ImGuiIO driven by hand (mouse, keys, text), so tests can act like a person, by the
// names of widgets, and read back the intents the UI produced.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

#include "st/app/intent.hpp"
#include "st/app/view.hpp"
#include "st/ui/ui.hpp"

namespace st::ui::testing {

struct HarnessOptions {
    float width = 1280;   // display size in device pixels
    float height = 800;
    float scale = 1.0f;   // device pixel ratio
    bool noto = false;    // build the real Noto Sans atlas (else ImGui's built-in font)
};

class UiHarness {
public:
    explicit UiHarness(HarnessOptions options = {});
    ~UiHarness();
    UiHarness(const UiHarness&) = delete;
    UiHarness& operator=(const UiHarness&) = delete;

    // One frame of draw_app; returns the intents it pushed. Also renders the draw data.
    std::vector<app::Intent> frame(const app::AppView& view);
    // Several frames; all intents in order.
    std::vector<app::Intent> frames(const app::AppView& view, int count);

    // Clicks the centre of the widget named `name` (as recorded in the last frame) with the left
    // button: move, press, release, one frame each. Fails the test if the widget is not there.
    std::vector<app::Intent> click(const app::AppView& view, std::string_view name);
    // Right-clicks the centre of the widget (the context-menu button): move, press, release.
    std::vector<app::Intent> right_click(const app::AppView& view, std::string_view name);
    // Holds the left button on the widget for `ms` (frames of 16 ms) without moving, then
    // releases it: a long press on a touch screen.
    std::vector<app::Intent> long_press(const app::AppView& view, std::string_view name, int ms);
    // Moves the pointer over the widget's centre (one frame).
    std::vector<app::Intent> hover(const app::AppView& view, std::string_view name);
    // Presses and releases a key (with Shift held if asked) over two frames.
    std::vector<app::Intent> press(const app::AppView& view, ImGuiKey key, bool shift = false);
    // Types UTF-8 text as the browser's text-input bridge does, then runs one frame.
    std::vector<app::Intent> type(const app::AppView& view, std::string_view text);
    // Rolls the mouse wheel over the widget or point (positive: up, towards older messages).
    std::vector<app::Intent> wheel(const app::AppView& view, float x, float y, float notches);

    void resize(float width, float height);
    bool has(std::string_view name) const { return find_rect(ui, name) != nullptr; }
    const WidgetRect& rect(std::string_view name) const;
    std::size_t count_rects(std::string_view prefix) const;

    UiState ui;
    std::string clipboard;     // what the UI copied (io.SetClipboardTextFn)
    std::size_t last_vertices = 0;  // vertices in the last frame's draw data

private:
    ImGuiContext* context_ = nullptr;
    HarnessOptions options_;
};

// Finds the first intent of type T, or null.
template <class T>
const T* find_intent(const std::vector<app::Intent>& intents) {
    for (const auto& i : intents) {
        if (const T* t = std::get_if<T>(&i)) return t;
    }
    return nullptr;
}

template <class T>
std::size_t count_intents(const std::vector<app::Intent>& intents) {
    std::size_t n = 0;
    for (const auto& i : intents) n += std::holds_alternative<T>(i) ? 1 : 0;
    return n;
}

}  // namespace st::ui::testing
