// Byte buffers and their text encodings (hex, base64) as used on the Session wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/error.hpp"

namespace st {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(std::string_view s) {
    auto v = as_bytes(s);
    return {v.begin(), v.end()};
}

// Lowercase hex, as Session IDs and keys are written.
std::string to_hex(ByteView bytes);

// Accepts upper- and lowercase digits; errors: "hex.odd_length", "hex.bad_digit".
Result<Bytes> from_hex(std::string_view hex);

// Decodes exactly out.size() bytes into a caller-owned buffer (used for secrets, so no temporary
// copy is left behind). Errors: "hex.bad_length" (with the expected digit count), "hex.bad_digit".
Result<void> from_hex_into(std::string_view hex, std::span<std::uint8_t> out);

// Standard alphabet (A–Z a–z 0–9 + /) with '=' padding: the encoding of a store request's `data`.
std::string to_base64(ByteView bytes);

// Strict decoder for the standard alphabet. Padding is optional but, when present, must be
// correct; whitespace is not accepted. Errors: "base64.bad_length", "base64.bad_character",
// "base64.bad_padding".
Result<Bytes> from_base64(std::string_view text);

}  // namespace st
