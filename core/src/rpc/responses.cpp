#include "st/rpc/responses.hpp"

#include "json_access.hpp"
#include "st/rpc/requests.hpp"
#include "st/rpc/status.hpp"

namespace st::rpc {

using detail::json;
using detail::member;

namespace {

Unexpected<Error> bad(std::string what) {
    return fail(kBadResponse, "unexpected answer from the node: " + std::move(what));
}

Result<json> parse_object(std::string_view body) {
    auto j = detail::parse_json(body);
    if (!j) return fail(kBadJson, "the node's answer is not JSON: " + excerpt(body, 60));
    if (!j->is_object()) return bad("not a JSON object");
    return std::move(*j);
}

template <class Key>
std::optional<Key> key_member(const json& obj, std::string_view name) {
    auto text = detail::string_member(obj, name);
    if (!text || text->size() != 64) return std::nullopt;
    auto key = Key::from_hex(*text);
    if (!key) return std::nullopt;
    return *key;
}

std::optional<std::uint16_t> port_of(const json& v) {
    std::optional<std::int64_t> n;
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s.empty() || s.size() > 5) return std::nullopt;
        std::int64_t value = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        n = value;
    } else {
        n = detail::as_int64(v);
    }
    if (!n || *n <= 0 || *n > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(*n);
}

// One node description; nullopt when unusable (no address, 0.0.0.0, bad keys or port).
std::optional<ServiceNode> node_of(const json& entry, std::string_view ip_key,
                                   std::initializer_list<std::string_view> port_keys) {
    if (!entry.is_object()) return std::nullopt;
    auto ed = key_member<crypto::Ed25519PublicKey>(entry, "pubkey_ed25519");
    auto x = key_member<crypto::X25519PublicKey>(entry, "pubkey_x25519");
    auto ip_text = detail::string_member(entry, ip_key);
    if (!ed || !x || !ip_text) return std::nullopt;
    auto ip = parse_ipv4(*ip_text);
    if (!ip || *ip == Ipv4{0, 0, 0, 0}) return std::nullopt;
    std::optional<std::uint16_t> port;
    for (auto key : port_keys) {
        if (const json* v = member(entry, key)) port = port_of(*v);
        if (port) break;
    }
    if (!port) return std::nullopt;
    ServiceNode node{*ed, *x, *ip, *port, std::nullopt};
    if (const json* sw = member(entry, "swarm_id")) node.swarm_id = detail::as_uint64(*sw);
    return node;
}

std::optional<std::uint64_t> hex_u64(std::string_view text) {
    if (text.empty() || text.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : text) {
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<std::uint64_t>(d);
    }
    return v;
}

bool read_hash_list(const json& v, std::vector<std::string>& out) {
    if (!v.is_array()) return false;
    for (const auto& h : v) {
        if (!h.is_string() || h.get_ref<const std::string&>().size() > 128) return false;
        out.push_back(h.get<std::string>());
    }
    return true;
}

Result<NodeOutcome> node_outcome(const json& v) {
    if (!v.is_object()) return bad("a swarm member's result is not an object");
    NodeOutcome o;
    o.failed = detail::bool_member(v, "failed");
    o.timeout = detail::bool_member(v, "timeout");
    if (auto code = detail::int64_member(v, "code"); code && *code >= 0 && *code < 1000)
        o.code = static_cast<int>(*code);
    if (auto reason = detail::string_member(v, "reason")) o.reason = excerpt(*reason, 200);
    if (auto hash = detail::string_member(v, "hash")) {
        if (hash->size() > 128) return bad("a message hash is too long");
        o.hash = std::move(*hash);
    }
    o.expiry = detail::int64_member(v, "expiry");
    o.already = detail::bool_member(v, "already");
    // A signature that is not base64 of 64 bytes is as good as none: left empty, so verification
    // reports the member, and the rest of the answer still parses.
    if (auto sig = detail::string_member(v, "signature"); sig && sig->size() <= 100)
        if (auto raw = from_base64(*sig); raw && raw->size() == 64) o.signature = std::move(*raw);
    if (const json* unchanged = member(v, "unchanged"); unchanged && unchanged->is_object()) {
        for (const auto& [hash, expiry] : unchanged->items()) {
            auto ms = detail::as_int64(expiry);
            if (hash.size() > 128 || !ms) return bad("an unchanged expiry is malformed");
            o.unchanged.emplace(hash, *ms);
        }
    }
    for (const char* key : {"deleted", "updated"}) {
        const json* list = member(v, key);
        if (!list) continue;
        if (list->is_object()) {  // delete_all of every namespace: {"<ns>": [hashes]}
            for (const auto& [ns, hashes] : list->items())
                if (!read_hash_list(hashes, o.hashes)) return bad("a hash list is malformed");
        } else if (!read_hash_list(*list, o.hashes)) {
            return bad("a hash list is malformed");
        }
    }
    return o;
}

}  // namespace

