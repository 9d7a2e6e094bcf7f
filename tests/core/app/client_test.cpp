// st::app::Client end to end inside one process: real keys, real onion layers, real message
// encryption, over tests/support's scripted Session network (FakeSnodeNetwork) and a
// MemoryKvStore per device, on a ManualClock. What a person does, as Intents; what they would see,
// as AppView.
#include "st/app/client.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "app_world.hpp"
#include "st/crypto/mnemonic.hpp"

namespace st::app {
namespace {

using namespace std::chrono_literals;
using test::bodies;
using test::Device;
using test::World;
using st::test::FakeSnodeNetwork;

TEST(ClientOnboarding, CreatesAnAccountThroughPhraseAndName) {
    World w;
    Device d(w);
    EXPECT_FALSE(d.view().account);
    EXPECT_EQ(d.view().onboarding.step, OnboardingStep::Welcome);

    d.dispatch(intent::CreateAccount{});
    ASSERT_EQ(d.view().onboarding.step, OnboardingStep::ShowPhrase);
    const std::string phrase = d.view().onboarding.phrase_to_show;
    const std::string id = d.view().onboarding.new_session_id;
    auto seed = crypto::mnemonic::decode_seed(phrase);
    ASSERT_TRUE(seed) << "the phrase shown must be a valid 13-word phrase";
    EXPECT_EQ(crypto::Identity::from_seed(*seed).session_id().hex(), id);

    d.dispatch(intent::ConfirmPhraseSaved{});
    EXPECT_EQ(d.view().onboarding.step, OnboardingStep::ChooseName);
    EXPECT_TRUE(d.view().onboarding.phrase_to_show.empty());

    d.dispatch(intent::ChooseDisplayName{"   "});
    ASSERT_TRUE(d.view().onboarding.name_problem);
    EXPECT_EQ(d.view().onboarding.name_problem->code, "name.empty");
    d.dispatch(intent::ChooseDisplayName{std::string(65, 'x')});
    EXPECT_EQ(d.view().onboarding.name_problem->code, "name.too_long");

    d.dispatch(intent::ChooseDisplayName{"  Alice  "});
    ASSERT_TRUE(d.view().account);
    EXPECT_EQ(d.view().account->session_id, id);
    EXPECT_EQ(d.view().account->display_name, "Alice");

    d.reload();
    ASSERT_TRUE(d.view().account) << "the account must survive a reload";
    EXPECT_EQ(d.view().account->session_id, id);
    EXPECT_EQ(d.view().account->display_name, "Alice");
}

TEST(ClientOnboarding, RestoreExplainsWhatIsWrongWithAPhrase) {
    World w;
    Device d(w);
    d.dispatch(intent::StartRestore{});
    EXPECT_EQ(d.view().onboarding.step, OnboardingStep::EnterPhrase);

    const std::string good = "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept";
    d.dispatch(intent::RestoreAccount{"vexed enjoy pigment qwerty adept voted vexed enjoy pigment films adept voted adept"});
    ASSERT_TRUE(d.view().onboarding.phrase_problem);
    EXPECT_EQ(d.view().onboarding.phrase_problem->code, "mnemonic.unknown_word");
    EXPECT_EQ(d.view().onboarding.phrase_problem->word_position, 4u);
    EXPECT_EQ(d.view().onboarding.phrase_problem->text.find("qwerty"), std::string::npos);

    d.dispatch(intent::RestoreAccount{"vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted vexed"});
    EXPECT_EQ(d.view().onboarding.phrase_problem->code, "mnemonic.checksum");
    d.dispatch(intent::RestoreAccount{"vexed enjoy"});
    EXPECT_EQ(d.view().onboarding.phrase_problem->code, "mnemonic.word_count");

    d.dispatch(intent::RestoreAccount{good});
    EXPECT_FALSE(d.view().onboarding.phrase_problem);
    // Its profile is looked for in the network first (docs/config.md).
    EXPECT_EQ(d.view().onboarding.step, OnboardingStep::LoadingAccount);
    EXPECT_EQ(d.view().onboarding.new_session_id,
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    // Leaving it forgets the account in this browser.
    d.dispatch(intent::BackToWelcome{});
    EXPECT_TRUE(w.run_until([&] { return d.view().onboarding.step == OnboardingStep::Welcome; }));
    EXPECT_FALSE(d.view().account);
    d.reload();
    EXPECT_FALSE(d.view().account);
    EXPECT_EQ(d.view().onboarding.step, OnboardingStep::Welcome);
}

TEST(ClientOnboarding, TryItNowOpensAnAccountAtOnceAndRemindsUntilThePhraseIsSaved) {
    World w;
    Device d(w);
    d.dispatch(intent::TryItNow{});
    ASSERT_TRUE(d.view().account) << "one click, no phrase step";
    EXPECT_EQ(d.view().account->display_name, "Guest");
    EXPECT_TRUE(d.view().account->phrase_unsaved) << "the reminder from the first frame";
    const auto id = d.view().account->session_id;
    ASSERT_TRUE(w.run_until([&] { return !d.view().loading; }));
    EXPECT_TRUE(d.view().account->phrase_unsaved);
    // The reminder stays across reloads until the phrase is saved.
    d.reload();
    ASSERT_TRUE(d.view().account);
    EXPECT_EQ(d.view().account->session_id, id);
    EXPECT_TRUE(d.view().account->phrase_unsaved);
    d.dispatch(intent::RevealRecoveryPhrase{});
    const auto phrase = d.view().settings.recovery_phrase;
    EXPECT_EQ(std::count(phrase.begin(), phrase.end(), ' '), 12) << "the phrase is in Settings";
    d.dispatch(intent::PhraseSaved{});
    EXPECT_FALSE(d.view().account->phrase_unsaved);
    d.dispatch(intent::HideRecoveryPhrase{});
    ASSERT_TRUE(w.run_until([&] { return !d.view().loading; }));
    d.reload();
    EXPECT_FALSE(d.view().account->phrase_unsaved);
    // The phrase restores that account elsewhere.
    Device other(w);
    other.dispatch(intent::StartRestore{});
    other.dispatch(intent::RestoreAccount{phrase});
    EXPECT_EQ(other.view().onboarding.new_session_id, id);
    // An account made the usual way never shows the reminder.
    Device usual(w);
    usual.create("Alice");
    EXPECT_FALSE(usual.view().account->phrase_unsaved);
}

TEST(ClientConversations, RejectsAnInvalidSessionIdWithASentence) {
    World w;
    Device d(w);
    d.create("Alice");
    d.dispatch(intent::StartConversation{"05abc"});
    ASSERT_TRUE(d.view().new_conversation_problem);
    EXPECT_EQ(d.view().new_conversation_problem->code, "session_id.bad_length");
    EXPECT_FALSE(d.view().new_conversation_problem->text.empty());
    EXPECT_TRUE(d.view().conversations.empty());
}

TEST(ClientMessaging, TwoAccountsTalkThroughTheNetwork) {
    World w;
    Device alice(w), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");

    alice.dispatch(intent::StartConversation{"  " + b + "\n"});
    ASSERT_TRUE(w.run_until([&] { return alice.view().open.has_value(); }));
    EXPECT_EQ(alice.view().open->peer_session_id, b);
    alice.send(b, "Hello Bob 👋");
    ASSERT_EQ(alice.view().open->messages.size(), 1u);

    ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
    EXPECT_EQ(alice.view().network.state, Connectivity::Online);
    EXPECT_EQ(alice.view().network.outbox, 0u);
    EXPECT_EQ(alice.view().network.path.size(), 3u);

    // A stranger's first message is a request (protocol §8.4), not a conversation.
    ASSERT_TRUE(w.run_until([&] { return bob.request(a) != nullptr; }));
    EXPECT_EQ(bob.summary(a), nullptr);
    auto* s = bob.request(a);
    EXPECT_EQ(s->title, "Alice");  // learnt from the message's profile
    EXPECT_EQ(s->last_message, "Hello Bob 👋");
    EXPECT_EQ(s->unread, 1u);

    bob.dispatch(intent::OpenConversation{a});
    ASSERT_TRUE(w.run_until([&] { return bob.view().open && bob.view().open->messages.size() == 1; }));
    EXPECT_FALSE(bob.view().open->messages[0].outgoing);
    EXPECT_TRUE(bob.view().open->is_request);
    EXPECT_EQ(bob.request(a)->unread, 0u);

    w.advance(1s);  // a reply is written after the message it answers
    bob.send(a, "Hi Alice");  // replying accepts the request
    EXPECT_NE(bob.summary(a), nullptr);
    EXPECT_EQ(bob.request(a), nullptr);
    ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages.size() == 2; }));
    EXPECT_EQ(bodies(*alice.view().open), (std::vector<std::string>{"Hello Bob 👋", "Hi Alice"}));
    EXPECT_TRUE(alice.view().open->messages[0].outgoing);
    EXPECT_FALSE(alice.view().open->messages[1].outgoing);

