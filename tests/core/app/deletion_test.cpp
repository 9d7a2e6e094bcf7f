// Deletion you can trust (protocol §8.2, §8.3, §5.4): disappearing messages (after send, after
// read — the timer starts at read), unsend with its placeholder and the swarm copies deleted,
// delete for me, delete conversation, clear device, and clear device and network that wipes
// nothing unless every swarm member confirmed with a valid signature.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app_world.hpp"
#include "st/proto/message.hpp"

namespace st::app {
namespace {

using namespace std::chrono_literals;
using test::bodies;
using test::Device;
using test::Pair;
using test::World;

// What a wiped browser keeps: the public list of the network's nodes (no account's data).
const std::vector<std::string> kOnlyTheNodeList{"net/pool"};

bool has_notice(const OpenConversationView& open, const std::string& text) {
    for (auto& m : open.messages)
        if (m.kind == MessageKind::Notice && m.body == text) return true;
    return false;
}

TEST(Disappearing, TheChoicesAreTheOfficialOnesPlusShortTestTimers) {
    Pair p;
    const auto& choices = p.alice.view().open->disappearing_choices;
    ASSERT_FALSE(choices.empty());
    EXPECT_EQ(choices.front().mode, DisappearingMode::Off);
    auto has = [&](DisappearingMode mode, std::uint32_t s) {
        return std::any_of(choices.begin(), choices.end(), [&](auto& c) { return c.mode == mode && c.seconds == s; });
    };
    EXPECT_TRUE(has(DisappearingMode::AfterRead, 300));
    EXPECT_TRUE(has(DisappearingMode::AfterRead, 43200));
    EXPECT_TRUE(has(DisappearingMode::AfterSend, 86400));
    EXPECT_TRUE(has(DisappearingMode::AfterSend, 1209600));
    EXPECT_FALSE(has(DisappearingMode::AfterSend, 300)) << "after send starts at 12 hours in the official clients";
    EXPECT_TRUE(has(DisappearingMode::AfterSend, 10));
    // A timer nobody offers is refused.
    p.alice.dispatch(intent::SetDisappearing{p.b, DisappearingMode::AfterSend, 1234});
    p.w.advance(1s);
    EXPECT_EQ(p.alice.view().open->disappearing, DisappearingMode::Off);
}

TEST(Disappearing, AfterSendReachesBothSidesAndTheMessageGoesEverywhereIncludingAfterAReload) {
    Pair p;
    p.alice.send(p.b, "hi, it's Alice");  // Bob learns her name from her profile
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("hi, it's Alice") != nullptr; }));
    p.alice.dispatch(intent::SetDisappearing{p.b, DisappearingMode::AfterSend, 10});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->disappearing == DisappearingMode::AfterSend; }));
    EXPECT_EQ(p.bob.view().open->disappearing_seconds, 10u);
    EXPECT_EQ(p.bob.view().open->disappearing_text, "Disappear after send: 10 seconds");
    EXPECT_TRUE(has_notice(*p.bob.view().open, "Alice has set messages to disappear 10 seconds after they have been sent."));
    EXPECT_TRUE(has_notice(*p.alice.view().open, "You set messages to disappear 10 seconds after they have been sent."));

    p.alice.send(p.b, "self-destructing");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("self-destructing") != nullptr; }));
    const auto* got = p.bob.message("self-destructing");
    EXPECT_EQ(got->disappearing, DisappearingMode::AfterSend);
    EXPECT_GT(got->expires_ms, 0);
    EXPECT_EQ(got->expires_ms, p.alice.message("self-destructing")->expires_ms) << "both count down to the same end";
    // Stored in Bob's swarm for the timer only (§7.2).
    EXPECT_TRUE(p.w.run_until([&] { return p.alice.message("self-destructing")->delivery == DeliveryState::Sent; }));

    ASSERT_TRUE(p.w.run_until([&] { return !p.alice.message("self-destructing") && !p.bob.message("self-destructing"); }, 20s));
    EXPECT_EQ(p.bob.summary(p.a)->last_message.find("self-destructing"), std::string::npos);
    EXPECT_EQ(p.alice.summary(p.b)->last_message.find("self-destructing"), std::string::npos);
    EXPECT_TRUE(p.w.run_until([&] { return p.w.network.stored(p.id(p.b), 0) == 2; }))
        << "only the greeting and the setting change are left in Bob's swarm";
    p.bob.reload();
    ASSERT_TRUE(p.open_and_loaded(p.bob, p.a));
    EXPECT_EQ(p.bob.message("self-destructing"), nullptr);
    EXPECT_EQ(p.bob.view().open->disappearing, DisappearingMode::AfterSend) << "the setting is kept";
    // The next message carries the setting too.
    p.alice.send(p.b, "also goes");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("also goes") != nullptr; }));
    EXPECT_EQ(p.bob.message("also goes")->disappearing, DisappearingMode::AfterSend);
}

