// Soft line wrapping of the composer's text: where lines break, that the person's text survives
// every wrap and edit unchanged, and how edits at a wrap behave.
#include "widgets/soft_wrap.hpp"

#include <gtest/gtest.h>

#include <random>

namespace st::ui::detail {
namespace {

// Every code point 10 pixels wide: a 100-pixel line holds 10 of them.
float ten(unsigned int) { return 10.0f; }

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out(1);
    for (const char c : s) {
        if (c == '\n') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

TEST(SoftWrap, BreaksAfterTheSpacesBeforeAWordThatDoesNotFit) {
    const WrappedText w = wrap_text("hello wonderful world", 100, ten);
    EXPECT_EQ(w.display, "hello \nwonderful \nworld");
    EXPECT_EQ(w.soft, (std::vector<std::size_t>{6, 17}));
    EXPECT_EQ(unwrap(w), "hello wonderful world");
}

TEST(SoftWrap, CutsAWordLongerThanTheLineBetweenCodePoints) {
    const std::string url = "https://example.org/a/very/long/path";  // 36 code points
    const WrappedText w = wrap_text(url, 100, ten);
    EXPECT_EQ(lines(w.display),
              (std::vector<std::string>{"https://ex", "ample.org/", "a/very/lon", "g/path"}));
    EXPECT_EQ(unwrap(w), url);

    // Two-byte code points are never split.
    const std::string greek = "αβγδεζηθικλμνξοπρστυφχψω";  // 24 code points, 48 bytes
    const WrappedText g = wrap_text(greek, 100, ten);
    for (const std::string& line : lines(g.display)) {
        EXPECT_EQ(line.size() % 2, 0u);
        EXPECT_LE(line.size(), 20u);
    }
    EXPECT_EQ(unwrap(g), greek);
}

TEST(SoftWrap, KeepsRealLineBreaksAndTrailingSpaces) {
    const WrappedText w = wrap_text("one\ntwo   \n\nthree four five", 100, ten);
    EXPECT_EQ(w.display, "one\ntwo   \n\nthree four \nfive");
    EXPECT_EQ(w.soft, (std::vector<std::size_t>{23}));
    // Spaces overhang the line instead of starting the next one.
    EXPECT_EQ(wrap_text("abcdefghij     k", 100, ten).display, "abcdefghij     \nk");
}

TEST(SoftWrap, MapsOffsetsBetweenDisplayAndLogicalText) {
    const WrappedText w = wrap_text("hello wonderful world", 100, ten);  // soft at 6 and 17
    EXPECT_EQ(to_logical(w, 0), 0u);
    EXPECT_EQ(to_logical(w, 6), 6u);  // before the first break
    EXPECT_EQ(to_logical(w, 7), 6u);  // after it: the same place in the text
    EXPECT_EQ(to_logical(w, 23), 21u);
    EXPECT_EQ(to_display(w, 5), 5u);
    EXPECT_EQ(to_display(w, 6), 7u);  // at a break: the start of the next visual line
    EXPECT_EQ(to_display(w, 21), 23u);
    EXPECT_EQ(unwrap_range(w, 3, 20), "lo wonderful wo");
}

TEST(SoftWrap, TypingAtTheEndMovesTheWordToTheNextLine) {
    const WrappedText before = wrap_text("hello worl", 100, ten);
    EXPECT_TRUE(before.soft.empty());
    const Edited e = follow_edit(before, "hello world", 11, false);
    EXPECT_EQ(unwrap(e.text), "hello world");
    const WrappedText after = wrap_text(unwrap(e.text), 100, ten);
    EXPECT_EQ(after.display, "hello \nworld");
    // The caret stays after the "d" the person just typed.
    EXPECT_EQ(to_display(after, to_logical(e.text, e.caret)), 12u);
}

TEST(SoftWrap, EditsKeepSoftBreaksOutsideTheEditedBytes) {
    const WrappedText before = wrap_text("hello wonderful world", 100, ten);
    // "X" typed at the very start: both breaks move one byte on.
    const Edited typed = follow_edit(before, "Xhello \nwonderful \nworld", 1, false);
    EXPECT_EQ(typed.text.soft, (std::vector<std::size_t>{7, 18}));
    EXPECT_EQ(unwrap(typed.text), "Xhello wonderful world");
    // A pasted real line break in the middle stays a line break.
    const Edited pasted = follow_edit(before, "hello \nwonder\nful \nworld", 14, false);
    EXPECT_EQ(unwrap(pasted.text), "hello wonder\nful world");
    // Selected text across a break replaced by one letter.
    const Edited replaced = follow_edit(before, "hello \nwonZld", 11, false);
    EXPECT_EQ(unwrap(replaced.text), "hello wonZld");
    EXPECT_EQ(replaced.from, 10u);
    EXPECT_EQ(replaced.removed, 11u);  // "derful \nwor"
    EXPECT_EQ(unwrap_range(before, replaced.from, replaced.from + replaced.removed), "derful wor");
}

TEST(SoftWrap, BackspaceOnAWrapDeletesTheCharacterBeforeIt) {
    const WrappedText before = wrap_text("hello wonderful world", 100, ten);
    // ImGui deleted the soft break at offset 6 (caret at the start of "wonderful").
    const Edited back = follow_edit(before, "hello wonderful \nworld", 6, false);
    EXPECT_EQ(unwrap(back.text), "hellowonderful world");
    EXPECT_EQ(to_logical(back.text, back.caret), 5u);
    // Delete at the end of the line ("hello |"): the "w" after the break goes.
    const Edited del = follow_edit(before, "hello wonderful \nworld", 6, true);
    EXPECT_EQ(unwrap(del.text), "hello onderful world");
    EXPECT_EQ(to_logical(del.text, del.caret), 6u);
}

TEST(SoftWrap, AnyTextSurvivesWrappingAndEveryLineFits) {
    std::mt19937 rng(20261126);
    const std::vector<std::string> pieces = {"a", "bc", " ",    "  ",       "\n", "é",
                                             "я", "😀",  "\xFF", "\xE2\x82", "w",  "https://x.y/z",
                                             "-", "\t"};
    for (int round = 0; round < 500; ++round) {
        std::string s;
        const int n = static_cast<int>(rng() % 80);
        for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
        const float width = static_cast<float>(5 + rng() % 120);
        const WrappedText w = wrap_text(s, width, ten);
        ASSERT_EQ(unwrap(w), s) << "round " << round;
        for (std::size_t i = 0; i < w.soft.size(); ++i) {
            ASSERT_EQ(w.display[w.soft[i]], '\n');
            if (i > 0) {
                ASSERT_LT(w.soft[i - 1], w.soft[i]);
            }
        }
        // Wrapping what is already wrapped at the same width changes nothing.
        EXPECT_EQ(wrap_text(unwrap(w), width, ten).display, w.display);
        for (std::size_t l = 0; l <= s.size(); ++l) ASSERT_EQ(to_logical(w, to_display(w, l)), l);
    }
}

TEST(SoftWrap, NoLineIsWiderThanTheWidthExceptOneCodePointOrHangingSpaces) {
    std::mt19937 rng(7);
    const std::vector<std::string> pieces = {"a", "bc", " ", "  ", "\n", "é", "😀", "wxyz", "-"};
    const auto code_points = [](std::string_view line) {
        std::size_t n = 0;
        for (const char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
        return n;
    };
    for (int round = 0; round < 500; ++round) {
        std::string s;
        const int n = static_cast<int>(rng() % 60);
        for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
        const float width = static_cast<float>(10 * (1 + rng() % 8));
        for (std::string line : lines(wrap_text(s, width, ten).display)) {
            while (!line.empty() && line.back() == ' ') line.pop_back();
            const std::size_t cps = code_points(line);
            if (cps > 1) {
                EXPECT_LE(static_cast<float>(cps) * 10, width) << line;
            }
        }
    }
}

}  // namespace
}  // namespace st::ui::detail
