#include "util.hpp"

#include <array>
#include <charconv>

namespace devnet {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr std::array<int, 256> make_b64_table() {
    std::array<int, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kB64[i])] = i;
    return t;
}
constexpr auto kB64Table = make_b64_table();

std::string encode_b64(std::string_view bytes, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += kB64[v >> 18 & 63];
        out += kB64[v >> 12 & 63];
        out += kB64[v >> 6 & 63];
        out += kB64[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        unsigned v = byte(i) << 16;
        out += kB64[v >> 18 & 63];
        out += kB64[v >> 12 & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8;
        out += kB64[v >> 18 & 63];
        out += kB64[v >> 12 & 63];
        out += kB64[v >> 6 & 63];
        if (pad) out += '=';
    }
    return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = kHex[b >> 4];
        out[2 * i + 1] = kHex[b & 15];
    }
    return out;
}

bool is_hex(std::string_view text) {
    if (text.size() % 2 != 0) return false;
    for (char c : text)
        if (hex_value(c) < 0) return false;
    return true;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (!is_hex(hex)) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
    return out;
}

std::string to_base64(std::string_view bytes) { return encode_b64(bytes, true); }
std::string to_base64_unpadded(std::string_view bytes) { return encode_b64(bytes, false); }

bool is_base64(std::string_view text) {
    if (text.size() % 4 == 1) return false;
    if (!text.empty() && text.size() % 4 == 0) {
        if (text.back() == '=') text.remove_suffix(1);
        if (!text.empty() && text.back() == '=') text.remove_suffix(1);
    }
    for (char c : text)
        if (kB64Table[static_cast<unsigned char>(c)] < 0) return false;
    return true;
}

std::string from_base64(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = kB64Table[static_cast<unsigned char>(c)];
        if (v < 0) break;
        acc = (acc << 6 | static_cast<unsigned>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(acc >> bits & 0xff);
        }
    }
    return out;
}

bool parse_int(std::string_view text, std::int64_t& out) {
    if (text.empty()) return false;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && p == text.data() + text.size();
}

bool parse_uint(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text[0] == '-') return false;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && p == text.data() + text.size();
}

}  // namespace devnet
