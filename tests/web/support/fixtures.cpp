#include "web/support/fixtures.hpp"

#include <cstdio>

namespace st::ui::testing {

void Fixture::relink() {
    if (view.open) view.open->messages = messages;
}

void Fixture::append(app::MessageView m) {
    messages.push_back(std::move(m));
    relink();
    ++view.version;
}

std::string peer_id(int n) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(n) * 2654435761u);
    std::string id = "05";
    for (int i = 0; i < 8; ++i) id += hex;
    return id;
}

namespace {

app::NetworkView online() {
    app::NetworkView net;
    net.state = app::Connectivity::Online;
    net.network_name = "devnet";
    net.relay = "127.0.0.1:8080";
    net.path = {"127.0.0.1:22101 (a3f1…)", "127.0.0.1:22107 (9c02…)", "127.0.0.1:22112 (51de…)"};
    net.status_text = "Connected through 3 nodes";
    return net;
}

std::unique_ptr<Fixture> onboarding(app::OnboardingStep step) {
    auto f = std::make_unique<Fixture>();
    f->view.loading = false;
    f->view.onboarding.step = step;
    f->view.network.network_name = "devnet";
    return f;
}

app::MessageView message(int i, bool outgoing, std::string body, std::int64_t ms,
                         app::DeliveryState d = app::DeliveryState::Sent) {
    app::MessageView m;
    m.id = "m" + std::to_string(i);
    m.outgoing = outgoing;
    m.body = std::move(body);
    m.sent_ms = ms;
    m.delivery = d;
    if (d == app::DeliveryState::Failed) m.failure_text = "The network did not answer in time.";
    return m;
}

}  // namespace

std::unique_ptr<Fixture> loading() {
    auto f = std::make_unique<Fixture>();
    f->view.loading = true;
    return f;
}

std::unique_ptr<Fixture> welcome() { return onboarding(app::OnboardingStep::Welcome); }

std::unique_ptr<Fixture> show_phrase() {
    auto f = onboarding(app::OnboardingStep::ShowPhrase);
    f->view.onboarding.phrase_to_show = kPhrase;
    f->view.onboarding.new_session_id = kOwnId;
    return f;
}

std::unique_ptr<Fixture> enter_phrase(bool with_problem) {
    auto f = onboarding(app::OnboardingStep::EnterPhrase);
    if (with_problem) {
        f->view.onboarding.phrase_problem =
            app::Problem{"mnemonic.unknown_word", "Word 4, \"pionere\", is not in the word list.", 4};
    }
    return f;
}

std::unique_ptr<Fixture> choose_name(bool with_problem) {
    auto f = onboarding(app::OnboardingStep::ChooseName);
    f->view.onboarding.new_session_id = kOwnId;
    if (with_problem) {
        f->view.onboarding.name_problem =
            app::Problem{"profile.name_too_long", "A display name has at most 100 characters.", {}};
    }
    return f;
}

