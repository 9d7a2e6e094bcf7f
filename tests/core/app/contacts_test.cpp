// Contacts and message requests (protocol §8.4), profiles (§8.8), typing (§8.5) and read receipts
// (§8.6), through st::app::Client over the scripted network: real keys, real encryption, real
// onion layers.
#include <gtest/gtest.h>

#include <sodium.h>

#include "app_world.hpp"
#include "st/crypto/mnemonic.hpp"
#include "st/crypto/ons.hpp"

namespace st::app {
namespace {

using namespace std::chrono_literals;
using test::bodies;
using test::Device;
using test::World;

struct Three {
    World w;
    Device alice{w}, bob{w}, carol{w};
    std::string a, b, c;
    Three() {
        a = alice.create("Alice");
        b = bob.create("Bob");
        c = carol.create("Carol");
    }
};

TEST(MessageRequests, AStrangersMessageWaitsInRequestsNeverInTheMainList) {
    Three t;
    t.carol.start_with(t.b);
    t.carol.send(t.b, "hello, we have not met");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    EXPECT_EQ(t.bob.summary(t.c), nullptr);
    EXPECT_TRUE(t.bob.view().conversations.empty());
    EXPECT_EQ(t.bob.view().requests.size(), 1u);
    EXPECT_EQ(t.bob.request(t.c)->title, "Carol");
    EXPECT_EQ(t.bob.request(t.c)->unread, 1u);
    // Carol's own side waits for Bob: her conversation is approved, Bob has not approved her.
    ASSERT_TRUE(t.carol.view().open);
    EXPECT_FALSE(t.carol.view().open->is_request);
    EXPECT_TRUE(t.carol.view().open->awaiting_approval);

    t.bob.reload();
    EXPECT_NE(t.bob.request(t.c), nullptr) << "a request survives a reload as a request";
    EXPECT_EQ(t.bob.summary(t.c), nullptr);
}

TEST(MessageRequests, AcceptingMovesItToTheMainListAndTheOtherSideLearnsIt) {
    Three t;
    t.carol.start_with(t.b);
    t.carol.send(t.b, "hi Bob");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    t.bob.dispatch(intent::OpenConversation{t.c});
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open && t.bob.view().open->messages.size() == 1; }));
    EXPECT_TRUE(t.bob.view().open->is_request);

    t.bob.dispatch(intent::AcceptRequest{t.c});
    EXPECT_EQ(t.bob.request(t.c), nullptr);
    ASSERT_NE(t.bob.summary(t.c), nullptr);
    EXPECT_FALSE(t.bob.view().open->is_request);
    // Bob's MessageRequestResponse reaches Carol: she is approved now (approved_me).
    ASSERT_TRUE(t.w.run_until([&] { return !t.carol.view().open->awaiting_approval; }));
    t.carol.reload();
    t.carol.dispatch(intent::OpenConversation{t.b});
    ASSERT_TRUE(t.w.run_until([&] { return t.carol.view().open.has_value() && !t.carol.view().open->loading; }));
    EXPECT_FALSE(t.carol.view().open->awaiting_approval) << "approval is stored";
    t.bob.reload();
    EXPECT_NE(t.bob.summary(t.c), nullptr);
}

TEST(MessageRequests, ReplyingAcceptsImplicitly) {
    Three t;
    t.carol.start_with(t.b);
    t.carol.send(t.b, "hi Bob");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    t.bob.dispatch(intent::OpenConversation{t.c});
    t.w.advance(1s);
    t.bob.send(t.c, "hi Carol");
    EXPECT_NE(t.bob.summary(t.c), nullptr);
    EXPECT_EQ(t.bob.request(t.c), nullptr);
    ASSERT_TRUE(t.w.run_until([&] {
        return t.carol.view().open->messages.size() == 2 && !t.carol.view().open->awaiting_approval;
    }));
}

TEST(MessageRequests, DeclineRemovesItAndALaterMessageOpensANewRequest) {
    Three t;
    t.carol.start_with(t.b);
    t.carol.send(t.b, "first");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    ASSERT_EQ(t.bob.stored_messages(t.c), 1u);
    t.bob.dispatch(intent::DeclineRequest{t.c});
    EXPECT_EQ(t.bob.request(t.c), nullptr);
    EXPECT_EQ(t.bob.summary(t.c), nullptr);
    EXPECT_EQ(t.bob.stored_messages(t.c), 0u) << "its messages are gone from this browser";
    t.bob.reload();
    EXPECT_EQ(t.bob.request(t.c), nullptr);

    t.w.advance(1s);
    t.carol.send(t.b, "second");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    EXPECT_EQ(t.bob.request(t.c)->last_message, "second");
    t.bob.dispatch(intent::OpenConversation{t.c});
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open && !t.bob.view().open->loading; }));
    EXPECT_EQ(bodies(*t.bob.view().open), std::vector<std::string>{"second"});
}

