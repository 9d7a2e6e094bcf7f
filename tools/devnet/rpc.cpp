#include "rpc.hpp"

// Index
//   [SECTION] parsing helpers      the real server's parse_field rules and error texts
//   [SECTION] request loaders      one per endpoint, fields read in the server's order
//   [SECTION] shared handling      signatures, 421, `t`/`hf`, swarm forwarding
//   [SECTION] handlers             one per endpoint
//   [SECTION] dispatch             method table, batch/sequence/ifelse, top level

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "network.hpp"
#include "util.hpp"

namespace devnet {

bool UserPubkey::load(std::string_view text) {
    if (text.size() == 66 && is_hex(text)) {
        raw = *from_hex(text);
        return true;
    }
    if (text.size() == 33) {
        raw = std::string{text};
        return true;
    }
    raw.clear();
    return false;
}

std::string UserPubkey::hex() const { return to_hex(raw); }

json parse_json(std::string_view text) {
    if (json_too_deep(text)) return json(json::value_t::discarded);
    return json::parse(text, nullptr, false);
}

bool json_too_deep(std::string_view text) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

std::string body_text(const Response& r) {
    if (auto* s = std::get_if<std::string>(&r.body)) return *s;
    if (auto* b = std::get_if<Binary>(&r.body)) return b->bytes;
    return std::get<json>(r.body).dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// =============================================================================================
// [SECTION] parsing helpers
// =============================================================================================

// A parse_error: its text goes back to the client as "invalid request: <text>" with 400.
struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void bad_type(const char* name, const char* expected) {
    throw ParseError{std::string{"Invalid value given for '"} + name + "': expected " + expected};
}

const json* field(const json& p, const char* name) {
    auto it = p.find(name);
    if (it == p.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<bool> get_bool(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) bad_type(name, "boolean");
    return v->get<bool>();
}

std::optional<int> get_int(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) bad_type(name, "integer");
    return v->get<int>();
}

std::optional<std::int64_t> get_int64(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) bad_type(name, "integer");
    return v->get<std::int64_t>();
}

std::optional<std::uint64_t> get_uint64(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_unsigned()) bad_type(name, "positive integer");
    return v->get<std::uint64_t>();
}

std::optional<std::string> get_string(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_string()) bad_type(name, "string");
    return v->get<std::string>();
}

// A millisecond timestamp: a non-negative integer; values under 10^9 were surely seconds.
std::optional<std::int64_t> get_timestamp(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_unsigned()) bad_type(name, "integer timestamp (in milliseconds)");
    auto ms = v->get<std::int64_t>();
    if (ms < 1'000'000'000)
        throw ParseError{std::string{"Invalid timestamp for '"} + name +
                         "': timestamp must be in milliseconds"};
    return ms;
}

std::optional<int> get_namespace(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) bad_type(name, "16-bit integer");
    auto id = v->get<std::int64_t>();
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > 32767u) id = 32768;
    if (id < kNamespaceMin || id > kNamespaceMax)
        throw ParseError{std::string{"Invalid value given for '"} + name + "': value out of range"};
    return static_cast<int>(id);
}

std::optional<NamespaceVar> get_namespace_var(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer() && !v->is_string()) bad_type(name, "integer or \"all\"");
    if (v->is_number_integer()) {
        auto id = v->get<std::int64_t>();
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > 32767u) id = 32768;
        if (id < kNamespaceMin || id > kNamespaceMax)
            throw ParseError{std::string{"Invalid value given for '"} + name +
                             "': value out of range"};
        return NamespaceVar{false, static_cast<int>(id)};
    }
    if (v->get_ref<const std::string&>() == "all") return NamespaceVar{true, 0};
    throw ParseError{std::string{"Invalid value given for '"} + name +
                     "': expected integer or \"all\""};
}

// A string array; a lone string counts as a one-element array.
std::optional<std::vector<std::string>> get_str_array(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (v->is_string()) return std::vector<std::string>{v->get<std::string>()};
    if (!v->is_array()) bad_type(name, "string array");
    std::vector<std::string> out;
    for (const auto& x : *v) {
        if (!x.is_string()) bad_type(name, "string array");
        out.push_back(x.get<std::string>());
    }
    return out;
}

std::optional<std::vector<std::int64_t>> get_timestamp_array(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (v->is_number_unsigned()) return std::vector<std::int64_t>{v->get<std::int64_t>()};
    if (!v->is_array()) bad_type(name, "timestamp array");
    std::vector<std::int64_t> out;
    for (const auto& x : *v) {
        if (!x.is_number_unsigned()) bad_type(name, "timestamp array");
        out.push_back(x.get<std::int64_t>());
    }
    return out;
}

std::optional<std::vector<int>> get_int_array(const json& p, const char* name) {
    auto* v = field(p, name);
    if (!v) return std::nullopt;
    if (v->is_number_integer()) return std::vector<int>{v->get<int>()};
    if (!v->is_array()) bad_type(name, "integer array");
    std::vector<int> out;
    for (const auto& x : *v) {
        if (!x.is_number_integer()) bad_type(name, "integer array");
        out.push_back(x.get<int>());
    }
    return out;
}

// Fields the old protocol accepted as stringified integers (store's timestamp and ttl).
std::optional<std::int64_t> get_stringified_int(const json& p, const char* name) {
    if (auto it = p.find(name); it != p.end() && it->is_string()) {
        std::int64_t v;
        if (parse_int(it->get_ref<const std::string&>(), v)) return v;
        throw ParseError{std::string{"Invalid value given for '"} + name + "': " + it->dump()};
    }
    return get_int64(p, name);
}
std::optional<std::uint64_t> get_stringified_uint(const json& p, const char* name) {
    if (auto it = p.find(name); it != p.end() && it->is_string()) {
        std::uint64_t v;
        if (parse_uint(it->get_ref<const std::string&>(), v)) return v;
        throw ParseError{std::string{"Invalid value given for '"} + name + "': " + it->dump()};
    }
    return get_uint64(p, name);
}

