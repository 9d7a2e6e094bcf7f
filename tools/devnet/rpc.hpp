// The storage server's client RPC (protocol.md §5.4), as one node runs it: parameter parsing with
// the real server's validation order and error texts, signature checks (§5.3), clock tolerances
// and TTL limits (§5.6), swarm ownership (421), and the recursive endpoints that a node applies
// and forwards to its swarm peers.
//
// Entry points: process_client_request() for a JSON body {"method", "params"} (a direct
// /storage_rpc/v1 request or an onion final destination), process_subrequest() for a request a
// swarm peer forwarded. Both call `reply` exactly once, never inline with network I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto.hpp"

namespace devnet {

using json = nlohmann::json;

class Devnet;
class Node;

// Limits and tolerances, with the real server's names (protocol.md §5.6).
inline constexpr std::int64_t kTtlMinimumMs = 10'000;
inline constexpr std::int64_t kTtlMaximumMs = 14LL * 24 * 3600 * 1000;
inline constexpr std::int64_t kTtlMaximumPrivateMs = 30LL * 24 * 3600 * 1000;
inline constexpr std::int64_t kStoreToleranceMs = 10'000;
inline constexpr std::int64_t kSignatureToleranceMs = 60'000;
inline constexpr std::int64_t kSignatureToleranceForwardedMs = 70'000;
inline constexpr std::size_t kMaxMessageBody = 76'800;
inline constexpr int kRetrieveMaxSize = 7'800'000;
inline constexpr std::size_t kBatchRequestMax = 20;
inline constexpr int kNamespaceMin = -32768;
inline constexpr int kNamespaceMax = 32767;

// What `hf` and `info.version` report.
inline constexpr std::array<int, 2> kHardFork{19, 3};
inline constexpr std::array<int, 3> kServerVersion{2, 11, 0};

struct Binary {
    std::string bytes;
};

// An RPC result: the HTTP status plus a text, JSON or binary body.
struct Response {
    int status = 200;
    std::variant<std::string, json, Binary> body;

    Response() = default;
    Response(int s, const char* text) : status{s}, body{std::string{text}} {}
    Response(int s, std::string text) : status{s}, body{std::move(text)} {}
    Response(int s, json j) : status{s}, body{std::move(j)} {}
    Response(int s, Binary b) : status{s}, body{std::move(b)} {}
};
using Reply = std::function<void(Response)>;

// A recipient key as the server holds it: type byte ‖ 32 key bytes (empty if it did not parse).
struct UserPubkey {
    std::string raw;

    // Accepts 66 hex digits (type byte first) or 33 raw bytes, like the real server.
    bool load(std::string_view text);
    int type() const { return raw.empty() ? -1 : static_cast<unsigned char>(raw[0]); }
    std::string_view key() const { return std::string_view{raw}.substr(1); }
    std::string hex() const;
};

// A namespace that may also be "all" (delete_all, delete_before, expire_all).
struct NamespaceVar {
    bool all = false;
    int ns = 0;
};

// The authentication fields shared by signed requests.
struct Auth {
    std::optional<Key32> pubkey_ed25519;
    std::string signature;   // 64 raw bytes once parsed
    bool subaccount = false; // a subaccount token was given (groups only: not supported here)
};

struct StoreReq {
    UserPubkey pubkey;
    int ns = 0;
    std::int64_t timestamp = 0;
    std::int64_t expiry = 0;
    std::string data;
    std::optional<Auth> auth;  // present when a signature was sent
    std::int64_t sig_ts = 0;
    bool recurse = true;
};
struct RetrieveReq {
    UserPubkey pubkey;
    int ns = 0;
    std::string last_hash;
    std::optional<int> max_count;
    std::optional<int> max_size;
    std::optional<Auth> auth;  // present when signature checking is switched on
    std::int64_t timestamp = 0;
};
struct DeleteReq {
    UserPubkey pubkey;
    Auth auth;
    std::vector<std::string> messages;
    bool required = false;
    bool recurse = true;
};
struct DeleteAllReq {
    UserPubkey pubkey;
    Auth auth;
    NamespaceVar ns;
    std::int64_t timestamp = 0;
    bool recurse = true;
};
struct DeleteBeforeReq {
    UserPubkey pubkey;
    Auth auth;
    NamespaceVar ns;
    std::int64_t before = 0;
    bool recurse = true;
};
struct ExpireAllReq {
    UserPubkey pubkey;
    Auth auth;
    NamespaceVar ns;
    std::int64_t expiry = 0;
    bool recurse = true;
};
struct ExpireReq {
    UserPubkey pubkey;
    Auth auth;
    std::vector<std::int64_t> expiry;
    bool shorten = false;
    bool extend = false;
    std::vector<std::string> messages;
    bool recurse = true;
};
struct GetExpiriesReq {
    UserPubkey pubkey;
    Auth auth;
    std::int64_t sig_ts = 0;
    std::vector<std::string> messages;
};
struct GetSwarmReq {
    UserPubkey pubkey;
};
struct InfoReq {};
struct ActiveNodesBinReq {};
struct OxendReq {
    std::string endpoint;
    json params;
};

// Requests allowed inside batch/sequence/ifelse, and forwarded between swarm members.
using SubRequest = std::variant<StoreReq, RetrieveReq, DeleteReq, DeleteAllReq, DeleteBeforeReq,
                                ExpireAllReq, ExpireReq, GetExpiriesReq, GetSwarmReq, InfoReq,
                                ActiveNodesBinReq, OxendReq>;

struct BatchReq {
    std::vector<SubRequest> requests;
    bool sequence = false;  // stop after the first non-2xx result
};
struct IfElseReq {
    std::optional<std::array<int, 2>> hf_at_least, hf_before;
    std::optional<std::array<int, 3>> v_at_least, v_before;
    std::optional<int> height_at_least, height_before;
    std::optional<SubRequest> then_req, else_req;
};

// Parses untrusted JSON text; a discarded value (is_discarded()) when it is invalid or nested
// deeper than kMaxJsonDepth (nlohmann copies and prints values recursively, so a deep document
// could otherwise exhaust the stack).
inline constexpr int kMaxJsonDepth = 64;
json parse_json(std::string_view text);
bool json_too_deep(std::string_view text);

// Parses and runs a JSON body {"method": ..., "params": {...}}.
void process_client_request(Devnet& net, Node& node, std::string_view body, Reply reply);

// Runs a request forwarded by a swarm peer (its `recurse` is false).
void process_subrequest(Devnet& net, Node& node, SubRequest req, Reply reply);

// The `get_swarm`-shaped description of a swarm (also the body of a 421).
json swarm_to_json(const Devnet& net, std::uint64_t swarm_id);

// The response body text of a Response (JSON is serialised).
std::string body_text(const Response& r);

}  // namespace devnet
