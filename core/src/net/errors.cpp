#include "st/net/errors.hpp"

#include <array>

#include "st/net/transport.hpp"

namespace st::net {

Error categorized(Error e) {
    static constexpr std::array<std::string_view, 4> kTransientModules = {"net.", "path.", "pool.", "swarm."};
    // Storage-server answers a later attempt (another node, a resynchronised clock) may get past.
    static constexpr std::array<std::string_view, 10> kTransientRpc = {
        "rpc.clock_out_of_sync", "rpc.wrong_swarm",         "rpc.rate_limited", "rpc.server_error",
        "rpc.bad_gateway",       "rpc.unavailable",         "rpc.gateway_timeout",
        "rpc.unexpected_status", "rpc.bad_json",            "rpc.bad_response"};
    const std::string_view code = e.code;
    bool transient = code != kCancelled && code != kBadUrl;
    if (transient) {
        transient = false;
        for (auto module : kTransientModules) transient = transient || code.starts_with(module);
        for (auto rpc : kTransientRpc) transient = transient || code == rpc;
    }
    e.category = transient ? ErrorCategory::Transient : ErrorCategory::Permanent;
    return e;
}

}  // namespace st::net
