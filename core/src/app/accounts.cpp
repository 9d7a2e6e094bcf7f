// The accounts of this browser (docs/accounts.md): every stored account is open in the Client at
// once — the one on screen polls at the usual pace, the others at the hidden pace, so they keep
// receiving and the switcher shows their unread counts. The tab's choice is its own (the URL
// fragment names it); "meta/active_account" is only where a new tab starts.
//
// With AccountLeases (several tabs on one store), each account is polled and written by the one
// Client holding its lease; the others follow: their session reads the store and never writes
// (lease_stores.hpp), and is read again whenever the holder announces a change. An intent that
// changes the account, made in a following tab, waits there while the holder hands over: it
// finishes its writes, lets go, and follows from then on.
#include <algorithm>

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "held_account.hpp"
#include "records.hpp"
#include "st/app/client.hpp"

namespace st::app {

using net::detail::guarded;

namespace {
// Announcements come in bursts (an incoming message is several batches): a follower reads the
// store again once they pause this long.
constexpr std::chrono::milliseconds kFollowDelay{40};
}  // namespace


AccountSession* Client::account() const {
    if (adding_) return nullptr;
    auto it = held_.find(shown_);
    return it == held_.end() ? nullptr : it->second->session.get();
}

// [SECTION] Opening ----------------------------------------------------------------------------------

void Client::open_stored_accounts(std::optional<std::string> preferred) {
    read_locks(guarded(alive_, [this, preferred] {
    store_.get(std::string(records::kActiveAccountKey), guarded(alive_, [this, preferred](
                                                                         Result<std::optional<Bytes>> active) {
        if (!active) {
            banner_ = Problem{std::string(active.error().code),
                              "This browser does not let Session Tab store anything, so nothing "
                              "you do here will be kept.",
                              std::nullopt};
            view_.loading = false;
            changed();
            return;
        }
        std::string chosen = preferred.value_or(*active ? std::string(as_chars(**active)) : std::string());
        store_.scan("accounts/", {}, 10'000, guarded(alive_, [this, chosen](Result<std::vector<store::KvEntry>> r) {
            struct Found {
                records::Account account;
                std::string id;
            };
            std::vector<Found> found;
            bool unreadable = !r;
            if (r) {
                for (auto& e : *r) {
                    auto account = records::decode_account(e.value);
                    secure_zero(e.value.data(), e.value.size());
                    if (!account) {
                        unreadable = true;
                        continue;
                    }
                    auto id = account->identity.session_id().hex();
                    found.push_back({std::move(*account), std::move(id)});
                }
            }
            if (unreadable) {
                banner_ = Problem{"store.corrupt",
                                  "A stored account could not be read. You can restore it from its "
                                  "recovery phrase.",
                                  std::nullopt};
            }
            std::stable_sort(found.begin(), found.end(),
                             [](const Found& a, const Found& b) { return a.account.created_ms < b.account.created_ms; });
            const bool have_chosen =
                std::any_of(found.begin(), found.end(), [&](const Found& f) { return f.id == chosen; });
            const std::string show_id = have_chosen ? chosen : found.empty() ? std::string() : found.front().id;
            if (show_id.empty()) {
                // Only locked accounts: the lock screen of the first.
                if (!locks_.empty()) shown_lock_ = locks_.begin()->first;
                view_.loading = false;
                changed();
                return;
            }
            for (auto& f : found) {
                open_account(std::move(f.account.identity), f.account.created_ms, std::move(f.account.name),
                             f.id == show_id);
            }
        }));
    }));
    }));
}

