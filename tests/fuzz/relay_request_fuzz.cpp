// The relay's HTTP request parsing (issue 11): any bytes a client sends — request line, headers,
// Content-Length or chunked bodies, Expect, pipelined requests — go to a real relay Server on
// loopback, in process, over a real TCP connection that the client then half-closes. The relay
// must answer with HTTP or close, and must close once the client has nothing more to say: a
// connection still open after that is a hang (the input is reported as a crash). Routes reach
// their real handlers: static files from a temporary folder, /relay/info, /relay/seed and
// /relay/onion/<key> (no node is known and the seed is a closed port, so nothing leaves loopback).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <unistd.h>
#include <string>
#include <vector>

#include "relay/node_directory.hpp"
#include "relay/options.hpp"
#include "relay/server.hpp"
#include "relay/upstream.hpp"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Relay {
    net::io_context ioc{1};
    std::filesystem::path www;
    st::relay::Config config;
    std::unique_ptr<st::relay::UpstreamClient> upstream;
    std::unique_ptr<st::relay::NodeDirectory> directory;
    std::unique_ptr<st::relay::Server> server;
    tcp::endpoint endpoint;

    Relay() {
        www = std::filesystem::temp_directory_path() /
              ("relay-fuzz-" + std::to_string(static_cast<long>(::getpid())));
        std::filesystem::create_directories(www / "fonts");
        std::ofstream(www / "index.html") << "<!doctype html><p>relay fuzz</p>";
        std::ofstream(www / "app.0123456789abcdef.js") << "console.log(1)";
        std::ofstream(www / "fonts" / "a.ttf") << std::string(3000, 'f');
        // Port 1 on loopback: a seed nobody answers for, so seed requests fail at once.
        auto parsed = st::relay::parse_options({"--www", www.string(), "--port", "0", "--seed",
                                                "http://127.0.0.1:1", "--quiet",
                                                "--header-timeout-s", "5"});
        if (!parsed || !*parsed) std::abort();
        config = std::move(**parsed);
        auto client = st::relay::UpstreamClient::create(ioc);
        if (!client) std::abort();
        upstream = std::move(*client);
        directory = std::make_unique<st::relay::NodeDirectory>(ioc, *upstream, config);
        server = std::make_unique<st::relay::Server>(ioc, config, *directory, *upstream);
        auto bound = server->listen();
        if (!bound) std::abort();
        endpoint = *bound;
    }
};

Relay& relay() {
    static Relay* r = new Relay();  // lives for the whole run (libFuzzer never returns)
    static const bool cleanup_registered = [] {
        // libFuzzer ends with exit(): remove the temporary site then.
        return std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(relay().www, ignored);
        }) == 0;
    }();
    (void)cleanup_registered;
    return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Relay& r = relay();
    tcp::socket socket(r.ioc);
    boost::system::error_code ec;
    socket.connect(r.endpoint, ec);
    if (ec) std::abort();

    bool done = false;
    std::string answer;
    std::vector<char> chunk(16 * 1024);
    std::function<void()> read_more = [&] {
        socket.async_read_some(net::buffer(chunk), [&](boost::system::error_code e, std::size_t n) {
            answer.append(chunk.data(), n);
            if (e) {
                done = true;
                return;
            }
            read_more();
        });
    };
    net::async_write(socket, net::buffer(data, size), [&](boost::system::error_code, std::size_t) {
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_send, ignored);  // "that is all I have to say"
    });
    read_more();

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done) {
        r.ioc.run_one_for(std::chrono::milliseconds(200));
        if (std::chrono::steady_clock::now() > deadline) {
            std::fprintf(stderr, "the relay kept a half-closed connection open for 20 s\n");
            std::abort();
        }
    }
    // Whatever came back is HTTP from its first byte.
    if (!answer.empty() && answer.rfind("HTTP/1.", 0) != 0) std::abort();
    socket.close(ec);
    // Let the server's side of the connection finish before the next input.
    r.ioc.poll();
    return 0;
}
