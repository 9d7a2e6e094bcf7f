#include "relay/url.hpp"

#include <charconv>

namespace st::relay {

std::string_view to_string(Scheme scheme) { return scheme == Scheme::https ? "https" : "http"; }

namespace {

bool valid_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

bool valid_ipv6_char(char c) {
    return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
           c == '.';
}

}  // namespace

Result<Url> parse_url(std::string_view text) {
    Url url;
    std::string_view rest = text;
    if (rest.substr(0, 7) == "http://") {
        url.scheme = Scheme::http;
        rest.remove_prefix(7);
    } else if (rest.substr(0, 8) == "https://") {
        url.scheme = Scheme::https;
        rest.remove_prefix(8);
    } else {
        return fail("url.invalid",
                    "'" + std::string(text) + "' must start with http:// or https://");
    }
    if (rest.find_first_of("?#@ ") != std::string_view::npos) {
        return fail("url.invalid",
                    "'" + std::string(text) + "' must not hold a query, fragment or credentials");
    }
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path =
        slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    url.path = std::string(path);

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return fail("url.invalid", "'" + std::string(text) + "' has an unclosed IPv6 literal");
        }
        url.host = std::string(authority.substr(1, close - 1));
        for (char c : url.host) {
            if (!valid_ipv6_char(c)) {
                return fail("url.invalid", "'" + std::string(text) + "' has a bad IPv6 literal");
            }
        }
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return fail("url.invalid", "'" + std::string(text) + "' has a bad host");
            }
            port_text = after.substr(1);
            if (port_text.empty()) {
                return fail("url.invalid", "'" + std::string(text) + "' has an empty port");
            }
        }
    } else {
        const std::size_t colon = authority.find(':');
        url.host = std::string(authority.substr(0, colon));
        for (char c : url.host) {
            if (!valid_host_char(c)) {
                return fail("url.invalid", "'" + std::string(text) + "' has a bad host");
            }
        }
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) {
                return fail("url.invalid", "'" + std::string(text) + "' has an empty port");
            }
        }
    }
    if (url.host.empty()) {
        return fail("url.invalid", "'" + std::string(text) + "' has no host");
    }
    if (port_text.empty()) {
        url.port = url.scheme == Scheme::https ? 443 : 80;
    } else {
        unsigned value = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535) {
            return fail("url.invalid", "'" + std::string(text) + "' has a bad port");
        }
        url.port = static_cast<std::uint16_t>(value);
    }
    return url;
}

std::string host_header(const Url& url) {
    const bool v6 = url.host.find(':') != std::string::npos;
    return (v6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

std::string to_string(const Url& url) {
    return std::string(to_string(url.scheme)) + "://" + host_header(url) + url.path;
}

}  // namespace st::relay
