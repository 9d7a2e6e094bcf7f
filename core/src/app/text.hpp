// Private to core/src/app: text rules for what people type and what strangers send us.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace st::app::text {

// Code points, not bytes: limits are about what a person typed.
std::size_t utf8_length(std::string_view s);

// Without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view s);

// "05abcd…1234": a Session ID short enough for a title.
std::string short_id(const std::string& session_id);

// The first line of a message body, at most 120 bytes (whole code points), for previews.
std::string preview_of(std::string_view body);

// A name from the network (a profile's display name) or typed by us (a nickname), made safe to
// show as a title: invalid UTF-8 dropped, control characters (C0, DEL, C1) and bidirectional
// formatting characters (U+200E/F, U+202A–202E, U+2066–2069, which could reverse how a title or
// the text around it reads: a spoofing trick) removed, line breaks and tabs folded to spaces,
// trimmed, and cut to `max_chars` code points.
std::string sanitize_name(std::string_view name, std::size_t max_chars);

// The first letter upper-case, for sentences the lower layers wrote for command lines.
std::string sentence_case(std::string s);

}  // namespace st::app::text
