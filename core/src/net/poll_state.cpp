#include "st/net/poll_state.hpp"

namespace st::net {

std::string MemoryPollStateStore::last_hash(std::string_view account,
                                            const crypto::Ed25519PublicKey& node,
                                            rpc::Namespace ns) const {
    auto it = last_.find(Key{std::string(account), node.hex(), ns});
    return it == last_.end() ? std::string() : it->second;
}

void MemoryPollStateStore::set_last_hash(std::string_view account,
                                         const crypto::Ed25519PublicKey& node, rpc::Namespace ns,
                                         std::string hash) {
    last_[Key{std::string(account), node.hex(), ns}] = std::move(hash);
}

bool MemoryPollStateStore::seen(std::string_view hash) const {
    return seen_.find(std::string(hash)) != seen_.end();
}

void MemoryPollStateStore::mark_seen(std::string hash, std::int64_t expiry_ms) {
    auto [it, inserted] = seen_.emplace(std::move(hash), expiry_ms);
    if (!inserted && it->second < expiry_ms) it->second = expiry_ms;
}

void MemoryPollStateStore::prune(std::int64_t now_ms) {
    for (auto it = seen_.begin(); it != seen_.end();) {
        if (it->second < now_ms)
            it = seen_.erase(it);
        else
            ++it;
    }
}

}  // namespace st::net
