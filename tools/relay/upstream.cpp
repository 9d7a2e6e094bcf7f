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

template <bool kTls>
class Call : public std::enable_shared_from_this<Call<kTls>> {
public:
    using Stream =
        std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
    using Done = std::function<void(Result<UpstreamResponse>)>;

    Call(net::io_context& ioc, ssl::context* tls, const std::vector<std::string>* pins,
         UpstreamRequest request, Done done)
        : resolver_(ioc),
          stream_(make_stream(ioc, tls)),
          deadline_(ioc),
          pins_(pins),
          request_(std::move(request)),
          done_(std::move(done)) {}

    void start() {
        req_.method(http::verb::post);
        req_.target(request_.target);
        req_.version(11);
        const bool v6 = request_.host.find(':') != std::string::npos;
        req_.set(http::field::host, (v6 ? "[" + request_.host + "]" : request_.host) + ":" +
                                        std::to_string(request_.port));
        req_.set(http::field::content_type, request_.content_type);
        req_.set(http::field::accept, "*/*");
        req_.keep_alive(false);
        req_.body() = std::move(request_.body);
        req_.prepare_payload();

        deadline_.expires_after(request_.timeout);
        deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) self->finish(fail(upstream_error::timeout, "no answer in time"));
        });
        resolver_.async_resolve(request_.host, std::to_string(request_.port),
                                tcp::resolver::numeric_service,
                                [self = this->shared_from_this()](
                                    beast::error_code ec, tcp::resolver::results_type results) {
                                    self->on_resolve(ec, std::move(results));
                                });
    }

private:
    static Stream make_stream(net::io_context& ioc, ssl::context* tls) {
        if constexpr (kTls) {
            return Stream(ioc, *tls);
        } else {
            (void)tls;
            return Stream(ioc);
        }
    }

    void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return finish(fail(upstream_error::unreachable, "resolve: " + ec.message()));
        beast::get_lowest_layer(stream_).async_connect(
            results, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint&) {
                self->on_connect(e);
            });
    }

    void on_connect(beast::error_code ec) {
        if (ec) return finish(fail(upstream_error::unreachable, "connect: " + ec.message()));
        beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true), ec);
        if constexpr (kTls) {
            SSL* ssl = stream_.native_handle();
            if (!is_ip_literal(request_.host)) {
                SSL_set_tlsext_host_name(ssl, request_.host.c_str());  // SNI
            }
            if (request_.peer == TlsPeer::seed && pins_->empty()) {
                stream_.set_verify_mode(ssl::verify_peer);
                stream_.set_verify_callback(ssl::host_name_verification(request_.host));
            } else {
                stream_.set_verify_mode(ssl::verify_none);
            }
            stream_.async_handshake(
                ssl::stream_base::client,
                [self = this->shared_from_this()](beast::error_code e) { self->on_handshake(e); });
        } else {
            write();
        }
    }

    void on_handshake(beast::error_code ec) {
        if (ec) return finish(fail(upstream_error::tls, "handshake: " + ec.message()));
        if constexpr (kTls) {
            if (request_.peer == TlsPeer::seed && !pins_->empty()) {
                const std::string fingerprint = peer_fingerprint(stream_.native_handle());
                if (std::find(pins_->begin(), pins_->end(), fingerprint) == pins_->end()) {
                    return finish(fail(upstream_error::tls, "the seed's certificate (sha256 " +
                                                                fingerprint +
                                                                ") matches no --seed-pin"));
                }
            }
        }
        write();
    }

    void write() {
        http::async_write(stream_, req_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_write(ec);
                          });
    }

    void on_write(beast::error_code ec) {
        if (ec) return finish(fail(upstream_error::bad_response, "write: " + ec.message()));
        parser_.emplace();
        parser_->header_limit(64 * 1024);
        parser_->body_limit(request_.max_response);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                             self->on_read(e);
                         });
    }

    void on_read(beast::error_code ec) {
        // A TLS peer that closes without close_notify after a complete message is fine.
        if (ec == ssl::error::stream_truncated && parser_->is_done()) ec = {};
        if (ec == http::error::body_limit) {
            return finish(
                fail(upstream_error::too_large,
                     "the answer exceeds " + std::to_string(request_.max_response) + " bytes"));
        }
        if (ec) return finish(fail(upstream_error::bad_response, "read: " + ec.message()));
        auto response = parser_->release();
        finish(UpstreamResponse{response.result_int(), std::move(response.body())});
    }

    void finish(Result<UpstreamResponse> result) {
        if (finished_) return;
        finished_ = true;
        deadline_.cancel();
        resolver_.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream_).close();
        // Completion runs from a handler already; post anyway so the caller never sees it
        // re-enter while this Call is on the stack.
        net::post(resolver_.get_executor(),
                  [done = std::move(done_), result = std::move(result)]() mutable {
                      done(std::move(result));
                  });
    }

    tcp::resolver resolver_;
    Stream stream_;
    net::steady_timer deadline_;
    const std::vector<std::string>* pins_;
    UpstreamRequest request_;
    Done done_;
    http::request<http::string_body> req_;
    beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::string_body>> parser_;
    bool finished_ = false;
};

}  // namespace

UpstreamClient::UpstreamClient(net::io_context& ioc, ssl::context node_tls, ssl::context seed_tls,
                               std::vector<std::string> seed_pins)
    : ioc_(ioc),
      node_tls_(std::move(node_tls)),
      seed_tls_(std::move(seed_tls)),
      seed_pins_(std::move(seed_pins)) {}

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
    ssl::context& tls = request.peer == TlsPeer::seed ? seed_tls_ : node_tls_;
    if (request.scheme == Scheme::https) {
        std::make_shared<Call<true>>(ioc_, &tls, &seed_pins_, std::move(request), std::move(done))
            ->start();
    } else {
        std::make_shared<Call<false>>(ioc_, nullptr, &seed_pins_, std::move(request),
                                      std::move(done))
            ->start();
    }
}

}  // namespace st::relay
