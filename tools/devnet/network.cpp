#include "network.hpp"

// Index
//   [SECTION] setup and persistence
//   [SECTION] topology
//   [SECTION] node-to-node traffic
//   [SECTION] HTTP front ends (nodes, seed/admin)
//   [SECTION] seed answers
//   [SECTION] faults and admin
//   [SECTION] periodic jobs and swarm sync

#include <boost/asio/post.hpp>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "onion.hpp"
#include "tls.hpp"

namespace devnet {

namespace fs = std::filesystem;
namespace net = boost::asio;

namespace {

constexpr std::uint64_t kInvalidSwarm = ~std::uint64_t{0};

std::uint64_t random_swarm_id(const std::set<std::uint64_t>& taken) {
    for (;;) {
        std::uint64_t id;
        randombytes_buf(&id, sizeof id);
        if (id != kInvalidSwarm && !taken.count(id)) return id;
    }
}

std::string hex_id(std::uint64_t id) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
    return buf;
}

std::optional<std::uint64_t> parse_hex_id(const std::string& s) {
    if (s.empty() || s.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return std::nullopt;
        v = v << 4 | static_cast<std::uint64_t>(d);
    }
    return v;
}

HttpResponse to_http(const Response& r) {
    HttpResponse out;
    out.status = r.status;
    if (auto* j = std::get_if<json>(&r.body)) {
        out.content_type = "application/json";
        out.body = j->dump(-1, ' ', false, json::error_handler_t::replace);
    } else if (auto* b = std::get_if<Binary>(&r.body)) {
        out.content_type = "application/octet-stream";
        out.body = b->bytes;
    } else {
        out.body = std::get<std::string>(r.body);
    }
    return out;
}

HttpResponse json_http(int status, const json& j) {
    HttpResponse out;
    out.status = status;
    out.content_type = "application/json";
    out.body = j.dump(2) + "\n";
    return out;
}

Key32 read_or_create_seed(const fs::path& file) {
    Key32 seed;
    if (fs::exists(file)) {
        std::ifstream in{file};
        std::string hex;
        in >> hex;
        auto raw = from_hex(hex);
        if (!raw || raw->size() != 32)
            throw std::runtime_error{"bad key file " + file.string() + " (expected 64 hex digits)"};
        std::memcpy(seed.data(), raw->data(), 32);
        sodium_memzero(raw->data(), raw->size());
        return seed;
    }
    randombytes_buf(seed.data(), seed.size());
    {
        std::ofstream out{file};
        out << to_hex({reinterpret_cast<const char*>(seed.data()), seed.size()}) << "\n";
        if (!out) throw std::runtime_error{"cannot write " + file.string()};
    }
    ::chmod(file.c_str(), 0600);
    return seed;
}

}  // namespace

Node::Node(net::io_context& io, int idx, NodeKeys k, const std::string& db_path,
           HttpHandler handler)
    : index{idx}, keys{std::move(k)}, db{db_path}, http{io, std::move(handler)} {}

// =============================================================================================
// [SECTION] setup and persistence
// =============================================================================================

Devnet::Devnet(net::io_context& io, Options opts)
    : io_{io},
      opts_{std::move(opts)},
      seed_{io, [this](HttpRequest req, Respond respond) {
                on_seed_request(std::move(req), std::move(respond));
            }},
      ticker_{io} {
    if (opts_.nodes < 1) throw std::runtime_error{"--nodes must be at least 1"};
    if (opts_.swarm_size < 1) throw std::runtime_error{"--swarm-size must be at least 1"};
    if (opts_.port != 0 && opts_.port + opts_.nodes > 65535)
        throw std::runtime_error{"--port + --nodes exceeds 65535"};
    fs::create_directories(opts_.data_dir);
    load_or_create();
    if (opts_.tls) set_up_tls();
}

void Devnet::set_up_tls() {
    fs::path dir{opts_.data_dir};
    auto seed_id = load_or_create_tls_identity(dir / "seed", "127.0.0.1");
    seed_.set_tls(make_server_tls(seed_id));
    seed_pin_ = seed_id.sha256_hex;
    for (auto& n : nodes_) {
        char name[32];
        std::snprintf(name, sizeof name, "node-%02d", n->index);
        n->http.set_tls(make_server_tls(load_or_create_tls_identity(dir / name, "127.0.0.1")));
    }
    auto pin_file = dir / "seed.pin";
    auto tmp = pin_file;
    tmp += ".tmp";
    {
        std::ofstream out{tmp};
        out << seed_pin_ << "\n";
        if (!out) throw std::runtime_error{"cannot write " + tmp.string()};
    }
    fs::rename(tmp, pin_file);
}

