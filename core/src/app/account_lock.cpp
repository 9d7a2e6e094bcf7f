// The passphrase lock in the Client (docs/lock.md): locked accounts on the lock screen, unlocking
// (and finishing a migration a closed tab left half-done), Lock now and the idle lock, turning
// the lock on, changing and removing the passphrase. The encryption itself is st::store's
// (SealedKvStore, Locks); here is when it happens and what the person sees.
#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "held_account.hpp"
#include "records.hpp"
#include "st/app/client.hpp"
#include "text.hpp"

namespace st::app {

using net::detail::guarded;

namespace {

// The minutes the idle lock offers (Settings): never, 1, 5, 15, 60.
bool offered_lock_after(std::uint32_t minutes) {
    return minutes == 0 || minutes == 1 || minutes == 5 || minutes == 15 || minutes == 60;
}

Problem lock_problem(const Error& e, std::int64_t next_attempt_ms, std::int64_t now_ms) {
    const std::string code(e.code);
    if (code == "lock.wrong_passphrase") return {code, "That passphrase is not right.", std::nullopt};
    if (code == "lock.too_soon") {
        const auto seconds = std::max<std::int64_t>(1, (next_attempt_ms - now_ms + 999) / 1000);
        return {code, "Too many wrong passphrases: try again in " + std::to_string(seconds) + " s.", std::nullopt};
    }
    if (code == "lock.empty_passphrase") return {code, "Enter a passphrase.", std::nullopt};
    if (code == "lock.kdf_failed")
        return {code, "This browser could not give the passphrase check the memory it needs. Close other tabs and try again.",
                std::nullopt};
    if (code == "store.tampered" || code == "lock.bad_record")
        return {code, "The locked account's stored data is damaged and cannot be opened.", std::nullopt};
    return {code, "The passphrase lock could not be changed: " + e.message, std::nullopt};
}

}  // namespace

// [SECTION] Lock screen ----------------------------------------------------------------------------------

void Client::read_locks(std::function<void()> then) {
    if (!locks_store_) locks_store_ = std::make_unique<store::Locks>(loop_, store_);
    locks_store_->list(guarded(alive_, [this, then = std::move(then)](Result<std::vector<store::LockRecord>> r) {
        std::map<std::string, store::LockRecord> locks;
        if (r)
            for (auto& record : *r) locks.emplace(record.id, std::move(record));
        // Those open here are not on the lock screen.
        for (auto& [id, h] : held_)
            if (h->sealed) locks.erase(h->sealed->lock_id());
        locks_ = std::move(locks);
        if (!shown_lock_.empty() && !locks_.count(shown_lock_)) shown_lock_.clear();
        changed();
        if (then) then();
    }));
}

void Client::show_lock_screen(const std::string& lock_id) {
    if (!locks_.count(lock_id)) return;
    if (auto* before = account()) before->hide_phrase();
    pending_.reset();
    view_.onboarding = OnboardingView{};
    shown_.clear();
    adding_ = false;
    shown_lock_ = lock_id;
    unlock_problem_.reset();
    view_.loading = false;
    pace_sessions();
    changed();
}

void Client::unlock(const std::string& lock_id, SecretBytes passphrase) {
    if (unlocking_ || !locks_.count(lock_id)) return;
    unlocking_ = true;
    unlock_problem_.reset();
    changed();
    // Argon2id blocks for a moment: the "Unlocking…" frame goes first.
    auto secret = std::make_shared<SecretBytes>(std::move(passphrase));
    loop_.post_after(std::chrono::milliseconds(20), guarded(alive_, [this, lock_id, secret] {
        locks_store_->unlock(lock_id, *secret, clock_.now_ms(), guarded(alive_, [this, lock_id, secret](Result<Secret<32>> key) {
            *secret = SecretBytes();
            if (!key) {
                const Error e = key.error();
                // The count and the next attempt's time are in the lock record: read it again.
                read_locks(guarded(alive_, [this, lock_id, e] {
                    unlocking_ = false;
                    auto it = locks_.find(lock_id);
                    unlock_problem_ = lock_problem(e, it != locks_.end() ? store::next_attempt_ms(it->second) : 0,
                                                   clock_.now_ms());
                    changed();
                }));
                return;
            }
            unlocked(lock_id, std::make_unique<store::SealedKvStore>(loop_, store_, lock_id, std::move(*key)));
        }));
    }));
}

void Client::unlocked(const std::string& lock_id, std::unique_ptr<store::SealedKvStore> sealed) {
    auto* s = sealed.get();
    auto holder = std::make_shared<std::unique_ptr<store::SealedKvStore>>(std::move(sealed));
    s->scan("accounts/", {}, 4, guarded(alive_, [this, lock_id, holder](Result<std::vector<store::KvEntry>> r) {
        std::optional<records::Account> account;
        if (r && !r->empty()) account = records::decode_account(r->front().value);
        if (r)
            for (auto& e : *r) secure_zero(e.value.data(), e.value.size());
        auto it = locks_.find(lock_id);
        if (!account || it == locks_.end()) {
            unlocking_ = false;
            unlock_problem_ = Problem{"store.tampered", "The locked account's stored data is damaged and cannot be opened.",
                                      std::nullopt};
            changed();
            return;
        }
        const std::string id = account->identity.session_id().hex();
        auto open = std::make_shared<records::Account>(std::move(*account));
        auto finish = [this, lock_id, holder, open](bool sealed_still) {
            unlocking_ = false;
            locks_.erase(lock_id);
            shown_lock_.clear();
            open_account(std::move(open->identity), open->created_ms, std::move(open->name), true,
                         sealed_still ? std::move(*holder) : nullptr);
        };
        // A migration a closed tab left half-done is finished first (docs/lock.md).
        const auto state = it->second.state;
        if (state == store::LockState::Sealing) {
            locks_store_->seal_records(**holder, {records::account_key(id), records::account_prefix(id)}, {},
                                       guarded(alive_, [finish](Result<bool>) mutable { finish(true); }));
        } else if (state == store::LockState::Unsealing) {
            locks_store_->unseal_records(**holder, {}, guarded(alive_, [finish](Result<bool> done) mutable {
                                             finish(!(done && *done));
                                         }));
        } else {
            finish(true);
        }
    }));
}

// [SECTION] Locking -------------------------------------------------------------------------------------

void Client::arm_idle_lock(Held& h) {
    h.idle_lock.reset();
    if (!h.sealed || !h.session) return;
    const auto minutes = h.session->lock_after_minutes();
    if (minutes == 0) return;
    const std::string id = h.id;
    h.idle_lock = std::make_unique<store::IdleLock>(loop_, *h.sealed, std::chrono::minutes(minutes),
                                                    [this, id] { loop_.post(guarded(alive_, [this, id] { lock_account(id); })); });
}

void Client::lock_account(const std::string& id) {
    auto it = held_.find(id);
    if (it == held_.end() || !it->second->sealed) return;
    const bool was_shown = shown_ == id && !adding_;
    const std::string lock_id = it->second->sealed->lock_id();
    // close_account shuts the session, drops its views' data with it and zeroes the keys.
    close_account(id);
    if (was_shown) {
        shown_.clear();
        view_.open.reset();
        view_.conversations.clear();
        view_.requests.clear();
    }
    read_locks(guarded(alive_, [this, lock_id, was_shown] {
        if (was_shown) show_lock_screen(lock_id);
    }));
    changed();
}

// [SECTION] Settings: on, change, off ------------------------------------------------------------------

void Client::lock_refused(const Error& e) {
    lock_busy_ = false;
    lock_problem_ = lock_problem(e, 0, clock_.now_ms());
    changed();
}

void Client::set_passphrase(SecretBytes passphrase, std::string public_name) {
    auto it = held_.find(shown_);
    if (it == held_.end() || it->second->sealed || lock_busy_ || !it->second->session) return;
    public_name = text::sanitize_name(public_name, config_.max_name_chars);
    if (passphrase.size() < 8) {
        lock_problem_ = Problem{"lock.short_passphrase", "Use a passphrase of at least 8 characters.", std::nullopt};
        changed();
        return;
    }
    if (public_name.empty()) {
        lock_problem_ = Problem{"lock.no_name",
                                "Enter the name the lock screen shows (anyone using this browser can read it).",
                                std::nullopt};
        changed();
        return;
    }
    lock_busy_ = true;
    lock_problem_.reset();
    changed();
    const std::string id = shown_;
    auto secret = std::make_shared<SecretBytes>(std::move(passphrase));
    loop_.post_after(std::chrono::milliseconds(20), guarded(alive_, [this, id, secret, public_name] {
        locks_store_->create(*secret, public_name, config_.lock_params, guarded(alive_, [this, id, secret](Result<store::NewLock> made) {
            *secret = SecretBytes();
            if (!made) return lock_refused(made.error());
            auto found = held_.find(id);
            if (found == held_.end()) return lock_refused(Error{"lock.not_found", "the account is gone"});
            Held& h = *found->second;
            // The session stops writing; the records move in atomic batches, the account record
            // first (so a tab closed half-way finds a locked account and finishes on unlock).
            auto sealed = std::make_unique<store::SealedKvStore>(loop_, store_, made->record.id, std::move(made->data_key));
            auto* s = sealed.get();
            h.moving = true;
            h.reopen_peer = h.session->open_peer();
            h.session->shut_down();
            h.sealed = std::move(sealed);
            // Where a new tab starts must not name a locked account.
            std::vector<store::KvWrite> meta{store::KvWrite::erase(std::string(records::kActiveAccountKey))};
            store_.write(std::move(meta), guarded(alive_, [this, id, s](Result<>) {
                locks_store_->seal_records(*s, {records::account_key(id), records::account_prefix(id)}, {},
                                           guarded(alive_, [this, id](Result<bool> done) {
                                               lock_busy_ = false;
                                               auto again = held_.find(id);
                                               if (again == held_.end()) return;
                                               if (!done) lock_problem_ = lock_problem(done.error(), 0, clock_.now_ms());
                                               else ++lock_changes_;
                                               // The session again, now over the sealed records.
                                               again->second->session.reset();
                                               start_session(*again->second, again->second->holder);
                                               changed();
                                           }));
            }));
        }));
    }));
}

void Client::change_passphrase(SecretBytes old_passphrase, SecretBytes new_passphrase) {
    auto it = held_.find(shown_);
    if (it == held_.end() || !it->second->sealed || lock_busy_) return;
    if (new_passphrase.size() < 8) {
        lock_problem_ = Problem{"lock.short_passphrase", "Use a passphrase of at least 8 characters.", std::nullopt};
        changed();
        return;
    }
    lock_busy_ = true;
    lock_problem_.reset();
    changed();
    const std::string lock_id = it->second->sealed->lock_id();
    auto secrets = std::make_shared<std::pair<SecretBytes, SecretBytes>>(std::move(old_passphrase), std::move(new_passphrase));
    loop_.post_after(std::chrono::milliseconds(20), guarded(alive_, [this, lock_id, secrets] {
        locks_store_->change_passphrase(lock_id, secrets->first, secrets->second, config_.lock_params,
                                        guarded(alive_, [this, secrets](Result<> r) {
                                            secrets->first = SecretBytes();
                                            secrets->second = SecretBytes();
                                            if (!r) return lock_refused(r.error());
                                            lock_busy_ = false;
                                            ++lock_changes_;
                                            changed();
                                        }));
    }));
}

void Client::remove_passphrase(SecretBytes passphrase) {
    auto it = held_.find(shown_);
    if (it == held_.end() || !it->second->sealed || lock_busy_ || !it->second->session) return;
    lock_busy_ = true;
    lock_problem_.reset();
    changed();
    const std::string id = shown_;
    const std::string lock_id = it->second->sealed->lock_id();
    auto secret = std::make_shared<SecretBytes>(std::move(passphrase));
    loop_.post_after(std::chrono::milliseconds(20), guarded(alive_, [this, id, lock_id, secret] {
        // The passphrase is asked again before the records go back in clear.
        locks_store_->unlock(lock_id, *secret, clock_.now_ms(), guarded(alive_, [this, id, secret](Result<Secret<32>> key) {
            *secret = SecretBytes();
            if (!key) return lock_refused(key.error());
            auto found = held_.find(id);
            if (found == held_.end() || !found->second->sealed) return lock_refused(Error{"lock.not_found", "the account is gone"});
            Held& h = *found->second;
            h.moving = true;
            h.reopen_peer = h.session->open_peer();
            h.session->shut_down();
            h.idle_lock.reset();
            locks_store_->unseal_records(*h.sealed, {}, guarded(alive_, [this, id](Result<bool> done) {
                lock_busy_ = false;
                auto again = held_.find(id);
                if (again == held_.end()) return;
                if (!done || !*done) {
                    lock_problem_ = done ? Problem{"lock.unfinished", "Removing the passphrase did not finish; try again.", std::nullopt}
                                         : lock_problem(done.error(), 0, clock_.now_ms());
                } else {
                    again->second->sealed.reset();
                    ++lock_changes_;
                }
                again->second->session.reset();
                start_session(*again->second, again->second->holder);
                changed();
            }));
        }));
    }));
}

void Client::set_lock_after(std::uint32_t minutes) {
    auto it = held_.find(shown_);
    if (it == held_.end() || !it->second->session || !offered_lock_after(minutes)) return;
    it->second->session->set_lock_after(minutes);
    arm_idle_lock(*it->second);
}

void Client::remove_locked_account(const std::string& lock_id) {
    if (!locks_.count(lock_id)) return;
    locks_.erase(lock_id);
    if (shown_lock_ == lock_id) shown_lock_.clear();
    changed();
    store_.erase_prefix(store::sealed_prefix(lock_id), guarded(alive_, [this, lock_id](Result<> r) {
        if (!r) return set_banner(Problem{std::string(r.error().code),
                                          "This browser did not let Session Tab erase the locked account. Reload and try again.",
                                          std::nullopt});
        store_.write({store::KvWrite::erase(store::lock_key(lock_id))}, guarded(alive_, [this](Result<>) {
                         if (leases_) leases_->announce_change("");
                         if (shown_.empty() && shown_lock_.empty() && !adding_) {
                             if (!held_.empty()) show(held_.begin()->first);
                             else if (!locks_.empty()) show_lock_screen(locks_.begin()->first);
                         }
                         changed();
                     }));
    }));
}

}  // namespace st::app
