// Every screen, drawn from fixture views at several window sizes and pixel ratios with no
// rendering backend: nothing may assert or crash, and every frame must draw something.
#include <gtest/gtest.h>

#include <functional>

#include "web/support/fixtures.hpp"
#include "web/support/ui_harness.hpp"

namespace st::ui::testing {
namespace {

struct Screen {
    const char* name;
    std::function<std::unique_ptr<Fixture>()> make;
    Panel panel = Panel::None;
};

std::vector<Screen> screens() {
    return {
        {"loading", loading},
        {"welcome", welcome},
        {"show_phrase", show_phrase},
        {"enter_phrase", [] { return enter_phrase(false); }},
        {"enter_phrase_problem", [] { return enter_phrase(true); }},
        {"choose_name", [] { return choose_name(false); }},
        {"choose_name_problem", [] { return choose_name(true); }},
        {"main_empty", [] { return main_screen(0, false, 0); }},
        {"main_list", [] { return main_screen(40, false, 0); }},
        {"main_open_empty", [] { return main_screen(5, true, 0); }},
        {"main_open", [] { return main_screen(5, true, 300); }},
        {"varied", varied_conversation},
        {"new_conversation", [] { return main_screen(5, true, 20); }, Panel::NewConversation},
        {"my_id", [] { return main_screen(5, false, 0); }, Panel::MyId},
        {"network", [] { return main_screen(5, false, 0); }, Panel::Network},
        {"requests", [] { return with_requests(false); }},
        {"request_open", [] { return with_requests(true); }},
        {"contact", contact_conversation},
        {"blocked", blocked_conversation},
        {"settings", [] { return settings(false, true); }, Panel::Settings},
        {"settings_phrase", [] { return settings(true, false); }, Panel::Settings},
        {"paged", [] { return paged_conversation(300, 50); }},
        {"deletion", deletion_conversation},
        {"clearing_network", [] { return clearing_network(false); }, Panel::Settings},
        {"clear_network_failed", [] { return clearing_network(true); }, Panel::Settings},
        {"awkward", awkward},
        {"awkward_settings", awkward, Panel::Settings},
        {"awkward_new_conversation", awkward, Panel::NewConversation},
        {"awkward_my_id", awkward, Panel::MyId},
        {"awkward_network", awkward, Panel::Network},
    };
}

struct Size {
    float w, h, scale;
};

TEST(UiSmoke, EveryScreenDrawsAtEverySize) {
    const Size sizes[] = {{1280, 800, 1}, {390, 844, 1}, {1170, 2532, 3},
                          {2560, 1440, 2}, {320, 200, 1}, {40, 30, 1}};
    for (const Screen& screen : screens()) {
        for (const Size& size : sizes) {
            SCOPED_TRACE(std::string(screen.name) + " at " + std::to_string(size.w) + "x" +
                         std::to_string(size.h) + "@" + std::to_string(size.scale));
            auto fixture = screen.make();
            UiHarness h({size.w, size.h, size.scale, false});
            h.ui.panel = screen.panel;
            h.frames(fixture->view, 3);
            EXPECT_GT(h.last_vertices, 0u);
        }
    }
}

TEST(UiSmoke, EveryScreenDrawsWithNotoSans) {
    for (const Screen& screen : screens()) {
        SCOPED_TRACE(screen.name);
        auto fixture = screen.make();
        UiHarness h({1440, 900, 2, true});
        h.ui.panel = screen.panel;
        h.frames(fixture->view, 3);
        EXPECT_GT(h.last_vertices, 0u);
    }
}

TEST(UiSmoke, ScreensFollowOneAnotherInOneState) {
    // One UiState through a whole session: onboarding, main screen, panels, back.
    UiHarness h;
    auto w = welcome();
    auto p = show_phrase();
    auto r = enter_phrase(true);
    auto n = choose_name(false);
    auto m = main_screen(10, true, 50);
    auto v = varied_conversation();
    for (const Fixture* f : {w.get(), p.get(), r.get(), n.get(), m.get(), v.get(), m.get()}) {
        h.frames(f->view, 2);
    }
    for (Panel panel : {Panel::NewConversation, Panel::MyId, Panel::Network, Panel::None}) {
        h.ui.panel = panel;
        h.frames(m->view, 2);
    }
    EXPECT_GT(h.last_vertices, 0u);
}

TEST(UiSmoke, RecoveryPhraseIsWipedWhenLeavingTheRestoreStep) {
    UiHarness h;
    auto r = enter_phrase(false);
    h.frames(r->view, 2);
    h.type(r->view, "some secret words");
    EXPECT_EQ(h.ui.restore_phrase, "some secret words");
    auto w = welcome();
    h.frame(w->view);
    EXPECT_TRUE(h.ui.restore_phrase.empty());
}

}  // namespace
}  // namespace st::ui::testing
