#include "incoming.hpp"

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "disappearing.hpp"
#include "text.hpp"

namespace st::app {

using net::detail::guarded;

void Incoming::handle(const proto::IncomingEvent& event, const net::RetrievedItem& item) {
    item_ = &item;
    std::visit([&](const auto& body) { on(event, body); }, event.body);
    item_ = nullptr;
}

MessageView* Incoming::pending(const std::string& peer, const std::string& id) {
    auto it = pending_.find({peer, id});
    return it == pending_.end() ? nullptr : &it->second;
}

// A message from a contact — or from ourselves without a syncTarget: a Note to Self written on
// another device (protocol §8.1).
void Incoming::on(const proto::IncomingEvent& e, const proto::VisibleMessage& m) {
    const auto sender = e.sender.hex();
    if (sender == s_.me_) return our_own_message(sender, e, m.body);
    // Blocked: dropped unseen — not stored, not counted, no receipt, nothing learnt.
    if (s_.contacts_.blocked(sender)) return;

    // Any message from them means they accepted us (protocol §8.4 didApproveMe).
    auto& contact = s_.contacts_.ensure(sender, s_.now_ms());
    if (!contact.approved_me) contact.approved_me = true;
    if (m.profile) s_.contacts_.apply_profile(sender, *m.profile, s_.now_ms());
    contacts_touched_.insert(sender);
    if (m.body.empty()) return;  // attachments only: not shown yet

    MessageView view = records::message_view(records::message_id(e.sent_ms, false), false, m.body,
                                             static_cast<std::int64_t>(e.sent_ms));
    // Disappearing (protocol §8.3): the message carries its own setting. After send it ends at
    // sent + timer; after read, once read — now, if the conversation is on screen.
    view.disappearing = disappearing::from_proto(e.expiration.type);
    view.disappearing_seconds = view.disappearing == DisappearingMode::Off ? 0 : e.expiration.timer_seconds;
    if (view.disappearing_seconds == 0) view.disappearing = DisappearingMode::Off;
    view.expires_ms = disappearing::expires_at(view.disappearing, view.disappearing_seconds, view.sent_ms, false);
    view.swarm_hash = item_ ? item_->hash : std::string();
    const auto now = s_.now_ms();
    if (view.expires_ms && view.expires_ms <= now) return;  // its time ended before it reached us

    const bool read_now = s_.foreground_ && s_.messages_.open_peer() == sender;
    if (read_now && view.disappearing == DisappearingMode::AfterRead) {
        view.expires_ms = now + std::int64_t{view.disappearing_seconds} * 1000;
        if (!view.swarm_hash.empty()) s_.queue_swarm_expire({view.swarm_hash}, view.expires_ms);
    }

    auto& conversation = s_.conversations_.ensure(sender);
    conversation.typing_until_ms = 0;  // their message ends "typing…"
    s_.conversations_.note_message(sender, view);
    if (read_now) {
        if (s_.may_send_receipts_to(sender)) read_now_[sender].push_back(e.sent_ms);
    } else if (static_cast<std::int64_t>(e.sent_ms) <= s_.last_read_elsewhere(sender)) {
        // Read already on another device of ours (its read state, docs/config.md).
    } else {
        s_.conversations_.note_unread(sender, e.sent_ms);
    }
    pending_[{sender, view.id}] = std::move(view);
    conversations_touched_.insert(sender);
}

// A message we sent from another device (or, polled back, from this one).
void Incoming::on(const proto::IncomingEvent& e, const proto::SyncedMessage& m) {
    if (e.sender.hex() != s_.me_) return;  // only we may sync to us
    const auto peer = m.recipient.hex();
    // Writing to them from any device approves them.
    auto& contact = s_.contacts_.ensure(peer, s_.now_ms());
    if (!contact.approved && peer != s_.me_) {
        contact.approved = true;
        contacts_touched_.insert(peer);
    }
    our_own_message(peer, e, m.message.body);
}

void Incoming::our_own_message(const std::string& peer, const proto::IncomingEvent& e, const std::string& body) {
    if (body.empty()) return;
    s_.last_sent_ms_ = std::max(s_.last_sent_ms_, e.sent_ms);
    MessageView view =
        records::message_view(records::message_id(e.sent_ms, true), true, body, static_cast<std::int64_t>(e.sent_ms));
    view.disappearing = disappearing::from_proto(e.expiration.type);
    view.disappearing_seconds = view.disappearing == DisappearingMode::Off ? 0 : e.expiration.timer_seconds;
    if (view.disappearing_seconds == 0) view.disappearing = DisappearingMode::Off;
    view.expires_ms = disappearing::expires_at(view.disappearing, view.disappearing_seconds, view.sent_ms, true);
    if (view.expires_ms && view.expires_ms <= s_.now_ms()) return;
    view.swarm_hash = item_ ? item_->hash : std::string();
    s_.conversations_.note_message(peer, view);
    conversations_touched_.insert(peer);
    // Ours: stored already unless this browser lost it; never overwrite its state.
    pending_if_absent_.emplace_back(peer, std::move(view));
}

void Incoming::on(const proto::IncomingEvent& e, const proto::Typing& t) {
    const auto sender = e.sender.hex();
    if (!s_.settings_.typing_indicators || sender == s_.me_ || s_.contacts_.blocked(sender)) return;
    auto* conversation = s_.conversations_.find(sender);
    if (!conversation) return;  // nothing to show it in
    if (t.action == proto::TypingAction::Started) {
        conversation->typing_until_ms = s_.now_ms() + kTypingShownMs;
        s_.schedule_typing_expiry(conversation->typing_until_ms);
    } else {
        conversation->typing_until_ms = 0;
    }
    changed_ = true;
}

// They read these messages of ours; honoured only with our own read-receipt setting on, as the
// official clients do (protocol §8.6).
void Incoming::on(const proto::IncomingEvent& e, const proto::ReadReceipt& r) {
    const auto sender = e.sender.hex();
    if (!s_.settings_.read_receipts || sender == s_.me_ || s_.contacts_.blocked(sender)) return;
    for (auto ts : r.timestamps) {
        s_.messages_.update(sender, records::message_id(ts, true), [](MessageView& m) {
            if (!m.outgoing || m.kind != MessageKind::Text || m.delivery == DeliveryState::Read ||
                m.delivery == DeliveryState::Failed)
                return false;
            m.delivery = DeliveryState::Read;
            return true;
        });
    }
}

// What is left of a message deleted for everyone: a placeholder without its text (protocol
// §8.2: desktop keeps one in 1:1 conversations).
void make_deleted(MessageView& m) {
    m.kind = MessageKind::Deleted;
    secure_zero(m.body.data(), m.body.size());
    m.body.clear();
    m.expires_ms = 0;
    m.disappearing = DisappearingMode::Off;
    m.disappearing_seconds = 0;
    m.swarm_hash.clear();
}

// Delete for everyone (protocol §8.2). Only the author may delete a message: the protocol layer
// dropped any request whose author is not its sender. Theirs: the placeholder replaces it, and
// its copy in our swarm is deleted. Ours, from another device: that device deleted our swarm's
// copy; it may be in any conversation, and in Note to Self it goes completely.
void Incoming::on(const proto::IncomingEvent& e, const proto::Unsend& u) {
    const auto sender = e.sender.hex();
    const bool from_me = sender == s_.me_;
    if (!from_me && s_.contacts_.blocked(sender)) return;
    const auto id = records::message_id(u.timestamp, from_me);
    std::vector<std::string> peers;
    if (from_me) {
        for (const auto& [peer, c] : s_.conversations_.all()) peers.push_back(peer);
    } else if (s_.conversations_.find(sender)) {
        peers.push_back(sender);
    }
    for (const auto& peer : peers) {
        auto& unread = s_.conversations_.ensure(peer).record.unread;
        if (std::erase(unread, u.timestamp)) conversations_touched_.insert(peer);
        if (peer == s_.me_) {  // Note to Self: nothing stays
            pending_.erase({peer, id});
            s_.messages_.erase(peer, id, batch_);
            previews_to_check_.insert(peer);
            continue;
        }
        if (auto* m = pending(peer, id)) {
            if (!from_me && !m->swarm_hash.empty()) hashes_to_delete_.push_back(m->swarm_hash);
            make_deleted(*m);
            previews_to_check_.insert(peer);
            continue;
        }
        // Stored by an earlier poll: its record holds the hash of its copy in our swarm.
        auto hash = std::make_shared<std::string>();
        s_.messages_.update(
            peer, id,
            [hash, from_me](MessageView& m) {
                if (m.kind != MessageKind::Text) return false;
                if (!from_me) *hash = m.swarm_hash;
                make_deleted(m);
                return true;
            },
            guarded(s_.alive_, [session = &s_, peer, hash](std::optional<MessageView> m) {
                if (!m) return;
                if (!hash->empty()) session->queue_swarm_delete({*hash});
                session->refresh_preview(peer);
            }));
    }
}

void Incoming::on(const proto::IncomingEvent& e, const proto::RequestResponse& r) {
    const auto sender = e.sender.hex();
    if (sender == s_.me_ || s_.contacts_.blocked(sender) || !r.approved) return;
    auto& contact = s_.contacts_.ensure(sender, s_.now_ms());
    contact.approved_me = true;
    if (r.profile) s_.contacts_.apply_profile(sender, *r.profile, s_.now_ms());
    contacts_touched_.insert(sender);
    changed_ = true;
}

// The conversation's disappearing setting changed (protocol §8.3): theirs, or ours from another
// device (with syncTarget; without one, our Note to Self's). A change older than the one in
// force arrives late and is only shown.
void Incoming::on(const proto::IncomingEvent& e, const proto::ExpirationUpdate& u) {
    const auto sender = e.sender.hex();
    const bool from_me = sender == s_.me_;
    std::string peer;
    if (from_me) {
        peer = u.sync_target ? u.sync_target->hex() : s_.me_;
    } else {
        if (s_.contacts_.blocked(sender) || !s_.conversations_.find(sender)) return;
        peer = sender;
    }
    const auto mode = disappearing::from_proto(u.setting.type);
    const std::uint32_t seconds = mode == DisappearingMode::Off ? 0 : u.setting.timer_seconds;
    auto& conversation = s_.conversations_.ensure(peer);
    auto& record = conversation.record;
    if (static_cast<std::int64_t>(e.sent_ms) >= record.disappearing_changed_ms) {
        record.disappearing = seconds ? mode : DisappearingMode::Off;
        record.disappearing_seconds = seconds;
        record.disappearing_changed_ms = static_cast<std::int64_t>(e.sent_ms);
    }
    MessageView notice = records::message_view(
        records::message_id(e.sent_ms, from_me), from_me,
        disappearing::notice_text(from_me ? std::string() : s_.contacts_.title(peer), mode, seconds),
        static_cast<std::int64_t>(e.sent_ms), DeliveryState::Sent, MessageKind::Notice);
    s_.conversations_.note_message(peer, notice);
    conversations_touched_.insert(peer);
    if (from_me) pending_if_absent_.emplace_back(peer, std::move(notice));
    else pending_[{peer, notice.id}] = std::move(notice);
    changed_ = true;
}

void Incoming::finish() {
    for (auto& [key, m] : pending_) s_.messages_.put(key.first, std::move(m), batch_);
    for (const auto& peer : contacts_touched_) s_.contacts_.save(peer, batch_);
    for (const auto& peer : conversations_touched_) s_.conversations_.save(peer, batch_);
    const bool wrote = !batch_.empty();
    s_.writer_.write(std::move(batch_));
    for (auto& [peer, m] : pending_if_absent_) s_.messages_.put_if_absent(peer, std::move(m), [](bool) {});
    if (!hashes_to_delete_.empty()) s_.queue_swarm_delete(std::move(hashes_to_delete_));
    for (auto& [peer, timestamps] : read_now_) s_.queue_read_receipt(peer, std::move(timestamps));
    // After the batch: the store answers reads after the writes before them.
    for (const auto& peer : previews_to_check_) s_.refresh_preview(peer);
    if (wrote || changed_) s_.env_.changed();
}

}  // namespace st::app
