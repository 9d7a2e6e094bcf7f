// AppView: everything the UI draws, as one read-only snapshot per frame (architecture.md rule 6).
// The core (st::app::Client) owns and updates it; web/ only reads it and answers with Intents.
// Nothing here is protocol state the UI could change: ids are opaque strings, times are ms since
// the Unix epoch (network-adjusted), and every error arrives as a code plus a sentence.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace st::app {

// A problem to show next to the thing it concerns. `code` is stable ("mnemonic.checksum"); `text`
// is a sentence for a person. `word_position` (1-based) points at a recovery-phrase word if any.
struct Problem {
    std::string code;
    std::string text;
    std::optional<std::size_t> word_position;
};

// [SECTION] Onboarding ---------------------------------------------------------------------------

enum class OnboardingStep {
    Welcome,       // "Create account" / "I have an account"
    ShowPhrase,    // a new account's 13 words, copy button, "I have saved it"
    EnterPhrase,   // restore: type or paste the 13 words
    ChooseName,    // display name, then the account is stored and the main screen opens
};

struct OnboardingView {
    OnboardingStep step = OnboardingStep::Welcome;
    // The recovery phrase of the account being created (ShowPhrase only). The UI may draw and copy
    // it but must not keep copies beyond the frame.
    std::string phrase_to_show;
    std::string new_session_id;             // the account being created or restored
    std::optional<Problem> phrase_problem;  // EnterPhrase: why the phrase was not accepted
    std::optional<Problem> name_problem;    // ChooseName: e.g. too long
    bool busy = false;                      // e.g. restoring: checking the swarm
};

// [SECTION] Conversations ------------------------------------------------------------------------

enum class DeliveryState { Sending, Sent, Failed };

struct MessageView {
    std::string id;            // stable within the conversation (storage key)
    bool outgoing = false;
    std::string body;          // UTF-8
    std::int64_t sent_ms = 0;  // sender's timestamp
    DeliveryState delivery = DeliveryState::Sent;  // meaningful for outgoing messages
    std::string failure_text;  // Failed: why, as a sentence
};

struct ConversationSummary {
    std::string peer_session_id;
    std::string title;          // display name if known, else a short form of the Session ID
    std::string last_message;   // preview, one line
    std::int64_t last_ms = 0;
    std::uint32_t unread = 0;
};

struct OpenConversationView {
    std::string peer_session_id;
    std::string title;
    // All messages, oldest first. A span into the core's model, valid for the current frame only,
    // so a conversation with 100k messages costs nothing to hand over (the UI virtualises drawing).
    std::span<const MessageView> messages;
    std::string draft;  // the composer text the core keeps for this conversation
};

// [SECTION] Network ------------------------------------------------------------------------------

enum class Connectivity { Connecting, Online, Offline };

struct NetworkView {
    Connectivity state = Connectivity::Connecting;
    std::string network_name;   // "devnet" or "live"
    std::string relay;          // the relay the tab talks through, e.g. "127.0.0.1:8080"
    std::vector<std::string> path;  // guard, middle, exit: short node descriptions
    std::string status_text;    // a sentence: "Connected through 3 nodes", "Offline: retrying in 5 s"
    std::uint32_t outbox = 0;   // messages waiting to be sent
};

// [SECTION] The whole view -----------------------------------------------------------------------

struct AccountView {
    std::string session_id;
    std::string display_name;
};

struct AppView {
    std::uint64_t version = 0;  // bumped on every change, so hosts can skip redundant work
    bool loading = true;        // the stored state is still being read

    std::optional<AccountView> account;  // absent: onboarding
    OnboardingView onboarding;

    std::vector<ConversationSummary> conversations;  // most recent first
    std::optional<OpenConversationView> open;        // the conversation shown on the right
    std::optional<Problem> new_conversation_problem;  // the Session ID typed is not valid

    NetworkView network;
    std::optional<Problem> banner;  // an app-wide problem (storage full, network down)
};

}  // namespace st::app
