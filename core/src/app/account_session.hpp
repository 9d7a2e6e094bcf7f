// Private to core/src/app: one account while it is open — its identity, its network stack
// (Network, Sender, Poller) and its rooms:
//   Contacts          who they are to us (approved, blocked, names)        contacts.hpp
//   ConversationList  previews, unread, drafts, typing                     conversation_list.hpp
//   MessageStore      message records; the open conversation's window      message_store.hpp
//   Outbox            what is still to be sent                             outbox.hpp
//   Incoming          one handler per kind of message received             incoming.cpp
//   ConfigSync        the user configs shared with our other devices       config_sync.hpp
// The Client (client.hpp) owns at most one and forwards the account's intents to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config_sync.hpp"
#include "contacts.hpp"
#include "kv_pool_store.hpp"
#include "conversation_list.hpp"
#include "message_store.hpp"
#include "outbox.hpp"
#include "records.hpp"
#include "st/app/client.hpp"
#include "st/app/kv_poll_state.hpp"
#include "st/net/network.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/net/swarm_admin.hpp"
#include "writer.hpp"

namespace st::app {

// Their "typing…" shows at most this long without news (protocol §8.5: STARTED is stored for 20 s,
// and a tab that closed never sends STOPPED).
inline constexpr std::int64_t kTypingShownMs = 20 * 1000;
// How long a restored account waits for its profile from the swarm before asking for a name when
// no swarm member answered (the official apps wait about as long on "Loading your account").
inline constexpr std::chrono::milliseconds kProfileSearchLimit{15000};

// What the Client lends an account.
struct AccountEnv {
    Loop& loop;
    const Clock& clock;
    net::Transport& transport;
    store::KvStore& store;
    const ClientConfig& config;
    std::function<void()> changed;                // the view changed
    std::function<void(Problem)> banner;          // an app-wide problem to show
    std::function<void(std::string_view code_prefix)> clear_banner;  // the problem went away
    // Clear device: the Client ends this session and erases every stored byte of the account.
    std::function<void()> wipe;
    // Another Client (tab) holds this account's lease (account_leases.hpp): this session reads
    // what is stored and shows it, but never polls, sends or starts timers that send; its store
    // makes no writes. The Client reads it again after every change the holder announces.
    bool follower = false;
};

class AccountSession {
public:
    AccountSession(AccountEnv env, crypto::Identity identity, std::int64_t created_ms, std::string display_name);
    ~AccountSession();

    // Reads the account's settings, contacts, conversations and outbox, then starts the network.
    // `loaded` runs once everything stored is in memory.
    void start(std::function<void()> loaded);

    const crypto::Identity& identity() const { return identity_; }
    const std::string& display_name() const { return display_name_; }
    // A restored account until its name is known: from our profile config in the swarm, or, if
    // there is none, from the person (Client::choose_display_name).
    bool awaiting_name() const { return display_name_.empty(); }
    // Our configs have been looked for in the swarm (one poll answered, or it took too long).
    bool profile_search_done() const { return profile_search_done_; }
    bool follower() const { return env_.follower; }
    // Unread incoming messages over every conversation and request (the account switcher's badge).
    std::uint32_t unread_total() const;
    // The conversation on screen ("" if none).
    const std::string& open_peer() const { return messages_.open_peer(); }
    bool open_loading() const { return messages_.loading(); }
    void set_foreground(bool foreground);
    void fill_view(AppView& view);

    // [SECTION] Intents (client.cpp forwards them)
    void start_conversation(const std::string& typed, std::function<void(std::optional<Problem>)> done);
    void open_conversation(const std::string& peer);
    // A "Try it now" account's phrase was saved: the reminder goes (for good: it is stored).
    void phrase_saved();
    // A "Try it now" account just made: the reminder shows from the first frame, before the
    // stored settings (which say the same) are read.
    void phrase_unsaved_from_start() { settings_.phrase_unsaved = true; }
    // A conversation or message request with `peer` is held (a link opens it rather than offering
    // to start one).
    bool has_conversation(const std::string& peer) const;
    void close_conversation();
    void load_older(const std::string& peer);
    void update_draft(const std::string& peer, std::string text);
    void send_text(const std::string& peer, const std::string& text);
    void retry_message(const std::string& peer, const std::string& id);
    void mark_read(const std::string& peer);
    void accept_request(const std::string& peer);
    void decline_request(const std::string& peer);
    void clear_all_requests();
    void block(const std::string& peer);
    void unblock(const std::string& peer);
    void set_nickname(const std::string& peer, const std::string& nickname);
    std::optional<Problem> set_display_name(const std::string& typed);
    void set_typing_indicators(bool on);
    void set_read_receipts(bool on);
    std::uint32_t lock_after_minutes() const { return settings_.lock_after_minutes; }
    void set_lock_after(std::uint32_t minutes);
    void reveal_phrase();
    void hide_phrase();
    // Deletion and disappearing messages (deletion.cpp; protocol §8.2, §8.3).
    void set_disappearing(const std::string& peer, DisappearingMode mode, std::uint32_t seconds);
    void delete_for_everyone(const std::string& peer, const std::string& id);
    void delete_for_me(const std::string& peer, const std::string& id);
    void delete_conversation(const std::string& peer);
    // delete_all in our swarm, every member's signed answer checked; the device is wiped (through
    // AccountEnv::wipe) only when every member confirmed.
    void clear_device_and_network();
    void dismiss_clear_network();
    // Stops the network and the outbox for good: the account is about to be erased.
    void shut_down();

