#include "st/rpc/requests.hpp"

#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>

#include "st/crypto/keys.hpp"

namespace st::rpc {

using json = nlohmann::json;

namespace {

Request make(std::string method, const json& params) { return {std::move(method), params.dump()}; }

// The common fields of a request made by the account owner: its Session ID and signing key.
json owner_params(const crypto::Identity& id, std::string_view text) {
    json p;
    p["pubkey"] = id.session_id().hex();
    p["pubkey_ed25519"] = id.ed25519_public().hex();
    p["signature"] = sign(id, text);
    return p;
}

Result<void> check_hashes(const std::vector<std::string>& hashes) {
    if (hashes.empty()) return fail(kBadParams, "at least one message hash is needed");
    for (const auto& h : hashes)
        if (!is_valid_hash(h)) return fail(kBadHash, "a message hash must be 43 base64 characters");
    return {};
}

Result<Request> group(std::string method, const std::vector<Request>& requests) {
    if (requests.empty() || requests.size() > 20)
        return fail(kTooManyRequests, "a " + method + " holds 1 to 20 requests, not " +
                                          std::to_string(requests.size()));
    json list = json::array();
    for (const auto& r : requests) {
        if (r.method == "batch" || r.method == "sequence" || r.method == "ifelse")
            return fail(kBadParams, "a " + method + " cannot contain a " + r.method);
        json params = json::parse(r.params, nullptr, false);
        if (!params.is_object()) return fail(kBadParams, "sub-request params are not an object");
        list.push_back(json{{"method", r.method}, {"params", std::move(params)}});
    }
    return make(std::move(method), json{{"requests", std::move(list)}});
}

}  // namespace

std::string Request::to_json() const {
    return "{\"method\":" + json(method).dump() + ",\"params\":" + params + "}";
}

bool is_public_namespace(Namespace ns) { return ns % 10 == 0; }

std::string namespace_text(Namespace ns) { return ns == 0 ? std::string() : std::to_string(ns); }

std::string sign(const crypto::Identity& identity, std::string_view text) {
    crypto::ensure_sodium_ready();
    std::array<std::uint8_t, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                         text.size(), identity.ed25519_secret().data());
    return to_base64(sig);
}

std::string message_hash(const crypto::SessionId& recipient, Namespace ns, ByteView data_bytes) {
    crypto::ensure_sodium_ready();
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    const Bytes pk = recipient.bytes();
    crypto_generichash_update(&st, pk.data(), pk.size());
    const std::string ns_text = namespace_text(ns);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(ns_text.data()),
                              ns_text.size());
    crypto_generichash_update(&st, data_bytes.data(), data_bytes.size());
    std::array<std::uint8_t, 32> digest{};
    crypto_generichash_final(&st, digest.data(), digest.size());
    std::string b64 = to_base64(digest);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return b64;
}

Result<std::string> message_hash_b64(const crypto::SessionId& recipient, Namespace ns,
                                     std::string_view data_b64) {
    auto data = from_base64(data_b64);
    if (!data) return Unexpected<Error>(std::move(data).error());
    return message_hash(recipient, ns, *data);
}

