#include "st/rpc/node.hpp"

namespace st::rpc {

std::string ServiceNode::ip_text() const {
    return std::to_string(ip[0]) + '.' + std::to_string(ip[1]) + '.' + std::to_string(ip[2]) + '.' +
           std::to_string(ip[3]);
}

Result<Ipv4> parse_ipv4(std::string_view text) {
    Ipv4 out{};
    std::size_t part = 0, pos = 0;
    while (true) {
        std::size_t start = pos;
        unsigned value = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
            value = value * 10 + static_cast<unsigned>(text[pos] - '0');
            ++pos;
        }
        const std::size_t digits = pos - start;
        if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            return fail("rpc.bad_ip", "not a dotted-quad IPv4 address");
        out[part++] = static_cast<std::uint8_t>(value);
        if (part == 4) break;
        if (pos >= text.size() || text[pos] != '.')
            return fail("rpc.bad_ip", "not a dotted-quad IPv4 address");
        ++pos;
    }
    if (pos != text.size()) return fail("rpc.bad_ip", "not a dotted-quad IPv4 address");
    return out;
}

}  // namespace st::rpc
