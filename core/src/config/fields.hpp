// Private helpers of the typed config views: reading and writing single fields of a data dict
// the way libsession-util's setters do (src/config/internal.cpp: set_flag, set_nonzero_int,
// set_positive_int, set_nonempty_str, set_pair_if), so both write the same keys for the same
// values and a value equal to the default is absent rather than written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/config/bencode.hpp"
#include "st/crypto/session_id.hpp"

namespace st::config::fields {

inline std::optional<std::int64_t> get_int(const bt::Dict& d, const std::string& key) {
    auto it = d.find(key);
    if (it == d.end() || !it->second.as_int()) return std::nullopt;
    return *it->second.as_int();
}
inline std::int64_t int_or_0(const bt::Dict& d, const std::string& key) {
    return get_int(d, key).value_or(0);
}
inline std::optional<std::string> get_str(const bt::Dict& d, const std::string& key) {
    auto it = d.find(key);
    if (it == d.end() || !it->second.as_string()) return std::nullopt;
    return *it->second.as_string();
}
inline const bt::Dict* get_dict(const bt::Dict& d, const std::string& key) {
    auto it = d.find(key);
    return it == d.end() ? nullptr : it->second.as_dict();
}
// The dict at `key`, created (replacing a value of another kind) if needed.
inline bt::Dict& dict_at(bt::Dict& d, const std::string& key) {
    auto& v = d[key];
    if (!v.as_dict()) v = bt::Value(bt::Dict{});
    return *v.as_dict();
}

inline void set_flag(bt::Dict& d, const std::string& key, bool on) {
    if (on)
        d[key] = bt::Value(std::int64_t{1});
    else
        d.erase(key);
}
inline void set_nonzero_int(bt::Dict& d, const std::string& key, std::int64_t v) {
    if (v != 0)
        d[key] = bt::Value(v);
    else
        d.erase(key);
}
inline void set_positive_int(bt::Dict& d, const std::string& key, std::int64_t v) {
    if (v > 0)
        d[key] = bt::Value(v);
    else
        d.erase(key);
}
inline void set_nonempty_str(bt::Dict& d, const std::string& key, std::string_view v) {
    if (!v.empty())
        d[key] = bt::Value(std::string(v));
    else
        d.erase(key);
}

// Removes d[section][key]; false if there was nothing to remove.
inline bool erase_in(bt::Dict& d, const std::string& section, const std::string& key) {
    auto it = d.find(section);
    return it != d.end() && it->second.as_dict() && it->second.as_dict()->erase(key) != 0;
}

// A 1:1 conversation or contact is keyed by the 33 raw bytes of the Session ID (05 + the X25519
// key), not its hex (measured against libsession-util; docs/config.md §7).
inline std::string key_of(const crypto::SessionId& id) {
    const Bytes b = id.bytes();
    return std::string(b.begin(), b.end());
}
// The Session ID of such a key; nullopt for keys that are not one (kept, never listed).
inline std::optional<crypto::SessionId> id_of(const std::string& key) {
    if (key.size() != 33 || static_cast<std::uint8_t>(key[0]) != 0x05) return std::nullopt;
    auto parsed = crypto::SessionId::parse(to_hex(as_bytes(key)));
    if (!parsed) return std::nullopt;
    return *parsed;
}

// The longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 sequence.
inline std::string utf8_truncate(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n));
}

}  // namespace st::config::fields
