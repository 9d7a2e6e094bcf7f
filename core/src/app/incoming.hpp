// Private to core/src/app: what happens when a message arrives — one handler per kind
// (protocol §8). A poll's messages are handled together: their writes go into one batch, and
// read receipts for messages seen at once go out once per conversation.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "st/app/view.hpp"
#include "st/net/poller.hpp"
#include "st/proto/model.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class AccountSession;

// Turns a message into the placeholder of a message deleted for everyone (its text zeroed).
void make_deleted(MessageView& m);

class Incoming {
public:
    explicit Incoming(AccountSession& session) : s_(session) {}

    // `item` is the swarm message it came in (its hash: to delete or expire it there later).
    void handle(const proto::IncomingEvent& event, const net::RetrievedItem& item);
    // Writes what the handlers changed, sends the receipts, refreshes previews.
    void finish();

private:
    void on(const proto::IncomingEvent& e, const proto::VisibleMessage& m);
    void on(const proto::IncomingEvent& e, const proto::SyncedMessage& m);
    void on(const proto::IncomingEvent& e, const proto::Typing& t);
    void on(const proto::IncomingEvent& e, const proto::ReadReceipt& r);
    void on(const proto::IncomingEvent& e, const proto::Unsend& u);
    void on(const proto::IncomingEvent& e, const proto::RequestResponse& r);
    void on(const proto::IncomingEvent& e, const proto::ExpirationUpdate& u);
    // Reactions and screenshot notices are not shown yet.
    void on(const proto::IncomingEvent&, const proto::Reaction&) {}
    void on(const proto::IncomingEvent&, const proto::DataExtraction&) {}

    void our_own_message(const std::string& peer, const proto::IncomingEvent& e, const std::string& body);
    // A message of this poll, stored at finish(): an unsend later in the same poll finds it here.
    MessageView* pending(const std::string& peer, const std::string& id);

    AccountSession& s_;
    const net::RetrievedItem* item_ = nullptr;
    std::map<std::pair<std::string, std::string>, MessageView> pending_;  // (peer, id) → message
    std::vector<std::pair<std::string, MessageView>> pending_if_absent_;  // ours, polled back
    std::vector<std::string> hashes_to_delete_;
    std::vector<store::KvWrite> batch_;
    std::set<std::string> contacts_touched_;
    std::set<std::string> conversations_touched_;
    std::set<std::string> previews_to_check_;
    std::map<std::string, std::vector<std::uint64_t>> read_now_;  // receipts to send
    bool changed_ = false;
};

}  // namespace st::app
