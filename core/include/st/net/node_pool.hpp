// The pool of known service nodes (protocol.md §5.8) with failure counts: the candidates for
// guards, path hops and (when the list carries swarm ids) swarm membership. The list comes from a
// seed node's get_n_service_nodes, or from the host (a persisted snapshot, a test).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "st/base/error.hpp"
#include "st/base/loop.hpp"
#include "st/net/random.hpp"
#include "st/net/transport.hpp"
#include "st/rpc/node.hpp"

namespace st::net {

inline constexpr std::string_view kSeedFailed = "pool.seed_failed";  // no seed gave a usable list
inline constexpr std::string_view kNoSeeds = "pool.no_seeds";        // nothing known, no seed URL

struct PoolConfig {
    // Seed URLs, tried in random order until one answers (§5.8). A URL with a path is POSTed to
    // as is (the devnet's "http://127.0.0.1:P/json_rpc", the relay's "<relay>/relay/seed"); one
    // without ("https://seed1.getsession.org:4443") gets "/json_rpc" appended.
    std::vector<std::string> seed_urls;
    std::chrono::milliseconds seed_timeout{5000};
    // Fetch from a seed when fewer nodes than this are known (desktop: 1 guard × 4 hops × 2)...
    std::size_t min_nodes = 8;
    // ...unless the last successful fetch is more recent than this: a small network (the devnet)
    // may simply have fewer nodes.
    std::chrono::milliseconds refetch_cooldown{std::chrono::minutes(10)};
    // When the last fetch did give min_nodes and the pool shrank below since (nodes dropped after
    // failures), the seeds are asked again once this has passed: a pool that ran dry must not wait
    // the full cooldown (desktop refetches whenever it holds fewer than 8).
    std::chrono::milliseconds shrunk_refetch_cooldown{std::chrono::seconds(10)};
    // A node is dropped after this many failures (desktop's snodeFailureThreshold).
    int failure_threshold = 3;
    // Refreshing from the nodes themselves (Network::refresh_pool; desktop: getServiceNodesList.ts,
    // snodePool.ts): this many random nodes are asked for their list through onion paths, and
    // only the nodes every answer names are kept — if at least `min_agreed` of them.
    std::size_t refresh_sources = 3;
    std::size_t min_agreed = 24;
    // A pool older than this (wall clock; a restored one too) is refreshed from the nodes.
    std::chrono::milliseconds refresh_interval{std::chrono::hours(1)};
};

class NodePool {
public:
    // Loop and transport must outlive the pool.
    NodePool(Loop& loop, Transport& transport, PoolConfig config, Random& random = system_random());
    ~NodePool();
    NodePool(const NodePool&) = delete;
    NodePool& operator=(const NodePool&) = delete;

    // Replaces the list (failure counts are kept for nodes that stay).
    void set_nodes(std::vector<rpc::ServiceNode> nodes);
    // A list kept from an earlier session (or agreed by nodes): used like one just fetched from a
    // seed, so no seed is asked while it holds enough nodes.
    void adopt(std::vector<rpc::ServiceNode> nodes);
    const std::vector<rpc::ServiceNode>& nodes() const { return nodes_; }
    std::size_t size() const { return nodes_.size(); }
    std::optional<rpc::ServiceNode> find(const crypto::Ed25519PublicKey& ed) const;
    bool contains(const crypto::Ed25519PublicKey& ed) const { return find(ed).has_value(); }
    // True when every node has a swarm id, so swarms can be computed locally (§5.9).
    bool has_swarm_ids() const;

    // Completes (from the loop) once at least min_nodes are known (or a fetch succeeded within
    // refetch_cooldown), fetching from a seed if needed. Concurrent callers share one fetch.
    // Errors: kNoSeeds, kSeedFailed (with the last seed's reason) — unless some nodes are known,
    // which is then good enough.
    void ensure(Callback<> done);
    // Fetches from a seed now, whatever the pool holds.
    void refresh(Callback<> done);

    // Counts failures; at the threshold the node is dropped. Returns true if it was dropped.
    bool strike(const crypto::Ed25519PublicKey& ed, int count = 1);
    // Clears the node's failures: it just took part in a request that was answered.
    void forgive(const crypto::Ed25519PublicKey& ed) { failures_.erase(ed); }
    void drop(const crypto::Ed25519PublicKey& ed);
    int failures(const crypto::Ed25519PublicKey& ed) const;

    Random& random() { return random_; }
    // Called whenever a node leaves the pool (dropped or struck out), so caches of swarms can
    // forget it too. One listener.
    void set_drop_listener(std::function<void(const crypto::Ed25519PublicKey&)> listener) {
        on_drop_ = std::move(listener);
    }

private:
    void fetch_from(std::size_t index, std::vector<std::string> order, std::string last_error);
    void finish_fetch(Result<void> result);

    Loop& loop_;
    Transport& transport_;
    PoolConfig config_;
    Random& random_;
    std::vector<rpc::ServiceNode> nodes_;
    std::map<crypto::Ed25519PublicKey, int> failures_;
    std::vector<Callback<>> waiting_;
    bool fetching_ = false;
    std::optional<std::chrono::milliseconds> last_fetch_;  // steady time of the last success
    std::size_t last_fetch_size_ = 0;                     // nodes that fetch gave
    std::function<void(const crypto::Ed25519PublicKey&)> on_drop_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::net
