#include "contacts.hpp"

#include "text.hpp"

namespace st::app {

void Contacts::load(const std::vector<store::KvEntry>& entries) {
    const auto base = keys_.contacts();
    for (const auto& e : entries) {
        if (e.key.size() <= base.size()) continue;
        auto c = records::decode_contact(e.value);
        if (!c) continue;
        // Names were cleaned when stored; clean again in case an older version stored them raw.
        c->name = text::sanitize_name(c->name, max_name_chars_);
        contacts_[e.key.substr(base.size())] = std::move(*c);
    }
}

const records::Contact* Contacts::find(const std::string& peer) const {
    auto it = contacts_.find(peer);
    return it == contacts_.end() ? nullptr : &it->second;
}

records::Contact& Contacts::ensure(const std::string& peer, std::int64_t now_ms) {
    auto [it, added] = contacts_.try_emplace(peer);
    if (added) it->second.created_ms = now_ms;
    return it->second;
}

void Contacts::save(const std::string& peer, std::vector<store::KvWrite>& batch) const {
    if (auto* c = find(peer)) batch.push_back(store::KvWrite::put(keys_.contact(peer), records::encode(*c)));
}

std::string Contacts::title(const std::string& peer) const {
    if (auto* c = find(peer)) {
        if (!c->nickname.empty()) return c->nickname;
        if (!c->name.empty()) return c->name;
    }
    return text::short_id(peer);
}

bool Contacts::blocked(const std::string& peer) const {
    auto* c = find(peer);
    return c && c->blocked;
}

bool Contacts::approved(const std::string& peer) const {
    auto* c = find(peer);
    return c && c->approved;
}

bool Contacts::apply_profile(const std::string& peer, const proto::Profile& profile, std::int64_t now_ms) {
    auto name = text::sanitize_name(profile.display_name, max_name_chars_);
    if (name.empty()) return false;
    auto& c = ensure(peer, now_ms);
    const std::uint64_t updated = profile.updated_seconds.value_or(0);
    // Newest wins (protocol §8.8); a profile that does not say when it changed only fills a gap,
    // so an old message replayed from the swarm cannot undo a rename.
    const bool newer = updated != 0 ? updated >= c.name_updated_s : c.name.empty() && c.name_updated_s == 0;
    if (!newer || (c.name == name && c.name_updated_s == updated)) return false;
    c.name = std::move(name);
    if (updated != 0) c.name_updated_s = updated;
    return true;
}

}  // namespace st::app
