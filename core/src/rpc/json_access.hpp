// Private to core/src: careful readers of untrusted JSON (what a service node, a seed or an onion
// reply says). nlohmann throws on a type mismatch; these helpers check first and return
// std::nullopt instead, and integers are only ever read as integers (never through double, so a
// uint64 swarm id keeps all its bits).
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace st::rpc::detail {

using json = nlohmann::json;

// Bodies larger than this are refused before parsing: a retrieve answer is at most 7.8 MB
// (protocol.md §5.6), a full snode list is far smaller.
inline constexpr std::size_t kMaxJsonBody = 16 * 1024 * 1024;
// Nothing a node sends nests deeper than a handful of levels. nlohmann parses iteratively but
// serialises and copies recursively, so deeper input is refused before it can exhaust the stack.
inline constexpr int kMaxJsonDepth = 32;

// True when no array/object nests deeper than max_depth (brackets inside strings don't count).
inline bool depth_within(std::string_view text, int max_depth) {
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
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

// Parses without exceptions; a discarded value (invalid JSON, invalid UTF-8) becomes nullopt.
inline std::optional<json> parse_json(std::string_view text) {
    if (text.size() > kMaxJsonBody || !depth_within(text, kMaxJsonDepth)) return std::nullopt;
    try {
        json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded()) return std::nullopt;
        return j;
    } catch (...) {
        return std::nullopt;
    }
}

inline const json* member(const json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

inline std::optional<std::int64_t> as_int64(const json& v) {
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) return v.get<std::int64_t>();
    return std::nullopt;
}

inline std::optional<std::uint64_t> as_uint64(const json& v) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer()) {
        auto i = v.get<std::int64_t>();
        if (i < 0) return std::nullopt;
        return static_cast<std::uint64_t>(i);
    }
    return std::nullopt;
}

inline std::optional<std::int64_t> int64_member(const json& obj, std::string_view key) {
    const json* v = member(obj, key);
    return v ? as_int64(*v) : std::nullopt;
}

inline std::optional<std::string> string_member(const json& obj, std::string_view key) {
    const json* v = member(obj, key);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
}

inline bool bool_member(const json& obj, std::string_view key) {
    const json* v = member(obj, key);
    return v && v->is_boolean() && v->get<bool>();
}

// A JSON value as text: strings as their contents, anything else serialised. Never throws
// (values produced by our parser are valid UTF-8, but be defensive).
inline std::string text_of(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    try {
        return v.dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (...) {
        return {};
    }
}

}  // namespace st::rpc::detail
