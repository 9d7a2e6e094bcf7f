// Untrusted seed / oxend answers → parse_service_nodes (protocol.md §5.8), then the swarm mapping
// over whatever was accepted (§5.9). Accepted nodes must have an address and a port.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/net/swarm.hpp"
#include "st/rpc/responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto nodes = st::rpc::parse_service_nodes(body);
    if (!nodes) return 0;
    for (const auto& n : *nodes)
        if (n.port == 0 || n.ip == st::rpc::Ipv4{0, 0, 0, 0}) std::abort();
    const std::uint64_t space =
        size ? static_cast<std::uint64_t>(data[0]) * 0x0101010101010101ULL : 0;
    auto members = st::net::swarm_members(*nodes, space);
    for (const auto& m : members)
        if (!m.swarm_id || *m.swarm_id == st::net::kInvalidSwarmId) std::abort();
    return 0;
}
