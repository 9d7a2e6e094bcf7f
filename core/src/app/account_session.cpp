// AccountSession — see account_session.hpp.
//
// Index
//   [SECTION] Life cycle and loading
//   [SECTION] View
//   [SECTION] Conversations
//   [SECTION] Sending (durable first, then the outbox)
//   [SECTION] Message requests and contacts (protocol §8.4)
//   [SECTION] Typing and read receipts (protocol §8.5, §8.6)
//   [SECTION] Settings
//   [SECTION] Network
#include "account_session.hpp"

#include <algorithm>
#include <cctype>

#include "../net/guarded.hpp"
#include "disappearing.hpp"
#include "incoming.hpp"
#include "sentences.hpp"
#include "st/crypto/mnemonic.hpp"
#include "st/net/errors.hpp"
#include "st/proto/message.hpp"
#include "text.hpp"

namespace st::app {
namespace {

using net::detail::guarded;

constexpr std::int64_t kMessageTtlMs = 14LL * 24 * 3600 * 1000;  // protocol §7.2: visible messages
constexpr std::int64_t kTypingTtlMs = 20 * 1000;                 // §8.5: typing indicators
// Typing we announce: STARTED again every 10 s while the person keeps typing, STOPPED after 5 s
// without a change (what a reader expects from "typing…": it disappears soon after they stop).
constexpr std::int64_t kTypingRefreshMs = 10 * 1000;
constexpr std::chrono::milliseconds kTypingIdle{5000};

// The message an outbox entry of kind Text stands for, as the conversation shows it.
MessageView outgoing_view(const records::OutboxEntry& e, DeliveryState delivery) {
    MessageView m = records::message_view(records::message_id(e.sent_ms, true), true, e.body,
                                          static_cast<std::int64_t>(e.sent_ms), delivery);
    m.disappearing = e.disappearing;
    m.disappearing_seconds = e.disappearing_seconds;
    m.expires_ms = disappearing::expires_at(e.disappearing, e.disappearing_seconds, m.sent_ms, true);
    return m;
}

bool looks_like_ons_name(const std::string& s) {
    // ONS names as the official clients accept them: word characters and hyphens, not starting
    // or ending with a hyphen, at most 64 characters (session-desktop ts/session/apis/snode_api/
    // onsResolve.ts, ONSResolve: onsNameRegex).
    // (A loop, not std::regex: that pulls libc++'s locale machinery into the download, 14 KB gzip.)
    const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    if (s.empty() || s.size() > 64 || !word(s.front()) || !word(s.back())) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return word(c) || c == '-'; });
}

}  // namespace

// [SECTION] Life cycle and loading -----------------------------------------------------------------

AccountSession::AccountSession(AccountEnv env, crypto::Identity identity, std::int64_t created_ms,
                               std::string display_name)
    : env_(std::move(env)),
      identity_(std::move(identity)),
      me_(identity_.session_id().hex()),
      created_ms_(created_ms),
      display_name_(std::move(display_name)),
      keys_{records::account_prefix(me_)},
      writer_(env_.store,
              [this](const Error& e) { env_.banner(Problem{std::string(e.code), sentences::storage_failure(e), {}}); }),
      contacts_(keys_, env_.config.max_name_chars),
      conversations_(keys_),
      messages_(env_.store, writer_, keys_, env_.changed),
      outbox_(env_.loop, writer_, keys_, env_.config.retry_min, env_.config.retry_max,
              Outbox::Hooks{
                  .send = [this](const records::OutboxEntry& e, Callback<std::string> done) { send_entry(e, std::move(done)); },
                  .sent =
                      [this](const records::OutboxEntry& e, const std::string& own_hash, std::vector<store::KvWrite>& batch) {
                          if (e.kind != records::OutboxEntry::Kind::Text) return;
                          MessageView m = outgoing_view(e, DeliveryState::Sent);
                          if (auto* open = messages_.find_open(e.peer, m.id)) m = *open;
                          if (m.delivery != DeliveryState::Read) m.delivery = DeliveryState::Sent;
                          m.failure_text.clear();
                          if (!own_hash.empty()) m.swarm_hash = own_hash;
                          messages_.put(e.peer, std::move(m), batch);
                          set_network_state(Connectivity::Online, "Connected");
                      },
                  .failed =
                      [this](const records::OutboxEntry& e, const Error& why, std::vector<store::KvWrite>& batch) {
                          if (e.kind != records::OutboxEntry::Kind::Text) return;  // the rest: best effort
                          MessageView m = outgoing_view(e, DeliveryState::Failed);
                          m.failure_text = sentences::send_failure(why);
                          messages_.put(e.peer, std::move(m), batch);
                      },
                  .waiting =
                      [this](const Error& why) {
                          set_network_state(Connectivity::Offline, sentences::offline(why));
                          env_.changed();
                      },
              }),
      config_(ConfigSync::Env{
                  .loop = env_.loop,
                  .sender = [this] { return sender_.get(); },
                  .delete_hashes = [this](std::vector<std::string> hashes) { queue_swarm_delete(std::move(hashes)); },
                  .extend_hashes = [this](std::vector<std::string> hashes,
                                          std::int64_t expires_ms) { queue_swarm_expire(std::move(hashes), expires_ms); },
                  .now_ms = [this] { return now_ms(); },
                  .write = [this](std::vector<store::KvWrite> batch) { writer_.write(std::move(batch)); },
              },
              keys_) {
    messages_.on_expiry([this](std::int64_t at_ms) { schedule_expiry(at_ms); });
}