TEST(Disappearing, AfterReadStartsWhenReadNotWhenReceived) {
    Pair p;
    p.alice.dispatch(intent::SetDisappearing{p.b, DisappearingMode::AfterRead, 10});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->disappearing == DisappearingMode::AfterRead; }));
    p.bob.dispatch(intent::CloseConversation{});
    p.alice.send(p.b, "read me first");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a)->last_message == "read me first"; }));
    p.w.advance(60s);  // far longer than the timer: unread, it stays
    ASSERT_TRUE(p.open_and_loaded(p.bob, p.a));
    const auto* m = p.bob.message("read me first");
    ASSERT_NE(m, nullptr) << "the timer of an unread after-read message has not started";
    const auto opened_at = p.w.clock.now_ms();
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("read me first")->expires_ms > 0; }));
    EXPECT_GE(p.bob.message("read me first")->expires_ms, opened_at + 9000);
    // Bob's own swarm copy is shortened to the read time + timer (`expire`, shorten).
    ASSERT_TRUE(p.w.run_until([&] {
        std::size_t calls = 0;
        for (auto& n : p.w.network.nodes()) calls += p.w.network.rpc_calls(n.ed25519, "expire");
        return calls > 0;
    }));
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("read me first") == nullptr; }, 20s));
    // Alice's own copy (after read: hers started when she sent it) is gone too.
    EXPECT_EQ(p.alice.message("read me first"), nullptr);
}

TEST(Disappearing, AMessageWhoseTimeEndedWhileTheTabWasClosedIsGoneBeforeAnythingIsDrawn) {
    Pair p;
    p.alice.dispatch(intent::SetDisappearing{p.b, DisappearingMode::AfterSend, 30});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->disappearing == DisappearingMode::AfterSend; }));
    p.bob.dispatch(intent::CloseConversation{});
    p.alice.send(p.b, "gone by morning");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a)->last_message == "gone by morning"; }));
    p.bob.client.reset();  // Bob closes the tab
    p.alice.client.reset();
    p.w.advance(7 * 24h);  // and comes back a week later
    p.bob.client = std::make_unique<Client>(p.w.loop, p.w.clock, p.w.transport, p.bob.store, p.w.config());
    p.bob.client->start();
    // The first view that is not "loading" already lacks it.
    ASSERT_TRUE(p.w.run_until([&] { return !p.bob.view().loading; }));
    ASSERT_NE(p.bob.summary(p.a), nullptr);
    EXPECT_EQ(p.bob.summary(p.a)->last_message.find("gone by morning"), std::string::npos);
    EXPECT_EQ(p.bob.summary(p.a)->unread, 0u);
    EXPECT_EQ(p.bob.stored_messages(p.a), 1u) << "only the setting notice is stored";
    for (const auto& key : p.bob.stored_keys()) EXPECT_EQ(key.find("/expiry/"), std::string::npos) << key;
}

TEST(Disappearing, TurningItOffIsSentAndShown) {
    Pair p;
    p.bob.send(p.a, "hi, Bob here");  // Alice learns his name
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.message("hi, Bob here") != nullptr; }));
    p.alice.dispatch(intent::SetDisappearing{p.b, DisappearingMode::AfterSend, 10});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->disappearing == DisappearingMode::AfterSend; }));
    p.w.advance(1s);
    p.bob.dispatch(intent::SetDisappearing{p.a, DisappearingMode::Off, 0});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->disappearing == DisappearingMode::Off; }));
    EXPECT_TRUE(has_notice(*p.alice.view().open, "Bob has turned off disappearing messages."));
    EXPECT_EQ(p.alice.view().open->disappearing_text, "");
    p.alice.send(p.b, "stays");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("stays") != nullptr; }));
    EXPECT_EQ(p.bob.message("stays")->expires_ms, 0);
}

TEST(Unsend, DeleteForEveryoneLeavesAPlaceholderOnBothSidesAndEmptiesTheSwarmCopies) {
    Pair p;
    p.alice.send(p.b, "regret");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("regret") != nullptr; }));
    ASSERT_TRUE(p.w.run_until([&] {
        auto* m = p.alice.message("regret");
        return m && m->delivery == DeliveryState::Sent && !m->swarm_hash.empty();
    }));
    const auto id = p.alice.message("regret")->id;
    const auto alice_copies = p.w.network.stored(p.id(p.a), 0);
    p.alice.dispatch(intent::DeleteForEveryone{p.b, id});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages.back().kind == MessageKind::Deleted; }));
    EXPECT_EQ(p.alice.view().open->messages.back().body, "");
    EXPECT_EQ(p.alice.summary(p.b)->last_message, "This message was deleted");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->messages.back().kind == MessageKind::Deleted; }));
    EXPECT_EQ(p.bob.message("regret"), nullptr);
    EXPECT_EQ(p.bob.summary(p.a)->last_message, "This message was deleted");
    // Alice's sync copy was deleted from her swarm (the unsend to herself took its place), and
    // Bob deleted the message from his: only the unsend request is left there.
    ASSERT_TRUE(p.w.run_until([&] { return p.w.network.stored(p.id(p.b), 0) == 1; }));
    EXPECT_EQ(p.w.network.stored(p.id(p.a), 0), alice_copies);
    p.bob.reload();
    ASSERT_TRUE(p.open_and_loaded(p.bob, p.a));
    EXPECT_EQ(p.bob.message("regret"), nullptr);
    EXPECT_EQ(p.bob.view().open->messages.back().kind, MessageKind::Deleted);
}

