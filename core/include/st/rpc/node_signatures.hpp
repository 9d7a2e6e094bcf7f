// Checking what each swarm member signs in its answer to the recursive deleting and expiring
// endpoints (protocol.md §5.4.3, §5.4.4, §5.4.6; docs/deletion.md). Every member of the answer's
// "swarm" map is keyed by its Ed25519 key (hex) and signs, with that key, a text made of:
//
//   delete      owner || requested_1 || ... || requested_n || deleted_1 || ... || deleted_k
//   delete_all  owner || timestamp || deleted_1 || ... || deleted_k
//   expire      owner || expiry || requested_1 || ... || requested_n || updated_1 || ... ||
//               updated_k || unchanged_hash_1 || unchanged_expiry_1 || ...
//
// where `owner` is the account's Session ID as 66 hex characters (with its 05 prefix), requested
// hashes are in the order of the request, deleted/updated hashes sorted (byte order; for
// delete_all of every namespace, all namespaces' hashes sorted together), `timestamp` the
// request's, `expiry` the node's answer "expiry" (the requested one, clamped by the node to
// now + 30 days) and the unchanged pairs (shorten/extend only) sorted by hash. Integers are
// decimal ASCII. The layout is the storage server's (oxenss/rpc/request_handler.cpp,
// create_signature calls in process_client_req for delete_msgs, delete_all, expire_msgs).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"
#include "st/rpc/responses.hpp"

namespace st::rpc {

// A member's result that is not proven: no signature, a signature that does not verify with its
// key, or a result that contradicts the request (a hash deleted that was not asked for, a later
// expiry than requested when shortening).
inline constexpr std::string_view kBadNodeSignature = "rpc.bad_node_signature";

// The texts each node signs (exposed for tests and the devnet).
std::string delete_signed_text(std::string_view owner_hex,
                               const std::vector<std::string>& requested,
                               std::vector<std::string> deleted);
std::string delete_all_signed_text(std::string_view owner_hex, std::int64_t timestamp_ms,
                                   std::vector<std::string> deleted);
std::string expire_signed_text(std::string_view owner_hex, std::int64_t applied_expiry_ms,
                               const std::vector<std::string>& requested,
                               std::vector<std::string> updated,
                               const std::map<std::string, std::int64_t>& unchanged);

// Inputs: the owner's Session ID hex, what we asked, the member's key (its key in the "swarm"
// map) and its parsed result. A member that reported a failure ("failed") is not checked here:
// it has nothing to prove. Errors: kBadNodeSignature, with a sentence that says what is wrong.
Result<void> verify_delete(std::string_view owner_hex, const std::vector<std::string>& requested,
                           const crypto::Ed25519PublicKey& node, const NodeOutcome& outcome);
// delete_all, of one namespace or of "all": `timestamp_ms` is the request's timestamp.
Result<void> verify_delete_all(std::string_view owner_hex, std::int64_t timestamp_ms,
                               const crypto::Ed25519PublicKey& node, const NodeOutcome& outcome);
// expire with one expiry for every hash: `requested_expiry_ms` is what we asked; the node signs
// its applied expiry (outcome.expiry), which may only be earlier (clamped), never later.
Result<void> verify_expire(std::string_view owner_hex, const std::vector<std::string>& requested,
                           std::int64_t requested_expiry_ms, const crypto::Ed25519PublicKey& node,
                           const NodeOutcome& outcome);

}  // namespace st::rpc
