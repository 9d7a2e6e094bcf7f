#include "st/net/network.hpp"

#include <algorithm>

#include "guarded.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

using detail::guarded;

namespace {
// For questions any node can answer (get_swarm, info): a silent node is left for another one.
SnodeSendOptions any_node_will_do() {
    SnodeSendOptions options;
    options.retry_unanswered = false;
    return options;
}
}  // namespace

struct Network::Call {
    Call(crypto::SessionId o, std::optional<rpc::ServiceNode> f, RequestFactory m,
         Callback<RpcReply> d)
        : owner(std::move(o)), fixed(std::move(f)), make(std::move(m)), done(std::move(d)) {}
    crypto::SessionId owner;
    std::optional<rpc::ServiceNode> fixed;  // node_request: only this node
    RequestFactory make;
    Callback<RpcReply> done;
    int attempts = 0;
    int unanswered = 0;
    std::vector<crypto::Ed25519PublicKey> unanswered_by;  // members whose attempt went silent
    std::optional<Error> last_failure;
    bool resynced = false;
    std::vector<crypto::Ed25519PublicKey> tried;
    // Shared by the attempts, so a member's retry goes through another path when one exists.
    std::shared_ptr<std::vector<std::uint64_t>> failed_paths =
        std::make_shared<std::vector<std::uint64_t>>();
    bool finished = false;
    std::int64_t sent_ms = 0;  // local time the current attempt was sent (clock samples)
};

Network::Network(Loop& loop, const Clock& clock, Transport& transport,
                 std::shared_ptr<const NodeAddressing> addressing, NetworkConfig config)
    : loop_(loop),
      random_(config.random ? *config.random : system_random()),
      config_(std::move(config)),
      pool_(loop, transport, config_.pool, random_),
      router_(loop, transport, pool_, std::move(addressing), config_.router),
      clock_(clock) {
    if (config_.rpc_attempts <= 0) config_.rpc_attempts = 1;
    pool_.set_drop_listener(
        [this](const crypto::Ed25519PublicKey& ed) { swarms_.remove_node(ed); });
}

Network::~Network() {
    pool_.set_drop_listener(nullptr);
    if (pool_timer_) loop_.cancel(pool_timer_);
}

// [SECTION] RPCs to a swarm --------------------------------------------------------------------

void Network::swarm_request(const crypto::SessionId& owner, RequestFactory make,
                            Callback<RpcReply> done) {
    auto call = std::make_shared<Call>(owner, std::nullopt, std::move(make), std::move(done));
    loop_.post(guarded(alive_, [this, call] { start(call); }));
}

void Network::node_request(const crypto::SessionId& owner, const rpc::ServiceNode& node,
                           RequestFactory make, Callback<RpcReply> done) {
    auto call = std::make_shared<Call>(owner, node, std::move(make), std::move(done));
    loop_.post(guarded(alive_, [this, call] { start(call); }));
}

void Network::finish(const std::shared_ptr<Call>& call, Result<RpcReply> result) {
    if (call->finished) return;
    call->finished = true;
    auto cb = std::move(call->done);
    cb(std::move(result));
}

void Network::start(const std::shared_ptr<Call>& call) {
    if (call->fixed) {
        send(call, *call->fixed);
        return;
    }
    swarm_for(call->owner, guarded(alive_, [this, call](Result<std::vector<rpc::ServiceNode>> r) {
                  if (!r) {
                      finish(call, Unexpected<Error>(std::move(r).error()));
                      return;
                  }
                  auto listed = [](const auto& list, const rpc::ServiceNode& n) {
                      return std::find(list.begin(), list.end(), n.ed25519) != list.end();
                  };
                  std::vector<rpc::ServiceNode> untried;
                  for (const auto& n : *r)
                      if (!listed(call->tried, n)) untried.push_back(n);
                  // Every member was tried: those that only went unanswered may have been
                  // behind a broken path, which has been replaced since.
                  if (untried.empty())
                      for (const auto& n : *r)
                          if (listed(call->unanswered_by, n)) untried.push_back(n);
                  if (untried.empty()) {
                      finish(call,
                             call->last_failure
                                 ? Unexpected<Error>(*call->last_failure)
                                 : fail(kNoSwarm, "every known member of the swarm was tried"));
                      return;
                  }
                  send(call, untried[random_.below(static_cast<std::uint32_t>(untried.size()))]);
              }));
}

