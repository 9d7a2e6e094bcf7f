#include "st/net/poller.hpp"

#include <algorithm>
#include <set>

#include "guarded.hpp"
#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::net {

using detail::guarded;

namespace {
// Seen hashes are kept until the message expires, but never longer than the longest TTL: a node
// cannot make the set grow forever with far-future expirations.
constexpr std::int64_t kMaxSeenLifetime = 30LL * 24 * 3600 * 1000;
}  // namespace

struct Poller::Round {
    struct Answer {
        rpc::ServiceNode node;
        Result<RpcReply> reply;
    };
    std::vector<Answer> answers;
    std::vector<rpc::ServiceNode> spare;  // members not asked yet: stand-ins for failed ones
    std::vector<Error> skipped;           // why members were replaced by stand-ins
    std::set<std::string> resynced;       // members re-asked after a clock resync
    std::size_t pending = 0;
    Callback<PollReport> done;
};

Poller::Poller(Network& network, crypto::Identity identity, PollStateStore& state,
               PollerConfig config, ItemsHandler on_items)
    : network_(network),
      identity_(std::move(identity)),
      state_(state),
      config_(std::move(config)),
      on_items_(std::move(on_items)) {
    if (config_.nodes_per_poll == 0) config_.nodes_per_poll = 1;
    if (config_.namespaces.size() > 20) config_.namespaces.resize(20);  // one batch holds 20
}

Poller::~Poller() {
    if (timer_) network_.loop().cancel(timer_);
}

void Poller::start() {
    if (running_) return;
    running_ = true;
    network_.loop().post(guarded(alive_, [this] { tick(); }));
}

void Poller::stop() {
    running_ = false;
    if (timer_) network_.loop().cancel(timer_);
    timer_ = 0;
}

void Poller::tick() {
    timer_ = 0;
    if (!running_ || polling_) return;
    polling_ = true;
    poll_once(guarded(alive_, [this](Result<PollReport> report) {
        polling_ = false;
        schedule_next(report && report->more);
    }));
}

void Poller::schedule_next(bool more) {
    if (!running_) return;
    // A node that had more than it could return is asked again at once, a few times in a row.
    more_streak_ = more ? more_streak_ + 1 : 0;
    const auto delay = (more && more_streak_ <= 5) ? std::chrono::milliseconds(0) : interval();
    last_end_ = network_.loop().clock().steady();
    timer_ = network_.loop().post_after(delay, guarded(alive_, [this] { tick(); }));
}

std::chrono::milliseconds Poller::interval() const {
    switch (pace_) {
        case Pace::Idle: return config_.idle_interval;
        case Pace::Active: return config_.active_interval;
        case Pace::Conversation: return config_.conversation_interval;
    }
    return config_.active_interval;
}

void Poller::set_pace(Pace pace) {
    const auto before = interval();
    pace_ = pace;
    // Waiting longer than the new pace allows: the next poll comes when the new pace says.
    if (!running_ || polling_ || !timer_ || interval() >= before) return;
    const auto now = network_.loop().clock().steady();
    const auto due = last_end_ + interval();
    network_.loop().cancel(timer_);
    timer_ = network_.loop().post_after(due > now ? due - now : std::chrono::milliseconds(0),
                                        guarded(alive_, [this] { tick(); }));
}

void Poller::poll_once(Callback<PollReport> done) {
    auto round = std::make_shared<Round>();
    round->done = std::move(done);
    network_.swarm_for(
        identity_.session_id(),
        guarded(alive_, [this, round](Result<std::vector<rpc::ServiceNode>> members) {
            if (!members || members->empty()) {
                PollReport report;
                report.errors.push_back(members ? Error{kNoSwarm, "our swarm has no known member"}
                                                : members.error());
                if (on_report_) on_report_(report);
                auto cb = std::move(round->done);
                cb(std::move(report));
                return;
            }
            auto chosen = *members;
            network_.random().shuffle(chosen);
            const std::size_t n = std::min(chosen.size(), config_.nodes_per_poll);
            round->spare.assign(chosen.begin() + static_cast<std::ptrdiff_t>(n), chosen.end());
            chosen.resize(n);
            round->pending = chosen.size();
            for (const auto& node : chosen) ask(round, node);
        }));
}

