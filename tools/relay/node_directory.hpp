// Keeps the relay's node list fresh: fetched from the seed at start (retried with back-off until it
// works), then refreshed every Config::refresh, and early when a page names a key the list lacks
// (at most once per 30 s, so unknown keys cannot make the relay hammer the seed).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string_view>

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
    // A page asked for a key the list lacks: maybe the network changed since the last fetch.
    void refresh_soon();

private:
    void fetch();
    void on_answer(Result<UpstreamResponse> answer);
    void schedule(std::chrono::milliseconds delay);

    boost::asio::steady_timer timer_;
    UpstreamClient& upstream_;
    const Config& config_;
    NodeList list_;
    bool stopped_ = false;
    bool in_flight_ = false;
    std::chrono::steady_clock::time_point last_fetch_{};
    std::chrono::milliseconds retry_delay_{1000};
};

}  // namespace st::relay
