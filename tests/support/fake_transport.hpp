// A scripted st::net::Transport for component tests: no sockets, no real time. Requests are
// routed by URL prefix to handlers that decide the answer — an HTTP response, a transport error,
// silence (a node that never answers), any of them after a simulated latency. Answers are
// delivered from the Loop like a real transport's, never inline.
//
//   FakeTransport t(loop);
//   t.route("http://10.0.0.1:22021/", [](const net::HttpRequest& r) {
//       return FakeTransport::Reply::http(200, "{}");
//   });
//   t.route("http://10.0.0.2:22021/", [](auto&) { return FakeTransport::Reply::hang(); });
//   // unrouted URLs fail with net.unreachable (see set_fallback)
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/loop.hpp"
#include "st/net/transport.hpp"

namespace st::test {

class FakeTransport final : public net::Transport {
public:
    struct Reply {
        enum class Kind { response, error, hang };
        Kind kind = Kind::response;
        net::HttpResponse response;
        Error error;
        std::chrono::milliseconds delay{0};

        static Reply http(int status, std::string_view body = {});
        static Reply http(int status, Bytes body);
        // A transport failure, e.g. error(net::kUnreachable).
        static Reply fail_with(std::string_view code, std::string message = "scripted failure");
        // No answer until the request is cancelled (or forever).
        static Reply hang();
        // The same reply after a simulated network latency.
        Reply after(std::chrono::milliseconds latency) &&;
    };
    using Handler = std::function<Reply(const net::HttpRequest&)>;

    explicit FakeTransport(Loop& loop);

    // Requests whose URL starts with `prefix` go to `handler`; the longest matching prefix wins.
    void route(std::string prefix, Handler handler);
    void unroute(const std::string& prefix);
    // For URLs no route matches (default: net.unreachable).
    void set_fallback(Handler handler) { fallback_ = std::move(handler); }

    // Every request sent, in order (bodies included).
    const std::vector<net::HttpRequest>& sent() const { return sent_; }
    std::size_t count(std::string_view url_prefix) const;
    // Requests that have not been answered yet (hanging or delayed).
    std::size_t in_flight() const { return pending_.size(); }
    std::size_t cancelled() const { return cancelled_; }

    net::RequestId send(net::HttpRequest request, Callback<net::HttpResponse> done) override;
    void cancel(net::RequestId id) override;

private:
    struct Pending {
        Callback<net::HttpResponse> done;
        TimerId timer = 0;
    };
    void deliver(net::RequestId id, Result<net::HttpResponse> result);

    Loop& loop_;
    std::map<std::string, Handler> routes_;
    Handler fallback_;
    std::vector<net::HttpRequest> sent_;
    std::map<net::RequestId, Pending> pending_;
    net::RequestId next_id_ = 1;
    std::size_t cancelled_ = 0;
};

}  // namespace st::test