template <class T>
void require(const char* name, const std::optional<T>& v) {
    if (!v) throw ParseError{std::string{"Required field '"} + name + "' missing"};
}

// pubkey/pubKey: exactly one of the two (an alias pair reports only the first name as missing).
template <class A, class B>
void require_one_alias(const char* first, const std::optional<A>& a, const char* second,
                       const std::optional<B>& b) {
    if (a && b)
        throw ParseError{std::string{"Cannot specify both '"} + first + "' and '" + second + "'"};
    if (!a && !b) throw ParseError{std::string{"Required field '"} + first + "' missing"};
}

void load_pk(UserPubkey& pk, const std::optional<std::string>& text) {
    require("pubkey", text);
    if (!pk.load(*text)) throw ParseError{"Pubkey must be 66 hex digits (33 bytes) long"};
}

// The signature fields of a signed request; the signature is checked later by the handler.
Auth load_pk_signature(UserPubkey& pk, const std::optional<std::string>& pk_text,
                       const std::optional<std::string>& pk_ed,
                       const std::optional<std::string>& sig) {
    load_pk(pk, pk_text);
    require("signature", sig);
    Auth auth;
    if (pk_ed) {
        if (pk.type() != 5)
            throw ParseError{"pubkey_ed25519 is only permitted for 05[...] pubkeys"};
        Key32 k;
        if (pk_ed->size() == 64) {
            auto raw = from_hex(*pk_ed);
            if (!raw) throw ParseError{"invalid pubkey_ed25519: value is not hex"};
            std::memcpy(k.data(), raw->data(), 32);
        } else if (pk_ed->size() == 32) {
            std::memcpy(k.data(), pk_ed->data(), 32);
        } else {
            throw ParseError{"Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey"};
        }
        auth.pubkey_ed25519 = k;
    }
    if (!is_base64(*sig) || !(sig->size() == 86 || (sig->size() == 88 && sig->ends_with("=="))))
        throw ParseError{"invalid signature: expected base64 encoded Ed25519 signature"};
    auth.signature = from_base64(*sig);
    return auth;
}

// Subaccounts (groups v2 delegated keys) are parsed for their errors only; a request using one
// fails signature verification here, since the devnet does not implement subaccount tokens.
void load_subaccount(Auth& auth, const std::optional<std::string>& sub,
                     const std::optional<std::string>& sub_sig) {
    if (!sub || sub->empty()) return;
    if (!sub_sig)
        throw ParseError{"invalid subaccount: subaccount_sig is required when using subaccount"};
    bool b64 = is_base64(*sub) && sub->size() == 48;
    bool hex = is_hex(*sub) && sub->size() == 72;
    if (!b64 && !hex)
        throw ParseError{"invalid subaccount: expected base64 or hex-encoded subaccount token"};
    if (!is_base64(*sub_sig) ||
        !(sub_sig->size() == 86 || (sub_sig->size() == 88 && sub_sig->ends_with("=="))))
        throw ParseError{"invalid subaccount signature: expected base64 encoded Ed25519 signature"};
    auth.subaccount = true;
}

bool is_valid_message_hash(std::string_view h) { return h.size() == 43 && is_base64(h); }

bool is_public_inbox(int ns) { return ns % 10 == 0; }
bool is_public_outbox(int ns) { return ns < 0 && -ns % 20 == 1; }
bool is_noauth_retrieve(int ns) { return ns == -10 || is_public_outbox(ns); }

// =============================================================================================
// [SECTION] request loaders
// =============================================================================================
// Each reads every field first, in alphabetical order (so a type error in an earlier name wins),
// then applies the requirement checks in the server's order.

StoreReq load_store(const json& p) {
    auto data = get_string(p, "data");
    auto expiry = get_timestamp(p, "expiry");
    auto ns = get_namespace(p, "namespace");
    auto pubKey = get_string(p, "pubKey");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto sig_ts = get_timestamp(p, "sig_timestamp");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");
    auto timestamp = get_stringified_int(p, "timestamp");
    auto ttl = get_stringified_uint(p, "ttl");

    StoreReq r;
    require("timestamp", timestamp);
    if (expiry && ttl) throw ParseError{"Cannot specify both 'expiry' and 'ttl'"};
    if (!expiry && !ttl) throw ParseError{"Required field 'expiry' or 'ttl' missing"};
    r.timestamp = *timestamp;
    // The sum wraps like the server's int64 milliseconds would; a wrapped TTL fails the range
    // check below.
    r.expiry = expiry ? *expiry
                      : static_cast<std::int64_t>(static_cast<std::uint64_t>(r.timestamp) + *ttl);
    require_one_alias("pubkey", pubkey, "pubKey", pubKey);
    auto& pk = pubkey ? pubkey : pubKey;
    if (ns) r.ns = *ns;
    if (sig) {
        r.auth = load_pk_signature(r.pubkey, pk, pk_ed, sig);
        load_subaccount(*r.auth, sub, sub_sig);
        r.sig_ts = sig_ts.value_or(r.timestamp);
    } else {
        load_pk(r.pubkey, pk);
    }
    require("data", data);
    if (!is_base64(*data)) throw ParseError{"Invalid 'data' value: not base64 encoded"};
    if (data->size() > kMaxMessageBody / 3 * 4)
        throw ParseError{"Message body exceeds maximum allowed length of " +
                         std::to_string(kMaxMessageBody) + " bytes"};
    r.data = from_base64(*data);
    return r;
}