void Network::send(const std::shared_ptr<Call>& call, const rpc::ServiceNode& node) {
    call->tried.push_back(node.ed25519);
    auto request = call->make(now_ms());
    if (!request) {
        finish(call, Unexpected<Error>(std::move(request).error()));
        return;
    }
    // An unanswered request comes back at once (kNoAnswer) instead of being retried on other
    // paths to the same member: a silent member (stopped, or cut off from the exit) would
    // otherwise cost every path a timeout before another member is tried.
    SnodeSendOptions options;
    options.retry_unanswered = false;
    options.failed_paths = call->failed_paths;
    call->sent_ms = clock_.local_ms();
    router_.send_to_snode(node, request->to_json(),
                          guarded(alive_,
                                  [this, call, node](Result<onion::SnodeReply> reply) {
                                      on_reply(call, node, std::move(reply));
                                  }),
                          std::move(options));
}

void Network::on_reply(const std::shared_ptr<Call>& call, const rpc::ServiceNode& node,
                       Result<onion::SnodeReply> reply) {
    if (!reply) {
        const auto& code = reply.error().code;
        if (code == kDestinationFailed || code == kNoAnswer) {
            // kDestinationFailed: the member failed, not the path. kNoAnswer: either did; the
            // router has struck the member, and it stays in the swarm until struck out.
            if (code == kDestinationFailed) swarms_.remove_node(node.ed25519);
            if (call->fixed) {
                finish(call, Unexpected<Error>(std::move(reply).error()));
            } else if (code == kNoAnswer) {
                if (++call->unanswered >= config_.unanswered_attempts) {
                    finish(call, Unexpected<Error>(std::move(reply).error()));
                    return;
                }
                call->last_failure = std::move(reply).error();
                call->unanswered_by.push_back(node.ed25519);
                start(call);
            } else {
                next_attempt(call, std::move(reply).error());
            }
            return;
        }
        finish(call, Unexpected<Error>(std::move(reply).error()));  // the router retried paths
        return;
    }
    const int status = reply->status;
    switch (rpc::action_for(status)) {
        case rpc::StatusAction::ok:
            for (auto t : rpc::server_times(reply->body)) clock_.add_sample(t, call->sent_ms);
            finish(call, RpcReply{node, status, std::move(reply->body)});
            return;
        case rpc::StatusAction::give_up:
            finish(call, Unexpected<Error>(rpc::status_error(status, reply->body)));
            return;
        case rpc::StatusAction::resync_clock:
            if (call->resynced) {
                // Our clock was just set from another node and this member still disagrees:
                // its clock is wrong, not ours (§7.3). Another member will do; no strike, since
                // a resync from a wrong node would make every member look wrong to us.
                Error why = rpc::status_error(status, reply->body);
                if (call->fixed)
                    finish(call, Unexpected<Error>(std::move(why)));
                else
                    next_attempt(call, std::move(why));
                return;
            }
            call->resynced = true;
            resync_clock(guarded(alive_, [this, call, node](Result<void> r) {
                if (!r) {
                    finish(call, fail(rpc::kClockOutOfSync,
                                      "the clock is out of sync and could not be resynchronised: " +
                                          r.error().message));
                    return;
                }
                send(call, node);  // same node, request rebuilt at the corrected time
            }));
            return;
        case rpc::StatusAction::update_swarm: {
            wrong_swarm(call->owner, node, reply->body);
            Error why = rpc::status_error(status, reply->body);
            if (call->fixed) {
                finish(call, Unexpected<Error>(std::move(why)));
                return;
            }
            call->tried.clear();
            call->tried.push_back(node.ed25519);
            next_attempt(call, std::move(why));
            return;
        }
        case rpc::StatusAction::back_off:
        case rpc::StatusAction::try_another_node: {
            Error why = rpc::status_error(status, reply->body);
            pool_.strike(node.ed25519);
            if (call->fixed)
                finish(call, Unexpected<Error>(std::move(why)));
            else
                next_attempt(call, std::move(why));
            return;
        }
    }
}

