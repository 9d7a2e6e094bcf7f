// The test hook's JSON: valid whatever the strings hold, with the fields tests rely on.
#include "st/ui/view_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/support/fixtures.hpp"

namespace st::ui {
namespace {

using nlohmann::json;

TEST(ViewJson, DescribesTheMainScreen) {
    auto f = testing::varied_conversation();
    const json j = json::parse(view_to_json(f->view));
    EXPECT_EQ(j["account"]["display_name"], "Alice");
    EXPECT_EQ(j["conversations"].size(), 3u);
    EXPECT_EQ(j["open"]["message_count"], 7);
    EXPECT_EQ(j["open"]["messages"][5]["delivery"], "failed");
    EXPECT_EQ(j["open"]["messages"][4]["delivery"], "sending");
    EXPECT_EQ(j["open"]["messages"][2]["body"], "Line one\nLine two\nLine three");
    EXPECT_EQ(j["open"]["draft"], "half-typed reply");
    EXPECT_EQ(j["network"]["state"], "online");
    EXPECT_EQ(j["network"]["path"].size(), 3u);
    EXPECT_TRUE(j["banner"].is_null());
}

TEST(ViewJson, ListsOnlyTheNewestMessagesAskedFor) {
    auto f = testing::main_screen(2, true, 5000);
    const json j = json::parse(view_to_json(f->view, 10));
    EXPECT_EQ(j["open"]["message_count"], 5000);
    ASSERT_EQ(j["open"]["messages"].size(), 10u);
    EXPECT_EQ(j["open"]["messages"][9]["id"], "m4999");
}

TEST(ViewJson, ShowsThePhraseOnlyOnTheStepThatShowsIt) {
    auto shown = testing::show_phrase();
    EXPECT_EQ(json::parse(view_to_json(shown->view))["onboarding"]["phrase"], testing::kPhrase);
    shown->view.onboarding.step = app::OnboardingStep::ChooseName;
    EXPECT_EQ(json::parse(view_to_json(shown->view))["onboarding"]["phrase"], "");
}

TEST(ViewJson, ProblemsCarryTheirWordPosition) {
    auto f = testing::enter_phrase(true);
    const json j = json::parse(view_to_json(f->view));
    EXPECT_EQ(j["onboarding"]["step"], "enter_phrase");
    EXPECT_EQ(j["onboarding"]["phrase_problem"]["word_position"], 4);
    EXPECT_EQ(j["onboarding"]["phrase_problem"]["code"], "mnemonic.unknown_word");
}

TEST(ViewJson, HostileStringsStayValidJson) {
    auto f = testing::awkward();
    const std::string text = view_to_json(f->view);
    json j;
    ASSERT_NO_THROW(j = json::parse(text));
    EXPECT_EQ(j["conversations"][0]["title"], "bad \xEF\xBF\xBD( utf8 \xEF\xBF\xBD\xEF\xBF\xBD end");
    EXPECT_EQ(j["open"]["messages"][2]["body"], "tab\there\x01\x02 nul-free\r\n");
}

TEST(ViewJson, EscapesEveryControlCharacter) {
    std::string all;
    for (int c = 1; c < 0x20; ++c) all += static_cast<char>(c);
    all += "\"\\";
    EXPECT_EQ(json::parse(json_string(all)).get<std::string>(), all);
}

TEST(ViewJson, RectsAreInCssPixels) {
    UiState state;
    state.rects.push_back(WidgetRect{"composer.input", 100, 40, 300, 60});
    const json j = json::parse(rects_to_json(state, 2.0f));
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["name"], "composer.input");
    EXPECT_DOUBLE_EQ(j[0]["x"].get<double>(), 50.0);
    EXPECT_DOUBLE_EQ(j[0]["h"].get<double>(), 30.0);
}

TEST(ViewJson, DescribesRequestsTypingAndTheContact) {
    auto f = testing::with_requests(true);
    const json j = json::parse(view_to_json(f->view));
    EXPECT_EQ(j["requests"].size(), 2u);
    EXPECT_EQ(j["requests"][0]["title"], "Dana");
    EXPECT_EQ(j["conversations"][1]["typing"], true);
    EXPECT_EQ(j["open"]["is_request"], true);
    EXPECT_EQ(j["open"]["blocked"], false);
    auto c = testing::contact_conversation();
    const json k = json::parse(view_to_json(c->view));
    EXPECT_EQ(k["open"]["typing"], true);
    EXPECT_EQ(k["open"]["awaiting_approval"], true);
    EXPECT_EQ(k["open"]["nickname"], "Bobby");
    EXPECT_EQ(k["open"]["messages"][0]["delivery"], "read");
}

TEST(ViewJson, DescribesDeletionAndDisappearingMessages) {
    auto f = testing::deletion_conversation();
    const json j = json::parse(view_to_json(f->view));
    const json& open = j["open"];
    EXPECT_EQ(open["disappearing"], "after_send");
    EXPECT_EQ(open["disappearing_seconds"], 30);
    EXPECT_EQ(open["disappearing_text"], "Disappear after send: 30 seconds");
    ASSERT_EQ(open["disappearing_choices"].size(), 5u);
    EXPECT_EQ(open["disappearing_choices"][0]["mode"], "off");
    EXPECT_EQ(open["disappearing_choices"][2]["mode"], "after_read");
    EXPECT_EQ(open["disappearing_choices"][2]["seconds"], 3600);
    EXPECT_EQ(open["disappearing_choices"][2]["label"], "1 hour");
    EXPECT_EQ(open["messages"][0]["kind"], "text");
    EXPECT_EQ(open["messages"][3]["kind"], "deleted");
    EXPECT_EQ(open["messages"][4]["kind"], "notice");
    EXPECT_EQ(open["messages"][5]["disappearing"], "after_send");
    EXPECT_EQ(open["messages"][5]["disappearing_seconds"], 30);
    EXPECT_EQ(open["messages"][5]["expires_ms"], testing::kNowMs + 9'500);
    EXPECT_EQ(open["messages"][0]["expires_ms"], 0);
    EXPECT_EQ(j["settings"]["clear_network"]["stage"], "idle");

    auto failed = testing::clearing_network(true);
    const json c = json::parse(view_to_json(failed->view))["settings"]["clear_network"];
    EXPECT_EQ(c["stage"], "failed");
    ASSERT_EQ(c["members"].size(), 3u);
    EXPECT_EQ(c["members"][0]["confirmed"], true);
    EXPECT_EQ(c["members"][2]["confirmed"], false);
    EXPECT_EQ(c["members"][2]["problem"], "Its answer was not signed correctly.");
    EXPECT_EQ(c["problem"]["text"], "One node of your swarm did not confirm the deletion.");
    auto working = testing::clearing_network(false);
    EXPECT_EQ(json::parse(view_to_json(working->view))["settings"]["clear_network"]["stage"], "working");
}

TEST(ViewJson, SettingsCarryThePhraseOnlyWhileRevealed) {
    auto hidden = testing::settings(false, true);
    const json j = json::parse(view_to_json(hidden->view));
    EXPECT_EQ(j["settings"]["typing_indicators"], true);
    EXPECT_EQ(j["settings"]["blocked"].size(), 2u);
    EXPECT_EQ(j["settings"]["recovery_phrase"], "");
    EXPECT_EQ(j["settings"]["recovery_phrase_shown"], false);
    EXPECT_EQ(j["settings"]["name_problem"]["code"], "profile.name_too_long");
    EXPECT_EQ(j["settings"]["version"], "0.1.0");
    auto shown = testing::settings(true, false);
    const json k = json::parse(view_to_json(shown->view));
    EXPECT_EQ(k["settings"]["recovery_phrase"], testing::kPhrase);
    EXPECT_EQ(k["resolving_name"], false);
}

}  // namespace
}  // namespace st::ui
