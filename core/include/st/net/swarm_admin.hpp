// Deleting and expiring messages in our own swarm (protocol.md §5.4.3 delete, §5.4.4 delete_all,
// §5.4.6 expire, §5.4.8 get_expiries; docs/deletion.md). Each request is signed with our identity
// and sent through Network::swarm_request (so 421, 406 and path failures are handled there); the
// node that takes it applies it and forwards it to every swarm peer, and the answer carries one
// signed result per member. Every result is checked against that member's Ed25519 key
// (st/rpc/node_signatures.hpp), and every member of the swarm as we know it (Network::swarm_for)
// that is missing from the answer is reported as not having answered.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/network.hpp"

namespace st::net {

struct MemberOutcome {
    std::string node;                 // Ed25519 hex of the swarm member
    bool confirmed = false;           // it answered and its signature over the result is valid
    std::vector<std::string> hashes;  // deleted (delete/delete_all) or updated (expire)
    std::string problem;              // "" when confirmed; else a sentence for a person:
                                      // "did not answer", "its signature is not valid",
                                      // "refused: <reason>", "its answer is not signed", ...
};

struct SwarmReport {
    // Every member of the swarm, sorted by key: those in the answer, plus each member of the
    // swarm as we know it (Network::swarm_for) that is missing from the answer (not confirmed,
    // "did not answer").
    std::vector<MemberOutcome> members;
    std::int64_t timestamp_ms = 0;  // the network time the request was signed at (last attempt)

    std::size_t confirmed() const;
    bool all_confirmed() const;  // at least one member and every member confirmed
};

class SwarmAdmin {
public:
    // Both must outlive the SwarmAdmin. Destroying it abandons pending requests: their callbacks
    // are not invoked.
    SwarmAdmin(Network& network, const crypto::Identity& identity);
    SwarmAdmin(const SwarmAdmin&) = delete;
    SwarmAdmin& operator=(const SwarmAdmin&) = delete;

    // Callback errors (never inline): rpc::kBadParams / rpc::kBadHash for bad input (nothing is
    // sent); the Network's error, with its category, when the request as a whole failed;
    // rpc::kBadJson / rpc::kBadResponse (transient) for a 2xx answer that does not parse. A
    // member that failed or lied is in the report, not an error.

    // `delete` of these hashes (non-empty, each a valid 43-character hash).
    void delete_messages(std::vector<std::string> hashes, Callback<SwarmReport> done);
    // `delete_all` with namespace "all": every message of every namespace.
    void delete_all(Callback<SwarmReport> done);
    // `expire` with shorten=true: these messages expire at `expiry_ms` unless they already expire
    // sooner. MemberOutcome::hashes are the ones a member changed.
    void shorten_expiry(std::vector<std::string> hashes, std::int64_t expiry_ms,
                        Callback<SwarmReport> done);
    // `get_expiries` (answered by one member): hash -> expiry ms of those that exist.
    void get_expiries(std::vector<std::string> hashes,
                      Callback<std::map<std::string, std::int64_t>> done);

private:
    enum class Kind { remove, remove_all, shorten };
    struct Pending;
    void run(std::shared_ptr<Pending> pending, Callback<SwarmReport> done);
    void conclude(std::shared_ptr<Pending> pending, std::string body, Callback<SwarmReport> done);

    Network& network_;
    const crypto::Identity& identity_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::net
