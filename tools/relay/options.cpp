#include "relay/options.hpp"

#include <charconv>
#include <utility>

namespace st::relay {

const char* const kUsage = R"(usage: relay --www DIR [options]
Serves the web build in DIR and forwards the page's onion requests to guard nodes.
  --www DIR               the folder to serve (index.html, .js, .wasm, fonts, .data)
  --port P                TCP port (default 8080; 0 picks a free one)
  --bind ADDR             address to listen on (default 127.0.0.1)
  --network devnet|live   shown to the page by GET /relay/info (default devnet); on live,
                          nodes with loopback/private addresses are ignored
  --seed URL              seed node (default http://127.0.0.1:22100 on devnet; required on live);
                          repeatable: the node list is fetched from them in a random order,
                          falling back to the next when one fails
  --seed-pin SHA256       accept the https seed given before it (the only one, if there is one
                          seed) by its certificate's SHA-256 instead of the system CAs
                          (repeatable; hex, colons allowed)
  --node-scheme http|https  how to reach nodes (default: the first seed's scheme)
  --node-timeout-ms N     deadline of one forwarded onion request (default 35000)
  --seed-timeout-ms N     deadline of one seed request (default 10000)
  --refresh-s N           node list refresh interval (default 600)
  --max-body BYTES        largest onion request body (default 10485760)
  --max-connections N     simultaneous page connections (default 512)
  --max-connections-per-client N  of them from one client address (default 64)
  --max-inflight-per-client N     forwarded requests of one client address waiting for a node
                          or the seed at once (default 16; more: 429 too-many-requests)
  --max-buffered-mib N    request bodies held at once, all clients together (default 256;
                          more: 503 busy)
  --max-answers-mib N     answers from nodes and seeds being read at once, all requests
                          together (default 256; more: 503 busy)
  --header-timeout-s N    a request header must arrive within N s of the connection opening
                          or going idle, a body within 2N s (default 60)
  --kiosk                 kiosk mode for every page served: nothing is kept in the browser,
                          and a page idle for --kiosk-idle-s (default 300) counts down 30 s
                          and wipes itself (docs/kiosk.md)
  --kiosk-idle-s N        the idle time of kiosk mode (30 to 86400)
  --quiet                 no access log
Prints the URL on stdout once listening; logs go to stderr. SIGINT/SIGTERM stop it.
)";

namespace {

Result<std::uint64_t> number(const std::string& flag, const std::string& text, std::uint64_t min,
                             std::uint64_t max) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        return fail("options.invalid", flag + " wants a number from " + std::to_string(min) +
                                           " to " + std::to_string(max) + ", not '" + text + "'");
    }
    return value;
}

// A certificate's SHA-256 as 64 lowercase hex digits, from hex with or without colons (the form
// `openssl x509 -fingerprint -sha256` prints).
Result<std::string> normalize_pin(const std::string& text) {
    std::string hex;
    for (char c : text) {
        if (c == ':') continue;
        hex += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return fail("options.invalid",
                    "--seed-pin must be a SHA-256 fingerprint (64 hex digits, colons allowed)");
    }
    return hex;
}

}  // namespace

