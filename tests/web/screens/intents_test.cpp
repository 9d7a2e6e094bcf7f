// What a person's clicks and keys on each screen ask of the core: driven through ImGui's io by
// widget name, as the browser tests do through window.sessionTab.
#include <gtest/gtest.h>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"

namespace st::ui::testing {
namespace {

using namespace app::intent;

TEST(UiIntents, WelcomeButtonsStartCreationOrRestore) {
    auto f = welcome();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_NE(find_intent<CreateAccount>(h.click(f->view, "onboarding.create")), nullptr);
    EXPECT_NE(find_intent<StartRestore>(h.click(f->view, "onboarding.restore")), nullptr);
}

TEST(UiIntents, PhraseCanBeCopiedAndConfirmed) {
    auto f = show_phrase();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_TRUE(h.click(f->view, "onboarding.copy_phrase").empty());
    EXPECT_EQ(h.clipboard, kPhrase);
    EXPECT_NE(find_intent<ConfirmPhraseSaved>(h.click(f->view, "onboarding.saved")), nullptr);
    EXPECT_NE(find_intent<BackToWelcome>(h.click(f->view, "onboarding.back")), nullptr);
}

TEST(UiIntents, RestoreSendsThePhraseAsTyped) {
    auto f = enter_phrase(false);
    UiHarness h;
    h.frames(f->view, 2);  // the phrase input takes focus on its first frame
    h.type(f->view, "one two three");
    const auto intents = h.click(f->view, "onboarding.restore_submit");
    const auto* restore = find_intent<RestoreAccount>(intents);
    ASSERT_NE(restore, nullptr);
    EXPECT_EQ(restore->phrase, "one two three");
}

TEST(UiIntents, EnterInThePhraseInputRestores) {
    auto f = enter_phrase(false);
    UiHarness h;
    h.frames(f->view, 2);
    h.type(f->view, "alpha beta");
    const auto restore_intents = h.press(f->view, ImGuiKey_Enter);
    const auto* restore = find_intent<RestoreAccount>(restore_intents);
    ASSERT_NE(restore, nullptr);
    EXPECT_EQ(restore->phrase, "alpha beta");
}

TEST(UiIntents, RestoreIsDisabledWhileNothingIsTyped) {
    auto f = enter_phrase(false);
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_EQ(find_intent<RestoreAccount>(h.click(f->view, "onboarding.restore_submit")), nullptr);
}

TEST(UiIntents, PhraseProblemMarksTheWordItNames) {
    auto f = enter_phrase(true);
    UiHarness h;
    h.frames(f->view, 2);
    h.type(f->view, "a b c pionere");
    h.frame(f->view);
    // Drawn: the problem sentence (not its code) and the chips; nothing crashes. The chip colour
    // is visual; here it is enough that the screen draws with word_position pointing in range.
    EXPECT_GT(h.last_vertices, 0u);
}

TEST(UiIntents, DisplayNameIsSubmittedWithEnter) {
    auto f = choose_name(false);
    UiHarness h;
    h.frames(f->view, 2);
    h.type(f->view, "Zoë Ελένη");
    const auto name_intents = h.press(f->view, ImGuiKey_Enter);
    const auto* name = find_intent<ChooseDisplayName>(name_intents);
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->name, "Zoë Ελένη");
}

TEST(UiIntents, ClickingAConversationOpensIt) {
    auto f = main_screen(5, false, 0);
    UiHarness h;
    h.frames(f->view, 2);
    const std::string peer = f->view.conversations[2].peer_session_id;
    const auto open_intents = h.click(f->view, "conversation." + peer);
    const auto* open = find_intent<OpenConversation>(open_intents);
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->peer_session_id, peer);
}

TEST(UiIntents, ComposerEnterSendsAndClearsTheDraft) {
    auto f = main_screen(3, true, 10);
    UiHarness h;
    h.frames(f->view, 3);  // the composer takes focus when the conversation opens
    const auto typed = h.type(f->view, "Hello there");
    const auto* draft = find_intent<UpdateDraft>(typed);
    ASSERT_NE(draft, nullptr);
    EXPECT_EQ(draft->text, "Hello there");

    const auto sent = h.press(f->view, ImGuiKey_Enter);
    const auto* send = find_intent<SendText>(sent);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->text, "Hello there");
    EXPECT_EQ(send->peer_session_id, f->view.open->peer_session_id);
    EXPECT_TRUE(h.ui.composer.empty());
    EXPECT_EQ(count_intents<SendText>(sent), 1u);

    // The composer keeps focus: the next message can be typed at once.
    h.frames(f->view, 2);
    h.type(f->view, "again");
    EXPECT_EQ(h.ui.composer, "again");
}

