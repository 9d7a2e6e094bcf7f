// Look and type of the interface: the dark theme, the style sizes and the fonts, all at the
// host's device pixel ratio. The host calls these once at start-up and again when the ratio
// changes (browser zoom, moving the window to another screen).
#pragma once

#include <cstdint>
#include <span>

#include "st/ui/ui.hpp"

struct ImFontAtlas;

namespace st::ui {

// Body text size in CSS pixels (times `scale` in device pixels).
inline constexpr float kBodyFontPx = 16.0f;

// Replaces the fonts in `atlas` with the UI font (the TTF bytes, copied) at three sizes, covering
// Latin (with Vietnamese), Greek, Cyrillic and the most used emoji (monochrome), and builds the
// atlas. With empty `ttf` it falls
// back to ImGui's built-in font (Latin-1 only; used by tests and if the font failed to load).
// Outputs: the fonts, or all-null Fonts if the atlas could not be built.
Fonts load_fonts(ImFontAtlas& atlas, std::span<const std::uint8_t> ttf, float scale);

// The code point ranges load_fonts() asks for: pairs [first, last], zero-terminated.
std::span<const std::uint32_t> glyph_ranges();

// Sets ImGui::GetStyle() to the app's theme with every size multiplied by `scale`.
void apply_style(float scale);

// The window background, for the host's clear colour (linear 0..1 sRGB components).
struct Rgb {
    float r, g, b;
};
Rgb background_color();

}  // namespace st::ui