Devnet::~Devnet() { shutdown(); }

void Devnet::load_or_create() {
    fs::path dir{opts_.data_dir};
    // Saved topology: each node's swarm id, by index.
    std::vector<std::optional<std::uint64_t>> saved;
    std::vector<bool> saved_left;
    if (auto topo = dir / "devnet.json"; fs::exists(topo)) {
        std::ifstream in{topo};
        json j = json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw std::runtime_error{"cannot parse " + topo.string()};
        height_ = j.value("height", std::int64_t{1000});
        for (const auto& n : j.value("nodes", json::array())) {
            saved.push_back(parse_hex_id(n.value("swarm", std::string{})));
            saved_left.push_back(n.value("left", false));
        }
    }

    for (int i = 0; i < opts_.nodes; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "node-%02d", i);
        auto ndir = dir / name;
        fs::create_directories(ndir);
        auto seed = read_or_create_seed(ndir / "ed25519_seed");
        auto keys = NodeKeys::from_seed(seed);
        sodium_memzero(seed.data(), seed.size());
        nodes_.push_back(std::make_unique<Node>(
                io_, i, std::move(keys), (ndir / "storage.db").string(),
                [this, i](HttpRequest req, Respond respond) {
                    on_node_request(*nodes_[static_cast<std::size_t>(i)], std::move(req),
                                    std::move(respond));
                }));
        nodes_.back()->wanted_port =
                opts_.port == 0 ? 0 : static_cast<std::uint16_t>(opts_.port + 1 + i);
    }

    // Keep saved assignments; a fresh network is cut into swarms of `swarm_size` (the remainder
    // joins the last swarm); nodes added to an existing network join the smallest swarms.
    std::set<std::uint64_t> ids;
    for (std::size_t i = 0; i < nodes_.size() && i < saved.size(); ++i)
        if (saved[i] && *saved[i] != kInvalidSwarm) ids.insert(*saved[i]);
    if (ids.empty()) {
        int count = std::max(1, opts_.nodes / opts_.swarm_size);
        std::vector<std::uint64_t> fresh;
        for (int s = 0; s < count; ++s) fresh.push_back(*ids.insert(random_swarm_id(ids)).first);
        for (int i = 0; i < opts_.nodes; ++i)
            nodes_[static_cast<std::size_t>(i)]->swarm_id =
                    fresh[static_cast<std::size_t>(std::min(i / opts_.swarm_size, count - 1))];
    } else {
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            if (i < saved.size() && saved[i] && ids.count(*saved[i])) {
                nodes_[i]->swarm_id = *saved[i];
                continue;
            }
            std::map<std::uint64_t, int> sizes;
            for (auto id : ids) sizes[id] = 0;
            for (std::size_t k = 0; k < i; ++k) sizes[nodes_[k]->swarm_id]++;
            auto smallest = std::min_element(sizes.begin(), sizes.end(), [](auto& a, auto& b) {
                return a.second < b.second;
            });
            nodes_[i]->swarm_id = smallest->first;
        }
    }
    for (std::size_t i = 0; i < nodes_.size() && i < saved_left.size(); ++i)
        nodes_[i]->left = saved_left[i];
    save_topology();
}

void Devnet::save_topology() const {
    json nodes = json::array();
    for (const auto& n : nodes_) {
        nodes.push_back({{"index", n->index},
                         {"pubkey_ed25519", n->keys.ed_hex()},
                         {"swarm", hex_id(n->swarm_id)}});
        if (n->left) nodes.back()["left"] = true;
    }
    json j{{"version", 1}, {"height", height_}, {"nodes", std::move(nodes)}};
    fs::path file = fs::path{opts_.data_dir} / "devnet.json";
    auto tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out{tmp};
        out << j.dump(2) << "\n";
        if (!out) throw std::runtime_error{"cannot write " + tmp.string()};
    }
    fs::rename(tmp, file);
}

