// Small helpers shared by the devnet: hex/base64 with the storage server's acceptance rules,
// epoch-millisecond clocks and integer parsing. Bytes are carried in std::string, as the real
// storage server does, so they can move between JSON, SQLite and libsodium without conversions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace devnet {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using namespace std::chrono_literals;

inline std::int64_t to_epoch_ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_epoch_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

// Lowercase hex.
std::string to_hex(std::string_view bytes);
bool is_hex(std::string_view text);
// Decodes upper- or lowercase hex; nullopt on odd length or a non-hex digit.
std::optional<std::string> from_hex(std::string_view hex);

// Standard alphabet with '=' padding.
std::string to_base64(std::string_view bytes);
// Standard alphabet without padding (message hashes are written this way).
std::string to_base64_unpadded(std::string_view bytes);
// The storage server's rule (oxenc::is_base64): only alphabet characters; 1 or 2 '=' only at the
// end and only when they make the length a multiple of 4; never a length of 4n+1.
bool is_base64(std::string_view text);
// Decodes text that passed is_base64 (trailing bits of a final partial group are dropped).
std::string from_base64(std::string_view text);

// Whole-string base-10 parse (no sign for unsigned, no spaces, no trailing junk).
bool parse_int(std::string_view text, std::int64_t& out);
bool parse_uint(std::string_view text, std::uint64_t& out);

}  // namespace devnet
