// Intents: what the UI asks of the core. The UI collects them while drawing a frame; the host hands
// them to Client::dispatch after the frame (architecture.md rule 6). Each one carries only what a
// person typed or chose; validation happens in the core, and problems come back in the AppView.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "st/app/view.hpp"

namespace st::app {

namespace intent {
struct CreateAccount {};                        // Welcome → ShowPhrase (a new identity, not stored yet)
struct ConfirmPhraseSaved {};                   // ShowPhrase → ChooseName
struct StartRestore {};                         // Welcome → EnterPhrase
struct RestoreAccount { std::string phrase; };  // EnterPhrase → ChooseName, or a phrase_problem
struct BackToWelcome {};                        // abandon creation/restoring
struct ChooseDisplayName { std::string name; }; // ChooseName → account stored, main screen
// Typed or pasted: a Session ID, or an ONS name to look up; a problem if neither.
struct StartConversation { std::string session_id_text; };
struct OpenConversation { std::string peer_session_id; };
struct CloseConversation {};
struct UpdateDraft { std::string peer_session_id; std::string text; };
struct SendText { std::string peer_session_id; std::string text; };
struct RetryMessage { std::string peer_session_id; std::string message_id; };
struct MarkRead { std::string peer_session_id; };
struct LoadOlderMessages { std::string peer_session_id; };  // the list was scrolled to its top
// Message requests (protocol §8.4).
struct AcceptRequest { std::string peer_session_id; };
struct DeclineRequest { std::string peer_session_id; };     // removes it and its messages here
struct ClearAllRequests {};                                 // declines every request
struct BlockContact { std::string peer_session_id; };       // also declines a request
struct UnblockContact { std::string peer_session_id; };
struct SetNickname { std::string peer_session_id; std::string nickname; };  // "" removes it
// Settings.
struct SetDisplayName { std::string name; };
struct SetTypingIndicators { bool on = false; };
struct SetReadReceipts { bool on = false; };
struct RevealRecoveryPhrase {};
struct HideRecoveryPhrase {};
// Deletion and disappearing messages (protocol §8.2, §8.3).
// The conversation's disappearing-messages setting: one of OpenConversationView::disappearing_choices.
struct SetDisappearing { std::string peer_session_id; DisappearingMode mode = DisappearingMode::Off; std::uint32_t seconds = 0; };
struct DeleteForEveryone { std::string peer_session_id; std::string message_id; };  // ours, sent
struct DeleteForMe { std::string peer_session_id; std::string message_id; };
struct DeleteConversation { std::string peer_session_id; };  // every message, here and in our swarm
// Settings → Clear device: every stored byte of the account in this browser; back to Welcome.
// The UI asks for confirmation first (naming the account).
struct ClearDevice {};
// Settings → Clear device and network: delete_all in the swarm first, then the device. Sent
// again after a failure, it retries; DismissClearNetwork closes the progress/failure panel.
struct ClearDeviceAndNetwork {};
struct DismissClearNetwork {};
// Kiosk mode (ClientConfig::kiosk): "End session" wipes everything at once; "Continue" (or any
// other input) stops the countdown that precedes the idle wipe.
struct EndKioskSession {};
struct KeepKioskSession {};
// A link followed into the app: the URL fragment ("#/dm/<Session ID>", "#/account/<ID prefix>"),
// given by the host at start and on every change (docs/links.md).
struct OpenLink { std::string fragment; };
// Welcome → "Try it now": an account at once, named "Guest", without the phrase step; the phrase
// stays in Settings and a reminder stays on screen until PhraseSaved.
struct TryItNow {};
// Settings, with the phrase shown: "I have saved it".
struct PhraseSaved {};
struct DismissLinkProblem {};
// The account switcher (docs/accounts.md). Add: Welcome, to create or restore another account
// (the others stay open); CancelAddAccount goes back to the one shown before. Remove: Clear
// device for that account (the UI confirms first, naming it).
struct SwitchAccount { std::string session_id; };
struct AddAccount {};
struct CancelAddAccount {};
struct RemoveAccount { std::string session_id; };
// The passphrase lock (docs/lock.md). Passphrases are secrets: the core zeroes them once read.
struct ShowLockedAccount { std::string lock_id; };   // the switcher: a locked account's lock screen
struct Unlock { std::string lock_id; std::string passphrase; };
struct LockNow {};                                   // the account on screen, if it has a passphrase
// Settings: turn the lock on (with the name the lock screen shows), change it, turn it off.
struct SetPassphrase { std::string passphrase; std::string public_name; };
struct ChangePassphrase { std::string old_passphrase; std::string new_passphrase; };
struct RemovePassphrase { std::string passphrase; };
struct SetLockAfter { std::uint32_t minutes = 0; };  // 0 (never), 1, 5, 15 or 60
struct RemoveLockedAccount { std::string lock_id; }; // erase a locked account without its passphrase
}  // namespace intent

using Intent = std::variant<intent::CreateAccount, intent::ConfirmPhraseSaved, intent::StartRestore,
                            intent::RestoreAccount, intent::BackToWelcome,
                            intent::ChooseDisplayName, intent::StartConversation,
                            intent::OpenConversation, intent::CloseConversation,
                            intent::UpdateDraft, intent::SendText, intent::RetryMessage,
                            intent::MarkRead, intent::LoadOlderMessages, intent::AcceptRequest,
                            intent::DeclineRequest, intent::ClearAllRequests,
                            intent::BlockContact, intent::UnblockContact, intent::SetNickname,
                            intent::SetDisplayName, intent::SetTypingIndicators,
                            intent::SetReadReceipts, intent::RevealRecoveryPhrase,
                            intent::HideRecoveryPhrase, intent::SetDisappearing,
                            intent::DeleteForEveryone, intent::DeleteForMe,
                            intent::DeleteConversation, intent::ClearDevice,
                            intent::ClearDeviceAndNetwork, intent::DismissClearNetwork,
                            intent::EndKioskSession, intent::KeepKioskSession,
                            intent::OpenLink, intent::DismissLinkProblem, intent::TryItNow,
                            intent::PhraseSaved, intent::SwitchAccount, intent::AddAccount,
                            intent::CancelAddAccount, intent::RemoveAccount,
                            intent::ShowLockedAccount, intent::Unlock, intent::LockNow,
                            intent::SetPassphrase, intent::ChangePassphrase,
                            intent::RemovePassphrase, intent::SetLockAfter,
                            intent::RemoveLockedAccount>;

// Where the UI puts intents while drawing. The host owns it and drains it after the frame.
class IntentSink {
public:
    void push(Intent intent) { intents_.push_back(std::move(intent)); }
    std::vector<Intent> take() { return std::exchange(intents_, {}); }
    bool empty() const { return intents_.empty(); }

private:
    std::vector<Intent> intents_;
};

}  // namespace st::app
