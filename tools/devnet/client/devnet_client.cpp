#include "devnet_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/x509.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace devnet_client {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

const unsigned char* uc(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string le32(std::size_t n) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(n >> (8 * i) & 0xff);
    return out;
}

// The key a client and a node share for one layer (protocol.md §6.2), from the client's side.
Key32 layer_key(Enc enc, const Key32& eph_sk, const Key32& eph_pk, const Key32& node_x) {
    Key32 shared, key;
    if (crypto_scalarmult(shared.data(), eph_sk.data(), node_x.data()) != 0)
        throw std::invalid_argument{"bad node X25519 key"};
    if (enc == Enc::xchacha20) {
        crypto_generichash_state st;
        crypto_generichash_init(&st, nullptr, 0, key.size());
        crypto_generichash_update(&st, shared.data(), shared.size());
        crypto_generichash_update(&st, eph_pk.data(), eph_pk.size());
        crypto_generichash_update(&st, node_x.data(), node_x.size());
        crypto_generichash_final(&st, key.data(), key.size());
    } else {
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, uc("LOKI"), 4);
        crypto_auth_hmacsha256_update(&st, shared.data(), shared.size());
        crypto_auth_hmacsha256_final(&st, key.data());
    }
    sodium_memzero(shared.data(), shared.size());
    return key;
}

bool aes_gcm(bool encrypt, const Key32& key, const unsigned char* iv, const unsigned char* in,
             std::size_t len, unsigned char* out, unsigned char* tag) {
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx{EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free};
    int n = 0, fin = 0;
    return ctx &&
           EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr,
                             encrypt ? 1 : 0) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
           EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv, -1) == 1 &&
           (len == 0 || EVP_CipherUpdate(ctx.get(), out, &n, in, static_cast<int>(len)) == 1) &&
           (encrypt || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag) == 1) &&
           EVP_CipherFinal_ex(ctx.get(), out + n, &fin) == 1 &&
           (!encrypt || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) == 1);
}

std::string seal(Enc enc, const Key32& key, std::string_view plaintext, std::string nonce) {
    std::size_t nlen = enc == Enc::xchacha20 ? 24 : 12;
    if (nonce.empty()) {
        nonce.resize(nlen);
        randombytes_buf(nonce.data(), nlen);
    }
    if (nonce.size() != nlen) throw std::invalid_argument{"nonce has the wrong size"};
    std::string out = nonce;
    out.resize(nlen + plaintext.size() + 16);
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (enc == Enc::xchacha20) {
        unsigned long long clen = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(o + nlen, &clen, uc(plaintext),
                                                   plaintext.size(), nullptr, 0, nullptr, o,
                                                   key.data());
    } else if (!aes_gcm(true, key, o, uc(plaintext), plaintext.size(), o + nlen,
                        o + nlen + plaintext.size())) {
        throw std::runtime_error{"AES-GCM failed"};
    }
    return out;
}

std::optional<std::string> open(Enc enc, const Key32& key, std::string_view blob) {
    std::size_t nlen = enc == Enc::xchacha20 ? 24 : 12;
    if (blob.size() < nlen + 16) return std::nullopt;
    std::string out(blob.size() - nlen - 16, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (enc == Enc::xchacha20) {
        unsigned long long mlen = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(o, &mlen, nullptr, uc(blob) + nlen,
                                                       blob.size() - nlen, nullptr, 0, uc(blob),
                                                       key.data()) != 0)
            return std::nullopt;
        return out;
    }
    std::array<unsigned char, 16> tag;
    std::memcpy(tag.data(), blob.data() + blob.size() - 16, 16);
    if (!aes_gcm(false, key, uc(blob), uc(blob) + nlen, out.size(), o, tag.data()))
        return std::nullopt;
    return out;
}

}  // namespace

void init() {
    if (sodium_init() < 0) throw std::runtime_error{"libsodium failed to initialise"};
}

std::string hex(std::string_view bytes) {
    static constexpr char d[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += d[c >> 4];
        out += d[c & 15];
    }
    return out;
}
std::string hex(const Key32& k) { return hex({reinterpret_cast<const char*>(k.data()), k.size()}); }

std::optional<std::string> unhex(std::string_view h) {
    if (h.size() % 2) return std::nullopt;
    std::string out(h.size() / 2, '\0');
    std::size_t len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), h.data(), h.size(),
                       nullptr, &len, nullptr) != 0 ||
        len != out.size())
        return std::nullopt;
    return out;
}

