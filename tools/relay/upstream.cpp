#include "relay/upstream.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <iterator>
#include <map>
#include <optional>
#include <type_traits>

namespace st::relay {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0xf];
    }
    return out;
}

// SHA-256 of the peer's leaf certificate (DER), in hex; empty if there is none.
std::string peer_fingerprint(SSL* ssl) {
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert) return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const bool ok = X509_digest(cert, EVP_sha256(), digest, &size) == 1;
    X509_free(cert);
    return ok ? to_hex(digest, size) : std::string{};
}

}  // namespace

template <bool kTls>
using StreamOf = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

// Idle keep-alive connections to nodes, so a page's steady stream of onion requests to its guard
// does not pay a TCP (and on the live network a TLS) handshake each time. Bounded per node and in
// total; an idle connection older than kIdleMax is closed rather than reused (servers close idle
// connections on their own schedule, and a reused connection the server already closed costs a
// retry).
template <bool kTls>
class Pool {
public:
    using Stream = StreamOf<kTls>;

    std::unique_ptr<Stream> take(const std::string& key) {
        sweep();
        auto it = idle_.find(key);
        if (it == idle_.end() || it->second.empty()) return nullptr;
        auto stream = std::move(it->second.back().stream);
        it->second.pop_back();
        --count_;
        return stream;
    }

    void give(const std::string& key, std::unique_ptr<Stream> stream) {
        sweep();
        auto& list = idle_[key];
        if (list.size() >= kPerNode || count_ >= kTotal) return;  // dropped: closes it
        list.push_back({std::move(stream), Clock::now()});
        ++count_;
    }

private:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kPerNode = 8;
    static constexpr std::size_t kTotal = 128;
    static constexpr std::chrono::seconds kIdleMax{8};
    struct Idle {
        std::unique_ptr<Stream> stream;
        Clock::time_point since;
    };

    void sweep() {
        const auto now = Clock::now();
        for (auto it = idle_.begin(); it != idle_.end();) {
            auto& list = it->second;
            const auto old = std::remove_if(list.begin(), list.end(), [&](const Idle& idle) {
                return now - idle.since > kIdleMax;
            });
            count_ -= static_cast<std::size_t>(list.end() - old);
            list.erase(old, list.end());
            it = list.empty() ? idle_.erase(it) : std::next(it);
        }
    }

    std::map<std::string, std::vector<Idle>> idle_;
    std::size_t count_ = 0;
};

namespace {

template <bool kTls>
class Call : public std::enable_shared_from_this<Call<kTls>> {
public:
    using Stream = StreamOf<kTls>;
    using Done = std::function<void(Result<UpstreamResponse>)>;

    // `pool` is null for requests that must not share connections (the seed).
    Call(net::io_context& ioc, ssl::context* tls, Pool<kTls>* pool,
         std::shared_ptr<AnswerBudget> budget, UpstreamRequest request, Done done)
        : ioc_(ioc),
          tls_(tls),
          resolver_(ioc),
          deadline_(ioc),
          pool_(pool),
          budget_(std::move(budget)),
          request_(std::move(request)),
          done_(std::move(done)) {}
    ~Call() { budget_->held -= held_; }

    void start() {
        const bool v6 = request_.host.find(':') != std::string::npos;
        const std::string host =
            (v6 ? "[" + request_.host + "]" : request_.host) + ":" + std::to_string(request_.port);
        pool_key_ = host;
        req_.method(http::verb::post);
        req_.target(request_.target);
        req_.version(11);
        req_.set(http::field::host, host);
        req_.set(http::field::content_type, request_.content_type);
        req_.set(http::field::accept, "*/*");
        req_.keep_alive(pool_ != nullptr);
        req_.body() = std::move(request_.body);
        req_.prepare_payload();

        deadline_.expires_after(request_.timeout);
        deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) self->finish(fail(upstream_error::timeout, "no answer in time"));
        });
        if (pool_) stream_ = pool_->take(pool_key_);
        if (stream_) {
            reused_ = true;
            // Completion handlers must not run inline from start().
            net::post(ioc_, [self = this->shared_from_this()] { self->write(); });
        } else {
            connect();
        }
    }

