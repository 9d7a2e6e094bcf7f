#include "relay/server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace st::relay {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using tcp = boost::asio::ip::tcp;

const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
    "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'";

// Every powerful feature the app never uses, denied to the page and anything it could embed, so
// a script injected despite the CSP cannot ask for the camera, the location, a USB device, ...
const char* const kPermissionsPolicy =
    "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), bluetooth=(), "
    "camera=(), display-capture=(), document-domain=(), encrypted-media=(), "
    "gamepad=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), interest-cohort=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()";

struct Server::State {
    State(net::io_context& io, const Config& c, NodeDirectory& d, UpstreamClient& u)
        : ioc(io), config(c), directory(d), upstream(u), acceptor(io), fingerprint(c.www) {}
    net::io_context& ioc;
    const Config& config;
    NodeDirectory& directory;
    UpstreamClient& upstream;
    tcp::acceptor acceptor;
    GzipCache gzip{32 * 1024 * 1024, 128 * 1024 * 1024};
    SiteFingerprint fingerprint;  // of --www, shown in the app's Settings → About
    std::size_t live = 0;
    std::size_t buffered = 0;  // bytes of request bodies reserved by connections (max_buffered)
    // What each client address holds now; an entry is erased when both reach zero.
    struct Client {
        std::size_t connections = 0;
        std::size_t inflight = 0;
    };
    std::unordered_map<std::string, Client> clients;

    void release(const std::string& address, std::size_t Client::*what) {
        auto it = clients.find(address);
        if (it == clients.end()) return;
        --(it->second.*what);
        if (it->second.connections == 0 && it->second.inflight == 0) clients.erase(it);
    }
};

namespace {

constexpr std::size_t kMaxSeedRequest = 64 * 1024;
constexpr std::size_t kMaxOtherRequest = 4 * 1024;
constexpr std::size_t kMaxHeader = 16 * 1024;
constexpr std::size_t kMaxOnionAnswer = 32 * 1024 * 1024;
constexpr std::chrono::seconds kWriteTimeout{120};
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kMaxLingerBytes = 64 * 1024 * 1024;
constexpr std::string_view kOnionPrefix = "/relay/onion/";

enum class Route { info, onion, seed, relay_unknown, file };

Route route_of(std::string_view path) {
    if (path == "/relay/info") return Route::info;
    if (path == "/relay/seed") return Route::seed;
    if (path.substr(0, kOnionPrefix.size()) == kOnionPrefix) return Route::onion;
    if (path == "/relay" || path.substr(0, 7) == "/relay/") return Route::relay_unknown;
    return Route::file;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// A browser tells where a request comes from. The relay's endpoints are for its own page only:
// another site must not be able to make a visitor's browser drive them (a form or no-cors fetch
// would not be blocked by CORS on its own). Non-browser clients send neither header.
bool is_cross_site(const http::request_header<>& req) {
    const std::string_view site = req["Sec-Fetch-Site"];
    if (!site.empty() && site != "same-origin" && site != "none") return true;
    std::string_view origin = req[http::field::origin];
    if (origin.empty()) return false;
    const std::size_t scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return true;  // "null" and other opaque origins
    origin.remove_prefix(scheme_end + 3);
    return !iequals(origin, req[http::field::host]);
}

// What the log may show of a target: the path only (no query), printable ASCII, bounded.
std::string loggable_path(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::string out;
    for (char c : target.substr(0, 200)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u > 0x20 && u < 0x7f) ? c : '?';
    }
    if (target.size() > 200) out += "...";
    return out.empty() ? "-" : out;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

template <class Fields>
void set_security_headers(Fields& fields) {
    fields.set("Content-Security-Policy", kContentSecurityPolicy);
    fields.set("X-Content-Type-Options", "nosniff");
    fields.set("Referrer-Policy", "no-referrer");
    fields.set("X-Frame-Options", "DENY");
    fields.set("Cross-Origin-Opener-Policy", "same-origin");
    fields.set("Cross-Origin-Resource-Policy", "same-origin");
    fields.set("Permissions-Policy", kPermissionsPolicy);
}

std::int64_t mtime_of(const fs::path& file) {
    std::error_code ec;
    const auto t = fs::last_write_time(file, ec);
    return ec ? 0 : static_cast<std::int64_t>(t.time_since_epoch().count());
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<Server::State> state, std::string client)
        : stream_(std::move(socket)), state_(std::move(state)), client_(std::move(client)) {
        ++state_->live;
        ++state_->clients[client_].connections;
    }
    ~Session() {
        --state_->live;
        unreserve();
        end_inflight();
        state_->release(client_, &Server::State::Client::connections);
    }

    void start() { read_header(); }

private:
    using Request = http::request<http::string_body>;

    void read_header() {
        header_parser_.emplace();
        header_parser_->header_limit(kMaxHeader);
        // The body limit depends on the route, known only once the header is in: on_header
        // checks it, so this parser must not refuse a large Content-Length by itself.
        header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(state_->config.header_timeout);
        http::async_read_header(stream_, buffer_, *header_parser_,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    self->on_header(ec);
                                });
    }