Key32 key_from_hex(std::string_view h) {
    auto raw = unhex(h);
    if (!raw || raw->size() != 32) throw std::invalid_argument{"expected 64 hex digits"};
    Key32 k;
    std::memcpy(k.data(), raw->data(), 32);
    return k;
}

std::string b64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), uc(bytes), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> unb64(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    int variant = text.find('=') == std::string_view::npos && text.size() % 4 != 0
                          ? sodium_base64_VARIANT_ORIGINAL_NO_PADDING
                          : sodium_base64_VARIANT_ORIGINAL;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr, variant) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
}

// ------------------------------------------------------------------------------------------------

namespace {

bool g_tls = false;

net::ssl::context client_tls() {
    net::ssl::context ctx{net::ssl::context::tls_client};
    ctx.set_verify_mode(net::ssl::verify_none);
    return ctx;
}

template <class Stream>
void exchange(Stream& stream, const std::string& host, const std::string& target,
              const std::string& body, HttpResult& result) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, host);
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    result.status = static_cast<int>(parser.get().result_int());
    result.body = std::move(parser.get().body());
}

HttpResult post(const std::string& host, std::uint16_t port, const std::string& target,
                const std::string& body, std::chrono::milliseconds timeout, bool tls) {
    HttpResult result;
    auto start = std::chrono::steady_clock::now();
    try {
        net::io_context io;
        tcp::resolver resolver{io};
        if (tls) {
            auto ctx = client_tls();
            beast::ssl_stream<beast::tcp_stream> stream{io, ctx};
            beast::get_lowest_layer(stream).expires_after(timeout);
            beast::get_lowest_layer(stream).connect(resolver.resolve(host, std::to_string(port)));
            stream.handshake(net::ssl::stream_base::client);
            exchange(stream, host, target, body, result);
            beast::error_code ec;
            beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
        } else {
            beast::tcp_stream stream{io};
            stream.expires_after(timeout);
            stream.connect(resolver.resolve(host, std::to_string(port)));
            exchange(stream, host, target, body, result);
            beast::error_code ec;
            stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        }
    } catch (const std::exception& e) {
        result.status = 0;
        result.body = e.what();
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - start);
    return result;
}

}  // namespace

void use_tls(bool on) { g_tls = on; }
bool tls_in_use() { return g_tls; }

HttpResult http_post(const std::string& host, std::uint16_t port, const std::string& target,
                     const std::string& body, std::chrono::milliseconds timeout) {
    return post(host, port, target, body, timeout, g_tls);
}

std::string peer_certificate_sha256(const std::string& host, std::uint16_t port) {
    net::io_context io;
    tcp::resolver resolver{io};
    auto ctx = client_tls();
    beast::ssl_stream<beast::tcp_stream> stream{io, ctx};
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds{10});
    beast::get_lowest_layer(stream).connect(resolver.resolve(host, std::to_string(port)));
    stream.handshake(net::ssl::stream_base::client);
    X509* cert = SSL_get1_peer_certificate(stream.native_handle());
    if (!cert) throw std::runtime_error{"no peer certificate"};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const bool ok = X509_digest(cert, EVP_sha256(), digest, &size) == 1;
    X509_free(cert);
    if (!ok) throw std::runtime_error{"certificate digest failed"};
    return hex({reinterpret_cast<const char*>(digest), size});
}

Url parse_url(std::string_view url) {
    Url out;
    if (url.starts_with("https://")) {
        out.https = true;
        out.port = 443;
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        url.remove_prefix(7);
    } else {
        throw std::invalid_argument{"expected an http:// or https:// URL"};
    }
    auto slash = url.find('/');
    auto hostport = url.substr(0, slash);
    out.path = slash == std::string_view::npos ? "/" : std::string{url.substr(slash)};
    auto colon = hostport.rfind(':');
    out.host = std::string{hostport.substr(0, colon)};
    if (colon != std::string_view::npos) {
        auto p = std::stoul(std::string{hostport.substr(colon + 1)});
        if (p > 65535) throw std::invalid_argument{"bad port"};
        out.port = static_cast<std::uint16_t>(p);
    }
    return out;
}

// ------------------------------------------------------------------------------------------------

Account Account::from_seed(const Key32& seed) {
    Account a;
    crypto_sign_seed_keypair(a.ed_pk_.data(), a.ed_sk_.data(), seed.data());
    if (crypto_sign_ed25519_pk_to_curve25519(a.x_pk_.data(), a.ed_pk_.data()) != 0)
        throw std::runtime_error{"Ed25519 to X25519 conversion failed"};
    return a;
}

