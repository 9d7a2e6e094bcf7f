// relay_bench: how many onion requests per second the relay forwards to a guard on loopback.
//   relay_bench --relay PATH [--connections N] [--seconds S] [--size BYTES] [--node-scheme http]
// Starts a fake seed and a fake guard (echo) in this process, runs the real relay binary against
// them with --quiet, then keeps N page connections busy with POST /relay/onion/<key> for S seconds
// and prints requests/s and latency percentiles. A measurement, not a test: nothing is asserted.
// Then the same load straight to the fake guard for S seconds: the difference of the percentiles
// is what the relay adds. Also the relay's resident memory (VmRSS at the end, VmHWM: its peak).
// All connections come from 127.0.0.1, so the relay runs with the per-client limits raised to
// --connections (pages behind one address would otherwise get 429 above 16 in flight).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kKey(64, 'b');

// The fake seed and guard: one listener each, keep-alive, answers computed from the request.
class FakeServer : public std::enable_shared_from_this<FakeServer> {
public:
    using Handler = std::function<std::string(const http::request<http::string_body>&)>;
    FakeServer(net::io_context& ioc, Handler handler)
        : acceptor_(ioc, tcp::endpoint(net::ip::address_v4::loopback(), 0)),
          handler_(std::move(handler)) {}
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    void start() {
        acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
            if (ec) return;
            s.set_option(tcp::no_delay(true), ec);
            serve(std::make_shared<beast::tcp_stream>(std::move(s)), self->handler_);
            self->start();
        });
    }

private:
    struct Exchange {
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::response<http::string_body> res;
    };
    static void serve(std::shared_ptr<beast::tcp_stream> stream, Handler handler) {
        auto ex = std::make_shared<Exchange>();
        http::async_read(
            *stream, ex->buffer, ex->req, [stream, handler, ex](beast::error_code ec, std::size_t) {
                if (ec) return;
                ex->res.result(http::status::ok);
                ex->res.version(11);
                ex->res.keep_alive(ex->req.keep_alive());
                ex->res.body() = handler(ex->req);
                ex->res.prepare_payload();
                http::async_write(*stream, ex->res,
                                  [stream, handler, ex](beast::error_code e, std::size_t) {
                                      if (e || !ex->res.keep_alive()) return;
                                      serve(stream, handler);
                                  });
            });
    }
    tcp::acceptor acceptor_;
    Handler handler_;
};

// One page connection: POST, wait for the answer, repeat until the end time.
class Client : public std::enable_shared_from_this<Client> {
public:
    Client(net::io_context& ioc, tcp::endpoint relay, std::string body, Clock::time_point end,
           std::vector<double>& latencies, std::size_t& errors)
        : stream_(ioc), relay_(relay), end_(end), latencies_(latencies), errors_(errors) {
        req_.method(http::verb::post);
        req_.target("/relay/onion/" + kKey);
        req_.version(11);
        req_.set(http::field::host, "127.0.0.1");
        req_.set(http::field::content_type, "application/octet-stream");
        req_.body() = std::move(body);
        req_.prepare_payload();
    }
    void start() {
        stream_.async_connect(relay_, [self = shared_from_this()](beast::error_code ec) {
            if (ec) {
                ++self->errors_;
                return;
            }
            self->stream_.socket().set_option(tcp::no_delay(true), ec);
            self->send();
        });
    }

private:
    void send() {
        if (Clock::now() >= end_) return;
        sent_ = Clock::now();
        http::async_write(
            stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) {
                    ++self->errors_;
                    return;
                }
                self->res_ = {};
                http::async_read(self->stream_, self->buffer_, self->res_,
                                 [self](beast::error_code e, std::size_t) { self->on_read(e); });
            });
    }
    void on_read(beast::error_code ec) {
        if (ec || res_.result() != http::status::ok || res_.body().size() != req_.body().size()) {
            ++errors_;
            if (ec) return;
        } else {
            latencies_.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - sent_).count());
        }
        send();
    }
    beast::tcp_stream stream_;
    tcp::endpoint relay_;
    Clock::time_point end_;
    std::vector<double>& latencies_;
    std::size_t& errors_;
    http::request<http::string_body> req_;
    http::response<http::string_body> res_;
    beast::flat_buffer buffer_;
    Clock::time_point sent_;
};

// Runs the relay with stdout on a pipe; returns its pid and the port from the printed URL.
std::pair<pid_t, unsigned short> start_relay(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::perror("exec relay");
        _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) {
        std::fprintf(stderr, "relay_bench: the relay printed no URL\n");
        std::exit(1);
    }
    return {pid, static_cast<unsigned short>(std::atoi(line.c_str() + colon + 1))};
}