private:
    void connect() {
        reused_ = false;
        buffer_.clear();
        if constexpr (kTls) {
            stream_ = std::make_unique<Stream>(ioc_, *tls_);
        } else {
            stream_ = std::make_unique<Stream>(ioc_);
        }
        resolver_.async_resolve(request_.host, std::to_string(request_.port),
                                tcp::resolver::numeric_service,
                                [self = this->shared_from_this()](
                                    beast::error_code ec, tcp::resolver::results_type results) {
                                    self->on_resolve(ec, std::move(results));
                                });
    }

    void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
        if (finished_) return;
        if (ec) return finish(fail(upstream_error::unreachable, "resolve: " + ec.message()));
        beast::get_lowest_layer(*stream_).async_connect(
            results, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint&) {
                self->on_connect(e);
            });
    }

    void on_connect(beast::error_code ec) {
        if (finished_) return;
        if (ec) return finish(fail(upstream_error::unreachable, "connect: " + ec.message()));
        beast::get_lowest_layer(*stream_).socket().set_option(tcp::no_delay(true), ec);
        if constexpr (kTls) {
            SSL* ssl = stream_->native_handle();
            if (!is_ip_literal(request_.host)) {
                SSL_set_tlsext_host_name(ssl, request_.host.c_str());  // SNI
            }
            if (request_.peer == TlsPeer::seed && request_.seed_pins.empty()) {
                stream_->set_verify_mode(ssl::verify_peer);
                stream_->set_verify_callback(ssl::host_name_verification(request_.host));
            } else {
                stream_->set_verify_mode(ssl::verify_none);
            }
            stream_->async_handshake(
                ssl::stream_base::client,
                [self = this->shared_from_this()](beast::error_code e) { self->on_handshake(e); });
        } else {
            write();
        }
    }

    void on_handshake(beast::error_code ec) {
        if (finished_) return;
        if (ec) return finish(fail(upstream_error::tls, "handshake: " + ec.message()));
        if constexpr (kTls) {
            if (request_.peer == TlsPeer::seed && !request_.seed_pins.empty()) {
                const auto& pins = request_.seed_pins;
                const std::string fingerprint = peer_fingerprint(stream_->native_handle());
                if (std::find(pins.begin(), pins.end(), fingerprint) == pins.end()) {
                    return finish(fail(upstream_error::tls, "the seed's certificate (sha256 " +
                                                                fingerprint +
                                                                ") matches no --seed-pin"));
                }
            }
        }
        write();
    }

    void write() {
        if (finished_) return;
        http::async_write(*stream_, req_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_write(ec);
                          });
    }

    void on_write(beast::error_code ec) {
        if (finished_) return;
        if (ec && reused_) return connect();  // the idle connection had been closed
        if (ec) return finish(fail(upstream_error::bad_response, "write: " + ec.message()));
        parser_.emplace();
        parser_->header_limit(64 * 1024);
        parser_->body_limit(request_.max_response);
        read_some();
    }

    // The answer is read piece by piece so that the memory its body takes is counted against
    // the client's budget as it grows, not only once it is complete.
    void read_some() {
        http::async_read_some(*stream_, buffer_, *parser_,
                              [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                                  self->on_read_some(e);
                              });
    }

    void on_read_some(beast::error_code ec) {
        if (finished_) return;
        if (ec || parser_->is_done()) return on_read(ec);
        // Twice the allocated size: growing the body allocates the larger buffer while the old
        // one is still held, so that is what this answer may take by its next read.
        if (!hold(2 * parser_->get().body().capacity())) {
            return finish(fail(upstream_error::busy, "too many answers are being read at once"));
        }
        read_some();
    }

    // Counts `bytes` as this call's share of the budget; false when that would pass the limit.
    bool hold(std::size_t bytes) {
        budget_->held -= held_;
        held_ = 0;
        if (bytes > budget_->limit - std::min(budget_->limit, budget_->held)) return false;
        held_ = bytes;
        budget_->held += held_;
        return true;
    }

    void on_read(beast::error_code ec) {
        if (finished_) return;
        // A TLS peer that closes without close_notify after a complete message is fine.
        if (ec == ssl::error::stream_truncated && parser_->is_done()) ec = {};
        // A reused connection the server closed while idle answers nothing at all: the request
        // was not processed, so send it once more on a fresh connection.
        if (ec && reused_ && !parser_->got_some()) return connect();
        if (ec == http::error::body_limit) {
            return finish(
                fail(upstream_error::too_large,
                     "the answer exceeds " + std::to_string(request_.max_response) + " bytes"));
        }
        if (ec) return finish(fail(upstream_error::bad_response, "read: " + ec.message()));
        auto response = parser_->release();
        if (pool_ && response.keep_alive() && buffer_.size() == 0) {
            pool_->give(pool_key_, std::move(stream_));
        }
        finish(UpstreamResponse{response.result_int(), std::move(response.body())});
    }

    void finish(Result<UpstreamResponse> result) {
        if (finished_) return;
        finished_ = true;
        budget_->held -= held_;  // the body moves to the caller, which sends it on at once
        held_ = 0;
        deadline_.cancel();
        resolver_.cancel();
        if (stream_) {
            beast::error_code ignored;
            auto& socket = beast::get_lowest_layer(*stream_).socket();
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
        }
        // Completion runs from a handler already; post anyway so the caller never sees it
        // re-enter while this Call is on the stack.
        net::post(ioc_, [done = std::move(done_), result = std::move(result)]() mutable {
            done(std::move(result));
        });
    }

    net::io_context& ioc_;
    ssl::context* tls_;
    tcp::resolver resolver_;
    std::unique_ptr<Stream> stream_;
    net::steady_timer deadline_;
    Pool<kTls>* pool_;
    std::shared_ptr<AnswerBudget> budget_;
    std::size_t held_ = 0;  // this call's share of budget_->held
    UpstreamRequest request_;
    Done done_;
    std::string pool_key_;
    http::request<http::string_body> req_;
    beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::string_body>> parser_;
    bool reused_ = false;
    bool finished_ = false;
};

}  // namespace

