// AsioTransport: the native st::net::Transport for tools (session-cli, bench, tests): one HTTP/1.1
// request per connection over Boost.Beast, http:// or https:// (certificates are not verified:
// service nodes use self-signed certificates and are authenticated by the onion encryption, not
// by TLS — protocol.md §5.1). Single-threaded: the host drives both the io_context and the core's
// Loop from one thread (see HostLoop below); completions are posted onto the Loop, never run inline.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>

#include "st/base/loop.hpp"
#include "st/net/transport.hpp"

namespace boost::asio {
class io_context;
}

namespace st::tools {

class AsioTransport final : public net::Transport {
public:
    // `io` and `loop` must outlive the transport.
    AsioTransport(boost::asio::io_context& io, Loop& loop, std::size_t max_response_bytes = 16 << 20);
    ~AsioTransport() override;

    net::RequestId send(net::HttpRequest request, Callback<net::HttpResponse> done) override;
    void cancel(net::RequestId id) override;

    std::size_t in_flight() const { return calls_.size(); }

private:
    struct Call;
    void finish(net::RequestId id, Result<net::HttpResponse> result);

    boost::asio::io_context& io_;
    Loop& loop_;
    std::size_t max_response_bytes_;
    std::map<net::RequestId, std::shared_ptr<Call>> calls_;
    net::RequestId next_id_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Runs the io_context and the Loop together on this thread until `done()` holds or `limit` passes.
// Returns done(). Sleeps in the io_context (never busy-waits) until I/O or the next Loop timer.
bool run_host_loop(boost::asio::io_context& io, Loop& loop, const std::function<bool()>& done,
                   std::chrono::milliseconds limit);

}  // namespace st::tools
