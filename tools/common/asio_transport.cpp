#include "asio_transport.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <string>

namespace st::tools {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct Url {
    bool https = false;
    std::string host;
    std::string port;
    std::string target;
};

std::optional<Url> parse_url(const std::string& url) {
    Url u;
    std::string_view rest(url);
    if (rest.rfind("http://", 0) == 0) {
        rest.remove_prefix(7);
    } else if (rest.rfind("https://", 0) == 0) {
        u.https = true;
        rest.remove_prefix(8);
    } else {
        return std::nullopt;
    }
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    auto colon = authority.rfind(':');
    if (colon == std::string_view::npos) {
        u.host = std::string(authority);
        u.port = u.https ? "443" : "80";
    } else {
        u.host = std::string(authority.substr(0, colon));
        u.port = std::string(authority.substr(colon + 1));
    }
    if (u.host.empty() || u.port.empty()) return std::nullopt;
    return u;
}

Error transport_error(const beast::error_code& ec) {
    if (ec == beast::error::timeout) return Error{net::kTimeout, "no answer in time"};
    if (ec.category() == asio::error::get_ssl_category()) return Error{net::kTls, ec.message()};
    return Error{net::kUnreachable, ec.message()};
}

}  // namespace

// One request's state; owned by the transport's map and by its pending handlers.
struct AsioTransport::Call : std::enable_shared_from_this<AsioTransport::Call> {
    AsioTransport* owner = nullptr;
    std::shared_ptr<bool> alive;
    net::RequestId id = 0;
    net::HttpRequest request;
    Url url;
    Callback<net::HttpResponse> done;
    tcp::resolver resolver;
    std::optional<beast::tcp_stream> plain;
    std::optional<asio::ssl::context> tls_context;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    http::request<http::vector_body<std::uint8_t>> req;
    beast::flat_buffer buffer;
    std::optional<http::response_parser<http::vector_body<std::uint8_t>>> parser;

    explicit Call(asio::io_context& io) : resolver(io) {}

    beast::tcp_stream& stream() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

    void fail(const beast::error_code& ec) {
        if (*alive) owner->finish(id, Unexpected<Error>(transport_error(ec)));
    }

    void start(asio::io_context& io) {
        if (url.https) {
            tls_context.emplace(asio::ssl::context::tls_client);
            tls_context->set_verify_mode(asio::ssl::verify_none);
            tls.emplace(io, *tls_context);
        } else {
            plain.emplace(io);
        }
        stream().expires_after(request.timeout);
        req.method(http::string_to_verb(request.method));
        req.target(url.target);
        req.version(11);
        req.set(http::field::host, url.host + ":" + url.port);
        req.set(http::field::connection, "close");
        for (auto& h : request.headers) req.set(h.name, h.value);
        req.body() = std::move(request.body);
        req.prepare_payload();
        parser.emplace();
        parser->body_limit(owner->max_response_bytes_);

        resolver.async_resolve(url.host, url.port,
                               [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                                   if (ec) return self->fail(ec);
                                   self->stream().async_connect(r, [self](beast::error_code ec2, auto) {
                                       if (ec2) return self->fail(ec2);
                                       self->connected();
                                   });
                               });
    }

    void connected() {
        if (tls) {
            tls->async_handshake(asio::ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
                if (ec) return self->fail(ec);
                http::async_write(*self->tls, self->req, [self](beast::error_code ec2, std::size_t) {
                    if (ec2) return self->fail(ec2);
                    http::async_read(*self->tls, self->buffer, *self->parser,
                                     [self](beast::error_code ec3, std::size_t) { self->read_done(ec3); });
                });
            });
        } else {
            http::async_write(*plain, req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->fail(ec);
                http::async_read(*self->plain, self->buffer, *self->parser,
                                 [self](beast::error_code ec2, std::size_t) { self->read_done(ec2); });
            });
        }
    }

    void read_done(const beast::error_code& ec) {
        if (ec == http::error::body_limit) {
            if (*alive) owner->finish(id, Unexpected<Error>(Error{net::kResponseTooLarge, "response too large"}));
            return;
        }
        if (ec) return fail(ec);
        auto res = parser->release();
        net::HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        out.body = std::move(res.body());
        if (*alive) owner->finish(id, std::move(out));
    }

    void abort() {
        beast::error_code ignored;
        resolver.cancel();
        if (plain) plain->socket().close(ignored);
        if (tls) beast::get_lowest_layer(*tls).socket().close(ignored);
    }
};

AsioTransport::AsioTransport(asio::io_context& io, Loop& loop, std::size_t max_response_bytes)
    : io_(io), loop_(loop), max_response_bytes_(max_response_bytes) {}

AsioTransport::~AsioTransport() {
    *alive_ = false;
    for (auto& [id, call] : calls_) call->abort();
}

net::RequestId AsioTransport::send(net::HttpRequest request, Callback<net::HttpResponse> done) {
    const auto id = next_id_++;
    auto url = parse_url(request.url);
    if (!url) {
        loop_.post([done = std::move(done), u = request.url]() mutable {
            done(Unexpected<Error>(Error{net::kBadUrl, "cannot use the URL " + u}));
        });
        return id;
    }
    auto call = std::make_shared<Call>(io_);
    call->owner = this;
    call->alive = alive_;
    call->id = id;
    call->request = std::move(request);
    call->url = std::move(*url);
    call->done = std::move(done);
    calls_.emplace(id, call);
    call->start(io_);
    return id;
}

void AsioTransport::cancel(net::RequestId id) {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    auto call = it->second;
    call->abort();
    finish(id, Unexpected<Error>(Error{net::kCancelled, "cancelled"}));
}

void AsioTransport::finish(net::RequestId id, Result<net::HttpResponse> result) {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;  // already finished (e.g. cancelled, then the socket error)
    auto done = std::move(it->second->done);
    calls_.erase(it);
    loop_.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

bool run_host_loop(asio::io_context& io, Loop& loop, const std::function<bool()>& done,
                   std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        loop.run_ready();
        if (done()) return true;
        if (loop.has_ready()) {
            io.poll();
            continue;
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (auto next = loop.next_timer_in()) wait = std::min(wait, *next);
        wait = std::max(wait, std::chrono::milliseconds(0));
        io.restart();
        io.run_one_for(wait);
        io.poll();
    }
    return true;
}

}  // namespace st::tools
