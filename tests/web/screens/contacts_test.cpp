// Message requests, the contact panel, typing, Settings, names to look up and older messages: what
// a person's clicks ask of the core, driven by widget name as the browser tests do.
#include <gtest/gtest.h>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"

namespace st::ui::testing {
namespace {

using namespace app::intent;

// A click, then one more frame: what the click changed in UiState is drawn in the next frame
// (ImGui reports the press on release, after the frame's widgets were laid out).
std::vector<app::Intent> tap(UiHarness& h, const app::AppView& view, std::string_view name) {
    auto intents = h.click(view, name);
    auto more = h.frame(view);
    intents.insert(intents.end(), more.begin(), more.end());
    return intents;
}

// [SECTION] Message requests

TEST(UiContacts, RequestsRowOpensTheRequestsListAndBack) {
    auto f = with_requests(false);
    UiHarness h;
    h.frames(f->view, 2);
    ASSERT_TRUE(h.has("sidebar.requests"));
    EXPECT_FALSE(h.has("request." + peer_id(20)));  // requests are not in the main list
    tap(h, f->view, "sidebar.requests");
    EXPECT_TRUE(h.has("request." + peer_id(20)));
    EXPECT_TRUE(h.has("request." + peer_id(21)));
    EXPECT_FALSE(h.has("conversation." + peer_id(1)));
    const auto open = tap(h, f->view, "request." + peer_id(20));
    const auto* o = find_intent<OpenConversation>(open);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->peer_session_id, peer_id(20));
    tap(h, f->view, "requests.back");
    EXPECT_TRUE(h.has("conversation." + peer_id(1)));
    EXPECT_TRUE(h.has("sidebar.requests"));
}

TEST(UiContacts, NoRequestsRowWithoutRequests) {
    auto f = main_screen(3, false, 0);
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_FALSE(h.has("sidebar.requests"));
}

TEST(UiContacts, ClearAllAsksFirst) {
    auto f = with_requests(false);
    UiHarness h;
    h.frames(f->view, 2);
    tap(h, f->view, "sidebar.requests");
    EXPECT_TRUE(tap(h, f->view, "requests.clear_all").empty());
    ASSERT_TRUE(h.has("requests.clear_cancel"));
    tap(h, f->view, "requests.clear_cancel");
    EXPECT_FALSE(h.has("requests.clear_confirm"));
    tap(h, f->view, "requests.clear_all");
    EXPECT_NE(find_intent<ClearAllRequests>(tap(h, f->view, "requests.clear_confirm")), nullptr);
}

TEST(UiContacts, AnOpenRequestOffersAcceptDeclineAndBlock) {
    auto f = with_requests(true);
    const std::string peer = peer_id(20);
    for (const char* name : {"request.accept", "request.decline", "request.block"}) {
        SCOPED_TRACE(name);
        UiHarness h;
        h.frames(f->view, 2);
        EXPECT_TRUE(h.has("composer.input"));  // replying accepts it (the core does)
        const auto intents = tap(h, f->view, name);
        if (std::string(name) == "request.accept") {
            ASSERT_NE(find_intent<AcceptRequest>(intents), nullptr);
            EXPECT_EQ(find_intent<AcceptRequest>(intents)->peer_session_id, peer);
        } else if (std::string(name) == "request.decline") {
            ASSERT_NE(find_intent<DeclineRequest>(intents), nullptr);
            EXPECT_EQ(find_intent<DeclineRequest>(intents)->peer_session_id, peer);
        } else {
            ASSERT_NE(find_intent<BlockContact>(intents), nullptr);
            EXPECT_EQ(find_intent<BlockContact>(intents)->peer_session_id, peer);
        }
    }
}

TEST(UiContacts, RequestBarFitsOnAPhone) {
    auto f = with_requests(true);
    UiHarness h({390, 844, 1, true});
    h.frames(f->view, 3);
    const WidgetRect& accept = h.rect("request.accept");
    const WidgetRect& block = h.rect("request.block");
    EXPECT_GE(accept.x, 0);
    EXPECT_LE(block.x + block.w, 390);
    EXPECT_LE(h.rect("request.block").y + h.rect("request.block").h, h.rect("composer.input").y);
}

// [SECTION] Contact panel

TEST(UiContacts, TitleOpensTheNicknameEditor) {
    auto f = main_screen(3, true, 4);
    const std::string peer = f->view.open->peer_session_id;
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_FALSE(h.has("contact.nickname_input"));
    tap(h, f->view, "conversation.title");
    ASSERT_TRUE(h.has("contact.nickname_input"));
    // Nothing typed yet: nothing to save or remove.
    EXPECT_EQ(find_intent<SetNickname>(tap(h, f->view, "contact.nickname_save")), nullptr);
    EXPECT_EQ(find_intent<SetNickname>(tap(h, f->view, "contact.nickname_clear")), nullptr);
    tap(h, f->view, "contact.nickname_input");
    h.type(f->view, "Bobby");
    const auto intents = tap(h, f->view, "contact.nickname_save");
    const auto* set = find_intent<SetNickname>(intents);
    ASSERT_NE(set, nullptr);
    EXPECT_EQ(set->peer_session_id, peer);
    EXPECT_EQ(set->nickname, "Bobby");
    tap(h, f->view, "conversation.title");
    EXPECT_FALSE(h.has("contact.nickname_input"));
}

TEST(UiContacts, RemovingTheNicknameSendsAnEmptyOne) {
    auto f = contact_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    tap(h, f->view, "conversation.title");
    const auto set_intents = tap(h, f->view, "contact.nickname_clear");
    const auto* set = find_intent<SetNickname>(set_intents);
    ASSERT_NE(set, nullptr);
    EXPECT_EQ(set->nickname, "");
}

TEST(UiContacts, BlockAsksFirst) {
    auto f = main_screen(3, true, 4);
    UiHarness h;
    h.frames(f->view, 2);
    tap(h, f->view, "conversation.title");
    EXPECT_TRUE(tap(h, f->view, "contact.block").empty());
    const auto block_intents = tap(h, f->view, "contact.block_confirm");
    const auto* block = find_intent<BlockContact>(block_intents);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(block->peer_session_id, f->view.open->peer_session_id);
}

TEST(UiContacts, ABlockedContactGetsUnblockInsteadOfTheComposer) {
    auto f = blocked_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_FALSE(h.has("composer.input"));
    EXPECT_NE(find_intent<UnblockContact>(tap(h, f->view, "conversation.unblock")), nullptr);
    tap(h, f->view, "conversation.title");
    EXPECT_NE(find_intent<UnblockContact>(tap(h, f->view, "contact.unblock")), nullptr);
}

TEST(UiContacts, AwaitingApprovalShowsAQuietHint) {
    auto f = contact_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    ASSERT_TRUE(h.has("conversation.awaiting_approval"));
    EXPECT_LE(h.rect("conversation.awaiting_approval").y + h.rect("conversation.awaiting_approval").h,
              h.rect("composer.input").y);
    f->view.open->awaiting_approval = false;
    h.frames(f->view, 2);
    EXPECT_FALSE(h.has("conversation.awaiting_approval"));
}

// [SECTION] Settings

struct SettingsHarness {
    std::unique_ptr<Fixture> f;
    UiHarness h;
    explicit SettingsHarness(std::unique_ptr<Fixture> fixture, HarnessOptions o = {})
        : f(std::move(fixture)), h(o) {
        h.frames(f->view, 2);
        tap(h, f->view, "sidebar.settings");
    }
};

TEST(UiSettings, OpensFromTheSidebarAndSwitchesSendTheNewValue) {
    SettingsHarness s(settings(false, false));
    ASSERT_TRUE(s.h.has("settings.typing"));
    const auto typing_intents = tap(s.h, s.f->view, "settings.typing");
    const auto* typing = find_intent<SetTypingIndicators>(typing_intents);
    ASSERT_NE(typing, nullptr);
    EXPECT_FALSE(typing->on);  // it was on
    s.f->view.settings.read_receipts = false;
    const auto receipts_intents = tap(s.h, s.f->view, "settings.read_receipts");
    const auto* receipts = find_intent<SetReadReceipts>(receipts_intents);
    ASSERT_NE(receipts, nullptr);
    EXPECT_TRUE(receipts->on);
}

TEST(UiSettings, DisplayNameStartsAsTheCurrentOneAndSavesWhenChanged) {
    SettingsHarness s(settings(false, false));
    EXPECT_EQ(s.h.ui.contacts.settings_name, "Alice");
    EXPECT_EQ(find_intent<SetDisplayName>(tap(s.h, s.f->view, "settings.name_save")), nullptr);
    tap(s.h, s.f->view, "settings.name_input");
    s.h.type(s.f->view, " B.");
    const auto set_intents = s.h.press(s.f->view, ImGuiKey_Enter);
    const auto* set = find_intent<SetDisplayName>(set_intents);
    ASSERT_NE(set, nullptr);
    EXPECT_EQ(set->name, "Alice B.");
}

TEST(UiSettings, NameProblemIsShown) {
    SettingsHarness s(settings(false, true));
    EXPECT_TRUE(s.h.has("settings.name_problem"));
}

TEST(UiSettings, BlockedContactsCanBeUnblocked) {
    SettingsHarness s(settings(false, false));
    const auto unblock_intents = tap(s.h, s.f->view, "settings.unblock." + peer_id(31));
    const auto* unblock = find_intent<UnblockContact>(unblock_intents);
    ASSERT_NE(unblock, nullptr);
    EXPECT_EQ(unblock->peer_session_id, peer_id(31));
}

TEST(UiSettings, RecoveryPhraseIsRevealedOnlyAfterConfirming) {
    SettingsHarness s(settings(false, false));
    EXPECT_TRUE(tap(s.h, s.f->view, "settings.reveal").empty());
    ASSERT_TRUE(s.h.has("settings.reveal_cancel"));
    tap(s.h, s.f->view, "settings.reveal_cancel");
    EXPECT_TRUE(s.h.has("settings.reveal"));
    tap(s.h, s.f->view, "settings.reveal");
    EXPECT_NE(find_intent<RevealRecoveryPhrase>(tap(s.h, s.f->view, "settings.reveal_confirm")),
              nullptr);
}

TEST(UiSettings, RevealedPhraseCanBeCopiedAndHidden) {
    SettingsHarness s(settings(true, false), {1280, 1400, 1, false});
    ASSERT_TRUE(s.h.has("settings.phrase"));
    tap(s.h, s.f->view, "settings.copy_phrase");
    EXPECT_EQ(s.h.clipboard, kPhrase);
    EXPECT_NE(find_intent<HideRecoveryPhrase>(tap(s.h, s.f->view, "settings.hide_phrase")), nullptr);
}

TEST(UiSettings, LeavingThePanelHidesThePhraseOnce) {
    SettingsHarness s(settings(false, false));
    s.f->view.settings.recovery_phrase = kPhrase;  // revealed while the panel is open
    EXPECT_EQ(count_intents<HideRecoveryPhrase>(s.h.frames(s.f->view, 2)), 0u);
    const auto intents = tap(s.h, s.f->view, "panel.close");
    EXPECT_EQ(count_intents<HideRecoveryPhrase>(intents), 1u);
    // The view still has it for a frame or two (the host dispatches after the frame): not again.
    EXPECT_EQ(count_intents<HideRecoveryPhrase>(s.h.frames(s.f->view, 3)), 0u);
    s.f->view.settings.recovery_phrase.clear();
    s.h.frames(s.f->view, 1);
    EXPECT_EQ(count_intents<HideRecoveryPhrase>(s.h.frames(s.f->view, 3)), 0u);
}

TEST(UiSettings, AboutShowsVersion) {
    SettingsHarness s(settings(false, false), {1280, 1400, 1, false});
    EXPECT_TRUE(s.h.has("settings.version"));
}

// [SECTION] New conversation by ONS name

TEST(UiNewConversation, AnOnsNameCanBeStarted) {
    auto f = main_screen(2, false, 0);
    UiHarness h;
    h.ui.panel = Panel::NewConversation;
    h.frames(f->view, 2);
    h.type(f->view, "alice-2024");
    const auto start_intents = tap(h, f->view, "new_conversation.start");
    const auto* start = find_intent<StartConversation>(start_intents);
    ASSERT_NE(start, nullptr);
    EXPECT_EQ(start->session_id_text, "alice-2024");
}

TEST(UiNewConversation, NeitherIdNorNameCannotBeStarted) {
    auto f = main_screen(2, false, 0);
    UiHarness h;
    h.ui.panel = Panel::NewConversation;
    h.frames(f->view, 2);
    h.type(f->view, "not a name!");
    EXPECT_EQ(find_intent<StartConversation>(tap(h, f->view, "new_conversation.start")), nullptr);
}

TEST(UiNewConversation, WhileResolvingTheButtonWaits) {
    auto f = main_screen(2, false, 0);
    f->view.resolving_name = true;
    UiHarness h;
    h.ui.panel = Panel::NewConversation;
    h.frames(f->view, 2);
    h.type(f->view, "alice");
    EXPECT_TRUE(h.has("new_conversation.resolving"));
    EXPECT_EQ(find_intent<StartConversation>(tap(h, f->view, "new_conversation.start")), nullptr);
    EXPECT_EQ(find_intent<StartConversation>(h.press(f->view, ImGuiKey_Enter)), nullptr);
}

// [SECTION] Older messages

TEST(UiOlderMessages, AskedOnceAtTheTopAndTheViewStaysPutWhenThePageArrives) {
    auto f = paged_conversation(300, 50);
    UiHarness h;
    h.frames(f->view, 3);
    EXPECT_EQ(count_intents<LoadOlderMessages>(h.frames(f->view, 2)), 0u);  // at the bottom
    const WidgetRect composer = h.rect("composer.input");
    auto intents = h.wheel(f->view, composer.x + 100, composer.y - 200, 200);
    auto more = h.frames(f->view, 5);
    intents.insert(intents.end(), more.begin(), more.end());
    EXPECT_EQ(count_intents<LoadOlderMessages>(intents), 1u);
    ASSERT_TRUE(h.has("message.m250"));  // the oldest of the window, at the top
    const float before = h.rect("message.m250").y;

    // The core reads the page: loading, then 50 older messages in front.
    f->view.open->loading = true;
    EXPECT_EQ(count_intents<LoadOlderMessages>(h.frames(f->view, 3)), 0u);
    auto page = main_screen(2, true, 300);
    std::vector<app::MessageView> grown(page->messages.begin() + 200, page->messages.end());
    f->messages = std::move(grown);
    f->relink();
    f->view.open->loading = false;
    ++f->view.version;
    h.frames(f->view, 3);
    ASSERT_TRUE(h.has("message.m250"));
    EXPECT_NEAR(h.rect("message.m250").y, before, 2.0f);
    EXPECT_FALSE(h.has("message.m200"));  // the new page is above, out of view
}

}  // namespace
}  // namespace st::ui::testing
