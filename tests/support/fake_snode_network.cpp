#include "fake_snode_network.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <nlohmann/json.hpp>

#include "st/net/swarm.hpp"
#include "st/rpc/node_signatures.hpp"
#include "st/onion/hop.hpp"

namespace st::test {

using json = nlohmann::json;

struct FakeSnodeNetwork::Node {
    rpc::ServiceNode info;
    crypto::X25519SecretKey x_sk;
    std::array<unsigned char, 64> ed_sk{};  // signs its results of delete, delete_all, expire
    Behaviour behaviour = Behaviour::ok;
    std::size_t guard_calls = 0;
    std::size_t direct_calls = 0;
    std::map<std::string, std::size_t> rpc_calls;
};

struct FakeSnodeNetwork::Server {
    crypto::X25519PublicKey x;
    crypto::X25519SecretKey x_sk;
    ServerHandler handler;
};

struct FakeSnodeNetwork::Message {
    std::string hash;
    std::string data;
    std::int64_t timestamp;
    std::int64_t expiry;
};

namespace {

using Reply = FakeTransport::Reply;

}  // namespace

FakeSnodeNetwork::FakeSnodeNetwork(FakeTransport& transport, const Clock& clock, Options options)
    : transport_(transport), clock_(clock), options_(std::move(options)) {
    crypto::ensure_sodium_ready();
    const std::size_t swarms = std::max<std::size_t>(options_.swarms, 1);
    const std::uint64_t step = ~std::uint64_t{0} / (2 * swarms);
    for (std::size_t s = 0; s < swarms; ++s) {
        for (std::size_t k = 0; k < options_.nodes_per_swarm; ++k) {
            const std::size_t i = node_state_.size();
            auto node = std::make_unique<Node>();
            const std::string name = "fake-node-" + std::to_string(i);
            std::uint8_t seed[32];
            crypto_generichash(seed, 32, reinterpret_cast<const unsigned char*>(name.data()),
                               name.size(), nullptr, 0);
            std::uint8_t ed_sk[64];
            crypto_sign_seed_keypair(node->info.ed25519.bytes.data(), ed_sk, seed);
            if (crypto_sign_ed25519_pk_to_curve25519(node->info.x25519.bytes.data(),
                                                     node->info.ed25519.bytes.data()) != 0)
                std::abort();
            crypto_sign_ed25519_sk_to_curve25519(node->x_sk.data(), ed_sk);
            std::copy(std::begin(ed_sk), std::end(ed_sk), node->ed_sk.begin());
            sodium_memzero(ed_sk, sizeof ed_sk);
            if (options_.loopback) {
                node->info.ip = {127, 0, 0, 1};
                node->info.port = static_cast<std::uint16_t>(30000 + i);
            } else {
                const auto b = static_cast<std::uint8_t>(i + 1);
                node->info.ip = {10, b, b, 1};
                node->info.port = 22021;
            }
            node->info.swarm_id = (2 * s + 1) * step;
            nodes_.push_back(node->info);
            Node* raw = node.get();
            const std::string base = options_.scheme + "://" + node->info.ip_text() + ":" +
                                     std::to_string(node->info.port);
            routes_.push_back(base + "/onion_req/v2");
            transport_.route(routes_.back(),
                             [this, raw](const net::HttpRequest& r) { return onion(*raw, r); });
            routes_.push_back(base + "/storage_rpc/v1");
            transport_.route(routes_.back(),
                             [this, raw](const net::HttpRequest& r) { return direct(*raw, r); });
            node_state_.push_back(std::move(node));
        }
    }
    routes_.push_back(options_.seed_url + "/json_rpc");
    transport_.route(routes_.back(), [this](const net::HttpRequest& r) { return seed(r); });
}

FakeSnodeNetwork::~FakeSnodeNetwork() {
    for (const auto& r : routes_) transport_.unroute(r);
}

std::int64_t FakeSnodeNetwork::server_now() const { return clock_.now_ms() + skew_; }

FakeSnodeNetwork::Node* FakeSnodeNetwork::find(const crypto::Ed25519PublicKey& ed) {
    for (auto& n : node_state_)
        if (n->info.ed25519 == ed) return n.get();
    return nullptr;
}

void FakeSnodeNetwork::set_behaviour(const crypto::Ed25519PublicKey& node, Behaviour behaviour) {
    if (Node* n = find(node)) n->behaviour = behaviour;
}

std::uint64_t FakeSnodeNetwork::swarm_id_of(const crypto::SessionId& account) const {
    std::vector<std::uint64_t> ids;
    for (const auto& n : nodes_) ids.push_back(*n.swarm_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return net::closest_swarm(ids, net::swarm_space(account));
}

std::vector<rpc::ServiceNode> FakeSnodeNetwork::swarm_of(const crypto::SessionId& account) const {
    const auto id = swarm_id_of(account);
    std::vector<rpc::ServiceNode> out;
    for (const auto& n : nodes_)
        if (*n.swarm_id == id) out.push_back(n);
    return out;
}

rpc::ServiceNode FakeSnodeNetwork::node_outside_swarm(const crypto::SessionId& account) const {
    const auto id = swarm_id_of(account);
    for (const auto& n : nodes_)
        if (*n.swarm_id != id) return n;
    return nodes_.front();
}

crypto::X25519PublicKey FakeSnodeNetwork::add_server(const std::string& host,
                                                     ServerHandler handler) {
    auto server = std::make_unique<Server>();
    randombytes_buf(server->x_sk.data(), 32);
    crypto_scalarmult_base(server->x.bytes.data(), server->x_sk.data());
    server->handler = std::move(handler);
    auto key = server->x;
    servers_[host] = std::move(server);
    return key;
}

std::vector<FakeSnodeNetwork::Message>& FakeSnodeNetwork::box(const crypto::SessionId& account,
                                                              rpc::Namespace ns) {
    return storage_[{account.hex(), ns}];
}

std::string FakeSnodeNetwork::inject(const crypto::SessionId& account, rpc::Namespace ns,
                                     const std::string& data_b64, std::chrono::milliseconds ttl) {
    auto hash = rpc::message_hash_b64(account, ns, data_b64);
    if (!hash) return {};
    auto& messages = box(account, ns);
    const auto now = server_now();
    if (std::none_of(messages.begin(), messages.end(),
                     [&](const Message& m) { return m.hash == *hash; }))
        messages.push_back({*hash, data_b64, now, now + ttl.count()});
    return *hash;
}

std::size_t FakeSnodeNetwork::stored(const crypto::SessionId& account, rpc::Namespace ns) const {
    auto it = storage_.find({account.hex(), ns});
    return it == storage_.end() ? 0 : it->second.size();
}

std::size_t FakeSnodeNetwork::rpc_calls(const crypto::Ed25519PublicKey& node,
                                        const std::string& method) const {
    for (const auto& n : node_state_)
        if (n->info.ed25519 == node) {
            auto it = n->rpc_calls.find(method);
            return it == n->rpc_calls.end() ? 0 : it->second;
        }
    return 0;
}

std::size_t FakeSnodeNetwork::guard_calls(const crypto::Ed25519PublicKey& node) const {
    for (const auto& n : node_state_)
        if (n->info.ed25519 == node) return n->guard_calls;
    return 0;
}

std::size_t FakeSnodeNetwork::direct_calls(const crypto::Ed25519PublicKey& node) const {
    for (const auto& n : node_state_)
        if (n->info.ed25519 == node) return n->direct_calls;
    return 0;
}

// [SECTION] Transport endpoints -----------------------------------------------------------------

FakeTransport::Reply FakeSnodeNetwork::seed(const net::HttpRequest&) {
    return Reply::http(200, "{\"result\":" + node_list_json(options_.seed_gives_swarm_ids) + "}");
}

FakeTransport::Reply FakeSnodeNetwork::direct(Node& node, const net::HttpRequest& request) {
    ++node.direct_calls;
    switch (node.behaviour) {
        case Behaviour::down:
            return Reply::fail_with(net::kUnreachable, "connection refused");
        case Behaviour::silent:
        case Behaviour::silent_to_client:
            return Reply::hang();
        case Behaviour::not_ready:
            return Reply::http(503, "Service node is not ready");
        case Behaviour::ok:
            break;
    }
    auto [status, body] = rpc(node, std::string(as_chars(request.body)), false);
    return Reply::http(status, body);
}

FakeTransport::Reply FakeSnodeNetwork::onion(Node& guard, const net::HttpRequest& request) {
    ++guard.guard_calls;
    switch (guard.behaviour) {
        case Behaviour::down:
            return Reply::fail_with(net::kUnreachable, "connection refused");
        case Behaviour::silent:
        case Behaviour::silent_to_client:
            return Reply::hang();
        case Behaviour::not_ready:
            return Reply::http(503, "Service node is not ready: " + guard.info.ed25519.hex());
        case Behaviour::ok:
            break;
    }
    // Opens one layer at `node` with the ephemeral key named in `route`.
    auto open_at = [](Node& node, const json& route, ByteView ciphertext) -> std::optional<Bytes> {
        if (!route.contains("ephemeral_key") || route.value("enc_type", "") != "xchacha20")
            return std::nullopt;
        auto E = crypto::X25519PublicKey::from_hex(route["ephemeral_key"].get<std::string>());
        if (!E) return std::nullopt;
        auto key = onion::node_key(node.x_sk, node.info.x25519, *E);
        if (!key) return std::nullopt;
        auto plain = onion::decrypt(*key, ciphertext);
        if (!plain) return std::nullopt;
        return std::move(*plain);
    };
    try {
        auto outer = onion::split_layer(request.body);
        if (!outer) return Reply::http(400, "Invalid request");
        Node* at = &guard;
        json route = json::parse(outer->json);
        auto plain = open_at(*at, route, outer->ciphertext);
        if (!plain) return Reply::http(400, "Invalid ciphertext");
        for (int hop = 0; hop < 16; ++hop) {
            // The key this node shares with the client: the destination answers with it.
            auto E = crypto::X25519PublicKey::from_hex(route["ephemeral_key"].get<std::string>());
            auto key = onion::node_key(at->x_sk, at->info.x25519, *E);
            auto layer = onion::split_layer(*plain);
            if (!layer) return Reply::http(400, "Invalid request");
            json control = json::parse(layer->json);
            if (control.contains("headers")) {
                auto [status, body] = rpc(*at, std::string(as_chars(layer->ciphertext)), true);
                const json answer{{"status", status}, {"body", body}};
                return Reply::http(200, to_base64(onion::encrypt(*key, as_bytes(answer.dump()))));
            }
            if (control.contains("host")) {
                auto it = servers_.find(control["host"].get<std::string>());
                if (it == servers_.end()) return Reply::http(502, "Bad Gateway");
                Server& server = *it->second;
                auto SE =
                    crypto::X25519PublicKey::from_hex(control["ephemeral_key"].get<std::string>());
                auto server_key = onion::node_key(server.x_sk, server.x, *SE);
                auto request_bytes = onion::decrypt(*server_key, layer->ciphertext);
                if (!request_bytes) return Reply::http(400, "Invalid ciphertext");
                // l<len>:<info json>[<len>:<body>]e
                std::string text(as_chars(*request_bytes));
                auto read = [&](std::size_t& pos) {
                    auto colon = text.find(':', pos);
                    auto len = std::stoul(text.substr(pos, colon - pos));
                    std::string s = text.substr(colon + 1, len);
                    pos = colon + 1 + len;
                    return s;
                };
                std::size_t pos = 1;
                json info = json::parse(read(pos));
                std::string body = text[pos] != 'e' ? read(pos) : std::string();
                auto [code, out] =
                    server.handler(info.value("method", ""), info.value("endpoint", ""), body);
                const std::string meta =
                    json{{"code", code}, {"headers", {{"content-type", "text/plain"}}}}.dump();
                const std::string reply = "l" + std::to_string(meta.size()) + ":" + meta +
                                          std::to_string(out.size()) + ":" + out + "e";
                return Reply::http(200, onion::encrypt(*server_key, as_bytes(reply)));
            }
            if (!control.contains("destination")) return Reply::http(400, "Invalid request");
            const std::string next_hex = control["destination"].get<std::string>();
            auto next_ed = crypto::Ed25519PublicKey::from_hex(next_hex);
            Node* next = next_ed ? find(*next_ed) : nullptr;
            if (!next || next->behaviour == Behaviour::down)
                return Reply::http(502, "Next node not found: " + next_hex);
            if (next->behaviour == Behaviour::silent)
                return Reply::http(504, "Request time out").after(std::chrono::seconds(5));
            if (next->behaviour == Behaviour::not_ready)
                return Reply::http(503, "Snode not ready: " + next_hex);
            auto next_plain = open_at(*next, control, layer->ciphertext);
            if (!next_plain) return Reply::http(400, "Invalid ciphertext");
            route = control;
            plain = std::move(next_plain);
            at = next;
        }
        return Reply::http(400, "Too many hops");
    } catch (const std::exception&) {
        return Reply::http(400, "Invalid request");
    }
}

// [SECTION] RPC ----------------------------------------------------------------------------------

std::string FakeSnodeNetwork::node_list_json(bool with_swarm_ids) const {
    json states = json::array();
    for (const auto& n : nodes_) {
        json s{{"public_ip", n.ip_text()},
               {"storage_port", n.port},
               {"pubkey_ed25519", n.ed25519.hex()},
               {"pubkey_x25519", n.x25519.hex()}};
        if (with_swarm_ids) s["swarm_id"] = *n.swarm_id;
        states.push_back(std::move(s));
    }
    return json{{"service_node_states", states}, {"status", "OK"}}.dump();
}

std::string FakeSnodeNetwork::swarm_json(std::uint64_t swarm_id) const {
    json snodes = json::array();
    for (const auto& n : nodes_)
        if (*n.swarm_id == swarm_id)
            snodes.push_back({{"ip", n.ip_text()},
                              {"port", std::to_string(n.port)},
                              {"port_https", n.port},
                              {"pubkey_ed25519", n.ed25519.hex()},
                              {"pubkey_x25519", n.x25519.hex()}});
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(swarm_id));
    return json{{"snodes", snodes}, {"swarm", hex}, {"t", server_now()}}.dump();
}

std::pair<int, std::string> FakeSnodeNetwork::rpc(Node& node, const std::string& body,
                                                  bool counted) {
    json request = json::parse(body, nullptr, false);
    if (!request.is_object() || !request.contains("method"))
        return {400, "invalid request: not a JSON-RPC object"};
    const std::string method = request["method"].get<std::string>();
    const json params = request.value("params", json::object());
    if (method == "batch" || method == "sequence") {
        json results = json::array();
        for (const auto& sub : params.value("requests", json::array())) {
            auto [code, text] = single(node, sub.value("method", ""),
                                       sub.value("params", json::object()).dump(), counted);
            json b = json::parse(text, nullptr, false);
            results.push_back({{"code", code}, {"body", b.is_discarded() ? json(text) : b}});
            if (method == "sequence" && (code < 200 || code > 299)) break;
        }
        return {200, json{{"results", results}}.dump()};
    }
    return single(node, method, params.dump(), counted);
}

std::pair<int, std::string> FakeSnodeNetwork::single(Node& node, const std::string& method,
                                                     const std::string& params_text, bool counted) {
    if (counted) ++node.rpc_calls[method];
    if (hook_)
        if (auto forced = hook_(node.info, method, params_text)) return *forced;
    auto answer = answer_rpc(node, method, params_text);
    if (filter_ && answer.first == 200) answer.second = filter_(method, std::move(answer.second));
    return answer;
}

std::pair<int, std::string> FakeSnodeNetwork::answer_rpc(Node& node, const std::string& method,
                                                         const std::string& params_text) {
    const json params = json::parse(params_text);
    const std::int64_t now = server_now();

    auto account_of = [&](const json& p) -> std::optional<crypto::SessionId> {
        if (!p.contains("pubkey") || !p["pubkey"].is_string()) return std::nullopt;
        auto id = crypto::SessionId::parse(p["pubkey"].get<std::string>());
        if (!id) return std::nullopt;
        return *id;
    };
    auto wrong_swarm =
        [&](const crypto::SessionId& id) -> std::optional<std::pair<int, std::string>> {
        const auto want = swarm_id_of(id);
        if (*node.info.swarm_id == want) return std::nullopt;
        return std::pair<int, std::string>{421, swarm_json(want)};
    };

    if (method == "info")
        return {
            200,
            json{{"version", {2, 8, 0}}, {"timestamp", now}, {"t", now}, {"hf", {19, 3}}}.dump()};
    if (method == "get_swarm") {
        auto id = account_of(params);
        if (!id) return {400, "invalid request: bad pubkey"};
        auto body = json::parse(swarm_json(swarm_id_of(*id)));
        return {200, body.dump()};
    }
    if (method == "oxend_request") return {200, "{\"result\":" + node_list_json(true) + "}"};
    if (method == "store") {
        auto id = account_of(params);
        if (!id) return {400, "invalid request: bad pubkey"};
        if (auto moved = wrong_swarm(*id)) return *moved;
        const std::int64_t ts = params.value("timestamp", std::int64_t{0});
        const std::int64_t ttl = params.value("ttl", std::int64_t{0});
        if (ts > now + 10000 || ts + ttl < now - 10000)
            return {406, "Timestamp error: check your clock"};
        const auto ns = static_cast<rpc::Namespace>(params.value("namespace", 0));
        const std::string data = params.value("data", "");
        auto hash = rpc::message_hash_b64(*id, ns, data);
        if (!hash) return {400, "invalid request: data is not base64"};
        auto& messages = box(*id, ns);
        const bool already = std::any_of(messages.begin(), messages.end(),
                                         [&](const Message& m) { return m.hash == *hash; });
        if (!already) messages.push_back({*hash, data, ts, ts + ttl});
        ++store_calls_;
        json member{{"hash", *hash}, {"expiry", ts + ttl}};
        if (already) member["already"] = true;
        return {200, json{{"hash", *hash},
                          {"swarm", {{node.info.ed25519.hex(), member}}},
                          {"t", now},
                          {"hf", {19, 3}}}
                         .dump()};
    }
    // Deleting and expiring (protocol §5.4.3–5.4.8): signed by the account's Ed25519 key; the
    // storage is shared by the swarm, so every member reports the same change and signs it.
    auto owner_signed = [&](const crypto::SessionId& id, const std::string& text) {
        auto ed = crypto::Ed25519PublicKey::from_hex(params.value("pubkey_ed25519", ""));
        auto sig = from_base64(params.value("signature", ""));
        if (!ed || !sig || sig->size() != 64) return false;
        crypto::X25519PublicKey x;
        if (crypto_sign_ed25519_pk_to_curve25519(x.bytes.data(), ed->bytes.data()) != 0) return false;
        return x == id.x25519() &&
               crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(text.data()),
                                           text.size(), ed->bytes.data()) == 0;
    };
    auto signed_by_swarm = [&](const crypto::SessionId& id, const std::function<json(Node&)>& member) {
        json swarm = json::object();
        for (auto& n : node_state_)
            if (*n->info.swarm_id == swarm_id_of(id)) swarm[n->info.ed25519.hex()] = member(*n);
        return std::pair<int, std::string>{200, json{{"swarm", swarm}, {"t", now}, {"hf", {19, 3}}}.dump()};
    };
    auto sign = [](Node& n, const std::string& text) {
        unsigned char sig[64];
        crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                             n.ed_sk.data());
        return to_base64(ByteView(sig, 64));
    };
    if (method == "delete" || method == "delete_all" || method == "expire" || method == "get_expiries") {
        auto id = account_of(params);
        if (!id) return {400, "invalid request: bad pubkey"};
        if (auto moved = wrong_swarm(*id)) return *moved;
        std::vector<std::string> hashes;
        for (const auto& h : params.value("messages", json::array()))
            if (h.is_string()) hashes.push_back(h.get<std::string>());
        const std::string owner = id->hex();
        auto matching = [&](auto&& visit) {
            for (auto& [key, messages] : storage_)
                if (key.first == owner) visit(key.second, messages);
        };
        if (method == "delete") {
            std::string text = "delete";
            for (const auto& h : hashes) text += h;
            if (hashes.empty() || !owner_signed(*id, text)) return {401, "delete_msgs signature verification failed"};
            std::vector<std::string> deleted;
            matching([&](rpc::Namespace, std::vector<Message>& messages) {
                std::erase_if(messages, [&](const Message& m) {
                    const bool hit = std::find(hashes.begin(), hashes.end(), m.hash) != hashes.end();
                    if (hit) deleted.push_back(m.hash);
                    return hit;
                });
            });
            std::sort(deleted.begin(), deleted.end());
            return signed_by_swarm(*id, [&](Node& n) {
                return json{{"deleted", deleted}, {"signature", sign(n, rpc::delete_signed_text(owner, hashes, deleted))}};
            });
        }
        if (method == "delete_all") {
            const std::int64_t ts = params.value("timestamp", std::int64_t{0});
            const auto ns_param = params.value("namespace", json(0));
            const std::string ns_text = ns_param.is_string() ? ns_param.get<std::string>()
                                                             : rpc::namespace_text(ns_param.get<rpc::Namespace>());
            if (!owner_signed(*id, "delete_all" + ns_text + std::to_string(ts)))
                return {401, "delete_all signature verification failed"};
            if (ts > now + 60000 || ts < now - 60000) return {406, "delete_all timestamp too far from current time"};
            std::map<std::string, std::vector<std::string>> by_ns;
            std::vector<std::string> deleted;
            matching([&](rpc::Namespace ns, std::vector<Message>& messages) {
                if (!ns_param.is_string() && ns != ns_param.get<rpc::Namespace>()) return;
                for (const auto& m : messages) {
                    by_ns[std::to_string(ns)].push_back(m.hash);
                    deleted.push_back(m.hash);
                }
                messages.clear();
            });
            return signed_by_swarm(*id, [&](Node& n) {
                json list = ns_param.is_string() ? json(by_ns) : json(deleted);
                return json{{"deleted", list}, {"signature", sign(n, rpc::delete_all_signed_text(owner, ts, deleted))}};
            });
        }
        if (method == "expire") {
            const std::int64_t expiry = params.value("expiry", std::int64_t{0});
            const bool shorten = params.value("shorten", false);
            std::string text = "expire" + std::string(shorten ? "shorten" : "") + std::to_string(expiry);
            for (const auto& h : hashes) text += h;
            if (hashes.empty() || !owner_signed(*id, text)) return {401, "expire: signature verification failed"};
            std::vector<std::string> updated;
            std::map<std::string, std::int64_t> unchanged;
            matching([&](rpc::Namespace, std::vector<Message>& messages) {
                for (auto& m : messages) {
                    if (std::find(hashes.begin(), hashes.end(), m.hash) == hashes.end()) continue;
                    if (shorten && m.expiry <= expiry) {
                        unchanged[m.hash] = m.expiry;
                        continue;
                    }
                    m.expiry = expiry;
                    updated.push_back(m.hash);
                }
            });
            std::sort(updated.begin(), updated.end());
            return signed_by_swarm(*id, [&](Node& n) {
                json member{{"updated", updated},
                            {"expiry", expiry},
                            {"signature", sign(n, rpc::expire_signed_text(owner, expiry, hashes, updated, unchanged))}};
                if (shorten) member["unchanged"] = unchanged;
                return member;
            });
        }
        json expiries = json::object();
        matching([&](rpc::Namespace, std::vector<Message>& messages) {
            for (const auto& m : messages)
                if (std::find(hashes.begin(), hashes.end(), m.hash) != hashes.end()) expiries[m.hash] = m.expiry;
        });
        return {200, json{{"expiries", expiries}}.dump()};
    }
    if (method == "retrieve") {
        auto id = account_of(params);
        if (!id) return {400, "invalid request: bad pubkey"};
        if (auto moved = wrong_swarm(*id)) return *moved;
        const auto ns = static_cast<rpc::Namespace>(params.value("namespace", 0));
        const std::int64_t ts = params.value("timestamp", std::int64_t{0});
        // The signature: "retrieve" || NS || timestamp, by the Ed25519 key whose X25519 form is
        // the account.
        auto ed = crypto::Ed25519PublicKey::from_hex(params.value("pubkey_ed25519", ""));
        auto sig = from_base64(params.value("signature", ""));
        if (!ed || !sig || sig->size() != 64) return {401, "retrieve: request signature required"};
        crypto::X25519PublicKey x;
        if (crypto_sign_ed25519_pk_to_curve25519(x.bytes.data(), ed->bytes.data()) != 0)
            return {401, "retrieve: bad pubkey_ed25519"};
        const std::string text = "retrieve" + rpc::namespace_text(ns) + std::to_string(ts);
        if (!(x == id->x25519()) ||
            crypto_sign_verify_detached(sig->data(),
                                        reinterpret_cast<const unsigned char*>(text.data()),
                                        text.size(), ed->bytes.data()) != 0)
            return {401, "retrieve signature verification failed"};
        if (ts > now + 60000 || ts < now - 60000)
            return {406, "retrieve: timestamp too far from current time"};
        const std::string last = params.value("last_hash", "");
        if (!last.empty() && last.size() != 43) return {400, "invalid request: bad last_hash"};
        auto& messages = box(*id, ns);
        messages.erase(std::remove_if(messages.begin(), messages.end(),
                                      [&](const Message& m) { return m.expiry < now; }),
                       messages.end());
        // An unknown last_hash (expired, deleted, never seen here) replays from the start.
        auto from = messages.begin();
        if (!last.empty()) {
            auto it = std::find_if(messages.begin(), messages.end(),
                                   [&](const Message& m) { return m.hash == last; });
            if (it != messages.end()) from = it + 1;
        }
        json list = json::array();
        for (auto it = from; it != messages.end(); ++it)
            list.push_back({{"hash", it->hash},
                            {"timestamp", it->timestamp},
                            {"expiration", it->expiry},
                            {"data", it->data}});
        return {200, json{{"messages", list}, {"more", false}, {"t", now}, {"hf", {19, 3}}}.dump()};
    }
    return {400, "no method " + method};
}

}  // namespace st::test