RetrieveReq load_retrieve(const json& p) {
    auto lastHash = get_string(p, "lastHash");
    auto last_hash = get_string(p, "last_hash");
    auto max_count = get_int(p, "max_count");
    auto max_size = get_int(p, "max_size");
    auto ns = get_namespace(p, "namespace");
    auto pubKey = get_string(p, "pubKey");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    (void)get_bool(p, "reverse_direction");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");
    auto ts = get_timestamp(p, "timestamp");

    RetrieveReq r;
    require_one_alias("pubkey", pubkey, "pubKey", pubKey);
    auto& pk = pubkey ? pubkey : pubKey;
    // Any auth field, or a namespace that needs auth, switches signature checking on.
    if (pk_ed || sig || ts || (ns && !is_noauth_retrieve(*ns))) {
        r.auth = load_pk_signature(r.pubkey, pk, pk_ed, sig);
        load_subaccount(*r.auth, sub, sub_sig);
        // (The real server reads a missing timestamp as garbage; 0 fails the clock check.)
        r.timestamp = ts.value_or(0);
    } else {
        load_pk(r.pubkey, pk);
    }
    if (ns) r.ns = *ns;
    if (last_hash && lastHash) throw ParseError{"Cannot specify both 'last_hash' and 'lastHash'"};
    if (lastHash) last_hash = std::move(lastHash);
    if (last_hash && !last_hash->empty()) {
        if (last_hash->size() != 43)
            throw ParseError{"Invalid last_hash: expected base64 (43 chars)"};
        if (!is_base64(*last_hash)) throw ParseError{"Invalid last_hash: not base64"};
        r.last_hash = *last_hash;
    }
    r.max_count = max_count;
    r.max_size = max_size;
    return r;
}

DeleteReq load_delete(const json& p) {
    auto messages = get_str_array(p, "messages");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto required = get_bool(p, "required");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");

    DeleteReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("messages", messages);
    r.messages = std::move(*messages);
    if (r.messages.empty()) throw ParseError{"messages does not contain any message hashes"};
    r.required = required.value_or(false);
    for (const auto& m : r.messages)
        if (!is_valid_message_hash(m)) throw ParseError{"invalid message hash: " + m};
    return r;
}

DeleteAllReq load_delete_all(const json& p) {
    auto ns = get_namespace_var(p, "namespace");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");
    auto ts = get_timestamp(p, "timestamp");

    DeleteAllReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("timestamp", ts);
    r.ns = ns.value_or(NamespaceVar{});
    r.timestamp = *ts;
    return r;
}

DeleteBeforeReq load_delete_before(const json& p) {
    auto before = get_timestamp(p, "before");
    auto ns = get_namespace_var(p, "namespace");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");

    DeleteBeforeReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("before", before);
    r.before = *before;
    r.ns = ns.value_or(NamespaceVar{});
    return r;
}

ExpireAllReq load_expire_all(const json& p) {
    auto expiry = get_timestamp(p, "expiry");
    auto ns = get_namespace_var(p, "namespace");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");

    ExpireAllReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("expiry", expiry);
    r.expiry = *expiry;
    r.ns = ns.value_or(NamespaceVar{});
    return r;
}

ExpireReq load_expire(const json& p) {
    auto expiry = get_timestamp_array(p, "expiry");
    auto extend = get_bool(p, "extend");
    auto messages = get_str_array(p, "messages");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto shorten = get_bool(p, "shorten");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");

    ExpireReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("expiry", expiry);
    r.expiry = std::move(*expiry);
    if (r.expiry.empty())
        throw ParseError{"'expiry' does not contain any expiration timestamps"};
    r.shorten = shorten.value_or(false);
    r.extend = extend.value_or(false);
    if (r.shorten && r.extend) throw ParseError{"cannot specify both 'shorten' and 'extend'"};
    require("messages", messages);
    r.messages = std::move(*messages);
    if (r.messages.empty()) throw ParseError{"messages does not contain any message hashes"};
    if (r.expiry.size() > 1 && r.expiry.size() != r.messages.size())
        throw ParseError{"'expiry' must be a single expiry, or the same length as 'messages'"};
    for (const auto& m : r.messages)
        if (!is_valid_message_hash(m)) throw ParseError{"invalid message hash: " + m};
    return r;
}

GetExpiriesReq load_get_expiries(const json& p) {
    auto messages = get_str_array(p, "messages");
    auto pubkey = get_string(p, "pubkey");
    auto pk_ed = get_string(p, "pubkey_ed25519");
    auto sig = get_string(p, "signature");
    auto sub = get_string(p, "subaccount");
    auto sub_sig = get_string(p, "subaccount_sig");
    auto ts = get_timestamp(p, "timestamp");

    GetExpiriesReq r;
    r.auth = load_pk_signature(r.pubkey, pubkey, pk_ed, sig);
    load_subaccount(r.auth, sub, sub_sig);
    require("timestamp", ts);
    r.sig_ts = *ts;
    require("messages", messages);
    r.messages = std::move(*messages);
    if (r.messages.empty()) throw ParseError{"messages does not contain any message hashes"};
    return r;
}

GetSwarmReq load_get_swarm(const json& p) {
    auto pubKey = get_string(p, "pubKey");
    auto pubkey = get_string(p, "pubkey");
    require_one_alias("pubkey", pubkey, "pubKey", pubKey);
    GetSwarmReq r;
    if (!r.pubkey.load(pubkey ? *pubkey : *pubKey))
        throw ParseError{"Pubkey must be 66 hex digits/33 bytes long"};
    return r;
}

OxendReq load_oxend(const json& p) {
    auto endpoint = get_string(p, "endpoint");
    require("endpoint", endpoint);
    if (*endpoint != "get_service_nodes" && *endpoint != "ons_resolve")
        throw ParseError{"Invalid oxend endpoint '" + *endpoint + "'"};
    OxendReq r;
    r.endpoint = *endpoint;
    if (auto it = p.find("params"); it != p.end() && !it->is_null()) r.params = *it;
    return r;
}

// =============================================================================================
// [SECTION] shared handling
// =============================================================================================

json& add_misc(json& j, const Node& node) {
    j["t"] = node.now_ms();
    j["hf"] = kHardFork;
    return j;
}