void Devnet::start() {
    if (running_) return;
    seed_.start(opts_.port);
    for (auto& n : nodes_) {
        if (n->left) {
            n->faults.stopped = n->faults.unreachable = true;  // out of the network: not served
            continue;
        }
        start_node(*n);
    }
    running_ = true;
    tick();
}

void Devnet::shutdown() {
    if (!running_) return;
    running_ = false;
    ticker_.cancel();
    seed_.stop();
    for (auto& n : nodes_) n->http.stop();
}

// =============================================================================================
// [SECTION] topology
// =============================================================================================

std::uint64_t Devnet::swarm_space(std::string_view key32) {
    // XOR of the key's four big-endian 64-bit words (§5.9).
    std::uint64_t res = 0;
    for (std::size_t i = 0; i + 8 <= key32.size() && i < 32; i += 8) {
        std::uint64_t w = 0;
        for (std::size_t k = 0; k < 8; ++k)
            w = w << 8 | static_cast<unsigned char>(key32[i + k]);
        res ^= w;
    }
    return res;
}

std::optional<std::uint64_t> Devnet::swarm_for(std::string_view key32) const {
    std::set<std::uint64_t> ids;
    for (const auto& n : nodes_)
        if (!n->left && n->swarm_id != kInvalidSwarm) ids.insert(n->swarm_id);
    return closest_swarm(ids, swarm_space(key32));
}

std::optional<std::uint64_t> Devnet::closest_swarm(const std::set<std::uint64_t>& ids,
                                                   std::uint64_t pos) {
    if (ids.empty()) return std::nullopt;
    if (ids.size() == 1) return *ids.begin();
    // right = first swarm with id >= pos (wrapping); left = the one before it (wrapping);
    // the closer wins with unsigned wrap-around distances, a tie going left.
    auto right = ids.lower_bound(pos);
    if (right == ids.end()) right = ids.begin();
    auto left = std::prev(right == ids.begin() ? ids.end() : right);
    std::uint64_t dright = *right - pos;
    std::uint64_t dleft = pos - *left;
    return dright < dleft ? *right : *left;
}

std::map<std::uint64_t, std::vector<Node*>> Devnet::swarms() const {
    std::map<std::uint64_t, std::vector<Node*>> out;
    for (const auto& n : nodes_)
        if (!n->left) out[n->swarm_id].push_back(n.get());
    return out;
}

std::vector<Node*> Devnet::swarm_members(std::uint64_t swarm_id) const {
    std::vector<Node*> out;
    for (const auto& n : nodes_)
        if (!n->left && n->swarm_id == swarm_id) out.push_back(n.get());
    return out;
}

Node* Devnet::find_node(const Key32& ed_pk) const {
    // A node that left the network is unknown to the others ("Next node not found").
    for (const auto& n : nodes_)
        if (!n->left && n->keys.ed_pk() == ed_pk) return n.get();
    return nullptr;
}

// =============================================================================================
// [SECTION] node-to-node traffic
// =============================================================================================

void Devnet::at_node(Node& node, std::function<void()> fn) {
    if (node.faults.latency_ms <= 0) {
        net::post(io_, std::move(fn));
        return;
    }
    auto timer = std::make_shared<net::steady_timer>(io_);
    timer->expires_after(std::chrono::milliseconds{node.faults.latency_ms});
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
        if (!ec) fn();
    });
}

namespace {
void after(net::io_context& io, std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<net::steady_timer>(io);
    timer->expires_after(delay);
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code) { fn(); });
}
}  // namespace

void Devnet::forward(Node&, Node& to, SubRequest req,
                     std::function<void(std::optional<Response>)> done) {
    if (to.faults.stopped) {
        // Nobody answers: the sender learns only from its own timeout.
        after(io_, opts_.forward_timeout, [done = std::move(done)] { done(std::nullopt); });
        return;
    }
    at_node(to, [this, &to, req = std::move(req), done = std::move(done)]() mutable {
        if (to.faults.stopped) {
            after(io_, opts_.forward_timeout, [done = std::move(done)] { done(std::nullopt); });
            return;
        }
        if (to.faults.not_ready) {
            done(Response{503, "Snode not ready"});
            return;
        }
        process_subrequest(*this, to, std::move(req),
                           [done = std::move(done)](Response r) { done(std::move(r)); });
    });
}