    void on_header(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == net::error::operation_aborted || ec == net::error::connection_reset ||
            ec == net::error::eof) {
            return close();
        }
        started_ = std::chrono::steady_clock::now();
        request_bytes_ = 0;
        note_.clear();
        close_after_ = false;
        if (ec) {
            method_ = "-";
            path_ = "-";
            close_after_ = true;
            if (ec == http::error::header_limit) {
                return send_text(http::status::request_header_fields_too_large,
                                 "relay: the request header is too large\n", "header-too-large");
            }
            return send_text(http::status::bad_request, "relay: malformed request\n",
                             "bad-request");
        }
        const auto& header = header_parser_->get();
        method_ = std::string(header.method_string());
        path_ = loggable_path(header.target());
        version_ = header.version();
        keep_alive_ = header.keep_alive();
        const std::string_view target = header.target();
        route_ = route_of(target.substr(0, target.find('?')));
        std::size_t limit = kMaxOtherRequest;
        if (route_ == Route::onion) limit = state_->config.max_body;
        if (route_ == Route::seed) limit = kMaxSeedRequest;
        if (auto length = header_parser_->content_length(); length && *length > limit) {
            request_bytes_ = static_cast<std::size_t>(*length);
            return too_large(limit);
        }
        // Memory for the body is reserved before a byte of it is read: its length, or the limit
        // when none is given (chunked).
        const auto length = header_parser_->content_length();
        const std::size_t need = length ? static_cast<std::size_t>(*length) : limit;
        if (state_->buffered + need > state_->config.max_buffered) {
            close_after_ = true;
            note_ = "relay.busy";
            return send_text(http::status::service_unavailable,
                             "relay: too many request bodies in progress, retry shortly\n", "busy");
        }
        reserved_ = need;
        state_->buffered += need;
        const bool expects_continue = iequals(header[http::field::expect], "100-continue");
        parser_.emplace(std::move(*header_parser_));
        parser_->body_limit(limit);
        stream_.expires_after(2 * state_->config.header_timeout);
        if (!expects_continue) return read_body(limit);
        // Command-line clients (curl, for bodies above 1 KiB) wait for this before sending.
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this(), limit](beast::error_code e, std::size_t) {
                             if (e) return self->close();
                             self->read_body(limit);
                         });
    }

    void read_body(std::size_t limit) {
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this(), limit](beast::error_code e, std::size_t) {
                             self->on_body(e, limit);
                         });
    }

    void too_large(std::size_t limit) {
        // The rest of the body is never read, so the connection cannot carry another request.
        close_after_ = true;
        send_text(http::status::payload_too_large,
                  "relay: the body exceeds " + std::to_string(limit) + " bytes\n", "too-large");
    }

    void on_body(beast::error_code ec, std::size_t limit) {
        if (ec == http::error::body_limit) return too_large(limit);
        if (ec) {
            if (ec == beast::error::timeout || ec == http::error::end_of_stream ||
                ec == net::error::eof || ec == net::error::connection_reset) {
                return close();
            }
            close_after_ = true;
            return send_text(http::status::bad_request, "relay: malformed request\n",
                             "bad-request");
        }
        Request req = parser_->release();
        request_bytes_ = req.body().size();
        switch (route_) {
            case Route::info:
                return info(req);
            case Route::onion:
                return forward_onion(req);
            case Route::seed:
                return forward_seed(req);
            case Route::relay_unknown:
                return send_text(http::status::not_found, "relay: no such endpoint\n",
                                 "no-endpoint");
            case Route::file:
                return serve_file(req);
        }
    }

    bool only(const Request& req, std::initializer_list<http::verb> verbs, std::string_view allow) {
        for (auto verb : verbs) {
            if (req.method() == verb) return true;
        }
        http::response<http::string_body> res{http::status::method_not_allowed, version_};
        res.set(http::field::allow, allow);
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        res.body() = "relay: method not allowed\n";
        res.prepare_payload();
        send(std::move(res));
        return false;
    }

    void info(const Request& req) {
        if (!only(req, {http::verb::get, http::verb::head}, "GET, HEAD")) return;
        const auto& config = state_->config;
        const nlohmann::json body = {
            {"network", config.network},
            // The seed whose node list the relay holds, and every seed it may ask.
            {"seed", to_string(state_->directory.current_seed().url)},
            {"seeds", seed_urls()},
            {"nodes_known", state_->directory.size()},
            {"node_scheme", std::string(to_string(config.node_scheme))},
            {"onion_path", std::string(kOnionPrefix) + "<ed25519 hex>"},
            {"max_body", config.max_body},
            // The SHA-256 of the served folder's manifest (docs/deployment.md), grouped as
            // tools/package prints it, so a user can compare what they were served with a release.
            {"site_fingerprint", state_->fingerprint.get()},
            // Kiosk mode (docs/kiosk.md): the page keeps nothing and wipes itself when idle.
            {"kiosk", config.kiosk},
            {"kiosk_idle_s", config.kiosk_idle.count()},
        };
        http::response<http::string_body> res{http::status::ok, version_};
        res.set(http::field::content_type, "application/json");
        res.set(http::field::cache_control, "no-store");
        res.body() = body.dump();
        res.prepare_payload();
        if (req.method() == http::verb::head) res.body().clear();
        send(std::move(res));
    }

    nlohmann::json seed_urls() const {
        auto urls = nlohmann::json::array();
        for (const auto& seed : state_->config.seeds) urls.push_back(to_string(seed.url));
        return urls;
    }

    bool refuse_cross_site(const Request& req) {
        if (!is_cross_site(req)) return false;
        send_text(http::status::forbidden, "relay: cross-origin requests are refused\n",
                  "cross-origin");
        return true;
    }

    void forward_onion(Request& req) {
        if (!only(req, {http::verb::post}, "POST") || refuse_cross_site(req)) return;
        std::string_view target = req.target();
        target = target.substr(0, target.find('?'));
        const std::string key(target.substr(kOnionPrefix.size()));
        if (const Node* node = state_->directory.find(key)) return to_node(*node, req.body());
        if (state_->directory.size() == 0) {
            return send_text(http::status::service_unavailable,
                             "relay: the node list is not loaded yet\n", "no-node-list");
        }
        // A node that joined after the relay's last fetch: the page may know it already (it
        // refreshes its pool from service nodes). Ask the seeds again (rate-limited; concurrent
        // misses share one fetch) and forward if the node is then listed. Only a seed's list is
        // ever used: the page still cannot name an address.
        if (is_ed25519_hex(key)) {
            stream_.expires_never();  // the seed fetch's own deadlines bound the wait
            const bool waiting = state_->directory.refresh_for_unknown(
                [self = shared_from_this(), key, body = std::move(req.body())]() mutable {
                    if (const Node* node = self->state_->directory.find(key)) {
                        return self->to_node(*node, body);
                    }
                    self->unknown_node();
                });
            if (waiting) return;
        }
        unknown_node();
    }

    void unknown_node() {
        send_text(http::status::not_found, "relay: unknown node\n", "unknown-node");
    }

    void to_node(const Node& node, std::string& body) {
        UpstreamRequest up;
        up.scheme = state_->config.node_scheme;
        up.host = node.ip;
        up.port = node.port;
        up.target = "/onion_req/v2";
        up.content_type = "application/octet-stream";
        up.body = std::move(body);
        up.timeout = state_->config.node_timeout;
        up.max_response = kMaxOnionAnswer;
        up.peer = TlsPeer::node;
        relay(std::move(up), "application/octet-stream");
    }

    void forward_seed(Request& req) {
        if (!only(req, {http::verb::post}, "POST") || refuse_cross_site(req)) return;
        auto body = sanitize_seed_request(req.body());
        if (!body) {
            note_ = std::string(body.error().code);
            return send_text(http::status::bad_request, "relay: " + body.error().message + "\n",
                             "bad-seed-request");
        }
        relay_via(
            [state = state_, body = std::move(*body)](
                std::function<void(Result<UpstreamResponse>)> done) mutable {
                state->directory.post_to_seeds(std::move(body), std::move(done));
            },
            "application/json");
    }

    // Sends `up` and passes the answer's status and body back unchanged. The content type is the
    // relay's own choice, never the upstream's: a node must not be able to serve HTML from the
    // page's origin.
    void relay(UpstreamRequest up, std::string_view content_type) {
        relay_via(
            [state = state_, up = std::move(up)](
                std::function<void(Result<UpstreamResponse>)> done) mutable {
                state->upstream.post(std::move(up), std::move(done));
            },
            content_type);
    }

    // Runs `post` (which sends the request upstream and calls back once) under the client's
    // in-flight limit.
    void relay_via(std::function<void(std::function<void(Result<UpstreamResponse>)>)> post,
                   std::string_view content_type) {
        // Each waiting request holds an upstream connection and its buffers; one client must not
        // hold them all. Refused at once, so the page backs off instead of queueing unboundedly.
        auto& inflight = state_->clients[client_].inflight;
        if (inflight >= state_->config.max_inflight_per_client) {
            note_ = "client.too_many_requests";
            return send_text(http::status::too_many_requests,
                             "relay: too many requests of this client in flight\n",
                             "too-many-requests");
        }
        ++inflight;
        inflight_ = true;
        stream_.expires_never();  // the upstream deadline bounds the wait
        post([self = shared_from_this(), type = std::string(content_type)](
                 Result<UpstreamResponse> answer) { self->on_answer(std::move(answer), type); });
    }

    void end_inflight() {
        if (!inflight_) return;
        inflight_ = false;
        state_->release(client_, &Server::State::Client::inflight);
    }

    void on_answer(Result<UpstreamResponse> answer, const std::string& content_type) {
        end_inflight();
        if (!answer) {
            const std::string_view code = answer.error().code;
            note_ = std::string(code) + " (" + answer.error().message + ")";
            if (code == upstream_error::timeout) {
                return send_text(http::status::gateway_timeout,
                                 "relay: the upstream did not answer in time\n", "timeout");
            }
            if (code == upstream_error::unreachable) {
                return send_text(http::status::bad_gateway, "relay: the upstream is unreachable\n",
                                 "unreachable");
            }
            if (code == upstream_error::tls) {
                return send_text(http::status::bad_gateway, "relay: TLS with the upstream failed\n",
                                 "tls");
            }
            if (code == upstream_error::busy) {
                return send_text(http::status::service_unavailable,
                                 "relay: too many answers in progress, retry shortly\n", "busy");
            }
            if (code == upstream_error::too_large) {
                return send_text(http::status::bad_gateway,
                                 "relay: the upstream's answer is too large\n", "too-large");
            }
            return send_text(http::status::bad_gateway, "relay: the upstream's answer is broken\n",
                             "bad-response");
        }
        if (answer->status < 200 || answer->status > 599) {
            note_ = "upstream status " + std::to_string(answer->status);
            return send_text(http::status::bad_gateway, "relay: the upstream's answer is broken\n",
                             "bad-response");
        }
        http::response<http::string_body> res;
        res.version(version_);
        res.result(answer->status);
        res.set(http::field::content_type, content_type);
        res.set(http::field::cache_control, "no-store");
        if (answer->status == 204 || answer->status == 304) answer->body.clear();
        res.body() = std::move(answer->body);
        res.prepare_payload();
        send(std::move(res));
    }

    void serve_file(const Request& req) {
        if (!only(req, {http::verb::get, http::verb::head}, "GET, HEAD")) return;
        const auto relative = static_relative_path(req.target());
        const auto file = relative ? resolve_in_root(state_->config.www, *relative) : std::nullopt;
        if (!file) return send_text(http::status::not_found, "not found\n");
        std::error_code ec;
        const std::uintmax_t size = fs::file_size(*file, ec);
        if (ec) return send_text(http::status::not_found, "not found\n");
        const std::int64_t mtime = mtime_of(*file);
        // Type and caching follow the name the page asked for (a symlink's target may differ).
        const std::string& name = *relative;
        const bool compressible = is_compressible(name);
        // A precompressed sibling (NAME.br, NAME.gz, made at build time) wins when it is at least
        // as new as the file: Brotli first, then gzip, then gzip made here on first request.
        std::optional<fs::path> gz_file;
        std::string_view encoding;
        const std::string* gz_memory = nullptr;
        const auto sibling = [&](const char* suffix) {
            auto p = resolve_in_root(state_->config.www, name + suffix);
            if (p && mtime_of(*p) < mtime) p.reset();
            return p;
        };
        const std::string_view accept = req[http::field::accept_encoding];
        if (compressible && accepts_encoding(accept, "br")) {
            gz_file = sibling(".br");
            if (gz_file) encoding = "br";
        }
        if (compressible && !gz_file && accepts_gzip(accept)) {
            gz_file = sibling(".gz");
            if (!gz_file) gz_memory = state_->gzip.get(*file, size, mtime);
            if (gz_file || gz_memory) encoding = "gzip";
        }
        std::string etag;
        std::uintmax_t length = size;
        if (gz_file) {
            length = fs::file_size(*gz_file, ec);
            if (ec) return send_text(http::status::not_found, "not found\n");
            etag = make_etag(length, mtime_of(*gz_file), encoding == "br" ? "br" : "gz");
        } else if (gz_memory) {
            length = gz_memory->size();
            etag = make_etag(size, mtime, "z");
        } else {
            etag = make_etag(size, mtime, "");
        }
        const auto headers = [&](auto& res) {
            res.set(http::field::content_type, mime_type(name));
            res.set(http::field::cache_control, cache_control(name));
            res.set(http::field::etag, etag);
            if (compressible) res.set(http::field::vary, "Accept-Encoding");
            if (!encoding.empty()) res.set(http::field::content_encoding, encoding);
        };
        if (if_none_match_hits(req[http::field::if_none_match], etag)) {
            http::response<http::empty_body> res{http::status::not_modified, version_};
            headers(res);
            res.erase(http::field::content_encoding);
            return send(std::move(res));
        }
        if (req.method() == http::verb::head) {
            http::response<http::empty_body> res{http::status::ok, version_};
            headers(res);
            res.content_length(length);
            return send(std::move(res));
        }
        if (gz_memory) {
            http::response<http::string_body> res{http::status::ok, version_};
            headers(res);
            res.body() = *gz_memory;
            res.prepare_payload();
            return send(std::move(res));
        }
        http::file_body::value_type body;
        beast::error_code bec;
        body.open((gz_file ? *gz_file : *file).c_str(), beast::file_mode::scan, bec);
        if (bec) return send_text(http::status::not_found, "not found\n");
        http::response<http::file_body> res{http::status::ok, version_};
        headers(res);
        res.body() = std::move(body);
        res.prepare_payload();
        send(std::move(res));
    }

    void send_text(http::status status, std::string text, std::string_view relay_error = {}) {
        http::response<http::string_body> res{status, version_};
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        if (!relay_error.empty()) res.set("X-Relay-Error", relay_error);
        res.body() = std::move(text);
        res.prepare_payload();
        send(std::move(res));
    }

    template <class Body>
    void send(http::response<Body>&& res) {
        set_security_headers(res);
        res.keep_alive(keep_alive_ && !close_after_);
        auto message = std::make_shared<http::response<Body>>(std::move(res));
        status_ = message->result_int();
        const auto length = message->find(http::field::content_length);
        response_bytes_ = length == message->end() ? 0 : std::stoull(std::string(length->value()));
        stream_.expires_after(kWriteTimeout);
        http::async_write(stream_, *message,
                          [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                              self->on_write(ec, message->keep_alive());
                          });
    }

    void unreserve() {
        state_->buffered -= reserved_;
        reserved_ = 0;
    }

    void on_write(beast::error_code ec, bool keep_alive) {
        log();
        unreserve();
        if (ec) return close();
        if (close_after_) return linger_close();
        if (!keep_alive) return close();
        read_header();
    }

    // After an early answer (413, 400) the client may still be sending. Closing a socket with
    // unread data makes the kernel send a reset, which can destroy the answer before the client
    // reads it; so stop sending, swallow what arrives for a moment, then close.
    void linger_close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(kLingerTime);
        discard_.resize(16 * 1024);
        drain();
    }

    void drain() {
        stream_.async_read_some(net::buffer(discard_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->drained_ += n;
                                    if (ec || self->drained_ > kMaxLingerBytes)
                                        return self->stream_.close();
                                    self->drain();
                                });
    }

    void log() {
        if (!state_->config.access_log) return;
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
                .count();
        std::fprintf(stderr, "%s %s %s %u in=%zu out=%llu %.1fms%s%s\n", utc_now().c_str(),
                     method_.c_str(), path_.c_str(), status_, request_bytes_,
                     static_cast<unsigned long long>(response_bytes_), ms, note_.empty() ? "" : " ",
                     note_.c_str());
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::shared_ptr<Server::State> state_;
    std::string client_;     // the peer's IP address, the unit of the per-client limits
    bool inflight_ = false;  // counted in the client's inflight
    std::size_t reserved_ = 0;  // counted in state_->buffered
    std::optional<http::request_parser<http::empty_body>> header_parser_;
    std::optional<http::request_parser<http::string_body>> parser_;
    Route route_ = Route::file;
    unsigned version_ = 11;
    bool keep_alive_ = false;
    bool close_after_ = false;
    // For the access log.
    std::string method_;
    std::string path_;
    std::string note_;
    unsigned status_ = 0;
    std::size_t request_bytes_ = 0;
    std::uint64_t response_bytes_ = 0;
    std::chrono::steady_clock::time_point started_{};
    std::vector<char> discard_;
    std::size_t drained_ = 0;
};