Account Account::random() {
    Key32 seed;
    randombytes_buf(seed.data(), seed.size());
    return from_seed(seed);
}

std::string Account::session_id() const { return "05" + hex(x_pk_); }
std::string Account::ed_hex() const { return hex(ed_pk_); }

std::string Account::sign_b64(std::string_view message) const {
    unsigned char sig[64];
    crypto_sign_detached(sig, nullptr, uc(message), message.size(), ed_sk_.data());
    return b64({reinterpret_cast<const char*>(sig), 64});
}

namespace {
std::string ns_text(int ns) { return ns == 0 ? "" : std::to_string(ns); }
}  // namespace

json Account::retrieve(int ns, std::int64_t ts, const std::string& last_hash) const {
    return {{"pubkey", session_id()},
            {"pubkey_ed25519", ed_hex()},
            {"namespace", ns},
            {"timestamp", ts},
            {"last_hash", last_hash},
            {"signature", sign_b64("retrieve" + ns_text(ns) + std::to_string(ts))}};
}

json Account::store_signed(int ns, std::int64_t ts, std::int64_t ttl, std::string_view data) const {
    return {{"pubkey", session_id()},
            {"pubkey_ed25519", ed_hex()},
            {"namespace", ns},
            {"timestamp", ts},
            {"ttl", ttl},
            {"data", b64(data)},
            {"signature", sign_b64("store" + ns_text(ns) + std::to_string(ts))}};
}

json Account::delete_msgs(const std::vector<std::string>& hashes) const {
    std::string msg = "delete";
    for (const auto& h : hashes) msg += h;
    return {{"pubkey", session_id()},
            {"pubkey_ed25519", ed_hex()},
            {"messages", hashes},
            {"signature", sign_b64(msg)}};
}

json Account::delete_all(std::optional<int> ns, std::int64_t ts) const {
    json p{{"pubkey", session_id()}, {"pubkey_ed25519", ed_hex()}, {"timestamp", ts}};
    if (ns)
        p["namespace"] = *ns;
    else
        p["namespace"] = "all";
    p["signature"] = sign_b64("delete_all" + (ns ? ns_text(*ns) : "all") + std::to_string(ts));
    return p;
}

json Account::expire(const std::vector<std::string>& hashes, std::int64_t expiry,
                     const std::string& mode) const {
    std::string msg = "expire" + mode + std::to_string(expiry);
    for (const auto& h : hashes) msg += h;
    json p{{"pubkey", session_id()},
           {"pubkey_ed25519", ed_hex()},
           {"messages", hashes},
           {"expiry", expiry},
           {"signature", sign_b64(msg)}};
    if (!mode.empty()) p[mode] = true;
    return p;
}

json Account::get_expiries(const std::vector<std::string>& hashes, std::int64_t ts) const {
    std::string msg = "get_expiries" + std::to_string(ts);
    for (const auto& h : hashes) msg += h;
    return {{"pubkey", session_id()},
            {"pubkey_ed25519", ed_hex()},
            {"messages", hashes},
            {"timestamp", ts},
            {"signature", sign_b64(msg)}};
}

json store_params(const std::string& recipient, std::int64_t ts, std::int64_t ttl,
                  std::string_view data) {
    return {{"pubkey", recipient}, {"timestamp", ts}, {"ttl", ttl}, {"data", b64(data)}};
}

std::string message_hash(const std::string& session_id, int ns, std::string_view data) {
    auto pk = unhex(session_id);
    if (!pk) throw std::invalid_argument{"bad session id"};
    std::string input = *pk + ns_text(ns) + std::string{data};
    unsigned char h[32];
    crypto_generichash(h, 32, uc(input), input.size(), nullptr, 0);
    auto out = b64({reinterpret_cast<const char*>(h), 32});
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}

std::string rpc_body(const std::string& method, const json& params) {
    return json{{"method", method}, {"params", params}}.dump();
}

// ------------------------------------------------------------------------------------------------

