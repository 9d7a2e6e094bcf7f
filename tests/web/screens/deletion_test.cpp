// Deletion and disappearing messages (protocol §8.2, §8.3): the message menu (right-click, long
// press), the keyboard shortcuts, the confirmation before anything is deleted, deleted and notice
// rows, the countdown and the frame it asks for, the disappearing-messages menu, deleting a
// conversation, and Settings → Clear device (and network) with its progress and Retry.
#include <gtest/gtest.h>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"
#include "widgets/widgets.hpp"

namespace st::ui::testing {
namespace {

using namespace app::intent;

// An action, then two more frames: popups and modals opened by it are laid out and drawn.
std::vector<app::Intent> settle(UiHarness& h, const app::AppView& view, std::vector<app::Intent> intents) {
    auto more = h.frames(view, 2);
    intents.insert(intents.end(), more.begin(), more.end());
    return intents;
}
std::vector<app::Intent> tap(UiHarness& h, const app::AppView& view, std::string_view name) {
    return settle(h, view, h.click(view, name));
}
std::vector<app::Intent> menu(UiHarness& h, const app::AppView& view, std::string_view message) {
    return settle(h, view, h.right_click(view, "message." + std::string(message)));
}

// [SECTION] The message menu

TEST(UiDeletion, RightClickOnOurSentMessageOffersCopyDeleteForMeAndForEveryone) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_TRUE(menu(h, f->view, "m1").empty());
    EXPECT_TRUE(h.has("message_menu.copy"));
    EXPECT_TRUE(h.has("message_menu.delete_for_me"));
    EXPECT_TRUE(h.has("message_menu.delete_for_everyone"));
}

TEST(UiDeletion, DeleteForEveryoneOnlyOnOurSentOrReadMessages) {
    auto f = deletion_conversation();
    for (const char* id : {"m0", "m2", "m6"}) {  // theirs, ours still sending, theirs
        SCOPED_TRACE(id);
        UiHarness h;
        h.frames(f->view, 2);
        menu(h, f->view, id);
        EXPECT_TRUE(h.has("message_menu.delete_for_me"));
        EXPECT_FALSE(h.has("message_menu.delete_for_everyone"));
    }
    UiHarness h;
    h.frames(f->view, 2);
    menu(h, f->view, "m5");  // ours, read
    EXPECT_TRUE(h.has("message_menu.delete_for_everyone"));
}

TEST(UiDeletion, CopyTextPutsTheBodyOnTheClipboard) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    menu(h, f->view, "m0");
    EXPECT_TRUE(tap(h, f->view, "message_menu.copy").empty());
    EXPECT_EQ(h.clipboard, "Their words");
    EXPECT_FALSE(h.has("message_menu.copy"));  // the menu closed
}

TEST(UiDeletion, DeleteForEveryoneAsksFirstThenSendsTheIntent) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    menu(h, f->view, "m1");
    EXPECT_TRUE(tap(h, f->view, "message_menu.delete_for_everyone").empty());
    ASSERT_TRUE(h.has("confirm.ok"));
    ASSERT_TRUE(h.has("confirm.cancel"));
    EXPECT_FALSE(h.has("message_menu.delete_for_everyone"));
    const auto intents = tap(h, f->view, "confirm.ok");
    const auto* d = find_intent<DeleteForEveryone>(intents);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->peer_session_id, peer_id(1));
    EXPECT_EQ(d->message_id, "m1");
    EXPECT_EQ(count_intents<DeleteForEveryone>(intents), 1u);
    EXPECT_FALSE(h.has("confirm.ok"));
}

TEST(UiDeletion, CancelDeletesNothing) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    menu(h, f->view, "m1");
    tap(h, f->view, "message_menu.delete_for_me");
    ASSERT_TRUE(h.has("confirm.cancel"));
    auto intents = tap(h, f->view, "confirm.cancel");
    auto more = h.frames(f->view, 3);
    intents.insert(intents.end(), more.begin(), more.end());
    EXPECT_EQ(count_intents<DeleteForMe>(intents), 0u);
    EXPECT_FALSE(h.has("confirm.ok"));
}

TEST(UiDeletion, DeleteForMeAsksFirstThenSendsTheIntent) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    menu(h, f->view, "m0");
    EXPECT_TRUE(tap(h, f->view, "message_menu.delete_for_me").empty());
    const auto d_intents = tap(h, f->view, "confirm.ok");
    const auto* d = find_intent<DeleteForMe>(d_intents);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->peer_session_id, peer_id(1));
    EXPECT_EQ(d->message_id, "m0");
}

TEST(UiDeletion, ALongPressOpensTheMenuAShortOneDoesNot) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    settle(h, f->view, h.long_press(f->view, "message.m1", 200));
    EXPECT_FALSE(h.has("message_menu.delete_for_me"));
    settle(h, f->view, h.long_press(f->view, "message.m1", 520));
    EXPECT_TRUE(h.has("message_menu.delete_for_everyone"));
}