std::string b64_sig(const Node& node, std::string_view message) {
    // A lying node (admin op "lie") signs something else than its result: the signature has the
    // right form but does not verify.
    if (node.faults.lying) return to_base64(node.keys.sign("lie:" + std::string{message}));
    return to_base64(node.keys.sign(message));
}

std::string ns_text(int ns) { return ns == 0 ? std::string{} : std::to_string(ns); }
std::string ns_text(const NamespaceVar& ns) { return ns.all ? "all" : ns_text(ns.ns); }

// §5.3: a 05 account signs with its Ed25519 key, which must convert to the X25519 key it is
// addressed by; other key types sign with the key itself.
bool verify_auth(const UserPubkey& pk, const Auth& auth, std::string_view message) {
    if (auth.subaccount) return false;
    Key32 signer;
    std::memcpy(signer.data(), pk.key().data(), 32);
    if (pk.type() == 5 && auth.pubkey_ed25519) {
        auto x = ed_to_x25519(*auth.pubkey_ed25519);
        if (!x || std::memcmp(x->data(), pk.key().data(), 32) != 0) return false;
        signer = *auth.pubkey_ed25519;
    }
    return verify_signature(auth.signature, message, signer);
}

bool for_us(const Devnet& net, const Node& node, const UserPubkey& pk) {
    auto sw = net.swarm_for(pk.key());
    return sw && *sw == node.swarm_id;
}

Response wrong_swarm(const Devnet& net, const Node& node, const UserPubkey& pk) {
    auto sw = net.swarm_for(pk.key());
    if (!sw) return {500, "No swarms known!"};
    auto body = swarm_to_json(net, *sw);
    add_misc(body, node);
    return {421, std::move(body)};
}

// The state of a request applied here and forwarded to every swarm peer: the reply goes out
// when the last peer has answered (or timed out). 200 unless every member failed.
struct SwarmResponse {
    int pending = 1;
    json result = json::object();
    Reply reply;
};

void reply_or_fail(const std::shared_ptr<SwarmResponse>& res) {
    int status = 500;
    if (auto it = res->result.find("swarm"); it != res->result.end()) {
        for (const auto& [key, obj] : it->items())
            if (!obj.contains("failed")) {
                status = 200;
                break;
            }
    } else if (!res->result.contains("failed")) {
        status = 200;
    }
    auto reply = std::move(res->reply);
    reply({status, std::move(res->result)});
}

void finish_one(const std::shared_ptr<SwarmResponse>& res) {
    if (--res->pending == 0) reply_or_fail(res);
}

// Sends the request (as a non-recursive copy) to every other member of the node's swarm, and
// returns the state that collects their results under "swarm".
template <class Req>
std::shared_ptr<SwarmResponse> setup_recursive(Devnet& net, Node& node, const Req& req,
                                               Reply reply) {
    auto res = std::make_shared<SwarmResponse>();
    res->reply = std::move(reply);
    if (!req.recurse) return res;
    for (Node* peer : net.swarm_members(node.swarm_id)) {
        if (peer == &node) continue;
        Req copy = req;
        copy.recurse = false;
        if (peer->faults.stopped && peer->faults.unreachable) {
            // Known to be uncontactable: not asked now, retried later, not listed.
            node.retries.push_back({peer->index, SubRequest{std::move(copy)},
                                    std::chrono::steady_clock::now()});
            continue;
        }
        ++res->pending;
        std::string peer_hex = peer->keys.ed_hex();
        int peer_index = peer->index;
        Node* self = &node;
        net.forward(node, *peer, SubRequest{copy},
                    [res, peer_hex, peer_index, self, copy](std::optional<Response> r) mutable {
                        json peer_result;
                        if (!r) {
                            peer_result = {{"failed", true}, {"timeout", true}};
                            copy.recurse = false;
                            self->retries.push_back({peer_index, SubRequest{std::move(copy)},
                                                     std::chrono::steady_clock::now()});
                        } else if (r->status == 200 && std::holds_alternative<json>(r->body)) {
                            peer_result = std::move(std::get<json>(r->body));
                        } else {
                            peer_result = {{"failed", true},
                                           {"code", std::to_string(r->status)},
                                           {"reason", body_text(*r)}};
                        }
                        res->result["swarm"][peer_hex] = std::move(peer_result);
                        finish_one(res);
                    });
    }
    return res;
}

json& mine_of(const std::shared_ptr<SwarmResponse>& res, const Node& node, bool recurse) {
    return recurse ? res->result["swarm"][node.keys.ed_hex()] : res->result;
}

