// The theme: ImGui style sizes and colours, and the Noto Sans fonts with the scripts Session Tab
// promises (Latin including Vietnamese, Greek, Cyrillic) and monochrome emoji.
#include "st/ui/theme.hpp"

#include <imgui.h>

#include <iterator>
#include <cstring>

#include "theme/palette.hpp"

namespace st::ui {
namespace {

// Code point ranges baked into the atlas. ImGui 1.86 has a static atlas, so every glyph a message
// may contain must be chosen here; anything else is drawn as the fallback glyph (U+FFFD). The
// ranges are the ones the UI font is cut to (web/CMakeLists.txt): Latin including Vietnamese,
// Greek, Cyrillic, punctuation, currency, arrows; the most used emoji; zero-width variation
// selectors and skin tone modifiers.
constexpr ImWchar kRanges[] = {
#include "ui_font_ranges.inc"
    0,
};

// The public accessor hands kRanges out as uint32 (ImWchar is 32-bit with IMGUI_USE_WCHAR32).
static_assert(sizeof(ImWchar) == sizeof(std::uint32_t), "build ImGui with IMGUI_USE_WCHAR32");

ImVec4 rgba(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

std::span<const std::uint32_t> glyph_ranges() {
    return {reinterpret_cast<const std::uint32_t*>(kRanges), std::size(kRanges)};
}

Fonts load_fonts(ImFontAtlas& atlas, std::span<const std::uint8_t> ttf, float scale) {
    atlas.Clear();
    Fonts fonts;
    if (ttf.empty()) {
        ImFontConfig config;
        config.SizePixels = 13.0f * scale;
        fonts.body = atlas.AddFontDefault(&config);
        fonts.title = fonts.body;
        fonts.small = fonts.body;
    } else {
        // One copy of the TTF owned by the atlas, shared by the three sizes.
        void* data = IM_ALLOC(ttf.size());
        std::memcpy(data, ttf.data(), ttf.size());
        const int size = static_cast<int>(ttf.size());
        auto add = [&](float css_px, bool owns) {
            ImFontConfig config;
            config.FontDataOwnedByAtlas = owns;
            // Oversampling makes glyphs smoother at small sizes; on dense screens it only
            // inflates the atlas.
            config.OversampleH = scale >= 1.5f ? 1 : 2;
            config.OversampleV = 1;
            config.PixelSnapH = true;
            return atlas.AddFontFromMemoryTTF(data, size, css_px * scale, &config, kRanges);
        };
        fonts.body = add(kBodyFontPx, true);
        fonts.title = add(21.0f, false);
        fonts.small = add(13.0f, false);
    }
    if (!atlas.Build() || fonts.body == nullptr || !fonts.body->IsLoaded()) return {};
    return fonts;
}

void apply_style(float scale) {
    ImGuiStyle style;  // start from the defaults so repeated calls do not compound the scale
    ImGui::StyleColorsDark(&style);
    style.WindowPadding = ImVec2(0, 0);
    style.WindowRounding = 0;
    style.WindowBorderSize = 0;
    style.ChildRounding = 0;
    style.ChildBorderSize = 0;
    style.PopupRounding = 8;
    style.PopupBorderSize = 1;
    style.FramePadding = ImVec2(12, 8);
    style.FrameRounding = 8;
    style.FrameBorderSize = 0;
    style.ItemSpacing = ImVec2(8, 8);
    style.ItemInnerSpacing = ImVec2(6, 6);
    style.ScrollbarSize = 10;
    style.ScrollbarRounding = 5;
    style.GrabRounding = 5;
    style.SelectableTextAlign = ImVec2(0, 0.5f);
    style.ScaleAllSizes(scale);

    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = rgba(palette::kText);
    c[ImGuiCol_TextDisabled] = rgba(palette::kTextFaint);
    c[ImGuiCol_WindowBg] = rgba(palette::kBackground);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = rgba(palette::kSurface);
    c[ImGuiCol_Border] = rgba(palette::kBorder);
    c[ImGuiCol_FrameBg] = rgba(palette::kSurface);
    c[ImGuiCol_FrameBgHovered] = rgba(palette::kSurfaceHover);
    c[ImGuiCol_FrameBgActive] = rgba(palette::kSurfaceActive);
    c[ImGuiCol_Button] = rgba(palette::kSurface);
    c[ImGuiCol_ButtonHovered] = rgba(palette::kSurfaceHover);
    c[ImGuiCol_ButtonActive] = rgba(palette::kSurfaceActive);
    c[ImGuiCol_Header] = rgba(palette::kSelected);
    c[ImGuiCol_HeaderHovered] = rgba(palette::kSurfaceHover);
    c[ImGuiCol_HeaderActive] = rgba(palette::kSurfaceActive);
    c[ImGuiCol_CheckMark] = rgba(palette::kAccent);
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.0f, 0.88f, 0.48f, 0.35f);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = rgba(palette::kSurfaceHover);
    c[ImGuiCol_ScrollbarGrabHovered] = rgba(palette::kSurfaceActive);
    c[ImGuiCol_ScrollbarGrabActive] = rgba(palette::kTextFaint);
    c[ImGuiCol_Separator] = rgba(palette::kBorder);
    c[ImGuiCol_NavHighlight] = rgba(palette::kAccent);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.6f);
    ImGui::GetStyle() = style;
}

Rgb background_color() {
    const ImVec4 c = rgba(palette::kBackground);
    return {c.x, c.y, c.z};
}

}  // namespace st::ui