AccountSession::~AccountSession() {
    *alive_ = false;
    secure_zero(phrase_shown_.data(), phrase_shown_.size());
    if (typing_out_.stop_timer) env_.loop.cancel(typing_out_.stop_timer);
    if (typing_expiry_timer_) env_.loop.cancel(typing_expiry_timer_);
    if (expiry_timer_) env_.loop.cancel(expiry_timer_);
    if (profile_search_timer_) env_.loop.cancel(profile_search_timer_);
    // The Poller, Sender and poll state reference the Network: destroy them first; the Network
    // references the pool store.
    swarm_admin_.reset();
    poller_.reset();
    sender_.reset();
    poll_state_.reset();
    network_.reset();
    pool_store_.reset();
}

void AccountSession::start(std::function<void()> loaded) {
    network_ = std::make_unique<net::Network>(env_.loop, env_.clock, env_.transport, env_.config.addressing,
                                              env_.config.network);
    poll_state_ = std::make_unique<KvPollStateStore>(env_.loop, env_.store, keys_.prefix);
    pool_store_ = std::make_unique<KvPoolStore>(env_.store);
    // No seen set for the Sender: our sync copies are polled back and checked against what we
    // hold, so a copy of ours that this browser lost (a tab closed mid-write by an older
    // version) is restored from our swarm (protocol §8.1).
    sender_ = std::make_unique<net::Sender>(*network_, nullptr, &identity_);
    swarm_admin_ = std::make_unique<net::SwarmAdmin>(*network_, identity_);
    auto poller_config = env_.config.poller;
    poller_config.redeliver = {2, 3, 4, 5};  // configs: ConfigSync keeps the current set itself
    poller_ = std::make_unique<net::Poller>(*network_, identity_.clone(), *poll_state_, poller_config,
                                            guarded(alive_, [this](std::vector<net::RetrievedItem> items) {
                                                on_items(std::move(items));
                                            }));
    update_poll_pace();
    poller_->on_report(guarded(alive_, [this](const net::PollReport& r) { on_poll_report(r); }));

    // Settings, contacts, conversations, outbox: read in that order, then the network starts.
    auto& store = env_.store;
    store.get(keys_.settings(), guarded(alive_, [this, &store, loaded = std::move(loaded)](
                                                    Result<std::optional<Bytes>> s) mutable {
        if (s && *s) settings_ = records::decode_settings(**s);
        if (settings_.name_updated_s == 0) {
            // Accounts from before profiles carried a time: their name dates from their creation.
            settings_.name_updated_s = static_cast<std::uint64_t>(std::max<std::int64_t>(created_ms_, 1000) / 1000);
            save_settings();
        }
        store.scan(keys_.contacts(), {}, 1'000'000, guarded(alive_, [this, &store, loaded = std::move(loaded)](
                                                                  Result<std::vector<store::KvEntry>> c) mutable {
            if (c) contacts_.load(*c);
            store.scan(keys_.conversations(), {}, 1'000'000,
                       guarded(alive_, [this, &store, loaded = std::move(loaded)](
                                           Result<std::vector<store::KvEntry>> v) mutable {
                           if (v) conversations_.load(*v);
                           // Conversations from before contacts existed were all in the main list:
                           // their contacts count as approved both ways.
                           std::vector<store::KvWrite> migrated;
                           for (auto& [peer, conv] : conversations_.all()) {
                               if (!conv.record.legacy || contacts_.find(peer)) continue;
                               auto& contact = contacts_.ensure(peer, now_ms());
                               contact.approved = contact.approved_me = true;
                               contact.name = text::sanitize_name(conv.record.legacy_name, env_.config.max_name_chars);
                               contacts_.save(peer, migrated);
                           }
                           writer_.write(std::move(migrated));
                           store.scan(keys_.outbox(), {}, 1'000'000,
                                      guarded(alive_, [this, loaded = std::move(loaded)](
                                                          Result<std::vector<store::KvEntry>> o) mutable {
                                          if (o) outbox_.load(*o);
                                          for (auto& [key, e] : outbox_.entries())
                                              last_sent_ms_ = std::max(last_sent_ms_, e.sent_ms);
                                          // Messages whose time ended while the tab was closed go
                                          // before anything is drawn (protocol §8.3).
                                          sweep_expired(guarded(alive_, [this, loaded] {
                                              loaded_ = true;
                                              env_.changed();
                                              loaded();
                                              load_configs_then_start_network();
                                          }));
                                      }));
                       }));
        }));
    }));
}

