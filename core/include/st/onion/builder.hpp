// Building onion requests (protocol.md §6.4, §6.6): a payload wrapped once per hop so that each
// node of the path only learns the next one. For a path G, M, X and a destination D:
//
//   L_D = LE32(len payload) || payload || {"headers":""}               (snode destination)
//   blob_D = Enc(K(e_D, D.x), L_D)
//   L_X = LE32(len blob_D) || blob_D || {"destination":hex(D.ed),"enc_type":"xchacha20",
//                                        "ephemeral_key":hex(E_D)}
//   ... the same for M (destination X) and G (destination M) ...
//   body = LE32(len blob_G) || blob_G || {"enc_type":"xchacha20","ephemeral_key":hex(E_G)}
//
// For a server destination (v4) the server's blob has no length prefix or JSON of its own:
//   blob_S = Enc(K(e_S, S.x), bencoded request);  L_X = LE32 || blob_S || {"host","target",
//   "method":"POST","protocol","port","ephemeral_key":hex(E_S),"enc_type":"xchacha20"}
//
// JSON is compact with sorted keys. The body is POSTed to the guard's /onion_req/v2; the reply is
// opened with response_key (st/onion/response.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/onion/hop.hpp"

namespace st::onion {

inline constexpr std::string_view kBadPath = "onion.bad_path";
inline constexpr std::string_view kBadServer = "onion.bad_server";
inline constexpr std::string_view kTooLarge = "onion.too_large";

// Nodes forward at most 15 hops (hop counter); 8 is far more than any path needs.
inline constexpr std::size_t kMaxPathLength = 8;
// What OnionReqParser accepts (protocol.md §12 U14).
inline constexpr std::size_t kMaxPayload = 10 * 1024 * 1024;

struct Hop {
    crypto::Ed25519PublicKey ed25519;  // routing: the "destination" a relay looks up
    crypto::X25519PublicKey x25519;    // encryption
};

struct ServerDestination {
    std::string host;  // DNS name or IP, no scheme
    crypto::X25519PublicKey x25519;
    std::string protocol = "https";  // "https" or "http"
    std::uint16_t port = 443;
    std::string target = "/oxen/v4/lsrpc";  // starts with /oxen/ or /loki/, ends with /lsrpc
};

// Fixed secrets for known-answer tests; production leaves `layers` empty (fresh randomness).
struct LayerSecrets {
    crypto::X25519SecretKey ephemeral_sk;
    Nonce nonce{};
};
struct BuildOptions {
    // Destination layer first, then the exit's, ..., the guard's last: path.size() + 1 entries.
    std::vector<LayerSecrets> layers;
};

struct OnionRequest {
    Bytes body;  // POST to the guard's /onion_req/v2
    crypto::X25519PublicKey dest_ephemeral_pk;
    crypto::X25519SecretKey dest_ephemeral_sk;
    SymmetricKey response_key;  // K of the destination layer: opens the reply
};

// An empty path is allowed: the body then goes straight to `destination`, which is its own guard
// (a one-layer request, used to test a guard through a relay).
// Errors: kBadPath (longer than kMaxPathLength, or the wrong number of fixed secrets), kTooLarge
// (payload over kMaxPayload), kBadKey (a hop's key is degenerate).
Result<OnionRequest> build_to_snode(std::span<const Hop> path, const Hop& destination,
                                    ByteView payload, const BuildOptions& options = {});

// The exit (last hop of `path`, which may not be empty) posts the server's layer to
// protocol://host:port/target. Errors: as above, plus kBadServer (empty host, bad protocol, target
// not /oxen|/loki…/lsrpc).
Result<OnionRequest> build_to_server(std::span<const Hop> path, const ServerDestination& server,
                                     ByteView v4_request, const BuildOptions& options = {});

// The v4 request a server decrypts (§6.6): a bencoded list of one or two byte strings,
//   "l" <len>:{"method":M,"endpoint":E,"headers":{...}} [<len>:body] "e"
// `endpoint` must start with "/" (Errors: kBadServer).
Result<Bytes> encode_v4_request(std::string_view method, std::string_view endpoint,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::optional<ByteView> body);

}  // namespace st::onion
