// The virtualised message list: only what is on screen is drawn, it follows new messages while at
// the bottom, keeps what the person reads in place while scrolled up, and copes with 100k rows.
#include <gtest/gtest.h>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"

namespace st::ui::testing {
namespace {

app::MessageView incoming(const std::string& id, const std::string& body) {
    app::MessageView m;
    m.id = id;
    m.body = body;
    m.sent_ms = kNowMs;
    return m;
}

// Top edge of a message's bubble, or -1 if it is not on screen.
float top_of(const UiHarness& h, const std::string& id) {
    const WidgetRect* r = find_rect(h.ui, "message." + id);
    return r ? r->y : -1.0f;
}

TEST(MessageList, HundredThousandMessagesDrawOnlyWhatIsVisible) {
    auto f = main_screen(3, true, 100'000);
    UiHarness h;
    h.frames(f->view, 3);
    EXPECT_TRUE(h.has("message.m99999"));
    EXPECT_FALSE(h.has("message.m0"));
    EXPECT_LT(h.count_rects("message."), 60u);
    EXPECT_TRUE(h.ui.messages.stick_to_bottom);
    EXPECT_EQ(h.ui.messages.height.size(), 100'000u);
}

TEST(MessageList, ScrollingUpLeavesTheBottomAndOffersAJumpBack) {
    auto f = main_screen(3, true, 100'000);
    UiHarness h;
    h.frames(f->view, 3);
    const WidgetRect composer = h.rect("composer.input");
    h.wheel(f->view, composer.x + 100, composer.y - 200, 20);
    h.frames(f->view, 2);
    EXPECT_FALSE(h.ui.messages.stick_to_bottom);
    EXPECT_FALSE(h.has("message.m99999"));
    ASSERT_TRUE(h.has("messages.jump_latest"));
    h.click(f->view, "messages.jump_latest");
    h.frames(f->view, 2);
    EXPECT_TRUE(h.ui.messages.stick_to_bottom);
    EXPECT_TRUE(h.has("message.m99999"));
}

TEST(MessageList, FollowsNewMessagesWhileAtTheBottom) {
    auto f = main_screen(3, true, 200);
    UiHarness h;
    h.frames(f->view, 3);
    f->append(incoming("new1", "a new message"));
    h.frames(f->view, 2);
    EXPECT_TRUE(h.has("message.new1"));
    EXPECT_FALSE(h.has("messages.jump_latest"));
}

TEST(MessageList, KeepsTheReadingPositionWhenMessagesArriveWhileScrolledUp) {
    auto f = main_screen(3, true, 2'000);
    UiHarness h;
    h.frames(f->view, 3);
    const WidgetRect composer = h.rect("composer.input");
    h.wheel(f->view, composer.x + 100, composer.y - 200, 15);
    h.frames(f->view, 3);
    // Some message in the middle of the screen, and where it is.
    std::string anchor;
    for (const auto& r : h.ui.rects) {
        if (r.name.rfind("message.m", 0) == 0 && r.y > 200) {
            anchor = r.name.substr(8);
            break;
        }
    }
    ASSERT_FALSE(anchor.empty());
    const float before = top_of(h, anchor);
    for (int i = 0; i < 5; ++i) f->append(incoming("late" + std::to_string(i), "late news"));
    h.frames(f->view, 3);
    EXPECT_FLOAT_EQ(top_of(h, anchor), before);
    EXPECT_FALSE(h.has("message.late4"));
}

TEST(MessageList, ResizingKeepsTheLatestMessageInView) {
    auto f = main_screen(3, true, 5'000);
    UiHarness h;
    h.frames(f->view, 3);
    for (float w : {900.0f, 1600.0f, 500.0f, 1280.0f}) {
        h.resize(w, 800);
        h.frames(f->view, 3);
        EXPECT_TRUE(h.has("message.m4999")) << "width " << w;
    }
}

TEST(MessageList, AFailedMessageGrowsToShowRetry) {
    auto f = main_screen(3, true, 20);
    f->messages.back().outgoing = true;
    f->relink();
    UiHarness h;
    h.frames(f->view, 3);
    const std::string last = f->messages.back().id;
    EXPECT_FALSE(h.has("message." + last + ".retry"));
    f->messages.back().delivery = app::DeliveryState::Failed;
    f->messages.back().failure_text = "No answer.";
    h.frames(f->view, 3);
    ASSERT_TRUE(h.has("message." + last + ".retry"));
    // The retry row is below the bubble and still on screen (the list stayed at the bottom).
    EXPECT_GT(h.rect("message." + last + ".retry").y, h.rect("message." + last).y);
}

TEST(MessageList, SwitchingConversationsStartsAtTheBottomOfTheNewOne) {
    auto a = main_screen(3, true, 3'000);
    auto b = main_screen(3, true, 50);
    b->view.open->peer_session_id = peer_id(2);
    UiHarness h;
    h.frames(a->view, 3);
    const WidgetRect composer = h.rect("composer.input");
    h.wheel(a->view, composer.x + 100, composer.y - 200, 10);
    EXPECT_FALSE(h.ui.messages.stick_to_bottom);
    h.frames(b->view, 3);
    EXPECT_TRUE(h.ui.messages.stick_to_bottom);
    EXPECT_TRUE(h.has("message.m49"));
}

TEST(MessageList, EveryMessageCanBeReachedByScrolling) {
    auto f = main_screen(3, true, 300);
    UiHarness h;
    h.frames(f->view, 3);
    const WidgetRect composer = h.rect("composer.input");
    for (int i = 0; i < 200 && !h.has("message.m0"); ++i) {
        h.wheel(f->view, composer.x + 100, composer.y - 200, 10);
    }
    EXPECT_TRUE(h.has("message.m0"));
    EXPECT_DOUBLE_EQ(h.ui.messages.scroll, 0.0);
}

}  // namespace
}  // namespace st::ui::testing
