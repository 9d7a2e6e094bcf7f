// Keeps the relay's node list fresh: fetched from the seeds at start (retried with back-off until
// it works), then refreshed every Config::refresh, and early when a page names a key the list
// lacks (a node that joined since the last fetch; at most once per 30 s, so unknown keys cannot
// make the relay hammer the seeds). Each fetch tries the seeds in a random order and falls back
// to the next one when one fails (connect, TLS or pin, HTTP status, unreadable list), as Session
// Desktop does (ts/session/apis/seed_node_api/SeedNodeAPI.ts).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "relay/node_list.hpp"
#include "relay/options.hpp"
#include "relay/upstream.hpp"

namespace st::relay {

class NodeDirectory {
public:
    NodeDirectory(boost::asio::io_context& ioc, UpstreamClient& upstream, const Config& config);

    void start();
    void stop();

    const Node* find(std::string_view ed25519_hex) const { return list_.find(ed25519_hex); }
    std::size_t size() const { return list_.size(); }

    // The seed whose list the relay holds (the first one given until a fetch worked).
    const Seed& current_seed() const { return config_.seeds[current_]; }

    // A page named a key the list lacks: maybe the node joined since the last fetch. Returns
    // false when no fetch will come now (an early one started less than 30 s ago): the key is
    // unknown. Otherwise `done` runs once the fetch in flight (started now, or already running)
    // has ended, whether it worked or not; then look the key up again. Concurrent misses share
    // one fetch.
    bool refresh_for_unknown(std::function<void()> done);

    // Sends a page's get_n_service_nodes body to the seeds: the current seed first, then the
    // others in a random order, moving on only when a seed cannot be reached or its TLS fails (an
    // HTTP answer, whatever its status, is the seed's and passed back). `done` gets that answer,
    // or the last seed's error.
    void post_to_seeds(std::string body, std::function<void(Result<UpstreamResponse>)> done);

private:
    void fetch();
    void try_seed(std::size_t attempt);
    void on_answer(std::size_t seed, std::size_t attempt, Result<UpstreamResponse> answer);
    void end_fetch();
    void schedule(std::chrono::milliseconds delay);
    UpstreamRequest seed_request(const Seed& seed, std::string body) const;
    std::vector<std::size_t> random_order(std::optional<std::size_t> first);
    void post_from(std::shared_ptr<std::vector<std::size_t>> order, std::size_t attempt,
                   std::string body, std::function<void(Result<UpstreamResponse>)> done);

    boost::asio::steady_timer timer_;
    UpstreamClient& upstream_;
    const Config& config_;
    NodeList list_;
    std::mt19937 random_;
    std::size_t current_ = 0;            // index in config_.seeds
    std::vector<std::size_t> order_;     // the seeds of the fetch in flight, in trying order
    std::string last_problem_;           // why the last seed of the fetch failed
    std::vector<std::function<void()>> waiters_;  // refresh_for_unknown callers
    bool stopped_ = false;
    bool in_flight_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_early_;
    std::chrono::milliseconds retry_delay_{1000};
};

}  // namespace st::relay
