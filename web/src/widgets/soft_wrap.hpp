// Soft line wrapping for ImGui 1.86's multi-line text input, which only breaks lines at '\n'.
//
// The input is given a *display* text: the person's text (the *logical* text) with a '\n' inserted
// wherever a line must wrap to fit the width. Those inserted breaks are "soft": their byte offsets
// are remembered, they are never part of the logical text, and they are recomputed after every
// edit. ImGui then draws, moves the caret (Up/Down/Home/End act on visual lines) and scrolls as it
// does for any multi-line text.
//
//   logical  "hello wonderful world"            (what is sent, what the draft holds)
//   display  "hello \nwonderful \nworld"         soft = {6, 17} (offsets in the display text)
//
// Lines break after a run of spaces (the spaces stay at the end of the line, as in a browser's
// textarea, and may overhang the width); a word longer than the line is cut between code points.
// Internal to st_ui.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "st/ui/ui.hpp"

namespace st::ui::detail {

// The type lives in st/ui/ui.hpp (UiState keeps the composer's one between frames).
using WrappedText = st::ui::WrappedText;

// Width of one code point in pixels (the font's advance at the size drawn).
using AdvanceFn = std::function<float(unsigned int code_point)>;

// Inputs: the logical text (UTF-8; invalid bytes count as one replacement character each), the
// width available to a line (pixels, > 0) and the advance of each code point.
// Outputs: the display text and its soft breaks. Bounded: at most one break per code point.
WrappedText wrap_text(std::string_view logical, float width, const AdvanceFn& advance);

// The logical text: `display` without its soft breaks.
std::string unwrap(const WrappedText& text);

// The logical text of display bytes [from, to) (soft breaks inside the range dropped).
std::string unwrap_range(const WrappedText& text, std::size_t from, std::size_t to);

// A display offset as a logical offset (soft breaks before it are not counted).
std::size_t to_logical(const WrappedText& text, std::size_t display_offset);
// A logical offset as a display offset. At a soft break the offset after the break is returned
// (the caret goes to the start of the next visual line, where the text it follows now is).
std::size_t to_display(const WrappedText& text, std::size_t logical_offset);

// The text after ImGui edited the display text of `before` into `after`, with the caret (a
// display offset in `after`) carried along. The edit is found as the bytes between the longest
// common prefix and suffix. Soft breaks outside the edited bytes stay soft; text the edit inserted
// is logical (a typed Shift+Enter is a real line break). Removing a soft break on its own
// (Backspace at the start of a wrapped line, Delete at the end of one) removes the code point
// before it (with `forward_delete`: after it) instead, since the person meant to delete a
// character they can see.
// Outputs: the edited display text with its surviving soft breaks (not re-wrapped yet: call
// wrap_text on unwrap() of it) and the caret as a display offset in it.
struct Edited {
    WrappedText text;
    std::size_t caret = 0;
    std::size_t from = 0;  // the edit replaced display bytes [from, from + removed) of `before`
    std::size_t removed = 0;
};
Edited follow_edit(const WrappedText& before, std::string_view after, std::size_t caret,
                   bool forward_delete);

}  // namespace st::ui::detail