void Devnet::relay_onion(Node& to, std::string payload, Key32 ephemeral, bool xchacha, int hop_no,
                         Reply reply) {
    if (to.faults.stopped) {
        after(io_, opts_.relay_timeout,
              [reply = std::move(reply)] { reply({504, "Request time out"}); });
        return;
    }
    at_node(to, [this, &to, payload = std::move(payload), ephemeral, xchacha, hop_no,
                 reply = std::move(reply)]() mutable {
        if (to.faults.stopped) {
            after(io_, opts_.relay_timeout,
                  [reply = std::move(reply)] { reply({504, "Request time out"}); });
            return;
        }
        if (hop_no > kMaxOnionHops)
            return reply({400, "onion request max path length exceeded"});
        process_onion(*this, to, std::move(payload), ephemeral, xchacha, hop_no, std::move(reply));
    });
}

// =============================================================================================
// [SECTION] HTTP front ends (nodes, seed/admin)
// =============================================================================================

void Devnet::on_node_request(Node& node, HttpRequest req, Respond respond) {
    at_node(node, [this, &node, req = std::move(req), respond = std::move(respond)]() mutable {
        try {
            route_node_request(node, req, respond);
        } catch (const std::exception&) {
            respond({500, "text/plain", "request failed"});
        }
    });
}

void Devnet::route_node_request(Node& node, const HttpRequest& req, const Respond& respond) {
    {
        auto http_reply = [respond](Response r) { respond(to_http(r)); };
        const bool post = req.method == "POST";
        if (post && (req.target == "/storage_rpc/v1" || req.target == "/onion_req/v2")) {
            if (node.faults.not_ready)
                return respond({503, "text/plain", "Service node is not ready: not done syncing\n"});
            if (req.target == "/storage_rpc/v1") {
                if (auto lp = req.header("x-loki-long-poll"); lp && !lp->empty())
                    return respond({410, "text/plain",
                                    "long polling is no longer supported, client upgrade required"});
                return process_client_request(*this, node, req.body, http_reply);
            }
            return handle_onion_http(*this, node, req.body, http_reply);
        }
        if (post && req.target == "/ping_test/v1") return respond({200, "text/plain", ""});
        if (req.method == "GET" && req.target == "/get_stats/v1") {
            auto v = std::to_string(kServerVersion[0]) + "." + std::to_string(kServerVersion[1]) +
                     "." + std::to_string(kServerVersion[2]);
            return respond({200, "application/json", json{{"version", v}}.dump()});
        }
        respond({404, "text/plain", req.method + " " + req.target + " Not Found"});
    }
}

void Devnet::on_seed_request(HttpRequest req, Respond respond) {
    try {
        route_seed_request(req, respond);
    } catch (const std::exception& e) {
        respond({400, "text/plain", std::string{"bad request: "} + e.what()});
    }
}

void Devnet::route_seed_request(const HttpRequest& req, const Respond& respond) {
    if (req.method == "POST" && req.target == "/json_rpc") {
        json body = parse_json(req.body);
        json id = nullptr;
        if (!body.is_discarded() && body.is_object() && body.contains("id")) id = body["id"];
        json out{{"jsonrpc", "2.0"}, {"id", id}};
        if (body.is_discarded() || !body.is_object()) {
            out["error"] = {{"code", -32700}, {"message", "Parse error"}};
        } else {
            auto m = body.find("method");
            std::string method = m != body.end() && m->is_string() ? m->get<std::string>() : "";
            if (method == "get_n_service_nodes" || method == "get_service_nodes") {
                auto p = body.find("params");
                out["result"] = service_node_states(p != body.end() && p->is_object()
                                                            ? *p
                                                            : json::object());
            } else {
                out["error"] = {{"code", -32601}, {"message", "Method not found"}};
            }
        }
        return respond({200, "application/json", out.dump()});
    }
    if (req.method == "POST" && req.target == "/admin") {
        json cmd = parse_json(req.body);
        if (cmd.is_discarded() || !cmd.is_object())
            return respond(json_http(400, {{"error", "expected a JSON object"}}));
        auto out = admin(cmd);
        return respond(json_http(out.contains("error") ? 400 : 200, out));
    }
    if (req.method == "GET" && (req.target == "/admin" || req.target == "/"))
        return respond(json_http(200, status()));
    respond({404, "text/plain", req.method + " " + req.target + " Not Found"});
}

// =============================================================================================
// [SECTION] seed answers
// =============================================================================================

