// Polling our own swarm (protocol.md §7.1, §7.4, Appendix A "Receive"): every interval, a signed
// batch of `retrieve`s (one per namespace, each from that node's last_hash) to 2 random members
// of our swarm in parallel; their answers are merged by hash, anything already seen is dropped,
// and the new items go to the callback once. A member that fails to answer is replaced by another
// member in the same round. The next poll is scheduled after the previous one completes; an
// active conversation polls faster than an idle app.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/network.hpp"
#include "st/net/poll_state.hpp"
#include "st/rpc/requests.hpp"

namespace st::net {

// One retrieved message, as raw as the node gave it: the protocol layer decodes `data`.
struct RetrievedItem {
    std::string hash;
    std::string data;             // base64
    std::int64_t timestamp = 0;   // store time, ms
    std::int64_t expiration = 0;  // ms
    rpc::Namespace ns = 0;
};

struct PollerConfig {
    // Desktop's own-account namespaces: DMs, then the user configs.
    std::vector<rpc::Namespace> namespaces{0, 2, 3, 5, 4};
    std::chrono::milliseconds active_interval{5000};  // SWARM_POLLING_TIMEOUT.ACTIVE
    std::chrono::milliseconds idle_interval{30000};
    // A conversation is on screen and a reply is awaited: a host may poll faster (the devnet
    // tab: every second); the live network keeps desktop's 5 s.
    std::chrono::milliseconds conversation_interval{5000};
    std::size_t nodes_per_poll = 2;  // RETRIEVE_SNODES_COUNT
    // max_size per namespace (negative: a fraction of the node's limit); others use -8.
    std::map<rpc::Namespace, std::int64_t> max_size{{0, -2}};
    // Namespaces whose items are delivered again when a node returns them again (after a reset
    // of last_hash, or from a member polled for the first time), instead of being dropped by the
    // seen set: config messages (protocol §9), whose receiver keeps the current set itself and
    // must be able to re-read it from the start. Still at most once per poll.
    std::set<rpc::Namespace> redeliver{};
};

// What one poll did (for the UI's connection state and for tests).
struct PollReport {
    std::size_t nodes_asked = 0;
    std::size_t nodes_answered = 0;
    std::size_t new_items = 0;
    std::size_t duplicates = 0;  // dropped: already seen or returned twice
    bool more = false;           // a node had more than it returned: poll again soon
    std::vector<Error> errors;   // per node or per namespace
};

class Poller {
public:
    using ItemsHandler = std::function<void(std::vector<RetrievedItem>)>;

    // `network` and `state` must outlive the Poller. `on_items` gets each poll's new items (not
    // called when there are none), in node order per namespace.
    Poller(Network& network, crypto::Identity identity, PollStateStore& state, PollerConfig config,
           ItemsHandler on_items);
    ~Poller();
    Poller(const Poller&) = delete;
    Poller& operator=(const Poller&) = delete;

    // Polls now, then every interval until stop().
    void start();
    void stop();
    bool running() const { return running_; }
    // How often to poll: Idle (the tab is hidden) every idle_interval, Active every
    // active_interval, Conversation every conversation_interval. A faster pace takes effect at
    // once (a poll waiting for longer is brought forward); a slower one from the next poll.
    enum class Pace { Idle, Active, Conversation };
    void set_pace(Pace pace);
    void set_active(bool active) { set_pace(active ? Pace::Active : Pace::Idle); }
    Pace pace() const { return pace_; }
    // One poll now, whether or not the poller runs; `done` gets its report.
    void poll_once(Callback<PollReport> done);

    void on_report(std::function<void(const PollReport&)> handler) {
        on_report_ = std::move(handler);
    }

private:
    struct Round;
    void tick();
    void schedule_next(bool more);
    void ask(const std::shared_ptr<Round>& round, const rpc::ServiceNode& node);
    void merge(const std::shared_ptr<Round>& round);

    Network& network_;
    crypto::Identity identity_;
    PollStateStore& state_;
    PollerConfig config_;
    ItemsHandler on_items_;
    std::function<void(const PollReport&)> on_report_;
    bool running_ = false;
    Pace pace_ = Pace::Active;
    std::chrono::milliseconds interval() const;
    std::chrono::milliseconds last_end_{0};  // steady time the last poll ended (0: none yet)
    bool polling_ = false;
    int more_streak_ = 0;
    TimerId timer_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::net
