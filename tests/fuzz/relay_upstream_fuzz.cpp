// The relay's HTTP client reading a node's answer (issue 11): a service node is not trusted, so
// any bytes it sends back — status lines, headers, chunked or sized bodies, early close — go
// through the relay's real UpstreamClient over a real loopback connection. The client must call
// back exactly once with an answer or a named error, never hang (the node closes after
// answering) and never accept more than its response limit.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relay/upstream.hpp"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::size_t kMaxResponse = 4096;
constexpr std::string_view kBody = "0123456789";  // what the relay posts

struct FakeNode {
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::address_v4::loopback(), 0)};
    std::unique_ptr<st::relay::UpstreamClient> client;
    std::string reply;  // the current input

    FakeNode() {
        auto c = st::relay::UpstreamClient::create(ioc);
        if (!c) std::abort();
        client = std::move(*c);
        accept();
    }

    // Each connection: read the relay's request (header and its 10-byte body), send the input,
    // close. A pooled connection the relay reuses is answered the same way.
    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (!ec) serve(std::make_shared<tcp::socket>(std::move(s)));
            accept();
        });
    }
    void serve(std::shared_ptr<tcp::socket> s) {
        auto got = std::make_shared<std::string>();
        auto buf = std::make_shared<std::vector<char>>(4096);
        auto step = std::make_shared<std::function<void()>>();
        *step = [this, s, got, buf, step] {
            s->async_read_some(net::buffer(*buf), [this, s, got, buf, step](
                                                      boost::system::error_code ec, std::size_t n) {
                if (ec) return;
                got->append(buf->data(), n);
                const auto end = got->find("\r\n\r\n");
                if (end == std::string::npos || got->size() < end + 4 + kBody.size())
                    return (*step)();
                auto out = std::make_shared<std::string>(reply);
                net::async_write(*s, net::buffer(*out), [s, out, step](boost::system::error_code, std::size_t) {
                    boost::system::error_code ignored;
                    s->shutdown(tcp::socket::shutdown_both, ignored);
                    s->close(ignored);
                    *step = nullptr;  // break the cycle
                });
            });
        };
        (*step)();
    }
};

FakeNode& node() {
    static FakeNode* n = new FakeNode();
    return *n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FakeNode& n = node();
    n.reply.assign(reinterpret_cast<const char*>(data), size);
    st::relay::UpstreamRequest request;
    request.scheme = st::relay::Scheme::http;
    request.host = "127.0.0.1";
    request.port = n.acceptor.local_endpoint().port();
    request.target = "/onion_req/v2";
    request.content_type = "application/octet-stream";
    request.body = std::string(kBody);
    request.timeout = std::chrono::seconds(10);
    request.max_response = kMaxResponse;

    int calls = 0;
    std::optional<st::Result<st::relay::UpstreamResponse>> result;
    n.client->post(request, [&](st::Result<st::relay::UpstreamResponse> r) {
        ++calls;
        result.emplace(std::move(r));
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!result) {
        n.ioc.run_one_for(std::chrono::milliseconds(200));
        if (std::chrono::steady_clock::now() > deadline) {
            std::fprintf(stderr, "no callback 20 s after the node closed\n");
            std::abort();
        }
    }
    n.ioc.poll();
    if (calls != 1) std::abort();
    if (*result) {
        if ((*result)->body.size() > kMaxResponse) std::abort();
    } else if ((*result).error().code.empty()) {
        std::abort();
    }
    return 0;
}
