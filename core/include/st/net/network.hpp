// The network core the app drives: node pool, onion router, swarm cache and network clock wired
// together, and RPCs to an account's swarm with the protocol's recovery rules (protocol.md §5.7,
// §5.9, §6.8, §7.3):
//   421 wrong swarm      replace the cached swarm with the one in the answer, retry on it at once
//   406/425 clock        resync the clock offset with `info` from three nodes (median),
//                        rebuild the request, retry once;
//                        a member that still disagrees has the wrong clock: another member
//   node failure         strike the node, drop it from the swarm, retry on another member
//   no answer            (path or member silent) another member through another path at once
//   400/401/403/404/410  give up: the request itself is wrong
// Requests are built by a factory called with the network time of each attempt, so signatures and
// timestamps are fresh after a resync.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/ons.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network_clock.hpp"
#include "st/net/node_pool.hpp"
#include "st/net/pool_store.hpp"
#include "st/net/router.hpp"
#include "st/net/swarm.hpp"
#include "st/net/transport.hpp"
#include "st/rpc/requests.hpp"

namespace st::net {

inline constexpr std::string_view kNoSwarm = "swarm.unknown";  // no member of the swarm is known
// The nodes asked for their lists did not agree on enough nodes: the pool was kept as it was.
inline constexpr std::string_view kPoolNotAgreed = "pool.not_agreed";

// ONS lookups (resolve_ons): session-desktop asks this many random nodes and accepts a name only
// when every one of them answers the same Session ID (ts/session/apis/snode_api/onsResolve.ts,
// validationCount = 3). A node that fails to answer is replaced by another, up to this many times.
inline constexpr std::size_t kOnsValidationCount = 3;
inline constexpr std::size_t kOnsSpareNodes = 3;

struct NetworkConfig {
    PoolConfig pool;
    RouterConfig router;
    int rpc_attempts = 3;  // swarm members tried per request (a handled 421 counts as one)
    // Attempts that got no answer (a silent member or a broken path: nothing says which), counted
    // apart, so a path that must be replaced does not use up the members' attempts.
    int unanswered_attempts = 5;
    // Fetch a swarm again when fewer cached members than this remain (desktop: 3).
    std::size_t min_swarm_members = 3;
    Random* random = nullptr;  // nullptr: system_random()
};

struct RpcReply {
    rpc::ServiceNode node;  // the swarm member that answered
    int status = 0;         // 2xx
    std::string body;       // the RPC answer (JSON text)
};

// Builds the request for an attempt at network time `now_ms`.
using RequestFactory = std::function<Result<rpc::Request>(std::int64_t now_ms)>;

class Network {
public:
    // Everything referenced must outlive the Network; destroying it abandons pending requests
    // (their callbacks are not invoked).
    Network(Loop& loop, const Clock& clock, Transport& transport,
            std::shared_ptr<const NodeAddressing> addressing, NetworkConfig config);
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // An RPC to some member of `owner`'s swarm. Success: a 2xx answer. Errors: the rpc::status
    // codes (rpc::kBadRequest, rpc::kClockOutOfSync, ...), the router's, kNoSwarm.
    void swarm_request(const crypto::SessionId& owner, RequestFactory make,
                       Callback<RpcReply> done);
    // The same to one given member (polling asks specific nodes). A 421 updates the cached swarm
    // and fails with rpc::kWrongSwarm; a 406 resyncs and retries once; an unanswered request
    // fails with kNoAnswer; no other member is tried.
    void node_request(const crypto::SessionId& owner, const rpc::ServiceNode& node,
                      RequestFactory make, Callback<RpcReply> done);

    // The members of `owner`'s swarm: cached, computed from the pool's swarm ids, or asked with
    // get_swarm through a path. Errors: kNoSwarm, the pool's and router's.
    void swarm_for(const crypto::SessionId& owner, Callback<std::vector<rpc::ServiceNode>> done);

    // A 421 from `node` for `owner` (§5.7): its body names the right swarm, which replaces the
    // cache; without one, `node` is only removed from the cached swarm.
    void wrong_swarm(const crypto::SessionId& owner, const rpc::ServiceNode& node,
                     std::string_view body);

