#include "st/net/router.hpp"

#include <algorithm>
#include <set>

#include "deadline.hpp"
#include "guarded.hpp"
#include "st/rpc/requests.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

using crypto::Ed25519PublicKey;

struct OnionRouter::Request {
    std::uint64_t id = 0;
    bool to_server = false;
    rpc::ServiceNode target;          // snode destination
    onion::ServerDestination server;  // server destination
    Bytes payload;
    Callback<onion::SnodeReply> snode_done;
    Callback<onion::V4Response> server_done;
    int failures = 0;
    bool retry_unanswered = true;
    // Paths failed on (by this request, or by the caller's earlier ones): a retry prefers others.
    std::shared_ptr<std::vector<std::uint64_t>> failed_paths;
    std::uint64_t token = 0;  // the current attempt; answers of older attempts are ignored
    std::optional<onion::SymmetricKey> key;
    std::uint64_t path_id = 0;  // of the current attempt
    bool finished = false;
};

namespace {

bool path_has(const Path& p, const Ed25519PublicKey& ed) {
    return std::any_of(p.nodes.begin(), p.nodes.end(),
                       [&](const rpc::ServiceNode& n) { return n.ed25519 == ed; });
}

bool in_list(const std::vector<Ed25519PublicKey>& list, const Ed25519PublicKey& ed) {
    return std::find(list.begin(), list.end(), ed) != list.end();
}

std::vector<onion::Hop> hops_of(const Path& p) {
    std::vector<onion::Hop> hops;
    for (const auto& n : p.nodes) hops.push_back({n.ed25519, n.x25519});
    return hops;
}

}  // namespace

OnionRouter::OnionRouter(Loop& loop, Transport& transport, NodePool& pool,
                         std::shared_ptr<const NodeAddressing> addressing, RouterConfig config)
    : loop_(loop),
      transport_(transport),
      pool_(pool),
      addressing_(std::move(addressing)),
      config_(config) {
    if (config_.hops == 0) config_.hops = 1;
    if (config_.path_count == 0) config_.path_count = 1;
    if (config_.attempts <= 0) config_.attempts = 1;
}

OnionRouter::~OnionRouter() = default;

std::string OnionRouter::diversity_key(const rpc::ServiceNode& node) const {
    const bool by_node =
        config_.diversity == PathDiversity::distinct_nodes ||
        (config_.diversity == PathDiversity::subnet24_except_loopback && node.is_loopback());
    if (by_node) return "node:" + node.ed25519.hex();
    return "net:" + std::to_string(node.ip[0]) + "." + std::to_string(node.ip[1]) + "." +
           std::to_string(node.ip[2]);
}

// [SECTION] Sending -----------------------------------------------------------------------------

void OnionRouter::send_to_snode(const rpc::ServiceNode& target, std::string rpc_json,
                                Callback<onion::SnodeReply> done, SnodeSendOptions options) {
    auto r = std::make_shared<Request>();
    r->id = next_request_id_++;
    r->target = target;
    r->payload = to_bytes(rpc_json);
    r->snode_done = std::move(done);
    r->retry_unanswered = options.retry_unanswered;
    r->failed_paths = options.failed_paths ? std::move(options.failed_paths)
                                           : std::make_shared<std::vector<std::uint64_t>>();
    loop_.post(detail::guarded(alive_, [this, r] { dispatch(r); }));
}

void OnionRouter::send_to_server(const onion::ServerDestination& server, Bytes v4_request,
                                 Callback<onion::V4Response> done) {
    auto r = std::make_shared<Request>();
    r->id = next_request_id_++;
    r->to_server = true;
    r->server = server;
    r->payload = std::move(v4_request);
    r->server_done = std::move(done);
    r->failed_paths = std::make_shared<std::vector<std::uint64_t>>();
    loop_.post(detail::guarded(alive_, [this, r] { dispatch(r); }));
}