void Network::next_attempt(const std::shared_ptr<Call>& call, Error why) {
    if (++call->attempts >= config_.rpc_attempts) {
        finish(call, Unexpected<Error>(std::move(why)));
        return;
    }
    call->last_failure = std::move(why);
    start(call);
}

// [SECTION] Swarms -----------------------------------------------------------------------------

void Network::wrong_swarm(const crypto::SessionId& owner, const rpc::ServiceNode& node,
                          std::string_view body) {
    auto info = rpc::parse_swarm(body);
    const std::string account = owner.hex();
    if (info && !info->nodes.empty()) {
        swarm_sizes_[account] = info->nodes.size();
        swarms_.set(account, std::move(info->nodes));
    } else if (const auto* members = swarms_.find(account)) {
        auto list = *members;
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const auto& n) { return n.same_node(node); }),
                   list.end());
        swarms_.set(account, std::move(list));
    }
}

void Network::swarm_for(const crypto::SessionId& owner,
                        Callback<std::vector<rpc::ServiceNode>> done) {
    const std::string account = owner.hex();
    if (const auto* members = swarms_.find(account); members && !members->empty()) {
        const std::size_t fetched = swarm_sizes_.count(account) ? swarm_sizes_[account] : 0;
        // Refresh when members were lost and fewer than the minimum remain.
        if (members->size() >=
            std::min(config_.min_swarm_members, std::max<std::size_t>(fetched, 1))) {
            loop_.post([done = std::move(done), list = *members] { done(list); });
            return;
        }
    }
    auto& waiters = swarm_waiters_[account];
    waiters.push_back(std::move(done));
    if (waiters.size() > 1) return;  // a lookup is already running
    pool_.ensure(guarded(alive_, [this, owner, account](Result<void> ready) {
        if (!ready) {
            swarm_fetched(account, Unexpected<Error>(std::move(ready).error()));
            return;
        }
        if (pool_.has_swarm_ids()) {  // computed locally from the full list (§5.9)
            auto members = swarm_members(pool_.nodes(), swarm_space(owner));
            if (!members.empty()) {
                swarm_fetched(account, std::move(members));
                return;
            }
        }
        fetch_swarm(owner, 0);
    }));
}

void Network::fetch_swarm(const crypto::SessionId& owner, int attempt) {
    const std::string account = owner.hex();
    const auto& nodes = pool_.nodes();
    if (nodes.empty()) {
        swarm_fetched(account, fail(kNoSwarm, "no service node is known to ask for the swarm"));
        return;
    }
    const auto node = nodes[random_.below(static_cast<std::uint32_t>(nodes.size()))];
    const std::int64_t sent = clock_.local_ms();
    router_.send_to_snode(
        node, rpc::get_swarm(account).to_json(),
        guarded(
            alive_,
            [this, owner, account, attempt, sent](Result<onion::SnodeReply> reply) {
                Error why{kNoSwarm, ""};
                if (!reply) {
                    why = std::move(reply).error();
                } else if (reply->status != 200) {
                    why = rpc::status_error(reply->status, reply->body);
                } else {
                    auto info = rpc::parse_swarm(reply->body);
                    if (info && !info->nodes.empty()) {
                        if (info->t) clock_.add_sample(*info->t, sent);
                        swarm_fetched(account, std::move(info->nodes));
                        return;
                    }
                    why = info ? Error{kNoSwarm, "the node named no swarm member"} : info.error();
                }
                // Desktop: up to 4 random nodes are asked.
                if (attempt + 1 < 4 && why.code != kNoNodes && why.code != kNoGuard) {
                    fetch_swarm(owner, attempt + 1);
                    return;
                }
                swarm_fetched(account,
                              Unexpected<Error>(
                                  Error{kNoSwarm, "the swarm could not be found: " + why.message}));
            }),
        any_node_will_do());
}

void Network::swarm_fetched(const std::string& account,
                            Result<std::vector<rpc::ServiceNode>> result) {
    if (result) {
        swarm_sizes_[account] = result->size();
        swarms_.set(account, *result);
    }
    auto waiters = std::move(swarm_waiters_[account]);
    swarm_waiters_.erase(account);
    for (auto& cb : waiters) cb(result);
}

