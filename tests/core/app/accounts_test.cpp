// Several accounts in one browser, and one account in several tabs (docs/accounts.md): each
// account keeps its own messages; those not on screen keep receiving and show unread counts; a
// removed account leaves nothing behind; two Clients on one store share an account through its
// lease — one polls and writes, the other follows, a message arrives once in both, the lease moves
// to the tab where the person acts and to the one left when a tab closes.
#include <algorithm>

#include "app_world.hpp"
#include "st/app/account_leases.hpp"

namespace st::app::test {
namespace {

const AccountListing* listed(const AppView& v, const std::string& id) {
    for (auto& a : v.accounts)
        if (a.session_id == id) return &a;
    return nullptr;
}

std::size_t keys_starting(const std::vector<std::string>& keys, const std::string& prefix) {
    return static_cast<std::size_t>(
        std::count_if(keys.begin(), keys.end(), [&](const std::string& k) { return k.starts_with(prefix); }));
}

TEST(Accounts, TwoAccountsEachGetTheirOwnMessagesAndUnreadCounts) {
    World w;
    Device me(w), bob(w);
    const auto b = bob.create("Bob");
    const auto first = me.create("Alice");
    ASSERT_EQ(me.view().accounts.size(), 1u);

    // Add a second account: Welcome, with a way back; then create it.
    me.dispatch(intent::AddAccount{});
    EXPECT_FALSE(me.view().account);
    EXPECT_TRUE(me.view().adding_account);
    me.dispatch(intent::CancelAddAccount{});
    ASSERT_TRUE(me.view().account);
    EXPECT_EQ(me.view().account->session_id, first);
    w.advance(1s);  // the switcher lists accounts oldest first
    me.dispatch(intent::AddAccount{});
    const auto second = me.create("Pseudonym");
    ASSERT_NE(second, first);
    ASSERT_EQ(me.view().accounts.size(), 2u);
    EXPECT_EQ(me.view().accounts[0].session_id, first);
    EXPECT_EQ(me.view().accounts[0].name, "Alice");
    EXPECT_FALSE(me.view().accounts[0].shown);
    EXPECT_TRUE(me.view().accounts[1].shown);
    EXPECT_EQ(me.view().account_fragment, "#/account/" + second.substr(0, 16));

    // Bob writes to the account not on screen: it receives (hidden pace) and counts it.
    bob.start_with(first);
    bob.send(first, "to Alice");
    bob.send(first, "again to Alice");
    ASSERT_TRUE(w.run_until([&] { return listed(me.view(), first) && listed(me.view(), first)->unread == 2; }, 2min));
    EXPECT_EQ(listed(me.view(), second)->unread, 0u);
    EXPECT_TRUE(me.view().requests.empty()) << "the pseudonym on screen got nothing";

    // Switch: Alice's request is there, the pseudonym's list is not.
    me.dispatch(intent::SwitchAccount{first});
    ASSERT_TRUE(w.run_until([&] { return me.view().account && me.view().account->session_id == first && !me.view().loading; }));
    ASSERT_NE(me.request(b), nullptr);
    EXPECT_EQ(me.request(b)->unread, 2u);
    me.dispatch(intent::SwitchAccount{second});
    ASSERT_TRUE(w.run_until([&] { return me.view().account->session_id == second; }));
    EXPECT_EQ(me.request(b), nullptr);

    // A reload opens both again, on the account chosen last.
    me.reload();
    ASSERT_TRUE(me.view().account);
    EXPECT_EQ(me.view().account->session_id, second);
    EXPECT_EQ(me.view().accounts.size(), 2u);
    me.dispatch(intent::OpenLink{"#/account/" + first.substr(0, 16)});
    ASSERT_TRUE(w.run_until([&] { return me.view().account && me.view().account->session_id == first; }));
    EXPECT_NE(me.request(b), nullptr);
}

TEST(Accounts, RemovingAnAccountErasesItAloneAndShowsAnother) {
    World w;
    Device me(w);
    const auto first = me.create("Alice");
    me.dispatch(intent::AddAccount{});
    const auto second = me.create("Pseudonym");
    auto keys = me.stored_keys();
    ASSERT_GT(keys_starting(keys, "acct/" + second + "/"), 0u);

    me.dispatch(intent::RemoveAccount{second});
    ASSERT_TRUE(w.run_until([&] { return me.view().accounts.size() == 1 && !me.view().loading; }));
    ASSERT_TRUE(me.view().account);
    EXPECT_EQ(me.view().account->session_id, first);
    w.advance(2s);
    keys = me.stored_keys();
    EXPECT_EQ(keys_starting(keys, "acct/" + second), 0u);
    EXPECT_EQ(keys_starting(keys, "accounts/" + second), 0u);
    EXPECT_GT(keys_starting(keys, "acct/" + first + "/"), 0u);
    EXPECT_EQ(keys_starting(keys, "accounts/" + first), 1u);
    me.reload();
    ASSERT_TRUE(me.view().account);
    EXPECT_EQ(me.view().account->session_id, first);
    EXPECT_EQ(me.view().accounts.size(), 1u);

    // The last one removed: Welcome, nothing of it left.
    me.dispatch(intent::RemoveAccount{first});
    ASSERT_TRUE(w.run_until([&] { return me.view().accounts.empty() && !me.view().loading; }));
    EXPECT_FALSE(me.view().account);
    EXPECT_EQ(me.view().onboarding.step, OnboardingStep::Welcome);
    w.advance(2s);
    for (auto& k : me.stored_keys()) EXPECT_FALSE(k.starts_with("acct/") || k.starts_with("accounts/")) << k;
}

TEST(Accounts, RestoringAnAccountThisBrowserHasShowsItInsteadOfAddingItAgain) {
    World w;
    Device me(w);
    const auto first = me.create("Alice");
    me.dispatch(intent::RevealRecoveryPhrase{});
    const std::string phrase = me.view().settings.recovery_phrase;
    ASSERT_FALSE(phrase.empty());
    me.dispatch(intent::HideRecoveryPhrase{});
    me.dispatch(intent::AddAccount{});
    me.create("Pseudonym");
    me.dispatch(intent::AddAccount{});
    me.dispatch(intent::StartRestore{});
    me.dispatch(intent::RestoreAccount{phrase});
    ASSERT_TRUE(w.run_until([&] { return me.view().account && !me.view().loading; }));
    EXPECT_EQ(me.view().account->session_id, first);
    EXPECT_EQ(me.view().account->display_name, "Alice");
    EXPECT_EQ(me.view().accounts.size(), 2u);
}

// Two tabs of one browser: two Clients on one store, with leases between them.
struct Tab {
    World& w;
    store::KvStore& store;
    InProcessLeases& broker;
    std::unique_ptr<AccountLeases> leases;
    std::unique_ptr<Client> client;
    Tab(World& world, store::KvStore& s, InProcessLeases& b) : w(world), store(s), broker(b) { open(); }
    ~Tab() { close(); }
    void open() {
        leases = broker.connect();
        client = std::make_unique<Client>(w.loop, w.clock, w.transport, store, w.config(), leases.get());
        client->start();
        w.run_until([&] { return !client->view().loading; });
    }
    void close() {
        client.reset();
        leases.reset();
    }
    const AppView& view() { return client->view(); }
    bool follows() { return view().account && view().account->other_tab_holds; }
    bool holds() { return view().account && !view().account->other_tab_holds; }
    std::size_t count(const std::string& body) {
        if (!view().open) return 0;
        return static_cast<std::size_t>(std::count_if(view().open->messages.begin(), view().open->messages.end(),
                                                       [&](const MessageView& m) { return m.body == body; }));
    }
};

TEST(Accounts, OneAccountInTwoTabsOneWritesTheOtherFollowsAndMessagesArriveOnce) {
    World w;
    InProcessLeases broker(w.loop);
    store::MemoryKvStore shared(w.loop);
    Device bob(w);
    const auto b = bob.create("Bob");

    Tab one(w, shared, broker);
    one.client->dispatch(intent::CreateAccount{});
    one.client->dispatch(intent::ConfirmPhraseSaved{});
    one.client->dispatch(intent::ChooseDisplayName{"Alice"});
    ASSERT_TRUE(w.run_until([&] { return one.holds() && !one.view().loading; }));
    const auto a = one.view().account->session_id;
    one.client->dispatch(intent::StartConversation{b});
    ASSERT_TRUE(w.run_until([&] { return one.view().open && !one.view().open->loading; }));

    Tab two(w, shared, broker);
    ASSERT_TRUE(w.run_until([&] { return two.view().account.has_value() && !two.view().loading; }));
    EXPECT_EQ(two.view().account->session_id, a);
    EXPECT_TRUE(two.follows());
    EXPECT_TRUE(one.holds());
    two.client->dispatch(intent::OpenConversation{b});

    // Bob writes: the holder stores it once, the follower shows it too.
    bob.start_with(a);
    bob.send(a, "one for both");
    ASSERT_TRUE(w.run_until([&] { return one.count("one for both") == 1 && two.count("one for both") == 1; }, 1min));
    // While the follower reads the account again after each change, the conversation it shows
    // never empties (the new reading replaces it only with its page loaded).
    bool emptied = false;
    bob.send(a, "a second one");
    w.run_until([&] {
        emptied |= two.count("one for both") != 1;
        return two.count("a second one") == 1;
    }, 1min);
    EXPECT_FALSE(emptied);
    w.advance(20s);
    EXPECT_EQ(one.count("one for both"), 1u);
    EXPECT_EQ(two.count("one for both"), 1u);
    EXPECT_TRUE(one.holds());
    EXPECT_TRUE(two.follows()) << "reading in the following tab does not move the lease";

    // The person writes in the following tab: the lease moves there, the message goes once.
    two.client->dispatch(intent::SendText{b, "from tab two"});
    ASSERT_TRUE(w.run_until([&] { return two.holds() && one.follows(); }, 1min));
    ASSERT_TRUE(w.run_until([&] { return two.count("from tab two") == 1 && one.count("from tab two") == 1; }, 1min));
    ASSERT_TRUE(w.run_until([&] { return bob.message("from tab two") != nullptr; }, 1min));
    w.advance(30s);
    std::size_t at_bob = 0;
    for (auto& m : bob.view().open->messages) at_bob += m.body == "from tab two";
    EXPECT_EQ(at_bob, 1u);

    // The holding tab closes: the other takes over and receives.
    two.close();
    ASSERT_TRUE(w.run_until([&] { return one.holds(); }, 1min));
    bob.send(a, "after the handover");
    ASSERT_TRUE(w.run_until([&] { return one.count("after the handover") == 1; }, 1min));
    std::optional<std::size_t> stored;
    shared.scan("acct/" + a + "/msg/" + b + "/", {}, 1000, [&](Result<std::vector<store::KvEntry>> r) {
        stored = r ? r->size() : 0;
    });
    ASSERT_TRUE(w.run_until([&] { return stored.has_value(); }));
    EXPECT_EQ(*stored, 4u) << "each message stored once";
}

TEST(Accounts, AnAccountAddedInOneTabAppearsInTheOther) {
    World w;
    InProcessLeases broker(w.loop);
    store::MemoryKvStore shared(w.loop);
    Tab one(w, shared, broker);
    Tab two(w, shared, broker);
    one.client->dispatch(intent::TryItNow{});
    ASSERT_TRUE(w.run_until([&] { return one.holds() && !one.view().loading; }));
    // The other tab was at Welcome: it opens the new account.
    ASSERT_TRUE(w.run_until([&] { return two.view().accounts.size() == 1 && two.view().account.has_value(); }));
    EXPECT_TRUE(two.follows());
    // Removed in one tab (which takes the lease first): gone from both.
    two.client->dispatch(intent::RemoveAccount{two.view().accounts[0].session_id});
    ASSERT_TRUE(w.run_until([&] { return one.view().accounts.empty() && two.view().accounts.empty(); }, 1min));
    EXPECT_FALSE(one.view().account);
    EXPECT_FALSE(two.view().account);
}

}  // namespace
}  // namespace st::app::test