void OnionRouter::dispatch(const std::shared_ptr<Request>& r) {
    // Repair paths whose hops left the pool; drop those whose guard did.
    std::vector<std::uint64_t> broken;
    for (auto& p : paths_)
        if (!repair(p)) broken.push_back(p.id);
    for (auto id : broken) drop_path(id);
    if (!broken.empty()) ensure_paths();

    // Every path has gone silent or failed since it last carried an answer: new paths through
    // other nodes are a better bet than another round of timeouts on these.
    if (!paths_.empty() &&
        std::all_of(paths_.begin(), paths_.end(), [](const Path& p) { return p.failures > 0; })) {
        while (!paths_.empty()) drop_path(paths_.front().id);
        waiting_.push_back(r);
        ensure_paths();
        return;
    }

    // Preference: a path without the destination that this request has not failed on; then any
    // path it has not failed on; then any path (the destination then relays to itself, which
    // nodes handle, rather than the request waiting for a better path).
    auto fresh = [&](const Path& p) {
        return std::find(r->failed_paths->begin(), r->failed_paths->end(), p.id) ==
               r->failed_paths->end();
    };
    std::vector<Path*> usable;
    for (auto& p : paths_)
        if (fresh(p) && (r->to_server || !path_has(p, r->target.ed25519))) usable.push_back(&p);
    if (usable.empty())
        for (auto& p : paths_)
            if (fresh(p)) usable.push_back(&p);
    if (usable.empty() && !paths_.empty() && !r->failed_paths->empty()) {
        // This request (or the operation it belongs to) failed on every path we have: rather
        // than go round them again, replace them with paths through other nodes (hops that
        // took strikes in those failures are avoided, see pick_hops).
        std::vector<std::uint64_t> failed;
        for (const auto& p : paths_)
            if (p.failures > 0) failed.push_back(p.id);
        for (auto id : failed) drop_path(id);
    }
    if (usable.empty())
        for (auto& p : paths_) usable.push_back(&p);
    // Of those, the paths with the fewest failures since they last carried an answer: a path that
    // just went silent is left alone while another one works.
    if (!usable.empty()) {
        int fewest = usable.front()->failures;
        for (const Path* p : usable) fewest = std::min(fewest, p->failures);
        usable.erase(std::remove_if(usable.begin(), usable.end(),
                                    [&](const Path* p) { return p->failures > fewest; }),
                     usable.end());
    }
    if (usable.empty()) {
        waiting_.push_back(r);
        ensure_paths();
        return;
    }
    Path& chosen = *usable[pool_.random().below(static_cast<std::uint32_t>(usable.size()))];
    attempt(r, chosen);
}

void OnionRouter::attempt(const std::shared_ptr<Request>& r, Path& path) {
    const auto hops = hops_of(path);
    auto built = r->to_server ? onion::build_to_server(hops, r->server, r->payload)
                              : onion::build_to_snode(hops, {r->target.ed25519, r->target.x25519},
                                                      r->payload);
    if (!built) {  // a malformed destination: no path can help
        finish_error(r, std::move(built).error());
        return;
    }
    r->key = std::move(built->response_key);
    r->path_id = path.id;
    const std::uint64_t token = ++r->token;
    in_flight_[r->id] = r;
    HttpRequest req;
    req.url = addressing_->onion_url(path.nodes.front());
    req.body = std::move(built->body);
    req.timeout = config_.request_timeout;
    const std::uint64_t path_id = path.id;
    detail::send_with_deadline(
        loop_, transport_, alive_, std::move(req),
        detail::guarded(alive_, [this, r, path_id, token](Result<HttpResponse> answer) {
            if (r->finished || r->token != token) return;
            on_answer(r, path_id, std::move(answer));
        }));
}

