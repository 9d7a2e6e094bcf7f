// st::app::Client — see client.hpp. Onboarding and the view live here; an open account is an
// AccountSession (account_session.hpp).
#include "st/app/client.hpp"

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "held_account.hpp"
#include "records.hpp"
#include "st/crypto/mnemonic.hpp"
#include "text.hpp"

namespace st::app {

using net::detail::guarded;

namespace {
// A passphrase typed into an intent: copied into memory that is zeroed when freed, and the
// intent's copy zeroed at once.
SecretBytes secret_of(std::string& typed) {
    SecretBytes s(typed.size());
    std::copy(typed.begin(), typed.end(), s.data());
    secure_zero(typed.data(), typed.size());
    typed.clear();
    return s;
}
}  // namespace

Client::Client(Loop& loop, const Clock& clock, net::Transport& transport, store::KvStore& store,
               ClientConfig config, AccountLeases* leases)
    : loop_(loop), clock_(clock), transport_(transport), store_(store), config_(std::move(config)), leases_(leases) {
    view_.network.network_name = config_.network_name;
    view_.network.relay = config_.relay_label;
    view_.network.status_text = "Starting";
    view_.settings.version = config_.app_version;
    view_.settings.build = config_.build_id;
    view_.settings.site_fingerprint = config_.site_fingerprint;
    if (leases_) {
        auto alive = alive_;
        leases_->set_events(AccountLeases::Events{
            .granted = [this, alive](const std::string& id) { if (*alive) lease_granted(id); },
            .yield_asked = [this, alive](const std::string& id) { if (*alive) yield_asked(id); },
            .changed = [this, alive](const std::string& id) { if (*alive) store_changed_elsewhere(id); },
        });
    }
}

Client::~Client() {
    *alive_ = false;
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    secure_zero(view_.settings.recovery_phrase.data(), view_.settings.recovery_phrase.size());
    // Sessions first (they write through the stores they were given), then the leases: a tab that
    // closes lets go of every account it held.
    std::vector<std::string> ids;
    for (auto& [id, held] : held_) ids.push_back(id);
    held_.clear();
    if (leases_) {
        leases_->set_events({});
        for (auto& id : ids) leases_->release(id);
    }
}

const crypto::Identity* Client::identity() const { return account() ? &account()->identity() : nullptr; }

void Client::start() {
    if (config_.kiosk) {
        last_activity_ = clock_.steady();
        arm_kiosk_timer(config_.kiosk_idle);
    }
    open_stored_accounts(std::nullopt);
}

void Client::set_banner(Problem problem) {
    banner_ = std::move(problem);
    changed();
}

void Client::clear_banner(std::string_view code_prefix) {
    if (!banner_ || !std::string_view(banner_->code).starts_with(code_prefix)) return;
    banner_.reset();
    changed();
}

const AppView& Client::view() {
    // A link followed before the account was open: now it is.
    if (pending_link_ && account() && !account()->awaiting_name() && !view_.loading) {
        const std::string link = std::move(*pending_link_);
        pending_link_.reset();
        apply_link(link);
    }
    if (built_version_ == version_) return view_;
    built_version_ = version_;
    view_.version = version_;
    view_.banner = banner_;
    view_.new_conversation_problem = new_conversation_problem_;
    view_.resolving_name = resolving_name_;
    view_.link = link_;
    view_.kiosk.active = config_.kiosk;
    view_.kiosk.ends_at_ms = kiosk_ends_at_ms_;
    view_.kiosk.sessions_ended = kiosk_sessions_ended_;
    view_.adding_account = adding_;
    fill_accounts(view_);
    view_.lock_screen.reset();
    if (auto it = locks_.find(shown_lock_); it != locks_.end()) {
        LockScreenView l;
        l.lock_id = it->first;
        l.public_name = it->second.public_name;
        l.busy = unlocking_;
        const auto next = store::next_attempt_ms(it->second);
        l.next_attempt_ms = next > clock_.now_ms() ? next : 0;
        l.problem = unlock_problem_;
        view_.lock_screen = std::move(l);
    }
    AccountSession* a = account();
    view_.account_fragment = a ? "#/account/" + shown_.substr(0, 16) : "";
    if (a && a->awaiting_name()) {
        // A restored account whose name is not known yet: still onboarding on screen.
        a->fill_view(view_);
        view_.account.reset();
        view_.onboarding.step =
            a->profile_search_done() ? OnboardingStep::ChooseName : OnboardingStep::LoadingAccount;
        view_.onboarding.new_session_id = a->identity().session_id().hex();
    } else if (a) {
        a->fill_view(view_);
        view_.account->other_tab_holds = a->follower();
        auto held = held_.find(shown_);
        view_.settings.passphrase_set = held != held_.end() && held->second->sealed;
        view_.settings.lock_busy = lock_busy_;
        view_.settings.lock_problem = lock_problem_;
        view_.settings.lock_changes = lock_changes_;
    } else {
        view_.account.reset();
        view_.conversations.clear();
        view_.requests.clear();
        view_.open.reset();
        secure_zero(view_.settings.recovery_phrase.data(), view_.settings.recovery_phrase.size());
        view_.settings = SettingsView{};
        view_.settings.version = config_.app_version;
        view_.settings.build = config_.build_id;
        view_.settings.site_fingerprint = config_.site_fingerprint;
        view_.network.state = Connectivity::Connecting;
        view_.network.path.clear();
        view_.network.outbox = 0;
    }
    return view_;
}

void Client::set_foreground(bool foreground) {
    foreground_ = foreground;
    pace_sessions();
}

void Client::dispatch(Intent intent) {
    note_activity();
    if (std::holds_alternative<intent::EndKioskSession>(intent)) {
        if (config_.kiosk) end_kiosk_session();
        return;
    }
    if (auto* link = std::get_if<intent::OpenLink>(&intent)) return open_link(std::move(link->fragment));
    if (std::holds_alternative<intent::DismissLinkProblem>(intent)) {
        link_.problem.reset();
        changed();
        return;
    }
    std::visit(
        [this, &intent](auto& i) {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, intent::CreateAccount>) {
                create_account();
            } else if constexpr (std::is_same_v<T, intent::TryItNow>) {
                try_it_now();
            } else if constexpr (std::is_same_v<T, intent::ConfirmPhraseSaved>) {
                if (view_.onboarding.step != OnboardingStep::ShowPhrase) return;
                auto& phrase = view_.onboarding.phrase_to_show;
                secure_zero(phrase.data(), phrase.size());
                phrase.clear();
                view_.onboarding.step = OnboardingStep::ChooseName;
                changed();
            } else if constexpr (std::is_same_v<T, intent::StartRestore>) {
                if (account()) return;
                view_.onboarding = OnboardingView{};
                view_.onboarding.step = OnboardingStep::EnterPhrase;
                changed();
            } else if constexpr (std::is_same_v<T, intent::RestoreAccount>) {
                restore_account(i.phrase);
            } else if constexpr (std::is_same_v<T, intent::BackToWelcome>) {
                // Leaving a restore before its name was settled forgets that account here.
                if (account() && account()->awaiting_name()) {
                    loop_.post(guarded(alive_, [this, id = shown_] { wipe_account(id); }));
                    return;
                }
                if (account()) return;
                pending_.reset();
                secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
                view_.onboarding = OnboardingView{};
                changed();
            } else if constexpr (std::is_same_v<T, intent::ChooseDisplayName>) {
                choose_display_name(i.name);
            } else if constexpr (std::is_same_v<T, intent::SwitchAccount>) {
                switch_account(i.session_id);
            } else if constexpr (std::is_same_v<T, intent::AddAccount>) {
                add_account();
            } else if constexpr (std::is_same_v<T, intent::CancelAddAccount>) {
                cancel_add_account();
            } else if constexpr (std::is_same_v<T, intent::ShowLockedAccount>) {
                show_lock_screen(i.lock_id);
            } else if constexpr (std::is_same_v<T, intent::Unlock>) {
                unlock(i.lock_id, secret_of(i.passphrase));
            } else if constexpr (std::is_same_v<T, intent::RemoveLockedAccount>) {
                remove_locked_account(i.lock_id);
            } else if constexpr (std::is_same_v<T, intent::RemoveAccount>) {
                // Clear device for that account, shown or not: the Client holding its lease
                // erases it (account_intent).
                auto it = held_.find(i.session_id);
                if (it != held_.end() && !keep_for_holder(*it->second, intent) && it->second->session)
                    account_intent(*it->second->session, intent);
            }
        },
        intent);
    if (std::holds_alternative<intent::RemoveAccount>(intent)) return;
    auto it = held_.find(shown_);
    if (it == held_.end() || adding_) return;
    if (keep_for_holder(*it->second, intent)) return;
    if (it->second->session) account_intent(*it->second->session, intent);
}