void AccountSession::load_configs_then_start_network() {
    env_.store.scan(keys_.configs(), {}, 16, guarded(alive_, [this](Result<std::vector<store::KvEntry>> dumps) {
                        config_.load(identity_, dumps ? *dumps : std::vector<store::KvEntry>{});
                        if (env_.follower) {
                            profile_search_done_ = true;
                            set_network_state(Connectivity::Online,
                                              "Connected through another tab of this browser, which has this account open too");
                            return;
                        }
                        start_network();
                    }));
}

void AccountSession::start_network() {
    // The nodes and guards of the last session first: a reload asks no seed (protocol §5.8).
    network_->restore_pool(*pool_store_, guarded(alive_, [this](Result<> restored) {
        (void)restored;  // without it the first request asks a seed
        poll_state_->load(guarded(alive_, [this](Result<> loaded) {
            (void)loaded;  // without it polling still works; duplicates are dropped by id
            if (shut_down_) return;
            // Until our configs have been read once, every start reads them from the start: an
            // account from before config sync threw them away as it polled (docs/config.md).
            if (!settings_.config_synced) poll_state_->forget_last_hashes();
            poller_->start();
            outbox_.start();
            config_.push_now();
        }));
    }));
    // A restored account waits for its name from the swarm, but not for ever: if no member has
    // answered by then, the person is asked for one.
    if (awaiting_name())
        profile_search_timer_ = env_.loop.post_after(kProfileSearchLimit, guarded(alive_, [this] {
                                                         profile_search_timer_ = 0;
                                                         if (profile_search_done_) return;
                                                         profile_search_done_ = true;
                                                         env_.changed();
                                                     }));
}

std::int64_t AccountSession::now_ms() const { return network_ ? network_->now_ms() : env_.clock.now_ms(); }

// Sent timestamps identify messages (protocol §8), so ours must be unique: strictly increasing.
std::uint64_t AccountSession::next_sent_ms() {
    const auto now = static_cast<std::uint64_t>(now_ms());
    last_sent_ms_ = std::max(now, last_sent_ms_ + 1);
    return last_sent_ms_;
}

proto::Profile AccountSession::profile() const {
    return proto::Profile{display_name_, std::nullopt,
                          settings_.name_updated_s ? std::optional<std::uint64_t>(settings_.name_updated_s)
                                                   : std::nullopt};
}

// Polling pace (protocol §7.1): hidden → idle; on screen → active; a conversation open on
// screen → the conversation pace (a reply is what the person waits for).
void AccountSession::update_poll_pace() {
    if (!poller_) return;
    using Pace = net::Poller::Pace;
    poller_->set_pace(!foreground_ ? Pace::Idle : messages_.open_peer().empty() ? Pace::Active : Pace::Conversation);
}

void AccountSession::set_foreground(bool foreground) {
    foreground_ = foreground;
    update_poll_pace();
    if (foreground && !messages_.open_peer().empty()) mark_read(messages_.open_peer());
}

// [SECTION] View -----------------------------------------------------------------------------------

bool AccountSession::is_request(const std::string& peer) const {
    if (peer == me_) return false;
    auto* c = contacts_.find(peer);
    return !c || !c->approved;
}

std::uint32_t AccountSession::unread_total() const {
    std::uint32_t total = 0;
    for (const auto& [peer, c] : conversations_.all()) {
        if (is_request(peer) && contacts_.blocked(peer)) continue;
        total += conversations_.unread(peer);
    }
    return total;
}

void AccountSession::fill_view(AppView& view) {
    view.account = AccountView{me_, display_name_, settings_.phrase_unsaved};
    const auto now = now_ms();
    view.conversations.clear();
    view.requests.clear();
    for (const auto& [peer, c] : conversations_.all()) {
        const bool request = is_request(peer);
        if (request && contacts_.blocked(peer)) continue;  // a blocked stranger is not a request
        ConversationSummary s{peer, peer == me_ ? "Note to Self" : contacts_.title(peer), c.record.last_message,
                              c.record.last_ms, conversations_.unread(peer), c.typing_until_ms > now};
        (request ? view.requests : view.conversations).push_back(std::move(s));
    }
    const auto newest_first = [](const auto& a, const auto& b) { return a.last_ms > b.last_ms; };
    std::stable_sort(view.conversations.begin(), view.conversations.end(), newest_first);
    std::stable_sort(view.requests.begin(), view.requests.end(), newest_first);

    view.open.reset();
    const auto& peer = messages_.open_peer();
    if (auto* c = conversations_.find(peer)) {
        OpenConversationView o;
        o.peer_session_id = peer;
        o.title = peer == me_ ? "Note to Self" : contacts_.title(peer);
        o.messages = messages_.window();
        o.has_older = messages_.has_older();
        o.loading = messages_.loading();
        o.draft = c->record.draft;
        o.is_request = is_request(peer);
        const auto* contact = contacts_.find(peer);
        o.awaiting_approval = peer != me_ && contact && contact->approved && !contact->approved_me;
        o.blocked = contact && contact->blocked;
        o.typing = c->typing_until_ms > now;
        if (contact) {
            o.display_name = contact->name;
            o.nickname = contact->nickname;
        }
        o.disappearing = c->record.disappearing;
        o.disappearing_seconds = c->record.disappearing_seconds;
        o.disappearing_text = disappearing::setting_text(o.disappearing, o.disappearing_seconds);
        o.disappearing_choices = disappearing::choices(env_.config.short_disappearing_timers);
        view.open = std::move(o);
    }

    view.network.state = connectivity_;
    view.network.status_text = status_text_;
    view.network.outbox = static_cast<std::uint32_t>(
        std::count_if(outbox_.entries().begin(), outbox_.entries().end(),
                      [](const auto& e) { return e.second.kind == records::OutboxEntry::Kind::Text; }));
    shown_path_ = current_path();
    view.network.path = shown_path_;

    auto& s = view.settings;
    s.typing_indicators = settings_.typing_indicators;
    s.read_receipts = settings_.read_receipts;
    s.lock_after_minutes = settings_.lock_after_minutes;
    s.blocked.clear();
    for (const auto& [id, contact] : contacts_.all())
        if (contact.blocked) s.blocked.push_back(BlockedContact{id, contacts_.title(id)});
    s.recovery_phrase = phrase_shown_;
    s.clear_network = clear_network_;
}

