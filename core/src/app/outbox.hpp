// Private to core/src/app: what an account still has to send, kept in storage until the network
// took it, so nothing is lost to a reload, a closed tab or an offline hour. One entry at a time,
// oldest first, so a conversation's messages arrive in the order they were written; a failure the
// network may get over (error category "transient") waits with back-off and tries again, any
// other failure ends the entry (its message shows Failed, with Retry).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "records.hpp"
#include "st/base/error.hpp"
#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"
#include "writer.hpp"

namespace st::app {

class Outbox {
public:
    struct Hooks {
        // Encodes and stores one entry; calls `done` exactly once, with the hash of the copy in
        // our own swarm ("" if none: a receipt, a deletion).
        std::function<void(const records::OutboxEntry&, Callback<std::string>)> send;
        // The entry was taken by the network; `batch` is written with the entry's removal.
        std::function<void(const records::OutboxEntry&, const std::string& own_swarm_hash,
                           std::vector<store::KvWrite>& batch)> sent;
        // The network refused it for good.
        std::function<void(const records::OutboxEntry&, const Error&, std::vector<store::KvWrite>& batch)> failed;
        // A transient failure: the outbox waits and tries again.
        std::function<void(const Error&)> waiting;
    };

    Outbox(Loop& loop, Writer& writer, records::Keys keys, std::chrono::milliseconds retry_min,
           std::chrono::milliseconds retry_max, Hooks hooks);
    ~Outbox();

    // The entries of a scan of keys.outbox().
    void load(const std::vector<store::KvEntry>& entries);
    // Puts a new entry into `batch`; it is queued once the batch is durable (call queue()).
    std::string write(const records::OutboxEntry& entry, std::vector<store::KvWrite>& batch) const;
    void queue(std::string key, records::OutboxEntry entry);

    // Allowed to send (once the account's network is up).
    void start();
    // A person asked: try now, not at the end of a back-off.
    void retry_now();
    // Drops the entries `drop` selects (a message deleted before it went out); their removal
    // goes into `batch`. One already on its way is not recalled, but its outcome is ignored.
    void cancel(const std::function<bool(const records::OutboxEntry&)>& drop, std::vector<store::KvWrite>& batch);
    // Stops sending (the account is being wiped); resume() starts again.
    void pause() { paused_ = true; }
    void resume() {
        paused_ = false;
        pump();
    }

    std::size_t size() const { return entries_.size(); }
    bool waiting() const { return retry_timer_ != 0; }
    const std::map<std::string, records::OutboxEntry>& entries() const { return entries_; }

private:
    void pump();
    void on_done(const std::string& key, Result<std::string> result);

    Loop& loop_;
    Writer& writer_;
    records::Keys keys_;
    std::chrono::milliseconds retry_min_, retry_max_;
    Hooks hooks_;

    std::map<std::string, records::OutboxEntry> entries_;  // by storage key: oldest first
    bool started_ = false;
    bool sending_ = false;
    bool paused_ = false;
    TimerId retry_timer_ = 0;
    std::chrono::milliseconds retry_delay_{0};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
