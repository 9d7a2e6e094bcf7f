#include "st/net/swarm.hpp"

#include <algorithm>

namespace st::net {

std::uint64_t swarm_space(std::span<const std::uint8_t, 32> key) {
    std::uint64_t space = 0;
    for (std::size_t word = 0; word < 4; ++word) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | key[word * 8 + i];
        space ^= v;
    }
    return space;
}

std::uint64_t swarm_space(const crypto::SessionId& id) {
    return swarm_space(std::span<const std::uint8_t, 32>(id.x25519().bytes));
}

std::uint64_t closest_swarm(std::span<const std::uint64_t> ids, std::uint64_t space) {
    if (ids.size() == 1) return ids[0];
    auto right = std::lower_bound(ids.begin(), ids.end(), space);
    if (right == ids.end()) right = ids.begin();
    auto left = right == ids.begin() ? ids.end() - 1 : right - 1;
    const std::uint64_t dright = *right - space;  // unsigned: wraps mod 2^64
    const std::uint64_t dleft = space - *left;
    return dright < dleft ? *right : *left;
}

std::vector<rpc::ServiceNode> swarm_members(std::span<const rpc::ServiceNode> nodes,
                                            std::uint64_t space) {
    std::vector<std::uint64_t> ids;
    for (const auto& n : nodes)
        if (n.swarm_id && *n.swarm_id != kInvalidSwarmId) ids.push_back(*n.swarm_id);
    if (ids.empty()) return {};
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const std::uint64_t chosen = closest_swarm(ids, space);
    std::vector<rpc::ServiceNode> out;
    for (const auto& n : nodes)
        if (n.swarm_id && *n.swarm_id == chosen) out.push_back(n);
    return out;
}

const std::vector<rpc::ServiceNode>* SwarmCache::find(const std::string& account) const {
    auto it = swarms_.find(account);
    return it == swarms_.end() ? nullptr : &it->second;
}

void SwarmCache::set(const std::string& account, std::vector<rpc::ServiceNode> members) {
    swarms_[account] = std::move(members);
}

void SwarmCache::remove_node(const crypto::Ed25519PublicKey& ed) {
    for (auto& [account, members] : swarms_)
        members.erase(std::remove_if(members.begin(), members.end(),
                                     [&](const rpc::ServiceNode& n) { return n.ed25519 == ed; }),
                      members.end());
}

}  // namespace st::net