TEST(UiIntents, ShiftEnterAddsALineInsteadOfSending) {
    auto f = main_screen(3, true, 10);
    UiHarness h;
    h.frames(f->view, 3);
    h.type(f->view, "first");
    const auto intents = h.press(f->view, ImGuiKey_Enter, /*shift=*/true);
    EXPECT_EQ(find_intent<SendText>(intents), nullptr);
    h.type(f->view, "second");
    EXPECT_EQ(h.ui.composer, "first\nsecond");
    const auto send_intents = h.press(f->view, ImGuiKey_Enter);
    const auto* send = find_intent<SendText>(send_intents);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->text, "first\nsecond");
}

TEST(UiIntents, BlankMessagesAreNotSent) {
    auto f = main_screen(3, true, 10);
    UiHarness h;
    h.frames(f->view, 3);
    h.type(f->view, "   ");
    EXPECT_EQ(find_intent<SendText>(h.press(f->view, ImGuiKey_Enter)), nullptr);
    EXPECT_EQ(find_intent<SendText>(h.click(f->view, "composer.send")), nullptr);
}

TEST(UiIntents, SendButtonSendsTrimmedText) {
    auto f = main_screen(3, true, 10);
    UiHarness h;
    h.frames(f->view, 3);
    h.type(f->view, "  padded  ");
    const auto send_intents = h.click(f->view, "composer.send");
    const auto* send = find_intent<SendText>(send_intents);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->text, "padded");
}

TEST(UiIntents, TheComposerStartsFromTheCoreDraft) {
    auto f = varied_conversation();
    UiHarness h;
    h.frames(f->view, 2);
    EXPECT_EQ(h.ui.composer, "half-typed reply");
}

TEST(UiIntents, RetryOnAFailedMessageAsksToRetryIt) {
    auto f = varied_conversation();
    UiHarness h;
    h.frames(f->view, 3);
    const auto retry_intents = h.click(f->view, "message.m6.retry");
    const auto* retry = find_intent<RetryMessage>(retry_intents);
    ASSERT_NE(retry, nullptr);
    EXPECT_EQ(retry->message_id, "m6");
    EXPECT_EQ(retry->peer_session_id, f->view.open->peer_session_id);
}

TEST(UiIntents, OnlyFailedMessagesHaveRetry) {
    auto f = varied_conversation();
    UiHarness h;
    h.frames(f->view, 3);
    EXPECT_TRUE(h.has("message.m6.retry"));
    EXPECT_FALSE(h.has("message.m5.retry"));
    EXPECT_FALSE(h.has("message.m4.retry"));
}

TEST(UiIntents, OpeningAConversationWithUnreadMessagesMarksItReadOnce) {
    auto f = main_screen(3, true, 10);  // conversation 1 has 1 unread
    ASSERT_GT(f->view.conversations[0].unread, 0u);
    UiHarness h;
    const auto intents = h.frames(f->view, 5);
    EXPECT_EQ(count_intents<MarkRead>(intents), 1u);
    f->view.conversations[0].unread = 0;
    EXPECT_EQ(count_intents<MarkRead>(h.frames(f->view, 2)), 0u);
    f->view.conversations[0].unread = 1;  // a new message arrives while open
    EXPECT_EQ(count_intents<MarkRead>(h.frames(f->view, 2)), 1u);
}

TEST(UiIntents, CloseAndBackCloseTheConversation) {
    auto f = main_screen(3, true, 10);
    UiHarness wide;
    wide.frames(f->view, 2);
    EXPECT_NE(find_intent<CloseConversation>(wide.click(f->view, "conversation.close")), nullptr);
    UiHarness narrow({390, 800, 1, false});
    narrow.frames(f->view, 2);
    EXPECT_FALSE(narrow.has("sidebar.new"));  // one pane at a time on a phone
    EXPECT_NE(find_intent<CloseConversation>(narrow.click(f->view, "conversation.back")), nullptr);
}

TEST(UiIntents, NewConversationAcceptsOnlyAWellFormedSessionId) {
    auto f = main_screen(3, false, 0);
    UiHarness h;
    h.frames(f->view, 2);
    h.click(f->view, "sidebar.new");
    EXPECT_EQ(h.ui.panel, Panel::NewConversation);
    h.frames(f->view, 2);  // the input takes focus
    h.type(f->view, "05zz!");  // neither hex nor an ONS name ("05zz" would be a name to look up)
    EXPECT_EQ(find_intent<StartConversation>(h.click(f->view, "new_conversation.start")), nullptr);

    h.ui.new_conversation_text.clear();
    h.frames(f->view, 2);
    const std::string id = peer_id(77);
    h.type(f->view, id);
    const auto start_intents = h.click(f->view, "new_conversation.start");
    const auto* start = find_intent<StartConversation>(start_intents);
    ASSERT_NE(start, nullptr);
    EXPECT_EQ(start->session_id_text, id);

    // The core opens the conversation: the panel closes.
    app::OpenConversationView opened;
    opened.peer_session_id = id;
    opened.title = "new";
    f->view.open = std::move(opened);
    h.frames(f->view, 2);
    EXPECT_EQ(h.ui.panel, Panel::None);
}

