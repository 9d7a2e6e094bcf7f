// Kiosk mode of st::app::Client (docs/kiosk.md): a public machine that forgets everything. The
// host hands the Client a store that keeps nothing (memory, not IndexedDB); here live the idle
// timer, the countdown that precedes the wipe, and the wipe itself.
#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "held_account.hpp"
#include "st/app/client.hpp"

namespace st::app {

using net::detail::guarded;

void Client::note_activity() {
    // The passphrase lock's idle time (docs/lock.md) starts again too.
    for (auto& [id, h] : held_)
        if (h->idle_lock) h->idle_lock->touch();
    if (!config_.kiosk) return;
    last_activity_ = clock_.steady();
    if (kiosk_ends_at_ms_ != 0) {
        kiosk_ends_at_ms_ = 0;
        changed();
        arm_kiosk_timer(config_.kiosk_idle);
    }
}

void Client::arm_kiosk_timer(std::chrono::milliseconds in) {
    if (kiosk_timer_ != 0) loop_.cancel(kiosk_timer_);
    kiosk_timer_ = loop_.post_after(std::max(in, std::chrono::milliseconds(1)), guarded(alive_, [this] {
                                        kiosk_timer_ = 0;
                                        kiosk_timer_fired();
                                    }));
}

// One timer serves both phases; it does not move with every key press (note_activity only
// records the time), it looks at the time when it fires and sets itself again.
void Client::kiosk_timer_fired() {
    if (kiosk_ends_at_ms_ != 0) {
        const auto left = kiosk_ends_at_ms_ - clock_.now_ms();
        if (left > 0) return arm_kiosk_timer(std::chrono::milliseconds(left));
        return end_kiosk_session();
    }
    const auto idle = clock_.steady() - last_activity_;
    if (idle < config_.kiosk_idle) return arm_kiosk_timer(config_.kiosk_idle - idle);
    // Nothing to forget yet (the Welcome screen, nothing typed): no countdown, look again later.
    const bool something_held = !held_.empty() || pending_ || view_.onboarding.step != OnboardingStep::Welcome;
    if (!something_held) return arm_kiosk_timer(config_.kiosk_idle);
    kiosk_ends_at_ms_ = clock_.now_ms() + config_.kiosk_countdown.count();
    changed();
    arm_kiosk_timer(config_.kiosk_countdown);
}

void Client::end_kiosk_session() {
    kiosk_ends_at_ms_ = 0;
    ++kiosk_sessions_ended_;
    // The session first: nothing of it may write or send again.
    std::vector<std::string> ids;
    for (auto& [id, held] : held_) ids.push_back(id);
    for (auto& id : ids) close_account(id);
    shown_.clear();
    adding_ = false;
    pending_.reset();
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    secure_zero(view_.settings.recovery_phrase.data(), view_.settings.recovery_phrase.size());
    view_.onboarding = OnboardingView{};
    view_.settings.recovery_phrase.clear();
    view_.open.reset();
    view_.conversations.clear();
    view_.requests.clear();
    new_conversation_problem_.reset();
    resolving_name_ = false;
    pending_link_.reset();
    link_ = LinkView{};
    banner_.reset();
    view_.loading = true;
    changed();
    // Everything the store holds: the account, and the node pool and paths it learnt.
    store_.erase_prefix("", guarded(alive_, [this](Result<>) {
                            view_.loading = false;
                            last_activity_ = clock_.steady();
                            changed();
                        }));
    last_activity_ = clock_.steady();
    arm_kiosk_timer(config_.kiosk_idle);
}

}  // namespace st::app
