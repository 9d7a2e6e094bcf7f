// The relay's reading of untrusted JSON (issue 11): a seed's node list (parse_service_nodes) and
// a page's seed request (sanitize_seed_request). Whatever is accepted must keep the relay's
// promises: every node has a 64-hex key, a dotted-quad IPv4 address and a port, public unless
// private addresses are allowed, no key twice; a sanitised request is get_n_service_nodes and
// sanitising it again gives the same bytes (what the seed receives is exactly what was checked).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "relay/node_list.hpp"

namespace {

bool is_dotted_quad(const std::string& ip) {
    int parts = 0;
    std::size_t i = 0;
    while (i <= ip.size()) {
        std::size_t j = i;
        while (j < ip.size() && ip[j] >= '0' && ip[j] <= '9') ++j;
        if (j == i || j - i > 3 || std::stoi(ip.substr(i, j - i)) > 255) return false;
        ++parts;
        if (j == ip.size()) break;
        if (ip[j] != '.') return false;
        i = j + 1;
    }
    return parts == 4;
}

void check_nodes(std::string_view json, bool allow_private) {
    st::relay::ParseOptions options;
    options.allow_private_addresses = allow_private;
    options.max_nodes = 64;
    auto parsed = st::relay::parse_service_nodes(json, options);
    if (!parsed) {
        if (parsed.error().code.empty() || parsed.error().message.empty()) std::abort();
        return;
    }
    if (parsed->nodes.empty() || parsed->nodes.size() > options.max_nodes) std::abort();
    std::set<std::string> keys;
    for (const auto& node : parsed->nodes) {
        if (!st::relay::is_ed25519_hex(node.ed25519_hex) || node.port == 0) std::abort();
        if (!is_dotted_quad(node.ip) || node.ip == "0.0.0.0") std::abort();
        if (!allow_private && (node.ip.rfind("127.", 0) == 0 || node.ip.rfind("10.", 0) == 0 ||
                               node.ip.rfind("192.168.", 0) == 0))
            std::abort();
        if (!keys.insert(node.ed25519_hex).second) std::abort();
    }
    st::relay::NodeList list;
    list.replace(parsed->nodes);
    for (const auto& node : parsed->nodes)
        if (list.find(node.ed25519_hex) == nullptr) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_nodes(text, false);
    check_nodes(text, true);

    auto request = st::relay::sanitize_seed_request(text);
    if (request) {
        if (request->find("\"get_n_service_nodes\"") == std::string::npos) std::abort();
        auto again = st::relay::sanitize_seed_request(*request);
        if (!again || *again != *request) std::abort();
    }
    return 0;
}
