// The passphrase lock in the Client (docs/lock.md): turned on, everything of the account is
// stored sealed (no key or value names it, no message text or seed readable); a reload shows the
// lock screen with the public name; a wrong passphrase says so; the right one opens the account
// with its data; Lock now and the idle time lock it again; the passphrase can be changed and
// removed, after which the records are plain again.
#include <algorithm>

#include "app_world.hpp"
#include "st/crypto/mnemonic.hpp"

namespace st::app::test {
namespace {

void cheap_lock(ClientConfig& c) { c.lock_params = store::kTestArgon2Params; }

bool contains(const Bytes& haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// Every key and value this browser stores.
std::vector<store::KvEntry> everything(Device& d) {
    std::optional<std::vector<store::KvEntry>> all;
    d.store.scan("", {}, 1'000'000, [&](Result<std::vector<store::KvEntry>> r) { all = r ? std::move(*r) : std::vector<store::KvEntry>{}; });
    d.world.run_until([&] { return all.has_value(); });
    return *all;
}

bool on_lock_screen(Device& d) { return d.view().lock_screen.has_value() && !d.view().account; }

void unlock(Device& d, const std::string& passphrase) {
    d.dispatch(intent::Unlock{d.view().lock_screen->lock_id, passphrase});
    d.world.run_until([&] { return !d.view().lock_screen || !d.view().lock_screen->busy; });
    d.world.run_until([&] { return d.view().account.has_value() && !d.view().loading; }, std::chrono::seconds(5));
}

struct Locked {
    World w;
    Device alice{w, cheap_lock}, bob{w};
    std::string a, b, phrase;
    Locked() {
        a = alice.create("Alice");
        b = bob.create("Bob");
        alice.dispatch(intent::RevealRecoveryPhrase{});
        phrase = alice.view().settings.recovery_phrase;
        alice.dispatch(intent::HideRecoveryPhrase{});
        bob.start_with(a);
        bob.send(a, "a secret about the garden");
        EXPECT_TRUE(w.run_until([&] { return alice.request(b) != nullptr; }));
        alice.dispatch(intent::AcceptRequest{b});
        w.advance(3s);
        alice.dispatch(intent::SetPassphrase{"correct horse battery", "Work"});
        EXPECT_TRUE(w.run_until([&] { return alice.view().settings.lock_changes == 1 && !alice.view().settings.lock_busy; }));
        EXPECT_TRUE(alice.view().settings.passphrase_set);
    }
    bool open_and_loaded_alice() {
        alice.dispatch(intent::OpenConversation{b});
        return w.run_until([&] { return alice.view().open && alice.view().open->peer_session_id == b && !alice.view().open->loading; });
    }
};

TEST(PassphraseLock, SealedAtRestThenUnlockedAfterAReload) {
    Locked t;
    t.w.advance(5s);
    // Nothing readable about the account is stored: not its ID, its seed, the phrase's words, the
    // message, the contact's ID or name.
    const auto& seed = t.alice.client->identity()->seed();
    const std::string seed_bytes(reinterpret_cast<const char*>(seed.data()), seed.size());
    for (const auto& e : everything(t.alice)) {
        EXPECT_FALSE(e.key.starts_with("acct/") || e.key.starts_with("accounts/")) << e.key;
        EXPECT_EQ(e.key.find(t.a), std::string::npos) << e.key;
        EXPECT_EQ(e.key.find(t.b), std::string::npos) << e.key;
        EXPECT_FALSE(contains(e.value, t.a)) << e.key;
        EXPECT_FALSE(contains(e.value, t.b)) << e.key;
        EXPECT_FALSE(contains(e.value, "garden")) << e.key;
        EXPECT_FALSE(contains(e.value, "Bob")) << e.key;
        EXPECT_FALSE(contains(e.value, seed_bytes)) << e.key;
        for (const auto& word : {t.phrase.substr(0, t.phrase.find(' '))}) EXPECT_FALSE(contains(e.value, word)) << e.key;
    }

    // A reload: the lock screen with the public name, nothing else.
    t.alice.reload();
    ASSERT_TRUE(on_lock_screen(t.alice));
    EXPECT_EQ(t.alice.view().lock_screen->public_name, "Work");
    ASSERT_EQ(t.alice.view().accounts.size(), 1u);
    EXPECT_TRUE(t.alice.view().accounts[0].locked);
    EXPECT_TRUE(t.alice.view().accounts[0].session_id.empty());

    // Wrong, then right.
    unlock(t.alice, "wrong horse battery");
    ASSERT_TRUE(on_lock_screen(t.alice));
    ASSERT_TRUE(t.alice.view().lock_screen->problem);
    EXPECT_EQ(t.alice.view().lock_screen->problem->code, "lock.wrong_passphrase");
    unlock(t.alice, "correct horse battery");
    ASSERT_TRUE(t.alice.view().account);
    EXPECT_EQ(t.alice.view().account->session_id, t.a);
    EXPECT_TRUE(t.alice.view().settings.passphrase_set);
    ASSERT_NE(t.alice.summary(t.b), nullptr);
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.summary(t.b) != nullptr; }));
    ASSERT_TRUE(t.open_and_loaded_alice());
    EXPECT_NE(t.alice.message("a secret about the garden"), nullptr);