    // The handlers of received messages work on the rooms directly (incoming.cpp).
    friend class Incoming;

private:
    void load_configs_then_start_network();
    void start_network();
    void update_poll_pace();
    void on_items(std::vector<net::RetrievedItem> items);
    // [SECTION] deletion.cpp
    // Erases every message whose time is up (the expiry index, oldest first), fixes what showed
    // them (previews, unread counts, unsent entries), then waits for the next one. `done` runs
    // once storage is consistent again.
    void sweep_expired(std::function<void()> done = {});
    void schedule_expiry(std::int64_t at_ms);
    // Removes a message here: record, expiry entry, unsent outbox entry, unread mark; the preview
    // is fixed afterwards (refresh_preview).
    void forget_message(const std::string& peer, const MessageView& m, std::vector<store::KvWrite>& batch);
    // The conversation's preview from its newest stored message.
    void refresh_preview(const std::string& peer, std::function<void()> done = {});
    // The after-read timers of these messages of theirs start now (they were just read).
    void start_read_timers(const std::string& peer, const std::vector<std::uint64_t>& sent_timestamps);
    void queue_swarm_delete(std::vector<std::string> hashes);
    void queue_swarm_expire(std::vector<std::string> hashes, std::int64_t expires_ms);
    void finish_clear_network(Result<net::SwarmReport> report);
    void on_poll_report(const net::PollReport& report);
    // [SECTION] config_apply.cpp
    void apply_configs(const ConfigSync::Merged& merged);
    // Copies local changes (display name, contacts, disappearing settings) into the configs.
    void sync_to_config();
    void note_read_in_config(const std::string& peer, const std::vector<std::uint64_t>& read);
    // The last-read time another device of ours stored for this conversation (0: none).
    std::int64_t last_read_elsewhere(const std::string& peer) const;
    void seed_configs();
    void send_entry(const records::OutboxEntry& entry, Callback<std::string> done);
    void queue_durably(const std::string& peer, MessageView message, std::vector<store::KvWrite> batch,
                       std::vector<records::OutboxEntry> entries);
    void write_then_queue(std::vector<store::KvWrite> batch, std::vector<records::OutboxEntry> entries,
                          Callback<> then = {});
    void accept(const std::string& peer, std::vector<store::KvWrite>& batch,
                std::vector<records::OutboxEntry>& to_send);
    void decline(const std::string& peer);
    void queue_read_receipt(const std::string& peer, std::vector<std::uint64_t> timestamps);
    void send_typing(const std::string& peer, bool started);
    void schedule_typing_expiry(std::int64_t until_ms);
    std::optional<Problem> check_name(const std::string& name) const;
    bool may_send_receipts_to(const std::string& peer) const;
    bool may_send_typing_to(const std::string& peer) const;
    std::uint64_t next_sent_ms();
    std::int64_t now_ms() const;
    proto::Profile profile() const;
    void save_settings();
    void set_network_state(Connectivity state, std::string text);
    std::vector<std::string> current_path() const;
    bool is_request(const std::string& peer) const;

    AccountEnv env_;
    crypto::Identity identity_;
    std::string me_;  // our Session ID, hex
    std::int64_t created_ms_ = 0;
    std::string display_name_;
    records::Keys keys_;
    records::Settings settings_;

    Writer writer_;
    Contacts contacts_;
    ConversationList conversations_;
    MessageStore messages_;
    Outbox outbox_;
    ConfigSync config_;
    bool profile_search_done_ = false;
    TimerId profile_search_timer_ = 0;

    std::unique_ptr<net::Network> network_;
    std::unique_ptr<KvPollStateStore> poll_state_;
    std::unique_ptr<KvPoolStore> pool_store_;
    std::unique_ptr<net::Sender> sender_;
    std::unique_ptr<net::Poller> poller_;
    std::unique_ptr<net::SwarmAdmin> swarm_admin_;
    TimerId expiry_timer_ = 0;
    std::int64_t expiry_at_ = 0;
    bool sweeping_ = false;
    bool sweep_again_ = false;
    ClearNetworkView clear_network_;
    bool shut_down_ = false;
    bool foreground_ = true;
    bool loaded_ = false;

    Connectivity connectivity_ = Connectivity::Connecting;
    std::string status_text_ = "Connecting to the network";
    std::vector<std::string> shown_path_;

    std::uint64_t last_sent_ms_ = 0;
    std::string phrase_shown_;  // Settings → recovery phrase, while revealed

    // Typing we announce: to whom, when STARTED last went, when the draft last changed.
    struct TypingOut {
        std::string peer;
        std::int64_t started_ms = 0;
        std::int64_t last_change_ms = 0;
        TimerId stop_timer = 0;
    };
    TypingOut typing_out_;
    TimerId typing_expiry_timer_ = 0;
    std::int64_t typing_expiry_at_ = 0;

    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
