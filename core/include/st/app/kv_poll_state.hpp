// The poller's memory (last_hash per node and namespace, the seen-hash set: protocol.md §7.4) kept
// in the host's KvStore under one account's prefix, so a reload does not replay the swarm:
//   acct/<id>/poll/last/<node ed25519 hex>/<namespace>  → hash
//   acct/<id>/poll/seen/<hash>                          → expiry ms (8 bytes, big-endian)
// load() reads it all once; afterwards answers come from memory and every change is written
// behind (one batch per loop turn). A lost write only means a duplicate is dropped later by the
// seen set instead of earlier by last_hash.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "st/base/loop.hpp"
#include "st/net/poll_state.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class KvPollStateStore final : public net::PollStateStore {
public:
    // `prefix` is the account's key prefix ("acct/<id>/"). Loop and store must outlive this.
    KvPollStateStore(Loop& loop, store::KvStore& store, std::string prefix);
    ~KvPollStateStore() override;

    // Reads the stored state. Errors: the store's.
    void load(Callback<> done);

    std::string last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                          rpc::Namespace ns) const override;
    void set_last_hash(std::string_view account, const crypto::Ed25519PublicKey& node,
                       rpc::Namespace ns, std::string hash) override;
    bool seen(std::string_view hash) const override;
    void mark_seen(std::string hash, std::int64_t expiry_ms) override;
    void prune(std::int64_t now_ms) override;

    std::size_t seen_count() const { return memory_.seen_count(); }
    // The next poll of every node starts from the beginning of each namespace (what is seen
    // stays seen). The stored last hashes are replaced as the nodes answer.
    void forget_last_hashes() { memory_.forget_last_hashes(); }

private:
    void queue(store::KvWrite write);
    void load_seen(std::string after, Callback<> done);

    Loop& loop_;
    store::KvStore& store_;
    std::string prefix_;
    net::MemoryPollStateStore memory_;
    std::map<std::string, std::int64_t> expiry_;  // mirror of the seen set, for pruning keys
    std::vector<store::KvWrite> pending_;
    bool flush_posted_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
