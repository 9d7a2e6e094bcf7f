// Upstream addresses the relay talks to: the seed node (from --seed) and guard nodes (from the
// seed's node list). Only absolute http/https URLs without credentials, query or fragment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "st/base/error.hpp"

namespace st::relay {

enum class Scheme { http, https };

std::string_view to_string(Scheme scheme);

struct Url {
    Scheme scheme = Scheme::http;
    std::string host;        // a DNS name, an IPv4 literal, or an IPv6 literal without brackets
    std::uint16_t port = 0;  // explicit or the scheme's default (80 / 443)
    std::string path;        // "" or "/a/b" (never a trailing '/')
};

// Parses "http(s)://host[:port][/path]".
// Errors: "url.invalid" with a sentence naming the problem (the URL itself is echoed: it comes
// from the command line, never from a page).
Result<Url> parse_url(std::string_view text);

// The URL in canonical form: scheme://host:port/path ("[v6]" in brackets).
std::string to_string(const Url& url);

// "host:port" as an HTTP Host header value.
std::string host_header(const Url& url);

}  // namespace st::relay
