// A minimal Session client for exercising a devnet (or any storage server): blocking HTTP(S) POSTs, accounts that sign requests (protocol.md §5.3), message hashes (§5.5) and
// an onion request builder/response decrypter (§6.2–§6.5).
//
// Written separately from the devnet's server code (and from core/) so the integration tests
// check the server against an independent reading of the protocol.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devnet_client {

using json = nlohmann::json;
using Key32 = std::array<unsigned char, 32>;

// Initialises libsodium (call once).
void init();

std::string hex(std::string_view bytes);
std::string hex(const Key32& k);
std::optional<std::string> unhex(std::string_view hex);
Key32 key_from_hex(std::string_view hex);  // throws std::invalid_argument
std::string b64(std::string_view bytes);
std::optional<std::string> unb64(std::string_view text);
std::int64_t now_ms();

// --- HTTP ----------------------------------------------------------------------------------------
struct HttpResult {
    int status = 0;        // 0: no HTTP answer (connection refused, timeout...)
    std::string body;      // the response body, or the error text when status is 0
    std::chrono::microseconds elapsed{};
};
// Over HTTPS when use_tls(true) was called (process-wide, for a `devnet --tls`): the certificate
// is not verified, as clients treat service nodes; a seed's pin is checked by the caller with
// peer_certificate_sha256.
HttpResult http_post(const std::string& host, std::uint16_t port, const std::string& target,
                     const std::string& body,
                     std::chrono::milliseconds timeout = std::chrono::seconds{20});
void use_tls(bool on);
bool tls_in_use();
// The SHA-256 (lowercase hex) of the certificate host:port presents in a TLS handshake; throws
// std::runtime_error when the handshake fails.
std::string peer_certificate_sha256(const std::string& host, std::uint16_t port);
// "http://host:port/path" or "https://…" → parts (path "/" when absent); throws
// std::invalid_argument.
struct Url {
    std::string host;
    std::uint16_t port = 80;
    std::string path;
    bool https = false;
};
Url parse_url(std::string_view url);

// --- accounts and requests -----------------------------------------------------------------------
class Account {
public:
    static Account random();
    static Account from_seed(const Key32& ed_seed);

    std::string session_id() const;  // "05" ‖ hex(X25519 pk)
    std::string ed_hex() const;
    // base64 of the Ed25519 signature of `message`.
    std::string sign_b64(std::string_view message) const;

    // Request params with the §5.3 auth fields filled in (pubkey, pubkey_ed25519, signature…).
    json retrieve(int ns, std::int64_t timestamp, const std::string& last_hash = "") const;
    json store_signed(int ns, std::int64_t timestamp, std::int64_t ttl, std::string_view data) const;
    json delete_msgs(const std::vector<std::string>& hashes) const;
    json delete_all(std::optional<int> ns, std::int64_t timestamp) const;  // nullopt: "all"
    json expire(const std::vector<std::string>& hashes, std::int64_t expiry,
                const std::string& mode = "") const;  // mode "", "shorten", "extend"
    json get_expiries(const std::vector<std::string>& hashes, std::int64_t timestamp) const;

private:
    std::array<unsigned char, 64> ed_sk_{};
    Key32 ed_pk_{};
    Key32 x_pk_{};
};

// Unsigned ns-0 store params (anyone may deposit into a public inbox).
json store_params(const std::string& recipient_session_id, std::int64_t timestamp,
                  std::int64_t ttl, std::string_view data);
// §5.5 message hash of `data` stored for `session_id` in `ns`.
std::string message_hash(const std::string& session_id, int ns, std::string_view data);
// {"method": m, "params": p} serialised.
std::string rpc_body(const std::string& method, const json& params);

// --- network view --------------------------------------------------------------------------------
struct NodeInfo {
    std::string ed_hex;
    Key32 ed{};
    Key32 x{};
    std::uint16_t port = 0;
    std::uint64_t swarm_id = 0;
};
// get_n_service_nodes from a seed URL ("http://127.0.0.1:P/json_rpc"); throws on failure.
std::vector<NodeInfo> fetch_nodes(const std::string& seed_url);
// §5.9 swarm of a Session ID among `nodes`.
std::uint64_t swarm_of(const std::string& session_id, const std::vector<NodeInfo>& nodes);

// --- onion requests ------------------------------------------------------------------------------
enum class Enc { xchacha20, aes_gcm };

struct OnionOptions {
    Enc enc = Enc::xchacha20;
    // Fixed randomness for known-answer checks: ephemeral secret keys and nonces in the order
    // dest, exit, middle, guard (one per hop; paths of other lengths use as many as needed).
    std::vector<Key32> ephemeral_secrets;
    std::vector<std::string> nonces;
    bool omit_enc_type = false;  // desktop style for aes-gcm: no enc_type anywhere
    std::optional<int> hop_no;   // a fake starting hop count in the outer JSON
};

struct OnionRequest {
    std::string body;   // the HTTP body for the guard's /onion_req/v2
    Key32 reply_key{};  // K for the destination layer
    Enc enc = Enc::xchacha20;
};

// Wraps the RPC `payload` for destination `dest` through `path` (guard first, ≥ 1 hop).
OnionRequest build_onion(const std::vector<NodeInfo>& path, const NodeInfo& dest,
                         std::string_view payload, const OnionOptions& opts = {});
// Builds layers around an arbitrary final plaintext (to test malformed inner requests).
OnionRequest build_onion_raw(const std::vector<NodeInfo>& path, const NodeInfo& dest,
                             std::string_view dest_plaintext, const OnionOptions& opts = {});
// Decrypts a destination's base64 reply; nullopt if it does not decrypt.
std::optional<std::string> decrypt_reply(const OnionRequest& req, std::string_view body_b64);

}  // namespace devnet_client
