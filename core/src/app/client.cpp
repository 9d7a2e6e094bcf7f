// st::app::Client — see client.hpp. Onboarding and the view live here; an open account is an
// AccountSession (account_session.hpp).
#include "st/app/client.hpp"

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "records.hpp"
#include "st/crypto/mnemonic.hpp"
#include "text.hpp"

namespace st::app {

using net::detail::guarded;

Client::Client(Loop& loop, const Clock& clock, net::Transport& transport, store::KvStore& store,
               ClientConfig config)
    : loop_(loop), clock_(clock), transport_(transport), store_(store), config_(std::move(config)) {
    view_.network.network_name = config_.network_name;
    view_.network.relay = config_.relay_label;
    view_.network.status_text = "Starting";
    view_.settings.version = config_.app_version;
    view_.settings.build = config_.build_id;
    view_.settings.site_fingerprint = config_.site_fingerprint;
}

Client::~Client() {
    *alive_ = false;
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    secure_zero(view_.settings.recovery_phrase.data(), view_.settings.recovery_phrase.size());
    account_.reset();
}

const crypto::Identity* Client::identity() const { return account_ ? &account_->identity() : nullptr; }

void Client::start() {
    if (config_.kiosk) {
        last_activity_ = clock_.steady();
        arm_kiosk_timer(config_.kiosk_idle);
    }
    store_.get(std::string(records::kActiveAccountKey), guarded(alive_, [this](Result<std::optional<Bytes>> r) {
        if (!r) {
            banner_ = Problem{std::string(r.error().code),
                              "This browser does not let Session Tab store anything, so nothing "
                              "you do here will be kept.",
                              std::nullopt};
            view_.loading = false;
            changed();
            return;
        }
        load_account(std::move(*r));
    }));
}

void Client::load_account(std::optional<Bytes> active) {
    if (!active || active->empty()) {
        view_.loading = false;
        changed();
        return;
    }
    std::string id(as_chars(*active));
    store_.get(records::account_key(id), guarded(alive_, [this](Result<std::optional<Bytes>> r) {
        std::optional<records::Account> account;
        if (r && *r) account = records::decode_account(**r);
        if (r && *r) secure_zero((*r)->data(), (*r)->size());
        if (!account) {
            banner_ = Problem{"store.corrupt",
                              "The stored account could not be read. You can restore it from its "
                              "recovery phrase.",
                              std::nullopt};
            view_.loading = false;
            changed();
            return;
        }
        activate(std::move(account->identity), account->created_ms, std::move(account->name));
    }));
}

void Client::activate(crypto::Identity identity, std::int64_t created_ms, std::string display_name) {
    view_.onboarding = OnboardingView{};
    AccountEnv env{loop_,
                   clock_,
                   transport_,
                   store_,
                   config_,
                   [this] { changed(); },
                   [this](Problem p) { set_banner(std::move(p)); },
                   [this](std::string_view prefix) { clear_banner(prefix); },
                   [this] { loop_.post(guarded(alive_, [this] { wipe_account(); })); }};
    account_ = std::make_unique<AccountSession>(std::move(env), std::move(identity), created_ms, std::move(display_name));
    account_->set_foreground(foreground_);
    changed();
    account_->start(guarded(alive_, [this] {
        view_.loading = false;
        changed();
    }));
}

void Client::wipe_account() {
    if (!account_) return;
    const auto id = account_->identity().session_id().hex();
    // The session goes first: nothing of it may write again once its records are erased.
    account_->shut_down();
    account_.reset();
    view_.loading = true;
    changed();
    // Records first, the account record last: a tab closed half-way still finds the account and
    // can clear it again, rather than leaving records no account leads to.
    store_.erase_prefix(records::account_prefix(id), guarded(alive_, [this, id](Result<> erased) {
        if (!erased) {
            set_banner(Problem{std::string(erased.error().code),
                               "This browser did not let Session Tab erase the account's data. Reload and "
                               "try Clear device again.",
                               std::nullopt});
            view_.loading = false;
            return;
        }
        store_.write({store::KvWrite::erase(records::account_key(id)),
                      store::KvWrite::erase(std::string(records::kActiveAccountKey))},
                     guarded(alive_, [this](Result<> r) {
                         if (!r) {
                             set_banner(Problem{std::string(r.error().code),
                                                "This browser did not let Session Tab erase the account. Reload "
                                                "and try Clear device again.",
                                                std::nullopt});
                         }
                         pending_.reset();
                         view_.onboarding = OnboardingView{};
                         view_.loading = false;
                         new_conversation_problem_.reset();
                         changed();
                     }));
    }));
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
    if (pending_link_ && account_ && !account_->awaiting_name() && !view_.loading) {
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
    if (account_ && account_->awaiting_name()) {
        // A restored account whose name is not known yet: still onboarding on screen.
        account_->fill_view(view_);
        view_.account.reset();
        view_.onboarding.step =
            account_->profile_search_done() ? OnboardingStep::ChooseName : OnboardingStep::LoadingAccount;
        view_.onboarding.new_session_id = account_->identity().session_id().hex();
    } else if (account_) {
        account_->fill_view(view_);
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
    if (account_) account_->set_foreground(foreground);
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
        [this](auto& i) {
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
                if (account_) return;
                view_.onboarding = OnboardingView{};
                view_.onboarding.step = OnboardingStep::EnterPhrase;
                changed();
            } else if constexpr (std::is_same_v<T, intent::RestoreAccount>) {
                restore_account(i.phrase);
            } else if constexpr (std::is_same_v<T, intent::BackToWelcome>) {
                // Leaving a restore before its name was settled forgets that account here.
                if (account_ && account_->awaiting_name()) {
                    loop_.post(guarded(alive_, [this] { wipe_account(); }));
                    return;
                }
                if (account_) return;
                pending_.reset();
                secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
                view_.onboarding = OnboardingView{};
                changed();
            } else if constexpr (std::is_same_v<T, intent::ChooseDisplayName>) {
                choose_display_name(i.name);
            }
        },
        intent);
    if (account_) account_intent(intent);
}

// Intents that concern the open account.
void Client::account_intent(Intent& intent) {
    AccountSession& a = *account_;
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
            } else if constexpr (std::is_same_v<T, intent::ClearDevice>) {
                a.shut_down();  // nothing more is sent or written; the wipe follows this dispatch
                loop_.post(guarded(alive_, [this] { wipe_account(); }));
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
    if (account_) return;
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
    if (account_ || view_.loading) return;
    pending_.reset();
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    view_.onboarding = OnboardingView{};
    auto identity = crypto::Identity::generate();
    const std::string name = "Guest";
    const auto created = store_account(identity, name, /*phrase_unsaved=*/true);
    activate(std::move(identity), created, name);
    account_->phrase_unsaved_from_start();
}

void Client::restore_account(const std::string& phrase) {
    if (account_) return;
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
    const auto created = store_account(identity, "");
    activate(std::move(identity), created, "");
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
                 }));
    return created;
}

void Client::choose_display_name(const std::string& typed) {
    if (account_ && account_->awaiting_name()) {
        // A restored account with no name in the swarm.
        view_.onboarding.name_problem = account_->set_display_name(typed);
        changed();
        return;
    }
    if (account_ || !pending_ || view_.onboarding.step != OnboardingStep::ChooseName) return;
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
    activate(std::move(identity), created, std::move(name));
}

}  // namespace st::app
