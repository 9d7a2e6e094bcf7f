// The relay's HTTP(S) client: one POST to a seed or a service node, with one deadline for the
// whole exchange (resolve, connect, TLS, write, read) and a bound on the response size.
// Single-threaded: everything runs on the io_context the client was built with.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "relay/url.hpp"
#include "st/base/error.hpp"

namespace st::relay {

// How the peer's TLS certificate is checked.
//   Nodes: not at all. Service nodes present self-signed certificates on raw IPs; a node's identity
//   is proven by the onion layer encrypted to its X25519 key, which only that node can open.
//   Seed: against the system's CAs and the host name, or — when the request names pins — by the
//   SHA-256 of the leaf certificate alone (the live seeds use long-lived self-signed certificates).
enum class TlsPeer { node, seed };

struct UpstreamRequest {
    Scheme scheme = Scheme::http;
    std::string host;  // IP literal or DNS name
    std::uint16_t port = 0;
    std::string target;  // "/onion_req/v2", "/json_rpc"
    std::string content_type;
    std::string body;
    std::chrono::milliseconds timeout{10000};
    std::size_t max_response = 16 * 1024 * 1024;
    TlsPeer peer = TlsPeer::node;
    // For an https seed: the certificate SHA-256s accepted (64 lowercase hex digits each, as
    // Config's Seed::pins); empty: system CAs and host name.
    std::vector<std::string> seed_pins;
};

struct UpstreamResponse {
    unsigned status = 0;
    std::string body;
};

// Error codes of UpstreamClient::post (the message adds the system's reason; never a body).
namespace upstream_error {
inline constexpr std::string_view timeout = "upstream.timeout";          // deadline passed
inline constexpr std::string_view unreachable = "upstream.unreachable";  // resolve/connect failed
inline constexpr std::string_view tls = "upstream.tls";  // handshake failed or certificate refused
inline constexpr std::string_view bad_response = "upstream.bad_response";  // closed/garbled
inline constexpr std::string_view too_large = "upstream.too_large";        // above max_response
// The answers being read at once, summed, would pass the client's answer budget.
inline constexpr std::string_view busy = "upstream.busy";
}  // namespace upstream_error

template <bool kTls>
class Pool;

// Bytes of answer bodies held by all calls in progress (their buffers' capacity), against a limit.
struct AnswerBudget {
    std::size_t limit = static_cast<std::size_t>(-1);
    std::size_t held = 0;
};

class UpstreamClient {
public:
    // `seed_pins`: SHA-256 fingerprints (64 hex digits, colons allowed) accepted from a seed whose
    // request names no pins of its own; the relay passes each seed's pins in its requests
    // (UpstreamRequest::seed_pins) and gives none here.
    // Errors: "upstream.bad_pin", "upstream.tls_setup".
    static Result<std::unique_ptr<UpstreamClient>> create(boost::asio::io_context& ioc,
                                                          std::vector<std::string> seed_pins = {});

    // Bounds the memory of answers being read, summed over every call in progress: a call whose
    // answer would pass it ends with upstream.busy. Each answer is also bounded on its own
    // (UpstreamRequest::max_response); this bounds many of them at once (hostile nodes sending
    // endless bodies to many requests).
    void set_answer_budget(std::size_t bytes) { budget_->limit = bytes; }
    std::size_t answer_bytes_held() const { return budget_->held; }

    // Sends `request`; `done` runs exactly once, from the io_context, never inline.
    void post(UpstreamRequest request, std::function<void(Result<UpstreamResponse>)> done);

    UpstreamClient(boost::asio::io_context& ioc, boost::asio::ssl::context node_tls,
                   boost::asio::ssl::context seed_tls, std::vector<std::string> seed_pins);
    ~UpstreamClient();

private:
    boost::asio::io_context& ioc_;
    boost::asio::ssl::context node_tls_;
    boost::asio::ssl::context seed_tls_;
    std::vector<std::string> seed_pins_;  // lowercase hex, no colons
    // Idle keep-alive connections to nodes (upstream.cpp).
    std::unique_ptr<Pool<false>> plain_pool_;
    std::unique_ptr<Pool<true>> tls_pool_;
    std::shared_ptr<AnswerBudget> budget_ = std::make_shared<AnswerBudget>();
};

}  // namespace st::relay