TEST(MessageRequests, ClearAllDeclinesEveryRequestAndKeepsConversations) {
    Three t;
    t.alice.start_with(t.b);
    t.alice.send(t.b, "from Alice");
    t.carol.start_with(t.b);
    t.carol.send(t.b, "from Carol");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().requests.size() == 2; }));
    t.bob.dispatch(intent::AcceptRequest{t.a});
    t.bob.dispatch(intent::ClearAllRequests{});
    EXPECT_TRUE(t.bob.view().requests.empty());
    EXPECT_NE(t.bob.summary(t.a), nullptr);
}

TEST(Blocking, ABlockedContactsMessagesAreDroppedUnseen) {
    Three t;
    t.alice.start_with(t.b);
    t.alice.send(t.b, "hello");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.a) != nullptr; }));
    t.bob.dispatch(intent::AcceptRequest{t.a});
    t.bob.dispatch(intent::BlockContact{t.a});
    ASSERT_EQ(t.bob.view().settings.blocked.size(), 1u);
    EXPECT_EQ(t.bob.view().settings.blocked[0].session_id, t.a);
    EXPECT_EQ(t.bob.view().settings.blocked[0].title, "Alice");

    t.w.advance(5s);
    const auto version = t.bob.view().version;
    t.alice.send(t.b, "are you there?");
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().network.outbox == 0; }));
    t.w.advance(30s);  // Bob polls many times
    EXPECT_EQ(t.bob.stored_messages(t.a), 1u) << "nothing of theirs is stored";
    EXPECT_EQ(t.bob.summary(t.a)->last_message, "hello");
    EXPECT_EQ(t.bob.summary(t.a)->unread, 0u) << "nothing of theirs is counted";
    EXPECT_EQ(t.bob.view().version, version) << "nothing of theirs is even drawn";

    t.bob.reload();
    EXPECT_EQ(t.bob.view().settings.blocked.size(), 1u) << "blocks are stored";
    t.bob.dispatch(intent::UnblockContact{t.a});
    EXPECT_TRUE(t.bob.view().settings.blocked.empty());
    t.w.advance(1s);
    t.alice.send(t.b, "now?");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.summary(t.a)->last_message == "now?"; }));
}

TEST(Blocking, BlockingARequestDeclinesIt) {
    Three t;
    t.carol.start_with(t.b);
    t.carol.send(t.b, "spam");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    t.bob.dispatch(intent::BlockContact{t.c});
    EXPECT_EQ(t.bob.request(t.c), nullptr);
    EXPECT_EQ(t.bob.stored_messages(t.c), 0u);
    t.w.advance(1s);
    t.carol.send(t.b, "more spam");
    ASSERT_TRUE(t.w.run_until([&] { return t.carol.view().network.outbox == 0; }));
    t.w.advance(20s);
    EXPECT_EQ(t.bob.request(t.c), nullptr);
    EXPECT_EQ(t.bob.stored_messages(t.c), 0u);
}

TEST(Profiles, NamesComeFromProfilesNewestWinsAndAreCleaned) {
    Three t;
    t.alice.start_with(t.b);
    t.alice.send(t.b, "one");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.a) != nullptr; }));
    EXPECT_EQ(t.bob.request(t.a)->title, "Alice");

    // A name with a right-to-left override and control characters is shown without them.
    t.w.advance(2s);
    t.alice.dispatch(intent::SetDisplayName{"Al\xE2\x80\xAEice\x07 Smith"});
    EXPECT_EQ(t.alice.view().account->display_name, "Alice Smith");
    t.alice.send(t.b, "two");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.a)->title == "Alice Smith"; }));

    // Our nickname wins over their name everywhere.
    t.bob.dispatch(intent::SetNickname{t.a, "  Ally\n "});
    EXPECT_EQ(t.bob.request(t.a)->title, "Ally");
    t.bob.reload();
    EXPECT_EQ(t.bob.request(t.a)->title, "Ally");
    t.bob.dispatch(intent::SetNickname{t.a, ""});
    EXPECT_EQ(t.bob.request(t.a)->title, "Alice Smith");

    // Too long, or empty: refused with a sentence; the name stays.
    t.alice.dispatch(intent::SetDisplayName{std::string(65, 'x')});
    ASSERT_TRUE(t.alice.view().settings.name_problem);
    EXPECT_EQ(t.alice.view().settings.name_problem->code, "name.too_long");
    t.alice.dispatch(intent::SetDisplayName{"   "});
    EXPECT_EQ(t.alice.view().settings.name_problem->code, "name.empty");
    EXPECT_EQ(t.alice.view().account->display_name, "Alice Smith");
    t.alice.reload();
    EXPECT_EQ(t.alice.view().account->display_name, "Alice Smith") << "the new name is stored";
}

