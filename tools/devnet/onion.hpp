// Onion request processing from a service node's side (protocol.md §6.3, §6.5, §6.9).
//
// Every blob a node sees is   N: uint32 LE ‖ ciphertext (N bytes) ‖ JSON (UTF-8, the rest).
// The outer JSON (the HTTP body's, or the relaying node's) names the ephemeral key and enc_type
// that decrypt the ciphertext; the decrypted plaintext has the same shape, and its JSON says
// what to do: "headers" present → final destination (the bytes are an RPC request); "host" → exit
// to a server; otherwise "destination" → relay to the node with that Ed25519 key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "crypto.hpp"
#include "rpc.hpp"

namespace devnet {

// Splits N ‖ ciphertext ‖ JSON. Throws std::runtime_error (bad sizes) or nlohmann's
// json::exception (bad JSON), whose what() becomes the error text, as on a real node.
struct Combined {
    std::string_view ciphertext;
    json control;
};
Combined parse_combined(std::string_view payload);

// "xchacha20"/"xchacha20-poly1305" → true, "aes-gcm"/"gcm" → false; throws otherwise.
bool parse_enc_type(std::string_view name);

// What a decrypted layer asks for.
struct FinalDestination {
    std::string body;  // the RPC request JSON
    bool json = false;     // embed the response as JSON instead of a string
    bool base64 = true;    // base64 the encrypted response
};
struct RelayToNode {
    std::string ciphertext;
    Key32 ephemeral{};
    bool xchacha = false;  // enc_type for the next hop (default aes-gcm)
    Key32 destination{};
};
struct RelayToServer {
    std::string payload;  // the whole decrypted plaintext, posted as is
    std::string host;
    std::string target;
    std::string protocol = "https";
    int port = 443;
};
enum class LayerError { invalid_ciphertext, invalid_json };
using Layer = std::variant<FinalDestination, RelayToNode, RelayToServer, LayerError>;

// Decrypts one layer with K and classifies it (pure functions, used by the node and tests).
Layer peel_layer_with_key(const Key32& key, bool xchacha, std::string_view ciphertext);
Layer peel_layer(const NodeKeys& keys, std::string_view ciphertext, const Key32& ephemeral,
                 bool xchacha);

// POST /onion_req/v2 on `node`: parses the outer wrapper and processes the request. `reply` is
// called once with the HTTP status and body to return.
void handle_onion_http(Devnet& net, Node& node, std::string_view body, Reply reply);

// Processes an onion layer that reached `node` (from a client, hop_no 0 unless the client says
// otherwise, or from a relaying node, which counts one more hop).
void process_onion(Devnet& net, Node& node, std::string ciphertext, const Key32& ephemeral,
                   bool xchacha, int hop_no, Reply reply);

// Relays beyond this many hops are refused (400 "onion request max path length exceeded").
inline constexpr int kMaxOnionHops = 15;

}  // namespace devnet
