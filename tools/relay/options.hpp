// The relay's command line. Every option has a default except --www; see kUsage in options.cpp
// (printed by `relay --help`) and README.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "relay/url.hpp"
#include "st/base/error.hpp"

namespace st::relay {

// One seed node: the relay asks it for the node list (and passes the page's get_n_service_nodes
// to it). With several, each fetch tries them in a random order and falls back to the next one
// when one fails, as Session Desktop does (ts/session/apis/seed_node_api/SeedNodeAPI.ts).
struct Seed {
    Url url;
    // SHA-256 fingerprints of the certificates accepted from this seed, 64 lowercase hex digits
    // each (normalised by parse_options). Empty: an https seed is checked against the system CAs.
    std::vector<std::string> pins;
};

struct Config {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;       // 0: any free port (the printed URL tells which)
    std::filesystem::path www;       // the web build; canonical after parse_options
    std::string network = "devnet";  // "devnet" | "live", shown to the page by GET /relay/info
    // Kiosk mode (docs/kiosk.md), told to the page by GET /relay/info: the page keeps nothing in
    // the browser and wipes itself after `kiosk_idle` without input.
    bool kiosk = false;
    std::chrono::seconds kiosk_idle{300};
    std::vector<Seed> seeds;            // at least one after parse_options
    Scheme node_scheme = Scheme::http;  // default: the first seed's scheme
    std::chrono::milliseconds node_timeout{35000};
    std::chrono::milliseconds seed_timeout{10000};
    std::chrono::seconds refresh{600};
    std::size_t max_body = 10 * 1024 * 1024;
    std::size_t max_connections = 512;
    // Per client address: one page (or one NAT full of them) must not take the relay's whole
    // capacity. A browser opens at most 6 HTTP/1.1 connections to an origin.
    std::size_t max_connections_per_client = 64;
    std::size_t max_inflight_per_client = 16;
    // A request header must be complete this long after the connection opened or went idle (so a
    // client trickling bytes cannot hold a connection); a body gets twice as long.
    std::chrono::seconds header_timeout{60};
    // All request bodies being read or forwarded at once, summed (a body without a length counts
    // as the largest allowed): bounds the relay's memory whatever the connection counts allow.
    std::size_t max_buffered = 256 * 1024 * 1024;  // forwarded requests waiting for a node or seed
    // Answers from nodes and seeds being read, summed (UpstreamClient::set_answer_budget): each
    // may be up to 32 MiB, and a hostile node could send that to many requests at once.
    std::size_t max_answers = 256 * 1024 * 1024;
    bool access_log = true;
};

extern const char* const kUsage;

// Reads the arguments after the program name. Returns nullopt for --help.
// Errors: "options.invalid" with one sentence naming the option.
// Seeds and pins: every --seed adds a seed; a --seed-pin belongs to the closest --seed before it.
// With a single --seed its pins may stand anywhere on the line (the older one-seed syntax); with
// several, a --seed-pin before the first --seed is refused as ambiguous, and so is a seed given
// twice or a pin on an http seed.
Result<std::optional<Config>> parse_options(const std::vector<std::string>& args);

}  // namespace st::relay