TEST(Typing, ShownWithinAPollAndClearedByTheirMessageOrAfter20Seconds) {
    Three t;
    t.alice.settings(true, false);
    t.bob.settings(true, false);
    t.alice.start_with(t.b);
    t.bob.start_with(t.a);  // both approved
    t.alice.send(t.b, "hi");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open->messages.size() == 1; }));

    t.alice.dispatch(intent::UpdateDraft{t.b, "I am wri"});
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open->typing; }, 10s));
    EXPECT_TRUE(t.bob.summary(t.a)->typing);
    t.alice.send(t.b, "I am writing");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open->messages.size() == 2; }));
    EXPECT_FALSE(t.bob.view().open->typing) << "their message ends typing";

    // Alice stops typing without sending: her STOPPED after 5 s idle ends it.
    t.alice.dispatch(intent::UpdateDraft{t.b, "hmm"});
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open->typing; }, 10s));
    ASSERT_TRUE(t.w.run_until([&] { return !t.bob.view().open->typing; }, 15s));

    // Typing whose STOPPED never comes (the tab closed) disappears after 20 s.
    t.alice.dispatch(intent::UpdateDraft{t.b, "hmm, let me"});
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.view().open->typing; }, 10s));
    t.alice.client.reset();
    EXPECT_TRUE(t.w.run_until([&] { return !t.bob.view().open->typing; }, 25s));
}

TEST(Typing, NeverSentToRequestsOrWithTheSettingOff) {
    Three t;
    t.carol.settings(true, false);
    t.bob.settings(true, false);
    t.carol.start_with(t.b);
    t.carol.send(t.b, "hi");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    t.bob.dispatch(intent::OpenConversation{t.c});
    // Bob has not approved Carol: typing into the request tells her nothing.
    t.bob.dispatch(intent::UpdateDraft{t.c, "who is"});
    t.w.advance(10s);
    EXPECT_FALSE(t.carol.view().open->typing);
    // With the setting off nothing is sent either.
    t.bob.dispatch(intent::AcceptRequest{t.c});
    t.bob.settings(false, false);
    t.bob.dispatch(intent::UpdateDraft{t.c, "who is this"});
    t.w.advance(10s);
    EXPECT_FALSE(t.carol.view().open->typing);
}

TEST(ReadReceipts, ReadingShowsReadOnTheSendersMessage) {
    Three t;
    t.alice.settings(false, true);
    t.bob.settings(false, true);
    t.bob.start_with(t.a);  // Bob approves Alice before she writes
    t.bob.dispatch(intent::CloseConversation{});
    t.alice.start_with(t.b);
    t.alice.send(t.b, "read me");
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.summary(t.a) && t.bob.summary(t.a)->unread == 1; }));
    t.w.advance(20s);
    EXPECT_EQ(t.alice.view().open->messages[0].delivery, DeliveryState::Sent) << "not read yet";

    t.bob.dispatch(intent::OpenConversation{t.a});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().open->messages[0].delivery == DeliveryState::Read; }));
    t.alice.reload();
    t.alice.dispatch(intent::OpenConversation{t.b});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().open && !t.alice.view().open->loading; }));
    EXPECT_EQ(t.alice.view().open->messages[0].delivery, DeliveryState::Read) << "stored";

    // A message arriving while Bob looks at the conversation is read at once.
    t.w.advance(1s);
    t.alice.send(t.b, "and this");
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().open->messages[1].delivery == DeliveryState::Read; }));
}

TEST(ReadReceipts, NeverSentForRequestsBlockedOrWithTheSettingOff) {
    Three t;
    t.carol.settings(false, true);
    t.bob.settings(false, true);
    t.carol.start_with(t.b);
    t.carol.send(t.b, "read me?");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.request(t.c) != nullptr; }));
    t.bob.dispatch(intent::OpenConversation{t.c});  // seen, but a request
    t.w.advance(20s);
    EXPECT_EQ(t.carol.view().open->messages[0].delivery, DeliveryState::Sent);

    // The setting off: nothing either, even once accepted.
    t.alice.settings(false, true);
    t.bob.settings(false, false);
    t.bob.start_with(t.a);
    t.bob.dispatch(intent::CloseConversation{});
    t.alice.start_with(t.b);
    t.alice.send(t.b, "and me?");
    ASSERT_TRUE(t.w.run_until([&] { return t.bob.summary(t.a) && t.bob.summary(t.a)->unread == 1; }));
    t.bob.dispatch(intent::OpenConversation{t.a});
    t.w.advance(20s);
    EXPECT_EQ(t.alice.view().open->messages[0].delivery, DeliveryState::Sent);
}

