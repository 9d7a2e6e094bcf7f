// Links into the app (docs/links.md): #/dm/<Session ID> opens a held conversation or offers to
// start one (nothing approved); a link followed before there is an account waits for it; a link
// that cannot be followed says why and changes nothing.
#include "app_world.hpp"

namespace st::app::test {
namespace {

TEST(Links, ADmLinkOpensAHeldConversationOrOffersToStartOne) {
    World w;
    Device alice(w), bob(w), carol(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    const auto c = carol.create("Carol");
    bob.start_with(a);
    bob.send(a, "hi Alice");
    ASSERT_TRUE(w.run_until([&] { return alice.request(b) != nullptr; }));

    // A request is held: the link opens it.
    alice.dispatch(intent::OpenLink{"#/dm/" + b});
    ASSERT_TRUE(w.run_until([&] { return alice.view().open && alice.view().open->peer_session_id == b; }));
    EXPECT_TRUE(alice.view().open->is_request);
    EXPECT_FALSE(alice.view().link.problem);

    // Nobody we know: an offer, nothing else (no conversation, nobody approved).
    alice.dispatch(intent::CloseConversation{});
    alice.dispatch(intent::OpenLink{"/dm/" + c});
    EXPECT_EQ(alice.view().link.offer_session_id, c);
    EXPECT_EQ(alice.view().link.offers, 1u);
    EXPECT_EQ(alice.summary(c), nullptr);
    EXPECT_FALSE(alice.view().open);
}

TEST(Links, ALinkFollowedBeforeThereIsAnAccountWaitsForIt) {
    World w;
    Device bob(w);
    const auto b = bob.create("Bob");
    Device alice(w);
    alice.dispatch(intent::OpenLink{"#/dm/" + b});
    EXPECT_EQ(alice.view().link.offers, 0u);
    alice.create("Alice");
    ASSERT_TRUE(w.run_until([&] { return alice.view().link.offers == 1u; }));
    EXPECT_EQ(alice.view().link.offer_session_id, b);
}

TEST(Links, BadLinksSayWhatIsWrongAndChangeNothing) {
    World w;
    Device alice(w), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    alice.start_with(b);
    const auto before = alice.view().open->peer_session_id;
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"#/dm/05zz", "session_id.bad_character"},
        {"#/dm/" + b.substr(0, 40), "session_id.bad_length"},
        {"#/dm/" + a, "link.own_id"},
        {"#/dm/", "session_id.empty"},
        {"#/account/05ab", "link.bad_account"},
        {"#/account/" + b.substr(0, 12), "link.other_account"},
        {"#/settings", "link.unknown"},
        {"#/dm/" + std::string(300, '0'), "link.too_long"},
    };
    for (const auto& [link, code] : bad) {
        alice.dispatch(intent::OpenLink{link});
        ASSERT_TRUE(alice.view().link.problem) << link;
        EXPECT_EQ(alice.view().link.problem->code, code) << link;
        EXPECT_FALSE(alice.view().link.problem->text.empty());
        EXPECT_EQ(alice.view().open->peer_session_id, before) << link;
        EXPECT_EQ(alice.view().link.offers, 0u);
    }
    alice.dispatch(intent::DismissLinkProblem{});
    EXPECT_FALSE(alice.view().link.problem);
    // Our own account, by a prefix of its ID: nothing to do, nothing wrong.
    alice.dispatch(intent::OpenLink{"#/account/" + a.substr(0, 10)});
    EXPECT_FALSE(alice.view().link.problem);
    // No link at all.
    alice.dispatch(intent::OpenLink{"#"});
    EXPECT_FALSE(alice.view().link.problem);
}

}  // namespace
}  // namespace st::app::test
