// A minimal HTTP/1.1 server and client on Boost.Beast, for one single-threaded io_context.
//
// HttpListener accepts on 127.0.0.1 and hands each request to a handler together with a
// `respond` callback that may be called later (after relaying, timers...). One request is served
// at a time per connection; keep-alive is honoured. Bodies over 10 MiB get 413, as on a real node.
// With a TLS context (set_tls, `devnet --tls`) it serves HTTPS instead, on the same port.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace devnet {

inline constexpr std::size_t kMaxRequestBody = 10 * 1024 * 1024;

struct HttpRequest {
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased

    std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain";
    std::string body;
    bool close = false;  // close the connection after sending
};

using Respond = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest, Respond)>;

class HttpListener {
public:
    HttpListener(boost::asio::io_context& io, HttpHandler handler);
    ~HttpListener();
    HttpListener(const HttpListener&) = delete;
    HttpListener& operator=(const HttpListener&) = delete;

    // Serves HTTPS with `tls` from the next start() on (nullptr: plain HTTP, the default). A
    // client has 30 s to complete the handshake.
    void set_tls(std::shared_ptr<boost::asio::ssl::context> tls);
    bool tls() const;

    // Binds 127.0.0.1:port (0 picks a free port) and starts accepting. Throws on failure.
    void start(std::uint16_t port);
    // Closes the acceptor and every open connection; pending responses are dropped.
    void stop();
    bool running() const;
    std::uint16_t port() const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

// One HTTP POST from inside the loop (used by an exit node to reach a server). `callback` gets
// the status and body, or nullopt status with an error text (connection failure or timeout, the
// latter flagged by `timed_out`).
struct HttpClientResult {
    std::optional<int> status;
    std::string body;
    bool timed_out = false;
};
void http_post(boost::asio::io_context& io, std::string host, std::uint16_t port,
               std::string target, std::string body, std::chrono::milliseconds timeout,
               std::function<void(HttpClientResult)> callback);

}  // namespace devnet
