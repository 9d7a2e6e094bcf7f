// AppView fixtures for the UI tests: every screen the core can ask for, with ordinary and with
// awkward data (very long words, invalid UTF-8, 100k messages). A Fixture owns the messages its
// view's span points into, so it is neither copied nor moved.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "st/app/view.hpp"

namespace st::ui::testing {

struct Fixture {
    app::AppView view;
    std::vector<app::MessageView> messages;

    Fixture() = default;
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    // Points view.open->messages at `messages` again (after changing the vector).
    void relink();
    // Appends a message and relinks.
    void append(app::MessageView m);
};

inline constexpr std::int64_t kNowMs = 1'709'647'200'000;  // 2024-03-05 14:00 UTC

std::string peer_id(int n);  // a well-formed Session ID, different for each n
inline const std::string kOwnId = peer_id(0);
inline const std::string kPhrase =
    "ruined pirate jaws pioneer ultimate afraid nanny hamburger exit gambit mohawk thwart gambit";

std::unique_ptr<Fixture> loading();
std::unique_ptr<Fixture> welcome();
std::unique_ptr<Fixture> show_phrase();
std::unique_ptr<Fixture> enter_phrase(bool with_problem);
std::unique_ptr<Fixture> choose_name(bool with_problem);
// The main screen: `conversations` rows; `messages` in the first conversation if `open`.
std::unique_ptr<Fixture> main_screen(int conversations, bool open, int messages);
// Messages of every kind: incoming, sending, sent, failed, long, multi-line, across days.
std::unique_ptr<Fixture> varied_conversation();
// Contacts (protocol §8.4-8.6): the main screen with two message requests and a contact typing
// (conversation 2); `open` opens the first request.
std::unique_ptr<Fixture> with_requests(bool open_request);
// The first conversation open: they are typing, we have a nickname for them, our message request
// waits for their answer, and our last message was read.
std::unique_ptr<Fixture> contact_conversation();
// The first conversation open and blocked.
std::unique_ptr<Fixture> blocked_conversation();
// Settings: two blocked contacts, both switches on, version and build; the phrase revealed if
// asked, and a refused display name if asked.
std::unique_ptr<Fixture> settings(bool phrase_revealed, bool name_problem);
// The first conversation open with the newest `window` of `total` messages (has_older).
std::unique_ptr<Fixture> paged_conversation(int total, int window);

// Deletion and disappearing messages (protocol §8.2, §8.3): the first conversation open ("Friend 1"),
// after send 30 seconds, with: m0 theirs (text), m1 ours sent, m2 ours sending, m3 deleted for
// everyone, m4 a notice, m5 ours read disappearing in 9.5 s, m6 theirs disappearing in 59 min.
std::unique_ptr<Fixture> deletion_conversation();
// Settings with "Clear device and network" in progress (Working: 2 of 3 confirmed, one waiting)
// or failed (one member's problem and the reason).
std::unique_ptr<Fixture> clearing_network(bool failed);

// Hostile strings everywhere (long unbroken words, invalid UTF-8, control characters).
std::unique_ptr<Fixture> awkward();

}  // namespace st::ui::testing
