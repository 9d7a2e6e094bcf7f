#include "text.hpp"

#include <algorithm>
#include <cstdint>

namespace st::app::text {

std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string short_id(const std::string& session_id) {
    if (session_id.size() < 12) return session_id;
    return session_id.substr(0, 6) + "\xE2\x80\xA6" + session_id.substr(session_id.size() - 4);
}

std::string preview_of(std::string_view body) {
    auto line = body.substr(0, body.find('\n'));
    if (line.size() > 120) {
        std::size_t cut = 120;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        return std::string(line.substr(0, cut)) + "\xE2\x80\xA6";
    }
    return std::string(line);
}

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is not well-formed
// (overlong forms, surrogates and values past U+10FFFF included).
std::size_t decode_one(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return 0;
    cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_hidden_or_control(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

}  // namespace

std::string sanitize_name(std::string_view name, std::size_t max_chars) {
    std::string out;
    out.reserve(std::min(name.size(), max_chars * 4));
    std::size_t chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < max_chars;) {
        char32_t cp = 0;
        const std::size_t len = decode_one(name, i, cp);
        if (len == 0) {
            ++i;
            continue;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            out.push_back(' ');
            ++chars;
        } else if (!is_hidden_or_control(cp)) {
            out.append(name.substr(i, len));
            ++chars;
        }
        i += len;
    }
    return trim(out);
}

std::string sentence_case(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

}  // namespace st::app::text
