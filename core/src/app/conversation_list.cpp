#include "conversation_list.hpp"

#include <algorithm>

#include "text.hpp"

namespace st::app {
namespace {
// A read receipt names the messages read; a conversation left unread for a very long time
// keeps the newest of them (the badge still counts them all up to this).
constexpr std::size_t kMaxUnreadTimestamps = 1000;
}  // namespace

std::string preview_of(const MessageView& m) {
    return m.kind == MessageKind::Deleted ? "This message was deleted" : text::preview_of(m.body);
}

void ConversationList::load(const std::vector<store::KvEntry>& entries) {
    const auto base = keys_.conversations();
    for (const auto& e : entries) {
        if (e.key.size() <= base.size()) continue;
        auto c = records::decode_conversation(e.value);
        if (!c) continue;
        list_[e.key.substr(base.size())].record = std::move(*c);
    }
}

ConversationState* ConversationList::find(const std::string& peer) {
    auto it = list_.find(peer);
    return it == list_.end() ? nullptr : &it->second;
}

const ConversationState* ConversationList::find(const std::string& peer) const {
    auto it = list_.find(peer);
    return it == list_.end() ? nullptr : &it->second;
}

ConversationState& ConversationList::ensure(const std::string& peer) { return list_[peer]; }

void ConversationList::save(const std::string& peer, std::vector<store::KvWrite>& batch) const {
    if (auto* c = find(peer))
        batch.push_back(store::KvWrite::put(keys_.conversation(peer), records::encode(c->record)));
}

void ConversationList::note_message(const std::string& peer, const MessageView& m) {
    auto& c = ensure(peer).record;
    if (m.sent_ms >= c.last_ms) {
        c.last_ms = m.sent_ms;
        c.last_message = preview_of(m);
    }
}

void ConversationList::note_unread(const std::string& peer, std::uint64_t sent_ms) {
    auto& unread = ensure(peer).record.unread;
    if (std::find(unread.begin(), unread.end(), sent_ms) != unread.end()) return;
    unread.push_back(sent_ms);
    if (unread.size() > kMaxUnreadTimestamps) unread.erase(unread.begin());
}

std::vector<std::uint64_t> ConversationList::take_unread(const std::string& peer) {
    auto* c = find(peer);
    if (!c) return {};
    c->record.unread_count = 0;
    return std::exchange(c->record.unread, {});
}

std::uint32_t ConversationList::unread(const std::string& peer) const {
    auto* c = find(peer);
    return c ? static_cast<std::uint32_t>(c->record.unread.size()) + c->record.unread_count : 0;
}

}  // namespace st::app
