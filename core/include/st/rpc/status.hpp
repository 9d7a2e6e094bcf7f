// Storage-server status codes (protocol.md §5.7) as typed errors the app can act on. The status of
// an RPC sent through an onion path is the `status` inside the destination's encrypted reply; the
// guard's own HTTP status only speaks about the path (see st/onion/response.hpp).
#pragma once

#include <string_view>

#include "st/base/error.hpp"

namespace st::rpc {

// Error codes, one per status family. Compare Error::code against these.
inline constexpr std::string_view kBadRequest = "rpc.bad_request";     // 400: a client bug
inline constexpr std::string_view kUnauthorized = "rpc.unauthorized";  // 401: bad signature
inline constexpr std::string_view kBadTtl = "rpc.bad_ttl";             // 403: TTL/expiry refused
inline constexpr std::string_view kNotFound = "rpc.not_found";         // 404
inline constexpr std::string_view kClockOutOfSync = "rpc.clock_out_of_sync";  // 406 and 425
inline constexpr std::string_view kObsolete = "rpc.obsolete";                 // 410: old long-poll
inline constexpr std::string_view kWrongSwarm = "rpc.wrong_swarm";            // 421: not this swarm
inline constexpr std::string_view kRateLimited = "rpc.rate_limited";          // 429
inline constexpr std::string_view kServerError = "rpc.server_error";          // 500
inline constexpr std::string_view kBadGateway = "rpc.bad_gateway";            // 502
inline constexpr std::string_view kUnavailable = "rpc.unavailable";           // 503
inline constexpr std::string_view kGatewayTimeout = "rpc.gateway_timeout";    // 504
inline constexpr std::string_view kUnexpectedStatus = "rpc.unexpected_status";  // anything else
// Parser errors for bodies that are not what the endpoint documents.
inline constexpr std::string_view kBadJson = "rpc.bad_json";
inline constexpr std::string_view kBadResponse = "rpc.bad_response";

// What a client should do about a status.
enum class StatusAction {
    ok,                // 2xx
    give_up,           // 400, 401, 403, 404, 410: retrying the same request cannot help
    resync_clock,      // 406, 425: refresh the network clock offset (§7.3), then retry once
    update_swarm,      // 421: the body names the right swarm; replace the cache and retry
    back_off,          // 429: wait before trying again
    try_another_node,  // 5xx and anything unknown: strike the node, ask another swarm member
};

StatusAction action_for(int status);

// The Error for a non-2xx status. The message quotes the start of the node's body (printable
// ASCII only, truncated), which never holds secrets: bodies of errors are the server's own text.
Error status_error(int status, std::string_view body);

// A short printable excerpt of untrusted text for an error message.
std::string excerpt(std::string_view untrusted, std::size_t max_chars = 120);

}  // namespace st::rpc
