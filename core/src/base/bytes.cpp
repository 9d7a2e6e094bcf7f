#include "st/base/bytes.hpp"

#include <array>

namespace st {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr std::array<std::int8_t, 256> make_base64_table() {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}
constexpr auto kBase64Table = make_base64_table();

}  // namespace

std::string to_hex(ByteView bytes) {
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = kHexDigits[bytes[i] >> 4];
        out[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
    }
    return out;
}

Result<void> from_hex_into(std::string_view hex, std::span<std::uint8_t> out) {
    if (hex.size() != out.size() * 2)
        return fail("hex.bad_length", "expected " + std::to_string(out.size() * 2) +
                                          " hex digits, got " + std::to_string(hex.size()));
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return fail("hex.bad_digit", "hex text has a character that is not a hex digit at position " +
                                             std::to_string(hi < 0 ? 2 * i + 1 : 2 * i + 2));
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return {};
}

Result<Bytes> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0)
        return fail("hex.odd_length", "hex text has an odd number of digits");
    Bytes out(hex.size() / 2);
    if (auto r = from_hex_into(hex, out); !r) return Unexpected<Error>(std::move(r).error());
    return out;
}

std::string to_base64(ByteView bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = std::uint32_t(bytes[i]) << 16 | std::uint32_t(bytes[i + 1]) << 8 | bytes[i + 2];
        out += kBase64Alphabet[v >> 18];
        out += kBase64Alphabet[(v >> 12) & 63];
        out += kBase64Alphabet[(v >> 6) & 63];
        out += kBase64Alphabet[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest) {
        std::uint32_t v = std::uint32_t(bytes[i]) << 16 | (rest == 2 ? std::uint32_t(bytes[i + 1]) << 8 : 0);
        out += kBase64Alphabet[v >> 18];
        out += kBase64Alphabet[(v >> 12) & 63];
        out += rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

Result<Bytes> from_base64(std::string_view text) {
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') ++padding;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
    if (padding && text.size() % 4 != 0)
        return fail("base64.bad_padding", "base64 text has '=' padding but its length is not a multiple of 4");
    std::string_view digits = text.substr(0, text.size() - padding);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (kBase64Table[static_cast<unsigned char>(digits[i])] < 0)
            return fail("base64.bad_character",
                        "base64 text has an invalid character at position " + std::to_string(i + 1));
    }
    if (digits.size() % 4 == 1)
        return fail("base64.bad_length", "base64 text has an impossible length");

    Bytes out;
    out.reserve(digits.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        int v = kBase64Table[static_cast<unsigned char>(digits[i])];
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    // Leftover bits of the final quantum must be zero, otherwise the text is not canonical and two
    // different strings would decode to the same bytes.
    if (acc != 0)
        return fail("base64.bad_padding", "base64 text has non-zero bits after its last byte");
    return out;
}

}  // namespace st
