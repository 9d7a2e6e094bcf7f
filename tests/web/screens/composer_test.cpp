// The composer wraps long text at its width and grows up to six lines, then scrolls; what is
// sent, kept as the draft or copied is the text as typed (no wrap breaks). Message bubbles wrap
// long words and links inside the bubble.
#include <gtest/gtest.h>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"

namespace st::ui::testing {
namespace {

using namespace app::intent;

const std::string kLong =
    "This is a long message that goes on and on, well past the width of the composer, so that "
    "it has to wrap onto several lines instead of running off to the right of the window.";

// The composer's single-line height: measured before anything is typed.
float one_line_height(UiHarness& h, const app::AppView& view) {
    h.frames(view, 3);  // the composer takes focus when the conversation opens
    return h.rect("composer.input").h;
}

TEST(Composer, LongTextWrapsAtTheComposerWidthAndTheComposerGrows) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    const float one_line = one_line_height(h, f->view);
    const float width = h.rect("composer.input").w;

    const auto typed = h.type(f->view, kLong);
    h.frames(f->view, 2);
    const auto* draft = find_intent<UpdateDraft>(typed);
    ASSERT_NE(draft, nullptr);
    EXPECT_EQ(draft->text, kLong);  // the draft is the text as typed
    EXPECT_EQ(h.ui.composer, kLong);
    EXPECT_GE(h.ui.composer_wrap.soft.size(), 2u);
    EXPECT_GT(h.rect("composer.input").h, one_line * 2);
    EXPECT_EQ(h.rect("composer.input").w, width);  // wraps, does not widen

    const auto sent = h.press(f->view, ImGuiKey_Enter);
    const auto* send = find_intent<SendText>(sent);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->text, kLong);
    h.frames(f->view, 2);
    EXPECT_TRUE(h.ui.composer.empty());
    EXPECT_EQ(h.rect("composer.input").h, one_line);  // back to one line after sending
}

TEST(Composer, StopsGrowingAtSixLinesThenScrolls) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    const float one_line = one_line_height(h, f->view);
    const float line = ImGui::GetTextLineHeight();
    h.type(f->view, kLong + " " + kLong + " " + kLong + " " + kLong);
    h.frames(f->view, 2);
    EXPECT_GT(h.ui.composer_wrap.soft.size(), 6u);
    EXPECT_FLOAT_EQ(h.rect("composer.input").h, one_line + 5 * line);
}

TEST(Composer, ShiftEnterInWrappedTextIsARealLineBreak) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    one_line_height(h, f->view);
    h.type(f->view, kLong);
    h.press(f->view, ImGuiKey_Enter, /*shift=*/true);
    h.type(f->view, "Second paragraph.");
    EXPECT_EQ(h.ui.composer, kLong + "\nSecond paragraph.");
    const auto sent = h.press(f->view, ImGuiKey_Enter);
    const auto* send = find_intent<SendText>(sent);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->text, kLong + "\nSecond paragraph.");
}

TEST(Composer, BackspaceDeletesTypedCharactersAcrossWraps) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    one_line_height(h, f->view);
    h.type(f->view, kLong);
    for (int i = 0; i < 40; ++i) h.press(f->view, ImGuiKey_Backspace);
    EXPECT_EQ(h.ui.composer, kLong.substr(0, kLong.size() - 40));
}

TEST(Composer, CopyGivesTheTextWithoutWrapBreaks) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    one_line_height(h, f->view);
    h.type(f->view, kLong);
    ASSERT_FALSE(h.ui.composer_wrap.soft.empty());
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = true;
    h.press(f->view, ImGuiKey_A);
    h.press(f->view, ImGuiKey_C);
    io.KeyCtrl = false;
    EXPECT_EQ(h.clipboard, kLong);
    EXPECT_EQ(h.ui.composer, kLong);  // copying changed nothing
}

TEST(Composer, EscapeKeepsTheTypedTextAndItsWrapping) {
    auto f = main_screen(3, true, 10);
    UiHarness h({.width = 800, .height = 700});
    one_line_height(h, f->view);
    h.type(f->view, "Hi. ");
    h.frames(f->view, 2);
    h.type(f->view, kLong);  // typed after the edit started: Escape must not take it back
    const std::size_t breaks = h.ui.composer_wrap.soft.size();
    ASSERT_GE(breaks, 1u);
    h.press(f->view, ImGuiKey_Escape);
    h.frames(f->view, 2);
    EXPECT_EQ(h.ui.composer, "Hi. " + kLong);  // no wrap break turned into a line break
    EXPECT_EQ(h.ui.composer_wrap.soft.size(), breaks);
}

TEST(Composer, ANarrowerWindowWrapsTheDraftAgain) {
    auto f = varied_conversation();
    f->view.open->draft = kLong;
    UiHarness h({.width = 1200, .height = 700});
    h.frames(f->view, 3);
    const std::size_t wide_breaks = h.ui.composer_wrap.soft.size();
    h.resize(700, 700);
    h.frames(f->view, 3);
    EXPECT_GT(h.ui.composer_wrap.soft.size(), wide_breaks);
    EXPECT_EQ(h.ui.composer, kLong);
}

TEST(Composer, BubblesWrapLongWordsAndLinksInsideTheBubble) {
    auto f = main_screen(3, true, 0);
    const std::string url =
        "https://example.org/" + std::string(300, 'a') + "?q=" + std::string(100, 'b');
    const std::string word(400, 'W');
    app::MessageView in;
    in.id = "url";
    in.body = "See " + url;
    in.sent_ms = kNowMs - 1000;
    f->append(in);
    app::MessageView out;
    out.id = "word";
    out.body = word;
    out.outgoing = true;
    out.delivery = app::DeliveryState::Sent;
    out.sent_ms = kNowMs;
    f->append(out);
    for (const float width : {1280.0f, 700.0f, 390.0f}) {
        UiHarness h({.width = width, .height = 900});
        h.frames(f->view, 3);
        for (const char* id : {"message.url", "message.word"}) {
            ASSERT_TRUE(h.has(id)) << id << " at " << width;
            const WidgetRect& r = h.rect(id);
            // Inside the window with its margin: the bubble did not run off the right edge (a
            // clipped bubble would end at the edge), and it is taller than one line.
            EXPECT_LE(r.x + r.w, width - 15) << id << " at " << width;
            EXPECT_GT(r.h, ImGui::GetTextLineHeight() * 3) << id << " at " << width;
        }
    }
}

}  // namespace
}  // namespace st::ui::testing