// Lists of hashes sorted for the node's signature; "all"-namespace results grouped by namespace.
void put_all_ns(json& mine, const char* key, std::vector<std::pair<int, std::string>> affected,
                const Node& node, const std::string& sig_prefix) {
    std::sort(affected.begin(), affected.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string msg = sig_prefix;
    for (const auto& [ns, h] : affected) msg += h;
    mine["signature"] = b64_sig(node, msg);
    auto& out = (mine[key] = json::object());
    for (auto& [ns, h] : affected) out[std::to_string(ns)].push_back(std::move(h));
}

void put_one_ns(json& mine, const char* key, std::vector<std::string> affected, const Node& node,
                const std::string& sig_prefix) {
    std::sort(affected.begin(), affected.end());
    std::string msg = sig_prefix;
    for (const auto& h : affected) msg += h;
    mine["signature"] = b64_sig(node, msg);
    mine[key] = std::move(affected);
}

// =============================================================================================
// [SECTION] handlers
// =============================================================================================

void handle(Devnet& net, Node& node, StoreReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    bool public_in = is_public_inbox(req.ns);
    std::int64_t ttl = req.expiry - req.timestamp;
    std::int64_t max_ttl = public_in ? kTtlMaximumMs : kTtlMaximumPrivateMs;
    if (ttl < kTtlMinimumMs || ttl > max_ttl)
        return reply({403, "Provided expiry/TTL is not valid."});
    auto now = node.now_ms();
    if (req.timestamp > now + kStoreToleranceMs || req.expiry < now - kStoreToleranceMs)
        return reply({406, "Timestamp error: check your clock"});
    if (!public_in) {
        if (!req.auth)
            return reply({401, "store: signature required to store to namespace " +
                                       std::to_string(req.ns)});
        if (req.sig_ts < now - kSignatureToleranceMs || req.sig_ts > now + kSignatureToleranceMs)
            return reply({406, "store signature timestamp too far from current time"});
        if (!verify_auth(req.pubkey, *req.auth,
                         "store" + ns_text(req.ns) + std::to_string(req.sig_ts)))
            return reply({401, "store signature verification failed"});
    }

    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);

    Message m;
    m.owner = req.pubkey.raw;
    m.ns = req.ns;
    m.hash = message_hash(m.owner, req.ns, req.data);
    m.timestamp = req.timestamp;
    m.expiry = req.expiry;
    m.data = std::move(req.data);
    std::int64_t expiry = 0;
    try {
        auto stored = node.db.store(m, &expiry);
        mine["hash"] = m.hash;
        mine["signature"] = b64_sig(node, m.hash);
        if (stored != Storage::StoreResult::New) mine["already"] = true;
        mine["expiry"] = expiry;
        if (entry) res->result["hash"] = m.hash;
    } catch (const std::exception& e) {
        mine["reason"] = e.what();
        mine["failed"] = true;
        mine["query_failure"] = true;
    }
    if (entry) {
        mine["t"] = now;
        add_misc(res->result, node);
    }
    finish_one(res);
}

void handle(Devnet& net, Node& node, RetrieveReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    if (!is_noauth_retrieve(req.ns) && !req.auth)
        return reply({401, "retrieve: request signature required"});
    if (req.auth) {
        if (req.timestamp < now - kSignatureToleranceMs ||
            req.timestamp > now + kSignatureToleranceMs)
            return reply({406, "retrieve timestamp too far from current time"});
        if (!verify_auth(req.pubkey, *req.auth,
                         "retrieve" + ns_text(req.ns) + std::to_string(req.timestamp)))
            return reply({401, "retrieve signature verification failed"});
    }
    // 0 means unspecified; neither given means 1/5 of the maximum; negative n means 1/n of it.
    std::optional<int> count = req.max_count, size = req.max_size;
    if (count && *count == 0) count.reset();
    if (size && *size == 0) size.reset();
    if (!count && !size) size = -5;
    if (size && *size < 0)
        size = kRetrieveMaxSize / -*size;
    else if (!size || *size > kRetrieveMaxSize)
        size = kRetrieveMaxSize;

    std::pair<std::vector<Message>, bool> got;
    try {
        got = node.db.retrieve(
                req.pubkey.raw, req.ns, req.last_hash,
                count ? std::optional<std::size_t>{static_cast<std::size_t>(std::max(*count, 0))}
                      : std::nullopt,
                static_cast<std::size_t>(*size), now);
    } catch (const std::exception&) {
        return reply({500, "Internal Server Error. Could not retrieve messages for " +
                                   to_hex(req.pubkey.raw.substr(0, 2)) + "…"});
    }
    json messages = json::array();
    for (auto& m : got.first)
        messages.push_back({{"hash", m.hash},
                            {"timestamp", m.timestamp},
                            {"expiration", m.expiry},
                            {"data", to_base64(m.data)}});
    json out{{"messages", std::move(messages)}, {"more", got.second}};
    add_misc(out, node);
    reply({200, std::move(out)});
}

void handle(Devnet& net, Node& node, DeleteReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    std::string msg = "delete";
    for (const auto& h : req.messages) msg += h;
    if (!verify_auth(req.pubkey, req.auth, msg))
        return reply({401, "delete_msgs signature verification failed"});
    if (req.required) {
        // 404 when no member deleted anything.
        reply = [inner = std::move(reply)](Response r) {
            if (r.status == 200)
                if (auto* j = std::get_if<json>(&r.body)) {
                    bool some = false;
                    for (const auto& [k, v] : (*j)["swarm"].items())
                        if (v.contains("deleted") && !v["deleted"].empty()) some = true;
                    if (!some) r.status = 404;
                }
            inner(std::move(r));
        };
    }
    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);
    auto deleted = node.db.delete_by_hash(req.pubkey.raw, req.messages);
    std::sort(deleted.begin(), deleted.end());
    std::string sig = req.pubkey.hex();
    for (const auto& h : req.messages) sig += h;
    for (const auto& h : deleted) sig += h;
    mine["deleted"] = deleted;
    mine["signature"] = b64_sig(node, sig);
    if (entry) add_misc(res->result, node);
    finish_one(res);
}

void handle(Devnet& net, Node& node, DeleteAllReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    auto tol = req.recurse ? kSignatureToleranceMs : kSignatureToleranceForwardedMs;
    if (req.timestamp < now - tol || req.timestamp > now + tol)
        return reply({406, "delete_all timestamp too far from current time"});
    if (!verify_auth(req.pubkey, req.auth,
                     "delete_all" + ns_text(req.ns) + std::to_string(req.timestamp)))
        return reply({401, "delete_all signature verification failed"});
    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);
    std::string prefix = req.pubkey.hex() + std::to_string(req.timestamp);
    if (req.ns.all)
        put_all_ns(mine, "deleted", node.db.delete_all(req.pubkey.raw), node, prefix);
    else
        put_one_ns(mine, "deleted", node.db.delete_all(req.pubkey.raw, req.ns.ns), node, prefix);
    if (entry) add_misc(res->result, node);
    finish_one(res);
}

