// The UI font covers the scripts issue 6 promises: Latin with Vietnamese, Greek, Cyrillic; and the
// most used emoji.
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

TEST(Fonts, TheMostUsedEmojiHaveGlyphs) {
    testing::UiHarness h({1280, 800, 1, true});
    for (ImFont* font : {h.ui.fonts.body, h.ui.fonts.title, h.ui.fonts.small}) {
        ASSERT_NE(font, nullptr);
        // 😀 😂 🤔 🤣 (faces), 👍 👋 ✌ 💪 (hands), ❤ 💔 💜 (hearts), 🔥 🎉 ✨ ✅ 💯 🚀 (symbols)
        for (ImWchar c : {0x1F600u, 0x1F602u, 0x1F914u, 0x1F923u, 0x1F44Du, 0x1F44Bu, 0x270Cu,
                          0x1F4AAu, 0x2764u, 0x1F494u, 0x1F49Cu, 0x1F525u, 0x1F389u, 0x2728u,
                          0x2705u, 0x1F4AFu, 0x1F680u}) {
            const ImFontGlyph* g = font->FindGlyphNoFallback(c);
            ASSERT_NE(g, nullptr) << std::hex << c;
            EXPECT_TRUE(g->Visible) << std::hex << c;
            EXPECT_GT(g->AdvanceX, font->FontSize * 0.3f) << std::hex << c;
        }
    }
}

TEST(Fonts, VariationSelectorsAndSkinTonesTakeNoSpace) {
    // "❤️" is U+2764 U+FE0F and "👍🏽" is U+1F44D U+1F3FD: a monochrome font draws the base emoji
    // alone, never a fallback box after it.
    testing::UiHarness h({1280, 800, 1, true});
    ImFont* font = h.ui.fonts.body;
    for (ImWchar c : {0xFE0Eu, 0xFE0Fu, 0x1F3FBu, 0x1F3FDu, 0x1F3FFu}) {
        const ImFontGlyph* g = font->FindGlyphNoFallback(c);
        ASSERT_NE(g, nullptr) << std::hex << c;
        EXPECT_EQ(g->AdvanceX, 0.0f) << std::hex << c;
        EXPECT_FALSE(g->Visible) << std::hex << c;
    }
    const char* thumbs = "\xF0\x9F\x91\x8D";                       // 👍
    const char* thumbs_tone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";  // 👍🏽
    EXPECT_EQ(font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, thumbs).x,
              font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, thumbs_tone).x);
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
