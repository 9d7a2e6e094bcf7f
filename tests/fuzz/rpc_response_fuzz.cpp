// Untrusted node answers → every storage-server RPC parser (protocol.md §5.4). None may crash,
// hang or throw; whatever they accept must satisfy the documented invariants.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/rpc/requests.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (auto r = st::rpc::parse_retrieve(body))
        for (const auto& m : r->messages)
            if (!st::rpc::is_valid_hash(m.hash)) std::abort();
    if (auto s = st::rpc::parse_store(body))
        if (s->hash.empty() || s->hash.size() > 128) std::abort();
    if (auto o = st::rpc::parse_swarm_outcome(body))
        for (const auto& [key, node] : o->nodes)
            if (key.size() != 64 || node.code < 0 || node.code > 999) std::abort();
    if (auto w = st::rpc::parse_swarm(body))
        for (const auto& n : w->nodes)
            if (n.port == 0 || n.ip == st::rpc::Ipv4{0, 0, 0, 0}) std::abort();
    (void)st::rpc::parse_info(body);
    if (auto b = st::rpc::parse_batch(body))
        for (const auto& sub : *b)
            if (sub.code < 0 || sub.code > 999) std::abort();
    (void)st::rpc::server_times(body);
    auto e = st::rpc::status_error(static_cast<int>(size), body);
    for (char c : e.message)
        if (c < 0x20 || c > 0x7e) std::abort();  // error text is printable
    (void)st::rpc::parse_ipv4(body);
    return 0;
}