void accept(const std::shared_ptr<Server::State>& state) {
    state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
        if (!ec) {
            const auto peer = socket.remote_endpoint(ec);
            std::string client = ec ? std::string("?") : peer.address().to_string();
            const auto it = state->clients.find(client);
            const std::size_t held = it == state->clients.end() ? 0 : it->second.connections;
            if (ec || state->live >= state->config.max_connections ||
                held >= state->config.max_connections_per_client) {
                socket.close(ec);  // over a limit: refuse rather than queue
            } else {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<Session>(std::move(socket), state, std::move(client))->start();
            }
        }
        accept(state);
    });
}

}  // namespace

Server::Server(net::io_context& ioc, const Config& config, NodeDirectory& directory,
               UpstreamClient& upstream)
    : state_(std::make_shared<State>(ioc, config, directory, upstream)) {}

Server::~Server() { stop(); }

Result<tcp::endpoint> Server::listen() {
    beast::error_code ec;
    const auto address = net::ip::make_address(state_->config.bind, ec);
    if (ec) return fail("server.listen", "'" + state_->config.bind + "' is not an IP address");
    const tcp::endpoint endpoint(address, state_->config.port);
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return fail("server.listen", "cannot listen on " + state_->config.bind + ":" +
                                         std::to_string(state_->config.port) + ": " + ec.message());
    }
    accept(state_);
    return acceptor.local_endpoint();
}

void Server::stop() {
    beast::error_code ignored;
    state_->acceptor.close(ignored);
}

}  // namespace st::relay