json Devnet::service_node_states(const json& params) const {
    // "fields" may be a dict {"name": true} (deprecated form) or a list; absent means all.
    std::set<std::string> wanted;
    bool all = true;
    if (auto f = params.find("fields"); f != params.end()) {
        if (f->is_object()) {
            for (const auto& [k, v] : f->items())
                if (v.is_boolean() && v.get<bool>()) wanted.insert(k);
        } else if (f->is_array()) {
            for (const auto& v : *f)
                if (v.is_string()) wanted.insert(v.get<std::string>());
        }
        all = wanted.empty() || wanted.count("all");
    }
    auto want = [&](const char* k) { return all || wanted.count(k) > 0; };

    std::vector<const Node*> list;
    for (const auto& n : nodes_)
        if (!n->left) list.push_back(n.get());
    if (auto l = params.find("limit"); l != params.end() && l->is_number_integer()) {
        auto limit = l->get<std::int64_t>();
        if (limit > 0 && static_cast<std::size_t>(limit) < list.size()) {
            // oxend returns a random subset when limited.
            std::mt19937_64 rng{std::random_device{}()};
            std::shuffle(list.begin(), list.end(), rng);
            list.resize(static_cast<std::size_t>(limit));
        }
    }
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                         Clock::now().time_since_epoch())
                         .count();
    json states = json::array();
    for (const Node* n : list) {
        json s = json::object();
        if (want("service_node_pubkey")) s["service_node_pubkey"] = n->keys.ed_hex();
        if (want("public_ip")) s["public_ip"] = "127.0.0.1";
        if (want("storage_port")) s["storage_port"] = n->port();
        if (want("storage_lmq_port")) s["storage_lmq_port"] = 0;
        if (want("quorumnet_port")) s["quorumnet_port"] = 0;
        if (want("pubkey_ed25519")) s["pubkey_ed25519"] = n->keys.ed_hex();
        if (want("pubkey_x25519")) s["pubkey_x25519"] = n->keys.x_hex();
        if (want("swarm_id")) s["swarm_id"] = n->swarm_id;  // a full uint64 JSON number
        if (want("swarm")) s["swarm"] = hex_id(n->swarm_id);
        if (want("requested_unlock_height")) s["requested_unlock_height"] = 0;
        if (want("active")) s["active"] = true;
        if (want("funded")) s["funded"] = true;
        if (want("registration_height")) s["registration_height"] = 1;
        if (want("last_uptime_proof")) s["last_uptime_proof"] = now_s;
        if (want("storage_server_version")) s["storage_server_version"] = kServerVersion;
        states.push_back(std::move(s));
    }
    json result{{"service_node_states", std::move(states)}, {"status", "OK"}};
    if (want("height")) result["height"] = height_;
    if (want("target_height")) result["target_height"] = height_;
    if (want("block_hash")) {
        std::string h(64, '0');
        auto hx = hex_id(static_cast<std::uint64_t>(height_));
        h.replace(48, 16, hx);
        result["block_hash"] = h;
    }
    if (want("hardfork")) result["hardfork"] = kHardFork[0];
    if (want("snode_revision")) result["snode_revision"] = kHardFork[1];
    return result;
}

std::string Devnet::active_nodes_bin() const {
    // Per node: Ed25519 (32) ‖ swarm id (8, BE) ‖ IPv4 (4) ‖ HTTPS port (2, BE) ‖
    // OMQ/QUIC port (2, BE) ‖ version (3).
    std::string out;
    for (const auto& n : nodes_) {
        if (n->left) continue;
        out.append(reinterpret_cast<const char*>(n->keys.ed_pk().data()), 32);
        for (int s = 56; s >= 0; s -= 8) out += static_cast<char>(n->swarm_id >> s & 0xff);
        out += {'\x7f', '\x00', '\x00', '\x01'};
        out += static_cast<char>(n->port() >> 8);
        out += static_cast<char>(n->port() & 0xff);
        out += {'\x00', '\x00'};
        for (int v : kServerVersion) out += static_cast<char>(v);
    }
    return out;
}

// =============================================================================================
// [SECTION] faults and admin
// =============================================================================================

void Devnet::start_node(Node& node) {
    node.faults.stopped = false;
    node.faults.unreachable = false;
    if (!node.http.running()) node.http.start(node.wanted_port);
    if (node.wanted_port == 0) node.wanted_port = node.http.port();  // keep it across restarts
    if (running_) after_start(node);
}

