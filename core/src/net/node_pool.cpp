#include "st/net/node_pool.hpp"

#include <algorithm>

#include "deadline.hpp"
#include "guarded.hpp"
#include "st/rpc/requests.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

namespace {

// "scheme://host[:port][/]" → + "/json_rpc"; a URL with a path is used as it is.
std::string seed_endpoint(std::string url) {
    const auto scheme = url.find("://");
    const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (path == std::string::npos || path == url.size() - 1) {
        while (!url.empty() && url.back() == '/') url.pop_back();
        url += "/json_rpc";
    }
    return url;
}

}  // namespace

NodePool::NodePool(Loop& loop, Transport& transport, PoolConfig config, Random& random)
    : loop_(loop), transport_(transport), config_(std::move(config)), random_(random) {}

NodePool::~NodePool() = default;

void NodePool::set_nodes(std::vector<rpc::ServiceNode> nodes) {
    // One entry per Ed25519 key (a list could repeat a node).
    std::vector<rpc::ServiceNode> unique;
    for (auto& n : nodes)
        if (std::none_of(unique.begin(), unique.end(),
                         [&](const rpc::ServiceNode& u) { return u.same_node(n); }))
            unique.push_back(std::move(n));
    nodes_ = std::move(unique);
    std::map<crypto::Ed25519PublicKey, int> kept;
    for (const auto& n : nodes_)
        if (auto it = failures_.find(n.ed25519); it != failures_.end()) kept.insert(*it);
    failures_ = std::move(kept);
}

void NodePool::adopt(std::vector<rpc::ServiceNode> nodes) {
    set_nodes(std::move(nodes));
    if (!nodes_.empty()) {
        last_fetch_ = loop_.clock().steady();
        last_fetch_size_ = nodes_.size();
    }
}

std::optional<rpc::ServiceNode> NodePool::find(const crypto::Ed25519PublicKey& ed) const {
    for (const auto& n : nodes_)
        if (n.ed25519 == ed) return n;
    return std::nullopt;
}

bool NodePool::has_swarm_ids() const {
    return !nodes_.empty() && std::all_of(nodes_.begin(), nodes_.end(),
                                          [](const auto& n) { return n.swarm_id.has_value(); });
}

void NodePool::ensure(Callback<> done) {
    // A network that is small by itself is not asked again and again; a pool that shrank from a
    // full list is refilled soon.
    const auto cooldown = last_fetch_size_ >= config_.min_nodes ? config_.shrunk_refetch_cooldown : config_.refetch_cooldown;
    const bool recent = last_fetch_ && !nodes_.empty() && loop_.clock().steady() - *last_fetch_ < cooldown;
    if (nodes_.size() >= config_.min_nodes || recent) {
        loop_.post([done = std::move(done)] { done(Result<void>()); });
        return;
    }
    refresh(std::move(done));
}

void NodePool::refresh(Callback<> done) {
    waiting_.push_back(std::move(done));
    if (fetching_) return;
    fetching_ = true;
    std::vector<std::string> order = config_.seed_urls;
    random_.shuffle(order);
    if (order.empty()) {
        loop_.post(detail::guarded(alive_, [this] {
            finish_fetch(fail(kNoSeeds, "no service nodes are known and no seed URL is set"));
        }));
        return;
    }
    fetch_from(0, std::move(order), {});
}

void NodePool::fetch_from(std::size_t index, std::vector<std::string> order,
                          std::string last_error) {
    if (index >= order.size()) {
        finish_fetch(
            fail(kSeedFailed, "no seed node gave a service node list (" + last_error + ")"));
        return;
    }
    std::string url = order[index];
    HttpRequest req;
    req.url = seed_endpoint(url);
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = to_bytes(rpc::seed_request_body());
    req.timeout = config_.seed_timeout;
    detail::send_with_deadline(
        loop_, transport_, alive_, std::move(req),
        detail::guarded(alive_, [this, index, order, url](Result<HttpResponse> r) mutable {
            std::string why;
            if (!r) {
                why = url + ": " + r.error().message;
            } else if (r->status != 200) {
                why = url + ": HTTP " + std::to_string(r->status);
            } else {
                auto list = rpc::parse_service_nodes(as_chars(r->body));
                if (!list)
                    why = url + ": " + list.error().message;
                else if (list->empty())
                    why = url + ": an empty list";
                else {
                    set_nodes(std::move(*list));
                    last_fetch_ = loop_.clock().steady();
                    last_fetch_size_ = nodes_.size();
                    finish_fetch(Result<void>());
                    return;
                }
            }
            fetch_from(index + 1, std::move(order), std::move(why));
        }));
}

void NodePool::finish_fetch(Result<void> result) {
    fetching_ = false;
    // A failed refresh still leaves the known nodes usable.
    if (!result && !nodes_.empty()) result = Result<void>();
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& cb : waiting) cb(result);
}

bool NodePool::strike(const crypto::Ed25519PublicKey& ed, int count) {
    if (!contains(ed)) return false;
    int& f = failures_[ed];
    f += count;
    if (f >= config_.failure_threshold) {
        drop(ed);
        return true;
    }
    return false;
}

void NodePool::drop(const crypto::Ed25519PublicKey& ed) {
    if (!contains(ed)) return;
    nodes_.erase(std::remove_if(nodes_.begin(), nodes_.end(),
                                [&](const rpc::ServiceNode& n) { return n.ed25519 == ed; }),
                 nodes_.end());
    failures_.erase(ed);
    if (on_drop_) on_drop_(ed);
}

int NodePool::failures(const crypto::Ed25519PublicKey& ed) const {
    auto it = failures_.find(ed);
    return it == failures_.end() ? 0 : it->second;
}

}  // namespace st::net