// [SECTION] Clock ------------------------------------------------------------------------------

void Network::resync_clock(Callback<> done) {
    resync_waiters_.push_back(std::move(done));
    if (resync_waiters_.size() > 1) return;  // one resync serves every waiter
    pool_.ensure(guarded(alive_, [this](Result<void> ready) {
        if (!ready) {
            resync_done(std::move(ready));
            return;
        }
        resync_attempt(0);
    }));
}

// Three nodes are asked at once and the median of their clocks is taken: one node whose clock is
// wrong (the very one that may have answered 406) cannot pull ours away from the network's.
void Network::resync_attempt(int attempt) {
    auto nodes = pool_.nodes();
    if (nodes.empty()) {
        resync_done(fail(kNoSwarm, "no service node is known to ask for the time"));
        return;
    }
    random_.shuffle(nodes);
    nodes.resize(std::min<std::size_t>(nodes.size(), 3));
    struct Poll {
        std::size_t pending = 0;
        std::vector<std::int64_t> skews;  // server time - local time mid-request, per answer
        Error why{rpc::kBadResponse, ""};
    };
    auto poll = std::make_shared<Poll>();
    poll->pending = nodes.size();
    const std::int64_t sent = clock_.local_ms();
    for (const auto& node : nodes) {
        router_.send_to_snode(
            node, rpc::info().to_json(),
            guarded(alive_,
                    [this, attempt, poll, sent](Result<onion::SnodeReply> reply) {
                        // The server's time is compared with the round trip's midpoint.
                        const std::int64_t local_mid = clock_.midpoint_ms(sent);
                        if (!reply) {
                            poll->why = std::move(reply).error();
                        } else if (reply->status != 200) {
                            poll->why = rpc::status_error(reply->status, reply->body);
                        } else if (auto info = rpc::parse_info(reply->body); !info) {
                            poll->why = info.error();
                        } else {
                            poll->skews.push_back(info->timestamp - local_mid);
                        }
                        if (--poll->pending > 0) return;
                        if (!poll->skews.empty()) {
                            auto& v = poll->skews;
                            std::nth_element(v.begin(),
                                             v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2),
                                             v.end());
                            clock_.reset(clock_.local_ms() + v[v.size() / 2]);
                            resync_done(Result<void>());
                            return;
                        }
                        if (attempt + 1 < 3 && poll->why.code != kNoNodes &&
                            poll->why.code != kNoGuard) {
                            resync_attempt(attempt + 1);
                            return;
                        }
                        resync_done(Unexpected<Error>(poll->why));
                    }),
            any_node_will_do());
    }
}

void Network::resync_done(Result<void> result) {
    auto waiters = std::move(resync_waiters_);
    resync_waiters_.clear();
    for (auto& cb : waiters) cb(result);
}

}  // namespace st::net