void Client::open_account(crypto::Identity identity, std::int64_t created_ms, std::string display_name, bool show_it,
                          std::unique_ptr<store::SealedKvStore> sealed) {
    auto id = identity.session_id().hex();
    if (held_.count(id)) {
        if (show_it) show(id);
        return;
    }
    auto held = std::make_unique<Held>();
    held->id = id;
    held->identity = std::move(identity);
    held->created_ms = created_ms;
    held->name = std::move(display_name);
    held->sealed = std::move(sealed);
    Held& h = *held;
    held_.emplace(id, std::move(held));
    if (show_it) {
        shown_ = id;
        shown_lock_.clear();
        adding_ = false;
        view_.onboarding = OnboardingView{};
        view_.loading = true;
    }
    changed();
    if (!leases_) {
        h.holder = true;
        start_session(h, true);
        return;
    }
    leases_->acquire(id, guarded(alive_, [this, id](bool held_now) {
        auto it = held_.find(id);
        if (it == held_.end()) {
            if (held_now) leases_->release(id);
            return;
        }
        Held& opened = *it->second;
        if (opened.session || opened.next) return;  // granted meanwhile
        opened.holder = held_now;
        start_session(opened, held_now);
    }));
}

void Client::start_session(Held& h, bool holder) {
    const std::string id = h.id;
    // A locked account's records are read and written sealed (docs/lock.md).
    store::KvStore& base = h.sealed ? static_cast<store::KvStore&>(*h.sealed) : store_;
    std::unique_ptr<store::KvStore> store;
    AnnouncingStore* announcing = nullptr;
    if (!holder) {
        store = std::make_unique<FollowerStore>(loop_, base);
    } else if (leases_) {
        auto a = std::make_unique<AnnouncingStore>(loop_, base, [this, id] { leases_->announce_change(id); });
        announcing = a.get();
        store = std::move(a);
    }
    AccountEnv env{loop_,
                   clock_,
                   transport_,
                   store ? *store : base,
                   config_,
                   [this, id] {
                       changed();
                       auto found = held_.find(id);
                       if (found != held_.end() && found->second->next_loaded)
                           loop_.post(guarded(alive_, [this, id] { swap_in_next(id); }));
                   },
                   [this](Problem p) { set_banner(std::move(p)); },
                   [this](std::string_view prefix) { clear_banner(prefix); },
                   [this, id] { loop_.post(guarded(alive_, [this, id] { wipe_account(id); })); },
                   !holder};
    const std::string name = h.session ? h.session->display_name() : h.name;
    auto session = std::make_unique<AccountSession>(std::move(env), h.identity->clone(), h.created_ms, name);
    session->set_foreground(foreground_ && shown_ == id && !adding_);
    if (!h.session) {
        // The first session is on screen at once, filling in as it reads.
        h.store = std::move(store);
        h.announcing = announcing;
        h.session = std::move(session);
        changed();
        h.session->start(guarded(alive_, [this, id] {
            if (auto it = held_.find(id); it != held_.end()) session_loaded(*it->second);
        }));
        return;
    }
    // A replacement (the lease changed hands, or the holder changed what is stored): the current
    // session stays on screen until this one has read everything, with the same conversation
    // open. One being read is dropped.
    h.next.reset();
    h.next_store = std::move(store);
    h.next = std::move(session);
    h.next_loaded = false;
    h.next_announcing = announcing;
    h.next->start(guarded(alive_, [this, id] {
        auto it = held_.find(id);
        if (it == held_.end() || !it->second->next) return;
        Held& loaded = *it->second;
        loaded.next_loaded = true;
        const std::string peer = loaded.session ? loaded.session->open_peer() : std::string();
        if (!peer.empty()) loaded.next->open_conversation(peer);
        swap_in_next(id);
    }));
}

void Client::swap_in_next(const std::string& id) {
    auto it = held_.find(id);
    if (it == held_.end() || !it->second->next || !it->second->next_loaded) return;
    Held& h = *it->second;
    if (!h.next->open_peer().empty() && h.next->open_loading()) return;  // its page is on the way
    if (h.session) h.session->shut_down();
    auto old_session = std::move(h.session);
    auto old_store = std::move(h.store);
    h.session = std::move(h.next);
    h.store = std::move(h.next_store);
    h.announcing = h.next_announcing;
    h.next_announcing = nullptr;
    h.next_loaded = false;
    old_session.reset();
    old_store.reset();
    changed();
    session_loaded(h);
}