void OnionRouter::on_answer(const std::shared_ptr<Request>& r, std::uint64_t path_id,
                            Result<HttpResponse> answer) {
    if (!answer) {
        if (answer.error().code == kTimeout) {  // silent: the guard or anything behind it
            unanswered(r, path_id, answer.error());
            return;
        }
        path_failed(path_id);  // refused or broken: the guard itself failed
        retry(r, answer.error());
        return;
    }
    const HttpResponse& resp = *answer;
    if (resp.status == 200) {
        if (r->to_server) {
            auto v4 = onion::decode_v4_response(*r->key, resp.body);
            if (!v4) {
                path_failed(path_id);
                retry(r, v4.error());
                return;
            }
            path_succeeded(path_id, r);
            finish(r, fail("", ""), std::move(*v4));
        } else {
            auto reply = onion::decode_snode_response(*r->key, resp.body);
            if (!reply) {  // a reply we cannot open counts against the path (§6.9)
                path_failed(path_id);
                retry(r, reply.error());
                return;
            }
            path_succeeded(path_id, r);
            finish(r, std::move(*reply), fail("", ""));
        }
        return;
    }

    const std::string_view body = as_chars(resp.body);
    const auto g = onion::classify_guard_error(resp.status, body);
    Error why = rpc::status_error(resp.status, body);
    why.message = "guard: " + why.message;
    const bool named_target = !r->to_server && g.node && *g.node == r->target.ed25519;
    Path* path = find_path(path_id);
    switch (g.kind) {
        case onion::GuardFailure::clock_out_of_sync:
            // The client's clock, not the path: hand the status up like an RPC answer.
            if (r->to_server)
                finish_error(r, rpc::status_error(resp.status, body));
            else
                finish(r, onion::SnodeReply{resp.status, std::string(body)}, fail("", ""));
            return;
        case onion::GuardFailure::node_not_found:
            pool_.drop(*g.node);
            if (named_target) {
                finish_error(
                    r, Error{kDestinationFailed, "the destination node is gone: " + why.message});
                return;
            }
            // A hop of the path is gone: the path is repaired when next used; no path strike
            // when the hop was named, since the rest of the path worked.
            if (!(path && path_has(*path, *g.node))) path_failed(path_id);
            retry(r, why);
            return;
        case onion::GuardFailure::node_not_ready:
            pool_.strike(*g.node);
            if (named_target) {
                finish_error(r, Error{kDestinationFailed,
                                      "the destination node is not ready: " + why.message});
                return;
            }
            path_failed(path_id);
            retry(r, why);
            return;
        case onion::GuardFailure::destination_failed:
            if (r->to_server) {
                finish_error(r, Error{kServerUnreachable, why.message});
            } else {
                pool_.strike(r->target.ed25519);
                finish_error(r, Error{kDestinationFailed, why.message});
            }
            return;
        case onion::GuardFailure::timeout:
            if (r->to_server) {  // the exit → server leg is outside the path; §6.6
                finish_error(r, Error{kServerUnreachable, why.message});
                return;
            }
            unanswered(r, path_id, why);
            return;
        case onion::GuardFailure::invalid_ciphertext:
        case onion::GuardFailure::path_failure:
            if (r->to_server && (resp.status == 502 || resp.status == 504)) {
                finish_error(r, Error{kServerUnreachable, why.message});
                return;
            }
            path_failed(path_id);
            retry(r, why);
            return;
    }
}

// Nothing says whether the path or the destination failed to answer: both carry some blame (a
// failure for the path, a strike for the destination), and a later answered request forgives
// whichever was innocent.
void OnionRouter::unanswered(const std::shared_ptr<Request>& r, std::uint64_t path_id,
                             const Error& why) {
    path_failed(path_id);
    if (r->to_server || r->retry_unanswered) {
        retry(r, why);
        return;
    }
    pool_.strike(r->target.ed25519);
    r->failed_paths->push_back(path_id);
    finish_error(
        r, Error{kNoAnswer, "no answer through the path or from the destination: " + why.message});
}

void OnionRouter::retry(const std::shared_ptr<Request>& r, const Error& why) {
    in_flight_.erase(r->id);
    r->failed_paths->push_back(r->path_id);
    if (++r->failures >= config_.attempts) {
        finish_error(r, Error{kPathFailed, "the request failed on " + std::to_string(r->failures) +
                                               " path(s); last: " + why.message});
        return;
    }
    dispatch(r);
}

