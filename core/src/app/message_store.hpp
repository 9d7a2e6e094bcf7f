// Private to core/src/app: the messages of one account. Every conversation's history lives in
// storage; only the open conversation keeps a window of it in memory — its newest page first,
// growing backwards a page at a time as the person scrolls up — so a history of 100,000 messages
// costs one page to open and never sits in memory whole.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "records.hpp"
#include "st/app/view.hpp"
#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"
#include "writer.hpp"

namespace st::app {

class MessageStore {
public:
    MessageStore(store::KvStore& store, Writer& writer, records::Keys keys, std::function<void()> changed,
                 std::size_t page_size = 100);
    ~MessageStore();

    // [SECTION] The open conversation's window

    // Shows `peer`'s conversation: its newest page is read (loading() until then).
    void open(const std::string& peer);
    void close();
    // One more page of older messages, if there are any and none is being read.
    void load_older();
    const std::string& open_peer() const { return peer_; }
    std::span<const MessageView> window() const { return window_; }
    bool has_older() const { return has_older_; }
    bool loading() const { return loading_; }
    MessageView* find_open(const std::string& peer, const std::string& id);

    // [SECTION] Records (any conversation)

    // Called with the end of every disappearing message written (so its timer can be set).
    void on_expiry(std::function<void(std::int64_t expires_ms)> hook) { expiry_hook_ = std::move(hook); }

    // Puts the record into `batch` (and, for a disappearing message, its expiry-index entry); it
    // is in the window (if open) once the batch is written — call show() then, or at once for
    // records that are not a promise to the person.
    void write(const std::string& peer, const MessageView& m, std::vector<store::KvWrite>& batch) const;
    void show(const std::string& peer, MessageView m);
    void put(const std::string& peer, MessageView m, std::vector<store::KvWrite>& batch) {
        write(peer, m, batch);
        show(peer, std::move(m));
    }
    void erase(const std::string& peer, const std::string& id, std::vector<store::KvWrite>& batch);

    // Reads a message (from the window or storage), lets `change` edit it (false: leave it as it
    // is) and writes it back. `done` (optional) gets the changed message, or nothing.
    void update(const std::string& peer, const std::string& id, std::function<bool(MessageView&)> change,
                std::function<void(std::optional<MessageView>)> done = {});
    // A message of ours seen again (our sync copy polled back, a Note to Self): stored only if it
    // is not stored already, so its state (sent, read, failed) is never overwritten. `done` says
    // whether it was added.
    void put_if_absent(const std::string& peer, MessageView m, std::function<void(bool added)> done);
    // The newest stored message of a conversation (its preview after a deletion).
    void newest(const std::string& peer, std::function<void(std::optional<MessageView>)> done);
    // Every message of a conversation, gone.
    void erase_all(const std::string& peer, Callback<> done);
    // The swarm hashes of every stored message of a conversation (read a page at a time).
    void swarm_hashes(const std::string& peer, std::function<void(std::vector<std::string>)> done);

private:
    void read_page(std::string before);
    void merge_page(std::vector<store::KvEntry> entries, std::size_t prefix_size);
    void collect_hashes(std::string prefix, std::string cursor, std::shared_ptr<std::vector<std::string>> out,
                        std::function<void(std::vector<std::string>)> done);

    store::KvStore& store_;
    Writer& writer_;
    records::Keys keys_;
    std::function<void()> changed_;
    std::function<void(std::int64_t)> expiry_hook_;
    std::size_t page_size_;

    std::string peer_;
    std::vector<MessageView> window_;  // oldest first, ordered by id
    bool has_older_ = false;
    bool loading_ = false;
    std::uint64_t generation_ = 0;  // bumped by open/close: pages read for another window are dropped
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