void Devnet::stop_node(Node& node) {
    node.faults.stopped = true;
    node.http.stop();
}

Node* Devnet::node_arg(const json& cmd) const {
    auto it = cmd.find("node");
    if (it == cmd.end()) return nullptr;
    if (it->is_number_integer()) {
        auto i = it->get<std::int64_t>();
        if (i >= 0 && i < static_cast<std::int64_t>(nodes_.size()))
            return nodes_[static_cast<std::size_t>(i)].get();
        return nullptr;
    }
    if (it->is_string()) {
        auto raw = from_hex(it->get<std::string>());
        if (!raw || raw->size() != 32) return nullptr;
        Key32 k;
        std::memcpy(k.data(), raw->data(), 32);
        for (const auto& n : nodes_)
            if (n->keys.ed_pk() == k) return n.get();
        return nullptr;
    }
    return nullptr;
}

json Devnet::status() const {
    json nodes = json::array();
    for (const auto& n : nodes_)
        nodes.push_back({{"index", n->index},
                         {"port", n->port()},
                         {"url", std::string{scheme()} + "://127.0.0.1:" +
                                         std::to_string(n->port())},
                         {"pubkey_ed25519", n->keys.ed_hex()},
                         {"pubkey_x25519", n->keys.x_hex()},
                         {"swarm_id", n->swarm_id},
                         {"swarm", hex_id(n->swarm_id)},
                         {"stopped", n->faults.stopped},
                         {"unreachable", n->faults.unreachable},
                         {"ready", !n->faults.not_ready},
                         {"latency_ms", n->faults.latency_ms},
                         {"clock_skew_ms", n->faults.clock_skew_ms},
                         {"lying", n->faults.lying},
                         {"left", n->left},
                         {"pending_forwards", n->retries.size()},
                         {"messages", n->db.count()}});
    json swarms = json::array();
    for (const auto& [id, members] : this->swarms()) {
        json m = json::array();
        for (const Node* n : members) m.push_back(n->index);
        swarms.push_back({{"swarm_id", id}, {"swarm", hex_id(id)}, {"members", std::move(m)}});
    }
    auto base = std::string{scheme()} + "://127.0.0.1:" + std::to_string(seed_.port());
    json out{{"seed", base + "/json_rpc"},
            {"admin", base + "/admin"},
            {"tls", opts_.tls},
            {"height", height_},
            {"relay_timeout_ms", opts_.relay_timeout.count()},
            {"forward_timeout_ms", opts_.forward_timeout.count()},
            {"nodes", std::move(nodes)},
            {"swarms", std::move(swarms)}};
    if (opts_.tls) out["seed_pin"] = seed_pin_;
    return out;
}

