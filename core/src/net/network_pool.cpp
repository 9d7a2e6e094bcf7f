// Network: the node pool between sessions and its refresh from the nodes themselves — see
// network.hpp [SECTION] The node pool between sessions.
//
// Why from the nodes: the seeds are three fixed hosts; asking them at every start tells them (and
// whoever watches them) each time a client starts. Desktop asks seeds only when it knows fewer than
// 8 nodes and otherwise refreshes from 3 random nodes' `get_service_nodes`, keeping the nodes all
// three name (session-desktop ts/session/apis/snode_api/getServiceNodesList.ts, snodePool.ts): one
// lying node cannot add nodes of its choosing, only shrink the list.
#include <algorithm>
#include <set>

#include "guarded.hpp"
#include "st/net/network.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

using detail::guarded;

void Network::restore_pool(PoolStore& store, Callback<> done) {
    pool_store_ = &store;
    store.load(guarded(alive_, [this, done = std::move(done)](Result<std::optional<PoolSnapshot>> r) mutable {
        std::chrono::milliseconds next_refresh{0};
        if (r && *r && !(*r)->nodes.empty()) {
            auto& snapshot = **r;
            saved_nodes_ = snapshot.nodes.size();
            saved_guards_ = snapshot.guards;
            pool_refreshed_ms_ = snapshot.refreshed_ms;
            pool_.adopt(std::move(snapshot.nodes));
            router_.prefer_guards(std::move(snapshot.guards));
            const auto age = std::max<std::int64_t>(0, clock_.local_ms() - pool_refreshed_ms_);
            const auto interval = config_.pool.refresh_interval.count();
            next_refresh = std::chrono::milliseconds(age >= interval ? 0 : interval - age);
        } else {
            // Nothing kept: the first request fetches from a seed; refresh a full interval later.
            next_refresh = config_.pool.refresh_interval;
        }
        schedule_pool_refresh(next_refresh);
        done(Result<void>());
    }));
}

void Network::schedule_pool_refresh(std::chrono::milliseconds after) {
    if (pool_timer_) loop_.cancel(pool_timer_);
    pool_timer_ = loop_.post_after(after, guarded(alive_, [this] {
        pool_timer_ = 0;
        refresh_pool(guarded(alive_, [this](Result<void> r) {
            // Failed (offline, no agreement): try again sooner than a full interval.
            schedule_pool_refresh(r ? config_.pool.refresh_interval
                                    : std::min<std::chrono::milliseconds>(config_.pool.refresh_interval,
                                                                           std::chrono::minutes(5)));
        }));
    }));
}

void Network::refresh_pool(Callback<> done) {
    if (pool_refreshing_) {
        loop_.post([done = std::move(done)] { done(fail("pool.busy", "a refresh is already running")); });
        return;
    }
    if (pool_.size() < config_.pool.min_nodes) {
        pool_refreshing_ = true;
        pool_.refresh(guarded(alive_, [this, done = std::move(done)](Result<void> r) mutable {
            pool_refreshing_ = false;
            if (r) {
                pool_refreshed_ms_ = clock_.local_ms();
                save_pool();
            }
            done(std::move(r));
        }));
        return;
    }
    auto sources = pool_.nodes();
    random_.shuffle(sources);
    sources.resize(std::min(sources.size(), std::max<std::size_t>(config_.pool.refresh_sources, 1)));

    struct Ask {
        std::size_t pending = 0;
        std::vector<std::vector<rpc::ServiceNode>> lists;
        std::optional<Error> failure;
        Callback<> done;
    };
    auto ask = std::make_shared<Ask>();
    ask->pending = sources.size();
    ask->done = std::move(done);
    pool_refreshing_ = true;
    const auto request = rpc::get_service_nodes().to_json();
    for (const auto& node : sources) {
        router_.send_to_snode(
            node, request,
            guarded(alive_,
                    [this, ask, node](Result<onion::SnodeReply> reply) {
                        if (!reply) {
                            ask->failure = std::move(reply).error();
                        } else if (reply->status != 200) {
                            ask->failure = rpc::status_error(reply->status, reply->body);
                        } else if (auto list = rpc::parse_service_nodes(reply->body); !list) {
                            ask->failure = list.error();
                            pool_.strike(node.ed25519);
                        } else {
                            ask->lists.push_back(std::move(*list));
                        }
                        if (--ask->pending > 0) return;
                        pool_refreshing_ = false;
                        if (ask->failure) return ask->done(Unexpected<Error>(*ask->failure));
                        // The nodes every list names (compared by key), as the first list has them.
                        std::vector<rpc::ServiceNode> agreed;
                        for (const auto& n : ask->lists.front()) {
                            const bool everywhere = std::all_of(
                                ask->lists.begin() + 1, ask->lists.end(), [&](const auto& list) {
                                    return std::any_of(list.begin(), list.end(),
                                                       [&](const auto& m) { return m.ed25519 == n.ed25519; });
                                });
                            if (everywhere) agreed.push_back(n);
                        }
                        if (agreed.size() < config_.pool.min_agreed) {
                            return ask->done(fail(kPoolNotAgreed,
                                                  "the nodes asked agreed on " + std::to_string(agreed.size()) +
                                                      " service nodes; at least " +
                                                      std::to_string(config_.pool.min_agreed) + " are needed"));
                        }
                        pool_.adopt(std::move(agreed));
                        pool_refreshed_ms_ = clock_.local_ms();
                        save_pool();
                        ask->done(Result<void>());
                    }),
            SnodeSendOptions{});
    }
    if (sources.empty()) {
        pool_refreshing_ = false;
        loop_.post([ask] { ask->done(fail(kNoNodes, "no service node is known to ask")); });
    }
}

void Network::save_pool() {
    if (!pool_store_ || pool_.size() == 0) return;
    auto guards = router_.guards();
    if (guards.empty()) guards = saved_guards_;  // no path right now: keep the last ones
    if (pool_.size() == saved_nodes_ && guards == saved_guards_ && pool_refreshed_ms_ == saved_refreshed_ms_) return;
    saved_nodes_ = pool_.size();
    saved_guards_ = guards;
    saved_refreshed_ms_ = pool_refreshed_ms_;
    pool_store_->save(PoolSnapshot{pool_.nodes(), std::move(guards),
                                   pool_refreshed_ms_ ? pool_refreshed_ms_ : clock_.local_ms()});
}

}  // namespace st::net