    // Nothing shows twice, however often we poll.
    w.advance(30s);
    EXPECT_EQ(alice.view().open->messages.size(), 2u);
    EXPECT_EQ(bob.view().open->messages.size(), 2u);

    // A reload keeps conversations and history.
    bob.reload();
    ASSERT_NE(bob.summary(a), nullptr);
    bob.dispatch(intent::OpenConversation{a});
    ASSERT_TRUE(w.run_until([&] { return bob.view().open && bob.view().open->messages.size() == 2; }));
    EXPECT_EQ(bodies(*bob.view().open), (std::vector<std::string>{"Hello Bob 👋", "Hi Alice"}));
    w.advance(30s);
    EXPECT_EQ(bob.view().open->messages.size(), 2u) << "a reload must not replay the swarm as new";
}

TEST(ClientMessaging, ARestoredAccountReceivesWhatIsStillInItsSwarmIncludingItsOwnSentMessages) {
    World w;
    Device alice(w), bob(w);
    alice.dispatch(intent::CreateAccount{});
    const std::string phrase = alice.view().onboarding.phrase_to_show;
    alice.dispatch(intent::ConfirmPhraseSaved{});
    alice.dispatch(intent::ChooseDisplayName{"Alice"});
    const auto a = alice.view().account->session_id;
    const auto b = bob.create("Bob");

    alice.start_with(b);
    alice.send(b, "sent from the first device");
    w.advance(1s);
    bob.start_with(a);
    bob.send(a, "to Alice");
    ASSERT_TRUE(w.run_until([&] { return alice.view().network.outbox == 0 && bob.view().network.outbox == 0; }));

    Device second(w);
    second.dispatch(intent::StartRestore{});
    second.dispatch(intent::RestoreAccount{phrase});
    second.dispatch(intent::ChooseDisplayName{"Alice"});
    ASSERT_TRUE(second.view().account);
    EXPECT_EQ(second.view().account->session_id, a);
    // Its own sync copy (protocol §8.1) tells the restored device it wrote to Bob: approved.
    ASSERT_TRUE(w.run_until([&] { return second.summary(b) != nullptr; }));
    second.dispatch(intent::OpenConversation{b});
    ASSERT_TRUE(w.run_until([&] { return second.view().open && second.view().open->messages.size() == 2; }));
    const auto& msgs = second.view().open->messages;
    EXPECT_EQ(msgs[0].body, "sent from the first device");
    EXPECT_TRUE(msgs[0].outgoing) << "the sync copy (§8.1) shows as our own message";
    EXPECT_EQ(msgs[1].body, "to Alice");
    EXPECT_FALSE(msgs[1].outgoing);
}