void handle(Devnet& net, Node& node, DeleteBeforeReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    if (req.before > now + 60'000)
        return reply({401, "delete_before timestamp too far in the future"});
    if (!verify_auth(req.pubkey, req.auth,
                     "delete_before" + ns_text(req.ns) + std::to_string(req.before)))
        return reply({401, "delete_before signature verification failed"});
    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);
    std::string prefix = req.pubkey.hex() + std::to_string(req.before);
    if (req.ns.all)
        put_all_ns(mine, "deleted", node.db.delete_before(req.pubkey.raw, req.before), node,
                   prefix);
    else
        put_one_ns(mine, "deleted", node.db.delete_before(req.pubkey.raw, req.ns.ns, req.before),
                   node, prefix);
    if (entry) add_misc(res->result, node);
    finish_one(res);
}

void handle(Devnet& net, Node& node, ExpireAllReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    auto tol = req.recurse ? kSignatureToleranceMs : kSignatureToleranceForwardedMs;
    if (req.expiry < now - tol)
        return reply({406, "expire_all timestamp should be >= current time"});
    if (!verify_auth(req.pubkey, req.auth,
                     "expire_all" + ns_text(req.ns) + std::to_string(req.expiry)))
        return reply({401, "expire_all signature verification failed"});
    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);
    std::string prefix = req.pubkey.hex() + std::to_string(req.expiry);
    if (req.ns.all)
        put_all_ns(mine, "updated", node.db.shorten_all(req.pubkey.raw, req.expiry), node, prefix);
    else
        put_one_ns(mine, "updated", node.db.shorten_all(req.pubkey.raw, req.ns.ns, req.expiry),
                   node, prefix);
    if (entry) add_misc(res->result, node);
    finish_one(res);
}

