// Private to core/src/app: the account's user configs (docs/config.md) — the encrypted, mergeable
// messages in our own swarm through which every device of the account (Session Tab, Session
// Desktop, the mobile apps) shares its profile, contacts and read state:
//   namespace 2  UserProfile         our display name (and avatar, Note-to-Self: kept, not used)
//   namespace 3  Contacts            approved, approved us, blocked, names, nicknames, disappearing
//   namespace 4  ConvoInfoVolatile   when each 1:1 conversation was last read
//   namespace 5  UserGroups          groups and communities: merged and kept, never changed here
// This room holds the four configs, their persisted state (one dump each) and the pushes in flight.
// What the configs mean for the other rooms (contacts, conversations, the display name) is
// AccountSession's work (config_apply.cpp): it applies merged configs to them and copies local
// changes back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "records.hpp"
#include "st/base/loop.hpp"
#include "st/config/contacts.hpp"
#include "st/config/convo_info_volatile.hpp"
#include "st/config/user_groups.hpp"
#include "st/config/user_profile.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

// Config messages live 30 days in the swarm, and every device extends the current ones while it
// runs (protocol §7.2: desktop on every poll; we do it at most every 6 hours, which keeps them far
// from expiring at a fraction of the requests).
inline constexpr std::int64_t kConfigTtlMs = 30LL * 24 * 3600 * 1000;
inline constexpr std::int64_t kConfigExtendEveryMs = 6LL * 3600 * 1000;
// Local changes are pushed this long after the last one, so a burst (accepting five requests)
// is one store per config.
inline constexpr std::chrono::milliseconds kConfigPushDelay{1000};
// A failed push is tried again after this (and on the next change).
inline constexpr std::chrono::milliseconds kConfigPushRetry{10000};

class ConfigSync {
public:
    // Which configs a merge changed.
    struct Merged {
        bool profile = false;
        bool contacts = false;
        bool read_state = false;
        bool any() const { return profile || contacts || read_state; }
    };
    // What a push needs from the account: the sender (to store in our own swarm), deleting
    // obsolete messages, the network clock, and persisting dumps.
    struct Env {
        Loop& loop;
        std::function<net::Sender*()> sender;  // null while the network is not running
        std::function<void(std::vector<std::string>)> delete_hashes;
        std::function<void(std::vector<std::string>, std::int64_t expires_ms)> extend_hashes;
        std::function<std::int64_t()> now_ms;
        std::function<void(std::vector<store::KvWrite>)> write;
    };

    ConfigSync(Env env, records::Keys keys);
    ~ConfigSync();

    // The configs from the account's seed and their stored dumps (a scan of keys.configs()). A
    // dump that cannot be read is dropped: the swarm still holds the config, and the namespaces
    // are read again from the start.
    void load(const crypto::Identity& identity, const std::vector<store::KvEntry>& dumps);
    bool loaded() const { return profile_.has_value(); }

    // Messages retrieved from namespaces 2–5 (others are ignored): merged, dumps saved.
    Merged merge(const std::vector<net::RetrievedItem>& items);

    config::UserProfile& profile() { return *profile_; }
    config::Contacts& contacts() { return *contacts_; }
    config::ConvoInfoVolatile& read_state() { return *read_state_; }
    const config::UserProfile& profile() const { return *profile_; }
    const config::Contacts& contacts() const { return *contacts_; }
    const config::ConvoInfoVolatile& read_state() const { return *read_state_; }

    // After local edits through the accessors above: saves the dumps and pushes (soon) what
    // changed.
    void changed();
    // Pushes whatever needs it now (the network just started, or a retry is due).
    void push_now();
    // After a poll that reached our swarm: extends the current configs' expiry when due.
    void polled();
    // Nothing is pushed until resume() (our swarm is being emptied, or the account erased).
    void pause();
    void resume();

private:
    template <class F>
    void for_each(F&& f);
    config::ConfigBase* by_namespace(rpc::Namespace ns);
    void save_dumps();
    void schedule_push(std::chrono::milliseconds delay);
    void push(config::ConfigBase& pushed);

    Env env_;
    records::Keys keys_;
    std::optional<config::UserProfile> profile_;
    std::optional<config::Contacts> contacts_;
    std::optional<config::ConvoInfoVolatile> read_state_;
    std::optional<config::UserGroups> groups_;
    std::optional<crypto::SessionId> own_id_;  // configs are stored in our own swarm
    std::set<rpc::Namespace> in_flight_;  // a push of this namespace awaits its answer
    // Obsolete hashes handed out by a push that has not been stored yet: deleted once one is.
    std::map<rpc::Namespace, std::vector<std::string>> obsolete_;
    TimerId push_timer_ = 0;
    std::int64_t extended_ms_ = 0;
    bool paused_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
