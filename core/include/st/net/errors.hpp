// The category (st::ErrorCategory) of every error the network layer reports: the codes are
// declared across st::net (net.*, path.*, pool.*, swarm.*) and st::rpc (the storage server's
// answers, protocol.md §5.7), and this is the one place that knows which of them may heal.
#pragma once

#include "st/base/error.hpp"

namespace st::net {

// `e` with its category set: Transient for failures of reachability (no answer, no path, no
// node list, no swarm member), of a node (5xx, a wrong swarm, a clock out of sync, rate
// limiting, an unreadable answer); Permanent otherwise (a refused signature or TTL, a message
// that cannot be encoded, a cancelled request).
Error categorized(Error e);

}  // namespace st::net
