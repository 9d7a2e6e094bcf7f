// What polling must remember between polls and across restarts (protocol.md §7.4):
//   * last_hash per (account, node, namespace): where the node's next retrieve starts;
//   * the seen-hash set (hash -> expiry): a node given an unknown last_hash replays the whole
//     namespace and two nodes return the same messages, so every message is checked against it;
//     hashes of messages we stored ourselves go in too, so our own sync copies are not re-read.
//
// The interface is synchronous: the Poller consults it while merging an answer. A persistent
// implementation (the app's, over its KvStore) loads everything at start-up, answers from memory
// and writes changes behind; losing the last writes only means some duplicates get dropped later
// by the seen set instead of earlier by last_hash.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "st/crypto/keys.hpp"
#include "st/rpc/requests.hpp"

namespace st::net {

class PollStateStore {
public:
    virtual ~PollStateStore() = default;

    // "" when nothing was retrieved from that node in that namespace yet.
    virtual std::string last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                                  rpc::Namespace ns) const = 0;
    virtual void set_last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                               rpc::Namespace ns, std::string hash) = 0;

    virtual bool seen(std::string_view hash) const = 0;
    // Remembers a hash until expiry_ms (the message's expiration; marking again keeps the later).
    virtual void mark_seen(std::string hash, std::int64_t expiry_ms) = 0;
    // Forgets seen hashes whose expiry is before now_ms.
    virtual void prune(std::int64_t now_ms) = 0;
};

// Keeps everything in memory: tests, and the kiosk mode that keeps nothing.
class MemoryPollStateStore final : public PollStateStore {
public:
    std::string last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                          rpc::Namespace ns) const override;
    void set_last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                       rpc::Namespace ns, std::string hash) override;
    bool seen(std::string_view hash) const override;
    void mark_seen(std::string hash, std::int64_t expiry_ms) override;
    void prune(std::int64_t now_ms) override;

    std::size_t seen_count() const { return seen_.size(); }
    // Forgets every last_hash (as if the app had lost them): the next poll replays everything.
    void forget_last_hashes() { last_.clear(); }

private:
    using Key = std::tuple<std::string, std::string, rpc::Namespace>;  // account, node hex, ns
    std::map<Key, std::string> last_;
    std::unordered_map<std::string, std::int64_t> seen_;
};

}  // namespace st::net