void OnionRouter::finish(const std::shared_ptr<Request>& r, Result<onion::SnodeReply> snode,
                         Result<onion::V4Response> server) {
    if (r->finished) return;
    r->finished = true;
    in_flight_.erase(r->id);
    if (r->to_server) {
        auto cb = std::move(r->server_done);
        cb(std::move(server));
    } else {
        auto cb = std::move(r->snode_done);
        cb(std::move(snode));
    }
}

void OnionRouter::finish_error(const std::shared_ptr<Request>& r, Error e) {
    finish(r, Unexpected<Error>(e), Unexpected<Error>(e));
}

// [SECTION] Path failures and repairs -----------------------------------------------------------

Path* OnionRouter::find_path(std::uint64_t id) {
    for (auto& p : paths_)
        if (p.id == id) return &p;
    return nullptr;
}

void OnionRouter::path_failed(std::uint64_t path_id) {
    Path* p = find_path(path_id);
    if (!p) return;
    ++p->failures;
    // Each non-guard hop shares the blame (desktop); a hop at the node threshold leaves the pool
    // and the path is repaired on its next use.
    for (std::size_t i = 1; i < p->nodes.size(); ++i) pool_.strike(p->nodes[i].ed25519);
    if (p->failures >= config_.path_failure_threshold) {
        drop_path(path_id);
        ensure_paths();
    }
}

void OnionRouter::path_succeeded(std::uint64_t path_id, const std::shared_ptr<Request>& r) {
    if (Path* p = find_path(path_id)) {
        p->failures = 0;
        for (const auto& n : p->nodes) pool_.forgive(n.ed25519);
    }
    if (!r->to_server) pool_.forgive(r->target.ed25519);
}

void OnionRouter::drop_path(std::uint64_t path_id) {
    auto it =
        std::find_if(paths_.begin(), paths_.end(), [&](const Path& p) { return p.id == path_id; });
    if (it == paths_.end()) return;
    retired_guards_.push_back(it->nodes.front().ed25519);
    paths_.erase(it);
}

bool OnionRouter::repair(Path& path) {
    if (!pool_.contains(path.nodes.front().ed25519)) return false;
    for (std::size_t i = 1; i < path.nodes.size(); ++i) {
        if (pool_.contains(path.nodes[i].ed25519)) continue;
        // Replace the hop with a random node (not tested: testing would reveal our address).
        std::set<std::string> used;
        for (std::size_t j = 0; j < path.nodes.size(); ++j)
            if (j != i) used.insert(diversity_key(path.nodes[j]));
        std::vector<rpc::ServiceNode> candidates;
        for (const auto& n : pool_.nodes()) {
            bool busy = std::any_of(paths_.begin(), paths_.end(),
                                    [&](const Path& p) { return path_has(p, n.ed25519); });
            if (!busy && !in_list(retired_guards_, n.ed25519) && !used.count(diversity_key(n)))
                candidates.push_back(n);
        }
        if (candidates.empty()) return false;
        path.nodes[i] =
            candidates[pool_.random().below(static_cast<std::uint32_t>(candidates.size()))];
    }
    return true;
}

