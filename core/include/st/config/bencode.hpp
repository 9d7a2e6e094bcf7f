// A strict bencode codec (BitTorrent encoding, as written by oxen-encoding's bt_serialize), the
// byte format of every config message (docs/config.md §1).
//
//   integer   i<decimal>e        no leading zeros, no "-0", fits in int64
//   string    <length>:<bytes>   length in decimal without leading zeros; bytes are arbitrary
//   list      l<values>e
//   dict      d(<string key><value>)*e   keys strictly ascending as unsigned bytes, no duplicates
//
// Config messages are hashed byte for byte, so there is exactly one encoding of every value:
// encode() writes it, and decode() refuses anything else (unsorted or duplicate keys, leading
// zeros, "-0", "i-e", trailing bytes), so that decode(x) succeeding implies encode(decode(x)) == x.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::config::bt {

struct Value;
using List = std::vector<Value>;
// std::string holds arbitrary bytes; its ordering (char_traits<char>::lt compares as unsigned
// char) is exactly bencode's key order.
using Dict = std::map<std::string, Value>;

struct Value {
    std::variant<std::int64_t, std::string, List, Dict> v;

    Value() : v(std::int64_t{0}) {}
    Value(std::int64_t i) : v(i) {}
    Value(int i) : v(std::int64_t{i}) {}
    Value(std::string s) : v(std::move(s)) {}
    Value(std::string_view s) : v(std::string(s)) {}
    Value(const char* s) : v(std::string(s)) {}
    Value(List l) : v(std::move(l)) {}
    Value(Dict d) : v(std::move(d)) {}

    bool is_int() const { return v.index() == 0; }
    bool is_string() const { return v.index() == 1; }
    bool is_list() const { return v.index() == 2; }
    bool is_dict() const { return v.index() == 3; }
    bool is_scalar() const { return v.index() <= 1; }

    const std::int64_t* as_int() const { return std::get_if<std::int64_t>(&v); }
    const std::string* as_string() const { return std::get_if<std::string>(&v); }
    const List* as_list() const { return std::get_if<List>(&v); }
    const Dict* as_dict() const { return std::get_if<Dict>(&v); }
    std::string* as_string() { return std::get_if<std::string>(&v); }
    List* as_list() { return std::get_if<List>(&v); }
    Dict* as_dict() { return std::get_if<Dict>(&v); }

    bool operator==(const Value& o) const { return v == o.v; }
    bool operator!=(const Value& o) const { return !(v == o.v); }
    // Ints before strings before lists before dicts; within a kind, natural order (the order of
    // a config "set", see st/config/message.hpp).
    bool operator<(const Value& o) const { return v < o.v; }
};

// Error codes of decode().
inline constexpr std::string_view kErrTruncated = "bencode.truncated";
inline constexpr std::string_view kErrMalformed = "bencode.malformed";
inline constexpr std::string_view kErrNotCanonical = "bencode.not_canonical";
inline constexpr std::string_view kErrTooDeep = "bencode.too_deep";
inline constexpr std::string_view kErrTrailing = "bencode.trailing_bytes";

// Nesting deeper than this is refused: config data is at most ~6 levels deep (contacts: message ->
// "<" -> row -> diff -> "c" -> id -> field), and a bound keeps hostile input off the stack.
inline constexpr std::size_t kMaxDepth = 32;

// Canonical encoding. Never fails.
void encode_into(std::string& out, const Value& value);
std::string encode(const Value& value);
Bytes encode_bytes(const Value& value);

// Decodes exactly one value spanning all of `bytes`.
// Errors: bencode.truncated (input ends inside a value), bencode.malformed (not bencode, or an
// integer outside int64), bencode.not_canonical (valid bencode with another encoding than
// encode() would write: unsorted/duplicate keys, leading zeros, "-0"), bencode.too_deep (more
// than max_depth nested lists/dicts), bencode.trailing_bytes. Allocation is bounded by the
// input's size (every value consumes at least one input byte).
Result<Value> decode(ByteView bytes, std::size_t max_depth = kMaxDepth);
Result<Value> decode(std::string_view bytes, std::size_t max_depth = kMaxDepth);

}  // namespace st::config::bt