std::vector<NodeInfo> fetch_nodes(const std::string& seed_url) {
    auto url = parse_url(seed_url);
    json req{{"jsonrpc", "2.0"},
             {"method", "get_n_service_nodes"},
             {"params",
              {{"active_only", true},
               {"fields",
                {{"public_ip", true},
                 {"storage_port", true},
                 {"pubkey_x25519", true},
                 {"pubkey_ed25519", true},
                 {"swarm_id", true}}}}}};
    auto res = post(url.host, url.port, url.path, req.dump(), std::chrono::seconds{20}, url.https);
    if (res.status != 200) throw std::runtime_error{"seed request failed: " + res.body};
    auto j = json::parse(res.body);
    std::vector<NodeInfo> out;
    for (const auto& s : j.at("result").at("service_node_states")) {
        NodeInfo n;
        n.ed_hex = s.at("pubkey_ed25519").get<std::string>();
        n.ed = key_from_hex(n.ed_hex);
        n.x = key_from_hex(s.at("pubkey_x25519").get<std::string>());
        n.port = s.at("storage_port").get<std::uint16_t>();
        n.swarm_id = s.at("swarm_id").get<std::uint64_t>();
        out.push_back(n);
    }
    return out;
}

std::uint64_t swarm_of(const std::string& session_id, const std::vector<NodeInfo>& nodes) {
    auto raw = unhex(session_id);
    if (!raw || raw->size() != 33) throw std::invalid_argument{"bad session id"};
    std::uint64_t space = 0;
    for (std::size_t i = 1; i < 33; i += 8) {
        std::uint64_t w = 0;
        for (std::size_t k = 0; k < 8; ++k) w = w << 8 | static_cast<unsigned char>((*raw)[i + k]);
        space ^= w;
    }
    std::vector<std::uint64_t> ids;
    for (const auto& n : nodes) ids.push_back(n.swarm_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() == 1) return ids[0];
    // Closest id with wrap-around distance; a tie goes to the lower ("left") neighbour.
    auto right = std::lower_bound(ids.begin(), ids.end(), space);
    if (right == ids.end()) right = ids.begin();
    auto left = right == ids.begin() ? ids.end() - 1 : right - 1;
    return *right - space < space - *left ? *right : *left;
}

// ------------------------------------------------------------------------------------------------

OnionRequest build_onion_raw(const std::vector<NodeInfo>& path, const NodeInfo& dest,
                             std::string_view dest_plaintext, const OnionOptions& opts) {
    if (path.empty()) throw std::invalid_argument{"a path needs at least one node"};
    const char* enc_name = opts.enc == Enc::xchacha20 ? "xchacha20" : "aes-gcm";
    std::size_t layer = 0;
    auto next_ephemeral = [&](Key32& sk, Key32& pk) {
        if (layer < opts.ephemeral_secrets.size())
            sk = opts.ephemeral_secrets[layer];
        else
            randombytes_buf(sk.data(), sk.size());
        crypto_scalarmult_base(pk.data(), sk.data());
    };
    auto next_nonce = [&]() {
        return layer < opts.nonces.size() ? opts.nonces[layer] : std::string{};
    };

    OnionRequest req;
    req.enc = opts.enc;
    Key32 sk, pk;
    next_ephemeral(sk, pk);
    req.reply_key = layer_key(opts.enc, sk, pk, dest.x);
    std::string blob = seal(opts.enc, req.reply_key, dest_plaintext, next_nonce());
    ++layer;
    Key32 inner_pk = pk;
    const NodeInfo* inner_node = &dest;

    for (auto hop = path.rbegin(); hop != path.rend(); ++hop) {
        json control{{"destination", inner_node->ed_hex}, {"ephemeral_key", hex(inner_pk)}};
        if (!opts.omit_enc_type) control["enc_type"] = enc_name;
        std::string plaintext = le32(blob.size()) + blob + control.dump();
        next_ephemeral(sk, pk);
        auto key = layer_key(opts.enc, sk, pk, hop->x);
        blob = seal(opts.enc, key, plaintext, next_nonce());
        ++layer;
        inner_pk = pk;
        inner_node = &*hop;
    }
    json outer{{"ephemeral_key", hex(inner_pk)}};
    if (!opts.omit_enc_type) outer["enc_type"] = enc_name;
    if (opts.hop_no) outer["hop_no"] = *opts.hop_no;
    req.body = le32(blob.size()) + blob + outer.dump();
    sodium_memzero(sk.data(), sk.size());
    return req;
}

OnionRequest build_onion(const std::vector<NodeInfo>& path, const NodeInfo& dest,
                         std::string_view payload, const OnionOptions& opts) {
    std::string plaintext = le32(payload.size()) + std::string{payload} + R"({"headers":""})";
    return build_onion_raw(path, dest, plaintext, opts);
}

std::optional<std::string> decrypt_reply(const OnionRequest& req, std::string_view body_b64) {
    auto raw = unb64(body_b64);
    if (!raw) return std::nullopt;
    return open(req.enc, req.reply_key, *raw);
}

}  // namespace devnet_client