std::optional<std::vector<rpc::ServiceNode>> OnionRouter::pick_hops(const rpc::ServiceNode& guard,
                                                                    std::size_t count) const {
    // The least suspect nodes first: fewest strikes (a node on a path that just went silent
    // carries one; answered requests forgive the innocent ones), then nodes no other path uses;
    // random among equals.
    // The last session's guards come last too: they are being tested as guards meanwhile, and one
    // taken as a middle hop could not be a guard again (protocol §5.8: guards are kept).
    // Guards of dropped paths come after every other node, but are not excluded: a pool that
    // shrank after a run of failures (hostile answers, nodes leaving) may hold too few other
    // subnets, and excluding them would fail every build while the guard tests keep passing.
    struct Candidate {
        rpc::ServiceNode node;
        bool retired;
        int strikes;
        bool busy;
        bool kept_guard;
    };
    std::vector<Candidate> candidates;
    for (const auto& n : pool_.nodes()) {
        if (n.same_node(guard)) continue;
        const bool busy = std::any_of(paths_.begin(), paths_.end(),
                                      [&](const Path& p) { return path_has(p, n.ed25519); });
        candidates.push_back({n, in_list(retired_guards_, n.ed25519), pool_.failures(n.ed25519), busy,
                              in_list(preferred_guards_, n.ed25519)});
    }
    pool_.random().shuffle(candidates);
    std::stable_sort(
        candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
            if (a.retired != b.retired) return !a.retired;
            if (a.strikes != b.strikes) return a.strikes < b.strikes;
            if (a.busy != b.busy) return !a.busy;
            return !a.kept_guard && b.kept_guard;
        });
    std::set<std::string> used{diversity_key(guard)};
    std::vector<rpc::ServiceNode> picked;
    for (const auto& c : candidates) {
        if (picked.size() == count) break;
        if (used.insert(diversity_key(c.node)).second) picked.push_back(c.node);
    }
    if (picked.size() == count) return picked;
    return std::nullopt;
}

// [SECTION] Building paths ----------------------------------------------------------------------

void OnionRouter::build_paths(Callback<> done) {
    if (!building_ && paths_.size() >= config_.path_count) {
        loop_.post([done = std::move(done)] { done(Result<void>()); });
        return;
    }
    build_waiters_.push_back(std::move(done));
    ensure_paths();
}

void OnionRouter::ensure_paths() {
    if (building_) return;
    if (paths_.size() >= config_.path_count) {
        flush_waiting();
        return;
    }
    building_ = true;
    tested_.clear();
    build_error_.reset();
    pool_.ensure(detail::guarded(alive_, [this](Result<void> ready) {
        if (!ready) {
            build_done(std::move(ready));
            return;
        }
        test_guards(0);
    }));
}

std::vector<crypto::Ed25519PublicKey> OnionRouter::guards() const {
    std::vector<crypto::Ed25519PublicKey> out;
    for (const auto& p : paths_)
        if (!p.nodes.empty()) out.push_back(p.nodes.front().ed25519);
    return out;
}

