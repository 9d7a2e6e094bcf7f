#include "kv_pool_store.hpp"

#include <nlohmann/json.hpp>

namespace st::app {
namespace {

constexpr std::size_t kMaxStoredNodes = 10'000;  // the live network has a few thousand

std::string hex64(std::uint64_t v) {
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xf];
    return out;
}

std::optional<std::uint64_t> parse_hex64(const std::string& s) {
    if (s.size() != 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char ch : s) {
        const int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (d < 0) return std::nullopt;
        v = v << 4 | static_cast<std::uint64_t>(d);
    }
    return v;
}

}  // namespace

Bytes KvPoolStore::encode(const net::PoolSnapshot& snapshot) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : snapshot.nodes) {
        nlohmann::json j{{"ed", n.ed25519.hex()}, {"x", n.x25519.hex()}, {"ip", n.ip_text()}, {"port", n.port}};
        if (n.swarm_id) j["swarm"] = hex64(*n.swarm_id);
        nodes.push_back(std::move(j));
    }
    nlohmann::json guards = nlohmann::json::array();
    for (const auto& g : snapshot.guards) guards.push_back(g.hex());
    const auto text = nlohmann::json{{"v", 1}, {"t", snapshot.refreshed_ms}, {"nodes", nodes}, {"guards", guards}}.dump();
    return Bytes(text.begin(), text.end());
}

std::optional<net::PoolSnapshot> KvPoolStore::decode(const Bytes& value) {
    auto j = nlohmann::json::parse(value.begin(), value.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1) return std::nullopt;
    net::PoolSnapshot s;
    if (auto t = j.find("t"); t != j.end() && t->is_number_integer()) s.refreshed_ms = t->get<std::int64_t>();
    auto nodes = j.find("nodes");
    if (nodes == j.end() || !nodes->is_array()) return std::nullopt;
    for (const auto& n : *nodes) {
        if (s.nodes.size() >= kMaxStoredNodes) break;
        if (!n.is_object()) continue;
        const auto field = [&](const char* k) {
            auto it = n.find(k);
            return it != n.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        auto ed = crypto::Ed25519PublicKey::from_hex(field("ed"));
        auto x = crypto::X25519PublicKey::from_hex(field("x"));
        auto ip = rpc::parse_ipv4(field("ip"));
        auto port = n.find("port");
        if (!ed || !x || !ip || port == n.end() || !port->is_number_unsigned()) continue;
        const auto p = port->get<std::uint64_t>();
        if (p == 0 || p > 65535) continue;
        rpc::ServiceNode node;
        node.ed25519 = *ed;
        node.x25519 = *x;
        node.ip = *ip;
        node.port = static_cast<std::uint16_t>(p);
        if (auto swarm = parse_hex64(field("swarm"))) node.swarm_id = *swarm;
        s.nodes.push_back(node);
    }
    if (auto guards = j.find("guards"); guards != j.end() && guards->is_array())
        for (const auto& g : *guards)
            if (g.is_string())
                if (auto ed = crypto::Ed25519PublicKey::from_hex(g.get<std::string>())) s.guards.push_back(*ed);
    if (s.nodes.empty()) return std::nullopt;
    return s;
}

void KvPoolStore::load(Callback<std::optional<net::PoolSnapshot>> done) {
    store_.get(std::string(kPoolKey), [done = std::move(done)](Result<std::optional<Bytes>> r) {
        if (!r || !*r) return done(std::optional<net::PoolSnapshot>{});
        done(decode(**r));
    });
}

void KvPoolStore::save(const net::PoolSnapshot& snapshot) {
    store_.write({store::KvWrite::put(std::string(kPoolKey), encode(snapshot))}, [](Result<>) {});
}

}  // namespace st::app