TEST(UiDeletion, DeleteKeyOnAClickedBubbleAsksToDeleteForMeShiftDeleteForEveryone) {
    auto f = deletion_conversation();
    {
        UiHarness h;
        h.frames(f->view, 2);
        tap(h, f->view, "message.m1");  // selects it and takes the keyboard from the composer
        EXPECT_TRUE(settle(h, f->view, h.press(f->view, ImGuiKey_Delete)).empty());
        const auto d_intents = tap(h, f->view, "confirm.ok");
        const auto* d = find_intent<DeleteForMe>(d_intents);
        ASSERT_NE(d, nullptr);
        EXPECT_EQ(d->message_id, "m1");
    }
    {
        UiHarness h;
        h.frames(f->view, 2);
        tap(h, f->view, "message.m1");
        settle(h, f->view, h.press(f->view, ImGuiKey_Delete, true));
        const auto d_intents = tap(h, f->view, "confirm.ok");
        const auto* d = find_intent<DeleteForEveryone>(d_intents);
        ASSERT_NE(d, nullptr);
        EXPECT_EQ(d->message_id, "m1");
    }
    {
        // Shift+Delete on their message: not allowed, nothing asked.
        UiHarness h;
        h.frames(f->view, 2);
        tap(h, f->view, "message.m0");
        settle(h, f->view, h.press(f->view, ImGuiKey_Delete, true));
        EXPECT_FALSE(h.has("confirm.ok"));
    }
}

TEST(UiDeletion, TheDeleteKeyInTheComposerDeletesTextNotMessages) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 3);  // the composer takes the keyboard when the conversation opens
    h.hover(f->view, "message.m1");
    settle(h, f->view, h.press(f->view, ImGuiKey_Delete));
    EXPECT_FALSE(h.has("confirm.ok"));
}

// [SECTION] Deleted and notice rows, the countdown

TEST(UiDeletion, DeletedAndNoticeRowsAreDrawnAndOnlyDeletedHasAMenu) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    ASSERT_TRUE(h.has("message.m3"));
    ASSERT_TRUE(h.has("message.m4"));
    menu(h, f->view, "m3");
    EXPECT_FALSE(h.has("message_menu.copy"));  // nothing to copy
    EXPECT_TRUE(h.has("message_menu.delete_for_me"));
    EXPECT_FALSE(h.has("message_menu.delete_for_everyone"));
    UiHarness h2;
    h2.frames(f->view, 2);
    menu(h2, f->view, "m4");
    EXPECT_FALSE(h2.has("message_menu.delete_for_me"));
    // A notice is centred.
    const auto& r = h2.rect("message.m4");
    const auto& list = h2.rect("composer.input");
    EXPECT_GT(r.x, list.x);
}

TEST(UiDeletion, CountdownOnDisappearingBubblesAsksForAFrameWhenItsTextChanges) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frame(f->view);
    EXPECT_TRUE(h.has("message.m5.countdown"));
    EXPECT_TRUE(h.has("message.m6.countdown"));
    EXPECT_FALSE(h.has("message.m1.countdown"));
    // m5 has 9.5 s left ("10 s"): the label changes to "9 s" at 9 s left.
    EXPECT_EQ(h.ui.redraw_at_ms, kNowMs + 500);
    h.frames(f->view, 40);  // 640 ms later it shows "9 s"; next change at 8 s left
    EXPECT_EQ(h.ui.redraw_at_ms, kNowMs + 1500);

    auto plain = main_screen(3, true, 20);
    UiHarness p;
    p.frames(plain->view, 2);
    EXPECT_EQ(p.ui.redraw_at_ms, 0) << "nothing counts down: no timed frame";
}

