// AccountSession: deletion and disappearing messages (protocol §8.2, §8.3, §5.4) — the parts of
// account_session.hpp marked deletion.cpp.
//
//   set_disappearing        the conversation's setting, a notice line, an ExpirationUpdate
//                           to them and (syncTarget) to our other devices
//   delete_for_everyone     an UnsendRequest to them and to us; our swarm's copy deleted; a
//                           placeholder stays ("This message was deleted")
//   delete_for_me           gone here, and its copy in our swarm deleted
//   delete_conversation     every message of it, here and in our swarm
//   sweep_expired           disappearing messages whose time ended, gone (also at load)
//   clear_device_and_network  delete_all in our swarm, then the device
#include <algorithm>

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "disappearing.hpp"
#include "incoming.hpp"
#include "sentences.hpp"
#include "text.hpp"

namespace st::app {
namespace {

using net::detail::guarded;

// Hashes per `delete` request: a long conversation is deleted in several requests.
constexpr std::size_t kHashesPerRequest = 100;
constexpr std::size_t kExpiryPage = 200;

// "<16 hex ms>/<o|i>" → (sent ms, outgoing).
std::optional<std::pair<std::uint64_t, bool>> parse_message_id(const std::string& id) {
    if (id.size() != 18 || id[16] != '/' || (id[17] != 'o' && id[17] != 'i')) return std::nullopt;
    std::uint64_t ms = 0;
    for (int i = 0; i < 16; ++i) {
        const char ch = id[static_cast<std::size_t>(i)];
        const int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        ms = ms << 4 | static_cast<std::uint64_t>(digit);
    }
    return std::pair{ms, id[17] == 'o'};
}

std::string node_label(const std::string& ed_hex) { return ed_hex.substr(0, 8) + "…"; }

}  // namespace

// [SECTION] Disappearing messages ----------------------------------------------------------------

void AccountSession::set_disappearing(const std::string& peer, DisappearingMode mode, std::uint32_t seconds) {
    auto* c = conversations_.find(peer);
    if (!c) return;
    if (mode == DisappearingMode::Off) seconds = 0;
    if (!disappearing::allowed(mode, seconds, env_.config.short_disappearing_timers)) return;
    if (c->record.disappearing == mode && c->record.disappearing_seconds == seconds) return;

    records::OutboxEntry entry;
    entry.kind = records::OutboxEntry::Kind::ExpirationUpdate;
    entry.peer = peer;
    entry.sent_ms = next_sent_ms();
    entry.disappearing = mode;
    entry.disappearing_seconds = seconds;

    c->record.disappearing = mode;
    c->record.disappearing_seconds = seconds;
    c->record.disappearing_changed_ms = static_cast<std::int64_t>(entry.sent_ms);
    MessageView notice = records::message_view(records::message_id(entry.sent_ms, true), true,
                                               disappearing::notice_text({}, mode, seconds),
                                               static_cast<std::int64_t>(entry.sent_ms), DeliveryState::Sent,
                                               MessageKind::Notice);
    conversations_.note_message(peer, notice);
    std::vector<store::KvWrite> batch;
    conversations_.save(peer, batch);
    queue_durably(peer, std::move(notice), std::move(batch), {std::move(entry)});
    sync_to_config();
    env_.changed();
}

void AccountSession::start_read_timers(const std::string& peer, const std::vector<std::uint64_t>& sent_timestamps) {
    if (sent_timestamps.empty()) return;
    struct Pending {
        std::vector<std::string> hashes;
        std::size_t left = 0;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = sent_timestamps.size();
    const auto now = now_ms();
    for (auto ts : sent_timestamps) {
        messages_.update(
            peer, records::message_id(ts, false),
            [now](MessageView& m) {
                if (m.kind != MessageKind::Text || m.disappearing != DisappearingMode::AfterRead || m.expires_ms)
                    return false;
                m.expires_ms = now + std::int64_t{m.disappearing_seconds} * 1000;
                return true;
            },
            guarded(alive_, [this, pending](std::optional<MessageView> m) {
                if (m && !m->swarm_hash.empty()) pending->hashes.push_back(m->swarm_hash);
                if (--pending->left > 0 || pending->hashes.empty()) return;
                // All read at the same moment: one `expire` for the lot. Each ends at its own
                // time here; the swarm's copies go at the latest of them.
                queue_swarm_expire(std::move(pending->hashes), m ? m->expires_ms : now_ms());
            }));
    }
}

void AccountSession::schedule_expiry(std::int64_t at_ms) {
    if (shut_down_ || (expiry_timer_ && expiry_at_ <= at_ms)) return;
    if (expiry_timer_) env_.loop.cancel(expiry_timer_);
    expiry_at_ = at_ms;
    const auto delay = std::chrono::milliseconds(std::max<std::int64_t>(0, at_ms - now_ms()) + 1);
    expiry_timer_ = env_.loop.post_after(delay, guarded(alive_, [this] {
        expiry_timer_ = 0;
        expiry_at_ = 0;
        sweep_expired();
    }));
}

void AccountSession::sweep_expired(std::function<void()> done) {
    if (sweeping_) {
        sweep_again_ = true;
        if (done) done();
        return;
    }
    sweeping_ = true;
    const auto now = now_ms();
    const auto prefix = keys_.expiries();
    env_.store.scan(prefix, {}, kExpiryPage, guarded(alive_, [this, now, prefix, done = std::move(done)](
                                                                 Result<std::vector<store::KvEntry>> r) mutable {
        std::vector<store::KvWrite> batch;
        std::set<std::string> peers;
        std::int64_t next = 0;
        bool more = false;
        if (r) {
            for (const auto& e : *r) {
                auto entry = records::parse_expiry(std::string_view(e.key).substr(prefix.size()));
                if (entry && entry->expires_ms > now) {
                    next = entry->expires_ms;
                    break;
                }
                batch.push_back(store::KvWrite::erase(e.key));
                if (!entry) continue;
                auto parsed = parse_message_id(entry->message_id);
                if (!parsed) continue;
                MessageView m;
                m.id = entry->message_id;
                m.sent_ms = static_cast<std::int64_t>(parsed->first);
                m.outgoing = parsed->second;
                forget_message(entry->peer, m, batch);
                peers.insert(entry->peer);
            }
            more = next == 0 && r->size() == kExpiryPage;
        }
        writer_.write(std::move(batch), guarded(alive_, [this, peers, next, more, done = std::move(done)](Result<>) mutable {
            auto finished = [this, next, more, done = std::move(done)]() mutable {
                sweeping_ = false;
                if (more || std::exchange(sweep_again_, false)) return sweep_expired(std::move(done));
                if (next) schedule_expiry(next);
                if (done) done();
            };
            if (peers.empty()) return finished();
            // Previews must not keep the text of what just disappeared.
            auto left = std::make_shared<std::size_t>(peers.size());
            auto shared_finish = std::make_shared<decltype(finished)>(std::move(finished));
            for (const auto& peer : peers) {
                refresh_preview(peer, [left, shared_finish] {
                    if (--*left == 0) (*shared_finish)();
                });
            }
            env_.changed();
        }));
    }));
}

// [SECTION] Deleting messages ---------------------------------------------------------------------

void AccountSession::forget_message(const std::string& peer, const MessageView& m, std::vector<store::KvWrite>& batch) {
    messages_.erase(peer, m.id, batch);
    // Its text leaves the preview with the bubble, not a storage round trip later
    // (refresh_preview then shows the newest message left).
    if (auto* c = conversations_.find(peer); c && c->record.last_ms == m.sent_ms) c->record.last_message.clear();
    if (m.expires_ms) batch.push_back(store::KvWrite::erase(keys_.expiry(m.expires_ms, peer, m.id)));
    const auto sent = static_cast<std::uint64_t>(m.sent_ms);
    if (m.outgoing) {
        // Not sent yet: it will not be (a message deleted or expired before it went out).
        outbox_.cancel(
            [&](const records::OutboxEntry& e) {
                return e.kind == records::OutboxEntry::Kind::Text && e.peer == peer && e.sent_ms == sent;
            },
            batch);
    } else if (auto* c = conversations_.find(peer)) {
        if (std::erase(c->record.unread, sent)) conversations_.save(peer, batch);
    }
}

void AccountSession::refresh_preview(const std::string& peer, std::function<void()> done) {
    messages_.newest(peer, guarded(alive_, [this, peer, done = std::move(done)](std::optional<MessageView> newest) {
        if (auto* c = conversations_.find(peer)) {
            c->record.last_message.clear();
            if (newest) {
                c->record.last_ms = newest->sent_ms;
                c->record.last_message = preview_of(*newest);
            }
            std::vector<store::KvWrite> batch;
            conversations_.save(peer, batch);
            writer_.write(std::move(batch));
            env_.changed();
        }
        if (done) done();
    }));
}

void AccountSession::queue_swarm_delete(std::vector<std::string> hashes) {
    std::erase_if(hashes, [](const std::string& h) { return h.empty(); });
    std::vector<records::OutboxEntry> entries;
    for (std::size_t i = 0; i < hashes.size(); i += kHashesPerRequest) {
        records::OutboxEntry e;
        e.kind = records::OutboxEntry::Kind::SwarmDelete;
        e.peer = me_;
        e.sent_ms = next_sent_ms();
        e.hashes.assign(hashes.begin() + static_cast<std::ptrdiff_t>(i),
                        hashes.begin() + static_cast<std::ptrdiff_t>(std::min(hashes.size(), i + kHashesPerRequest)));
        entries.push_back(std::move(e));
    }
    if (!entries.empty()) write_then_queue({}, std::move(entries));
}

void AccountSession::queue_swarm_expire(std::vector<std::string> hashes, std::int64_t expires_ms) {
    std::erase_if(hashes, [](const std::string& h) { return h.empty(); });
    if (hashes.empty()) return;
    records::OutboxEntry e;
    e.kind = records::OutboxEntry::Kind::SwarmExpire;
    e.peer = me_;
    e.sent_ms = next_sent_ms();
    e.hashes = std::move(hashes);
    e.expires_ms = expires_ms;
    write_then_queue({}, {std::move(e)});
}

void AccountSession::delete_for_everyone(const std::string& peer, const std::string& id) {
    auto* found = messages_.find_open(peer, id);
    // Only our own messages that reached the network (protocol §8.2: only the author unsends).
    if (!found || !found->outgoing || found->kind != MessageKind::Text ||
        (found->delivery != DeliveryState::Sent && found->delivery != DeliveryState::Read))
        return;
    MessageView m = *found;
    const auto hash = m.swarm_hash;
    std::vector<store::KvWrite> batch;
    std::vector<records::OutboxEntry> entries;
    records::OutboxEntry unsend;
    unsend.kind = records::OutboxEntry::Kind::Unsend;
    unsend.peer = peer;
    unsend.sent_ms = next_sent_ms();
    unsend.target_ms = static_cast<std::uint64_t>(m.sent_ms);
    entries.push_back(std::move(unsend));
    if (!hash.empty()) {
        records::OutboxEntry del;
        del.kind = records::OutboxEntry::Kind::SwarmDelete;
        del.peer = me_;
        del.sent_ms = next_sent_ms();
        del.hashes = {hash};
        entries.push_back(std::move(del));
    }
    if (peer == me_) {
        forget_message(peer, m, batch);  // Note to Self: nothing stays
    } else {
        if (m.expires_ms) batch.push_back(store::KvWrite::erase(keys_.expiry(m.expires_ms, peer, m.id)));
        make_deleted(m);
        messages_.put(peer, std::move(m), batch);
    }
    write_then_queue(std::move(batch), std::move(entries), guarded(alive_, [this, peer](Result<>) { refresh_preview(peer); }));
    env_.changed();
}

void AccountSession::delete_for_me(const std::string& peer, const std::string& id) {
    auto* found = messages_.find_open(peer, id);
    if (!found) return;
    MessageView m = *found;
    std::vector<store::KvWrite> batch;
    forget_message(peer, m, batch);
    std::vector<records::OutboxEntry> entries;
    if (!m.swarm_hash.empty()) {
        records::OutboxEntry del;
        del.kind = records::OutboxEntry::Kind::SwarmDelete;
        del.peer = me_;
        del.sent_ms = next_sent_ms();
        del.hashes = {m.swarm_hash};
        entries.push_back(std::move(del));
    }
    write_then_queue(std::move(batch), std::move(entries), guarded(alive_, [this, peer](Result<>) { refresh_preview(peer); }));
    env_.changed();
}

void AccountSession::delete_conversation(const std::string& peer) {
    if (!conversations_.find(peer)) return;
    if (messages_.open_peer() == peer) {
        messages_.close();
        update_poll_pace();
    }
    // Gone from the list at once; its records and swarm copies follow.
    conversations_.erase(peer);
    std::vector<store::KvWrite> batch;
    batch.push_back(store::KvWrite::erase(keys_.conversation(peer)));
    outbox_.cancel(
        [&](const records::OutboxEntry& e) {
            return e.peer == peer && (e.kind == records::OutboxEntry::Kind::Text ||
                                      e.kind == records::OutboxEntry::Kind::ReadReceipt);
        },
        batch);
    writer_.write(std::move(batch));
    env_.changed();
    messages_.swarm_hashes(peer, guarded(alive_, [this, peer](std::vector<std::string> hashes) {
        // A message arriving meanwhile re-creates the conversation: then only what was read goes.
        if (!conversations_.find(peer)) messages_.erase_all(peer, [](Result<>) {});
        queue_swarm_delete(std::move(hashes));
    }));
}

// [SECTION] Clear device and network ----------------------------------------------------------------

void AccountSession::shut_down() {
    shut_down_ = true;
    outbox_.pause();
    if (poller_) poller_->stop();
    config_.pause();
    if (expiry_timer_) env_.loop.cancel(expiry_timer_);
    expiry_timer_ = 0;
}

void AccountSession::clear_device_and_network() {
    if (clear_network_.stage == ClearNetworkStage::Working || shut_down_ || !swarm_admin_) return;
    clear_network_ = ClearNetworkView{};
    clear_network_.stage = ClearNetworkStage::Working;
    // Nothing new goes to our swarm while it is being emptied.
    outbox_.pause();
    config_.pause();
    if (poller_) poller_->stop();
    env_.changed();
    network_->swarm_for(identity_.session_id(), guarded(alive_, [this](Result<std::vector<rpc::ServiceNode>> r) {
        if (!r || clear_network_.stage != ClearNetworkStage::Working || !clear_network_.members.empty()) return;
        for (const auto& node : *r) clear_network_.members.push_back({node_label(node.ed25519.hex()), false, {}});
        env_.changed();
    }));
    swarm_admin_->delete_all(guarded(alive_, [this](Result<net::SwarmReport> r) { finish_clear_network(std::move(r)); }));
}

void AccountSession::finish_clear_network(Result<net::SwarmReport> report) {
    auto resume = [this] {
        outbox_.resume();
        config_.resume();
        if (poller_) poller_->start();
    };
    if (!report) {
        clear_network_.stage = ClearNetworkStage::Failed;
        clear_network_.problem = Problem{std::string(report.error().code),
                                         "Your swarm could not be reached (" + sentences::offline(report.error()) +
                                             "). Nothing was deleted on this device.",
                                         std::nullopt};
        resume();
        env_.changed();
        return;
    }
    clear_network_.members.clear();
    std::string first_problem;
    for (const auto& m : report->members) {
        clear_network_.members.push_back({node_label(m.node), m.confirmed, m.problem});
        if (!m.confirmed && first_problem.empty()) first_problem = node_label(m.node) + " " + m.problem;
    }
    if (report->all_confirmed()) {
        env_.changed();
        env_.wipe();  // ends this session (posted: it runs after this returns)
        return;
    }
    clear_network_.stage = ClearNetworkStage::Failed;
    clear_network_.problem =
        Problem{"swarm.not_confirmed",
                std::to_string(report->confirmed()) + " of " + std::to_string(report->members.size()) +
                    " nodes of your swarm confirmed the deletion" + (first_problem.empty() ? "" : "; " + first_problem) +
                    ". Nothing was deleted on this device.",
                std::nullopt};
    resume();
    env_.changed();
}

void AccountSession::dismiss_clear_network() {
    if (clear_network_.stage != ClearNetworkStage::Failed) return;
    clear_network_ = ClearNetworkView{};
    env_.changed();
}

}  // namespace st::app