TEST(Unsend, OnlyTheAuthorCanDeleteAMessageForEveryone) {
    Pair p;
    p.alice.send(p.b, "mine, not yours");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("mine, not yours") != nullptr; }));
    const auto sent_ms = static_cast<std::uint64_t>(p.bob.message("mine, not yours")->sent_ms);
    // Mallory asks Bob to delete Alice's message: the request is not Alice's, so nothing happens.
    auto mallory = crypto::Identity::generate();
    auto data = proto::encode_message(mallory, p.id(p.b), sent_ms + 10, proto::OutgoingUnsend{sent_ms, p.id(p.a)});
    ASSERT_TRUE(data);
    p.w.network.inject(p.id(p.b), 0, *data);
    // Alice herself cannot delete Bob's message either: her request names Bob as the author.
    p.bob.send(p.a, "bob's words");
    const auto bob_ms = static_cast<std::uint64_t>(p.bob.message("bob's words")->sent_ms);
    auto forged = proto::encode_message(*p.alice.client->identity(), p.id(p.b), bob_ms + 10,
                                        proto::OutgoingUnsend{bob_ms, p.id(p.b)});
    ASSERT_TRUE(forged);
    p.w.network.inject(p.id(p.b), 0, *forged);
    p.w.advance(10s);
    ASSERT_NE(p.bob.message("mine, not yours"), nullptr);
    ASSERT_NE(p.bob.message("bob's words"), nullptr);
    // And the UI cannot ask for it: a message of theirs is not ours to unsend.
    p.bob.dispatch(intent::DeleteForEveryone{p.a, p.bob.message("mine, not yours")->id});
    p.w.advance(5s);
    EXPECT_NE(p.bob.message("mine, not yours"), nullptr);
    EXPECT_NE(p.alice.message("mine, not yours"), nullptr);
}

TEST(Delete, DeleteForMeRemovesItHereAndFromOurSwarmOnly) {
    Pair p;
    p.alice.send(p.b, "between us");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("between us") != nullptr; }));
    const auto before = p.w.network.stored(p.id(p.b), 0);
    p.bob.dispatch(intent::DeleteForMe{p.a, p.bob.message("between us")->id});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("between us") == nullptr; }));
    EXPECT_EQ(p.bob.summary(p.a)->last_message, "");
    ASSERT_TRUE(p.w.run_until([&] { return p.w.network.stored(p.id(p.b), 0) == before - 1; }));
    p.w.advance(10s);
    EXPECT_NE(p.alice.message("between us"), nullptr) << "Alice keeps hers";
    p.bob.reload();
    ASSERT_TRUE(p.open_and_loaded(p.bob, p.a));
    EXPECT_TRUE(p.bob.view().open->messages.empty());
}

TEST(Delete, DeletingAMessageStillSendingCancelsIt) {
    Pair p;
    for (auto& n : p.w.network.nodes()) p.w.network.set_behaviour(n.ed25519, st::test::FakeSnodeNetwork::Behaviour::down);
    p.alice.send(p.b, "never mind");
    ASSERT_EQ(p.alice.view().network.outbox, 1u);
    p.alice.dispatch(intent::DeleteForMe{p.b, p.alice.message("never mind")->id});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.message("never mind") == nullptr; }));
    EXPECT_EQ(p.alice.view().network.outbox, 0u);
    for (auto& n : p.w.network.nodes()) p.w.network.set_behaviour(n.ed25519, st::test::FakeSnodeNetwork::Behaviour::ok);
    p.alice.reload();
    p.w.advance(30s);
    EXPECT_EQ(p.bob.message("never mind"), nullptr);
    EXPECT_EQ(p.w.network.stored(p.id(p.b), 0), 0u);
}

