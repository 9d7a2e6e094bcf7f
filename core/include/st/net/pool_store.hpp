// Where the node pool and the guards are kept between sessions, so a reload starts on the nodes it
// knew instead of asking a seed (protocol.md §5.8, §6.7: desktop persists both). The network core
// only sees this interface; the app keeps it in the browser's storage (core/src/app).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "st/base/error.hpp"
#include "st/crypto/keys.hpp"
#include "st/rpc/node.hpp"

namespace st::net {

struct PoolSnapshot {
    std::vector<rpc::ServiceNode> nodes;
    std::vector<crypto::Ed25519PublicKey> guards;  // the guards of the paths in use
    std::int64_t refreshed_ms = 0;                 // wall-clock time the list was last fetched
};

class PoolStore {
public:
    virtual ~PoolStore() = default;
    // nullopt: nothing kept (a first start) or what was kept cannot be read.
    virtual void load(Callback<std::optional<PoolSnapshot>> done) = 0;
    virtual void save(const PoolSnapshot& snapshot) = 0;  // best effort
};

}  // namespace st::net
