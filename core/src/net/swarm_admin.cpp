#include "st/net/swarm_admin.hpp"

#include <algorithm>
#include <set>

#include "guarded.hpp"
#include "st/net/errors.hpp"
#include "st/rpc/node_signatures.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

std::size_t SwarmReport::confirmed() const {
    return static_cast<std::size_t>(std::count_if(
        members.begin(), members.end(), [](const MemberOutcome& m) { return m.confirmed; }));
}

bool SwarmReport::all_confirmed() const {
    return !members.empty() && confirmed() == members.size();
}

// What one request asked, kept until its answer is checked.
struct SwarmAdmin::Pending {
    Kind kind = Kind::remove;
    std::vector<std::string> hashes;  // delete / expire: the requested hashes, in request order
    std::int64_t expiry_ms = 0;       // expire
    std::int64_t timestamp_ms = 0;    // the network time of the attempt that was answered
};

namespace {

template <class T>
void post_error(Network& network, Callback<T> done, Error e) {
    network.loop().post(
        [done = std::move(done), e = std::move(e)]() mutable { done(Unexpected<Error>(e)); });
}

// The sentence for a member that reported a failure instead of a result.
std::string failure_text(const rpc::NodeOutcome& o) {
    if (o.timeout || (o.code == 0 && o.reason.empty())) return "did not answer";
    if (!o.reason.empty()) return "refused: " + o.reason;
    return "refused: HTTP " + std::to_string(o.code);
}

}  // namespace

SwarmAdmin::SwarmAdmin(Network& network, const crypto::Identity& identity)
    : network_(network), identity_(identity) {}

void SwarmAdmin::delete_messages(std::vector<std::string> hashes, Callback<SwarmReport> done) {
    if (auto ok = rpc::delete_messages(identity_, hashes); !ok)
        return post_error(network_, std::move(done), std::move(ok).error());
    auto pending = std::make_shared<Pending>();
    pending->kind = Kind::remove;
    pending->hashes = std::move(hashes);
    run(std::move(pending), std::move(done));
}

void SwarmAdmin::delete_all(Callback<SwarmReport> done) {
    auto pending = std::make_shared<Pending>();
    pending->kind = Kind::remove_all;
    run(std::move(pending), std::move(done));
}

void SwarmAdmin::shorten_expiry(std::vector<std::string> hashes, std::int64_t expiry_ms,
                                Callback<SwarmReport> done) {
    if (expiry_ms <= 0)
        return post_error(network_, std::move(done),
                          Error{rpc::kBadParams, "the new expiry must be a time in ms"});
    if (auto ok = rpc::expire(identity_, hashes, expiry_ms, rpc::ExpireMode::shorten); !ok)
        return post_error(network_, std::move(done), std::move(ok).error());
    auto pending = std::make_shared<Pending>();
    pending->kind = Kind::shorten;
    pending->hashes = std::move(hashes);
    pending->expiry_ms = expiry_ms;
    run(std::move(pending), std::move(done));
}

void SwarmAdmin::get_expiries(std::vector<std::string> hashes,
                              Callback<std::map<std::string, std::int64_t>> done) {
    if (auto ok = rpc::get_expiries(identity_, hashes, 0); !ok)
        return post_error(network_, std::move(done), std::move(ok).error());
    const crypto::Identity& id = identity_;
    auto asked = std::make_shared<std::vector<std::string>>(std::move(hashes));
    network_.swarm_request(
        identity_.session_id(),
        [&id, asked](std::int64_t now) { return rpc::get_expiries(id, *asked, now); },
        detail::guarded(alive_, [done = std::move(done)](Result<RpcReply> reply) {
            if (!reply) {
                done(Unexpected<Error>(categorized(std::move(reply).error())));
                return;
            }
            auto parsed = rpc::parse_get_expiries(reply->body);
            if (!parsed) {
                done(Unexpected<Error>(categorized(std::move(parsed).error())));
                return;
            }
            done(std::move(*parsed));
        }));
}

void SwarmAdmin::run(std::shared_ptr<Pending> pending, Callback<SwarmReport> done) {
    const crypto::Identity& id = identity_;
    network_.swarm_request(
        identity_.session_id(),
        [&id, pending](std::int64_t now) -> Result<rpc::Request> {
            pending->timestamp_ms = now;
            switch (pending->kind) {
                case Kind::remove:
                    return rpc::delete_messages(id, pending->hashes);
                case Kind::remove_all:
                    return rpc::delete_all(id, std::nullopt, now);
                case Kind::shorten:
                    return rpc::expire(id, pending->hashes, pending->expiry_ms,
                                       rpc::ExpireMode::shorten);
            }
            return fail(rpc::kBadParams, "unknown request");
        },
        detail::guarded(alive_,
                        [this, pending, done = std::move(done)](Result<RpcReply> reply) mutable {
                            if (!reply) {
                                done(Unexpected<Error>(categorized(std::move(reply).error())));
                                return;
                            }
                            conclude(std::move(pending), std::move(reply->body), std::move(done));
                        }));
}

void SwarmAdmin::conclude(std::shared_ptr<Pending> pending, std::string body,
                          Callback<SwarmReport> done) {
    auto outcome = rpc::parse_swarm_outcome(body);
    if (!outcome) {
        done(Unexpected<Error>(categorized(std::move(outcome).error())));
        return;
    }
    SwarmReport report;
    report.timestamp_ms = pending->timestamp_ms;
    const std::string owner = identity_.session_id().hex();
    for (const auto& [key, o] : outcome->nodes) {
        MemberOutcome m;
        auto ed = crypto::Ed25519PublicKey::from_hex(key);
        m.node = ed ? ed->hex() : key;  // lower case, as we name members everywhere
        if (o.failed) {
            m.problem = failure_text(o);
        } else if (!ed) {
            m.problem = "its key is not an Ed25519 key";
        } else {
            Result<void> ok;
            switch (pending->kind) {
                case Kind::remove:
                    ok = rpc::verify_delete(owner, pending->hashes, *ed, o);
                    break;
                case Kind::remove_all:
                    ok = rpc::verify_delete_all(owner, pending->timestamp_ms, *ed, o);
                    break;
                case Kind::shorten:
                    ok = rpc::verify_expire(owner, pending->hashes, pending->expiry_ms, *ed, o);
                    break;
            }
            if (ok) {
                m.confirmed = true;
                m.hashes = o.hashes;
            } else {
                m.problem = ok.error().message;
            }
        }
        report.members.push_back(std::move(m));
    }
    // Members we know of that the answer leaves out did not confirm anything.
    auto shared = std::make_shared<SwarmReport>(std::move(report));
    network_.swarm_for(
        identity_.session_id(),
        detail::guarded(
            alive_, [shared, done = std::move(done)](Result<std::vector<rpc::ServiceNode>> swarm) {
                SwarmReport out = std::move(*shared);
                if (swarm) {
                    std::set<std::string> listed;
                    for (const auto& m : out.members) listed.insert(m.node);
                    for (const auto& n : *swarm) {
                        std::string hex = n.ed25519.hex();
                        if (listed.insert(hex).second)
                            out.members.push_back(MemberOutcome{hex, false, {}, "did not answer"});
                    }
                }
                std::sort(
                    out.members.begin(), out.members.end(),
                    [](const MemberOutcome& a, const MemberOutcome& b) { return a.node < b.node; });
                done(std::move(out));
            }));
}

}  // namespace st::net