Result<std::optional<Config>> parse_options(const std::vector<std::string>& args) {
    Config config;
    std::optional<std::string> www;
    // Each --seed with the pins that follow it; pins given before the first --seed wait in
    // `early_pins` (only allowed with a single seed).
    std::vector<std::pair<std::string, std::vector<std::string>>> seeds;
    std::vector<std::string> early_pins;
    std::optional<std::string> node_scheme;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") return std::optional<Config>{};
        if (flag == "--quiet") {
            config.access_log = false;
            continue;
        }
        if (flag == "--kiosk") {
            config.kiosk = true;
            continue;
        }
        if (flag.rfind("--", 0) != 0) {
            return fail("options.invalid", "unexpected argument '" + flag + "'");
        }
        if (i + 1 >= args.size()) return fail("options.invalid", flag + " needs a value");
        const std::string& value = args[++i];
        if (flag == "--www") {
            www = value;
        } else if (flag == "--port") {
            auto n = number(flag, value, 0, 65535);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.port = static_cast<std::uint16_t>(*n);
        } else if (flag == "--bind") {
            config.bind = value;
        } else if (flag == "--network") {
            if (value != "devnet" && value != "live") {
                return fail("options.invalid", "--network is devnet or live, not '" + value + "'");
            }
            config.network = value;
        } else if (flag == "--seed") {
            seeds.push_back({value, {}});
        } else if (flag == "--seed-pin") {
            auto pin = normalize_pin(value);
            if (!pin) return Unexpected<Error>(std::move(pin).error());
            (seeds.empty() ? early_pins : seeds.back().second).push_back(std::move(*pin));
        } else if (flag == "--node-scheme") {
            if (value != "http" && value != "https") {
                return fail("options.invalid",
                            "--node-scheme is http or https, not '" + value + "'");
            }
            node_scheme = value;
        } else if (flag == "--node-timeout-ms" || flag == "--seed-timeout-ms") {
            auto n = number(flag, value, 1, 600000);
            if (!n) return Unexpected<Error>(std::move(n).error());
            (flag == "--node-timeout-ms" ? config.node_timeout : config.seed_timeout) =
                std::chrono::milliseconds(*n);
        } else if (flag == "--refresh-s") {
            auto n = number(flag, value, 1, 86400);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.refresh = std::chrono::seconds(*n);
        } else if (flag == "--max-body") {
            auto n = number(flag, value, 1, 256u * 1024 * 1024);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_body = static_cast<std::size_t>(*n);
        } else if (flag == "--max-connections") {
            auto n = number(flag, value, 1, 100000);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_connections = static_cast<std::size_t>(*n);
        } else if (flag == "--max-connections-per-client") {
            auto n = number(flag, value, 1, 100000);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_connections_per_client = static_cast<std::size_t>(*n);
        } else if (flag == "--max-buffered-mib") {
            auto n = number(flag, value, 1, 65536);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_buffered = static_cast<std::size_t>(*n) * 1024 * 1024;
        } else if (flag == "--max-answers-mib") {
            auto n = number(flag, value, 1, 65536);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_answers = static_cast<std::size_t>(*n) * 1024 * 1024;
        } else if (flag == "--header-timeout-s") {
            auto n = number(flag, value, 1, 3600);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.header_timeout = std::chrono::seconds(*n);
        } else if (flag == "--kiosk-idle-s") {
            auto n = number(flag, value, 30, 86400);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.kiosk_idle = std::chrono::seconds(*n);
        } else if (flag == "--max-inflight-per-client") {
            auto n = number(flag, value, 1, 100000);
            if (!n) return Unexpected<Error>(std::move(n).error());
            config.max_inflight_per_client = static_cast<std::size_t>(*n);
        } else {
            return fail("options.invalid", "unknown option '" + flag + "'");
        }
    }
    if (!www) return fail("options.invalid", "--www DIR is required");
    std::error_code ec;
    config.www = std::filesystem::canonical(*www, ec);
    if (ec || !std::filesystem::is_directory(config.www, ec)) {
        return fail("options.invalid", "--www '" + *www + "' is not a folder");
    }
    if (seeds.empty()) {
        if (config.network == "live") {
            return fail("options.invalid", "--seed URL is required with --network live");
        }
        if (!early_pins.empty()) return fail("options.invalid", "--seed-pin needs an https seed");
        seeds.push_back({"http://127.0.0.1:22100", {}});
    }
    if (!early_pins.empty()) {
        if (seeds.size() > 1) {
            return fail("options.invalid",
                        "--seed-pin before the first --seed is ambiguous with several seeds: put "
                        "each seed's pins after its --seed");
        }
        auto& pins = seeds.front().second;
        pins.insert(pins.begin(), early_pins.begin(), early_pins.end());
    }
    for (auto& [text, pins] : seeds) {
        auto url = parse_url(text);
        if (!url) return fail("options.invalid", "--seed: " + url.error().message);
        if (!pins.empty() && url->scheme != Scheme::https) {
            return fail("options.invalid", "--seed-pin needs an https seed, and " +
                                               to_string(*url) + " is http");
        }
        for (const auto& other : config.seeds) {
            if (to_string(other.url) == to_string(*url)) {
                return fail("options.invalid", "--seed " + to_string(*url) + " is given twice");
            }
        }
        config.seeds.push_back(Seed{std::move(*url), std::move(pins)});
    }
    config.node_scheme = node_scheme ? (*node_scheme == "https" ? Scheme::https : Scheme::http)
                                     : config.seeds.front().url.scheme;
    return std::optional<Config>(std::move(config));
}

}  // namespace st::relay
