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
    // Restore: the account's profile is being read from the network (its name, contacts and read
    // state come from our other devices' configs); ChooseName follows only if none was found.
    LoadingAccount,
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

// Sending: in the outbox (durable here, not yet stored by the network). Sent: stored in the
// recipient's swarm. Read: they told us with a read receipt (protocol §8.6). Failed: refused for
// good, with a sentence and a Retry.
enum class DeliveryState { Sending, Sent, Failed, Read };

// Disappearing messages (protocol §8.3): off, or the timer starts when the message is read / sent.
enum class DisappearingMode { Off, AfterRead, AfterSend };

// Text: a message someone wrote. Deleted: what is left of a message deleted for everyone ("This
// message was deleted", body empty). Notice: a line about the conversation, e.g. "Alice set
// messages to disappear 1 hour after they have been read" (body holds the sentence).
enum class MessageKind { Text, Deleted, Notice };

struct MessageView {
    std::string id;            // stable within the conversation (storage key)
    bool outgoing = false;
    std::string body;          // UTF-8
    std::int64_t sent_ms = 0;  // sender's timestamp
    DeliveryState delivery = DeliveryState::Sent;  // meaningful for outgoing messages
    std::string failure_text;  // Failed: why, as a sentence
    MessageKind kind = MessageKind::Text;
    // Disappearing: the setting the message was sent with, and when it disappears (0: not yet
    // known — an after-read message nobody has read — or never). The bubble counts down to it.
    DisappearingMode disappearing = DisappearingMode::Off;
    std::uint32_t disappearing_seconds = 0;
    std::int64_t expires_ms = 0;
    // Internal to the core (the message's copy in our own swarm, to delete or expire it there).
    std::string swarm_hash;
};

// One entry of the disappearing-messages menu, as the official clients offer them.
struct DisappearingChoice {
    DisappearingMode mode = DisappearingMode::Off;
    std::uint32_t seconds = 0;
    std::string label;  // "1 hour", "Off"
};

struct ConversationSummary {
    std::string peer_session_id;
    std::string title;          // display name if known, else a short form of the Session ID
    std::string last_message;   // preview, one line
    std::int64_t last_ms = 0;
    std::uint32_t unread = 0;
    bool typing = false;        // they are typing (protocol §8.5)
};

struct OpenConversationView {
    std::string peer_session_id;
    std::string title;          // nickname › their display name › short Session ID
    // The newest messages, oldest first: a window of the history, which grows backwards with
    // intent::LoadOlderMessages. A span into the core's model, valid for the current frame only.
    std::span<const MessageView> messages;
    bool has_older = false;     // older messages are stored than the window holds
    bool loading = false;       // a page is being read from storage
    std::string draft;          // the composer text the core keeps for this conversation
    bool is_request = false;    // a message request: Accept / Decline / Block (protocol §8.4)
    bool awaiting_approval = false;  // we wrote to them and they have not answered yet
    bool blocked = false;
    bool typing = false;        // they are typing
    std::string display_name;   // theirs, from their profile ("" if unknown)
    std::string nickname;       // ours for them ("" if none)
    // Disappearing messages: the current setting, a sentence for the header ("Disappear after
    // read: 1 hour"; "" when off), and the choices the setting menu offers.
    DisappearingMode disappearing = DisappearingMode::Off;
    std::uint32_t disappearing_seconds = 0;
    std::string disappearing_text;
    std::vector<DisappearingChoice> disappearing_choices;
};

struct BlockedContact {
    std::string session_id;
    std::string title;
};

// Settings → Clear device and network: deleting everything of the account in its swarm (every
// member must confirm with a valid signature), then on this device.
enum class ClearNetworkStage { Idle, Working, Failed };

struct SwarmMemberProgress {
    std::string node;        // short description of the service node
    bool confirmed = false;  // it deleted everything and signed so
    std::string problem;     // why it did not confirm, as a sentence ("" while waiting/confirmed)
};

struct ClearNetworkView {
    ClearNetworkStage stage = ClearNetworkStage::Idle;
    std::vector<SwarmMemberProgress> members;
    std::optional<Problem> problem;  // Failed: what failed; nothing was deleted on this device
};

