// Kiosk mode (docs/kiosk.md): after the idle time a countdown, then the account, the pending
// onboarding and every stored byte are gone and the tab is at Welcome; input stops the countdown;
// "End session" wipes at once.
#include "app_world.hpp"

namespace st::app::test {
namespace {

void kiosk(ClientConfig& c) {
    c.kiosk = true;
    c.kiosk_idle = 60s;
    c.kiosk_countdown = 30s;
}

TEST(Kiosk, IdleStartsACountdownThenWipesEverything) {
    World w;
    Device k(w, kiosk);
    Device bob(w);
    const auto bob_id = bob.create("Bob");
    EXPECT_TRUE(k.view().kiosk.active);
    const auto me = k.create("Visitor");
    k.start_with(bob_id);
    k.send(bob_id, "hello from the library");
    ASSERT_TRUE(w.run_until([&] { return bob.request(me) != nullptr; }));

    // Idle from the last input: nothing happens before the idle time, then the countdown shows.
    k.client->note_activity();
    w.advance(59s);
    EXPECT_EQ(k.view().kiosk.ends_at_ms, 0);
    w.advance(2s);
    const auto ends = k.view().kiosk.ends_at_ms;
    ASSERT_GT(ends, 0);
    EXPECT_NEAR(static_cast<double>(ends - w.clock.now_ms()), 29'000.0, 1500.0);
    EXPECT_TRUE(k.view().account.has_value());

    // Input stops it; the idle time starts again.
    k.client->note_activity();
    EXPECT_EQ(k.view().kiosk.ends_at_ms, 0);
    w.advance(45s);
    EXPECT_EQ(k.view().kiosk.ends_at_ms, 0);
    EXPECT_TRUE(k.view().account.has_value());

    // Left alone: countdown, then the wipe.
    ASSERT_TRUE(w.run_until([&] { return k.view().kiosk.ends_at_ms != 0; }, 2min));
    ASSERT_TRUE(w.run_until([&] { return !k.view().account.has_value() && !k.view().loading; }, 1min));
    EXPECT_EQ(k.view().onboarding.step, OnboardingStep::Welcome);
    EXPECT_EQ(k.view().kiosk.sessions_ended, 1u);
    EXPECT_EQ(k.view().kiosk.ends_at_ms, 0);
    EXPECT_TRUE(k.view().conversations.empty());
    EXPECT_TRUE(k.stored_keys().empty());
    // Nothing of it comes back: the store is empty, so a reload is a first visit.
    k.reload();
    EXPECT_FALSE(k.view().account.has_value());
    // The welcome screen alone holds nothing: no countdown however long it stays.
    w.advance(10min);
    EXPECT_EQ(k.view().kiosk.ends_at_ms, 0);
}

TEST(Kiosk, EndSessionWipesAtOnceAlsoInTheMiddleOfOnboarding) {
    World w;
    Device k(w, kiosk);
    k.dispatch(intent::CreateAccount{});
    ASSERT_EQ(k.view().onboarding.step, OnboardingStep::ShowPhrase);
    ASSERT_FALSE(k.view().onboarding.phrase_to_show.empty());
    k.dispatch(intent::EndKioskSession{});
    ASSERT_TRUE(w.run_until([&] { return !k.view().loading; }));
    EXPECT_EQ(k.view().onboarding.step, OnboardingStep::Welcome);
    EXPECT_TRUE(k.view().onboarding.phrase_to_show.empty());
    EXPECT_EQ(k.view().kiosk.sessions_ended, 1u);

    k.create("Visitor");
    ASSERT_TRUE(k.view().account.has_value());
    k.dispatch(intent::EndKioskSession{});
    ASSERT_TRUE(w.run_until([&] { return !k.view().loading; }));
    EXPECT_FALSE(k.view().account.has_value());
    EXPECT_TRUE(k.stored_keys().empty());
    EXPECT_EQ(k.view().kiosk.sessions_ended, 2u);
}

TEST(Kiosk, OutsideKioskModeNothingIsWiped) {
    World w;
    Device d(w);
    d.create("Alice");
    EXPECT_FALSE(d.view().kiosk.active);
    d.dispatch(intent::EndKioskSession{});
    w.advance(30min);
    EXPECT_TRUE(d.view().account.has_value());
    EXPECT_EQ(d.view().kiosk.sessions_ended, 0u);
}

}  // namespace
}  // namespace st::app::test