TEST(ClientOutbox, AMessageWrittenOfflineWaitsSurvivesAReloadAndGoesWhenTheNetworkReturns) {
    World w;
    Device alice(w), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    alice.start_with(b);
    ASSERT_TRUE(w.run_until([&] { return alice.view().network.state == Connectivity::Online; }));

    // Every node goes down: nothing answers.
    for (auto& n : w.network.nodes()) w.network.set_behaviour(n.ed25519, FakeSnodeNetwork::Behaviour::down);
    alice.send(b, "written offline");
    w.advance(60s);
    ASSERT_TRUE(alice.view().open);
    EXPECT_EQ(alice.view().open->messages[0].delivery, DeliveryState::Sending);
    EXPECT_EQ(alice.view().network.outbox, 1u);
    EXPECT_EQ(alice.view().network.state, Connectivity::Offline);
    EXPECT_FALSE(alice.view().network.status_text.empty());

    alice.reload();
    EXPECT_EQ(alice.view().network.outbox, 1u) << "the outbox is persistent";
    alice.dispatch(intent::OpenConversation{b});
    ASSERT_TRUE(w.run_until([&] { return alice.view().open && alice.view().open->messages.size() == 1; }));
    EXPECT_EQ(alice.view().open->messages[0].delivery, DeliveryState::Sending);

    for (auto& n : w.network.nodes()) w.network.set_behaviour(n.ed25519, FakeSnodeNetwork::Behaviour::ok);
    ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
    ASSERT_TRUE(w.run_until([&] { return bob.request(a) != nullptr; }));
    EXPECT_EQ(bob.request(a)->last_message, "written offline");
    EXPECT_EQ(w.network.stored(crypto::SessionId::parse(b).value(), 0), 1u) << "stored exactly once";
}

