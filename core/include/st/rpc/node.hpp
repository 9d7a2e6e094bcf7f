// A service node ("snode") as the client knows it: its two public keys and where to reach its
// storage server (protocol.md §5.8, §5.4.9). Routing uses the Ed25519 key, onion encryption the
// X25519 key; the IPv4 address also decides which /24 subnet a node belongs to (§6.7).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"

namespace st::rpc {

using Ipv4 = std::array<std::uint8_t, 4>;

struct ServiceNode {
    crypto::Ed25519PublicKey ed25519;
    crypto::X25519PublicKey x25519;
    Ipv4 ip{};               // public IPv4 address (service nodes are IPv4 only)
    std::uint16_t port = 0;  // storage server HTTPS port ("storage_port" / "port_https")
    std::optional<std::uint64_t> swarm_id;  // known when the list came with "swarm_id"

    std::string ip_text() const;  // dotted quad, "1.2.3.4"
    bool is_loopback() const { return ip[0] == 127; }
    // Nodes are identified by their Ed25519 key alone.
    bool same_node(const ServiceNode& o) const { return ed25519 == o.ed25519; }
};

// Parses a dotted-quad IPv4 address ("1.2.3.4", no leading zeros beyond "0", no white space).
// Errors: "rpc.bad_ip".
Result<Ipv4> parse_ipv4(std::string_view text);

}  // namespace st::rpc