// "VmRSS" or "VmHWM" of a process, in KiB (0 if unknown).
long memory_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
    }
    return 0;
}

struct Run {
    std::vector<double> latencies;
    std::size_t errors = 0;
    double elapsed = 0;
    double pct(double p) const {
        return latencies.empty()
                   ? 0.0
                   : latencies[std::min(
                         latencies.size() - 1,
                         static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
    }
};

// N connections busy with POST /relay/onion/<key> to `target` for `seconds`.
Run load(tcp::endpoint target, std::size_t connections, std::size_t size, int seconds) {
    net::io_context ioc{1};
    Run run;
    const auto begin = Clock::now();
    const auto end = begin + std::chrono::seconds(seconds);
    for (std::size_t i = 0; i < connections; ++i) {
        std::make_shared<Client>(ioc, target, std::string(size, '\x5a'), end, run.latencies,
                                 run.errors)
            ->start();
    }
    ioc.run();
    run.elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    std::sort(run.latencies.begin(), run.latencies.end());
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    std::string relay_path;
    std::size_t connections = 16, size = 2048;
    int seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--relay")
            relay_path = argv[i + 1];
        else if (flag == "--connections")
            connections = std::stoul(argv[i + 1]);
        else if (flag == "--seconds")
            seconds = std::stoi(argv[i + 1]);
        else if (flag == "--size")
            size = std::stoul(argv[i + 1]);
    }
    if (relay_path.empty()) {
        std::fprintf(stderr,
                     "usage: relay_bench --relay PATH [--connections N] [--seconds S] "
                     "[--size BYTES]\n");
        return 2;
    }

    net::io_context servers_ioc{1};
    auto guard = std::make_shared<FakeServer>(
        servers_ioc, [](const http::request<http::string_body>& req) { return req.body(); });
    const unsigned short guard_port = guard->port();
    auto seed = std::make_shared<FakeServer>(servers_ioc, [guard_port](const auto&) {
        return R"({"result":{"service_node_states":[{"public_ip":"127.0.0.1","storage_port":)" +
               std::to_string(guard_port) + R"(,"pubkey_ed25519":")" + kKey + R"("}]}})";
    });
    guard->start();
    seed->start();
    std::thread servers([&] { servers_ioc.run(); });

    const auto www = std::filesystem::temp_directory_path();
    const std::string per_client = std::to_string(std::max<std::size_t>(connections, 16));
    auto [pid, port] = start_relay({relay_path, "--port", "0", "--quiet", "--www", www.string(),
                                    "--seed", "http://127.0.0.1:" + std::to_string(seed->port()),
                                    "--max-connections", std::to_string(std::max<std::size_t>(connections + 16, 512)),
                                    "--max-connections-per-client", per_client,
                                    "--max-inflight-per-client", per_client});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the relay fetches the list

    const Run relayed =
        load(tcp::endpoint(net::ip::address_v4::loopback(), port), connections, size, seconds);
    const long rss = memory_kib(pid, "VmRSS");
    const long peak = memory_kib(pid, "VmHWM");
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    const Run direct =
        load(tcp::endpoint(net::ip::address_v4::loopback(), guard_port), connections, size, seconds);
    servers_ioc.stop();
    servers.join();

    std::printf(
        "relay_bench: %zu connections, %zu-byte bodies, %.1f s: %zu requests, %.0f req/s, "
        "latency p50 %.2f ms p95 %.2f ms p99 %.2f ms, %zu errors\n",
        connections, size, relayed.elapsed, relayed.latencies.size(),
        static_cast<double>(relayed.latencies.size()) / relayed.elapsed, relayed.pct(0.5),
        relayed.pct(0.95), relayed.pct(0.99), relayed.errors);
    std::printf("relay_bench: straight to the guard: %.0f req/s, p50 %.2f ms p95 %.2f ms; "
                "added by the relay: p50 %.2f ms p95 %.2f ms\n",
                static_cast<double>(direct.latencies.size()) / direct.elapsed, direct.pct(0.5),
                direct.pct(0.95), relayed.pct(0.5) - direct.pct(0.5),
                relayed.pct(0.95) - direct.pct(0.95));
    std::printf("relay_bench: relay memory: VmRSS %ld KiB, peak (VmHWM) %ld KiB\n", rss, peak);
    return relayed.errors == 0 ? 0 : 1;
}