void Client::session_loaded(Held& h) {
    if (h.id == shown_ && !adding_) view_.loading = false;
    h.moving = false;
    if (!h.reopen_peer.empty() && h.session) {
        h.session->open_conversation(h.reopen_peer);
        h.reopen_peer.clear();
    }
    arm_idle_lock(h);
    changed();
    if (h.holder && !h.session->follower()) {
        h.asked_to_yield = false;
        auto kept = std::move(h.kept);
        h.kept.clear();
        for (auto& intent : kept) {
            if (!h.session) break;
            account_intent(*h.session, intent);
        }
    }
    if (h.yield_when_loaded) {
        h.yield_when_loaded = false;
        yield_asked(h.id);
    }
}

// [SECTION] Switching, adding, removing -----------------------------------------------------------

void Client::show(const std::string& id) {
    if (!id.empty() && !held_.count(id)) return;
    const bool changed_account = id != shown_ || adding_;
    if (changed_account || !shown_lock_.empty()) {
        if (auto* before = account()) before->hide_phrase();
        shown_lock_.clear();
        unlock_problem_.reset();
        shown_ = id;
        adding_ = false;
        new_conversation_problem_.reset();
        view_.settings.name_problem.reset();
        auto chosen = held_.find(id);
        if (chosen != held_.end() && !chosen->second->sealed) {
            // Where a new tab starts: the account chosen last (never a locked one: its ID must not
            // be readable in the browser's storage, docs/lock.md).
            store_.write({store::KvWrite::put(std::string(records::kActiveAccountKey), to_bytes(id))},
                         [](Result<>) {});
        }
    }
    pace_sessions();
    if (changed_account) {
        auto it = held_.find(shown_);
        view_.loading = it != held_.end() && !it->second->session;
        changed();
    }
}

// The account on screen polls at the foreground pace, the others at the hidden one.
void Client::pace_sessions() {
    for (auto& [id, h] : held_) {
        const bool on_screen = foreground_ && id == shown_ && !adding_;
        if (h->session) h->session->set_foreground(on_screen);
        if (h->next) h->next->set_foreground(on_screen);
    }
}

void Client::switch_account(const std::string& id) {
    if (!held_.count(id) || (id == shown_ && !adding_)) return;
    pending_.reset();
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    view_.onboarding = OnboardingView{};
    show(id);
}

void Client::add_account() {
    if (adding_ || (held_.empty() && locks_.empty())) return;
    shown_lock_.clear();
    if (auto* before = account()) {
        // A restore still waiting for its name is not an account to go back to.
        if (before->awaiting_name()) return;
        before->hide_phrase();
    }
    adding_ = true;
    pending_.reset();
    view_.onboarding = OnboardingView{};
    view_.loading = false;
    pace_sessions();
    changed();
}

void Client::cancel_add_account() {
    if (!adding_) return;
    pending_.reset();
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    view_.onboarding = OnboardingView{};
    adding_ = false;
    if (!held_.count(shown_)) shown_ = held_.empty() ? std::string() : held_.begin()->first;
    const std::string back = shown_;
    shown_.clear();
    if (back.empty() && !locks_.empty()) return show_lock_screen(locks_.begin()->first);
    show(back);
    changed();
}

void Client::close_account(const std::string& id) {
    auto it = held_.find(id);
    if (it == held_.end()) return;
    if (it->second->read_timer) loop_.cancel(it->second->read_timer);
    if (it->second->session) it->second->session->shut_down();
    it->second->idle_lock.reset();
    it->second->session.reset();
    it->second->next.reset();
    if (it->second->sealed) it->second->sealed->lock();  // its keys are zeroed now
    held_.erase(it);
    if (leases_) leases_->release(id);
    if (shown_ == id) {
        shown_.clear();
        if (!held_.empty() && !adding_) {
            // The oldest account left.
            auto oldest = std::min_element(held_.begin(), held_.end(), [](const auto& a, const auto& b) {
                return a.second->created_ms < b.second->created_ms;
            });
            show(oldest->first);
        } else {
            adding_ = false;
            view_.open.reset();
        }
    }
    changed();
}

