// st::app::Client: the facade the UI and the hosts see (architecture.md §4). It owns all protocol
// and account state; the UI reads view() once per frame and sends Intents back with dispatch().
//
// What it does with them:
//   * onboarding: creates or restores an identity, stores it with the display name, starts the
//     network (protocol.md §1, §2);
//   * sending: every text goes into a persistent outbox first (so it survives a reload or an
//     offline period), then is encrypted (st::proto) and stored in the recipient's swarm with a
//     sync copy in ours (st::net::Sender, §8.1); transient failures are retried with back-off,
//     permanent ones mark the message Failed with a sentence and a Retry;
//   * receiving: polls our swarm (st::net::Poller), decodes each item and applies it: visible
//     messages, our own messages from other devices, unsend requests (§8.2), profile names;
//   * persistence: everything through the host's KvStore, keyed by account (see records.hpp).
//
// Threading: none. Every callback arrives through the Loop the host pumps.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "st/app/intent.hpp"
#include "st/app/view.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/net/transport.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

struct ClientConfig {
    std::string network_name = "devnet";  // shown in the network status
    std::string relay_label;              // shown in the network status ("" natively)
    net::NetworkConfig network;           // seeds, paths, attempts
    std::shared_ptr<const net::NodeAddressing> addressing;  // how guards are reached
    net::PollerConfig poller;
    std::chrono::milliseconds retry_min{2000};   // outbox back-off after a transient failure
    std::chrono::milliseconds retry_max{30000};
    std::size_t max_body_chars = 2000;           // desktop's limit for a message body
    std::size_t max_name_chars = 64;
};

class KvPollStateStore;

class Client {
public:
    // Everything referenced must outlive the Client.
    Client(Loop& loop, const Clock& clock, net::Transport& transport, store::KvStore& store,
           ClientConfig config);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Reads the stored account and conversations; view().loading until that is done.
    void start();
    void dispatch(Intent intent);
    // The snapshot for this frame; rebuilt only when something changed.
    const AppView& view();
    // Foreground (the tab is visible / a conversation is open): poll at the active interval.
    void set_foreground(bool foreground);

    // For tests and tools: the active account, if any.
    const crypto::Identity* identity() const { return identity_ ? &*identity_ : nullptr; }

    struct Conversation;
    struct OutboxEntry;

private:
    // [SECTION] onboarding and account
    void create_account();
    void restore_account(const std::string& phrase);
    void choose_display_name(const std::string& name);
    void load_account(std::optional<Bytes> active);
    void load_conversations();
    void activate(crypto::Identity identity, std::string display_name);

    // [SECTION] conversations and messages
    void start_conversation(const std::string& text);
    void open_conversation(const std::string& peer);
    void load_messages(const std::string& peer, std::string after);
    Conversation& conversation(const std::string& peer);
    void add_message(Conversation& c, MessageView message, bool persist_meta,
                     std::vector<store::KvWrite>& batch);
    void mark_read(const std::string& peer);
    void update_draft(const std::string& peer, std::string text);

    // [SECTION] sending
    void send_text(const std::string& peer, const std::string& text);
    void retry_message(const std::string& peer, const std::string& message_id);
    void pump_outbox();
    void send_next(const std::string& outbox_key);
    void on_sent(const std::string& outbox_key, Result<net::PairReceipt> result);
    void set_delivery(const std::string& peer, const std::string& message_id, DeliveryState state,
                      std::string failure_text);

    // [SECTION] receiving
    void on_items(std::vector<net::RetrievedItem> items);
    void on_poll_report(const net::PollReport& report);

    // [SECTION] plumbing
    void persist(std::vector<store::KvWrite> batch);
    void changed() { ++version_; }
    void set_network_state(Connectivity state, std::string text);
    std::vector<std::string> current_path() const;  // the first path's nodes, for the view
    std::string account_prefix() const;

    Loop& loop_;
    const Clock& clock_;
    net::Transport& transport_;
    store::KvStore& store_;
    ClientConfig config_;

    AppView view_;
    std::uint64_t version_ = 1;
    std::uint64_t built_version_ = 0;

    // Onboarding: the identity being created or restored, not stored until a name is chosen.
    std::optional<crypto::Identity> pending_;
    std::optional<crypto::Identity> identity_;
    std::string display_name_;

    std::map<std::string, std::unique_ptr<Conversation>> conversations_;
    std::string open_peer_;
    std::optional<Problem> new_conversation_problem_;
    std::optional<Problem> banner_;

    // Outbox, keyed by its storage key (sorted: oldest first).
    std::map<std::string, std::unique_ptr<OutboxEntry>> outbox_;
    bool sending_ = false;
    TimerId retry_timer_ = 0;
    std::chrono::milliseconds retry_delay_{0};
    std::uint64_t last_sent_ms_ = 0;

    std::unique_ptr<net::Network> network_;
    std::unique_ptr<KvPollStateStore> poll_state_;
    std::unique_ptr<net::Sender> sender_;
    std::unique_ptr<net::Poller> poller_;
    bool foreground_ = true;

    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
