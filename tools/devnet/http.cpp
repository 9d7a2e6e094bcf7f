#include "http.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <list>

namespace devnet {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::optional<std::string_view> HttpRequest::header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
        if (k == lower_name) return std::string_view{v};
    return std::nullopt;
}

namespace {

// What the listener needs of a connection, plain or TLS.
struct SessionBase {
    virtual ~SessionBase() = default;
    virtual void close() = 0;
};

}  // namespace

struct HttpListener::Impl : std::enable_shared_from_this<HttpListener::Impl> {
    net::io_context& io;
    HttpHandler handler;
    std::optional<tcp::acceptor> acceptor;
    std::list<std::weak_ptr<SessionBase>> sessions;
    std::shared_ptr<net::ssl::context> tls;  // null: plain HTTP
    std::uint16_t bound_port = 0;

    Impl(net::io_context& ctx, HttpHandler h) : io{ctx}, handler{std::move(h)} {}
    void accept();
};

namespace {

template <bool kTls>
class Session : public SessionBase, public std::enable_shared_from_this<Session<kTls>> {
public:
    using Stream =
            std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

    // `stream_args`: the socket, and for TLS the server context.
    template <class... StreamArgs>
    explicit Session(std::shared_ptr<HttpListener::Impl> owner, StreamArgs&&... stream_args)
        : stream_{std::forward<StreamArgs>(stream_args)...}, owner_{std::move(owner)} {}

    void start() {
        if constexpr (kTls) {
            auto& lowest = beast::get_lowest_layer(stream_);
            lowest.expires_after(std::chrono::seconds{30});
            stream_.async_handshake(net::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (self->closed_) return;
                                        if (ec) return self->close();
                                        beast::get_lowest_layer(self->stream_).expires_never();
                                        self->read();
                                    });
        } else {
            read();
        }
    }

    void close() override {
        if (closed_) return;
        closed_ = true;
        beast::error_code ec;
        auto& socket = beast::get_lowest_layer(stream_).socket();
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(kMaxRequestBody);
        parser_->header_limit(64 * 1024);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_read(ec);
                         });
    }

    void on_read(beast::error_code ec) {
        if (closed_) return;
        if (ec == http::error::body_limit) {
            HttpResponse r;
            r.status = 413;
            r.body = "Request body too large";
            r.close = true;
            keep_alive_ = false;
            answered_ = ++generation_;
            write(std::move(r));
            return;
        }
        if (ec) {
            close();
            return;
        }
        auto req = parser_->release();
        keep_alive_ = req.keep_alive();
        HttpRequest out;
        out.method = std::string{req.method_string()};
        out.target = std::string{req.target()};
        out.body = std::move(req.body());
        for (const auto& field : req) {
            std::string name{field.name_string()};
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            out.headers.emplace_back(std::move(name), std::string{field.value()});
        }
        auto owner = owner_.lock();
        if (!owner) {
            close();
            return;
        }
        // Each request is answered once; a late or second answer is dropped.
        auto gen = ++generation_;
        owner->handler(std::move(out), [self = this->shared_from_this(), gen](HttpResponse r) {
            if (self->answered_ >= gen) return;
            self->answered_ = gen;
            self->write(std::move(r));
        });
    }

    void write(HttpResponse r) {
        if (closed_ || writing_) return;
        writing_ = true;
        auto res = std::make_shared<http::response<http::string_body>>();
        res->version(11);
        res->result(static_cast<unsigned>(r.status));
        res->set(http::field::server, "devnet");
        res->set(http::field::content_type, r.content_type);
        res->body() = std::move(r.body);
        bool keep = keep_alive_ && !r.close;
        res->keep_alive(keep);
        res->prepare_payload();
        http::async_write(stream_, *res,
                          [self = this->shared_from_this(), res, keep](beast::error_code ec,
                                                                       std::size_t) {
                              self->writing_ = false;
                              if (ec || !keep) {
                                  self->close();
                                  return;
                              }
                              self->read();
                          });
    }

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::weak_ptr<HttpListener::Impl> owner_;
    bool keep_alive_ = true;
    bool closed_ = false;
    std::uint64_t generation_ = 0;  // requests read on this connection
    std::uint64_t answered_ = 0;    // the last one answered
    bool writing_ = false;
};

}  // namespace