namespace st::net {

// [SECTION] ONS names ---------------------------------------------------------------------------

struct Network::OnsLookup {
    std::string name;          // lower-cased
    std::string request_json;  // the batch body, the same for every node
    Callback<crypto::SessionId> done;
    std::vector<rpc::ServiceNode> candidates;  // shuffled pool nodes not asked yet
    std::size_t needed = 0;                    // answers required (all must agree)
    std::size_t pending = 0;
    std::size_t spares = kOnsSpareNodes;
    // One entry per node that answered: its Session ID, or nullopt for "not registered".
    std::vector<std::optional<crypto::SessionId>> answers;
    std::optional<Error> last_failure;
    bool finished = false;
};

void Network::resolve_ons(std::string_view name, Callback<crypto::SessionId> done) {
    auto lower = crypto::normalize_ons_name(name);
    if (!lower) {
        loop_.post([done = std::move(done), why = std::move(lower).error()] {
            done(Unexpected<Error>(why));
        });
        return;
    }
    auto lookup = std::make_shared<OnsLookup>();
    lookup->name = std::move(*lower);
    lookup->done = std::move(done);
    auto request = rpc::batch({rpc::ons_resolve(crypto::ons_name_hash_b64(lookup->name))});
    lookup->request_json = request->to_json();  // one sub-request: batch cannot fail
    pool_.ensure(guarded(alive_, [this, lookup](Result<void> ready) {
        if (!ready) {
            lookup->finished = true;
            lookup->done(Unexpected<Error>(std::move(ready).error()));
            return;
        }
        lookup->candidates = pool_.nodes();
        random_.shuffle(lookup->candidates);
        lookup->needed = std::min(kOnsValidationCount, lookup->candidates.size());
        if (lookup->needed == 0) {
            lookup->finished = true;
            lookup->done(fail(kNoNodes, "no service node is known to ask for the name"));
            return;
        }
        for (std::size_t i = 0; i < lookup->needed; ++i) ons_ask(lookup);
    }));
}

void Network::ons_ask(const std::shared_ptr<OnsLookup>& lookup) {
    const rpc::ServiceNode node = lookup->candidates.back();
    lookup->candidates.pop_back();
    ++lookup->pending;
    const std::int64_t sent = clock_.local_ms();
    router_.send_to_snode(node, lookup->request_json,
                          guarded(alive_,
                                  [this, lookup, node, sent](Result<onion::SnodeReply> reply) {
                                      if (reply && reply->status == 200)
                                          for (auto t : rpc::server_times(reply->body))
                                              clock_.add_sample(t, sent);
                                      ons_reply(lookup, node, std::move(reply));
                                  }),
                          any_node_will_do());
}

void Network::ons_reply(const std::shared_ptr<OnsLookup>& lookup, const rpc::ServiceNode& node,
                        Result<onion::SnodeReply> reply) {
    --lookup->pending;
    if (lookup->finished) return;
    // What this node says: a Session ID, "not registered" (nullopt), or a failure.
    auto verdict = [&]() -> Result<std::optional<crypto::SessionId>> {
        if (!reply) return Unexpected<Error>(std::move(reply).error());
        if (reply->status != 200)
            return Unexpected<Error>(rpc::status_error(reply->status, reply->body));
        auto results = rpc::parse_batch(reply->body);
        if (!results) return Unexpected<Error>(std::move(results).error());
        if (results->size() != 1)
            return fail(rpc::kBadResponse,
                        "unexpected answer from the node: " + std::to_string(results->size()) +
                            " results for one ons_resolve");
        const auto& sub = results->front();
        if (sub.code != 200) return Unexpected<Error>(rpc::status_error(sub.code, sub.body));
        auto answer = rpc::parse_ons_resolve(sub.body);
        if (!answer) return Unexpected<Error>(std::move(answer).error());
        if (!answer->found) return std::optional<crypto::SessionId>();
        auto id = crypto::decrypt_ons_value(lookup->name, answer->encrypted_value, answer->nonce);
        if (!id) return Unexpected<Error>(std::move(id).error());
        return std::optional<crypto::SessionId>(*id);
    }();
    if (verdict) {
        lookup->answers.push_back(std::move(*verdict));
    } else {
        Error why = std::move(verdict).error();
        // The router already struck nodes for transport failures; a node that answered
        // something unusable is struck here.
        if (reply) pool_.strike(node.ed25519);
        lookup->last_failure = std::move(why);
        if (lookup->spares > 0 && !lookup->candidates.empty() &&
            lookup->last_failure->code != kNoNodes && lookup->last_failure->code != kNoGuard) {
            --lookup->spares;
            ons_ask(lookup);
            return;
        }
    }
    if (lookup->pending == 0) ons_conclude(lookup);
}

void Network::ons_conclude(const std::shared_ptr<OnsLookup>& lookup) {
    lookup->finished = true;
    auto done = std::move(lookup->done);
    if (lookup->answers.size() < lookup->needed) {
        Error why = lookup->last_failure ? *lookup->last_failure
                                         : Error{kNoNodes, "no service node answered"};
        done(Unexpected<Error>(std::move(why)));
        return;
    }
    const auto& first = lookup->answers.front();
    for (const auto& a : lookup->answers)
        if (a != first) {
            done(fail(crypto::kOnsDisagreement,
                      "service nodes gave different answers for that name; try again later"));
            return;
        }
    if (!first) {
        done(fail(crypto::kOnsNotFound, std::string(crypto::kOnsNotFoundMessage)));
        return;
    }
    done(*first);
}

}  // namespace st::net
