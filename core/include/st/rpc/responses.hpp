// Parsers for everything a storage server or a seed node answers (protocol.md §5.4, §5.8). Inputs
// are untrusted text of any length: each parser either returns a fully checked value or an Error
// (kBadJson for text that is not JSON, kBadResponse for JSON of the wrong shape); none throws,
// crashes, or keeps more than the input's size. Integers are read as integers: a swarm id is a
// full uint64, never a double.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/rpc/node.hpp"

namespace st::rpc {

// --- retrieve (§5.4.2)
// ----------------------------------------------------------------------------

struct RetrievedMessage {
    std::string hash;             // the node's hash of the message (43 base64 characters)
    std::string data;             // base64, exactly as stored
    std::int64_t timestamp = 0;   // when it was stored (the store timestamp), ms
    std::int64_t expiration = 0;  // when the node forgets it, ms
};

struct RetrieveResult {
    std::vector<RetrievedMessage> messages;  // node order: the last hash is the next last_hash
    bool more = false;                       // truncated by max_size / max_count
    std::optional<std::int64_t> t;           // server time, ms
};

// {"messages":[{"hash","data","timestamp","expiration"},...],"more":bool,"t":ms}. A message with
// a missing or wrongly typed field fails the whole answer (kBadResponse).
Result<RetrieveResult> parse_retrieve(std::string_view body);

// --- recursive endpoints: store, delete, delete_all, expire (§5.4) ------------------------------

struct NodeOutcome {
    bool failed = false;
    bool timeout = false;
    int code = 0;                        // when failed: the HTTP status that peer gave
    std::string reason;                  // when failed
    std::string hash;                    // store: the message hash
    std::optional<std::int64_t> expiry;  // store/expire: the (new) expiry, ms
    bool already = false;                // store: the message was already there
    std::vector<std::string> hashes;     // delete/delete_all: deleted; expire: updated
    // expire with shorten/extend: the requested messages left as they were, with their expiry.
    std::map<std::string, std::int64_t> unchanged;
    // The node's Ed25519 signature over its result (64 bytes); empty when the member sent none or
    // sent something that is not base64 of 64 bytes. Checked by st/rpc/node_signatures.hpp.
    Bytes signature;
};

struct SwarmOutcome {
    std::map<std::string, NodeOutcome> nodes;  // key: Ed25519 hex of each swarm member
    std::optional<std::int64_t> t;
};

struct StoreResult {
    std::string hash;  // the entry node's hash (top-level "hash", else the first member's)
    SwarmOutcome swarm;
};

// {"hash":..., "swarm":{"<ed hex>":{"hash","expiry","already"}|{"failed":true,...}}, "t":ms}.
// Errors: kBadResponse when no hash is given anywhere (the message was not stored).
Result<StoreResult> parse_store(std::string_view body);

// {"swarm":{"<ed hex>":{"deleted"|"updated":[hashes] | {"<ns>":[hashes]}, "signature":b64,
// "expiry":ms, "unchanged":{hash:ms}}, ...}}, "t":ms}. A member key that is not 64 hex
// characters, or a malformed hash list, fails the whole answer.
Result<SwarmOutcome> parse_swarm_outcome(std::string_view body);

// --- get_expiries (§5.4.8) ---------------------------------------------------------------------

// {"expiries":{"<hash>":ms,...}}: the messages that exist, with their expiry. Entries with a
// malformed hash or a non-integer expiry fail the answer (kBadResponse).
Result<std::map<std::string, std::int64_t>> parse_get_expiries(std::string_view body);

// --- get_swarm (§5.4.9) and the 421 body ------------------------------------------------------

struct SwarmInfo {
    std::vector<ServiceNode> nodes;         // members with a usable address (0.0.0.0 dropped)
    std::optional<std::uint64_t> swarm_id;  // "swarm": hex text of the id
    std::optional<std::int64_t> t;
};

// {"snodes":[{"pubkey_ed25519","pubkey_x25519","ip","port_https"},...],"swarm":"hex","t":ms}.
// Members with an unusable address or malformed keys are skipped; a missing/non-array "snodes"
// is kBadResponse.
Result<SwarmInfo> parse_swarm(std::string_view body);

// --- info (§5.4.10) ----------------------------------------------------------------------------

struct InfoResult {
    std::vector<int> version;
    std::int64_t timestamp = 0;  // server time, ms ("timestamp", else "t")
};
Result<InfoResult> parse_info(std::string_view body);

// --- snode lists (§5.8, §5.4.11) ---------------------------------------------------------------

// The answer of a seed's get_n_service_nodes or of oxend_request get_service_nodes:
// {"result":{"service_node_states":[{"public_ip","storage_port","pubkey_ed25519","pubkey_x25519",
// "swarm_id"?},...]}} (the "result" wrapper may be absent). Entries with public_ip 0.0.0.0 or
// empty, a zero port or malformed keys are skipped. swarm_id 2^64-1 (the "invalid swarm" marker)
// is kept as given; callers ignore it. Errors: kBadResponse when there is no list at all.
Result<std::vector<ServiceNode>> parse_service_nodes(std::string_view body);

// --- oxend_request ons_resolve (§5.4.11) --------------------------------------------------------

struct OnsResolveResult {
    bool found = false;     // false: oxend knows no Session ID for that name hash
    Bytes encrypted_value;  // when found: the value as stored on chain (49 bytes when current)
    Bytes nonce;            // when found: 24 bytes; empty for a pre-HF16 (Argon2) value
};
// {"result": {"encrypted_value": hex, "nonce": hex}} for a registered name; oxend's ONS_RESOLVE
// (oxen-core src/rpc/core_rpc_server.cpp) sets neither field when the name is unknown, so a
// "result" without "encrypted_value" (or with an empty one, as session-desktop also reads it) is
// "not found". Errors: kBadJson; kBadResponse for a missing "result", non-hex or oversized values.
Result<OnsResolveResult> parse_ons_resolve(std::string_view body);

// --- batch / sequence (§5.4.13) ----------------------------------------------------------------

struct SubResult {
    int code = 0;
    std::string body;  // the sub-request's body: JSON text for an object, the text of a string
};
// {"results":[{"code":int,"body":object|string},...]}
Result<std::vector<SubResult>> parse_batch(std::string_view body);

// --- server time (§7.3) --------------------------------------------------------------------------

// Every "t" (server time, ms) a body carries: its own top-level "t", and for a batch/sequence
// answer the "t" of each sub-result body. Not JSON or no "t": empty.
std::vector<std::int64_t> server_times(std::string_view body);

}  // namespace st::rpc