TEST(Delete, DeleteConversationRemovesItsMessagesHereAndInOurSwarm) {
    Pair p;
    p.alice.send(p.b, "one");
    p.alice.send(p.b, "two");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("two") != nullptr; }));
    ASSERT_GE(p.w.network.stored(p.id(p.b), 0), 2u);
    p.bob.dispatch(intent::DeleteConversation{p.a});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a) == nullptr && !p.bob.view().open; }));
    ASSERT_TRUE(p.w.run_until([&] { return p.w.network.stored(p.id(p.b), 0) == 0; }));
    EXPECT_EQ(p.bob.stored_messages(p.a), 0u);
    p.bob.reload();
    EXPECT_EQ(p.bob.summary(p.a), nullptr);
}

TEST(Clear, ClearDeviceErasesEveryStoredByteOfTheAccountAndReturnsToWelcome) {
    Pair p;
    p.alice.send(p.b, "history");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("history") != nullptr; }));
    const auto bob_keys = p.bob.stored_keys().size();
    ASSERT_GT(bob_keys, 3u);
    p.bob.dispatch(intent::ClearDevice{});
    ASSERT_TRUE(p.w.run_until([&] { return !p.bob.view().account && !p.bob.view().loading; }));
    EXPECT_EQ(p.bob.view().onboarding.step, OnboardingStep::Welcome);
    EXPECT_TRUE(p.bob.view().conversations.empty());
    EXPECT_EQ(p.bob.stored_keys(), kOnlyTheNodeList) << "nothing of the account is left in this browser";
    p.w.advance(30s);
    EXPECT_EQ(p.bob.stored_keys(), kOnlyTheNodeList) << "and nothing comes back";
    p.bob.reload();
    EXPECT_FALSE(p.bob.view().account);
    EXPECT_GT(p.w.network.stored(p.id(p.b), 0), 0u) << "the network keeps Bob's messages: this was the device only";
}

TEST(Clear, ClearDeviceAndNetworkEmptiesTheSwarmThenTheDevice) {
    Pair p;
    p.alice.send(p.b, "wipe me");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("wipe me") != nullptr; }));
    ASSERT_GT(p.w.network.stored(p.id(p.b), 0), 0u);
    p.bob.dispatch(intent::ClearDeviceAndNetwork{});
    EXPECT_EQ(p.bob.view().settings.clear_network.stage, ClearNetworkStage::Working);
    ASSERT_TRUE(p.w.run_until([&] { return !p.bob.view().account && !p.bob.view().loading; }));
    EXPECT_EQ(p.bob.view().onboarding.step, OnboardingStep::Welcome);
    EXPECT_EQ(p.w.network.stored(p.id(p.b), 0), 0u);
    EXPECT_EQ(p.bob.stored_keys(), kOnlyTheNodeList);
}

TEST(Clear, AMemberThatLiesMakesClearDeviceAndNetworkFailAndNothingLocalIsWiped) {
    Pair p;
    p.alice.send(p.b, "still here");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("still here") != nullptr; }));
    const auto keys_before = p.bob.stored_keys();
    // One member of Bob's swarm signs its answer with garbage.
    const auto liar = p.w.network.swarm_of(p.id(p.b)).front().ed25519.hex();
    bool lying = true;
    p.w.network.set_answer_filter([&](const std::string& method, std::string body) {
        if (!lying || method != "delete_all") return body;
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.contains("swarm") || !j["swarm"].contains(liar)) return body;
        j["swarm"][liar]["signature"] = std::string(86, 'A') + "==";
        return j.dump();
    });
    p.bob.dispatch(intent::ClearDeviceAndNetwork{});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().settings.clear_network.stage == ClearNetworkStage::Failed; }));
    const auto& clear = p.bob.view().settings.clear_network;
    ASSERT_TRUE(clear.problem);
    EXPECT_NE(clear.problem->text.find("Nothing was deleted on this device"), std::string::npos) << clear.problem->text;
    EXPECT_NE(clear.problem->text.find(liar.substr(0, 8)), std::string::npos) << clear.problem->text;
    const auto confirmed = std::count_if(clear.members.begin(), clear.members.end(), [](auto& m) { return m.confirmed; });
    EXPECT_EQ(static_cast<std::size_t>(confirmed), clear.members.size() - 1);
    ASSERT_TRUE(p.bob.view().account) << "a failed clear wipes nothing";
    EXPECT_EQ(p.bob.stored_keys().size(), keys_before.size());
    ASSERT_NE(p.bob.message("still here"), nullptr);
    // Bob still receives: the account works on.
    p.alice.send(p.b, "after the failure");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("after the failure") != nullptr; }));

    // Retry once the member is honest again.
    lying = false;
    p.bob.dispatch(intent::ClearDeviceAndNetwork{});
    ASSERT_TRUE(p.w.run_until([&] { return !p.bob.view().account && !p.bob.view().loading; }));
    EXPECT_EQ(p.bob.stored_keys(), kOnlyTheNodeList);
}

}  // namespace
}  // namespace st::app
