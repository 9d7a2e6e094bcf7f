#include "relay/node_list.hpp"

#include <algorithm>
#include <boost/asio/ip/address_v4.hpp>
#include <nlohmann/json.hpp>

namespace st::relay {

using json = nlohmann::json;

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_hex(std::string_view hex) {
    std::string out(hex);
    for (char& c : out) c = lower(c);
    return out;
}

// Addresses a public service node can not have: this network, loopback, private ranges, CGNAT,
// link-local, multicast, reserved. A seed listing one of them on the live network is wrong or
// hostile; forwarding there would let a page reach the relay host's own services.
bool is_public_ipv4(const boost::asio::ip::address_v4& address) {
    const std::uint32_t a = address.to_uint();
    const auto in = [a](std::uint32_t net, int bits) {
        const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
        return (a & mask) == net;
    };
    return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
             in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0A80000, 16) ||
             in(0xC6120000, 15) || in(0xE0000000, 4) || in(0xF0000000, 4));
}

// The deepest nesting of arrays/objects in a JSON text, found without parsing it. nlohmann parses
// iteratively but serialises recursively, so a page must not be able to send a deeply nested body
// that the relay then re-serialises.
std::size_t json_depth(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

constexpr std::size_t kMaxJsonDepth = 32;

}  // namespace

void NodeList::replace(std::vector<Node> nodes) {
    by_key_.clear();
    by_key_.reserve(nodes.size());
    for (auto& node : nodes) {
        std::string key = node.ed25519_hex;
        by_key_.emplace(std::move(key), std::move(node));
    }
}

const Node* NodeList::find(std::string_view ed25519_hex) const {
    if (!is_ed25519_hex(ed25519_hex)) return nullptr;
    auto it = by_key_.find(lower_hex(ed25519_hex));
    return it == by_key_.end() ? nullptr : &it->second;
}

bool is_ed25519_hex(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text) {
        const char l = lower(c);
        if (!((l >= '0' && l <= '9') || (l >= 'a' && l <= 'f'))) return false;
    }
    return true;
}

std::string seed_request_body() {
    const json body = {
        {"jsonrpc", "2.0"},
        {"method", "get_n_service_nodes"},
        {"params",
         {{"active_only", true},
          {"fields", {{"public_ip", true}, {"storage_port", true}, {"pubkey_ed25519", true}}}}},
    };
    return body.dump();
}

Result<ParsedNodes> parse_service_nodes(std::string_view text, const ParseOptions& options) {
    if (json_depth(text) > kMaxJsonDepth) {
        return fail("seed.bad_json", "the seed's answer is nested too deeply");
    }
    const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail("seed.bad_json", "the seed's answer is not a JSON object");
    }
    if (auto error = doc.find("error"); error != doc.end() && !error->is_null()) {
        return fail("seed.error", "the seed answered with a JSON-RPC error");
    }
    auto result = doc.find("result");
    if (result == doc.end() || !result->is_object()) {
        return fail("seed.bad_json", "the seed's answer has no \"result\" object");
    }
    auto states = result->find("service_node_states");
    if (states == result->end() || !states->is_array()) {
        return fail("seed.bad_json", "the seed's answer has no \"service_node_states\" array");
    }
    if (states->size() > options.max_nodes) {
        return fail("seed.too_many_nodes", "the seed listed " + std::to_string(states->size()) +
                                               " nodes, more than the limit of " +
                                               std::to_string(options.max_nodes));
    }
    ParsedNodes parsed;
    std::unordered_map<std::string, bool> seen;
    for (const auto& entry : *states) {
        if (!entry.is_object()) {
            ++parsed.skipped;
            continue;
        }
        auto ip = entry.find("public_ip");
        auto port = entry.find("storage_port");
        auto key = entry.find("pubkey_ed25519");
        if (ip == entry.end() || !ip->is_string() || port == entry.end() ||
            !port->is_number_unsigned() || key == entry.end() || !key->is_string()) {
            ++parsed.skipped;
            continue;
        }
        const auto& ip_text = ip->get_ref<const std::string&>();
        const auto& key_text = key->get_ref<const std::string&>();
        const auto port_value = port->get<std::uint64_t>();
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address_v4(ip_text, ec);
        if (ec || address.is_unspecified() || port_value == 0 || port_value > 65535 ||
            !is_ed25519_hex(key_text) ||
            (!options.allow_private_addresses && !is_public_ipv4(address))) {
            ++parsed.skipped;
            continue;
        }
        Node node{lower_hex(key_text), address.to_string(), static_cast<std::uint16_t>(port_value)};
        if (!seen.emplace(node.ed25519_hex, true).second) {
            ++parsed.skipped;
            continue;
        }
        parsed.nodes.push_back(std::move(node));
    }
    if (parsed.nodes.empty()) {
        return fail("seed.no_nodes", "the seed listed no usable node (" +
                                         std::to_string(parsed.skipped) + " entries skipped)");
    }
    return parsed;
}

Result<std::string> sanitize_seed_request(std::string_view body) {
    if (json_depth(body) > kMaxJsonDepth) {
        return fail("seed.bad_request", "the seed request is nested too deeply");
    }
    const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail("seed.bad_request", "the seed request must be a JSON object");
    }
    auto method = doc.find("method");
    if (method == doc.end() || !method->is_string() ||
        method->get_ref<const std::string&>() != "get_n_service_nodes") {
        return fail("seed.method_not_allowed", "only get_n_service_nodes may be sent to the seed");
    }
    json out = json::object();
    out["method"] = *method;
    if (auto params = doc.find("params"); params != doc.end()) {
        if (!params->is_object()) {
            return fail("seed.bad_request", "the seed request's params must be an object");
        }
        out["params"] = *params;
    }
    if (auto version = doc.find("jsonrpc"); version != doc.end()) out["jsonrpc"] = *version;
    if (auto id = doc.find("id"); id != doc.end()) out["id"] = *id;
    return out.dump();
}

}  // namespace st::relay
