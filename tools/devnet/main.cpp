// devnet: a local Session network on 127.0.0.1 (see README.md).
//
//   devnet [--nodes N] [--port P] [--data DIR] [--swarm-size S] [--tls]
//          [--relay-timeout MS] [--forward-timeout MS] [--ons NAME=SESSION_ID ...]
//
// Prints the seed URL and the node list once every listener is bound, then a line "devnet:
// ready"; SIGINT/SIGTERM stop it cleanly (exit 0). Exit 2 on bad arguments, 1 on startup failure.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "crypto.hpp"
#include "network.hpp"
#include "util.hpp"

namespace {

constexpr const char* kUsage =
        "usage: devnet [--nodes N] [--port P] [--data DIR] [--swarm-size S] [--tls]\n"
        "              [--relay-timeout MS] [--forward-timeout MS] [--ons NAME=SESSION_ID ...]\n"
        "  --nodes N            service nodes to run (default 12)\n"
        "  --port P             seed/admin port; node i listens on P+1+i (default 22100;\n"
        "                       0 = pick free ports)\n"
        "  --data DIR           keys, topology and messages (default: devnet-data beside the\n"
        "                       executable); the same DIR brings the same network back\n"
        "  --swarm-size S       nodes per swarm for a new network (default 4)\n"
        "  --tls                every node and the seed serve HTTPS with their own self-signed\n"
        "                       certificate (made at the first --tls start, kept in DIR); the\n"
        "                       seed certificate's SHA-256 is printed and written to DIR/seed.pin\n"
        "  --relay-timeout MS   how long a node waits on a stopped next hop before 504\n"
        "                       (default 30000, as a real node)\n"
        "  --forward-timeout MS how long a node waits on a stopped swarm peer (default 5000)\n"
        "  --ons NAME=ID        registers the ONS name NAME (Session rules: a-z 0-9 _ -, 1..64,\n"
        "                       case-insensitive) for Session ID ID; repeatable. The nodes answer\n"
        "                       oxend_request ons_resolve for it as oxend does\n";

[[noreturn]] void usage_error(const std::string& msg) {
    std::cerr << "devnet: " << msg << "\n" << kUsage;
    std::exit(2);
}

long parse_number(std::string_view flag, const char* text, long lo, long hi) {
    std::int64_t v = 0;
    if (!devnet::parse_int(text, v) || v < lo || v > hi)
        usage_error(std::string{flag} + " expects an integer in [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "]");
    return static_cast<long>(v);
}

std::string default_data_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return "devnet-data";
    return (exe.parent_path() / "devnet-data").string();
}

}  // namespace

int main(int argc, char** argv) {
    devnet::crypto_init();  // --ons encrypts the names' values while the arguments are read
    devnet::Options opts;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage_error(std::string{a} + " needs a value");
            return argv[++i];
        };
        if (a == "--nodes")
            opts.nodes = static_cast<int>(parse_number(a, value(), 1, 1000));
        else if (a == "--port")
            opts.port = static_cast<std::uint16_t>(parse_number(a, value(), 0, 65535));
        else if (a == "--tls")
            opts.tls = true;
        else if (a == "--data")
            opts.data_dir = value();
        else if (a == "--swarm-size")
            opts.swarm_size = static_cast<int>(parse_number(a, value(), 1, 1000));
        else if (a == "--relay-timeout")
            opts.relay_timeout = std::chrono::milliseconds{parse_number(a, value(), 1, 600'000)};
        else if (a == "--forward-timeout")
            opts.forward_timeout = std::chrono::milliseconds{parse_number(a, value(), 1, 600'000)};
        else if (a == "--ons") {
            const std::string_view spec = value();
            const auto eq = spec.find('=');
            if (eq == std::string_view::npos)
                usage_error("--ons expects NAME=SESSION_ID, got '" + std::string{spec} + "'");
            std::string reason;
            if (!opts.ons.add(spec.substr(0, eq), spec.substr(eq + 1), &reason))
                usage_error("--ons " + std::string{spec} + ": " + reason);
        } else if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else
            usage_error("unknown argument " + std::string{a});
    }
    if (opts.data_dir.empty()) opts.data_dir = default_data_dir();

    // A reader of our stdout may go away (a test harness, a pipe to head): keep running.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        devnet::crypto_init();
        boost::asio::io_context io{1};
        devnet::Devnet net{io, opts};
        net.start();

        boost::asio::signal_set signals{io, SIGINT, SIGTERM};
        signals.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            std::cout << "devnet: stopping" << std::endl;
            net.shutdown();
            io.stop();
        });

        auto st = net.status();
        std::cout << "devnet: " << net.nodes().size() << " nodes in " << st["swarms"].size()
                  << " swarms, data " << std::filesystem::absolute(opts.data_dir).string() << "\n"
                  << "devnet: seed  " << st["seed"].get<std::string>() << "\n"
                  << "devnet: admin " << st["admin"].get<std::string>() << "\n";
        if (opts.tls) std::cout << "devnet: seed-pin " << net.seed_pin() << "\n";
        for (const auto& n : st["nodes"]) {
            char line[300];
            std::snprintf(line, sizeof line, "  node %2d  %s  ed25519 %s  x25519 %s  swarm %s\n",
                          n["index"].get<int>(), n["url"].get<std::string>().c_str(),
                          n["pubkey_ed25519"].get<std::string>().c_str(),
                          n["pubkey_x25519"].get<std::string>().c_str(),
                          n["swarm"].get<std::string>().c_str());
            std::cout << line;
        }
        for (const auto& [name, id] : opts.ons.names())
            std::cout << "  ons " << name << " -> " << id << "\n";
        std::cout << "devnet: ready" << std::endl;

        // A handler that throws is a devnet bug, but must not take the whole network down.
        for (;;) {
            try {
                io.run();
                break;
            } catch (const std::exception& e) {
                std::cerr << "devnet: internal error: " << e.what() << std::endl;
            }
        }
        std::cout << "devnet: stopped" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "devnet: " << e.what() << std::endl;
        return 1;
    }
}