// Intents that concern an open account.
void Client::account_intent(AccountSession& a, Intent& intent) {
    std::visit(
        [&](auto& i) {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, intent::StartConversation>) {
                if (resolving_name_) return;
                resolving_name_ = true;
                new_conversation_problem_.reset();
                changed();
                a.start_conversation(i.session_id_text, guarded(alive_, [this](std::optional<Problem> problem) {
                    resolving_name_ = false;
                    new_conversation_problem_ = std::move(problem);
                    changed();
                }));
            } else if constexpr (std::is_same_v<T, intent::OpenConversation>) {
                a.open_conversation(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::CloseConversation>) {
                a.close_conversation();
            } else if constexpr (std::is_same_v<T, intent::UpdateDraft>) {
                a.update_draft(i.peer_session_id, std::move(i.text));
            } else if constexpr (std::is_same_v<T, intent::SendText>) {
                a.send_text(i.peer_session_id, i.text);
            } else if constexpr (std::is_same_v<T, intent::RetryMessage>) {
                a.retry_message(i.peer_session_id, i.message_id);
            } else if constexpr (std::is_same_v<T, intent::MarkRead>) {
                a.mark_read(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::LoadOlderMessages>) {
                a.load_older(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::AcceptRequest>) {
                a.accept_request(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::DeclineRequest>) {
                a.decline_request(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::ClearAllRequests>) {
                a.clear_all_requests();
            } else if constexpr (std::is_same_v<T, intent::BlockContact>) {
                a.block(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::UnblockContact>) {
                a.unblock(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::SetNickname>) {
                a.set_nickname(i.peer_session_id, i.nickname);
            } else if constexpr (std::is_same_v<T, intent::SetDisplayName>) {
                view_.settings.name_problem = a.set_display_name(i.name);
                changed();
            } else if constexpr (std::is_same_v<T, intent::SetTypingIndicators>) {
                a.set_typing_indicators(i.on);
            } else if constexpr (std::is_same_v<T, intent::SetReadReceipts>) {
                a.set_read_receipts(i.on);
            } else if constexpr (std::is_same_v<T, intent::RevealRecoveryPhrase>) {
                a.reveal_phrase();
            } else if constexpr (std::is_same_v<T, intent::HideRecoveryPhrase>) {
                a.hide_phrase();
            } else if constexpr (std::is_same_v<T, intent::PhraseSaved>) {
                a.phrase_saved();
            } else if constexpr (std::is_same_v<T, intent::SetDisappearing>) {
                a.set_disappearing(i.peer_session_id, i.mode, i.seconds);
            } else if constexpr (std::is_same_v<T, intent::DeleteForEveryone>) {
                a.delete_for_everyone(i.peer_session_id, i.message_id);
            } else if constexpr (std::is_same_v<T, intent::DeleteForMe>) {
                a.delete_for_me(i.peer_session_id, i.message_id);
            } else if constexpr (std::is_same_v<T, intent::DeleteConversation>) {
                a.delete_conversation(i.peer_session_id);
            } else if constexpr (std::is_same_v<T, intent::RemoveAccount>) {
                if (i.session_id != a.identity().session_id().hex()) return;
                a.shut_down();
                loop_.post(guarded(alive_, [this, id = i.session_id] { wipe_account(id); }));
            } else if constexpr (std::is_same_v<T, intent::LockNow>) {
                lock_account(a.identity().session_id().hex());
            } else if constexpr (std::is_same_v<T, intent::SetPassphrase>) {
                set_passphrase(secret_of(i.passphrase), i.public_name);
            } else if constexpr (std::is_same_v<T, intent::ChangePassphrase>) {
                auto old_secret = secret_of(i.old_passphrase);
                change_passphrase(std::move(old_secret), secret_of(i.new_passphrase));
            } else if constexpr (std::is_same_v<T, intent::RemovePassphrase>) {
                remove_passphrase(secret_of(i.passphrase));
            } else if constexpr (std::is_same_v<T, intent::SetLockAfter>) {
                set_lock_after(i.minutes);
            } else if constexpr (std::is_same_v<T, intent::ClearDevice>) {
                a.shut_down();  // nothing more is sent or written; the wipe follows this dispatch
                loop_.post(guarded(alive_, [this, id = a.identity().session_id().hex()] { wipe_account(id); }));
            } else if constexpr (std::is_same_v<T, intent::ClearDeviceAndNetwork>) {
                a.clear_device_and_network();
            } else if constexpr (std::is_same_v<T, intent::DismissClearNetwork>) {
                a.dismiss_clear_network();
            }
        },
        intent);
}

// [SECTION] Onboarding -------------------------------------------------------------------------------

void Client::create_account() {
    if (account()) return;
    pending_ = crypto::Identity::generate();
    view_.onboarding = OnboardingView{};
    view_.onboarding.step = OnboardingStep::ShowPhrase;
    auto phrase = crypto::mnemonic::encode(pending_->seed());
    view_.onboarding.phrase_to_show.assign(phrase.str());
    view_.onboarding.new_session_id = pending_->session_id().hex();
    changed();
}

// One click to a working account (issue 16): no phrase step, a name the person can change in
// Settings. The seed is stored like any other account's, so nothing is lost if they keep it.
void Client::try_it_now() {
    if (account() || (view_.loading && !adding_)) return;
    pending_.reset();
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    view_.onboarding = OnboardingView{};
    auto identity = crypto::Identity::generate();
    const std::string name = "Guest";
    const auto id = identity.session_id().hex();
    const auto created = store_account(identity, name, /*phrase_unsaved=*/true);
    open_account(std::move(identity), created, name, /*show=*/true);
    if (auto it = held_.find(id); it != held_.end() && it->second->session)
        it->second->session->phrase_unsaved_from_start();
}

void Client::restore_account(const std::string& phrase) {
    if (account()) return;
    auto seed = crypto::mnemonic::decode_seed(phrase);
    if (!seed) {
        Problem p{std::string(seed.error().code), text::sentence_case(seed.error().message), std::nullopt};
        if (seed.error().code == "mnemonic.unknown_word") p.word_position = crypto::mnemonic::first_unknown_word(phrase);
        view_.onboarding.phrase_problem = std::move(p);
        changed();
        return;
    }
    // The account opens at once with no name: its name, contacts and read state come from the
    // configs our other devices stored in the swarm (docs/config.md); only if there is no name
    // there is the person asked for one (AccountSession::awaiting_name).
    auto identity = crypto::Identity::from_seed(*seed);
    view_.onboarding.phrase_problem.reset();
    // An account this browser already has: it is shown, nothing is stored again.
    const auto id = identity.session_id().hex();
    if (held_.count(id)) return show(id);
    const auto created = store_account(identity, "");
    open_account(std::move(identity), created, "", /*show=*/true);
}

std::int64_t Client::store_account(const crypto::Identity& identity, const std::string& name,
                                   bool phrase_unsaved) {
    const auto id = identity.session_id().hex();
    const auto created = clock_.now_ms();
    auto record = records::encode_account(identity, created, name);
    records::Settings settings;
    settings.name_updated_s = name.empty() ? 0 : static_cast<std::uint64_t>(created / 1000);
    settings.phrase_unsaved = phrase_unsaved;
    store_.write({store::KvWrite::put(records::account_key(id), Bytes(record.view().begin(), record.view().end())),
                  store::KvWrite::put(records::account_prefix(id) + "settings", records::encode(settings)),
                  store::KvWrite::put(std::string(records::kActiveAccountKey), to_bytes(id))},
                 guarded(alive_, [this](Result<> r) {
                     if (!r) set_banner(Problem{std::string(r.error().code),
                                                "Your account could not be saved in this browser: it will be gone "
                                                "when the tab closes unless you keep your recovery phrase.",
                                                std::nullopt});
                     // Other tabs add it to their account switcher.
                     else if (leases_) leases_->announce_change("");
                 }));
    return created;
}

void Client::choose_display_name(const std::string& typed) {
    if (account() && account()->awaiting_name()) {
        // A restored account with no name in the swarm.
        view_.onboarding.name_problem = account()->set_display_name(typed);
        changed();
        return;
    }
    if (account() || !pending_ || view_.onboarding.step != OnboardingStep::ChooseName) return;
    auto name = text::sanitize_name(typed, config_.max_name_chars + 1);
    if (name.empty()) {
        view_.onboarding.name_problem = Problem{"name.empty", "Enter a display name.", std::nullopt};
        changed();
        return;
    }
    if (text::utf8_length(name) > config_.max_name_chars) {
        view_.onboarding.name_problem =
            Problem{"name.too_long",
                    "A display name can be at most " + std::to_string(config_.max_name_chars) + " characters.",
                    std::nullopt};
        changed();
        return;
    }
    view_.onboarding.name_problem.reset();
    auto identity = std::move(*pending_);
    pending_.reset();
    const auto created = store_account(identity, name);
    open_account(std::move(identity), created, std::move(name), /*show=*/true);
}

}  // namespace st::app