json Devnet::admin(const json& cmd) {
    auto op_it = cmd.find("op");
    std::string op = op_it != cmd.end() && op_it->is_string() ? op_it->get<std::string>() : "";
    auto need_node = [&]() -> Node& {
        Node* n = node_arg(cmd);
        if (!n) throw std::invalid_argument{"\"node\" must be a node index or Ed25519 hex key"};
        return *n;
    };
    auto need_int = [&](const char* key) -> std::int64_t {
        auto it = cmd.find(key);
        if (it == cmd.end() || !it->is_number_integer())
            throw std::invalid_argument{std::string{"\""} + key + "\" must be an integer"};
        return it->get<std::int64_t>();
    };
    try {
        if (op == "status") return status();
        auto in_network = [&]() -> Node& {
            Node& n = need_node();
            if (n.left)
                throw std::invalid_argument{"node " + std::to_string(n.index) +
                                            " has left the network (\"join\" brings it back)"};
            return n;
        };
        if (op == "stop") {
            Node& n = in_network();
            auto u = cmd.find("unreachable");
            stop_node(n);
            n.faults.unreachable = u != cmd.end() && u->is_boolean() && u->get<bool>();
        } else if (op == "start") {
            start_node(in_network());
        } else if (op == "leave") {
            leave(in_network());
        } else if (op == "join") {
            Node& n = need_node();
            if (!n.left)
                throw std::invalid_argument{"node " + std::to_string(n.index) +
                                            " is in the network already"};
            join(n, cmd);
        } else if (op == "latency") {
            need_node().faults.latency_ms = std::max<std::int64_t>(0, need_int("ms"));
        } else if (op == "clock_skew") {
            need_node().faults.clock_skew_ms = need_int("ms");
        } else if (op == "ready") {
            auto r = cmd.find("ready");
            if (r == cmd.end() || !r->is_boolean())
                throw std::invalid_argument{"\"ready\" must be true or false"};
            need_node().faults.not_ready = !r->get<bool>();
        } else if (op == "lie") {
            auto l = cmd.find("lie");
            if (l == cmd.end() || !l->is_boolean())
                throw std::invalid_argument{"\"lie\" must be true or false"};
            need_node().faults.lying = l->get<bool>();
        } else if (op == "move_swarms") {
            move_swarms(cmd);
        } else if (op == "move_node") {
            Node& n = in_network();
            auto sw = cmd.find("swarm");
            std::string target = sw != cmd.end() && sw->is_string() ? sw->get<std::string>() : "new";
            if (target == "new") {
                std::set<std::uint64_t> taken;
                for (const auto& o : nodes_) taken.insert(o->swarm_id);
                n.swarm_id = random_swarm_id(taken);
            } else {
                auto id = parse_hex_id(target);
                if (!id || swarm_members(*id).empty())
                    throw std::invalid_argument{"\"swarm\" must be \"new\" or an existing swarm id (hex)"};
                n.swarm_id = *id;
            }
            topology_changed();
        } else if (op == "reset") {
            for (auto& n : nodes_) {
                n->faults.latency_ms = 0;
                n->faults.clock_skew_ms = 0;
                n->faults.not_ready = false;
                n->faults.lying = false;
                if (n->faults.stopped && !n->left) start_node(*n);
            }
        } else {
            return {{"error", "unknown op \"" + op +
                                      "\" (status, stop, start, latency, clock_skew, ready, "
                                      "lie, move_swarms, move_node, leave, join, reset)"}};
        }
    } catch (const std::exception& e) {
        return {{"error", e.what()}};
    }
    auto out = status();
    out["ok"] = true;
    return out;
}

void Devnet::move_swarms(const json& cmd) {
    // New random ids for every swarm (membership unchanged), so pubkeys land on other swarms.
    // With "pubkey", repeat until that account's swarm really changes members.
    std::optional<std::string> key;
    if (auto it = cmd.find("pubkey"); it != cmd.end()) {
        UserPubkey pk;
        if (!it->is_string() || !pk.load(it->get<std::string>()))
            throw std::invalid_argument{"\"pubkey\" must be 66 hex digits"};
        key = std::string{pk.key()};
    }
    auto members_of = [&](const std::string& k) {
        std::vector<int> out;
        if (auto sw = swarm_for(k))
            for (Node* n : swarm_members(*sw)) out.push_back(n->index);
        return out;
    };
    if (key && swarms().size() < 2)
        throw std::invalid_argument{"moving an account's swarm needs at least 2 swarms"};
    auto before = key ? members_of(*key) : std::vector<int>{};
    for (int attempt = 0; attempt < 1000; ++attempt) {
        std::map<std::uint64_t, std::uint64_t> remap;
        std::set<std::uint64_t> taken;
        for (const auto& n : nodes_)
            if (!n->left && !remap.count(n->swarm_id)) {
                auto id = random_swarm_id(taken);
                taken.insert(id);
                remap[n->swarm_id] = id;
            }
        for (auto& n : nodes_)
            if (!n->left) n->swarm_id = remap[n->swarm_id];
        if (!key || members_of(*key) != before) break;
    }
    topology_changed();
}

void Devnet::leave(Node& node) {
    if (swarms().size() == 1 && swarm_members(node.swarm_id).size() == 1)
        throw std::invalid_argument{"the last node cannot leave"};
    // Out of every list and swarm first; while its port is still open it hands what it holds to
    // the swarms that own it now (as a node leaving its swarm does), then it goes away.
    node.left = true;
    topology_changed();
    stop_node(node);
    node.faults.unreachable = true;
    node.retries.clear();
}

