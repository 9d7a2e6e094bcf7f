// Private to core/src/app: the conversations of one account as the list shows them — preview,
// unread messages, draft, and whether they are typing. Their messages live in the MessageStore.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "records.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

struct ConversationState {
    records::Conversation record;
    std::int64_t typing_until_ms = 0;  // they are typing until then (protocol §8.5: 20 s at most)
};

// The one line a conversation list shows for a message.
std::string preview_of(const MessageView& m);

class ConversationList {
public:
    explicit ConversationList(records::Keys keys) : keys_(std::move(keys)) {}

    // The entries of a scan of keys.conversations().
    void load(const std::vector<store::KvEntry>& entries);

    ConversationState* find(const std::string& peer);
    const ConversationState* find(const std::string& peer) const;
    ConversationState& ensure(const std::string& peer);
    void erase(const std::string& peer) { list_.erase(peer); }
    void save(const std::string& peer, std::vector<store::KvWrite>& batch) const;

    // The newest message decides the preview and the list order.
    void note_message(const std::string& peer, const MessageView& m);
    // Counts an incoming message as unread (its sent timestamp goes into a later read receipt).
    void note_unread(const std::string& peer, std::uint64_t sent_ms);
    // Clears the unread messages; returns their sent timestamps.
    std::vector<std::uint64_t> take_unread(const std::string& peer);
    std::uint32_t unread(const std::string& peer) const;

    const std::map<std::string, ConversationState>& all() const { return list_; }

private:
    records::Keys keys_;
    std::map<std::string, ConversationState> list_;
};

}  // namespace st::app
