// The UI font covers the scripts issue 6 promises: Latin with Vietnamese, Greek, Cyrillic.
#include "st/ui/theme.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "web/support/ui_harness.hpp"

namespace st::ui {
namespace {

TEST(Fonts, NotoSansHasGlyphsForEveryPromisedScript) {
    testing::UiHarness h({1280, 800, 1, true});
    ImFont* font = h.ui.fonts.body;
    ASSERT_NE(font, nullptr);
    // é (Latin-1), ş (Latin Extended-A), ạ ữ ₫ (Vietnamese), λ Ω (Greek), ж Я (Cyrillic), … (U+2026)
    for (ImWchar c : {0x00E9u, 0x015Fu, 0x1EA1u, 0x1EEFu, 0x20ABu, 0x03BBu, 0x03A9u, 0x0436u,
                      0x042Fu, 0x2026u}) {
        EXPECT_NE(font->FindGlyphNoFallback(c), nullptr) << std::hex << c;
    }
    EXPECT_NE(h.ui.fonts.title, nullptr);
    EXPECT_NE(h.ui.fonts.small, nullptr);
}

TEST(Fonts, ScaleMultipliesTheSizes) {
    testing::UiHarness one({1280, 800, 1, true});
    testing::UiHarness two({1280, 800, 2, true});
    EXPECT_FLOAT_EQ(two.ui.fonts.body->FontSize, one.ui.fonts.body->FontSize * 2);
    EXPECT_FLOAT_EQ(ImGui::GetStyle().FramePadding.x, 24.0f);  // the last context built: scale 2
}

TEST(Fonts, GlyphRangesArePairsAndZeroTerminated) {
    const auto ranges = glyph_ranges();
    ASSERT_FALSE(ranges.empty());
    EXPECT_EQ(ranges.back(), 0u);
    EXPECT_EQ(ranges.size() % 2, 1u);
    for (std::size_t i = 0; i + 1 < ranges.size(); i += 2) EXPECT_LE(ranges[i], ranges[i + 1]);
}

TEST(Fonts, EmptyFontDataFallsBackToTheBuiltInFont) {
    testing::UiHarness h;
    EXPECT_NE(h.ui.fonts.body, nullptr);
}

}  // namespace
}  // namespace st::ui
