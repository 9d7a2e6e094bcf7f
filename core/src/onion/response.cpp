#include "st/onion/response.hpp"

#include "../rpc/json_access.hpp"
#include "st/rpc/status.hpp"

namespace st::onion {

namespace detail = rpc::detail;

namespace {

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

Unexpected<Error> bad(std::string what) { return fail(kBadResponse, std::move(what)); }

}  // namespace

Result<Bytes> open_snode_response(const SymmetricKey& key, ByteView http_body) {
    std::string_view text = trim(as_chars(http_body));
    std::string b64;
    if (!text.empty() && text.front() == '{') {  // legacy {"result": "<b64>"}
        auto j = detail::parse_json(text);
        auto result = j ? detail::string_member(*j, "result") : std::nullopt;
        if (!result) return bad("the onion reply is JSON without a \"result\" text");
        b64 = std::move(*result);
    } else {
        b64 = std::string(text);
    }
    auto sealed = from_base64(b64);
    if (!sealed) return bad("the onion reply is not base64");
    return decrypt(key, *sealed);
}

Result<SnodeReply> parse_snode_reply(std::string_view plaintext) {
    auto j = detail::parse_json(plaintext);
    if (!j || !j->is_object()) return bad("the decrypted onion reply is not a JSON object");
    auto status = detail::int64_member(*j, "status");
    if (!status) status = detail::int64_member(*j, "status_code");
    if (!status || *status < 100 || *status > 999)
        return bad("the decrypted onion reply has no valid status");
    SnodeReply out;
    out.status = static_cast<int>(*status);
    if (const auto* body = detail::member(*j, "body")) out.body = detail::text_of(*body);
    return out;
}

Result<SnodeReply> decode_snode_response(const SymmetricKey& key, ByteView http_body) {
    auto plain = open_snode_response(key, http_body);
    if (!plain) return Unexpected<Error>(std::move(plain).error());
    return parse_snode_reply(as_chars(*plain));
}

namespace {

// Reads "<decimal length>:<bytes>" at `pos`.
std::optional<ByteView> bstring(ByteView in, std::size_t& pos) {
    std::size_t len = 0, digits = 0;
    while (pos < in.size() && in[pos] >= '0' && in[pos] <= '9') {
        if (digits == 0 && in[pos] == '0' && pos + 1 < in.size() && in[pos + 1] != ':')
            return std::nullopt;  // no leading zeros
        if (++digits > 9) return std::nullopt;
        len = len * 10 + static_cast<std::size_t>(in[pos] - '0');
        ++pos;
    }
    if (digits == 0 || pos >= in.size() || in[pos] != ':') return std::nullopt;
    ++pos;
    if (len > in.size() - pos) return std::nullopt;
    ByteView out = in.subspan(pos, len);
    pos += len;
    return out;
}

}  // namespace

Result<V4Response> parse_v4_response(ByteView in) {
    if (in.size() < 2 || in.front() != 'l' || in.back() != 'e')
        return bad("a v4 reply is not a bencoded list");
    const ByteView inner = in.subspan(1, in.size() - 2);
    std::size_t pos = 0;
    auto meta = bstring(inner, pos);
    if (!meta) return bad("a v4 reply's first element is not a byte string");
    std::optional<ByteView> body;
    if (pos < inner.size()) {
        body = bstring(inner, pos);
        if (!body) return bad("a v4 reply's second element is not a byte string");
    }
    if (pos != inner.size()) return bad("a v4 reply has more than two elements");
    auto j = detail::parse_json(as_chars(*meta));
    if (!j || !j->is_object()) return bad("a v4 reply's metadata is not a JSON object");
    auto code = detail::int64_member(*j, "code");
    if (!code || *code < 100 || *code > 999) return bad("a v4 reply has no valid code");
    V4Response out;
    out.code = static_cast<int>(*code);
    if (const auto* headers = detail::member(*j, "headers")) {
        if (!headers->is_object()) return bad("a v4 reply's headers are not an object");
        for (const auto& [name, value] : headers->items())
            out.headers.emplace_back(name, detail::text_of(value));
    }
    if (body) out.body.assign(body->begin(), body->end());
    return out;
}

Result<V4Response> decode_v4_response(const SymmetricKey& key, ByteView http_body) {
    auto plain = decrypt(key, http_body);
    if (!plain) return Unexpected<Error>(std::move(plain).error());
    return parse_v4_response(*plain);
}

GuardError classify_guard_error(int http_status, std::string_view body) {
    body = trim(body);
    auto named_node = [&](std::string_view prefix) -> std::optional<crypto::Ed25519PublicKey> {
        auto at = body.find(prefix);
        if (at == std::string_view::npos) return std::nullopt;
        std::string_view rest = trim(body.substr(at + prefix.size()));
        if (rest.size() < 64) return std::nullopt;
        auto key = crypto::Ed25519PublicKey::from_hex(rest.substr(0, 64));
        if (!key) return std::nullopt;
        return *key;
    };
    GuardError e;
    if (http_status == 406 || http_status == 425) {
        e.kind = GuardFailure::clock_out_of_sync;
    } else if (http_status == 502) {
        if (auto n = named_node("Next node not found:")) {
            e = {GuardFailure::node_not_found, n};
        } else if (auto m = named_node("Next node is currently unreachable:")) {
            e = {GuardFailure::node_not_found, m};
        } else if (body.find("oxend returned unparsable data") != std::string_view::npos) {
            e.kind = GuardFailure::destination_failed;
        }
    } else if (http_status == 503) {
        if (auto n = named_node("Snode not ready:")) e = {GuardFailure::node_not_ready, n};
    } else if (http_status == 504) {
        e.kind = GuardFailure::timeout;
    } else if (http_status == 400 && body.find("Invalid ciphertext") != std::string_view::npos) {
        e.kind = GuardFailure::invalid_ciphertext;
    }
    return e;
}

}  // namespace st::onion
