// The network machinery session-cli's network commands share (commands_network.cpp: send, poll,
// ons resolve, delete-all; commands_config.cpp: config push/pull): one st::net::Network over the
// native Asio transport, pumped on this thread until an answer arrives, and the way failures are
// reported (exit 1 for the network, exit 2 for a seed that does not answer).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "args.hpp"
#include "asio_transport.hpp"
#include "commands.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network.hpp"
#include "st/rpc/status.hpp"

namespace st::cli {

// Longest a command waits for the network beyond --wait: the core's own timeouts and retries
// (3 paths × 10 s per request, a few members) end well before this.
inline constexpr std::chrono::seconds kNetworkLimit{120};

// A network failure after the core's retries: exit 1, one line on stderr.
struct NetworkError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline std::string describe(const Error& e) { return std::string(e.code) + ": " + e.message; }

// Failures of the way there (paths, nodes, swarms, the clock), not refusals of the request.
inline bool worth_retrying(const Error& e) {
    const std::string_view code = e.code;
    for (std::string_view prefix : {"path.", "swarm.", "net.", "pool."})
        if (code.substr(0, prefix.size()) == prefix) return true;
    return code == rpc::kClockOutOfSync;
}

// One network session: the io_context and the core's Loop pumped together on this thread.
struct Session {
    SystemClock clock;
    Loop loop{clock};
    boost::asio::io_context io;
    tools::AsioTransport transport{io, loop};
    std::unique_ptr<net::Network> network;

    explicit Session(const std::string& seed_url) {
        net::NetworkConfig config;
        config.pool.seed_urls = {seed_url};
        // The devnet is all loopback: hops count as distinct by key (the default policy), and a
        // small network may have fewer nodes than the pool's usual minimum.
        config.router.diversity = net::PathDiversity::subnet24_except_loopback;
        // Nodes are reached the way the seed is: an https seed (the live network, `devnet --tls`)
        // means nodes serving HTTPS with self-signed certificates, which the transport accepts
        // without verification (a node is proven by its onion layer, protocol.md §5.1).
        const bool https = seed_url.rfind("https://", 0) == 0;
        network = std::make_unique<net::Network>(loop, clock, transport,
                                                 std::make_shared<net::UrlTemplateAddressing>(
                                                     net::UrlTemplateAddressing::direct(
                                                         https ? "https" : "http")),
                                                 config);
    }

    // Runs until `done` holds; false if `limit` passed first.
    bool run(const std::function<bool()>& done, std::chrono::milliseconds limit) {
        return tools::run_host_loop(io, loop, done, limit);
    }

    template <class T>
    Result<T> wait(const std::function<void(Callback<T>)>& start,
                   std::chrono::milliseconds limit = kNetworkLimit) {
        std::optional<Result<T>> out;
        start([&out](Result<T> r) { out.emplace(std::move(r)); });
        if (!run([&out] { return out.has_value(); }, limit))
            return fail("cli.timeout", "no answer from the network in time");
        return std::move(*out);
    }

    // Like wait(), but a failure of the way there (worth_retrying) is tried again, up to `tries`
    // times in all: the later tries use what the first taught the core (struck nodes, rebuilt
    // paths). Only for requests that may be repeated (idempotent, or the same bytes).
    template <class T>
    Result<T> wait_retrying(const std::function<void(Callback<T>)>& start, int tries = 3) {
        Result<T> r = fail("cli.not_sent", "not sent");
        for (int attempt = 0; attempt < tries; ++attempt) {
            r = wait<T>(start);
            if (r || !worth_retrying(r.error())) break;
        }
        return r;
    }

    // Fetches the node list from the seed; a seed that does not answer is bad input (exit 2).
    void bootstrap(const std::string& seed_url) {
        auto r = wait<void>([this](Callback<> done) { network->pool().refresh(std::move(done)); },
                            std::chrono::seconds(30));
        if (!r) throw InputError("seed " + seed_url + " did not answer: " + describe(r.error()));
    }
};

// --network SEED_URL, checked.
inline std::string seed_url_of(const Args& args) {
    auto url = args.require("network");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw UsageError("--network must be an http:// or https:// URL, got '" + url + "'");
    return url;
}

}  // namespace st::cli
