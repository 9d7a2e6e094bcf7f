// Sending an already-encoded message (the base64 `data` the protocol layer produced) to a
// recipient's swarm through an onion path (protocol.md §5.4.1, Appendix A "Send a DM"):
//   store {pubkey: recipient, namespace, timestamp: network now, ttl, data} to a random swarm
//   member; retries per st::net::Network (421 → new swarm, 406 → clock resync, failed node →
//   another member, failed path → another path); on success the message hash goes into the
//   seen set so our own copy is not read back as new.
// The sync copy to our own swarm (§8.1) is a second message: send it yourself after the first
// succeeds, or use send_with_sync_copy.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/network.hpp"
#include "st/net/poll_state.hpp"
#include "st/rpc/requests.hpp"

namespace st::net {

inline constexpr std::string_view kBadMessage = "send.bad_message";

struct OutgoingMessage {
    OutgoingMessage(crypto::SessionId to, std::string data_b64, rpc::Namespace namespace_ = 0)
        : recipient(std::move(to)), ns(namespace_), data(std::move(data_b64)) {}

    crypto::SessionId recipient;
    rpc::Namespace ns = 0;
    std::int64_t ttl_ms = 14LL * 24 * 3600 * 1000;  // visible messages: 14 days (§7.2)
    // The store timestamp; nullopt = network now at each attempt (what desktop does, and what
    // lets a retry after a clock resync succeed).
    std::optional<std::int64_t> timestamp_ms;
    std::string data;  // base64, as produced by the protocol layer
};

struct SendReceipt {
    std::string hash;               // the message hash (§5.5)
    crypto::Ed25519PublicKey node;  // the swarm member that accepted it
    std::int64_t timestamp_ms = 0;  // the store timestamp used
    std::int64_t expiry_ms = 0;     // timestamp + ttl
};

struct PairReceipt {
    SendReceipt message;
    Result<SendReceipt> sync_copy;  // the second store's own outcome
};

class Sender {
public:
    // `seen` (optional) receives the hashes of stored messages; `signer` (optional) is needed only
    // for namespaces that are not public (configs in our own swarm). Both must outlive the Sender.
    // Destroying the Sender abandons its sends: their callbacks are not invoked.
    explicit Sender(Network& network, PollStateStore* seen = nullptr,
                    const crypto::Identity* signer = nullptr)
        : network_(network), seen_(seen), signer_(signer) {}

    // Errors: kBadMessage (empty/oversized/non-base64 data, TTL outside 10 s .. 14 d for public
    // namespaces or 30 d for private ones, private namespace without signer), then whatever the
    // network reports (rpc.*, path.*, pool.*, swarm.*), each with its category (net/errors.hpp).
    void send(OutgoingMessage message, Callback<SendReceipt> done);

    // `message` first; only if it was stored, `sync_copy` (normally to our own Session ID, §8.1).
    // Fails only when `message` fails; the sync copy's outcome is in PairReceipt::sync_copy.
    void send_with_sync_copy(OutgoingMessage message, OutgoingMessage sync_copy,
                             Callback<PairReceipt> done);

private:
    Network& network_;
    PollStateStore* seen_;
    const crypto::Identity* signer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::net