    // Resolves an ONS name to a Session ID (protocol.md §5.4.11; st/crypto/ons.hpp): the name is
    // checked and lower-cased, then kOnsValidationCount random nodes are asked `oxend_request`
    // `ons_resolve` (inside a one-request batch, as desktop sends it) through onion paths, and
    // every answer is decrypted. A node that fails (no answer, an error status, an answer that
    // does not parse or decrypt) is struck and replaced by another. Success: all answered the
    // same Session ID. Errors: crypto::kOnsInvalidName (a name the clients do not allow: nothing
    // is sent), crypto::kOnsNotFound (all say the name is not registered; message
    // crypto::kOnsNotFoundMessage), crypto::kOnsDisagreement (the nodes' answers differ),
    // crypto::kOnsBadAnswer, the pool's, router's and rpc::status errors (not enough answers).
    void resolve_ons(std::string_view name, Callback<crypto::SessionId> done);

    // [SECTION] The node pool between sessions (network_pool.cpp; protocol §5.8, §6.7)
    // Starts from what `store` kept (nodes and guards): no seed is asked while it holds enough
    // nodes. A kept list older than PoolConfig::refresh_interval, or none, is refreshed in the
    // background; from then on the pool is refreshed every refresh_interval and saved after each
    // refresh and whenever the guards change (save_pool). `store` must outlive the Network.
    void restore_pool(PoolStore& store, Callback<> done);
    // Asks PoolConfig::refresh_sources random nodes for their service-node lists through onion
    // paths and keeps the nodes all of them name (at least min_agreed, else the pool is left
    // as it is and the result is pool.not_agreed). A pool below PoolConfig::min_nodes asks the
    // seeds instead.
    void refresh_pool(Callback<> done);
    // Saves the pool and the current guards (if a store was given and they changed).
    void save_pool();

    // Asks three random nodes for `info` and restarts the clock offset from the median of their
    // times (one node with a wrong clock cannot move ours).
    void resync_clock(Callback<> done);
    // Network-adjusted time (ms since epoch) to put in requests and messages.
    std::int64_t now_ms() const { return clock_.now_ms(); }

    Loop& loop() { return loop_; }
    NodePool& pool() { return pool_; }
    OnionRouter& router() { return router_; }
    SwarmCache& swarms() { return swarms_; }
    NetworkClock& clock() { return clock_; }
    Random& random() { return random_; }

private:
    struct Call;
    void start(const std::shared_ptr<Call>& call);
    void send(const std::shared_ptr<Call>& call, const rpc::ServiceNode& node);
    void on_reply(const std::shared_ptr<Call>& call, const rpc::ServiceNode& node,
                  Result<onion::SnodeReply> reply);
    void next_attempt(const std::shared_ptr<Call>& call, Error why);
    void finish(const std::shared_ptr<Call>& call, Result<RpcReply> result);
    void fetch_swarm(const crypto::SessionId& owner, int attempt);
    void swarm_fetched(const std::string& account, Result<std::vector<rpc::ServiceNode>> result);
    void resync_attempt(int attempt);
    void resync_done(Result<void> result);
    struct OnsLookup;
    void ons_ask(const std::shared_ptr<OnsLookup>& lookup);
    void ons_reply(const std::shared_ptr<OnsLookup>& lookup, const rpc::ServiceNode& node,
                   Result<onion::SnodeReply> reply);
    void ons_conclude(const std::shared_ptr<OnsLookup>& lookup);
    void schedule_pool_refresh(std::chrono::milliseconds after);

    Loop& loop_;
    Random& random_;
    NetworkConfig config_;
    NodePool pool_;
    OnionRouter router_;
    SwarmCache swarms_;
    NetworkClock clock_;
    std::map<std::string, std::vector<Callback<std::vector<rpc::ServiceNode>>>> swarm_waiters_;
    std::map<std::string, std::size_t> swarm_sizes_;  // members when last fetched
    std::vector<Callback<>> resync_waiters_;
    PoolStore* pool_store_ = nullptr;
    std::int64_t pool_refreshed_ms_ = 0;  // wall clock of the last list fetched or agreed
    std::vector<crypto::Ed25519PublicKey> saved_guards_;
    std::size_t saved_nodes_ = 0;
    std::int64_t saved_refreshed_ms_ = 0;
    TimerId pool_timer_ = 0;
    bool pool_refreshing_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::net