TEST(UiIntents, SidebarOpensAndClosesThePanels) {
    auto f = main_screen(3, false, 0);
    UiHarness h;
    h.frames(f->view, 2);
    h.click(f->view, "sidebar.accounts");
    EXPECT_EQ(h.ui.panel, Panel::Accounts);
    h.click(f->view, "accounts." + kOwnId);
    EXPECT_EQ(h.ui.panel, Panel::MyId);
    h.frames(f->view, 1);
    EXPECT_TRUE(h.has("my_id.qr"));
    h.click(f->view, "my_id.copy");
    EXPECT_EQ(h.clipboard, kOwnId);
    h.click(f->view, "sidebar.network");
    EXPECT_EQ(h.ui.panel, Panel::Network);
    h.click(f->view, "panel.close");
    EXPECT_EQ(h.ui.panel, Panel::None);
}

// The account switcher (docs/accounts.md): another account is a click away; Remove asks first;
// Add account; a locked account opens its lock screen.
TEST(UiIntents, TheAccountSwitcherSwitchesAddsAndRemovesAfterAQuestion) {
    auto f = main_screen(2, false, 0);
    const std::string other = peer_id(40);
    f->view.accounts.push_back(app::AccountListing{other, "Pseudonym", 3, false, false, ""});
    f->view.accounts.push_back(app::AccountListing{"", "Work", 0, false, true, "abcd"});
    UiHarness h;
    h.frames(f->view, 2);
    h.click(f->view, "sidebar.accounts");
    const auto switched = h.click(f->view, "accounts." + other);
    const auto* sw = find_intent<SwitchAccount>(switched);
    ASSERT_NE(sw, nullptr);
    EXPECT_EQ(sw->session_id, other);
    EXPECT_EQ(h.ui.panel, Panel::None);

    h.click(f->view, "sidebar.accounts");
    EXPECT_NE(find_intent<ShowLockedAccount>(h.click(f->view, "accounts.locked.abcd")), nullptr);

    h.click(f->view, "sidebar.accounts");
    EXPECT_TRUE(h.click(f->view, "accounts.remove." + other).empty()) << "a question first";
    h.frames(f->view, 2);
    ASSERT_TRUE(h.has("confirm.ok"));
    const auto confirmed = h.click(f->view, "confirm.ok");
    const auto* removed = find_intent<RemoveAccount>(confirmed);
    ASSERT_NE(removed, nullptr);
    EXPECT_EQ(removed->session_id, other);

    // The switcher stays open behind the question.
    EXPECT_EQ(h.ui.panel, Panel::Accounts);
    h.frames(f->view, 1);
    EXPECT_NE(find_intent<AddAccount>(h.click(f->view, "accounts.add")), nullptr);
}

// The lock screen (docs/lock.md): the passphrase typed goes to Unlock once and the field is
// emptied; a problem is shown; the account can be removed after a question.
TEST(UiIntents, TheLockScreenUnlocksWithThePassphraseTyped) {
    Fixture f;
    f.view.loading = false;
    f.view.accounts = {app::AccountListing{"", "Work", 0, true, true, "abcd"}};
    app::LockScreenView lock;
    lock.lock_id = "abcd";
    lock.public_name = "Work";
    f.view.lock_screen = lock;
    UiHarness h;
    h.frames(f.view, 2);
    ASSERT_TRUE(h.has("lock.passphrase"));
    h.click(f.view, "lock.passphrase");
    h.type(f.view, "correct horse");
    const auto pressed = h.click(f.view, "lock.unlock");
    const auto* unlock = find_intent<Unlock>(pressed);
    ASSERT_NE(unlock, nullptr);
    EXPECT_EQ(unlock->lock_id, "abcd");
    EXPECT_EQ(unlock->passphrase, "correct horse");
    EXPECT_TRUE(h.ui.unlock_passphrase.empty());

    f.view.lock_screen->problem = app::Problem{"lock.wrong_passphrase", "That passphrase is not right.", std::nullopt};
    h.frames(f.view, 2);
    EXPECT_TRUE(h.has("lock.problem"));

    EXPECT_TRUE(h.click(f.view, "lock.remove").empty());
    h.frames(f.view, 2);
    const auto confirmed = h.click(f.view, "confirm.ok");
    const auto* removed = find_intent<RemoveLockedAccount>(confirmed);
    ASSERT_NE(removed, nullptr);
    EXPECT_EQ(removed->lock_id, "abcd");
}

}  // namespace
}  // namespace st::ui::testing