void Client::wipe_account(const std::string& id) {
    auto held = held_.find(id);
    if (held == held_.end()) return;
    const bool was_shown = shown_ == id && !adding_;
    // A locked account's records are its sealed range and its lock record (docs/lock.md).
    const std::string lock_id = held->second->sealed ? held->second->sealed->lock_id() : std::string();
    // The session goes first: nothing of it may write again once its records are erased.
    close_account(id);
    if (was_shown) view_.loading = true;
    changed();
    // Records first, the account record last: a tab closed half-way still finds the account and
    // can clear it again, rather than leaving records no account leads to.
    const std::string prefix = lock_id.empty() ? records::account_prefix(id) : store::sealed_prefix(lock_id);
    store_.erase_prefix(prefix, guarded(alive_, [this, id, was_shown, lock_id](Result<> erased) {
        if (!erased) {
            set_banner(Problem{std::string(erased.error().code),
                               "This browser did not let Session Tab erase the account's data. Reload and "
                               "try Clear device again.",
                               std::nullopt});
            view_.loading = false;
            return;
        }
        std::vector<store::KvWrite> batch{store::KvWrite::erase(records::account_key(id))};
        if (!lock_id.empty()) batch.push_back(store::KvWrite::erase(store::lock_key(lock_id)));
        batch.push_back(shown_.empty() ? store::KvWrite::erase(std::string(records::kActiveAccountKey))
                                       : store::KvWrite::put(std::string(records::kActiveAccountKey), to_bytes(shown_)));
        store_.write(std::move(batch), guarded(alive_, [this, was_shown](Result<> r) {
                         if (!r) {
                             set_banner(Problem{std::string(r.error().code),
                                                "This browser did not let Session Tab erase the account. Reload "
                                                "and try Clear device again.",
                                                std::nullopt});
                         } else if (leases_) {
                             leases_->announce_change("");
                         }
                         if (was_shown && shown_.empty()) {
                             pending_.reset();
                             view_.onboarding = OnboardingView{};
                             new_conversation_problem_.reset();
                         }
                         auto it = held_.find(shown_);
                         view_.loading = it != held_.end() && !it->second->session;
                         changed();
                     }));
    }));
}

// [SECTION] Leases --------------------------------------------------------------------------------------

void Client::lease_granted(const std::string& id) {
    auto it = held_.find(id);
    if (it == held_.end()) {
        leases_->release(id);
        return;
    }
    Held& h = *it->second;
    h.holder = true;
    h.asked_to_yield = false;
    start_session(h, true);
}

void Client::yield_asked(const std::string& id) {
    auto it = held_.find(id);
    if (it == held_.end() || !it->second->holder) return;
    Held& h = *it->second;
    if (!h.session || h.next) {
        h.yield_when_loaded = true;
        return;
    }
    // Nothing more is sent or written from here; the writes already made finish first (the store
    // applies batches in order), then the lease goes to the Client waiting for it, and this one
    // queues again behind it and follows meanwhile.
    h.holder = false;
    h.session->shut_down();
    if (h.announcing) h.announcing->stop_writing();
    store_.write({}, guarded(alive_, [this, id](Result<>) {
                     auto found = held_.find(id);
                     if (found == held_.end() || found->second->holder) return;
                     leases_->release(id);
                     start_session(*found->second, false);
                     leases_->acquire(id, guarded(alive_, [this, id](bool held_now) {
                                          if (held_now) lease_granted(id);
                                      }));
                 }));
}

