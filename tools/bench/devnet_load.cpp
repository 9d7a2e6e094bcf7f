// devnet_load: drives onion requests at a running devnet and reports sustained throughput and
// latency (native only; not part of st_bench, whose cases also run as wasm).
//
//   devnet_load [--seed URL] [--seconds S] [--warmup S] [--concurrency C]
//               [--enc xchacha20|aes-gcm] [--method info|retrieve|store]
//
// Each of C workers keeps one keep-alive connection to its guard (as a client keeps its guards)
// and sends one request at a time through a fresh 3-hop path [guard, random, random] to a
// destination (any node for info; a member of the test account's swarm for retrieve/store).
// Every request is built and its reply decrypted here, so the numbers include client-side crypto.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "devnet_client.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace devnet_client;
using Steady = std::chrono::steady_clock;

struct Config {
    std::string seed = "http://127.0.0.1:22100/json_rpc";
    double seconds = 10;
    double warmup = 2;
    int concurrency = 16;
    Enc enc = Enc::xchacha20;
    std::string method = "info";
};

struct Stats {
    Steady::time_point measure_from, measure_until;
    std::vector<double> latencies_ms;  // measured window only
    std::size_t errors = 0;
    std::string last_error;
};

class Worker : public std::enable_shared_from_this<Worker> {
public:
    Worker(net::io_context& io, const Config& cfg, const std::vector<NodeInfo>& nodes,
           const NodeInfo& guard, const std::vector<NodeInfo>& dests, const Account& acct,
           Stats& stats, unsigned seed)
        : io_{io}, cfg_{cfg}, nodes_{nodes}, guard_{guard}, dests_{dests}, acct_{acct},
          stats_{stats}, stream_{io}, rng_{seed} {}

    void start() { next(); }

private:
    void next() {
        if (Steady::now() >= stats_.measure_until) return;
        // A fresh path: the guard, then two other random nodes, none of them the destination.
        const NodeInfo& dest = dests_[pick(dests_.size())];
        std::vector<NodeInfo> path{guard_};
        while (path.size() < 3) {
            const NodeInfo& n = nodes_[pick(nodes_.size())];
            bool used = n.ed == dest.ed;
            for (const auto& p : path) used |= p.ed == n.ed;
            if (!used) path.push_back(n);
        }
        std::string payload;
        if (cfg_.method == "retrieve")
            payload = rpc_body("retrieve", acct_.retrieve(0, now_ms()));
        else if (cfg_.method == "store")
            payload = rpc_body("store", store_params(acct_.session_id(), now_ms(), 3600'000,
                                                     "load " + std::to_string(counter_++) +
                                                             std::to_string(rng_())));
        else
            payload = rpc_body("info", json::object());
        OnionOptions opts;
        opts.enc = cfg_.enc;
        onion_ = build_onion(path, dest, payload, opts);

        req_ = {};
        req_.method(http::verb::post);
        req_.target("/onion_req/v2");
        req_.version(11);
        req_.set(http::field::host, "127.0.0.1");
        req_.keep_alive(true);
        req_.body() = onion_.body;
        req_.prepare_payload();
        started_ = Steady::now();
        if (connected_)
            write();
        else
            connect();
    }

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng_); }

    void connect() {
        tcp::endpoint ep{net::ip::make_address("127.0.0.1"), guard_.port};
        stream_.expires_after(std::chrono::seconds{30});
        stream_.async_connect(ep, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return self->fail("connect: " + ec.message());
            self->connected_ = true;
            beast::error_code ignored;
            self->stream_.socket().set_option(tcp::no_delay{true}, ignored);
            self->write();
        });
    }

    void write() {
        stream_.expires_after(std::chrono::seconds{30});
        http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("write: " + ec.message());
            self->res_ = {};
            http::async_read(self->stream_, self->buffer_, self->res_,
                             [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
        });
    }

    void on_read(beast::error_code ec) {
        if (ec) return fail("read: " + ec.message());
        auto done = Steady::now();
        bool ok = false;
        if (res_.result_int() == 200) {
            if (auto plain = decrypt_reply(onion_, res_.body())) {
                auto j = json::parse(*plain, nullptr, false);
                ok = !j.is_discarded() && j.value("status", 0) == 200;
                if (!ok) stats_.last_error = "inner: " + plain->substr(0, 200);
            } else {
                stats_.last_error = "reply did not decrypt";
            }
        } else {
            stats_.last_error = std::to_string(res_.result_int()) + " " + res_.body().substr(0, 200);
        }
        if (started_ >= stats_.measure_from && done <= stats_.measure_until) {
            if (ok)
                stats_.latencies_ms.push_back(
                        std::chrono::duration<double, std::milli>(done - started_).count());
            else
                ++stats_.errors;
        }
        if (!res_.keep_alive()) {
            beast::error_code ignored;
            stream_.socket().close(ignored);
            connected_ = false;
        }
        next();
    }

    void fail(const std::string& what) {
        if (Steady::now() < stats_.measure_until && started_ >= stats_.measure_from) ++stats_.errors;
        stats_.last_error = what;
        beast::error_code ignored;
        stream_.socket().close(ignored);
        connected_ = false;
        // Back off a little, then carry on with a new connection.
        auto timer = std::make_shared<net::steady_timer>(io_, std::chrono::milliseconds{50});
        timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->next(); });
    }

    net::io_context& io_;
    const Config& cfg_;
    const std::vector<NodeInfo>& nodes_;
    NodeInfo guard_;
    const std::vector<NodeInfo>& dests_;
    const Account& acct_;
    Stats& stats_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    http::response<http::string_body> res_;
    OnionRequest onion_;
    Steady::time_point started_;
    bool connected_ = false;
    std::mt19937 rng_;
    std::uint64_t counter_ = 0;
};

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

