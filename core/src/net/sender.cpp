#include "st/net/sender.hpp"

#include <memory>

#include "guarded.hpp"
#include "st/net/errors.hpp"
#include "st/rpc/responses.hpp"

namespace st::net {

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kMinTtl = 10 * 1000;  // §5.6

Result<Bytes> validate(const OutgoingMessage& m, const crypto::Identity* signer) {
    if (m.data.empty() || m.data.size() > rpc::kMaxDataChars)
        return fail(kBadMessage, "the message data must be 1 to " +
                                     std::to_string(rpc::kMaxDataChars) +
                                     " base64 characters (76 800 bytes)");
    auto bytes = from_base64(m.data);
    if (!bytes)
        return fail(kBadMessage, "the message data is not base64: " + bytes.error().message);
    const bool is_public = rpc::is_public_namespace(m.ns);
    const std::int64_t max_ttl = (is_public ? 14 : 30) * kDay;
    if (m.ttl_ms < kMinTtl || m.ttl_ms > max_ttl)
        return fail(kBadMessage, "the TTL must be between 10 s and " +
                                     std::string(is_public ? "14" : "30") + " days");
    if (!is_public && !(signer && signer->session_id() == m.recipient))
        return fail(kBadMessage, "namespace " + std::to_string(m.ns) +
                                     " needs a store signed by the swarm's owner");
    return bytes;
}

}  // namespace

void Sender::send(OutgoingMessage message, Callback<SendReceipt> done) {
    auto bytes = validate(message, signer_);
    if (!bytes) {
        network_.loop().post(
            [done = std::move(done), e = std::move(bytes).error()] { done(Unexpected<Error>(e)); });
        return;
    }
    // The hash the node will give the message (§5.5): known before sending, so it can be marked
    // as seen even if the answer's "hash" is missing.
    const std::string local_hash = rpc::message_hash(message.recipient, message.ns, *bytes);
    auto used_ts = std::make_shared<std::int64_t>(0);
    const auto msg = std::make_shared<OutgoingMessage>(std::move(message));
    const crypto::Identity* signer = signer_;
    network_.swarm_request(
        msg->recipient,
        [msg, used_ts, signer](std::int64_t now) {
            *used_ts = msg->timestamp_ms.value_or(now);
            return rpc::store({msg->recipient, msg->ns, *used_ts, msg->ttl_ms, msg->data}, signer);
        },
        detail::guarded(alive_, [this, msg, used_ts, local_hash,
                                 done = std::move(done)](Result<RpcReply> reply) {
            if (!reply) {
                done(Unexpected<Error>(categorized(std::move(reply).error())));
                return;
            }
            SendReceipt receipt;
            receipt.hash = local_hash;
            receipt.node = reply->node.ed25519;
            receipt.timestamp_ms = *used_ts;
            receipt.expiry_ms = *used_ts + msg->ttl_ms;
            if (seen_) {
                seen_->mark_seen(local_hash, receipt.expiry_ms);
                // A node that hashes differently (it should not) still must not echo it back.
                if (auto parsed = rpc::parse_store(reply->body);
                    parsed && parsed->hash != local_hash)
                    seen_->mark_seen(parsed->hash, receipt.expiry_ms);
            }
            done(std::move(receipt));
        }));
}

void Sender::send_with_sync_copy(OutgoingMessage message, OutgoingMessage sync_copy,
                                 Callback<PairReceipt> done) {
    auto copy = std::make_shared<OutgoingMessage>(std::move(sync_copy));
    send(std::move(message), [this, copy, done = std::move(done)](Result<SendReceipt> first) {
        if (!first) {
            done(Unexpected<Error>(std::move(first).error()));
            return;
        }
        send(std::move(*copy), [first = *first, done](Result<SendReceipt> second) {
            done(PairReceipt{first, std::move(second)});
        });
    });
}

}  // namespace st::net
