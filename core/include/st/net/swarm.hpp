// Swarms (protocol.md §5.9): which service nodes store a given account's messages, computed from
// the account key and the nodes' swarm ids, or learnt from get_swarm and 421 answers.
//
//   space = BE64(pk[0..8)) ^ BE64(pk[8..16)) ^ BE64(pk[16..24)) ^ BE64(pk[24..32))
//           (pk = the 32 key bytes after the 05/03 prefix)
//   swarm = among swarm ids sorted ascending, the closest to `space` on the uint64 circle:
//           right = first id >= space (wrapping to the first), left = the one before it (wrapping
//           to the last); right if (right - space) < (space - left) mod 2^64, else left.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "st/crypto/session_id.hpp"
#include "st/rpc/node.hpp"

namespace st::net {

// The "invalid swarm" marker of a node that is not (yet) in any swarm.
inline constexpr std::uint64_t kInvalidSwarmId = ~std::uint64_t{0};

std::uint64_t swarm_space(std::span<const std::uint8_t, 32> key);
std::uint64_t swarm_space(const crypto::SessionId& id);

// The chosen id among `sorted_ids` (ascending, distinct, non-empty).
std::uint64_t closest_swarm(std::span<const std::uint64_t> sorted_ids, std::uint64_t space);

// The members of the swarm for `space` among nodes that carry swarm ids (nodes without one, or
// with kInvalidSwarmId, are ignored). Empty when no node has a usable id.
std::vector<rpc::ServiceNode> swarm_members(std::span<const rpc::ServiceNode> nodes,
                                            std::uint64_t space);

// Known swarm members per account (66-hex Session ID).
class SwarmCache {
public:
    const std::vector<rpc::ServiceNode>* find(const std::string& account) const;
    void set(const std::string& account, std::vector<rpc::ServiceNode> members);
    // After a node failed or was dropped from the pool.
    void remove_node(const crypto::Ed25519PublicKey& ed);
    void forget(const std::string& account) { swarms_.erase(account); }

private:
    std::map<std::string, std::vector<rpc::ServiceNode>> swarms_;
};

}  // namespace st::net