void HttpListener::Impl::accept() {
    if (!acceptor || !acceptor->is_open()) return;
    acceptor->async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (!self->acceptor || !self->acceptor->is_open()) return;
        if (!ec) {
            socket.set_option(tcp::no_delay{true}, ec);
            // Forget sessions that have ended.
            self->sessions.remove_if(
                    [](const std::weak_ptr<SessionBase>& w) { return w.expired(); });
            if (self->tls) {
                auto s = std::make_shared<Session<true>>(self, std::move(socket), *self->tls);
                self->sessions.push_back(s);
                s->start();
            } else {
                auto s = std::make_shared<Session<false>>(self, std::move(socket));
                self->sessions.push_back(s);
                s->start();
            }
        }
        self->accept();
    });
}

HttpListener::HttpListener(net::io_context& io, HttpHandler handler)
    : impl_{std::make_shared<Impl>(io, std::move(handler))} {}

HttpListener::~HttpListener() { stop(); }

void HttpListener::set_tls(std::shared_ptr<net::ssl::context> tls) { impl_->tls = std::move(tls); }

bool HttpListener::tls() const { return impl_->tls != nullptr; }

void HttpListener::start(std::uint16_t port) {
    if (running()) return;
    tcp::endpoint ep{net::ip::make_address("127.0.0.1"), port};
    impl_->acceptor.emplace(impl_->io);
    impl_->acceptor->open(ep.protocol());
    impl_->acceptor->set_option(net::socket_base::reuse_address(true));
    impl_->acceptor->bind(ep);
    impl_->acceptor->listen(net::socket_base::max_listen_connections);
    impl_->bound_port = impl_->acceptor->local_endpoint().port();
    impl_->accept();
}

void HttpListener::stop() {
    if (!impl_) return;
    if (impl_->acceptor) {
        beast::error_code ec;
        impl_->acceptor->close(ec);
        impl_->acceptor.reset();
    }
    for (auto& w : impl_->sessions)
        if (auto s = w.lock()) s->close();
    impl_->sessions.clear();
}

bool HttpListener::running() const { return impl_->acceptor && impl_->acceptor->is_open(); }

std::uint16_t HttpListener::port() const { return impl_->bound_port; }

// ----------------------------------------------------------------------------------------------

namespace {

struct ClientCall : std::enable_shared_from_this<ClientCall> {
    ClientCall(net::io_context& io, std::function<void(HttpClientResult)> cb)
        : resolver{io}, stream{io}, callback{std::move(cb)} {}

    tcp::resolver resolver;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;
    std::function<void(HttpClientResult)> callback;
    std::chrono::milliseconds timeout{};

    void finish(HttpClientResult r) {
        if (!callback) return;
        auto cb = std::move(callback);
        callback = nullptr;
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        cb(std::move(r));
    }
    void fail(beast::error_code ec) {
        HttpClientResult r;
        r.timed_out = ec == beast::error::timeout;
        r.body = ec.message();
        finish(std::move(r));
    }
};

}  // namespace

void http_post(net::io_context& io, std::string host, std::uint16_t port, std::string target,
               std::string body, std::chrono::milliseconds timeout,
               std::function<void(HttpClientResult)> callback) {
    auto call = std::make_shared<ClientCall>(io, std::move(callback));
    call->timeout = timeout;
    call->req.version(11);
    call->req.method(http::verb::post);
    call->req.target(target);
    call->req.set(http::field::host, host);
    call->req.set(http::field::content_type, "application/octet-stream");
    call->req.body() = std::move(body);
    call->req.prepare_payload();
    call->resolver.async_resolve(
            host, std::to_string(port),
            [call](beast::error_code ec, tcp::resolver::results_type results) {
                if (ec) return call->fail(ec);
                call->stream.expires_after(call->timeout);
                call->stream.async_connect(results, [call](beast::error_code ec2,
                                                           const tcp::endpoint&) {
                    if (ec2) return call->fail(ec2);
                    http::async_write(call->stream, call->req,
                                      [call](beast::error_code ec3, std::size_t) {
                                          if (ec3) return call->fail(ec3);
                                          http::async_read(
                                                  call->stream, call->buffer, call->res,
                                                  [call](beast::error_code ec4, std::size_t) {
                                                      if (ec4) return call->fail(ec4);
                                                      HttpClientResult r;
                                                      r.status = static_cast<int>(
                                                              call->res.result_int());
                                                      r.body = std::move(call->res.body());
                                                      call->finish(std::move(r));
                                                  });
                                      });
                });
            });
}

}  // namespace devnet