struct SettingsView {
    bool typing_indicators = false;
    bool read_receipts = false;
    std::vector<BlockedContact> blocked;
    // The recovery phrase, only between RevealRecoveryPhrase and HideRecoveryPhrase. The UI may
    // draw and copy it but must not keep copies beyond the frame.
    std::string recovery_phrase;
    std::optional<Problem> name_problem;  // the display name typed in Settings was refused
    std::string version;        // the app's version
    std::string build;          // the build's source revision
    std::string site_fingerprint;  // SHA-256 of the site served, grouped (docs/deployment.md)
    ClearNetworkView clear_network;
    // The passphrase lock (docs/lock.md): on or off, the idle time after which it locks (minutes,
    // 0: never), a change under way, and why the last change was refused.
    bool passphrase_set = false;
    std::uint32_t lock_after_minutes = 0;
    bool lock_busy = false;
    std::optional<Problem> lock_problem;
    std::uint64_t lock_changes = 0;  // bumped by every change that succeeded (the UI clears its fields)
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
    // Made with "Try it now" and its recovery phrase not saved yet: a reminder stays on screen
    // (save it from Settings, or delete the account).
    bool phrase_unsaved = false;
    // Another tab of this browser has this account open and polls and writes for it; this one
    // shows what it stores and takes over when the person acts here (docs/accounts.md).
    bool other_tab_holds = false;
};

// One account of this browser, as the account switcher lists it (docs/accounts.md).
struct AccountListing {
    std::string session_id;
    std::string name;          // "" while a restored account's name is still being read
    std::uint32_t unread = 0;  // unread messages in its conversations and requests
    bool shown = false;        // the account on screen in this tab
    // Locked with a passphrase and not unlocked in this tab: only the public name it chose for
    // the lock screen is known (session_id is ""), and lock_id names it (docs/lock.md).
    bool locked = false;
    std::string lock_id;
};

// The lock screen of a locked account (docs/lock.md): its public name, and the passphrase asked.
struct LockScreenView {
    std::string lock_id;
    std::string public_name;
    bool busy = false;                  // Argon2id running, or records moving: "Unlocking…"
    std::int64_t next_attempt_ms = 0;   // after wrong passphrases, no attempt before then (0: now)
    std::optional<Problem> problem;     // the last attempt failed: why
};

// Kiosk mode (docs/kiosk.md): nothing is stored in the browser; after an idle time a countdown
// runs, then everything in memory is wiped and the tab is back at Welcome.
struct KioskView {
    bool active = false;
    std::int64_t ends_at_ms = 0;       // a countdown runs: the session ends then (Unix ms); 0: none
    std::uint64_t sessions_ended = 0;  // bumped by every end: the UI and host drop what they hold
};

// A link followed into the app (docs/links.md): why it was refused, or the conversation it offers
// to start.
struct LinkView {
    std::optional<Problem> problem;  // refused: nothing changed; shown until dismissed
    std::string offer_session_id;    // "Start a conversation with this ID?" (New conversation, filled in)
    std::uint64_t offers = 0;        // bumped with each offer, so the UI opens its panel once
};

struct AppView {
    std::uint64_t version = 0;  // bumped on every change, so hosts can skip redundant work
    bool loading = true;        // the stored state is still being read

    std::optional<AccountView> account;  // absent: onboarding
    OnboardingView onboarding;
    // Every account stored in this browser, oldest first. Those not on screen keep receiving.
    std::vector<AccountListing> accounts;
    bool adding_account = false;  // onboarding another account: Welcome offers to go back
    std::optional<LockScreenView> lock_screen;  // a locked account is chosen: its passphrase is asked
    // The URL fragment naming the account on screen ("#/account/<its ID's first 16>", "" in
    // onboarding): the host keeps the tab's address on it, so a reload of this tab opens the
    // same account whatever other tabs chose meanwhile.
    std::string account_fragment;

    std::vector<ConversationSummary> conversations;  // approved (or ours), most recent first
    std::vector<ConversationSummary> requests;       // message requests, most recent first
    std::optional<OpenConversationView> open;        // the conversation shown on the right
    std::optional<Problem> new_conversation_problem;  // the Session ID or name typed is not valid
    bool resolving_name = false;                     // an ONS name typed is being looked up
    SettingsView settings;

    NetworkView network;
    std::optional<Problem> banner;  // an app-wide problem (storage full, network down)
    KioskView kiosk;
    LinkView link;
};

}  // namespace st::app