void Client::store_changed_elsewhere(const std::string& id) {
    if (id.empty()) {
        // Another tab added or removed an account: open what is new, close what is gone.
        store_.scan("accounts/", {}, 10'000, guarded(alive_, [this](Result<std::vector<store::KvEntry>> r) {
            if (!r) return;
            std::set<std::string> stored;
            for (auto& e : *r) {
                auto account = records::decode_account(e.value);
                secure_zero(e.value.data(), e.value.size());
                if (!account) continue;
                auto stored_id = account->identity.session_id().hex();
                stored.insert(stored_id);
                if (!held_.count(stored_id)) {
                    const bool show_it = shown_.empty() && !adding_;
                    open_account(std::move(account->identity), account->created_ms, std::move(account->name), show_it);
                }
            }
            std::vector<std::string> gone;
            for (auto& [held_id, held] : held_)
                if (!stored.count(held_id)) gone.push_back(held_id);
            for (auto& gone_id : gone) close_account(gone_id);
        }));
        return;
    }
    auto it = held_.find(id);
    if (it == held_.end() || it->second->holder || it->second->read_timer) return;
    it->second->read_timer = loop_.post_after(kFollowDelay, guarded(alive_, [this, id] {
                                                  auto found = held_.find(id);
                                                  if (found == held_.end()) return;
                                                  found->second->read_timer = 0;
                                                  if (!found->second->holder && found->second->session)
                                                      start_session(*found->second, false);
                                              }));
}

bool Client::keep_for_holder(Held& h, Intent& intent) {
    // Looking around changes nothing stored: the following session does it itself.
    const bool looking = std::holds_alternative<intent::OpenConversation>(intent) ||
                         std::holds_alternative<intent::CloseConversation>(intent) ||
                         std::holds_alternative<intent::LoadOlderMessages>(intent) ||
                         std::holds_alternative<intent::RevealRecoveryPhrase>(intent) ||
                         std::holds_alternative<intent::HideRecoveryPhrase>(intent);
    if (h.moving) {
        // The records are being sealed or unsealed: a change now would land on the wrong side;
        // it waits for the session over the new store (session_loaded applies it).
        if (looking && h.session) return false;
        if (h.kept.size() < 1000) h.kept.push_back(intent);
        return true;
    }
    if (h.holder && h.session && !h.session->follower()) return false;
    if (looking && h.session) return false;
    if (h.kept.size() >= 1000) return true;  // someone holds a key down in a tab that cannot take over
    h.kept.push_back(intent);
    // Reading alone does not take the account from the tab that has it: both tabs may show the
    // conversation, and the lease would go back and forth with every message.
    if (std::holds_alternative<intent::MarkRead>(intent) || !leases_) return true;
    if (!h.asked_to_yield) {
        h.asked_to_yield = true;
        leases_->ask_to_yield(h.id);
    }
    return true;
}

// [SECTION] View --------------------------------------------------------------------------------------

void Client::fill_accounts(AppView& view) {
    view.accounts.clear();
    for (auto& [id, h] : held_) {
        AccountListing a;
        a.session_id = id;
        a.name = h->session ? h->session->display_name() : h->name;
        a.unread = h->session ? h->session->unread_total() : 0;
        a.shown = id == shown_ && !adding_ && shown_lock_.empty();
        if (h->sealed) a.lock_id = h->sealed->lock_id();
        view.accounts.push_back(std::move(a));
    }
    // Oldest first; accounts made in the same millisecond by their IDs, so the order never moves.
    std::sort(view.accounts.begin(), view.accounts.end(), [this](const AccountListing& a, const AccountListing& b) {
        const auto ca = held_.at(a.session_id)->created_ms, cb = held_.at(b.session_id)->created_ms;
        return ca != cb ? ca < cb : a.session_id < b.session_id;
    });
    // Locked ones last, by their public names: nothing else of them is known.
    for (auto& [lock_id, record] : locks_) {
        AccountListing a;
        a.name = record.public_name;
        a.locked = true;
        a.lock_id = lock_id;
        a.shown = lock_id == shown_lock_;
        view.accounts.push_back(std::move(a));
    }
}

}  // namespace st::app