TEST(ClientOutbox, KeepsMessagesInOrderAndTimestampsUnique) {
    World w;
    Device alice(w), bob(w);
    alice.create("Alice");
    const auto b = bob.create("Bob");
    alice.start_with(b);
    for (int i = 0; i < 5; ++i) alice.dispatch(intent::SendText{b, "m" + std::to_string(i)});  // at machine speed
    ASSERT_TRUE(w.run_until([&] { return alice.view().network.outbox == 0; }));
    const auto& msgs = alice.view().open->messages;
    ASSERT_EQ(msgs.size(), 5u);
    for (std::size_t i = 1; i < msgs.size(); ++i) EXPECT_LT(msgs[i - 1].sent_ms, msgs[i].sent_ms);
    for (auto& m : msgs) EXPECT_EQ(m.delivery, DeliveryState::Sent);
}

// Hosts redraw when AppView::version changes (wasm/frame.hpp), so polls that bring nothing must
// leave it alone; something new must still bump it.
TEST(ClientMessaging, PollsThatChangeNothingLeaveTheViewVersionAlone) {
    World w;
    Device alice(w), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    ASSERT_TRUE(w.run_until([&] { return bob.view().network.state == Connectivity::Online; }));
    w.advance(5s);
    const auto quiet = bob.view().version;
    w.advance(20s);  // ten polls at the 2 s active interval, nothing new
    EXPECT_EQ(bob.view().version, quiet);

    alice.start_with(b);
    alice.send(b, "news");
    ASSERT_TRUE(w.run_until([&] { return bob.request(a) != nullptr; }));
    EXPECT_GT(bob.view().version, quiet);
}

TEST(ClientMessaging, RefusesTooLongMessagesWithoutLosingTheConversation) {
    World w;
    Device alice(w);
    alice.create("Alice");
    auto b = crypto::Identity::generate().session_id().hex();
    alice.start_with(b);
    alice.dispatch(intent::SendText{b, std::string(2001, 'a')});
    ASSERT_TRUE(alice.view().banner);
    EXPECT_EQ(alice.view().banner->code, "message.too_long");
    EXPECT_TRUE(alice.view().open->messages.empty());
    alice.dispatch(intent::SendText{b, "   "});
    w.advance(1s);
    EXPECT_TRUE(alice.view().open->messages.empty()) << "blank messages are not sent";
}

TEST(ClientStorage, SaysPlainlyWhenTheBrowserCannotStoreAnything) {
    World w;
    store::MemoryKvStore broken(w.loop);
    broken.fail_with(Error{"store.unavailable", "IndexedDB is disabled"});
    Client c(w.loop, w.clock, w.transport, broken, w.config());
    c.start();
    ASSERT_TRUE(w.run_until([&] { return !c.view().loading; }));
    ASSERT_TRUE(c.view().banner);
    EXPECT_EQ(c.view().banner->code, "store.unavailable");
}

}  // namespace
}  // namespace st::app
