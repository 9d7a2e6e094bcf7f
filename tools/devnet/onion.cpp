#include "onion.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "network.hpp"
#include "util.hpp"

namespace devnet {
namespace {

Key32 key_from_hex(const std::string& hex) {
    auto raw = from_hex(hex);
    if (!raw || raw->size() != 32) throw std::runtime_error{"Invalid hex key: " + hex};
    Key32 k;
    std::memcpy(k.data(), raw->data(), 32);
    return k;
}

// Wraps a final destination's response for the client (§6.5): {"status", "body"} encrypted with
// the final layer's key, base64'd unless the request asked for raw bytes.
Response wrap_response(const Response& res, const Key32& key, bool xchacha,
                       bool embed_json = false, bool base64 = true) {
    json out;
    out["status"] = res.status;
    if (auto* s = std::get_if<std::string>(&res.body))
        out["body"] = *s;
    else if (auto* b = std::get_if<Binary>(&res.body))
        out["body"] = to_base64(b->bytes);  // binary can only travel base64'd in a string
    else if (embed_json)
        out["body"] = std::get<json>(res.body);
    else
        out["body"] = std::get<json>(res.body).dump(-1, ' ', false, json::error_handler_t::replace);
    auto plaintext = out.dump(-1, ' ', false, json::error_handler_t::replace);
    auto ct = channel_seal(xchacha, key, plaintext);
    return {200, base64 ? to_base64(ct) : ct};
}

bool target_allowed(std::string_view target) {
    return (target.starts_with("/loki/") || target.starts_with("/oxen/")) &&
           target.ends_with("/lsrpc") && target.find('?') == std::string_view::npos;
}

}  // namespace

Combined parse_combined(std::string_view payload) {
    if (payload.size() < 4)
        throw std::runtime_error{"Unexpected payload size; expected ciphertext size"};
    auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(payload[i])); };
    std::uint32_t n = b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
    payload.remove_prefix(4);
    if (payload.size() < n)
        throw std::runtime_error{"Unexpected payload size " + std::to_string(payload.size()) +
                                 ", expected >= " + std::to_string(n)};
    Combined c;
    c.ciphertext = payload.substr(0, n);
    auto text = payload.substr(n);
    if (json_too_deep(text)) throw std::runtime_error{"JSON nested too deeply"};
    c.control = json::parse(text);  // its exception text is what a real node returns
    return c;
}

bool parse_enc_type(std::string_view name) {
    if (name == "xchacha20" || name == "xchacha20-poly1305") return true;
    if (name == "aes-gcm" || name == "gcm") return false;
    throw std::runtime_error{"Invalid encryption type " + std::string{name}};
}

Layer peel_layer(const NodeKeys& keys, std::string_view ciphertext, const Key32& ephemeral,
                 bool xchacha) {
    auto key = keys.layer_key(xchacha, ephemeral);
    if (!key) return LayerError::invalid_ciphertext;
    return peel_layer_with_key(*key, xchacha, ciphertext);
}

Layer peel_layer_with_key(const Key32& key, bool xchacha, std::string_view ciphertext) {
    auto plaintext = channel_open(xchacha, key, ciphertext);
    if (!plaintext) return LayerError::invalid_ciphertext;
    try {
        auto [inner, control] = parse_combined(*plaintext);
        if (!control.is_object()) throw std::runtime_error{"control JSON is not an object"};
        if (control.contains("headers")) {
            FinalDestination f;
            f.body = std::string{inner};
            if (auto it = control.find("json"); it != control.end()) f.json = it->get<bool>();
            if (auto it = control.find("base64"); it != control.end()) f.base64 = it->get<bool>();
            return f;
        }
        if (auto it = control.find("host"); it != control.end()) {
            RelayToServer r;
            r.host = it->get<std::string>();
            r.target = control.at("target").get<std::string>();
            if (auto p = control.find("port"); p != control.end()) r.port = p->get<std::uint16_t>();
            if (auto p = control.find("protocol"); p != control.end())
                r.protocol = p->get<std::string>();
            r.payload = std::move(*plaintext);
            return r;
        }
        RelayToNode r;
        r.ciphertext = std::string{inner};
        r.destination = key_from_hex(control.at("destination").get_ref<const std::string&>());
        r.ephemeral = key_from_hex(control.at("ephemeral_key").get_ref<const std::string&>());
        if (auto it = control.find("enc_type"); it != control.end())
            r.xchacha = parse_enc_type(it->get_ref<const std::string&>());
        return r;
    } catch (const std::exception&) {
        return LayerError::invalid_json;
    }
}