void OnionRouter::test_guards(int round) {
    const std::size_t need =
        paths_.size() >= config_.path_count ? 0 : config_.path_count - paths_.size();
    if (need == 0) {
        build_done(Result<void>());
        return;
    }
    if (pool_.size() < config_.hops) {
        build_done(fail(kNoNodes, "a path needs " + std::to_string(config_.hops) +
                                      " nodes; the pool has " + std::to_string(pool_.size())));
        return;
    }
    if (round >= config_.guard_test_rounds) {
        build_done(fail(kNoGuard, "no guard candidate answered in " +
                                      std::to_string(config_.guard_test_rounds) + " rounds"));
        return;
    }
    std::vector<rpc::ServiceNode> candidates;
    for (const auto& n : pool_.nodes()) {
        const bool busy = std::any_of(paths_.begin(), paths_.end(),
                                      [&](const Path& p) { return path_has(p, n.ed25519); });
        if (!busy && !in_list(tested_, n.ed25519) && !in_list(retired_guards_, n.ed25519))
            candidates.push_back(n);
    }
    if (candidates.empty() && !retired_guards_.empty()) {
        // Every other node was tried: give the guards of dropped paths another chance.
        retired_guards_.clear();
        test_guards(round);
        return;
    }
    if (candidates.empty()) {
        build_done(fail(kNoGuard, "no untested guard candidate is left in the pool"));
        return;
    }
    pool_.random().shuffle(candidates);
    // Nodes with strikes are tested last: one may be why the previous path went silent. Among the
    // others, the guards of the last session come first.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [this](const rpc::ServiceNode& a, const rpc::ServiceNode& b) {
                         const int fa = pool_.failures(a.ed25519), fb = pool_.failures(b.ed25519);
                         if (fa != fb) return fa < fb;
                         return in_list(preferred_guards_, a.ed25519) && !in_list(preferred_guards_, b.ed25519);
                     });
    candidates.resize(std::min(candidates.size(), need));
    guard_tests_pending_ = candidates.size();
    for (const auto& c : candidates) {
        tested_.push_back(c.ed25519);
        HttpRequest req;
        req.timeout = config_.guard_test_timeout;
        std::shared_ptr<onion::SymmetricKey> key;  // set for an onion test
        if (auto direct = addressing_->rpc_url(c)) {
            // Desktop's test: a direct get_swarm, for a random account so the answer proves the
            // node works without telling it who we are.
            Bytes random_key(32);
            for (auto& b : random_key) b = static_cast<std::uint8_t>(pool_.random().below(256));
            req.url = std::move(*direct);
            req.headers.push_back({"Content-Type", "application/json"});
            req.body = to_bytes(rpc::get_swarm("05" + to_hex(random_key)).to_json());
        } else {
            // No direct route (behind a relay): an `info` in a single onion layer whose
            // destination is the candidate itself.
            auto built =
                onion::build_to_snode({}, {c.ed25519, c.x25519}, as_bytes(rpc::info().to_json()));
            if (!built) {
                loop_.post(detail::guarded(alive_,
                                           [this, c, round] { on_guard_tested(c, false, round); }));
                continue;
            }
            key = std::make_shared<onion::SymmetricKey>(std::move(built->response_key));
            req.url = addressing_->onion_url(c);
            req.body = std::move(built->body);
        }
        detail::send_with_deadline(
            loop_, transport_, alive_, std::move(req),
            detail::guarded(alive_, [this, c, round, key](Result<HttpResponse> r) {
                bool ok = r && r->status >= 200 && r->status < 300;
                if (ok && key) {
                    auto reply = onion::decode_snode_response(*key, r->body);
                    ok = reply && reply->status == 200;
                }
                on_guard_tested(c, ok, round);
            }));
    }
}

void OnionRouter::on_guard_tested(const rpc::ServiceNode& candidate, bool ok, int round) {
    if (guard_tests_pending_ > 0) --guard_tests_pending_;
    const bool busy = std::any_of(paths_.begin(), paths_.end(),
                                  [&](const Path& p) { return path_has(p, candidate.ed25519); });
    if (ok && paths_.size() < config_.path_count && pool_.contains(candidate.ed25519) && !busy) {
        if (auto hops = pick_hops(candidate, config_.hops - 1)) {
            Path p;
            p.id = next_path_id_++;
            p.nodes.push_back(candidate);
            p.nodes.insert(p.nodes.end(), hops->begin(), hops->end());
            paths_.push_back(std::move(p));
            flush_waiting();  // requests need not wait for the second path
        } else {
            build_error_ = Error{kNoNodes, "not enough nodes in distinct subnets for a path"};
        }
    }
    if (guard_tests_pending_ > 0) return;
    if (paths_.size() >= config_.path_count)
        build_done(Result<void>());
    else if (build_error_)
        build_done(Unexpected<Error>(*build_error_));
    else
        test_guards(round + 1);
}

void OnionRouter::build_done(Result<void> result) {
    building_ = false;
    if (!paths_.empty()) {
        flush_waiting();
        auto waiters = std::move(build_waiters_);
        build_waiters_.clear();
        for (auto& cb : waiters) cb(Result<void>());
        return;
    }
    Error e = result ? Error{kNoGuard, "no path could be built"} : std::move(result).error();
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& r : waiting) finish_error(r, e);
    auto waiters = std::move(build_waiters_);
    build_waiters_.clear();
    for (auto& cb : waiters) cb(Unexpected<Error>(e));
}

void OnionRouter::flush_waiting() {
    if (paths_.empty()) return;
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& r : waiting) dispatch(r);
}

}  // namespace st::net
