// Strict bencode (docs/config.md §1). The decoder recurses once per nested list/dict, bounded by
// max_depth, so hostile input cannot exhaust the C++ stack.
#include "st/config/bencode.hpp"

#include <limits>

// GCC 12 reports a std::variant alternative of a freshly built Value as "maybe uninitialized"
// when it is moved into a Result (a known false positive of its variant analysis).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace st::config::bt {

namespace {

void encode_string(std::string& out, std::string_view s) {
    out += std::to_string(s.size());
    out += ':';
    out.append(s.data(), s.size());
}

}  // namespace

void encode_into(std::string& out, const Value& value) {
    if (const auto* i = value.as_int()) {
        out += 'i';
        out += std::to_string(*i);
        out += 'e';
    } else if (const auto* s = value.as_string()) {
        encode_string(out, *s);
    } else if (const auto* l = value.as_list()) {
        out += 'l';
        for (const auto& e : *l) encode_into(out, e);
        out += 'e';
    } else if (const auto* d = value.as_dict()) {
        out += 'd';
        for (const auto& [k, e] : *d) {
            encode_string(out, k);
            encode_into(out, e);
        }
        out += 'e';
    }
}

std::string encode(const Value& value) {
    std::string out;
    encode_into(out, value);
    return out;
}

Bytes encode_bytes(const Value& value) {
    auto s = encode(value);
    return Bytes(s.begin(), s.end());
}

namespace {

class Decoder {
public:
    Decoder(std::string_view in, std::size_t max_depth) : in_(in), max_depth_(max_depth) {}

    Result<Value> run() {
        auto v = value(0);
        if (!v) return v;
        if (pos_ != in_.size())
            return fail(kErrTrailing, std::to_string(in_.size() - pos_) +
                                          " bytes follow the bencoded value");
        return v;
    }

private:
    Result<Value> value(std::size_t depth) {
        if (pos_ >= in_.size()) return fail(kErrTruncated, "the input ends where a value should start");
        const char c = in_[pos_];
        if (c == 'i') return integer();
        if (c >= '0' && c <= '9') {
            auto s = string();
            if (!s) return Unexpected<Error>(std::move(s).error());
            return Value(std::move(*s));
        }
        if (c == 'l' || c == 'd') {
            if (depth >= max_depth_)
                return fail(kErrTooDeep, "lists and dicts nest deeper than " +
                                             std::to_string(max_depth_) + " levels");
            ++pos_;
            if (c == 'l') {
                List list;
                while (true) {
                    if (pos_ >= in_.size()) return fail(kErrTruncated, "a list is not closed");
                    if (in_[pos_] == 'e') break;
                    auto e = value(depth + 1);
                    if (!e) return e;
                    list.push_back(std::move(*e));
                }
                ++pos_;
                return Value(std::move(list));
            }
            Dict dict;
            while (true) {
                if (pos_ >= in_.size()) return fail(kErrTruncated, "a dict is not closed");
                if (in_[pos_] == 'e') break;
                if (in_[pos_] < '0' || in_[pos_] > '9')
                    return fail(kErrMalformed, "a dict key is not a string");
                auto k = string();
                if (!k) return Unexpected<Error>(std::move(k).error());
                if (!dict.empty() && !(dict.rbegin()->first < *k))
                    return fail(kErrNotCanonical, "dict keys are not in strictly ascending order");
                auto e = value(depth + 1);
                if (!e) return e;
                dict.emplace_hint(dict.end(), std::move(*k), std::move(*e));
            }
            ++pos_;
            return Value(std::move(dict));
        }
        return fail(kErrMalformed, "unexpected byte at offset " + std::to_string(pos_));
    }

    Result<Value> integer() {
        ++pos_;  // 'i'
        bool negative = false;
        if (pos_ < in_.size() && in_[pos_] == '-') {
            negative = true;
            ++pos_;
        }
        const std::size_t start = pos_;
        // Accumulate as a negative number so INT64_MIN fits.
        std::int64_t acc = 0;
        while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
            const int d = in_[pos_] - '0';
            if (acc < (std::numeric_limits<std::int64_t>::min() + d) / 10)
                return fail(kErrMalformed, "an integer does not fit in 64 bits");
            acc = acc * 10 - d;
            ++pos_;
        }
        if (pos_ >= in_.size()) return fail(kErrTruncated, "an integer is not closed");
        if (in_[pos_] != 'e') return fail(kErrMalformed, "an integer holds a non-digit");
        const std::size_t digits = pos_ - start;
        if (digits == 0) return fail(kErrMalformed, "an integer has no digits");
        if (digits > 1 && in_[start] == '0')
            return fail(kErrNotCanonical, "an integer has a leading zero");
        if (negative && acc == 0) return fail(kErrNotCanonical, "an integer is written \"-0\"");
        if (!negative && acc == std::numeric_limits<std::int64_t>::min())
            return fail(kErrMalformed, "an integer does not fit in 64 bits");
        ++pos_;  // 'e'
        return Value(negative ? acc : -acc);
    }

    Result<std::string> string() {
        const std::size_t start = pos_;
        std::size_t len = 0;
        while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
            // Any length beyond the input is refused below; stop counting before overflow.
            if (len > in_.size()) return fail(kErrTruncated, "a string is longer than the input");
            len = len * 10 + static_cast<std::size_t>(in_[pos_] - '0');
            ++pos_;
        }
        if (pos_ >= in_.size()) return fail(kErrTruncated, "a string length is not closed");
        if (in_[pos_] != ':') return fail(kErrMalformed, "a string length holds a non-digit");
        if (pos_ - start > 1 && in_[start] == '0')
            return fail(kErrNotCanonical, "a string length has a leading zero");
        ++pos_;
        if (len > in_.size() - pos_) return fail(kErrTruncated, "a string is longer than the input");
        std::string s(in_.substr(pos_, len));
        pos_ += len;
        return s;
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    std::size_t max_depth_;
};

}  // namespace

Result<Value> decode(std::string_view bytes, std::size_t max_depth) {
    return Decoder(bytes, max_depth).run();
}

Result<Value> decode(ByteView bytes, std::size_t max_depth) {
    return decode(as_chars(bytes), max_depth);
}

}  // namespace st::config::bt
