#include "st/onion/builder.hpp"

#include <nlohmann/json.hpp>

namespace st::onion {

using json = nlohmann::json;

namespace {

// Hands out the layer secrets in build order (destination first): the fixed ones when given,
// fresh random ones otherwise.
class Secrets {
public:
    explicit Secrets(const BuildOptions& options) : fixed_(options.layers) {}

    struct Layer {
        EphemeralKeyPair pair;
        std::optional<Nonce> nonce;
    };
    Layer next() {
        if (fixed_.empty()) return {generate_ephemeral(), std::nullopt};
        const auto& s = fixed_[i_++];
        return {ephemeral_from_secret(s.ephemeral_sk.clone()), s.nonce};
    }

private:
    const std::vector<LayerSecrets>& fixed_;
    std::size_t i_ = 0;
};

Result<Bytes> seal_for(const crypto::X25519PublicKey& node, const Secrets::Layer& layer,
                       ByteView plaintext, SymmetricKey* keep_key = nullptr) {
    auto key = client_key(layer.pair.sk, layer.pair.pk, node);
    if (!key) return Unexpected<Error>(std::move(key).error());
    Bytes sealed =
        layer.nonce ? encrypt_with_nonce(*key, plaintext, *layer.nonce) : encrypt(*key, plaintext);
    if (keep_key) *keep_key = std::move(*key);
    return sealed;
}

Result<void> check(std::span<const Hop> path, std::size_t payload_size, const BuildOptions& options,
                   std::size_t min_hops) {
    if (path.size() < min_hops || path.size() > kMaxPathLength)
        return fail(kBadPath, "an onion path has " + std::to_string(min_hops) + " to " +
                                  std::to_string(kMaxPathLength) + " hops, not " +
                                  std::to_string(path.size()));
    if (!options.layers.empty() && options.layers.size() != path.size() + 1)
        return fail(kBadPath, "fixed secrets are needed for every hop and the destination");
    if (payload_size > kMaxPayload) return fail(kTooLarge, "an onion payload is limited to 10 MiB");
    return {};
}

// Wraps `blob` (addressed to `next_ed` with ephemeral key `next_E`) for each hop of `path` from
// the last to the first, then adds the guard's outer JSON.
Result<Bytes> wrap_path(std::span<const Hop> path, Bytes blob, crypto::Ed25519PublicKey next_ed,
                        crypto::X25519PublicKey next_E, Secrets& secrets) {
    for (std::size_t i = path.size(); i-- > 0;) {
        const json route{{"destination", next_ed.hex()},
                         {"enc_type", enc_type_name(EncType::xchacha20)},
                         {"ephemeral_key", next_E.hex()}};
        const Bytes plaintext = encode_layer(blob, route.dump());
        auto layer = secrets.next();
        auto sealed = seal_for(path[i].x25519, layer, plaintext);
        if (!sealed) return Unexpected<Error>(std::move(sealed).error());
        blob = std::move(*sealed);
        next_ed = path[i].ed25519;
        next_E = layer.pair.pk;
    }
    const json outer{{"enc_type", enc_type_name(EncType::xchacha20)},
                     {"ephemeral_key", next_E.hex()}};
    return encode_layer(blob, outer.dump());
}

bool valid_target(std::string_view t) {
    auto starts = [&](std::string_view p) { return t.substr(0, p.size()) == p; };
    return (starts("/oxen/") || starts("/loki/")) && t.size() >= 6 &&
           t.substr(t.size() - 6) == "/lsrpc" && t.find('?') == std::string_view::npos;
}

}  // namespace

Result<OnionRequest> build_to_snode(std::span<const Hop> path, const Hop& destination,
                                    ByteView payload, const BuildOptions& options) {
    if (auto ok = check(path, payload.size(), options, 0); !ok)
        return Unexpected<Error>(std::move(ok).error());
    Secrets secrets(options);
    // The destination's control JSON: "headers" marks it as the final hop (§6.3).
    const Bytes inner = encode_layer(payload, R"({"headers":""})");
    auto dest = secrets.next();
    OnionRequest out;
    auto blob = seal_for(destination.x25519, dest, inner, &out.response_key);
    if (!blob) return Unexpected<Error>(std::move(blob).error());
    auto body = wrap_path(path, std::move(*blob), destination.ed25519, dest.pair.pk, secrets);
    if (!body) return Unexpected<Error>(std::move(body).error());
    out.body = std::move(*body);
    out.dest_ephemeral_pk = dest.pair.pk;
    out.dest_ephemeral_sk = std::move(dest.pair.sk);
    return out;
}

Result<OnionRequest> build_to_server(std::span<const Hop> path, const ServerDestination& server,
                                     ByteView v4_request, const BuildOptions& options) {
    if (auto ok = check(path, v4_request.size(), options, 1); !ok)
        return Unexpected<Error>(std::move(ok).error());
    if (server.host.empty() || server.host.size() > 253 ||
        server.host.find_first_of("/:?# ") != std::string::npos)
        return fail(kBadServer, "a server host is a bare DNS name or IP address");
    if (server.protocol != "https" && server.protocol != "http")
        return fail(kBadServer, "a server protocol is http or https");
    if (!valid_target(server.target))
        return fail(kBadServer,
                    "a server target starts with /oxen/ or /loki/ and ends with /lsrpc");
    Secrets secrets(options);
    auto srv = secrets.next();
    OnionRequest out;
    auto blob_s = seal_for(server.x25519, srv, v4_request, &out.response_key);
    if (!blob_s) return Unexpected<Error>(std::move(blob_s).error());
    // The exit's plaintext: "host" makes it POST the whole layer to the server (§6.3).
    const json exit_json{{"host", server.host},
                         {"target", server.target},
                         {"method", "POST"},
                         {"protocol", server.protocol},
                         {"port", server.port},
                         {"ephemeral_key", srv.pair.pk.hex()},
                         {"enc_type", enc_type_name(EncType::xchacha20)}};
    const Bytes exit_plain = encode_layer(*blob_s, exit_json.dump());
    auto exit_layer = secrets.next();
    auto exit_blob = seal_for(path.back().x25519, exit_layer, exit_plain);
    if (!exit_blob) return Unexpected<Error>(std::move(exit_blob).error());
    auto body = wrap_path(path.first(path.size() - 1), std::move(*exit_blob), path.back().ed25519,
                          exit_layer.pair.pk, secrets);
    if (!body) return Unexpected<Error>(std::move(body).error());
    out.body = std::move(*body);
    out.dest_ephemeral_pk = srv.pair.pk;
    out.dest_ephemeral_sk = std::move(srv.pair.sk);
    return out;
}

Result<Bytes> encode_v4_request(std::string_view method, std::string_view endpoint,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::optional<ByteView> body) {
    if (endpoint.empty() || endpoint.front() != '/')
        return fail(kBadServer, "a v4 endpoint starts with '/'");
    json h = json::object();
    for (const auto& [name, value] : headers) h[name] = value;
    std::string info;
    try {
        info = json{
            {"method", std::string(method)},
            {"endpoint", std::string(endpoint)},
            {"headers",
             h}}.dump();
    } catch (const json::exception&) {
        return fail(kBadServer, "v4 request fields must be valid UTF-8");
    }
    Bytes out;
    auto add = [&](ByteView part) {
        const std::string len = std::to_string(part.size()) + ":";
        out.insert(out.end(), len.begin(), len.end());
        out.insert(out.end(), part.begin(), part.end());
    };
    out.push_back('l');
    add(as_bytes(info));
    if (body) add(*body);
    out.push_back('e');
    return out;
}

}  // namespace st::onion
