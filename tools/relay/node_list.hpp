// The relay's view of the network: the service nodes the seed lists, keyed by Ed25519 public key.
// A page names its guard by key; the relay forwards only to an address it learned from the seed,
// never to a host or port the page supplies (the relay must not become an open proxy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "st/base/error.hpp"

namespace st::relay {

struct Node {
    std::string ed25519_hex;  // 64 lowercase hex digits
    std::string ip;           // IPv4 dotted quad (service nodes are IPv4-only, protocol.md §5.1)
    std::uint16_t port = 0;   // storage_port: the HTTPS port that serves /onion_req/v2
};

class NodeList {
public:
    // Replaces the whole list (a refresh is a new snapshot, not a merge).
    void replace(std::vector<Node> nodes);
    // The node with this Ed25519 key (64 hex digits, either case), or nullptr.
    const Node* find(std::string_view ed25519_hex) const;
    std::size_t size() const { return by_key_.size(); }

private:
    std::unordered_map<std::string, Node> by_key_;
};

// True for exactly 64 hex digits (an Ed25519 public key in hex, either case).
bool is_ed25519_hex(std::string_view text);

// The relay's own seed request body (protocol.md §5.8): active nodes with the fields it needs.
std::string seed_request_body();

struct ParseOptions {
    bool allow_private_addresses = false;  // devnet nodes live on loopback; live nodes never do
    std::size_t max_nodes = 20000;         // the live network has a few thousand nodes
};

struct ParsedNodes {
    std::vector<Node> nodes;
    std::size_t skipped = 0;  // entries without a usable key, IPv4 address or port
};

// Reads `{"result": {"service_node_states": [{"public_ip", "storage_port", "pubkey_ed25519"},
// ...]}}`. Entries with public_ip "0.0.0.0" or empty, a non-IPv4 or (unless allowed) non-public
// address, a port of 0, or a malformed key are skipped; a repeated key keeps its first entry.
// Errors: "seed.bad_json" (not JSON / not that shape), "seed.error" (the seed answered with a
// JSON-RPC error), "seed.no_nodes" (no usable entry), "seed.too_many_nodes".
Result<ParsedNodes> parse_service_nodes(std::string_view json, const ParseOptions& options);

// Checks a page's seed request and returns the exact body to send: only the JSON-RPC method
// `get_n_service_nodes` passes; the body is re-serialised from the parsed value (keys jsonrpc,
// id, method, params only) so the seed receives exactly what was checked, whatever duplicate keys
// or oddities the page sent.
// Errors: "seed.bad_request" (not a JSON object, params not an object), "seed.method_not_allowed".
Result<std::string> sanitize_seed_request(std::string_view body);

}  // namespace st::relay
