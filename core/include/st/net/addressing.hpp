// Where a service node is reached from this host. Natively the client talks to a guard directly
// (https://ip:port/onion_req/v2; plain http:// on the local devnet); a browser cannot (self-signed
// certificates on raw IPs, no CORS: protocol.md §11.3), so the web host sends the same opaque bytes
// to its relay (tools/relay: POST <relay>/relay/onion/<ed25519 hex>). The Router asks a
// NodeAddressing for every URL.
#pragma once

#include <optional>
#include <string>

#include "st/rpc/node.hpp"

namespace st::net {

class NodeAddressing {
public:
    virtual ~NodeAddressing() = default;
    // POST target for an onion request whose guard is `node` (§6.1).
    virtual std::string onion_url(const rpc::ServiceNode& node) const = 0;
    // POST target for a direct JSON-RPC request to `node` (guard testing only, §6.7); nullopt
    // when this host has no direct route (a browser behind the relay): guards are then tested
    // with a one-layer onion request whose destination is the guard itself.
    virtual std::optional<std::string> rpc_url(const rpc::ServiceNode& node) const = 0;
};

// URLs from templates with the placeholders {ip}, {port} and {ed25519} (hex key); an empty rpc
// template means no direct route.
class UrlTemplateAddressing final : public NodeAddressing {
public:
    UrlTemplateAddressing(std::string onion_template, std::string rpc_template)
        : onion_(std::move(onion_template)), rpc_(std::move(rpc_template)) {}

    // scheme://ip:port/onion_req/v2 and scheme://ip:port/storage_rpc/v1. The live network uses
    // "https" (self-signed), the devnet "http".
    static UrlTemplateAddressing direct(const std::string& scheme = "https");
    // tools/relay: <relay>/relay/onion/<ed25519 hex>, no direct route. (Its seed endpoint is
    // <relay>/relay/seed, to put in PoolConfig::seed_urls.)
    static UrlTemplateAddressing relay(const std::string& relay_base);

    std::string onion_url(const rpc::ServiceNode& node) const override;
    std::optional<std::string> rpc_url(const rpc::ServiceNode& node) const override;

private:
    std::string onion_;
    std::string rpc_;
};

}  // namespace st::net