// [SECTION] Conversations ----------------------------------------------------------------------------

void AccountSession::start_conversation(const std::string& typed, std::function<void(std::optional<Problem>)> done) {
    const auto input = text::trim(typed);
    auto id = crypto::SessionId::parse(input);
    auto open_with = [this](const std::string& peer) {
        std::vector<store::KvWrite> batch;
        std::vector<records::OutboxEntry> to_send;
        auto& contact = contacts_.ensure(peer, now_ms());
        if (peer != me_ && !contact.approved) {
            // Writing to someone is approving them; if they had written first, it accepts their
            // request, which they learn from our response (protocol §8.4).
            if (contact.approved_me) accept(peer, batch, to_send);
            else contact.approved = true;
        }
        contacts_.save(peer, batch);
        auto& c = conversations_.ensure(peer);
        if (c.record.last_ms == 0) c.record.last_ms = now_ms();
        conversations_.save(peer, batch);
        write_then_queue(std::move(batch), std::move(to_send));
        open_conversation(peer);
    };
    if (id) {
        open_with(id->hex());
        return done(std::nullopt);
    }
    // Hex that starts like a Session ID is a mistyped ID, not a name: say what is wrong with it.
    const bool hex_attempt = (input.size() >= 60 || input.starts_with("05")) &&
                             std::all_of(input.begin(), input.end(),
                                         [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
    if (hex_attempt || !looks_like_ons_name(input)) {
        return done(Problem{std::string(id.error().code), text::sentence_case(id.error().message), std::nullopt});
    }
    network_->resolve_ons(input, guarded(alive_, [open_with, done](Result<crypto::SessionId> r) {
        if (!r) {
            return done(Problem{std::string(r.error().code), sentences::name_lookup_failure(r.error()), std::nullopt});
        }
        open_with(r->hex());
        done(std::nullopt);
    }));
}

void AccountSession::phrase_saved() {
    if (!settings_.phrase_unsaved) return;
    settings_.phrase_unsaved = false;
    save_settings();
    env_.changed();
}

bool AccountSession::has_conversation(const std::string& peer) const {
    return conversations_.find(peer) != nullptr;
}

void AccountSession::open_conversation(const std::string& peer) {
    if (!conversations_.find(peer)) return;
    messages_.open(peer);
    update_poll_pace();
    if (foreground_) mark_read(peer);
    env_.changed();
}

void AccountSession::close_conversation() {
    messages_.close();
    update_poll_pace();
    env_.changed();
}

void AccountSession::load_older(const std::string& peer) {
    if (peer == messages_.open_peer()) messages_.load_older();
}

void AccountSession::update_draft(const std::string& peer, std::string text) {
    auto* c = conversations_.find(peer);
    if (!c || c->record.draft == text) return;
    const bool typing = !text.empty();
    c->record.draft = std::move(text);
    std::vector<store::KvWrite> batch;
    conversations_.save(peer, batch);
    writer_.write(std::move(batch));
    env_.changed();

    if (!may_send_typing_to(peer)) return;
    const auto now = now_ms();
    if (typing) {
        if (typing_out_.peer != peer || now - typing_out_.started_ms >= kTypingRefreshMs) {
            if (!typing_out_.peer.empty() && typing_out_.peer != peer) send_typing(typing_out_.peer, false);
            typing_out_.peer = peer;
            typing_out_.started_ms = now;
            send_typing(peer, true);
        }
        typing_out_.last_change_ms = now;
        if (typing_out_.stop_timer) env_.loop.cancel(typing_out_.stop_timer);
        typing_out_.stop_timer = env_.loop.post_after(kTypingIdle, guarded(alive_, [this] {
                                                          typing_out_.stop_timer = 0;
                                                          if (typing_out_.peer.empty()) return;
                                                          send_typing(typing_out_.peer, false);
                                                          typing_out_ = {};
                                                      }));
    } else if (typing_out_.peer == peer) {
        send_typing(peer, false);
        if (typing_out_.stop_timer) env_.loop.cancel(typing_out_.stop_timer);
        typing_out_ = {};
    }
}

// [SECTION] Sending (durable first, then the outbox) ---------------------------------------------

void AccountSession::send_text(const std::string& peer_text, const std::string& typed) {
    auto peer_id = crypto::SessionId::parse(peer_text);
    if (!peer_id) return;  // the UI only sends to conversations the core created
    const auto peer = peer_id->hex();
    auto body = text::trim(typed);
    if (body.empty()) return;
    if (text::utf8_length(body) > env_.config.max_body_chars) {
        env_.banner(Problem{"message.too_long",
                            "A message can be at most " + std::to_string(env_.config.max_body_chars) +
                                " characters; this one was not sent.",
                            std::nullopt});
        return;
    }
    env_.clear_banner("message.too_long");

    std::vector<store::KvWrite> batch;
    std::vector<records::OutboxEntry> to_send;
    auto& contact = contacts_.ensure(peer, now_ms());
    if (peer != me_ && !contact.approved) accept(peer, batch, to_send);  // replying accepts (§8.4)
    contacts_.save(peer, batch);
    // The message we announced as typing arrives now: it ends "typing…" on their side.
    if (typing_out_.peer == peer) {
        if (typing_out_.stop_timer) env_.loop.cancel(typing_out_.stop_timer);
        typing_out_ = {};
    }

    auto& c = conversations_.ensure(peer);
    records::OutboxEntry entry;
    entry.kind = records::OutboxEntry::Kind::Text;
    entry.peer = peer;
    entry.sent_ms = next_sent_ms();
    entry.body = std::move(body);
    // Every message of a conversation with disappearing messages on carries the setting (§8.3).
    entry.disappearing = c.record.disappearing;
    entry.disappearing_seconds = c.record.disappearing_seconds;
    MessageView m = outgoing_view(entry, DeliveryState::Sending);
    c.record.draft.clear();
    conversations_.note_message(peer, m);
    conversations_.save(peer, batch);
    to_send.push_back(std::move(entry));  // after a response it may need: the outbox keeps order
    queue_durably(peer, std::move(m), std::move(batch), std::move(to_send));
    sync_to_config();  // replying accepted them
}

// A message is a promise once it is on screen: it shows (and goes out) only once its record, its
// outbox entry and its conversation are stored, in one batch. If storage refuses, it shows as
// not sent, with Retry, and nothing goes to the network that this browser could not keep.
void AccountSession::queue_durably(const std::string& peer, MessageView message, std::vector<store::KvWrite> batch,
                                   std::vector<records::OutboxEntry> entries) {
    messages_.write(peer, message, batch);
    write_then_queue(std::move(batch), std::move(entries),
                     guarded(alive_, [this, peer, message = std::move(message)](Result<> r) mutable {
                         if (!r) {
                             message.delivery = DeliveryState::Failed;
                             message.failure_text = sentences::not_saved(r.error());
                         }
                         messages_.show(peer, std::move(message));
                     }));
}

void AccountSession::write_then_queue(std::vector<store::KvWrite> batch, std::vector<records::OutboxEntry> entries,
                                      Callback<> then) {
    // A write of the person's own records (a message, a contact) shows storage works again;
    // bookkeeping alone (swarm deletes and expiries queued in the background) does not speak for
    // what they were told failed.
    const bool records_of_their_own = !batch.empty();
    std::vector<std::pair<std::string, records::OutboxEntry>> queued;
    for (auto& e : entries) {
        auto key = outbox_.write(e, batch);
        queued.emplace_back(std::move(key), std::move(e));
    }
    writer_.write(std::move(batch), guarded(alive_, [this, queued = std::move(queued), then = std::move(then),
                                                     records_of_their_own](Result<> r) mutable {
        if (r) {
            if (records_of_their_own) env_.clear_banner("store.");
            for (auto& [key, e] : queued) outbox_.queue(std::move(key), std::move(e));
        }
        if (then) then(std::move(r));
        env_.changed();
    }));
}

void AccountSession::retry_message(const std::string& peer, const std::string& id) {
    auto* m = messages_.find_open(peer, id);
    if (!m || !m->outgoing || m->delivery != DeliveryState::Failed) return;
    MessageView again = *m;
    again.delivery = DeliveryState::Sending;
    again.failure_text.clear();
    records::OutboxEntry entry;
    entry.kind = records::OutboxEntry::Kind::Text;
    entry.peer = peer;
    entry.sent_ms = static_cast<std::uint64_t>(again.sent_ms);
    entry.body = again.body;
    entry.disappearing = again.disappearing;
    entry.disappearing_seconds = again.disappearing_seconds;
    queue_durably(peer, std::move(again), {}, {std::move(entry)});
    outbox_.retry_now();  // a person asked: now, not at the end of a back-off
}

void AccountSession::send_entry(const records::OutboxEntry& e, Callback<std::string> done) {
    using Kind = records::OutboxEntry::Kind;
    auto fail_later = [this, &done](Unexpected<Error> error) {
        env_.loop.post([done = std::move(done), error = std::move(error)]() mutable { done(std::move(error)); });
    };
    // Deletions and expiry changes in our own swarm: what a member did not confirm stays there
    // until its TTL; that is not worth retrying for ever, so only a request that failed as a
    // whole is retried (by its error's category).
    if (e.kind == Kind::SwarmDelete || e.kind == Kind::SwarmExpire) {
        auto finish = [done = std::move(done)](Result<net::SwarmReport> r) mutable {
            if (!r) return done(Unexpected<Error>(std::move(r).error()));
            done(std::string());
        };
        if (e.kind == Kind::SwarmDelete) swarm_admin_->delete_messages(e.hashes, std::move(finish));
        else swarm_admin_->shorten_expiry(e.hashes, e.expires_ms, std::move(finish));
        return;
    }

    auto peer = crypto::SessionId::parse(e.peer);
    if (!peer) return fail_later(fail("send.bad_message", "no recipient"));

    proto::OutgoingMessage message;
    std::int64_t ttl = kMessageTtlMs, own_ttl = kMessageTtlMs;
    switch (e.kind) {
        case Kind::Text: {
            proto::OutgoingText text{.body = e.body, .profile = profile()};
            if (e.disappearing != DisappearingMode::Off)
                text.expiration = disappearing::to_proto(e.disappearing, e.disappearing_seconds);
            message = std::move(text);
            ttl = disappearing::recipient_ttl_ms(e.disappearing, e.disappearing_seconds, kMessageTtlMs);
            own_ttl = disappearing::own_copy_ttl_ms(e.disappearing, e.disappearing_seconds, kMessageTtlMs);
            break;
        }
        case Kind::ReadReceipt: message = proto::OutgoingReadReceipt{e.timestamps}; break;
        case Kind::Accept: message = proto::OutgoingRequestResponse{.profile = profile()}; break;
        case Kind::ExpirationUpdate:
            message = proto::OutgoingExpirationUpdate{disappearing::to_proto(e.disappearing, e.disappearing_seconds)};
            break;
        case Kind::Unsend: message = proto::OutgoingUnsend{e.target_ms, identity_.session_id()}; break;
        case Kind::SwarmDelete:
        case Kind::SwarmExpire: break;  // handled above
    }
    auto data = proto::encode_message(identity_, *peer, e.sent_ms, message);
    if (!data) return fail_later(Unexpected<Error>(std::move(data).error()));
    net::OutgoingMessage out(*peer, std::move(*data));
    // To ourselves (a Note to Self) the message is our own copy, with its lifetime.
    out.ttl_ms = *peer == identity_.session_id() ? own_ttl : ttl;
    // What a person wrote or set, and deletions for everyone, are copied to our other devices
    // (protocol §8.1); a Note to Self is already in our own swarm.
    const bool synced = e.kind == Kind::Text || e.kind == Kind::ExpirationUpdate || e.kind == Kind::Unsend;
    if (!synced || *peer == identity_.session_id()) {
        sender_->send(std::move(out), [done = std::move(done), self = *peer == identity_.session_id()](
                                          Result<net::SendReceipt> r) mutable {
            if (!r) return done(Unexpected<Error>(std::move(r).error()));
            done(self ? r->hash : std::string());
        });
        return;
    }
    auto copy = proto::encode_sync_copy(identity_, *peer, e.sent_ms, message);
    if (!copy) return fail_later(Unexpected<Error>(std::move(copy).error()));
    net::OutgoingMessage sync(identity_.session_id(), std::move(*copy));
    sync.ttl_ms = own_ttl;
    sender_->send_with_sync_copy(std::move(out), std::move(sync), [done = std::move(done)](Result<net::PairReceipt> r) mutable {
        if (!r) return done(Unexpected<Error>(std::move(r).error()));
        done(r->sync_copy ? r->sync_copy->hash : std::string());
    });
}

// [SECTION] Message requests and contacts (protocol §8.4) ---------------------------------------

// Approves them and queues our MessageRequestResponse (with our profile) into `to_send`.
void AccountSession::accept(const std::string& peer, std::vector<store::KvWrite>& batch,
                            std::vector<records::OutboxEntry>& to_send) {
    auto& contact = contacts_.ensure(peer, now_ms());
    contact.approved = true;
    contacts_.save(peer, batch);
    records::OutboxEntry e;
    e.kind = records::OutboxEntry::Kind::Accept;
    e.peer = peer;
    e.sent_ms = next_sent_ms();
    to_send.push_back(std::move(e));
}

void AccountSession::accept_request(const std::string& peer) {
    if (!conversations_.find(peer) || !is_request(peer)) return;
    std::vector<store::KvWrite> batch;
    std::vector<records::OutboxEntry> to_send;
    accept(peer, batch, to_send);
    write_then_queue(std::move(batch), std::move(to_send));
    // Messages they sent while it was a request are read now, and they may hear so.
    mark_read(peer);
    sync_to_config();
    env_.changed();
}

void AccountSession::decline(const std::string& peer) {
    if (messages_.open_peer() == peer) {
        messages_.close();
        update_poll_pace();
    }
    conversations_.erase(peer);
    writer_.write({store::KvWrite::erase(keys_.conversation(peer))});
    messages_.erase_all(peer, [](Result<>) {});
    env_.changed();
}

void AccountSession::decline_request(const std::string& peer) {
    if (conversations_.find(peer) && is_request(peer)) decline(peer);
}

void AccountSession::clear_all_requests() {
    std::vector<std::string> requests;
    for (const auto& [peer, c] : conversations_.all())
        if (is_request(peer)) requests.push_back(peer);
    for (const auto& peer : requests) decline(peer);
}

void AccountSession::block(const std::string& peer) {
    if (peer == me_ || !crypto::SessionId::parse(peer)) return;
    auto& contact = contacts_.ensure(peer, now_ms());
    contact.blocked = true;
    std::vector<store::KvWrite> batch;
    contacts_.save(peer, batch);
    writer_.write(std::move(batch));
    if (conversations_.find(peer) && is_request(peer)) decline(peer);
    if (auto* c = conversations_.find(peer)) c->typing_until_ms = 0;
    sync_to_config();
    env_.changed();
}

void AccountSession::unblock(const std::string& peer) {
    auto* found = contacts_.find(peer);
    if (!found || !found->blocked) return;
    contacts_.ensure(peer, now_ms()).blocked = false;
    std::vector<store::KvWrite> batch;
    contacts_.save(peer, batch);
    writer_.write(std::move(batch));
    sync_to_config();
    env_.changed();
}

void AccountSession::set_nickname(const std::string& peer, const std::string& nickname) {
    if (peer == me_ || !crypto::SessionId::parse(peer)) return;
    auto& contact = contacts_.ensure(peer, now_ms());
    auto clean = text::sanitize_name(nickname, env_.config.max_name_chars);
    if (contact.nickname == clean) return;
    contact.nickname = std::move(clean);
    std::vector<store::KvWrite> batch;
    contacts_.save(peer, batch);
    writer_.write(std::move(batch));
    sync_to_config();
    env_.changed();
}

// [SECTION] Typing and read receipts (protocol §8.5, §8.6) ---------------------------------------

bool AccountSession::may_send_typing_to(const std::string& peer) const {
    return settings_.typing_indicators && peer != me_ && contacts_.approved(peer) && !contacts_.blocked(peer);
}

bool AccountSession::may_send_receipts_to(const std::string& peer) const {
    return settings_.read_receipts && peer != me_ && contacts_.approved(peer) && !contacts_.blocked(peer);
}

// Best effort and short-lived (20 s in the swarm): not worth the outbox.
void AccountSession::send_typing(const std::string& peer, bool started) {
    auto id = crypto::SessionId::parse(peer);
    if (!id || !sender_) return;
    const auto ts = next_sent_ms();
    auto data = proto::encode_message(
        identity_, *id, ts, proto::OutgoingTyping{started ? proto::TypingAction::Started : proto::TypingAction::Stopped});
    if (!data) return;
    net::OutgoingMessage out(*id, std::move(*data));
    out.ttl_ms = kTypingTtlMs;
    sender_->send(std::move(out), [](Result<net::SendReceipt>) {});
}

void AccountSession::mark_read(const std::string& peer) {
    if (conversations_.unread(peer) == 0) return;
    auto read = conversations_.take_unread(peer);
    std::vector<store::KvWrite> batch;
    conversations_.save(peer, batch);
    writer_.write(std::move(batch));
    start_read_timers(peer, read);
    note_read_in_config(peer, read);
    if (!read.empty() && may_send_receipts_to(peer)) queue_read_receipt(peer, std::move(read));
    env_.changed();
}

void AccountSession::queue_read_receipt(const std::string& peer, std::vector<std::uint64_t> timestamps) {
    std::sort(timestamps.begin(), timestamps.end());
    records::OutboxEntry e;
    e.kind = records::OutboxEntry::Kind::ReadReceipt;
    e.peer = peer;
    e.sent_ms = next_sent_ms();
    e.timestamps = std::move(timestamps);
    write_then_queue({}, {std::move(e)});
}

void AccountSession::schedule_typing_expiry(std::int64_t until_ms) {
    if (typing_expiry_timer_ && typing_expiry_at_ <= until_ms) return;
    if (typing_expiry_timer_) env_.loop.cancel(typing_expiry_timer_);
    typing_expiry_at_ = until_ms;
    const auto delay = std::chrono::milliseconds(std::max<std::int64_t>(0, until_ms - now_ms()) + 1);
    typing_expiry_timer_ = env_.loop.post_after(delay, guarded(alive_, [this] {
        typing_expiry_timer_ = 0;
        const auto now = now_ms();
        std::int64_t next = 0;
        for (const auto& [peer, c] : conversations_.all())
            if (c.typing_until_ms > now && (next == 0 || c.typing_until_ms < next)) next = c.typing_until_ms;
        env_.changed();  // "typing…" ends on screen
        if (next) schedule_typing_expiry(next);
    }));
}

// [SECTION] Settings ------------------------------------------------------------------------------

std::optional<Problem> AccountSession::check_name(const std::string& name) const {
    if (name.empty()) return Problem{"name.empty", "Enter a display name.", std::nullopt};
    if (text::utf8_length(name) > env_.config.max_name_chars)
        return Problem{"name.too_long",
                       "A display name can be at most " + std::to_string(env_.config.max_name_chars) + " characters.",
                       std::nullopt};
    return std::nullopt;
}

std::optional<Problem> AccountSession::set_display_name(const std::string& typed) {
    auto name = text::sanitize_name(typed, env_.config.max_name_chars + 1);
    if (auto problem = check_name(name)) return problem;
    if (name == display_name_) return std::nullopt;
    display_name_ = std::move(name);
    settings_.name_updated_s = static_cast<std::uint64_t>(now_ms() / 1000);
    auto record = records::encode_account(identity_, created_ms_, display_name_);
    writer_.write({store::KvWrite::put(records::account_key(me_), Bytes(record.view().begin(), record.view().end())),
                   store::KvWrite::put(keys_.settings(), records::encode(settings_))});
    sync_to_config();
    env_.changed();
    return std::nullopt;
}

void AccountSession::save_settings() { writer_.write({store::KvWrite::put(keys_.settings(), records::encode(settings_))}); }

void AccountSession::set_typing_indicators(bool on) {
    if (settings_.typing_indicators == on) return;
    settings_.typing_indicators = on;
    if (!on) {
        for (const auto& [peer, c] : conversations_.all()) conversations_.ensure(peer).typing_until_ms = 0;
        if (typing_out_.stop_timer) env_.loop.cancel(typing_out_.stop_timer);
        typing_out_ = {};
    }
    save_settings();
    env_.changed();
}

void AccountSession::set_read_receipts(bool on) {
    if (settings_.read_receipts == on) return;
    settings_.read_receipts = on;
    save_settings();
    env_.changed();
}

void AccountSession::set_lock_after(std::uint32_t minutes) {
    if (settings_.lock_after_minutes == minutes) return;
    settings_.lock_after_minutes = minutes;
    save_settings();
    env_.changed();
}

void AccountSession::reveal_phrase() {
    auto phrase = crypto::mnemonic::encode(identity_.seed());
    secure_zero(phrase_shown_.data(), phrase_shown_.size());
    phrase_shown_.assign(phrase.str());
    env_.changed();
}

void AccountSession::hide_phrase() {
    if (phrase_shown_.empty()) return;
    secure_zero(phrase_shown_.data(), phrase_shown_.size());
    phrase_shown_.clear();
    env_.changed();
}

// [SECTION] Network ---------------------------------------------------------------------------------

void AccountSession::on_items(std::vector<net::RetrievedItem> items) {
    // Configs first, as the official clients do: the messages of this batch then meet the
    // contacts and read state our other devices stored.
    if (std::any_of(items.begin(), items.end(), [](const auto& i) { return i.ns != 0; }))
        apply_configs(config_.merge(items));
    Incoming incoming(*this);
    for (auto& item : items) {
        if (item.ns != 0) continue;
        auto event = proto::decode_incoming(identity_, item.data);
        if (!event) continue;  // not for us, tampered, unsupported: nothing to show
        incoming.handle(*event, item);
    }
    incoming.finish();
    sync_to_config();  // names from their profiles, approvals from their answers
}

void AccountSession::on_poll_report(const net::PollReport& report) {
    if (report.nodes_answered > 0) {
        // This poll read our configs (from the start, the first time): seed them with what
        // only this device knows, keep them alive, and stop waiting for a restored name.
        if (!report.more) seed_configs();
        config_.polled();
        if (!profile_search_done_ && !report.more) {
            profile_search_done_ = true;
            env_.changed();
        }
        if (outbox_.size() == 0 || !outbox_.waiting()) set_network_state(Connectivity::Online, "Connected");
    } else if (!report.errors.empty()) {
        set_network_state(Connectivity::Offline, sentences::offline(report.errors.front()));
    }
    // A new view only if the path shown changed: hosts redraw on every new version, and a poll
    // every second that changed nothing visible must not cost a redraw. New guards are kept for
    // the next session.
    if (current_path() != shown_path_) {
        network_->save_pool();
        env_.changed();
    }
}

void AccountSession::set_network_state(Connectivity state, std::string text) {
    if (connectivity_ == state && status_text_ == text) return;
    connectivity_ = state;
    status_text_ = std::move(text);
    env_.changed();
}

std::vector<std::string> AccountSession::current_path() const {
    std::vector<std::string> out;
    if (!network_) return out;
    const auto& paths = network_->router().paths();
    if (paths.empty()) return out;
    for (const auto& node : paths.front().nodes)
        out.push_back(node.ip_text() + ":" + std::to_string(node.port) + " (" + node.ed25519.hex().substr(0, 8) + ")");
    return out;
}

}  // namespace st::app