void handle_onion_http(Devnet& net, Node& node, std::string_view body, Reply reply) {
    std::string ciphertext;
    Key32 ephemeral;
    bool xchacha = false;
    int hop_no = 0;
    try {
        auto [ct, control] = parse_combined(body);
        ephemeral = key_from_hex(control.at("ephemeral_key").get_ref<const std::string&>());
        if (auto it = control.find("enc_type"); it != control.end())
            xchacha = parse_enc_type(it->get_ref<const std::string&>());
        // A client may start the hop count above 0 so the guard cannot tell it is the guard.
        if (auto it = control.find("hop_no"); it != control.end())
            hop_no = std::max(0, it->get<int>());
        ciphertext = std::string{ct};
    } catch (const std::exception& e) {
        return reply({400, std::string{"Error parsing onion request: "} + e.what()});
    }
    process_onion(net, node, std::move(ciphertext), ephemeral, xchacha, hop_no, std::move(reply));
}

void process_onion(Devnet& net, Node& node, std::string ciphertext, const Key32& ephemeral,
                   bool xchacha, int hop_no, Reply reply) {
    if (node.faults.not_ready)
        return reply({503, "Snode not ready: " + node.keys.ed_hex()});

    // K is derived once: it opens this layer and, at a final destination, seals the reply.
    auto key = node.keys.layer_key(xchacha, ephemeral);
    if (!key) return reply({400, "Invalid ciphertext"});
    auto layer = peel_layer_with_key(*key, xchacha, ciphertext);

    if (auto* err = std::get_if<LayerError>(&layer)) {
        if (*err == LayerError::invalid_ciphertext) return reply({400, "Invalid ciphertext"});
        return reply(wrap_response({400, "Invalid json"}, *key, xchacha));
    }

    if (auto* fin = std::get_if<FinalDestination>(&layer)) {
        bool embed = fin->json, b64 = fin->base64;
        process_client_request(
                net, node, fin->body,
                [k = *key, xchacha, embed, b64, reply = std::move(reply)](Response res) {
                    reply(wrap_response(res, k, xchacha, embed, b64));
                });
        return;
    }

    if (auto* relay = std::get_if<RelayToNode>(&layer)) {
        Node* next = net.find_node(relay->destination);
        std::string dest_hex = to_hex({reinterpret_cast<const char*>(relay->destination.data()), 32});
        if (!next) return reply({502, "Next node not found: " + dest_hex});
        if (next->faults.stopped && next->faults.unreachable)
            return reply({502, "Next node is currently unreachable: " + dest_hex});
        net.relay_onion(*next, std::move(relay->ciphertext), relay->ephemeral, relay->xchacha,
                        hop_no + 1, std::move(reply));
        return;
    }

    auto& srv = std::get<RelayToServer>(layer);
    if (!(srv.protocol == "http" || srv.protocol == "https") || !target_allowed(srv.target))
        return reply(wrap_response({400, "Invalid url"}, *key, xchacha));
    if (srv.protocol == "https")
        return reply({502, "devnet: exit nodes only reach plain-http servers"});
    http_post(net.io(), srv.host, static_cast<std::uint16_t>(srv.port), srv.target,
              std::move(srv.payload), std::chrono::seconds{25},
              [reply = std::move(reply)](HttpClientResult r) {
                  if (!r.status) return reply({r.timed_out ? 504 : 502, r.body});
                  reply({*r.status, r.body});
              });
}

}  // namespace devnet
