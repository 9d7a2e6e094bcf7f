// Private to core/src/app: what happens when a message arrives — one handler per kind
// (protocol §8). A poll's messages are handled together: their writes go into one batch, and
// read receipts for messages seen at once go out once per conversation.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "st/proto/model.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class AccountSession;

class Incoming {
public:
    explicit Incoming(AccountSession& session) : s_(session) {}

    void handle(const proto::IncomingEvent& event);
    // Writes what the handlers changed, sends the receipts, refreshes previews.
    void finish();

private:
    void on(const proto::IncomingEvent& e, const proto::VisibleMessage& m);
    void on(const proto::IncomingEvent& e, const proto::SyncedMessage& m);
    void on(const proto::IncomingEvent& e, const proto::Typing& t);
    void on(const proto::IncomingEvent& e, const proto::ReadReceipt& r);
    void on(const proto::IncomingEvent& e, const proto::Unsend& u);
    void on(const proto::IncomingEvent& e, const proto::RequestResponse& r);
    // Disappearing-message settings, reactions and screenshot notices are not shown yet.
    void on(const proto::IncomingEvent&, const proto::ExpirationUpdate&) {}
    void on(const proto::IncomingEvent&, const proto::Reaction&) {}
    void on(const proto::IncomingEvent&, const proto::DataExtraction&) {}

    void our_own_message(const std::string& peer, const proto::IncomingEvent& e, const std::string& body);

    AccountSession& s_;
    std::vector<store::KvWrite> batch_;
    std::set<std::string> contacts_touched_;
    std::set<std::string> conversations_touched_;
    std::set<std::string> previews_to_check_;
    std::map<std::string, std::vector<std::uint64_t>> read_now_;  // receipts to send
    bool changed_ = false;
};

}  // namespace st::app
