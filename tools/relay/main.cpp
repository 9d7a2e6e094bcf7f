// relay: serves the web build and forwards the page's onion requests to guard nodes (see
// README.md). One thread, one io_context; SIGINT/SIGTERM stop it with exit code 0.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "relay/node_directory.hpp"
#include "relay/options.hpp"
#include "relay/server.hpp"
#include "relay/upstream.hpp"

int main(int argc, char** argv) {
    using namespace st::relay;
    auto parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!parsed) {
        std::cerr << "relay: " << parsed.error().message << " (see relay --help)\n";
        return 2;
    }
    if (!*parsed) {
        std::cout << kUsage;
        return 0;
    }
    const Config config = std::move(**parsed);
    std::signal(SIGPIPE, SIG_IGN);

    boost::asio::io_context ioc{1};
    auto upstream = UpstreamClient::create(ioc);
    if (!upstream) {
        std::cerr << "relay: " << upstream.error().message << '\n';
        return 2;
    }
    (*upstream)->set_answer_budget(config.max_answers);
    NodeDirectory directory(ioc, **upstream, config);
    Server server(ioc, config, directory, **upstream);
    auto endpoint = server.listen();
    if (!endpoint) {
        std::cerr << "relay: " << endpoint.error().message << '\n';
        return 1;
    }

    // The URL a browser can open: an unspecified bind address is reachable on loopback.
    auto address = endpoint->address();
    if (address.is_unspecified()) {
        address = address.is_v4()
                      ? boost::asio::ip::address(boost::asio::ip::address_v4::loopback())
                      : boost::asio::ip::address(boost::asio::ip::address_v6::loopback());
    }
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    std::string seeds;
    for (const auto& seed : config.seeds) {
        seeds += (seeds.empty() ? "" : ", ") + to_string(seed.url);
        if (!seed.pins.empty()) seeds += " (pinned)";
    }
    std::fprintf(stderr, "relay: %s network, seed%s %s, nodes over %s, serving %s\n",
                 config.network.c_str(), config.seeds.size() == 1 ? "" : "s", seeds.c_str(),
                 std::string(to_string(config.node_scheme)).c_str(), config.www.c_str());
    std::printf("http://%s:%u/\n", host.c_str(), static_cast<unsigned>(endpoint->port()));
    std::fflush(stdout);

    directory.start();
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        std::fprintf(stderr, "relay: signal %d, stopping\n", signal);
        server.stop();
        directory.stop();
        ioc.stop();
    });
    ioc.run();
    return 0;
}
