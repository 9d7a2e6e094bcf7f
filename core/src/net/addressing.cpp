#include "st/net/addressing.hpp"

namespace st::net {

namespace {

std::string expand(const std::string& tmpl, const rpc::ServiceNode& node) {
    std::string out;
    out.reserve(tmpl.size() + 64);
    for (std::size_t i = 0; i < tmpl.size();) {
        auto take = [&](std::string_view name, const std::string& value) {
            if (tmpl.compare(i, name.size(), name) != 0) return false;
            out += value;
            i += name.size();
            return true;
        };
        if (take("{ip}", node.ip_text()) || take("{port}", std::to_string(node.port)) ||
            take("{ed25519}", node.ed25519.hex()))
            continue;
        out += tmpl[i++];
    }
    return out;
}

std::string without_trailing_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

UrlTemplateAddressing UrlTemplateAddressing::direct(const std::string& scheme) {
    return {scheme + "://{ip}:{port}/onion_req/v2", scheme + "://{ip}:{port}/storage_rpc/v1"};
}

UrlTemplateAddressing UrlTemplateAddressing::relay(const std::string& relay_base) {
    return {without_trailing_slash(relay_base) + "/relay/onion/{ed25519}", ""};
}

std::string UrlTemplateAddressing::onion_url(const rpc::ServiceNode& node) const {
    return expand(onion_, node);
}

std::optional<std::string> UrlTemplateAddressing::rpc_url(const rpc::ServiceNode& node) const {
    if (rpc_.empty()) return std::nullopt;
    return expand(rpc_, node);
}

}  // namespace st::net