void handle(Devnet& net, Node& node, ExpireReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    // Requested expiries are kept for the signature (which peers re-check); the applied ones are
    // clamped to 30 days from now.
    std::vector<std::int64_t> expiry;
    for (auto e : req.expiry) {
        if (e < now - 60'000)
            return reply({401, "expire: timestamp should be >= current time"});
        expiry.push_back(std::min(now + kTtlMaximumPrivateMs, e));
    }
    std::string msg = "expire";
    msg += req.shorten ? "shorten" : req.extend ? "extend" : "";
    for (auto e : req.expiry) msg += std::to_string(e);
    for (const auto& h : req.messages) msg += h;
    if (!verify_auth(req.pubkey, req.auth, msg))
        return reply({401, "expire: signature verification failed"});

    bool entry = req.recurse;
    auto res = setup_recursive(net, node, req, std::move(reply));
    auto& mine = mine_of(res, node, entry);
    auto updated = node.db.update_expiry(req.pubkey.raw, req.messages, expiry, req.extend,
                                         req.shorten);
    std::sort(updated.begin(), updated.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::map<std::string, std::int64_t> unchanged;
    if (req.extend || req.shorten) {
        std::set<std::string> done;
        for (auto& [h, e] : updated) done.insert(h);
        std::vector<std::string> rest;
        for (const auto& h : req.messages)
            if (!done.count(h)) rest.push_back(h);
        if (!rest.empty()) unchanged = node.db.get_expiries(req.pubkey.raw, rest);
    }
    std::vector<std::string> updated_hashes;
    std::vector<std::int64_t> updated_exp;
    for (auto& [h, e] : updated) {
        updated_hashes.push_back(h);
        if (req.expiry.size() > 1) updated_exp.push_back(e);
    }
    if (req.expiry.size() <= 1) updated_exp.push_back(expiry[0]);

    std::string sig = req.pubkey.hex();
    for (auto e : updated_exp) sig += std::to_string(e);
    for (const auto& h : req.messages) sig += h;
    for (const auto& h : updated_hashes) sig += h;
    for (const auto& [h, e] : unchanged) sig += h + std::to_string(e);
    if (req.expiry.size() > 1)
        mine["expiry"] = updated_exp;
    else
        mine["expiry"] = expiry[0];
    mine["updated"] = updated_hashes;
    if (req.shorten || req.extend) mine["unchanged"] = unchanged;
    mine["signature"] = b64_sig(node, sig);
    if (entry) add_misc(res->result, node);
    finish_one(res);
}

void handle(Devnet& net, Node& node, GetExpiriesReq&& req, Reply reply) {
    if (!for_us(net, node, req.pubkey)) return reply(wrong_swarm(net, node, req.pubkey));
    auto now = node.now_ms();
    if (req.sig_ts < now - kSignatureToleranceMs || req.sig_ts > now + kSignatureToleranceMs)
        return reply({406, "get_expiries timestamp too far from current time"});
    std::string msg = "get_expiries" + std::to_string(req.sig_ts);
    for (const auto& h : req.messages) msg += h;
    if (!verify_auth(req.pubkey, req.auth, msg))
        return reply({401, "get_expiries signature verification failed"});
    json out = json::object();
    out["expiries"] = node.db.get_expiries(req.pubkey.raw, req.messages);
    reply({200, std::move(out)});
}

void handle(Devnet& net, Node& node, GetSwarmReq&& req, Reply reply) {
    auto sw = net.swarm_for(req.pubkey.key());
    json body = sw ? swarm_to_json(net, *sw)
                   : json{{"snodes", json::array()}, {"swarm", "ffffffffffffffff"}};
    add_misc(body, node);
    reply({200, std::move(body)});
}

void handle(Devnet&, Node& node, InfoReq&&, Reply reply) {
    json out{{"version", kServerVersion}, {"timestamp", node.now_ms()}};
    add_misc(out, node);
    reply({200, std::move(out)});
}

void handle(Devnet& net, Node&, ActiveNodesBinReq&&, Reply reply) {
    reply({200, Binary{net.active_nodes_bin()}});
}

void handle(Devnet& net, Node& node, OxendReq&& req, Reply reply) {
    json result;
    if (req.endpoint == "get_service_nodes")
        result = net.service_node_states(req.params.is_object() ? req.params : json::object());
    else {  // ons_resolve, answered from the --ons registry as oxend answers it
        auto answer = net.options().ons.resolve(req.params);
        if (!answer.result) {
            reply({400, std::move(answer.error)});
            return;
        }
        result = std::move(*answer.result);
    }
    json out{{"result", std::move(result)}};
    add_misc(out, node);
    reply({200, std::move(out)});
}

// =============================================================================================
// [SECTION] dispatch
// =============================================================================================

using Loader = std::function<SubRequest(const json&)>;

const std::map<std::string, Loader, std::less<>>& sub_loaders() {
    static const std::map<std::string, Loader, std::less<>> table{
            {"store", [](const json& p) { return SubRequest{load_store(p)}; }},
            {"retrieve", [](const json& p) { return SubRequest{load_retrieve(p)}; }},
            {"delete", [](const json& p) { return SubRequest{load_delete(p)}; }},
            {"delete_all", [](const json& p) { return SubRequest{load_delete_all(p)}; }},
            {"delete_before", [](const json& p) { return SubRequest{load_delete_before(p)}; }},
            {"expire_all", [](const json& p) { return SubRequest{load_expire_all(p)}; }},
            {"expire", [](const json& p) { return SubRequest{load_expire(p)}; }},
            {"get_expiries", [](const json& p) { return SubRequest{load_get_expiries(p)}; }},
            {"get_swarm", [](const json& p) { return SubRequest{load_get_swarm(p)}; }},
            {"get_snodes_for_pubkey", [](const json& p) { return SubRequest{load_get_swarm(p)}; }},
            {"info", [](const json&) { return SubRequest{InfoReq{}}; }},
            {"active_nodes_bin", [](const json&) { return SubRequest{ActiveNodesBinReq{}}; }},
            {"oxend_request", [](const json& p) { return SubRequest{load_oxend(p)}; }},
    };
    return table;
}

bool is_meta(std::string_view method) {
    return method == "batch" || method == "sequence" || method == "ifelse";
}

BatchReq load_batch(const json& p, bool sequence) {
    auto it = p.find("requests");
    if (it == p.end() || !it->is_array() || it->empty())
        throw ParseError{"Invalid batch request: no valid \"requests\" field"};
    if (it->size() > kBatchRequestMax)
        throw ParseError{"Invalid batch request: subrequest limit exceeded"};
    BatchReq b;
    b.sequence = sequence;
    for (const auto& j : *it) {
        if (!j.is_object()) throw ParseError{"Invalid batch request: requests must be objects"};
        auto m = j.find("method");
        auto prm = j.find("params");
        if (m == j.end() || prm == j.end() || !m->is_string() || !prm->is_object())
            throw ParseError{"Invalid batch request: subrequests must have method/params keys"};
        const auto& method = m->get_ref<const std::string&>();
        if (is_meta(method))
            throw ParseError{"Invalid batch subrequest: subrequests may not contain meta-requests"};
        auto loader = sub_loaders().find(method);
        if (loader == sub_loaders().end())
            throw ParseError{"Invalid batch subrequest: invalid method \"" + method + "\""};
        b.requests.push_back(loader->second(*prm));
    }
    return b;
}

template <std::size_t N>
std::optional<std::array<int, N>> fixed(const std::optional<std::vector<int>>& v) {
    if (!v || v->empty()) return std::nullopt;
    std::array<int, N> out{};
    for (std::size_t i = 0; i < N && i < v->size(); ++i) out[i] = (*v)[i];
    return out;
}

std::optional<SubRequest> load_ifelse_branch(const json& p, const std::string& key) {
    auto it = p.find(key);
    if (it == p.end()) return std::nullopt;
    if (!it->is_object())
        throw ParseError{"Invalid ifelse request: " + key + " must be an object"};
    auto m = it->find("method");
    auto prm = it->find("params");
    if (m == it->end() || !m->is_string() || prm == it->end())
        throw ParseError{"Invalid ifelse request: " + key + " must have method/params keys"};
    const auto& method = m->get_ref<const std::string&>();
    auto loader = sub_loaders().find(method);
    if (loader == sub_loaders().end())
        throw ParseError{"Invalid ifelse request method \"" + key + "\""};
    return loader->second(*prm);
}

IfElseReq load_ifelse(const json& p) {
    auto cond = p.find("if");
    if (cond == p.end() || !cond->is_object())
        throw ParseError{"Invalid ifelse request: no valid \"if\" field"};
    IfElseReq r;
    r.height_at_least = get_int(*cond, "height_at_least");
    r.height_before = get_int(*cond, "height_before");
    r.hf_at_least = fixed<2>(get_int_array(*cond, "hf_at_least"));
    r.hf_before = fixed<2>(get_int_array(*cond, "hf_before"));
    r.v_at_least = fixed<3>(get_int_array(*cond, "v_at_least"));
    r.v_before = fixed<3>(get_int_array(*cond, "v_before"));
    if (!(r.height_at_least || r.height_before || r.hf_at_least || r.hf_before || r.v_at_least ||
          r.v_before))
        throw ParseError{"Invalid ifelse request: must specify at least one \"if\" condition"};
    r.then_req = load_ifelse_branch(p, "then");
    r.else_req = load_ifelse_branch(p, "else");
    if (!r.then_req && !r.else_req)
        throw ParseError{"Invalid ifelse request: at least one of \"then\"/\"else\" required"};
    return r;
}

// A batch/sequence sub-result: {"code": status, "body": JSON or text}.
json sub_result(Response r) {
    json j;
    j["code"] = r.status;
    if (auto* b = std::get_if<json>(&r.body))
        j["body"] = std::move(*b);
    else if (auto* bin = std::get_if<Binary>(&r.body))
        j["body"] = to_base64(bin->bytes);
    else
        j["body"] = std::get<std::string>(r.body);
    return j;
}

void run_batch(Devnet& net, Node& node, BatchReq&& req, Reply reply) {
    if (!req.sequence) {
        struct State {
            json results = json::array();
            std::size_t remaining = 0;
            Reply reply;
        };
        auto st = std::make_shared<State>();
        st->remaining = req.requests.size();
        st->reply = std::move(reply);
        for (std::size_t i = 0; i < req.requests.size(); ++i) st->results.push_back(nullptr);
        for (std::size_t i = 0; i < req.requests.size(); ++i)
            process_subrequest(net, node, std::move(req.requests[i]), [st, i](Response r) {
                st->results[i] = sub_result(std::move(r));
                if (--st->remaining == 0)
                    st->reply({200, json{{"results", std::move(st->results)}}});
            });
        return;
    }
    // Sequence: one at a time, stopping after the first non-2xx result.
    struct Seq : std::enable_shared_from_this<Seq> {
        Devnet* net;
        Node* node;
        std::vector<SubRequest> reqs;
        json results = json::array();
        Reply reply;
        void next() {
            auto i = results.size();
            process_subrequest(*net, *node, std::move(reqs[i]),
                               [self = shared_from_this()](Response r) {
                                   int status = r.status;
                                   self->results.push_back(sub_result(std::move(r)));
                                   if (status < 200 || status > 299 ||
                                       self->results.size() >= self->reqs.size())
                                       self->reply({200, json{{"results", std::move(self->results)}}});
                                   else
                                       self->next();
                               });
        }
    };
    auto seq = std::make_shared<Seq>();
    seq->net = &net;
    seq->node = &node;
    seq->reqs = std::move(req.requests);
    seq->reply = std::move(reply);
    seq->next();
}

void run_ifelse(Devnet& net, Node& node, IfElseReq&& req, Reply reply) {
    bool cond = true;
    if (req.hf_at_least) cond &= kHardFork >= *req.hf_at_least;
    if (req.hf_before) cond &= kHardFork < *req.hf_before;
    if (req.v_at_least) cond &= kServerVersion >= *req.v_at_least;
    if (req.v_before) cond &= kServerVersion < *req.v_before;
    if (req.height_at_least) cond &= net.height() >= *req.height_at_least;
    if (req.height_before) cond &= net.height() < *req.height_before;
    json out{{"hf", kHardFork}, {"v", kServerVersion}, {"height", net.height()}, {"condition", cond}};
    auto& branch = cond ? req.then_req : req.else_req;
    if (!branch) return reply({200, std::move(out)});
    process_subrequest(net, node, std::move(*branch),
                       [out = std::move(out), reply = std::move(reply)](Response r) mutable {
                           out["result"] = sub_result(std::move(r));
                           reply({200, std::move(out)});
                       });
}

// z-base-32 (the .snode address alphabet): 5 bits per character, most significant first.
std::string base32z(const Key32& key) {
    static constexpr char kAlphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (unsigned char b : key) {
        acc = (acc << 8 | b) & 0xfff;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += kAlphabet[acc >> bits & 31];
        }
    }
    if (bits > 0) out += kAlphabet[acc << (5 - bits) & 31];
    return out;
}

}  // namespace