    // It keeps working sealed: Bob writes again, it arrives and is stored sealed; switching to it
    // and back does not write its ID anywhere either.
    t.bob.send(t.a, "another one");
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.message("another one") != nullptr; }));
    t.alice.dispatch(intent::AddAccount{});
    t.alice.dispatch(intent::CancelAddAccount{});
    t.w.advance(3s);
    for (const auto& e : everything(t.alice)) {
        EXPECT_FALSE(contains(e.value, "another one")) << e.key;
        EXPECT_FALSE(contains(e.value, t.a)) << e.key;
        EXPECT_EQ(e.key.find(t.a), std::string::npos) << e.key;
    }
}

TEST(PassphraseLock, AMessageSentWhileTheRecordsMoveIsSentAndStoredSealed) {
    World w;
    Device alice(w, cheap_lock), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    alice.start_with(b);
    alice.dispatch(intent::SetPassphrase{"correct horse battery", "Work"});
    alice.dispatch(intent::SendText{b, "typed while sealing"});
    ASSERT_TRUE(w.run_until([&] { return alice.view().settings.lock_changes == 1 && !alice.view().settings.lock_busy; }));
    ASSERT_TRUE(w.run_until([&] { return bob.request(a) != nullptr; }, 2min));
    bob.dispatch(intent::OpenConversation{a});
    ASSERT_TRUE(w.run_until([&] { return bob.message("typed while sealing") != nullptr; }));
    ASSERT_TRUE(w.run_until([&] {
        return alice.message("typed while sealing") && alice.message("typed while sealing")->delivery == DeliveryState::Sent;
    }));
    w.advance(3s);
    for (const auto& e : everything(alice)) {
        EXPECT_FALSE(e.key.starts_with("acct/") || e.key.starts_with("accounts/")) << e.key;
        EXPECT_FALSE(contains(e.value, "typed while sealing")) << e.key;
    }
}

TEST(PassphraseLock, LockNowAndTheIdleTimeLockAgain) {
    Locked t;
    t.alice.dispatch(intent::LockNow{});
    ASSERT_TRUE(t.w.run_until([&] { return on_lock_screen(t.alice); }));
    EXPECT_TRUE(t.alice.view().conversations.empty());
    EXPECT_EQ(t.alice.client->identity(), nullptr);
    unlock(t.alice, "correct horse battery");
    ASSERT_TRUE(t.alice.view().account);

    t.alice.dispatch(intent::SetLockAfter{1});
    EXPECT_EQ(t.alice.view().settings.lock_after_minutes, 1u);
    t.w.advance(40s);
    t.alice.client->note_activity();
    t.w.advance(40s);
    EXPECT_TRUE(t.alice.view().account.has_value()) << "input restarts the idle time";
    ASSERT_TRUE(t.w.run_until([&] { return on_lock_screen(t.alice); }, 2min));
    // The setting is the account's (sealed with it): back after unlocking.
    unlock(t.alice, "correct horse battery");
    EXPECT_EQ(t.alice.view().settings.lock_after_minutes, 1u);
}

TEST(PassphraseLock, ChangeAndRemoveThePassphrase) {
    Locked t;
    t.alice.dispatch(intent::ChangePassphrase{"not it at all", "a new passphrase"});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().settings.lock_problem.has_value(); }));
    EXPECT_EQ(t.alice.view().settings.lock_problem->code, "lock.wrong_passphrase");
    t.alice.dispatch(intent::ChangePassphrase{"correct horse battery", "a new passphrase"});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().settings.lock_changes == 2; }));
    t.alice.reload();
    unlock(t.alice, "correct horse battery");
    ASSERT_TRUE(on_lock_screen(t.alice)) << "the old passphrase no longer opens it";
    unlock(t.alice, "a new passphrase");
    ASSERT_TRUE(t.alice.view().account);

    const auto changes = t.alice.view().settings.lock_changes;  // this Client's count (a new one after the reload)
    t.alice.dispatch(intent::RemovePassphrase{"a new passphrase"});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().settings.lock_changes == changes + 1 && !t.alice.view().settings.lock_busy; }));
    EXPECT_FALSE(t.alice.view().settings.passphrase_set);
    t.w.advance(3s);
    bool plain_account = false, any_lock = false;
    for (const auto& e : everything(t.alice)) {
        plain_account |= e.key == "accounts/" + t.a;
        any_lock |= e.key.starts_with("lock/") || e.key.starts_with("sealed/");
    }
    EXPECT_TRUE(plain_account);
    EXPECT_FALSE(any_lock);
    t.alice.reload();
    ASSERT_TRUE(t.alice.view().account);
    EXPECT_EQ(t.alice.view().account->session_id, t.a);
    EXPECT_NE(t.alice.summary(t.b), nullptr);
}

TEST(PassphraseLock, ALockedAccountCanBeRemovedWithoutItsPassphrase) {
    Locked t;
    t.alice.reload();
    ASSERT_TRUE(on_lock_screen(t.alice));
    t.alice.dispatch(intent::RemoveLockedAccount{t.alice.view().lock_screen->lock_id});
    ASSERT_TRUE(t.w.run_until([&] { return t.alice.view().accounts.empty(); }));
    t.w.advance(2s);
    for (const auto& e : everything(t.alice))
        EXPECT_FALSE(e.key.starts_with("lock/") || e.key.starts_with("sealed/")) << e.key;
    EXPECT_EQ(t.alice.view().onboarding.step, OnboardingStep::Welcome);
}

}  // namespace
}  // namespace st::app::test
