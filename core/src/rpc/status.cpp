#include "st/rpc/status.hpp"

#include <string>

namespace st::rpc {

StatusAction action_for(int status) {
    if (status >= 200 && status < 300) return StatusAction::ok;
    switch (status) {
        case 400:
        case 401:
        case 403:
        case 404:
        case 410:
            return StatusAction::give_up;
        case 406:
        case 425:
            return StatusAction::resync_clock;
        case 421:
            return StatusAction::update_swarm;
        case 429:
            return StatusAction::back_off;
        default:
            return StatusAction::try_another_node;
    }
}

std::string excerpt(std::string_view untrusted, std::size_t max_chars) {
    std::string out;
    for (char c : untrusted) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    return out;
}

Error status_error(int status, std::string_view body) {
    std::string_view code;
    const char* what;
    switch (status) {
        case 400:
            code = kBadRequest;
            what = "the node refused the request as malformed";
            break;
        case 401:
            code = kUnauthorized;
            what = "the node refused the request signature";
            break;
        case 403:
            code = kBadTtl;
            what = "the node refused the message's TTL or expiry";
            break;
        case 404:
            code = kNotFound;
            what = "the node found nothing to act on";
            break;
        case 406:
        case 425:
            code = kClockOutOfSync;
            what = "the node says our clock is out of sync";
            break;
        case 410:
            code = kObsolete;
            what = "the node no longer supports this request";
            break;
        case 421:
            code = kWrongSwarm;
            what = "the node is not in this account's swarm";
            break;
        case 429:
            code = kRateLimited;
            what = "the node is rate-limiting us";
            break;
        case 500:
            code = kServerError;
            what = "the node had an internal error";
            break;
        case 502:
            code = kBadGateway;
            what = "the node could not reach the next hop";
            break;
        case 503:
            code = kUnavailable;
            what = "the node is not ready";
            break;
        case 504:
            code = kGatewayTimeout;
            what = "the request timed out inside the network";
            break;
        default:
            code = kUnexpectedStatus;
            what = "the node answered with an unexpected status";
            break;
    }
    std::string message = std::string(what) + " (HTTP " + std::to_string(status) + ")";
    if (!body.empty()) message += ": " + excerpt(body);
    return Error{code, std::move(message)};
}

}  // namespace st::rpc
