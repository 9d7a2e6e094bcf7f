// What the user configs (config_sync.hpp, docs/config.md) mean for the account's rooms: merged
// configs from our other devices are applied to the display name, contacts and conversations, and
// changes made here are copied into the configs, which ConfigSync then pushes.
//
// Which side wins: the configs, once this device has read them from the swarm. Before that (an
// account that existed before config sync, or a fresh restore), seed_configs() adds what only this
// device knows — never overwriting what another device already stored.
#include <algorithm>

#include "account_session.hpp"
#include "disappearing.hpp"
#include "text.hpp"

namespace st::app {
namespace {

config::ExpirationMode to_config(DisappearingMode mode) {
    switch (mode) {
        case DisappearingMode::AfterSend: return config::ExpirationMode::AfterSend;
        case DisappearingMode::AfterRead: return config::ExpirationMode::AfterRead;
        case DisappearingMode::Off: break;
    }
    return config::ExpirationMode::None;
}

DisappearingMode from_config(config::ExpirationMode mode) {
    switch (mode) {
        case config::ExpirationMode::AfterSend: return DisappearingMode::AfterSend;
        case config::ExpirationMode::AfterRead: return DisappearingMode::AfterRead;
        case config::ExpirationMode::None: break;
    }
    return DisappearingMode::Off;
}

// A contact the official clients keep in the Contacts config: one we have a relation with. A
// stranger whose request we have not answered stays on this device only (protocol §8.4).
bool worth_syncing(const records::Contact& c) {
    return c.approved || c.approved_me || c.blocked || !c.nickname.empty();
}

}  // namespace

void AccountSession::apply_configs(const ConfigSync::Merged& merged) {
    if (!config_.loaded()) return;
    std::vector<store::KvWrite> batch;
    bool changed = false;

    if (merged.profile) {
        // Our name from another device (or from the network, after a restore).
        if (auto name = config_.profile().name()) {
            auto clean = text::sanitize_name(*name, env_.config.max_name_chars);
            if (!clean.empty() && clean != display_name_) {
                display_name_ = std::move(clean);
                settings_.name_updated_s = static_cast<std::uint64_t>(now_ms() / 1000);
                auto record = records::encode_account(identity_, created_ms_, display_name_);
                batch.push_back(store::KvWrite::put(records::account_key(me_),
                                                    Bytes(record.view().begin(), record.view().end())));
                batch.push_back(store::KvWrite::put(keys_.settings(), records::encode(settings_)));
                changed = true;
            }
        }
    }

    if (merged.contacts) {
        for (const auto& c : config_.contacts().list()) {
            const auto peer = c.id.hex();
            if (peer == me_) continue;
            auto& contact = contacts_.ensure(peer, now_ms());
            const auto before = records::encode(contact);
            contact.approved = c.approved;
            contact.approved_me = c.approved_me;
            contact.blocked = c.blocked;
            contact.nickname = text::sanitize_name(c.nickname, env_.config.max_name_chars);
            if (!c.name.empty() && contact.name.empty())
                contact.name = text::sanitize_name(c.name, env_.config.max_name_chars);
            if (records::encode(contact) != before) {
                contacts_.save(peer, batch);
                changed = true;
            }
            if (auto* conv = conversations_.find(peer)) {
                const auto mode = from_config(c.expiration);
                const auto seconds = mode == DisappearingMode::Off ? 0u : static_cast<std::uint32_t>(c.expiration_timer_s);
                if (conv->record.disappearing != mode || conv->record.disappearing_seconds != seconds) {
                    conv->record.disappearing = mode;
                    conv->record.disappearing_seconds = seconds;
                    conv->record.disappearing_changed_ms = now_ms();
                    conversations_.save(peer, batch);
                    changed = true;
                }
                if (c.blocked) conv->typing_until_ms = 0;
            }
        }
    }

    if (merged.read_state) {
        for (const auto& info : config_.read_state().list_1to1()) {
            const auto peer = info.id.hex();
            auto* conv = conversations_.find(peer);
            if (!conv || info.last_read_ms <= 0) continue;
            // Read on another device: everything up to its last-read time is read here too.
            std::vector<std::uint64_t> read;
            std::erase_if(conv->record.unread, [&](std::uint64_t ts) {
                if (static_cast<std::int64_t>(ts) > info.last_read_ms) return false;
                read.push_back(ts);
                return true;
            });
            if (read.empty()) continue;
            conversations_.save(peer, batch);
            start_read_timers(peer, read);
            changed = true;
        }
    }

    if (!batch.empty()) writer_.write(std::move(batch));
    if (changed) env_.changed();
}

void AccountSession::sync_to_config() {
    if (!config_.loaded() || !settings_.config_synced) return;
    bool changed = false;
    if (!display_name_.empty() && config_.profile().name() != display_name_) {
        (void)config_.profile().set_name(display_name_, static_cast<std::int64_t>(settings_.name_updated_s));
        changed = true;
    }
    for (const auto& [peer, contact] : contacts_.all()) {
        if (peer == me_) continue;
        auto id = crypto::SessionId::parse(peer);
        if (!id) continue;
        auto existing = config_.contacts().get(*id);
        if (!existing && !worth_syncing(contact)) continue;
        auto c = existing ? std::move(*existing) : config_.contacts().get_or_construct(*id);
        auto wanted = c;
        wanted.approved = contact.approved;
        wanted.approved_me = contact.approved_me;
        wanted.blocked = contact.blocked;
        wanted.nickname = contact.nickname;
        if (!contact.name.empty()) wanted.name = contact.name;
        if (auto* conv = conversations_.find(peer)) {
            wanted.expiration = to_config(conv->record.disappearing);
            wanted.expiration_timer_s =
                conv->record.disappearing == DisappearingMode::Off ? 0 : conv->record.disappearing_seconds;
        }
        if (!existing && wanted.created_s == 0) wanted.created_s = contact.created_ms / 1000;
        const bool same = existing && c.approved == wanted.approved && c.approved_me == wanted.approved_me &&
                          c.blocked == wanted.blocked && c.nickname == wanted.nickname && c.name == wanted.name &&
                          c.expiration == wanted.expiration && c.expiration_timer_s == wanted.expiration_timer_s;
        if (same) continue;
        config_.contacts().set(wanted);
        changed = true;
    }
    if (changed) config_.changed();
}

void AccountSession::note_read_in_config(const std::string& peer, const std::vector<std::uint64_t>& read) {
    if (!config_.loaded() || read.empty() || peer == me_) return;
    auto id = crypto::SessionId::parse(peer);
    if (!id) return;
    const auto newest = static_cast<std::int64_t>(*std::max_element(read.begin(), read.end()));
    auto info = config_.read_state().get_1to1(*id).value_or(config::OneToOneInfo(*id));
    if (info.last_read_ms >= newest && !info.unread) return;
    info.last_read_ms = std::max(info.last_read_ms, newest);
    info.unread = false;
    config_.read_state().set_1to1(info, now_ms());
    config_.changed();
}

std::int64_t AccountSession::last_read_elsewhere(const std::string& peer) const {
    if (!config_.loaded()) return 0;
    auto id = crypto::SessionId::parse(peer);
    if (!id) return 0;
    auto info = config_.read_state().get_1to1(*id);
    return info ? info->last_read_ms : 0;
}

// The first poll after config sync came to this account has read our configs from the start:
// what only this device knows goes into them now (added, never overwriting another device's).
void AccountSession::seed_configs() {
    if (!config_.loaded() || settings_.config_synced) return;
    settings_.config_synced = true;
    save_settings();
    if (!config_.profile().name() && !display_name_.empty())
        (void)config_.profile().set_name(display_name_, static_cast<std::int64_t>(settings_.name_updated_s));
    // Contacts the configs do not know yet; those they know were applied to ours already.
    sync_to_config();
    // Conversations read here: their read state.
    for (const auto& [peer, conv] : conversations_.all()) {
        if (peer == me_ || !conv.record.unread.empty() || conv.record.last_ms <= 0) continue;
        auto id = crypto::SessionId::parse(peer);
        if (!id || config_.read_state().get_1to1(*id)) continue;
        config::OneToOneInfo info(*id);
        info.last_read_ms = conv.record.last_ms;
        config_.read_state().set_1to1(info, now_ms());
    }
    config_.changed();
}

}  // namespace st::app