UpstreamClient::UpstreamClient(net::io_context& ioc, ssl::context node_tls, ssl::context seed_tls,
                               std::vector<std::string> seed_pins)
    : ioc_(ioc),
      node_tls_(std::move(node_tls)),
      seed_tls_(std::move(seed_tls)),
      seed_pins_(std::move(seed_pins)),
      plain_pool_(std::make_unique<Pool<false>>()),
      tls_pool_(std::make_unique<Pool<true>>()) {}

UpstreamClient::~UpstreamClient() = default;

Result<std::unique_ptr<UpstreamClient>> UpstreamClient::create(net::io_context& ioc,
                                                               std::vector<std::string> pins) {
    std::vector<std::string> normalized;
    for (const auto& pin : pins) {
        std::string hex;
        for (char c : pin) {
            if (c == ':') continue;
            hex += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return fail("upstream.bad_pin",
                        "--seed-pin must be a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        normalized.push_back(std::move(hex));
    }
    try {
        ssl::context node_tls(ssl::context::tls_client);
        node_tls.set_verify_mode(ssl::verify_none);
        ssl::context seed_tls(ssl::context::tls_client);
        seed_tls.set_default_verify_paths();
        for (auto* context : {&node_tls, &seed_tls}) {
            SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
        }
        return std::make_unique<UpstreamClient>(ioc, std::move(node_tls), std::move(seed_tls),
                                                std::move(normalized));
    } catch (const boost::system::system_error& e) {
        return fail("upstream.tls_setup", std::string("OpenSSL: ") + e.what());
    }
}

void UpstreamClient::post(UpstreamRequest request,
                          std::function<void(Result<UpstreamResponse>)> done) {
    if (request.peer == TlsPeer::seed && request.seed_pins.empty()) request.seed_pins = seed_pins_;
    // Only node connections are pooled; the seed is asked rarely and gets a fresh connection.
    const bool node = request.peer == TlsPeer::node;
    if (request.scheme == Scheme::https) {
        std::make_shared<Call<true>>(ioc_, node ? &node_tls_ : &seed_tls_,
                                     node ? tls_pool_.get() : nullptr, budget_,
                                     std::move(request), std::move(done))
            ->start();
    } else {
        std::make_shared<Call<false>>(ioc_, nullptr, node ? plain_pool_.get() : nullptr, budget_,
                                      std::move(request), std::move(done))
            ->start();
    }
}

}  // namespace st::relay
