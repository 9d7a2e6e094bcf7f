// Reading what comes back from an onion request (protocol.md §6.5, §6.6, §6.9).
//
// Guard HTTP 200 from a snode destination: the body is base64 text (legacy: {"result":"<b64>"}) of
//   Enc(K_D, {"status": <int>, "body": "<the RPC answer as a string>"})
// (with "json": true the body may be a JSON value instead of a string). The RPC status is the
// inner "status"; 421/406/... arrive here while the HTTP status is 200.
//
// From a server destination (v4): the raw body is Enc(K_S, bencoded list)
//   "l" <len>:{"code":<int>,"headers":{lower-case name: value}} <len>:<body bytes> "e"
//
// Guard HTTP non-200: the path failed before the destination could encrypt; the body is plain text
// naming the failure (and often the node), see classify_guard_error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"
#include "st/onion/hop.hpp"

namespace st::onion {

inline constexpr std::string_view kBadResponse = "onion.bad_response";

struct SnodeReply {
    int status = 0;    // the RPC status (200, 421, 406, ...)
    std::string body;  // the RPC answer: JSON text on success, usually plain text on error
};

// Base64 (or {"result": b64}) → decrypted bytes. Errors: kBadResponse (not base64 / JSON),
// kTooShort, kBadMac.
Result<Bytes> open_snode_response(const SymmetricKey& key, ByteView http_body);
// {"status"|"status_code": int, "body": string|JSON} → SnodeReply. Errors: kBadResponse.
Result<SnodeReply> parse_snode_reply(std::string_view plaintext);
// Both steps.
Result<SnodeReply> decode_snode_response(const SymmetricKey& key, ByteView http_body);

struct V4Response {
    int code = 0;                                              // the server's HTTP status
    std::vector<std::pair<std::string, std::string>> headers;  // as the server sent them
    Bytes body;
};
// The bencoded plaintext. Errors: kBadResponse (not "l…e", a bad length, meta not JSON with an
// integer "code", more than two elements).
Result<V4Response> parse_v4_response(ByteView plaintext);
// Decrypt (raw bytes, no base64) then parse.
Result<V4Response> decode_v4_response(const SymmetricKey& key, ByteView http_body);

// Who failed, according to the guard's non-200 answer (§6.9).
enum class GuardFailure {
    node_not_found,  // 502 "Next node not found: <ed hex>" / "…is currently unreachable: <hex>"
    node_not_ready,  // 503 "Snode not ready: <ed hex>"
    destination_failed,  // 502 "oxend returned unparsable data"
    clock_out_of_sync,   // 406 / 425: the client's clock, not the path
    timeout,             // 504 "Request time out"
    invalid_ciphertext,  // 400 "Invalid ciphertext": a hop could not decrypt
    path_failure,        // anything else: a failure somewhere on the path
};
struct GuardError {
    GuardFailure kind = GuardFailure::path_failure;
    std::optional<crypto::Ed25519PublicKey> node;  // the node the body names, if any
};
GuardError classify_guard_error(int http_status, std::string_view body);

}  // namespace st::onion