void Devnet::join(Node& node, const json& cmd) {
    // Into the swarm given ("swarm": hex id, or "new"), else the smallest one.
    auto sw = cmd.find("swarm");
    std::string target = sw != cmd.end() && sw->is_string() ? sw->get<std::string>() : "";
    auto current = swarms();
    if (target == "new" || current.empty()) {
        std::set<std::uint64_t> taken;
        for (const auto& o : nodes_) taken.insert(o->swarm_id);
        node.swarm_id = random_swarm_id(taken);
    } else if (!target.empty()) {
        auto id = parse_hex_id(target);
        if (!id || !current.count(*id))
            throw std::invalid_argument{"\"swarm\" must be \"new\" or an existing swarm id (hex)"};
        node.swarm_id = *id;
    } else {
        auto smallest = std::min_element(current.begin(), current.end(), [](auto& a, auto& b) {
            return a.second.size() < b.second.size();
        });
        node.swarm_id = smallest->first;
    }
    node.left = false;
    node.needs_dump = true;  // its swarm gives it what it holds (after_start)
    topology_changed();
    start_node(node);
}

void Devnet::topology_changed() {
    ++height_;
    save_topology();
    for (auto& n : nodes_)
        if (n->faults.stopped) n->needs_dump = true;
    for (auto& n : nodes_)
        if (n->up()) push_messages(*n, /*own_swarm=*/true);
}

// =============================================================================================
// [SECTION] periodic jobs and swarm sync
// =============================================================================================

void Devnet::push_messages(Node& from, bool own_swarm) {
    // Every message goes to the current members of the swarm that owns it (the real network's
    // swarm sync after swarms change). Stopped nodes are skipped; they catch up when started.
    // A message handed over to another swarm is then dropped here (clients asking this node get
    // 421 for it anyway), so a later move cannot bring back something deleted meanwhile.
    auto now = from.now_ms();
    std::map<Node*, std::vector<Message>> pushes;
    std::vector<std::string> handed_over;
    for (auto& m : from.db.all()) {
        if (m.expiry <= now) continue;
        auto sw = swarm_for(std::string_view{m.owner}.substr(1));
        if (!sw || (*sw == from.swarm_id && !own_swarm)) continue;
        bool delivered = false;
        for (Node* t : swarm_members(*sw))
            if (t != &from && t->up()) {
                pushes[t].push_back(m);
                delivered = true;
            }
        if (delivered && *sw != from.swarm_id) handed_over.push_back(m.hash);
    }
    for (auto& [t, msgs] : pushes) t->db.bulk_store(msgs);
    from.db.remove(handed_over);
}

void Devnet::after_start(Node& node) {
    // A node back from a stop: peers' retry queues redeliver what it missed. If swarms changed
    // while it was down, it pushes what it holds to the new owners, and its (new) swarm peers
    // give it a full dump, as a node joining a swarm gets.
    if (!node.needs_dump) return;
    node.needs_dump = false;
    push_messages(node, /*own_swarm=*/false);
    for (Node* peer : swarm_members(node.swarm_id))
        if (peer != &node && peer->up()) {
            std::vector<Message> mine;
            auto now = peer->now_ms();
            for (auto& m : peer->db.all()) {
                auto sw = swarm_for(std::string_view{m.owner}.substr(1));
                if (m.expiry > now && sw && *sw == node.swarm_id) mine.push_back(std::move(m));
            }
            node.db.bulk_store(mine);
        }
}

void Devnet::tick() {
    if (!running_) return;
    auto steady_now = std::chrono::steady_clock::now();
    for (auto& n : nodes_) {
        if (!n->up()) continue;
        n->db.remove_expired(n->now_ms());
        // Retry forwards whose peer is up again; give up after an hour.
        std::deque<PendingForward> keep;
        while (!n->retries.empty()) {
            auto p = std::move(n->retries.front());
            n->retries.pop_front();
            Node& peer = *nodes_[static_cast<std::size_t>(p.peer)];
            if (steady_now - p.created > std::chrono::hours{1}) continue;
            if (!peer.up()) {
                keep.push_back(std::move(p));
                continue;
            }
            Node* self = n.get();
            auto copy = p;
            forward(*n, peer, std::move(p.request),
                    [self, copy = std::move(copy)](std::optional<Response> r) mutable {
                        if (!r) self->retries.push_back(std::move(copy));
                    });
        }
        for (auto& p : keep) n->retries.push_back(std::move(p));
    }
    ticker_.expires_after(std::chrono::seconds{1});
    ticker_.async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

}  // namespace devnet
