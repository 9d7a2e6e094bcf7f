// Soft line wrapping for the multi-line input (see soft_wrap.hpp).
#include "widgets/soft_wrap.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

namespace st::ui::detail {
namespace {

// Length of the UTF-8 sequence at `p`. An invalid or cut sequence counts as one byte of
// U+FFFD, so that a '\n' after a broken lead byte is still seen as a line break.
std::size_t code_point_at(std::string_view s, std::size_t p, unsigned int& c) {
    const int n = ImTextCharFromUtf8(&c, s.data() + p, s.data() + s.size());
    const bool replacement_char = n == 3 && s.compare(p, 3, "\xEF\xBF\xBD") == 0;
    if (n <= 0 || (c == IM_UNICODE_CODEPOINT_INVALID && !replacement_char)) {
        c = IM_UNICODE_CODEPOINT_INVALID;
        return 1;
    }
    return static_cast<std::size_t>(n);
}

// Start of the code point that ends right before `p` (p > 0).
std::size_t code_point_before(std::string_view s, std::size_t p) {
    std::size_t q = p - 1;
    // Step back over continuation bytes (10xxxxxx), at most three.
    for (int i = 0; i < 3 && q > 0 && (static_cast<unsigned char>(s[q]) & 0xC0) == 0x80; ++i) --q;
    return q;
}

// Soft breaks of `soft` after an edit at [from, from + removed) that inserted `inserted` bytes.
std::vector<std::size_t> shift_soft(const std::vector<std::size_t>& soft, std::size_t from,
                                    std::size_t removed, std::size_t inserted) {
    std::vector<std::size_t> out;
    out.reserve(soft.size());
    for (const std::size_t s : soft) {
        if (s < from) {
            out.push_back(s);
        } else if (s >= from + removed) {
            out.push_back(s - removed + inserted);
        }
    }
    return out;
}

}  // namespace

WrappedText wrap_text(std::string_view logical, float width, const AdvanceFn& advance) {
    WrappedText out;
    out.width = width;
    out.display.reserve(logical.size() + logical.size() / 16 + 1);
    std::size_t line_start = 0;  // display offset where the current visual line starts
    float line_w = 0;            // its width so far
    std::size_t break_at = 0;    // display offset after the last run of spaces, or 0
    float width_at_break = 0;    // line_w at break_at
    bool after_space = false;
    std::size_t p = 0;
    while (p < logical.size()) {
        unsigned int c = 0;
        const std::size_t n = code_point_at(logical, p, c);
        if (c == '\n') {  // a real line break
            out.display.push_back('\n');
            line_start = out.display.size();
            line_w = 0;
            break_at = 0;
            after_space = false;
            p += n;
            continue;
        }
        const float adv = advance(c);
        if (c == ' ') {
            // Spaces never start a wrap: they stay at the end of the line (and may overhang).
            after_space = true;
        } else {
            if (after_space) {
                break_at = out.display.size();
                width_at_break = line_w;
                after_space = false;
            }
            while (line_w + adv > width && out.display.size() > line_start) {
                if (break_at > line_start) {
                    // Wrap after the spaces: the word being typed moves to the next line.
                    out.display.insert(out.display.begin() + static_cast<std::ptrdiff_t>(break_at),
                                       '\n');
                    out.soft.push_back(break_at);
                    line_start = break_at + 1;
                    line_w -= width_at_break;
                } else {
                    // A word wider than the line: cut it before this code point.
                    out.soft.push_back(out.display.size());
                    out.display.push_back('\n');
                    line_start = out.display.size();
                    line_w = 0;
                }
                break_at = 0;
            }
        }
        out.display.append(logical.substr(p, n));
        line_w += adv;
        p += n;
    }
    return out;
}

std::string unwrap(const WrappedText& text) { return unwrap_range(text, 0, text.display.size()); }

std::string unwrap_range(const WrappedText& text, std::size_t from, std::size_t to) {
    to = std::min(to, text.display.size());
    std::string out;
    if (from >= to) return out;
    out.reserve(to - from);
    std::size_t p = from;
    for (const std::size_t s : text.soft) {
        if (s < from) continue;
        if (s >= to) break;
        out.append(text.display, p, s - p);
        p = s + 1;
    }
    out.append(text.display, p, to - p);
    return out;
}

std::size_t to_logical(const WrappedText& text, std::size_t display_offset) {
    const auto before = std::lower_bound(text.soft.begin(), text.soft.end(), display_offset);
    return display_offset - static_cast<std::size_t>(before - text.soft.begin());
}

std::size_t to_display(const WrappedText& text, std::size_t logical_offset) {
    std::size_t d = logical_offset;
    for (const std::size_t s : text.soft) {
        if (s > d) break;
        ++d;
    }
    return d;
}

Edited follow_edit(const WrappedText& before, std::string_view after, std::size_t caret,
                   bool forward_delete) {
    const std::string_view old = before.display;
    std::size_t prefix = 0;
    const std::size_t common = std::min(old.size(), after.size());
    while (prefix < common && old[prefix] == after[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < common - prefix &&
           old[old.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
        ++suffix;
    }
    Edited e;
    e.from = prefix;
    e.removed = old.size() - prefix - suffix;
    const std::size_t inserted = after.size() - prefix - suffix;
    e.text.width = before.width;
    e.text.display = std::string(after);
    e.text.soft = shift_soft(before.soft, e.from, e.removed, inserted);
    e.caret = std::min(caret, after.size());

    // Only a soft break went: delete the character next to it that the person could see. (A soft
    // break always has text on both sides on its own visual lines, see wrap_text.)
    const bool lone_soft_break = e.removed == 1 && inserted == 0 &&
                                 std::binary_search(before.soft.begin(), before.soft.end(), e.from);
    if (lone_soft_break) {
        std::string& d = e.text.display;
        std::size_t cut_from = e.from;
        std::size_t cut_to = e.from;
        if (forward_delete && e.from < d.size()) {
            unsigned int c = 0;
            cut_to = e.from + code_point_at(d, e.from, c);
        } else if (!forward_delete && e.from > 0) {
            cut_from = code_point_before(d, e.from);
        }
        d.erase(cut_from, cut_to - cut_from);
        e.text.soft = shift_soft(e.text.soft, cut_from, cut_to - cut_from, 0);
        e.caret = cut_from;
        e.from = cut_from;
        e.removed = cut_to - cut_from + 1;  // the code point and the soft break
    }
    return e;
}

}  // namespace st::ui::detail
