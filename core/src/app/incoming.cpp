#include "incoming.hpp"

#include "../net/guarded.hpp"
#include "account_session.hpp"
#include "text.hpp"

namespace st::app {

using net::detail::guarded;

void Incoming::handle(const proto::IncomingEvent& event) {
    std::visit([&](const auto& body) { on(event, body); }, event.body);
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

    MessageView view{records::message_id(e.sent_ms, false), false, m.body, static_cast<std::int64_t>(e.sent_ms),
                     DeliveryState::Sent, {}};
    auto& conversation = s_.conversations_.ensure(sender);
    conversation.typing_until_ms = 0;  // their message ends "typing…"
    s_.conversations_.note_message(sender, view);
    if (s_.foreground_ && s_.messages_.open_peer() == sender) {
        if (s_.may_send_receipts_to(sender)) read_now_[sender].push_back(e.sent_ms);
    } else {
        s_.conversations_.note_unread(sender, e.sent_ms);
    }
    s_.messages_.put(sender, std::move(view), batch_);
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
    MessageView view{records::message_id(e.sent_ms, true), true, body, static_cast<std::int64_t>(e.sent_ms),
                     DeliveryState::Sent, {}};
    s_.conversations_.note_message(peer, view);
    conversations_touched_.insert(peer);
    // Ours: stored already unless this browser lost it; never overwrite its state.
    s_.messages_.put_if_absent(peer, std::move(view), [](bool) {});
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
            if (!m.outgoing || m.delivery == DeliveryState::Read || m.delivery == DeliveryState::Failed) return false;
            m.delivery = DeliveryState::Read;
            return true;
        });
    }
}

// Only the author may delete a message; the protocol layer checked author == sender. Ours (from
// another device) may be in any conversation.
void Incoming::on(const proto::IncomingEvent& e, const proto::Unsend& u) {
    const auto sender = e.sender.hex();
    const bool from_me = sender == s_.me_;
    const auto id = records::message_id(u.timestamp, from_me);
    std::vector<std::string> peers;
    if (from_me) {
        for (const auto& [peer, c] : s_.conversations_.all()) peers.push_back(peer);
    } else if (s_.conversations_.find(sender)) {
        peers.push_back(sender);
    }
    for (const auto& peer : peers) {
        s_.messages_.erase(peer, id, batch_);
        // Its text must not stay behind as the conversation's preview.
        if (auto* c = s_.conversations_.find(peer); c && c->record.last_ms == static_cast<std::int64_t>(u.timestamp)) {
            previews_to_check_.insert(peer);
        }
        auto& unread = s_.conversations_.ensure(peer).record.unread;
        std::erase(unread, u.timestamp);
        conversations_touched_.insert(peer);
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

void Incoming::finish() {
    for (const auto& peer : contacts_touched_) s_.contacts_.save(peer, batch_);
    for (const auto& peer : conversations_touched_) s_.conversations_.save(peer, batch_);
    const bool wrote = !batch_.empty();
    s_.writer_.write(std::move(batch_));
    for (auto& [peer, timestamps] : read_now_) s_.queue_read_receipt(peer, std::move(timestamps));
    // After the batch: the store answers reads after the writes before them.
    for (const auto& peer : previews_to_check_) {
        s_.messages_.newest(peer, guarded(s_.alive_, [session = &s_, peer](std::optional<MessageView> newest) {
            auto* c = session->conversations_.find(peer);
            if (!c) return;
            c->record.last_message = newest ? text::preview_of(newest->body) : std::string();
            if (newest) c->record.last_ms = newest->sent_ms;
            std::vector<store::KvWrite> batch;
            session->conversations_.save(peer, batch);
            session->writer_.write(std::move(batch));
            session->env_.changed();
        }));
    }
    if (wrote || changed_) s_.env_.changed();
}

}  // namespace st::app