json swarm_to_json(const Devnet& net, std::uint64_t swarm_id) {
    json snodes = json::array();
    for (const Node* n : net.swarm_members(swarm_id)) {
        if (n->faults.stopped && n->faults.unreachable) continue;  // no contact info
        auto ed = n->keys.ed_hex();
        // "address" is the legacy key in z-base-32; a devnet node's legacy key is its Ed25519 key.
        snodes.push_back({{"address", base32z(n->keys.ed_pk()) + ".snode"},
                          {"ip", "127.0.0.1"},
                          {"port", std::to_string(n->port())},
                          {"port_https", n->port()},
                          {"port_omq", 0},
                          {"port_quic", 0},
                          {"pubkey_ed25519", ed},
                          {"pubkey_legacy", ed},
                          {"pubkey_x25519", n->keys.x_hex()}});
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(swarm_id));
    return {{"snodes", std::move(snodes)}, {"swarm", std::string{buf}}};
}

void process_subrequest(Devnet& net, Node& node, SubRequest req, Reply reply) {
    std::visit([&](auto&& r) { handle(net, node, std::move(r), std::move(reply)); }, std::move(req));
}

void process_client_request(Devnet& net, Node& node, std::string_view body, Reply reply) {
    json j = parse_json(body);
    if (j.is_discarded()) return reply({400, "invalid json"});
    if (!j.is_object()) return reply({400, "invalid json: no `method` field"});
    auto m = j.find("method");
    if (m == j.end() || !m->is_string()) return reply({400, "invalid json: no `method` field"});
    auto p = j.find("params");
    if (p == j.end() || !p->is_object()) return reply({400, "invalid json: no `params` field"});
    const auto& method = m->get_ref<const std::string&>();
    // Parse completely before handing `reply` on: a parse error must still be able to use it.
    std::variant<SubRequest, BatchReq, IfElseReq> req;
    try {
        if (method == "batch" || method == "sequence") {
            req = load_batch(*p, method == "sequence");
        } else if (method == "ifelse") {
            req = load_ifelse(*p);
        } else {
            auto loader = sub_loaders().find(method);
            if (loader == sub_loaders().end()) return reply({400, "no method " + method});
            req = loader->second(*p);
        }
    } catch (const ParseError& e) {
        return reply({400, std::string{"invalid request: "} + e.what()});
    } catch (const std::exception&) {
        return reply({500, "request failed"});
    }
    // A handler that throws (a devnet bug, or the database failing) still answers, once.
    auto answered = std::make_shared<bool>(false);
    Reply once = [answered, reply = std::move(reply)](Response r) {
        if (*answered) return;
        *answered = true;
        reply(std::move(r));
    };
    try {
        if (auto* b = std::get_if<BatchReq>(&req)) return run_batch(net, node, std::move(*b), once);
        if (auto* i = std::get_if<IfElseReq>(&req))
            return run_ifelse(net, node, std::move(*i), once);
        process_subrequest(net, node, std::move(std::get<SubRequest>(req)), once);
    } catch (const std::exception&) {
        once({500, "request failed"});
    }
}

}  // namespace devnet
