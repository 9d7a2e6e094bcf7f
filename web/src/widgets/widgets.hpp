// Building blocks shared by the screens: the per-frame drawing context, named-widget tracking,
// std::string text inputs, buttons in the app's style, text helpers, time formatting and the
// QR code. Internal to st_ui.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "st/app/intent.hpp"
#include "st/app/view.hpp"
#include "st/ui/ui.hpp"
#include "widgets/soft_wrap.hpp"

namespace st::ui::detail {

// Everything a screen needs for one frame.
struct Ctx {
    const app::AppView& view;
    UiState& ui;
    app::IntentSink& sink;
    float s;  // device pixels per CSS pixel

    float px(float css) const { return css * s; }
    ImFont* body() const;
    ImFont* title() const;
    ImFont* small() const;
};

// [SECTION] Named widgets --------------------------------------------------------------------
// Records the last ImGui item under `name` if it is visible (see UiState::rects).
void track(Ctx& ctx, std::string name);

// [SECTION] Inputs ---------------------------------------------------------------------------
// ImGui::InputText* over a std::string (grows as needed). Return true when the text changed,
// or with ImGuiInputTextFlags_EnterReturnsTrue when Enter was pressed.
bool input_text(const char* id, std::string& text, ImGuiInputTextFlags flags = 0,
                const char* hint = nullptr);
bool input_text_multiline(const char* id, std::string& text, const ImVec2& size,
                          ImGuiInputTextFlags flags = 0);

// A multi-line input of `size` whose lines wrap at its width (soft_wrap.hpp). `text` is the
// logical text (what the person typed); `wrap` and `buffer` carry the wrapped text ImGui edits
// between frames. Call wrap_input() first in the frame, with the same width, to know the number
// of visual lines. Copy and cut put the logical text on the clipboard. Escape ends the edit but
// keeps the text (ImGui would put back the text from the start of the edit). Undo history is
// dropped whenever an edit changes where lines wrap. Returns as input_text_multiline().
bool input_text_wrapped(const char* id, std::string& text, WrappedText& wrap, std::string& buffer,
                        bool& active, const ImVec2& size, ImGuiInputTextFlags flags = 0);
// Re-wraps `text` for an input `input_width` wide if it changed while the input was not being
// edited. Returns the number of visual lines.
int wrap_input(const std::string& text, WrappedText& wrap, std::string& buffer, bool active,
               float input_width);

// [SECTION] Buttons --------------------------------------------------------------------------
enum class ButtonKind { Primary, Secondary, Danger, Link };
// A button of at least `size` (0 = fit the label). Disabled buttons are drawn faded and never
// return true.
bool button(const char* label, ButtonKind kind, ImVec2 size = ImVec2(0, 0), bool enabled = true);

// A full-width strip at the cursor (kiosk mode, a refused link, a trial account): a sentence on
// `background`, tracked as `name`, and buttons at its right, each tracked under its own name.
// Returns the strip's height; `pressed` is the index of the button pressed this frame, or -1.
struct BarButton {
    const char* label;
    ButtonKind kind;
    const char* name;
};
float notice_bar(Ctx& ctx, float width, ImU32 background, std::string_view text, const char* name,
                 std::initializer_list<BarButton> buttons, int& pressed);

// A modal dialog centred in the window, at most `max_css` CSS pixels wide: opened on the first
// call (`opened` remembers it across frames) and begun; false when ImGui closed it. End it with
// ImGui::EndPopup() when true. Returns its inner width in `inner`.
bool begin_centered_modal(Ctx& ctx, const char* id, bool& opened, float max_css, float& inner);

// [SECTION] Text -----------------------------------------------------------------------------
void text(ImFont* font, ImU32 color, std::string_view s);
void text_wrapped(ImFont* font, ImU32 color, std::string_view s, float wrap_width);
// Centred horizontally in the current content region.
void text_centered(ImFont* font, ImU32 color, std::string_view s);
// The first line of `s` cut to fit `max_width`, with "…" when cut.
std::string ellipsize(ImFont* font, std::string_view s, float max_width);
// A problem (Problem::text, never its code) in the danger colour, wrapped.
void problem_text(const Ctx& ctx, const app::Problem& problem, float wrap_width);
// A filled circle with the first letter of `name` (avatar stand-in).
void avatar(ImDrawList* dl, ImVec2 centre, float radius, std::string_view name, ImFont* font);
// "05ab12…9f3e": enough of a Session ID to recognise it.
std::string short_id(std::string_view session_id);

// [SECTION] Time -----------------------------------------------------------------------------
struct CivilTime {
    int year, month, day, hour, minute, weekday;  // month 1-12, weekday 0 = Sunday
};
CivilTime civil_time(std::int64_t unix_ms, int utc_offset_minutes);
std::string clock_time(std::int64_t unix_ms, const FrameContext& clock);  // "14:05"
// For the conversation list: today "14:05", this week "Tue", this year "3 Mar", else "3 Mar 2021".
std::string list_time(std::int64_t unix_ms, const FrameContext& clock);
// For the day separators in a conversation: "Today", "Yesterday", "Tuesday 3 March 2024".
std::string day_heading(std::int64_t unix_ms, const FrameContext& clock);
// Days since the epoch in local time (to tell when a day separator is due).
std::int64_t local_day(std::int64_t unix_ms, const FrameContext& clock);
// A disappearing message's time left, in coarse units: "9 s" (rounded up, to "1 s"), "59 min",
// "23 h", "6 d" (whole units, rounded down). `changes_in` gets the ms until the text changes
// (0 when the time is up: nothing more to count).
std::string countdown_text(std::int64_t left_ms, std::int64_t& changes_in);
// The picture changes at `at_ms` (Unix epoch ms) with no event: UiState::redraw_at_ms.
void redraw_at(Ctx& ctx, std::int64_t at_ms);

// [SECTION] Clipboard feedback ---------------------------------------------------------------
// Copies `text` to the clipboard and remembers `what` was copied, for copied_recently().
void copy_to_clipboard(Ctx& ctx, std::string_view what, const std::string& text);
bool copied_recently(const Ctx& ctx, std::string_view what);

// [SECTION] QR code --------------------------------------------------------------------------
// Draws the QR code of `text` (encoded once, cached in UiState) with a quiet zone, `side` pixels
// square, top-left at the cursor; advances the cursor.
void qr_code(Ctx& ctx, const std::string& text, float side);

}  // namespace st::ui::detail