TEST(UiDeletion, CountdownTextUsesCoarseUnits) {
    using detail::countdown_text;
    std::int64_t in = 0;
    EXPECT_EQ(countdown_text(9'500, in), "10 s");
    EXPECT_EQ(in, 500);
    EXPECT_EQ(countdown_text(9'000, in), "9 s");
    EXPECT_EQ(in, 1000);
    EXPECT_EQ(countdown_text(1, in), "1 s");
    EXPECT_EQ(in, 1);
    EXPECT_EQ(countdown_text(59 * 60'000 + 30'000, in), "59 min");
    EXPECT_EQ(in, 30'001);
    EXPECT_EQ(countdown_text(60'000, in), "1 min");
    EXPECT_EQ(in, 1);
    EXPECT_EQ(countdown_text(23 * 3'600'000 + 5, in), "23 h");
    EXPECT_EQ(countdown_text(3 * 86'400'000LL, in), "3 d");
    EXPECT_EQ(countdown_text(0, in), "0 s");
    EXPECT_EQ(in, 0);
}

// [SECTION] The disappearing-messages menu, deleting a conversation

TEST(UiDeletion, TheTimerButtonListsTheChoicesAndSendsSetDisappearing) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_TRUE(h.has("conversation.disappearing_text"));
    tap(h, f->view, "conversation.disappearing");
    for (const char* name : {"disappearing.off", "disappearing.after_read.300",
                             "disappearing.after_read.3600", "disappearing.after_send.30",
                             "disappearing.after_send.86400"}) {
        EXPECT_TRUE(h.has(name)) << name;
    }
    // The current choice (after send 30 s) sends nothing.
    EXPECT_EQ(count_intents<SetDisappearing>(tap(h, f->view, "disappearing.after_send.30")), 0u);
    tap(h, f->view, "conversation.disappearing");
    const auto s_intents = tap(h, f->view, "disappearing.after_read.3600");
    const auto* s = find_intent<SetDisappearing>(s_intents);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->peer_session_id, peer_id(1));
    EXPECT_EQ(s->mode, app::DisappearingMode::AfterRead);
    EXPECT_EQ(s->seconds, 3600u);
    tap(h, f->view, "conversation.disappearing");
    const auto off_intents = tap(h, f->view, "disappearing.off");
    const auto* off = find_intent<SetDisappearing>(off_intents);
    ASSERT_NE(off, nullptr);
    EXPECT_EQ(off->mode, app::DisappearingMode::Off);
    EXPECT_EQ(off->seconds, 0u);
}

TEST(UiDeletion, NoDisappearingLineWhenOff) {
    auto f = main_screen(3, true, 5);
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_FALSE(h.has("conversation.disappearing_text"));
    EXPECT_TRUE(h.has("conversation.disappearing"));
}

TEST(UiDeletion, DeleteConversationFromTheMenuAsksFirst) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    tap(h, f->view, "conversation.menu");
    ASSERT_TRUE(h.has("conversation.delete"));
    EXPECT_TRUE(tap(h, f->view, "conversation.delete").empty());
    const auto d_intents = tap(h, f->view, "confirm.ok");
    const auto* d = find_intent<DeleteConversation>(d_intents);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->peer_session_id, peer_id(1));
}

TEST(UiDeletion, TheConversationMenuOpensTheDisappearingMenuToo) {
    auto f = deletion_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    tap(h, f->view, "conversation.menu");
    tap(h, f->view, "conversation.menu_disappearing");
    EXPECT_TRUE(h.has("disappearing.after_send.86400"));
}

// [SECTION] Settings: clear device, clear device and network

TEST(UiDeletion, ClearDeviceAsksFirstThenSendsTheIntent) {
    auto f = settings(false, false);
    UiHarness h({1280, 2000});
    h.ui.panel = Panel::Settings;
    h.frames(f->view, 2);
    EXPECT_TRUE(tap(h, f->view, "settings.clear_device").empty());
    ASSERT_TRUE(h.has("confirm.ok"));
    EXPECT_EQ(count_intents<ClearDevice>(tap(h, f->view, "confirm.ok")), 1u);
}

TEST(UiDeletion, ClearDeviceAndNetworkAsksFirstThenSendsTheIntent) {
    auto f = settings(false, false);
    UiHarness h({1280, 2000});
    h.ui.panel = Panel::Settings;
    h.frames(f->view, 2);
    EXPECT_TRUE(tap(h, f->view, "settings.clear_network").empty());
    ASSERT_TRUE(h.has("confirm.cancel"));
    EXPECT_EQ(count_intents<ClearDeviceAndNetwork>(tap(h, f->view, "confirm.cancel")), 0u);
    tap(h, f->view, "settings.clear_network");
    EXPECT_EQ(count_intents<ClearDeviceAndNetwork>(tap(h, f->view, "confirm.ok")), 1u);
}

TEST(UiDeletion, WhileClearingTheNetworkEachMemberIsListedAndNothingCanBeStartedAgain) {
    auto f = clearing_network(false);
    UiHarness h({1280, 2000});
    h.ui.panel = Panel::Settings;
    h.frames(f->view, 2);
    EXPECT_TRUE(h.has("settings.clear_network_panel"));
    EXPECT_EQ(h.count_rects("settings.clear_network_member."), 3u);
    EXPECT_FALSE(h.has("settings.clear_network"));
    EXPECT_FALSE(h.has("settings.clear_device"));
    EXPECT_FALSE(h.has("settings.clear_network_retry"));
}

TEST(UiDeletion, AFailedClearingSaysWhyAndOffersRetryAndClose) {
    auto f = clearing_network(true);
    UiHarness h({1280, 2000});
    h.ui.panel = Panel::Settings;
    h.frames(f->view, 2);
    EXPECT_TRUE(h.has("settings.clear_network_problem"));
    EXPECT_EQ(count_intents<DismissClearNetwork>(tap(h, f->view, "settings.clear_network_close")), 1u);
    EXPECT_EQ(count_intents<ClearDeviceAndNetwork>(tap(h, f->view, "settings.clear_network_retry")), 1u);
}

}  // namespace
}  // namespace st::ui::testing