Result<RetrieveResult> parse_retrieve(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* messages = member(*root, "messages");
    if (!messages || !messages->is_array()) return bad("retrieve without a message list");
    RetrieveResult out;
    out.messages.reserve(messages->size());
    for (const auto& m : *messages) {
        if (!m.is_object()) return bad("a retrieved message is not an object");
        RetrievedMessage msg;
        auto hash = detail::string_member(m, "hash");
        auto data = detail::string_member(m, "data");
        auto ts = detail::int64_member(m, "timestamp");
        auto exp = detail::int64_member(m, "expiration");
        if (!exp) exp = detail::int64_member(m, "expiry");  // older servers' spelling
        if (!hash || !is_valid_hash(*hash)) return bad("a retrieved message has no valid hash");
        if (!data || !ts || !exp) return bad("a retrieved message misses data or times");
        msg.hash = std::move(*hash);
        msg.data = std::move(*data);
        msg.timestamp = *ts;
        msg.expiration = *exp;
        out.messages.push_back(std::move(msg));
    }
    out.more = detail::bool_member(*root, "more");
    out.t = detail::int64_member(*root, "t");
    return out;
}

namespace {

Result<SwarmOutcome> outcome_of(const json& root) {
    const json* swarm = member(root, "swarm");
    if (!swarm || !swarm->is_object()) return bad("no per-node results");
    SwarmOutcome out;
    for (const auto& [key, value] : swarm->items()) {
        if (key.size() != 64) return bad("a swarm member is not an Ed25519 key");
        auto o = node_outcome(value);
        if (!o) return Unexpected<Error>(std::move(o).error());
        out.nodes.emplace(key, std::move(*o));
    }
    out.t = detail::int64_member(root, "t");
    return out;
}

}  // namespace

Result<SwarmOutcome> parse_swarm_outcome(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    return outcome_of(*root);
}

Result<std::map<std::string, std::int64_t>> parse_get_expiries(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* expiries = member(*root, "expiries");
    if (!expiries || !expiries->is_object()) return bad("get_expiries without an expiries object");
    std::map<std::string, std::int64_t> out;
    for (const auto& [hash, expiry] : expiries->items()) {
        auto ms = detail::as_int64(expiry);
        if (!is_valid_hash(hash) || !ms) return bad("an expiry entry is malformed");
        out.emplace(hash, *ms);
    }
    return out;
}

Result<StoreResult> parse_store(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    StoreResult out;
    if (member(*root, "swarm")) {
        auto outcome = outcome_of(*root);
        if (!outcome) return Unexpected<Error>(std::move(outcome).error());
        out.swarm = std::move(*outcome);
    }
    out.swarm.t = detail::int64_member(*root, "t");
    if (auto hash = detail::string_member(*root, "hash")) out.hash = std::move(*hash);
    if (out.hash.empty())
        for (const auto& [key, o] : out.swarm.nodes)
            if (!o.failed && !o.hash.empty()) {
                out.hash = o.hash;
                break;
            }
    if (out.hash.empty() || out.hash.size() > 128) return bad("store without a message hash");
    return out;
}