void Poller::ask(const std::shared_ptr<Round>& round, const rpc::ServiceNode& node) {
    const std::string account = identity_.session_id().hex();
    network_.node_request(
        identity_.session_id(), node,
        [this, node, account](std::int64_t now) -> Result<rpc::Request> {
            std::vector<rpc::Request> retrieves;
            for (auto ns : config_.namespaces) {
                rpc::RetrieveParams p;
                p.ns = ns;
                p.timestamp_ms = now;
                p.last_hash = state_.last_hash(account, node.ed25519, ns);
                if (!p.last_hash.empty() && !rpc::is_valid_hash(p.last_hash)) p.last_hash.clear();
                auto size = config_.max_size.find(ns);
                p.max_size = size != config_.max_size.end() ? size->second : -8;
                auto r = rpc::retrieve(identity_, p);
                if (!r) return Unexpected<Error>(std::move(r).error());
                retrieves.push_back(std::move(*r));
            }
            return rpc::batch(retrieves);
        },
        guarded(alive_, [this, round, node](Result<RpcReply> reply) {
            // The batch itself succeeds; its retrieves carry their own status (§5.4.13). A clock
            // error means our signatures' timestamps are off: resync, then ask this member once
            // more. A 421 names our swarm's real members for the next poll.
            bool clock_error = false;
            if (reply)
                if (auto results = rpc::parse_batch(reply->body))
                    for (const auto& sub : *results) {
                        const auto action = rpc::action_for(sub.code);
                        if (action == rpc::StatusAction::resync_clock) clock_error = true;
                        if (action == rpc::StatusAction::update_swarm)
                            network_.wrong_swarm(identity_.session_id(), node, sub.body);
                    }
            if (clock_error && round->resynced.insert(node.ed25519.hex()).second) {
                network_.resync_clock(guarded(alive_, [this, round, node](Result<void> synced) {
                    if (synced) {
                        ask(round, node);
                        return;
                    }
                    round->answers.push_back({node, Unexpected<Error>(std::move(synced).error())});
                    if (--round->pending == 0) merge(round);
                }));
                return;
            }
            // A member that did not answer (stopped, struck, or the path failed) or whose clock
            // still disagrees after a resync is replaced by another member in the same round,
            // so one bad node cannot hide new messages.
            if ((!reply || clock_error) && !round->spare.empty()) {
                round->skipped.push_back(
                    reply ? Error{rpc::kClockOutOfSync,
                                  "the member's clock disagrees with the network's"}
                          : std::move(reply).error());
                const auto stand_in = round->spare.back();
                round->spare.pop_back();
                ask(round, stand_in);
                return;
            }
            round->answers.push_back({node, std::move(reply)});
            if (--round->pending == 0) merge(round);
        }));
}

void Poller::merge(const std::shared_ptr<Round>& round) {
    const std::string account = identity_.session_id().hex();
    const std::int64_t now = network_.now_ms();
    state_.prune(now);
    PollReport report;
    report.nodes_asked = round->answers.size() + round->skipped.size();
    report.errors = std::move(round->skipped);
    std::vector<RetrievedItem> fresh;
    std::set<std::string> this_round;
    for (auto& answer : round->answers) {
        if (!answer.reply) {
            report.errors.push_back(answer.reply.error());
            continue;
        }
        auto results = rpc::parse_batch(answer.reply->body);
        if (!results) {
            report.errors.push_back(results.error());
            continue;
        }
        ++report.nodes_answered;
        const std::size_t n = std::min(results->size(), config_.namespaces.size());
        for (std::size_t i = 0; i < n; ++i) {
            const auto ns = config_.namespaces[i];
            const auto& sub = (*results)[i];
            if (sub.code != 200) {
                report.errors.push_back(rpc::status_error(sub.code, sub.body));
                continue;
            }
            auto retrieved = rpc::parse_retrieve(sub.body);
            if (!retrieved) {
                report.errors.push_back(retrieved.error());
                continue;
            }
            if (retrieved->more) report.more = true;
            // The node's last message is where it continues next time (§7.4), even when every
            // message was a duplicate.
            if (!retrieved->messages.empty())
                state_.set_last_hash(account, answer.node.ed25519, ns,
                                     retrieved->messages.back().hash);
            for (auto& m : retrieved->messages) {
                const bool seen = !config_.redeliver.contains(ns) && state_.seen(m.hash);
                if (seen || !this_round.insert(m.hash).second) {
                    ++report.duplicates;
                    continue;
                }
                fresh.push_back(
                    {std::move(m.hash), std::move(m.data), m.timestamp, m.expiration, ns});
            }
        }
    }
    for (const auto& item : fresh)
        state_.mark_seen(item.hash, std::min(item.expiration, now + kMaxSeenLifetime));
    report.new_items = fresh.size();
    if (!fresh.empty() && on_items_) on_items_(std::move(fresh));
    if (on_report_) on_report_(report);
    auto cb = std::move(round->done);
    cb(std::move(report));
}

}  // namespace st::net
