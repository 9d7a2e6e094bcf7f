// Private to core/src/app: the node pool and guards (net::PoolStore) kept in the browser's
// storage under one key shared by every account of this browser — it is a public list of the
// network's nodes, not anyone's data:
//   net/pool → {"v":1,"t":refreshed ms,"nodes":[{"ed","x","ip","port","swarm"?}],"guards":[ed hex]}
#pragma once

#include "st/net/pool_store.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

inline constexpr std::string_view kPoolKey = "net/pool";

class KvPoolStore final : public net::PoolStore {
public:
    explicit KvPoolStore(store::KvStore& store) : store_(store) {}
    void load(Callback<std::optional<net::PoolSnapshot>> done) override;
    void save(const net::PoolSnapshot& snapshot) override;

    // The stored form (exposed for tests): a value that does not parse gives nullopt.
    static Bytes encode(const net::PoolSnapshot& snapshot);
    static std::optional<net::PoolSnapshot> decode(const Bytes& value);

private:
    store::KvStore& store_;
};

}  // namespace st::app