Result<SwarmInfo> parse_swarm(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* snodes = member(*root, "snodes");
    if (!snodes || !snodes->is_array()) return bad("no swarm member list");
    SwarmInfo out;
    for (const auto& entry : *snodes)
        if (auto node = node_of(entry, "ip", {"port_https", "port"})) out.nodes.push_back(*node);
    if (const json* sw = member(*root, "swarm")) {
        if (sw->is_string())
            out.swarm_id = hex_u64(sw->get_ref<const std::string&>());
        else
            out.swarm_id = detail::as_uint64(*sw);
    }
    if (out.swarm_id)
        for (auto& n : out.nodes) n.swarm_id = out.swarm_id;
    out.t = detail::int64_member(*root, "t");
    return out;
}

Result<InfoResult> parse_info(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    InfoResult out;
    auto ts = detail::int64_member(*root, "timestamp");
    if (!ts) ts = detail::int64_member(*root, "t");
    if (!ts) return bad("info without a timestamp");
    out.timestamp = *ts;
    if (const json* v = member(*root, "version"); v && v->is_array()) {
        for (const auto& part : *v) {
            auto n = detail::as_int64(part);
            if (!n || *n < 0 || *n > 1000000 || out.version.size() >= 8)
                return bad("a malformed version");
            out.version.push_back(static_cast<int>(*n));
        }
    }
    return out;
}

Result<std::vector<ServiceNode>> parse_service_nodes(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* holder = &*root;
    if (const json* result = member(*root, "result")) holder = result;
    const json* states = member(*holder, "service_node_states");
    if (!states || !states->is_array()) return bad("no service_node_states list");
    std::vector<ServiceNode> out;
    for (const auto& entry : *states)
        if (auto node = node_of(entry, "public_ip", {"storage_port"})) out.push_back(*node);
    return out;
}

Result<OnsResolveResult> parse_ons_resolve(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* result = member(*root, "result");
    if (!result || !result->is_object()) return bad("ons_resolve without a result object");
    OnsResolveResult out;
    const json* value = member(*result, "encrypted_value");
    if (!value || value->is_null()) return out;
    if (!value->is_string()) return bad("encrypted_value is not a string");
    const auto& value_hex = value->get_ref<const std::string&>();
    if (value_hex.empty()) return out;
    // A current value is 49 bytes, a legacy one 49 - 24 + 16 = 41 (Argon2 + secretbox); nothing
    // on chain is longer than a wallet record, far below this bound.
    constexpr std::size_t kMaxHex = 2 * 256;
    if (value_hex.size() > kMaxHex) return bad("encrypted_value is too long");
    auto bytes = from_hex(value_hex);
    if (!bytes) return bad("encrypted_value is not hex");
    out.found = true;
    out.encrypted_value = std::move(*bytes);
    if (const json* nonce = member(*result, "nonce"); nonce && !nonce->is_null()) {
        if (!nonce->is_string()) return bad("nonce is not a string");
        const auto& nonce_hex = nonce->get_ref<const std::string&>();
        if (nonce_hex.size() > kMaxHex) return bad("nonce is too long");
        auto n = from_hex(nonce_hex);
        if (!n) return bad("nonce is not hex");
        out.nonce = std::move(*n);
    }
    return out;
}

Result<std::vector<SubResult>> parse_batch(std::string_view body) {
    auto root = parse_object(body);
    if (!root) return Unexpected<Error>(std::move(root).error());
    const json* results = member(*root, "results");
    if (!results || !results->is_array()) return bad("no batch result list");
    std::vector<SubResult> out;
    out.reserve(results->size());
    for (const auto& r : *results) {
        if (!r.is_object()) return bad("a batch result is not an object");
        auto code = detail::int64_member(r, "code");
        if (!code || *code < 0 || *code > 999) return bad("a batch result has no valid code");
        SubResult s;
        s.code = static_cast<int>(*code);
        if (const json* b = member(r, "body")) s.body = detail::text_of(*b);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::int64_t> server_times(std::string_view body) {
    std::vector<std::int64_t> out;
    auto root = detail::parse_json(body);
    if (!root || !root->is_object()) return out;
    if (auto t = detail::int64_member(*root, "t")) out.push_back(*t);
    if (const json* results = member(*root, "results"); results && results->is_array())
        for (const auto& r : *results)
            if (const json* b = member(r, "body"); b && b->is_object())
                if (auto t = detail::int64_member(*b, "t")) out.push_back(*t);
    return out;
}

}  // namespace st::rpc
