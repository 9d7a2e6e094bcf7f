// Typed builders for the storage-server RPC requests the client sends (protocol.md §5.3–§5.5).
// A Request is a method name plus its params as JSON text; to_json() gives the body
// {"method": ..., "params": {...}} that travels as the payload of an onion request (or directly to
// /storage_rpc/v1 when testing a guard).
//
// Signatures (§5.3): Ed25519 over ASCII text, base64 with padding in "signature", and, because a 05
// account's pubkey is its X25519 key, "pubkey_ed25519" = hex of the signing key. The namespace text
// inside a signed string is empty for namespace 0, the decimal value otherwise:
//   retrieve   "retrieve"   || NS || timestamp
//   store      "store"      || NS || sig_timestamp   (only for namespaces that are not public)
//   delete     "delete"     || hash_1 || ... || hash_n
//   delete_all "delete_all" || NS || timestamp        (NS = "all" for every namespace)
//   expire     "expire"     || ("shorten" | "extend" | "") || expiry || hash_1 || ... || hash_n
//   get_expiries "get_expiries" || timestamp || hash_1 || ... || hash_n
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/session_id.hpp"

namespace st::rpc {

// Storage namespaces are 16-bit signed integers (§5.2).
using Namespace = std::int16_t;

// Request errors.
inline constexpr std::string_view kBadParams = "rpc.bad_params";
inline constexpr std::string_view kBadHash = "rpc.bad_hash";
inline constexpr std::string_view kTooManyRequests = "rpc.too_many_subrequests";

struct Request {
    std::string method;
    std::string params;  // a JSON object, as text

    std::string to_json() const;  // {"method":"<method>","params":<params>}
};

// --- Rules
// ----------------------------------------------------------------------------------------

// A public inbox (n % 10 == 0: anyone may store there, unsigned). Namespace 0 is one.
bool is_public_namespace(Namespace ns);
// The namespace as it appears inside a signed string: "" for 0, else decimal ("2", "-10").
std::string namespace_text(Namespace ns);

// Base64 (padded, 88 chars) Ed25519 signature of `text` with the account's key.
std::string sign(const crypto::Identity& identity, std::string_view text);

// The hash a storage server gives a stored message (§5.5):
//   base64_unpadded(BLAKE2b-256(0x05 || recipient_pk32 || NS || data_bytes))
// where data_bytes is the base64-decoded `data`. 43 characters.
std::string message_hash(const crypto::SessionId& recipient, Namespace ns, ByteView data_bytes);
// Same from the base64 `data` string. Errors: the base64 decoder's.
Result<std::string> message_hash_b64(const crypto::SessionId& recipient, Namespace ns,
                                     std::string_view data_b64);

// A message hash as sent in delete/expire/last_hash: exactly 43 unpadded base64 characters.
bool is_valid_hash(std::string_view hash);

// --- Builders ---------------------------------------------------------------------------------

inline constexpr std::size_t kMaxDataChars = 102400;  // 76 800 bytes once decoded (§5.6)

struct StoreParams {
    crypto::SessionId recipient;  // whose swarm stores it (ourselves for a sync copy or a config)
    Namespace ns = 0;
    std::int64_t timestamp_ms = 0;  // network time; the node refuses anything > its now + 10 s
    std::int64_t ttl_ms = 0;        // 10 s .. 14 days (public) / 30 days (private namespaces)
    std::string data;               // base64 of the already-encoded message
};
// A store request. Public namespaces are sent unsigned (§13.7: namespace 0 must not be signed);
// other namespaces are signed with `signer`, which must then be the owner of `recipient`.
// Errors: kBadParams (data too long or empty, ttl <= 0, missing or wrong signer).
Result<Request> store(const StoreParams& params, const crypto::Identity* signer = nullptr);

struct RetrieveParams {
    Namespace ns = 0;
    std::string last_hash;                 // "" = from the start
    std::int64_t timestamp_ms = 0;         // signature time (network time)
    std::optional<std::int64_t> max_size;  // bytes if > 0, negative = a fraction of the limit
    std::optional<std::int64_t> max_count;
};
// A signed retrieve of `identity`'s own messages. Errors: kBadHash (a last_hash that is neither
// empty nor 43 base64 characters: the node would answer 400).
Result<Request> retrieve(const crypto::Identity& identity, const RetrieveParams& params);

// Deletes messages by hash (signed, no timestamp). Errors: kBadHash, kBadParams (no hashes).
Result<Request> delete_messages(const crypto::Identity& identity,
                                const std::vector<std::string>& hashes, bool required = false);

// Deletes everything in one namespace, or in all of them when `ns` is nullopt.
Request delete_all(const crypto::Identity& identity, std::optional<Namespace> ns,
                   std::int64_t timestamp_ms);

enum class ExpireMode { set, shorten, extend };
// Sets the expiry of the given messages (ms since epoch). Errors: kBadHash, kBadParams.
Result<Request> expire(const crypto::Identity& identity, const std::vector<std::string>& hashes,
                       std::int64_t expiry_ms, ExpireMode mode = ExpireMode::set);

// Asks the expiry of our own messages (§5.4.8); the answer lists only those that exist.
// Errors: kBadHash, kBadParams (no hashes).
Result<Request> get_expiries(const crypto::Identity& identity,
                             const std::vector<std::string>& hashes, std::int64_t timestamp_ms);

// The swarm of any 66-hex-character pubkey (no auth).
Request get_swarm(std::string_view pubkey_hex);
// Server version and time (no auth); the recommended source of network time (§5.4.10).
Request info();
// oxend_request get_service_nodes: the snode list, asked of a service node.
Request get_service_nodes();
// oxend_request ons_resolve of a Session name (protocol.md §5.4.11): {"endpoint": "ons_resolve",
// "params": {"type": 0, "name_hash": <base64 BLAKE2b-256 of the lower-cased name>}}, type 0 being
// oxend's mapping type "session". session-desktop (ts/session/apis/snode_api/onsResolve.ts)
// sends it as the only sub-request of a batch; see st/crypto/ons.hpp for the hash.
Request ons_resolve(std::string_view name_hash_b64);
// The JSON-RPC body a seed node expects at <seed>/json_rpc (§5.8): get_n_service_nodes with the
// fields the client needs, swarm_id included (so swarms can be computed locally, §5.9).
std::string seed_request_body();

// Up to 20 sub-requests, run in parallel (batch) or in order stopping at the first failure
// (sequence). Errors: kTooManyRequests (0 or more than 20), kBadParams (a nested batch).
Result<Request> batch(const std::vector<Request>& requests);
Result<Request> sequence(const std::vector<Request>& requests);

}  // namespace st::rpc
