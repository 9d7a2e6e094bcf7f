#include "ons.hpp"

#include <sodium.h>

#include <array>

#include "util.hpp"

namespace devnet {
namespace {

using json = nlohmann::json;

// oxen-core's mapping types: session = 0, wallet = 1, lokinet = 2, then the lokinet renewal
// lengths 3..5 (only accepted when buying); anything from 6 on is not a type at all.
constexpr int kMappingTypeCount = 6;

std::string blake2b_256(std::string_view data, std::string_view key = {}) {
    std::array<unsigned char, 32> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), reinterpret_cast<const unsigned char*>(key.data()),
                       key.size());
    return {reinterpret_cast<const char*>(out.data()), out.size()};
}

// oxend's name_hash_input_to_base64: 32 raw bytes, 64 hex digits, or 43/44 base64 characters that
// decode to 32 bytes; the canonical form is padded base64.
std::optional<std::string> name_hash_key(std::string_view input) {
    if (input.size() == 32) return to_base64(input);
    if (input.size() == 64 && is_hex(input)) return to_base64(*from_hex(input));
    if ((input.size() == 43 || input.size() == 44) && is_base64(input)) {
        auto raw = from_base64(input);
        if (raw.size() == 32) return to_base64(raw);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> OnsRegistry::session_name(std::string_view name, std::string* reason) {
    std::string lower{name};
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    auto why = [&](std::string text) -> std::optional<std::string> {
        if (reason) *reason = std::move(text);
        return std::nullopt;
    };
    if (lower.empty() || lower.size() > 64)
        return why("ONS session name '" + lower + "' (length=" + std::to_string(lower.size()) +
                   ") is invalid: session names must be between 1 and 64 characters long");
    for (char c : lower)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return why("Invalid ONS session name '" + lower +
                       "': only a-z, 0-9, _, and - are permitted");
    if (lower.front() == '-' || lower.back() == '-')
        return why("Invalid ONS session name '" + lower +
                   "': names may not begin or end with a hyphen ('-')");
    return lower;
}

bool OnsRegistry::valid_session_id(std::string_view hex) {
    return hex.size() == 66 && is_hex(hex) && hex.substr(0, 2) == "05";
}

bool OnsRegistry::add(std::string_view name, std::string_view session_id_hex,
                      std::string* reason) {
    auto lower = session_name(name, reason);
    if (!lower) return false;
    if (!valid_session_id(session_id_hex)) {
        if (reason)
            *reason = "'" + std::string{session_id_hex} +
                      "' is not a Session ID (66 hex digits starting with 05)";
        return false;
    }
    std::string id_hex{session_id_hex};
    for (char& c : id_hex)
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    const std::string plain = *from_hex(id_hex);
    const std::string name_hash = blake2b_256(*lower);
    const std::string key = blake2b_256(*lower, name_hash);

    Record rec;
    rec.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    randombytes_buf(rec.nonce.data(), rec.nonce.size());
    rec.value.resize(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char*>(rec.value.data()), &len,
        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nullptr, 0, nullptr,
        reinterpret_cast<const unsigned char*>(rec.nonce.data()),
        reinterpret_cast<const unsigned char*>(key.data()));
    rec.value.resize(len);
    records_[to_base64(name_hash)] = std::move(rec);
    names_[*lower] = std::move(id_hex);
    return true;
}

OnsRegistry::Answer OnsRegistry::resolve(const json& params) const {
    Answer out;
    const json p = params.is_object() ? params : json::object();
    // oxend reads "type" as an integer (default 0 when absent) and "name_hash" as a string.
    int type = 0;
    if (auto it = p.find("type"); it != p.end()) {
        if (!it->is_number_integer()) {
            out.error = "Unable to resolve ONS address: 'type' parameter not specified";
            return out;
        }
        const auto t = it->get<std::int64_t>();
        type = (t < 0 || t >= kMappingTypeCount) ? -1 : static_cast<int>(t);
    }
    if (type < 0) {
        out.error = "Unable to resolve ONS address: 'type' parameter not specified";
        return out;
    }
    std::string name_hash;
    if (auto it = p.find("name_hash"); it != p.end() && it->is_string())
        name_hash = it->get<std::string>();
    auto key = name_hash_key(name_hash);
    if (!key) {
        out.error = "Unable to resolve ONS address: invalid 'name_hash' value '" + name_hash + "'";
        return out;
    }
    if (type > 2) {
        out.error = "Invalid lokinet type '" + std::to_string(type) + "'";
        return out;
    }
    json result = json::object();
    if (type == 0)  // only Session names are registered here
        if (auto it = records_.find(*key); it != records_.end()) {
            result["encrypted_value"] = to_hex(it->second.value);
            result["nonce"] = to_hex(it->second.nonce);
        }
    out.result = std::move(result);
    return out;
}

}  // namespace devnet