[[noreturn]] void usage(const std::string& msg) {
    std::cerr << "devnet_load: " << msg
              << "\nusage: devnet_load [--seed URL] [--seconds S] [--warmup S] [--concurrency C]\n"
                 "                   [--enc xchacha20|aes-gcm] [--method info|retrieve|store]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    Config cfg;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        try {
            if (a == "--seed")
                cfg.seed = value();
            else if (a == "--seconds")
                cfg.seconds = std::stod(value());
            else if (a == "--warmup")
                cfg.warmup = std::stod(value());
            else if (a == "--concurrency")
                cfg.concurrency = std::stoi(value());
            else if (a == "--enc") {
                auto e = value();
                if (e != "xchacha20" && e != "aes-gcm") usage("--enc is xchacha20 or aes-gcm");
                cfg.enc = e == "xchacha20" ? Enc::xchacha20 : Enc::aes_gcm;
            } else if (a == "--method") {
                cfg.method = value();
                if (cfg.method != "info" && cfg.method != "retrieve" && cfg.method != "store")
                    usage("--method is info, retrieve or store");
            } else
                usage("unknown argument " + a);
        } catch (const std::invalid_argument&) {
            usage(a + " expects a number");
        }
    }
    if (cfg.concurrency < 1 || cfg.seconds <= 0 || cfg.warmup < 0) usage("bad numbers");

    init();
    std::vector<NodeInfo> nodes;
    try {
        nodes = fetch_nodes(cfg.seed);
    } catch (const std::exception& e) {
        std::cerr << "devnet_load: cannot read the node list from " << cfg.seed << ": " << e.what()
                  << "\n";
        return 1;
    }
    if (nodes.size() < 4) {
        std::cerr << "devnet_load: need at least 4 nodes\n";
        return 1;
    }
    auto acct = Account::random();
    std::vector<NodeInfo> dests = nodes;
    if (cfg.method != "info") {
        auto sw = swarm_of(acct.session_id(), nodes);
        dests.clear();
        for (const auto& n : nodes)
            if (n.swarm_id == sw) dests.push_back(n);
    }

    net::io_context io{1};
    Stats stats;
    auto begin = Steady::now();
    stats.measure_from = begin + std::chrono::duration_cast<Steady::duration>(
                                         std::chrono::duration<double>{cfg.warmup});
    stats.measure_until = stats.measure_from + std::chrono::duration_cast<Steady::duration>(
                                                       std::chrono::duration<double>{cfg.seconds});
    std::vector<std::shared_ptr<Worker>> workers;
    for (int w = 0; w < cfg.concurrency; ++w) {
        const NodeInfo& guard = nodes[static_cast<std::size_t>(w) % nodes.size()];
        workers.push_back(std::make_shared<Worker>(io, cfg, nodes, guard, dests, acct, stats,
                                                   static_cast<unsigned>(w * 7919 + 1)));
        workers.back()->start();
    }
    io.run();

    auto& lat = stats.latencies_ms;
    double rps = static_cast<double>(lat.size()) / cfg.seconds;
    std::vector<double> sorted = lat;
    double p50 = percentile(sorted, 50), p95 = percentile(sorted, 95), p99 = percentile(sorted, 99);
    double max = sorted.empty() ? 0 : *std::max_element(sorted.begin(), sorted.end());
    std::printf("devnet_load: %s via 3-hop onion (%s), %d concurrent, %zu nodes, %.0f s measured\n",
                cfg.method.c_str(), cfg.enc == Enc::xchacha20 ? "xchacha20" : "aes-gcm",
                cfg.concurrency, nodes.size(), cfg.seconds);
    std::printf("  requests ok   %zu\n  errors        %zu\n  throughput    %.0f req/s\n",
                lat.size(), stats.errors, rps);
    std::printf("  latency ms    p50 %.1f   p95 %.1f   p99 %.1f   max %.1f\n", p50, p95, p99, max);
    if (stats.errors) std::printf("  last error    %s\n", stats.last_error.c_str());
    return stats.errors == 0 ? 0 : 1;
}