bool is_valid_hash(std::string_view hash) {
    if (hash.size() != 43) return false;
    for (char c : hash) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

Result<Request> store(const StoreParams& params, const crypto::Identity* signer) {
    if (params.data.empty() || params.data.size() > kMaxDataChars)
        return fail(kBadParams, "message data must be 1 to " + std::to_string(kMaxDataChars) +
                                    " base64 characters, not " +
                                    std::to_string(params.data.size()));
    if (params.ttl_ms <= 0) return fail(kBadParams, "a message needs a positive TTL");
    json p;
    if (!is_public_namespace(params.ns)) {
        if (!signer)
            return fail(kBadParams,
                        "namespace " + std::to_string(params.ns) + " only accepts signed stores");
        if (!(signer->session_id() == params.recipient))
            return fail(kBadParams, "only the owner of a swarm may store in namespace " +
                                        std::to_string(params.ns));
        p = owner_params(*signer,
                         "store" + namespace_text(params.ns) + std::to_string(params.timestamp_ms));
    }
    p["pubkey"] = params.recipient.hex();
    p["namespace"] = params.ns;
    p["timestamp"] = params.timestamp_ms;
    p["ttl"] = params.ttl_ms;
    p["data"] = params.data;
    return make("store", p);
}

Result<Request> retrieve(const crypto::Identity& identity, const RetrieveParams& params) {
    if (!params.last_hash.empty() && !is_valid_hash(params.last_hash))
        return fail(kBadHash, "last_hash must be empty or 43 base64 characters");
    json p = owner_params(
        identity, "retrieve" + namespace_text(params.ns) + std::to_string(params.timestamp_ms));
    p["namespace"] = params.ns;
    p["timestamp"] = params.timestamp_ms;
    p["last_hash"] = params.last_hash;
    if (params.max_size) p["max_size"] = *params.max_size;
    if (params.max_count) p["max_count"] = *params.max_count;
    return make("retrieve", p);
}

Result<Request> delete_messages(const crypto::Identity& identity,
                                const std::vector<std::string>& hashes, bool required) {
    if (auto ok = check_hashes(hashes); !ok) return Unexpected<Error>(std::move(ok).error());
    std::string text = "delete";
    for (const auto& h : hashes) text += h;
    json p = owner_params(identity, text);
    p["messages"] = hashes;
    if (required) p["required"] = true;
    return make("delete", p);
}

Request delete_all(const crypto::Identity& identity, std::optional<Namespace> ns,
                   std::int64_t timestamp_ms) {
    const std::string ns_text = ns ? namespace_text(*ns) : std::string("all");
    json p = owner_params(identity, "delete_all" + ns_text + std::to_string(timestamp_ms));
    if (ns)
        p["namespace"] = *ns;
    else
        p["namespace"] = "all";
    p["timestamp"] = timestamp_ms;
    return make("delete_all", p);
}

Result<Request> expire(const crypto::Identity& identity, const std::vector<std::string>& hashes,
                       std::int64_t expiry_ms, ExpireMode mode) {
    if (auto ok = check_hashes(hashes); !ok) return Unexpected<Error>(std::move(ok).error());
    const char* se = mode == ExpireMode::shorten  ? "shorten"
                     : mode == ExpireMode::extend ? "extend"
                                                  : "";
    std::string text = "expire" + std::string(se) + std::to_string(expiry_ms);
    for (const auto& h : hashes) text += h;
    json p = owner_params(identity, text);
    p["messages"] = hashes;
    p["expiry"] = expiry_ms;
    if (mode == ExpireMode::shorten) p["shorten"] = true;
    if (mode == ExpireMode::extend) p["extend"] = true;
    return make("expire", p);
}

Result<Request> get_expiries(const crypto::Identity& identity,
                             const std::vector<std::string>& hashes, std::int64_t timestamp_ms) {
    if (auto ok = check_hashes(hashes); !ok) return Unexpected<Error>(std::move(ok).error());
    std::string text = "get_expiries" + std::to_string(timestamp_ms);
    for (const auto& h : hashes) text += h;
    json p = owner_params(identity, text);
    p["messages"] = hashes;
    p["timestamp"] = timestamp_ms;
    return make("get_expiries", p);
}

Request get_swarm(std::string_view pubkey_hex) {
    return make("get_swarm", json{{"pubkey", std::string(pubkey_hex)}});
}

Request info() { return {"info", "{}"}; }

namespace {
json node_fields() {
    return json{{"public_ip", true},
                {"storage_port", true},
                {"pubkey_x25519", true},
                {"pubkey_ed25519", true},
                {"swarm_id", true}};
}
}  // namespace

Request get_service_nodes() {
    return make("oxend_request",
                json{{"endpoint", "get_service_nodes"},
                     {"params", json{{"active_only", true}, {"fields", node_fields()}}}});
}

Request ons_resolve(std::string_view name_hash_b64) {
    return make("oxend_request",
                json{{"endpoint", "ons_resolve"},
                     {"params", json{{"type", 0}, {"name_hash", std::string(name_hash_b64)}}}});
}

std::string seed_request_body() {
    return json{{"jsonrpc", "2.0"},
                {"method", "get_n_service_nodes"},
                {"params", json{{"active_only", true}, {"fields", node_fields()}}}}
        .dump();
}

Result<Request> batch(const std::vector<Request>& requests) { return group("batch", requests); }
Result<Request> sequence(const std::vector<Request>& requests) {
    return group("sequence", requests);
}

}  // namespace st::rpc