// The nodes answer `oxend_request` `ons_resolve` as oxend does: the Session ID encrypted with a
// key derived from the name (protocol.md §5.4.11), or no value for a name nobody registered.
void serve_ons(World& w, const std::string& name, const std::string& session_id) {
    const auto hash = crypto::ons_name_hash_b64(name);
    w.network.set_rpc_hook([=](const rpc::ServiceNode&, const std::string& method,
                               const std::string& params) -> std::optional<std::pair<int, std::string>> {
        if (method != "oxend_request" || params.find("ons_resolve") == std::string::npos) return std::nullopt;
        if (params.find(hash) == std::string::npos) return std::pair<int, std::string>{200, R"({"result":{}})"};
        const auto key = crypto::ons_value_key(name);
        const auto id = from_hex(session_id).value();
        std::uint8_t nonce[24];
        randombytes_buf(nonce, sizeof nonce);
        Bytes cipher(id.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
        unsigned long long cipher_len = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(cipher.data(), &cipher_len, id.data(), id.size(), nullptr, 0,
                                                   nullptr, nonce, key.data());
        return std::pair<int, std::string>{
            200, R"({"result":{"encrypted_value":")" + to_hex(cipher) + R"(","nonce":")" +
                     to_hex(ByteView(nonce, sizeof nonce)) + R"("}})"};
    });
}

TEST(NewConversation, AnOnsNameOpensTheConversationWithItsSessionId) {
    World w;
    Device alice(w), bob(w);
    alice.create("Alice");
    const auto b = bob.create("Bob");
    serve_ons(w, "bob-the-builder", b);

    alice.dispatch(intent::StartConversation{"  Bob-The-Builder "});
    EXPECT_TRUE(alice.view().resolving_name);
    ASSERT_TRUE(w.run_until([&] { return !alice.view().resolving_name; }));
    EXPECT_FALSE(alice.view().new_conversation_problem);
    ASSERT_TRUE(alice.view().open);
    EXPECT_EQ(alice.view().open->peer_session_id, b);
    ASSERT_NE(alice.summary(b), nullptr) << "starting it ourselves approves them";

    alice.dispatch(intent::StartConversation{"nobody-has-this"});
    ASSERT_TRUE(w.run_until([&] { return !alice.view().resolving_name; }));
    ASSERT_TRUE(alice.view().new_conversation_problem);
    EXPECT_EQ(alice.view().new_conversation_problem->code, "ons.not_found");
    EXPECT_EQ(alice.view().new_conversation_problem->text, "No Session ID is registered for that name.");

    alice.dispatch(intent::StartConversation{"not a name!"});
    ASSERT_TRUE(w.run_until([&] { return !alice.view().resolving_name; }));
    ASSERT_TRUE(alice.view().new_conversation_problem);
    EXPECT_FALSE(alice.view().new_conversation_problem->text.empty());
    EXPECT_EQ(alice.view().conversations.size(), 1u);
}

TEST(Settings, ChangesSurviveAReloadAndThePhraseCanBeShownAgain) {
    World w;
    Device d(w);
    d.dispatch(intent::CreateAccount{});
    const std::string phrase = d.view().onboarding.phrase_to_show;
    d.dispatch(intent::ConfirmPhraseSaved{});
    d.dispatch(intent::ChooseDisplayName{"Dora"});
    w.run_until([&] { return !d.view().loading; });
    EXPECT_FALSE(d.view().settings.typing_indicators) << "off by default, as in the official clients";
    EXPECT_FALSE(d.view().settings.read_receipts);
    d.settings(true, true);
    d.dispatch(intent::SetDisplayName{"Dora E."});
    d.reload();
    EXPECT_TRUE(d.view().settings.typing_indicators);
    EXPECT_TRUE(d.view().settings.read_receipts);
    EXPECT_EQ(d.view().account->display_name, "Dora E.");

    EXPECT_TRUE(d.view().settings.recovery_phrase.empty());
    d.dispatch(intent::RevealRecoveryPhrase{});
    EXPECT_EQ(d.view().settings.recovery_phrase, phrase);
    d.dispatch(intent::HideRecoveryPhrase{});
    EXPECT_TRUE(d.view().settings.recovery_phrase.empty());
}

}  // namespace
}  // namespace st::app