std::unique_ptr<Fixture> main_screen(int conversations, bool open, int messages) {
    auto f = std::make_unique<Fixture>();
    app::AppView& v = f->view;
    v.loading = false;
    v.account = app::AccountView{kOwnId, "Alice"};
    v.accounts = {app::AccountListing{kOwnId, "Alice", 0, true, false, ""}};
    v.network = online();
    for (int i = 1; i <= conversations; ++i) {
        app::ConversationSummary c;
        c.peer_session_id = peer_id(i);
        c.title = i % 3 == 0 ? "05" + peer_id(i).substr(2, 4) + "…" : "Friend " + std::to_string(i);
        c.last_message = "Last message number " + std::to_string(i);
        c.last_ms = kNowMs - static_cast<std::int64_t>(i) * 3'600'000 * 7;
        c.unread = static_cast<std::uint32_t>(i % 4 == 1 ? i : 0);
        v.conversations.push_back(std::move(c));
    }
    if (open && conversations > 0) {
        app::OpenConversationView o;
        o.peer_session_id = v.conversations[0].peer_session_id;
        o.title = v.conversations[0].title;
        v.open = std::move(o);
        f->messages.reserve(static_cast<std::size_t>(messages));
        for (int i = 0; i < messages; ++i) {
            std::string body = "Message " + std::to_string(i);
            if (i % 7 == 0) body += " with a longer text that will need to wrap onto a second line "
                                    "when the bubble is narrow enough";
            if (i % 11 == 0) body += "\nand a second paragraph";
            f->messages.push_back(message(i, i % 2 == 0, std::move(body),
                                          kNowMs - static_cast<std::int64_t>(messages - i) * 60'000));
        }
        f->relink();
    }
    return f;
}

std::unique_ptr<Fixture> varied_conversation() {
    auto f = main_screen(3, true, 0);
    const std::int64_t day = 86'400'000;
    f->messages = {
        message(1, false, "Hi! Are you there?", kNowMs - 3 * day),
        message(2, true, "Yes. Greek: Καλημέρα. Cyrillic: Здравствуйте. Vietnamese: Xin chào, "
                         "tiếng Việt có dấu.", kNowMs - 3 * day + 60'000),
        message(3, false, "Line one\nLine two\nLine three", kNowMs - day),
        message(4, true, std::string(600, 'x'), kNowMs - day + 1),
        message(5, true, "This one is still on its way", kNowMs - 120'000,
                app::DeliveryState::Sending),
        message(6, true, "This one failed", kNowMs - 60'000, app::DeliveryState::Failed),
        message(7, false, "", kNowMs - 1000),
    };
    f->relink();
    f->view.open->draft = "half-typed reply";
    return f;
}

std::unique_ptr<Fixture> with_requests(bool open_request) {
    auto f = main_screen(4, false, 0);
    app::AppView& v = f->view;
    v.conversations[1].typing = true;
    for (int i = 20; i < 22; ++i) {
        app::ConversationSummary r;
        r.peer_session_id = peer_id(i);
        r.title = i == 20 ? "Dana" : "05" + peer_id(i).substr(2, 4) + "…";
        r.last_message = "Hi, is this Alice? We met at the conference.";
        r.last_ms = kNowMs - (i - 19) * 600'000;
        r.unread = 1;
        v.requests.push_back(std::move(r));
    }
    if (open_request) {
        app::OpenConversationView o;
        o.peer_session_id = v.requests[0].peer_session_id;
        o.title = v.requests[0].title;
        o.display_name = "Dana";
        o.is_request = true;
        v.open = std::move(o);
        f->messages = {message(1, false, "Hi, is this Alice?", kNowMs - 700'000),
                       message(2, false, "We met at the conference.", kNowMs - 600'000)};
        f->relink();
    }
    return f;
}

std::unique_ptr<Fixture> contact_conversation() {
    auto f = main_screen(3, true, 0);
    f->view.conversations[0].typing = true;
    app::OpenConversationView& o = *f->view.open;
    o.typing = true;
    o.nickname = "Bobby";
    o.display_name = "Robert";
    o.title = "Bobby";
    o.awaiting_approval = true;
    f->messages = {message(1, true, "Hi Robert, it's Alice.", kNowMs - 120'000, app::DeliveryState::Read),
                   message(2, true, "Are you there?", kNowMs - 60'000)};
    f->relink();
    return f;
}

std::unique_ptr<Fixture> blocked_conversation() {
    auto f = main_screen(3, true, 4);
    f->view.open->blocked = true;
    f->view.settings.blocked.push_back({f->view.open->peer_session_id, f->view.open->title});
    return f;
}

std::unique_ptr<Fixture> settings(bool phrase_revealed, bool name_problem) {
    auto f = main_screen(3, false, 0);
    app::SettingsView& s = f->view.settings;
    s.typing_indicators = true;
    s.read_receipts = true;
    s.blocked = {{peer_id(30), "Mallory"}, {peer_id(31), ""}};
    s.version = "0.1.0";
    s.build = "abc1234";
    if (phrase_revealed) s.recovery_phrase = kPhrase;
    if (name_problem) {
        s.name_problem = app::Problem{"profile.name_too_long",
                                      "A display name has at most 100 characters.", {}};
    }
    return f;
}

std::unique_ptr<Fixture> paged_conversation(int total, int window) {
    auto f = main_screen(2, true, total);
    f->messages.erase(f->messages.begin(), f->messages.end() - window);
    f->relink();
    f->view.open->has_older = true;
    return f;
}

std::unique_ptr<Fixture> deletion_conversation() {
    auto f = main_screen(3, true, 0);
    app::OpenConversationView& o = *f->view.open;
    o.disappearing = app::DisappearingMode::AfterSend;
    o.disappearing_seconds = 30;
    o.disappearing_text = "Disappear after send: 30 seconds";
    using app::DisappearingMode;
    o.disappearing_choices = {{DisappearingMode::Off, 0, "Off"},
                              {DisappearingMode::AfterRead, 300, "5 minutes"},
                              {DisappearingMode::AfterRead, 3600, "1 hour"},
                              {DisappearingMode::AfterSend, 30, "30 seconds"},
                              {DisappearingMode::AfterSend, 86400, "1 day"}};
    const std::int64_t t = kNowMs - 10 * 60'000;
    f->messages.push_back(message(0, false, "Their words", t));
    f->messages.push_back(message(1, true, "Ours, sent", t + 60'000));
    f->messages.push_back(message(2, true, "Ours, sending", t + 120'000, app::DeliveryState::Sending));
    auto deleted = message(3, false, "", t + 180'000);
    deleted.kind = app::MessageKind::Deleted;
    f->messages.push_back(deleted);
    auto notice = message(4, false, "Friend 1 set messages to disappear 30 seconds after they have been sent.",
                          t + 240'000);
    notice.kind = app::MessageKind::Notice;
    f->messages.push_back(notice);
    auto soon = message(5, true, "Gone soon", t + 300'000, app::DeliveryState::Read);
    soon.disappearing = DisappearingMode::AfterSend;
    soon.disappearing_seconds = 30;
    soon.expires_ms = kNowMs + 9'500;
    f->messages.push_back(soon);
    auto later = message(6, false, "Gone in an hour", t + 360'000);
    later.disappearing = DisappearingMode::AfterRead;
    later.disappearing_seconds = 3600;
    later.expires_ms = kNowMs + 59 * 60'000 + 30'000;
    f->messages.push_back(later);
    f->relink();
    return f;
}

std::unique_ptr<Fixture> clearing_network(bool failed) {
    auto f = settings(false, false);
    app::ClearNetworkView& cn = f->view.settings.clear_network;
    cn.stage = failed ? app::ClearNetworkStage::Failed : app::ClearNetworkStage::Working;
    cn.members = {{"127.0.0.1:22101 (a3f1…)", true, ""},
                  {"127.0.0.1:22107 (9c02…)", true, ""},
                  {"127.0.0.1:22112 (51de…)", false,
                   failed ? "Its answer was not signed correctly." : ""}};
    if (failed) {
        cn.problem = app::Problem{"swarm.delete_all_unconfirmed",
                                  "One node of your swarm did not confirm the deletion.", {}};
    }
    return f;
}

std::unique_ptr<Fixture> awkward() {
    auto f = main_screen(4, true, 0);
    const std::string invalid = "bad \xC3\x28 utf8 \xFF\xFE end";
    const std::string huge_word(20'000, 'W');
    const std::string controls = std::string("tab\there\x01\x02 nul-free\r\n");
    f->view.account->display_name = huge_word;
    f->view.conversations[0].title = invalid;
    f->view.conversations[1].last_message = huge_word;
    f->view.conversations[2].unread = 4'000'000'000u;
    f->view.conversations[3].title = "";
    f->view.conversations[3].last_ms = -5'000'000'000'000;  // long before 1970
    f->view.open->title = huge_word;
    f->view.open->draft = invalid;
    f->messages = {
        message(1, false, huge_word, kNowMs),
        message(2, true, invalid, kNowMs, app::DeliveryState::Failed),
        message(3, false, controls, 0),
        message(4, true, "\xF0\x9F\x98\x80 emoji (outside the atlas)", 253'402'300'799'000),
    };
    f->messages[1].failure_text = huge_word;
    f->relink();
    f->view.network.state = app::Connectivity::Offline;
    f->view.network.path = {huge_word, "", invalid, "a fourth hop"};
    f->view.network.status_text = huge_word;
    f->view.network.outbox = 123456;
    f->view.banner = app::Problem{"store.quota_exceeded", huge_word, {}};
    f->view.new_conversation_problem = app::Problem{"x", invalid, {}};
    return f;
}

}  // namespace st::ui::testing
