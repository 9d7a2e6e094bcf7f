// Multi-device sync through the user configs (docs/config.md), end to end through the Client on
// the fake network: a device restored from the phrase gets the name, contacts and read state that
// another device stored; a change on one device reaches the other within a poll; a restore with
// nothing stored asks for a name.
#include <gtest/gtest.h>

#include "app_world.hpp"
#include "st/app/client.hpp"

namespace st::app::test {
namespace {

struct Created {
    std::string id;
    std::string phrase;
};

// A new account, as a person creates it, with the phrase they wrote down.
Created create_keeping_phrase(Device& d, const std::string& name) {
    d.dispatch(intent::CreateAccount{});
    Created c;
    c.phrase = d.view().onboarding.phrase_to_show;
    d.dispatch(intent::ConfirmPhraseSaved{});
    d.dispatch(intent::ChooseDisplayName{name});
    d.world.run_until([&] { return !d.view().loading; });
    c.id = d.view().account ? d.view().account->session_id : "";
    return c;
}

void restore(Device& d, const std::string& phrase) {
    d.dispatch(intent::StartRestore{});
    d.dispatch(intent::RestoreAccount{phrase});
}

// Bob writes to Alice; Alice replies (which accepts him), names him "Bobby" and reads it all.
struct AliceKnowsBob {
    World w;
    Device alice{w}, bob{w};
    Created a, b;
    AliceKnowsBob() {
        a = create_keeping_phrase(alice, "Alice");
        b = create_keeping_phrase(bob, "Bob");
        bob.start_with(a.id);
        bob.send(a.id, "hello Alice");
        EXPECT_TRUE(w.run_until([&] { return alice.request(b.id) != nullptr; }));
        alice.dispatch(intent::OpenConversation{b.id});
        alice.send(b.id, "hi Bob");
        alice.dispatch(intent::SetNickname{b.id, "Bobby"});
        EXPECT_TRUE(w.run_until([&] { return alice.summary(b.id) && alice.summary(b.id)->unread == 0; }));
        // Alice's device has pushed its configs: profile, contacts, read state.
        const auto id = *crypto::SessionId::parse(a.id);
        EXPECT_TRUE(w.run_until([&] {
            return w.network.stored(id, 2) > 0 && w.network.stored(id, 3) > 0 && w.network.stored(id, 4) > 0;
        }));
        // The pushes settle (a merge of our own answers leaves nothing more to push).
        w.advance(5s);
    }
};

TEST(ConfigSyncTest, ARestoredDeviceGetsTheNameContactsAndReadStateFromTheNetwork) {
    AliceKnowsBob s;
    Device second(s.w);
    restore(second, s.a.phrase);
    // While the profile is looked for, the account is not on screen yet.
    EXPECT_FALSE(second.view().account.has_value());
    EXPECT_EQ(second.view().onboarding.step, OnboardingStep::LoadingAccount);
    ASSERT_TRUE(s.w.run_until([&] { return second.view().account.has_value(); }));
    EXPECT_EQ(second.view().account->display_name, "Alice");  // no name asked for
    // Bob's conversation comes from the swarm; the configs say he is an approved contact with
    // our nickname, and that it was read on the other device.
    ASSERT_TRUE(s.w.run_until([&] { return second.summary(s.b.id) != nullptr; }));
    EXPECT_EQ(second.request(s.b.id), nullptr);
    EXPECT_EQ(second.summary(s.b.id)->title, "Bobby");
    EXPECT_EQ(second.summary(s.b.id)->unread, 0u);
    // The restored device keeps it after a reload.
    second.reload();
    ASSERT_TRUE(second.view().account.has_value());
    EXPECT_EQ(second.view().account->display_name, "Alice");
    ASSERT_NE(second.summary(s.b.id), nullptr);
    EXPECT_EQ(second.summary(s.b.id)->title, "Bobby");
}

TEST(ConfigSyncTest, AChangeOnOneDeviceReachesTheOtherAndConflictsEndTheSame) {
    AliceKnowsBob s;
    Device second(s.w);
    restore(second, s.a.phrase);
    ASSERT_TRUE(s.w.run_until([&] { return second.view().account && second.summary(s.b.id); }));

    // A name change here shows there.
    s.alice.dispatch(intent::SetDisplayName{"Alice A."});
    ASSERT_TRUE(s.w.run_until([&] { return second.view().account->display_name == "Alice A."; }));

    // Blocking there shows here.
    second.dispatch(intent::BlockContact{s.b.id});
    ASSERT_TRUE(s.w.run_until([&] {
        const auto& blocked = s.alice.view().settings.blocked;
        return std::any_of(blocked.begin(), blocked.end(),
                           [&](const BlockedContact& c) { return c.session_id == s.b.id; });
    }));

    // ... and unblocking here shows there.
    s.alice.dispatch(intent::UnblockContact{s.b.id});
    ASSERT_TRUE(s.w.run_until([&] { return second.view().settings.blocked.empty(); }));

    // A disappearing setting here applies there.
    s.alice.dispatch(intent::SetDisappearing{s.b.id, DisappearingMode::AfterRead, 3600});
    second.dispatch(intent::OpenConversation{s.b.id});
    ASSERT_TRUE(s.w.run_until([&] {
        const auto& open = second.view().open;
        return open && open->disappearing == DisappearingMode::AfterRead && open->disappearing_seconds == 3600;
    }));

    // Both devices rename Bob at once: after their pushes and polls, they agree.
    s.alice.dispatch(intent::SetNickname{s.b.id, "Bob from Alice's laptop"});
    second.dispatch(intent::SetNickname{s.b.id, "Bob from Alice's phone"});
    s.w.advance(30s);
    auto title = [&](Device& d) {
        d.dispatch(intent::OpenConversation{s.b.id});
        return d.view().open ? d.view().open->title : std::string();
    };
    ASSERT_TRUE(s.w.run_until([&] { return title(s.alice) == title(second); }, 2min));
    const auto agreed = title(s.alice);
    EXPECT_TRUE(agreed == "Bob from Alice's laptop" || agreed == "Bob from Alice's phone") << agreed;
}

TEST(ConfigSyncTest, ARestoreWithNothingStoredAsksForAName) {
    World w;
    Device first(w);
    // An account whose swarm has no configs: a phrase never used on the network.
    first.dispatch(intent::CreateAccount{});
    const std::string phrase = first.view().onboarding.phrase_to_show;
    Device second(w);
    restore(second, phrase);
    EXPECT_EQ(second.view().onboarding.step, OnboardingStep::LoadingAccount);
    ASSERT_TRUE(w.run_until([&] { return second.view().onboarding.step == OnboardingStep::ChooseName; }));
    EXPECT_FALSE(second.view().account.has_value());
    second.dispatch(intent::ChooseDisplayName{"Fresh"});
    ASSERT_TRUE(w.run_until([&] { return second.view().account.has_value(); }));
    EXPECT_EQ(second.view().account->display_name, "Fresh");
    // And the name is now in the swarm for the next restore.
    Device third(w);
    restore(third, phrase);
    ASSERT_TRUE(w.run_until([&] { return third.view().account.has_value(); }));
    EXPECT_EQ(third.view().account->display_name, "Fresh");
}

TEST(ConfigSyncTest, LeavingARestoreBeforeItsNameIsSettledForgetsTheAccount) {
    World w;
    Device first(w);
    first.dispatch(intent::CreateAccount{});
    const std::string phrase = first.view().onboarding.phrase_to_show;
    Device second(w);
    restore(second, phrase);
    second.dispatch(intent::BackToWelcome{});
    ASSERT_TRUE(w.run_until([&] { return second.view().onboarding.step == OnboardingStep::Welcome && !second.view().loading; }));
    EXPECT_TRUE(second.stored_keys().empty());
}

}  // namespace
}  // namespace st::app::test
