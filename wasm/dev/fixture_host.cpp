// A development aid, not the product: an AppHost with canned data and simulated delays, to look
// at and click through the screens in a browser without a network (fixture.html). It shows a
// banner saying so. Query parameters: ?state=main (skip onboarding), ?messages=N (the first
// conversation holds N messages, e.g. 100000 to try the virtualised list), ?page=N (it shows only
// the newest N, and 50 more per LoadOlderMessages). The account also has two message requests, a
// contact who is typing, one who has not accepted our request yet, and a blocked contact. The third
// conversation (Nguyễn Văn An) shows deletion: a message deleted for everyone, a notice line and a
// disappearing message; the disappearing-messages setting works (messages sent then vanish), and
// "Clear device and network" fails once (one node does not confirm) and succeeds on Retry.
#include <emscripten.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app_host.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/mnemonic.hpp"
#include "st/crypto/session_id.hpp"

namespace st::wasm {
namespace {

// clang-format off
EM_JS(int, st_js_query_int, (const char* name, int fallback), {
    var value = new URLSearchParams(location.search).get(UTF8ToString(name));
    var n = parseInt(value, 10);
    return isNaN(n) ? fallback : n;
});
EM_JS(int, st_js_query_is, (const char* name, const char* expected), {
    return new URLSearchParams(location.search).get(UTF8ToString(name)) === UTF8ToString(expected);
});
// clang-format on

using namespace app;

// The Session ID of a recovery phrase, derived as the product derives it, or the product's error
// if the phrase is not valid.
Result<std::string> session_id_of(std::string_view phrase) {
    auto seed = crypto::mnemonic::decode_seed(phrase);
    if (!seed) return fail(seed.error().code, seed.error().message);
    return crypto::Identity::from_seed(*seed).session_id().hex();
}

std::string fake_id(int n) {
    std::string id = "05";
    std::uint32_t x = static_cast<std::uint32_t>(n) * 2654435761u + 12345u;
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 64; ++i) {
        x = x * 1664525u + 1013904223u;
        id += kHex[(x >> 24) & 15];
    }
    return id;
}

class FixtureHost final : public AppHost {
public:
    // The account "created" here: a fixed seed (canned data, not a secret), its recovery phrase
    // and Session ID, made as the product makes them.
    FixtureHost() {
        std::array<std::uint8_t, 16> bytes{};
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0x5a + 37 * i);
        const crypto::AccountSeed seed{std::span<const std::uint8_t, 16>(bytes)};
        phrase_ = std::string(crypto::mnemonic::encode(seed).str());
        own_id_ = crypto::Identity::from_seed(seed).session_id().hex();
    }

    void start() override {
        view_.loading = true;
        view_.banner = Problem{"fixture",
                               "Preview with fixture data (fixture.html): nothing is sent or "
                               "stored, and replies are simulated.",
                               {}};
        view_.network.state = Connectivity::Connecting;
        view_.network.network_name = "devnet";
        view_.network.relay = "127.0.0.1 (fixture)";
        view_.network.status_text = "Connecting\xE2\x80\xA6";
        after(400, [this] {
            view_.loading = false;
            if (st_js_query_is("state", "main")) sign_in("Alice");
        });
        after(1200, [this] {
            view_.network.state = Connectivity::Online;
            view_.network.path = {"127.0.0.1:22101 · a3f1c0…", "127.0.0.1:22107 · 9c02e4…",
                                  "127.0.0.1:22112 · 51de77…"};
            view_.network.status_text = "Connected through 3 nodes";
        });
    }

    std::size_t pump(std::chrono::milliseconds) override {
        const auto now = std::chrono::steady_clock::now();
        std::size_t ran = 0;
        while (!timers_.empty() && timers_.begin()->first <= now) {
            auto task = std::move(timers_.begin()->second);
            timers_.erase(timers_.begin());
            task();
            ++view_.version;  // every simulated event changes what the screens show
            ++ran;
        }
        return ran;
    }

    // The simulated events (replies, delivery, connecting) are timers: the host runs them on time
    // even when no frame is drawn, and draws a frame when they change the view.
    std::optional<std::chrono::milliseconds> next_timer_in() const override {
        if (timers_.empty()) return std::nullopt;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            timers_.begin()->first - std::chrono::steady_clock::now());
        return std::max(left, std::chrono::milliseconds(0));
    }

    const AppView& view() override {
        // The open conversation's window is taken again only when something changed (the host
        // asks for the view often to notice changes). ?page=N: the open conversation holds only a
        // window of its newest messages, grown by LoadOlderMessages, as the core's does.
        if (view_.open && copied_version_ != view_.version) {
            const auto& all = messages_[view_.open->peer_session_id];
            std::span<const MessageView> span = all;
            const auto w = window_.find(view_.open->peer_session_id);
            if (w != window_.end() && w->second < all.size()) {
                span = span.subspan(all.size() - w->second);
            }
            view_.open->messages = span;
            view_.open->has_older = span.size() < all.size();
            copied_version_ = view_.version;
        }
        return view_;
    }

    void set_foreground(bool) override {}
    void flush() override {}
    std::int64_t now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    void dispatch(Intent intent) override {
        ++view_.version;
        std::visit([this](auto& i) { handle(i); }, intent);
    }

private:
    void after(int ms, std::function<void()> task) {
        timers_.emplace(std::chrono::steady_clock::now() + std::chrono::milliseconds(ms),
                        std::move(task));
    }

    // [SECTION] Onboarding
    void handle(intent::CreateAccount&) {
        view_.onboarding.step = OnboardingStep::ShowPhrase;
        view_.onboarding.phrase_to_show = phrase_;
        view_.onboarding.new_session_id = own_id_;
    }
    void handle(intent::ConfirmPhraseSaved&) { view_.onboarding.step = OnboardingStep::ChooseName; }
    void handle(intent::StartRestore&) {
        view_.onboarding = {};
        view_.onboarding.step = OnboardingStep::EnterPhrase;
    }
    void handle(intent::BackToWelcome&) { view_.onboarding = {}; }
    // The phrase is checked as the product checks it (the word list, the checksum word), and the
    // Session ID shown next is the phrase's own: a phrase that lost words on the way shows.
    void handle(intent::RestoreAccount& r) {
        view_.onboarding.phrase_problem.reset();
        auto id = session_id_of(r.phrase);
        if (!id) {
            view_.onboarding.phrase_problem = Problem{std::string(id.error().code), id.error().message,
                                                      crypto::mnemonic::first_unknown_word(r.phrase)};
            return;
        }
        view_.onboarding.busy = true;
        after(900, [this, id = *id] {
            view_.onboarding.busy = false;
            view_.onboarding.step = OnboardingStep::ChooseName;
            view_.onboarding.new_session_id = id;
        });
    }
    void handle(intent::ChooseDisplayName& n) {
        if (n.name.size() > 64) {
            view_.onboarding.name_problem =
                Problem{"profile.name_too_long", "A display name has at most 64 characters.", {}};
            return;
        }
        sign_in(n.name);
    }

    void sign_in(const std::string& name) {
        view_.account = AccountView{own_id_, name};
        view_.accounts = {AccountListing{own_id_, name, 0, true, false, ""}};
        view_.onboarding = {};
        const std::int64_t now = now_ms();
        const int big = std::max(0, std::min(st_js_query_int("messages", 60), 1'000'000));
        add_conversation(fake_id(1), "Bob", big, now);
        add_conversation(fake_id(2), "Καλημέρα Ελένη", 4, now - 3'600'000);
        add_conversation(fake_id(3), "Nguyễn Văn An", 3, now - 86'400'000 * 2);
        add_conversation(fake_id(4), "", 0, now - std::int64_t{86'400'000} * 40);
        view_.conversations[0].unread = 2;
        view_.conversations[1].unread = 1;
        sign_in_contacts(now);
        sign_in_deletion(now);
    }

    // [SECTION] Contacts, requests and settings (fixture data for those screens)
    struct Contact {
        std::string name;      // their display name
        std::string nickname;  // ours for them
        bool request = false;  // in view_.requests
        bool awaiting = false; // we wrote, they have not answered
        bool blocked = false;
        bool typing = false;
    };

    void sign_in_contacts(std::int64_t now) {
        // Ελένη is typing (always, so screenshots show it); the unnamed contact has not answered
        // our message request; two strangers wait in the requests list; Mallory is blocked.
        contacts_[fake_id(2)] = Contact{"Καλημέρα Ελένη", "", false, false, false, true};
        view_.settings.typing_indicators = true;
        view_.conversations[1].typing = true;
        contacts_[fake_id(4)] = Contact{"", "", false, true, false, false};
        add_request(fake_id(5), "Dana", {"Hi! We met at the conference, is this Alice?",
                                         "I have the slides you asked for."}, now - 600'000);
        add_request(fake_id(6), "Oskar", {"hello"}, now - 86'400'000);
        view_.settings.blocked.push_back(BlockedContact{fake_id(7), "Mallory"});
        contacts_[fake_id(7)] = Contact{"Mallory", "", false, false, true, false};
        view_.settings.version = "0.1.0 (fixture)";
        view_.settings.build = "fixture-build";
        const int page = std::max(0, st_js_query_int("page", 0));
        if (page > 0) window_[fake_id(1)] = static_cast<std::size_t>(page);
    }

    void add_request(const std::string& peer, const std::string& name,
                     const std::vector<std::string>& lines, std::int64_t last_ms) {
        auto& msgs = messages_[peer];
        for (std::size_t i = 0; i < lines.size(); ++i) {
            MessageView m;
            m.id = peer.substr(2, 6) + "-r" + std::to_string(i);
            m.body = lines[i];
            m.sent_ms = last_ms - static_cast<std::int64_t>(lines.size() - i) * 60'000;
            msgs.push_back(std::move(m));
        }
        contacts_[peer] = Contact{name, "", true, false, false, false};
        ConversationSummary c;
        c.peer_session_id = peer;
        c.title = name;
        c.last_message = lines.back();
        c.last_ms = last_ms;
        c.unread = static_cast<std::uint32_t>(lines.size());
        view_.requests.push_back(std::move(c));
    }

    ConversationSummary* request(const std::string& peer) {
        for (auto& c : view_.requests) {
            if (c.peer_session_id == peer) return &c;
        }
        return nullptr;
    }

    void refresh_open() {
        if (!view_.open) return;
        const std::string& peer = view_.open->peer_session_id;
        const Contact& k = contacts_[peer];
        view_.open->is_request = k.request;
        view_.open->awaiting_approval = k.awaiting;
        view_.open->blocked = k.blocked;
        view_.open->typing = k.typing && view_.settings.typing_indicators;
        view_.open->display_name = k.name;
        view_.open->nickname = k.nickname;
        const auto setting = settings_[peer];
        view_.open->disappearing = setting.first;
        view_.open->disappearing_seconds = setting.second;
        view_.open->disappearing_text = setting_text(setting.first, setting.second);
        view_.open->disappearing_choices = disappearing_choices();
        if (ConversationSummary* c = summary(peer)) view_.open->title = c->title;
        if (ConversationSummary* c = request(peer)) view_.open->title = c->title;
    }

    void retitle(const std::string& peer) {
        const Contact& k = contacts_[peer];
        const std::string title = !k.nickname.empty() ? k.nickname
                                  : !k.name.empty()   ? k.name
                                                      : peer.substr(0, 8) + "\xE2\x80\xA6" + peer.substr(60);
        if (ConversationSummary* c = summary(peer)) c->title = title;
        if (ConversationSummary* c = request(peer)) c->title = title;
        for (auto& b : view_.settings.blocked) {
            if (b.session_id == peer) b.title = title;
        }
    }

    void accept(const std::string& peer) {
        auto it = std::find_if(view_.requests.begin(), view_.requests.end(),
                               [&](const auto& c) { return c.peer_session_id == peer; });
        if (it == view_.requests.end()) return;
        view_.conversations.insert(view_.conversations.begin(), *it);
        view_.requests.erase(it);
        contacts_[peer].request = false;
        refresh_open();
    }
    void decline(const std::string& peer) {
        std::erase_if(view_.requests, [&](const auto& c) { return c.peer_session_id == peer; });
        messages_.erase(peer);
        contacts_[peer].request = false;
        if (view_.open && view_.open->peer_session_id == peer) view_.open.reset();
    }

    void handle(intent::LoadOlderMessages& l) {
        if (!view_.open || view_.open->peer_session_id != l.peer_session_id) return;
        view_.open->loading = true;
        after(500, [this, peer = l.peer_session_id] {
            window_[peer] += 50;
            if (view_.open && view_.open->peer_session_id == peer) view_.open->loading = false;
            ++view_.version;
        });
    }
    void handle(intent::AcceptRequest& a) { accept(a.peer_session_id); }
    void handle(intent::DeclineRequest& d) { decline(d.peer_session_id); }
    void handle(intent::ClearAllRequests&) {
        while (!view_.requests.empty()) decline(view_.requests.front().peer_session_id);
    }
    void handle(intent::BlockContact& b) {
        Contact& k = contacts_[b.peer_session_id];
        if (k.blocked) return;
        if (k.request) decline(b.peer_session_id);
        k.blocked = true;
        view_.settings.blocked.push_back(BlockedContact{b.peer_session_id, ""});
        retitle(b.peer_session_id);
        refresh_open();
    }
    void handle(intent::UnblockContact& u) {
        contacts_[u.peer_session_id].blocked = false;
        std::erase_if(view_.settings.blocked,
                      [&](const auto& b) { return b.session_id == u.peer_session_id; });
        refresh_open();
    }
    void handle(intent::SetNickname& n) {
        contacts_[n.peer_session_id].nickname = n.nickname;
        retitle(n.peer_session_id);
        refresh_open();
    }
    void handle(intent::SetDisplayName& n) {
        view_.settings.name_problem.reset();
        if (n.name.size() > 64) {
            view_.settings.name_problem =
                Problem{"profile.name_too_long", "A display name has at most 64 characters.", {}};
            return;
        }
        if (view_.account) view_.account->display_name = n.name;
        for (auto& a : view_.accounts) a.name = n.name;
    }
    void handle(intent::SetTypingIndicators& t) {
        view_.settings.typing_indicators = t.on;
        for (auto& c : view_.conversations) c.typing = t.on && contacts_[c.peer_session_id].typing;
        refresh_open();
    }
    void handle(intent::SetReadReceipts& r) { view_.settings.read_receipts = r.on; }
    void handle(intent::RevealRecoveryPhrase&) { view_.settings.recovery_phrase = phrase_; }

    // [SECTION] Deletion and disappearing messages (issue 14)
    static std::vector<DisappearingChoice> disappearing_choices() {
        using M = DisappearingMode;
        return {{M::Off, 0, "Off"},          {M::AfterRead, 300, "5 minutes"},
                {M::AfterRead, 3600, "1 hour"}, {M::AfterRead, 43200, "12 hours"},
                {M::AfterRead, 86400, "1 day"}, {M::AfterRead, 604800, "1 week"},
                {M::AfterSend, 10, "10 seconds"}, {M::AfterSend, 30, "30 seconds"},
                {M::AfterSend, 60, "1 minute"},  {M::AfterSend, 43200, "12 hours"},
                {M::AfterSend, 86400, "1 day"},  {M::AfterSend, 604800, "1 week"}};
    }
    static std::string timer_label(DisappearingMode mode, std::uint32_t seconds) {
        for (const auto& c : disappearing_choices()) {
            if (c.mode == mode && c.seconds == seconds) return c.label;
        }
        return std::to_string(seconds) + " seconds";
    }
    static std::string setting_text(DisappearingMode mode, std::uint32_t seconds) {
        if (mode == DisappearingMode::Off) return "";
        return std::string(mode == DisappearingMode::AfterRead ? "Disappear after read: "
                                                               : "Disappear after send: ") +
               timer_label(mode, seconds);
    }
    void sign_in_deletion(std::int64_t now) {
        auto& msgs = messages_[fake_id(3)];
        MessageView deleted;
        deleted.id = "deleted-1";
        deleted.kind = MessageKind::Deleted;
        deleted.sent_ms = now - 3 * 60'000;
        msgs.push_back(deleted);
        MessageView notice;
        notice.id = "notice-1";
        notice.kind = MessageKind::Notice;
        notice.body = "Nguyễn Văn An set messages to disappear 1 hour after they have been read.";
        notice.sent_ms = now - 2 * 60'000;
        msgs.push_back(notice);
        MessageView later;
        later.id = "disappearing-1";
        later.body = "This one disappears within the hour.";
        later.sent_ms = now - 60'000;
        later.disappearing = DisappearingMode::AfterRead;
        later.disappearing_seconds = 3600;
        later.expires_ms = now + 45 * 60'000;
        msgs.push_back(later);
        settings_[fake_id(3)] = {DisappearingMode::AfterRead, 3600};
    }
    MessageView* find_message(const std::string& peer, const std::string& id) {
        for (auto& m : messages_[peer]) {
            if (m.id == id) return &m;
        }
        return nullptr;
    }
    void handle(intent::SetDisappearing& d) {
        settings_[d.peer_session_id] = {d.mode, d.seconds};
        MessageView notice;
        notice.id = "notice-" + std::to_string(++sent_);
        notice.kind = MessageKind::Notice;
        notice.body = d.mode == DisappearingMode::Off
                          ? "You turned off disappearing messages."
                          : "You set messages to disappear " + timer_label(d.mode, d.seconds) +
                                (d.mode == DisappearingMode::AfterRead
                                     ? " after they have been read."
                                     : " after they have been sent.");
        notice.sent_ms = now_ms();
        messages_[d.peer_session_id].push_back(notice);
        refresh_open();
    }
    void handle(intent::DeleteForEveryone& d) {
        if (MessageView* m = find_message(d.peer_session_id, d.message_id)) {
            m->kind = MessageKind::Deleted;
            m->body.clear();
            m->expires_ms = 0;
        }
    }
    void handle(intent::DeleteForMe& d) {
        std::erase_if(messages_[d.peer_session_id], [&](const MessageView& m) { return m.id == d.message_id; });
    }
    void handle(intent::DeleteConversation& d) {
        messages_.erase(d.peer_session_id);
        std::erase_if(view_.conversations, [&](const auto& c) { return c.peer_session_id == d.peer_session_id; });
        if (view_.open && view_.open->peer_session_id == d.peer_session_id) view_.open.reset();
    }
    void wipe() {
        view_.account.reset();
        view_.accounts.clear();
        view_.onboarding = {};
        view_.open.reset();
        view_.conversations.clear();
        view_.requests.clear();
        view_.settings = {};
        messages_.clear();
        drafts_.clear();
        contacts_.clear();
        settings_.clear();
    }
    void handle(intent::ClearDevice&) { wipe(); }
    // The first attempt fails at the third node (it does not confirm); a retry succeeds. Each node
    // answers 800 ms after the one before.
    void handle(intent::ClearDeviceAndNetwork&) {
        ClearNetworkView& cn = view_.settings.clear_network;
        if (cn.stage == ClearNetworkStage::Working) return;
        cn = {};
        cn.stage = ClearNetworkStage::Working;
        for (const char* node : {"127.0.0.1:22101 · a3f1c0…", "127.0.0.1:22104 · 77b2a9…",
                                 "127.0.0.1:22107 · 9c02e4…", "127.0.0.1:22112 · 51de77…"}) {
            cn.members.push_back(SwarmMemberProgress{node, false, ""});
        }
        const bool fail = clear_attempts_++ == 0;
        for (std::size_t i = 0; i < cn.members.size(); ++i) {
            after(800 * static_cast<int>(i + 1), [this, i, fail] {
                ClearNetworkView& c = view_.settings.clear_network;
                if (c.stage != ClearNetworkStage::Working || i >= c.members.size()) return;
                if (fail && i == 2) {
                    c.members[i].problem = "It did not answer in time.";
                    c.stage = ClearNetworkStage::Failed;
                    c.problem = Problem{"swarm.unconfirmed",
                                        "One node of your swarm did not confirm the deletion, so "
                                        "your data may still be stored in the network.",
                                        {}};
                    return;
                }
                c.members[i].confirmed = true;
                if (i + 1 == c.members.size()) after(300, [this] { wipe(); });
            });
        }
    }
    void handle(intent::DismissClearNetwork&) { view_.settings.clear_network = {}; }
    // The fixture has no kiosk mode (its view never says kiosk.active): nothing to end or keep.
    void handle(intent::EndKioskSession&) {}
    void handle(intent::KeepKioskSession&) {}
    // Links (docs/links.md) are the Client's; the fixture's canned account follows none.
    void handle(intent::OpenLink&) {}
    // One canned account: nothing to switch to, add or remove.
    void handle(intent::SwitchAccount&) {}
    void handle(intent::AddAccount&) {}
    void handle(intent::CancelAddAccount&) {}
    void handle(intent::RemoveAccount&) {}
    // No passphrase lock in the fixture (docs/lock.md is the Client's).
    void handle(intent::ShowLockedAccount&) {}
    void handle(intent::Unlock&) {}
    void handle(intent::LockNow&) {}
    void handle(intent::SetPassphrase&) {}
    void handle(intent::ChangePassphrase&) {}
    void handle(intent::RemovePassphrase&) {}
    void handle(intent::SetLockAfter&) {}
    void handle(intent::RemoveLockedAccount&) {}
    void handle(intent::DismissLinkProblem&) {}
    void handle(intent::TryItNow&) {}
    void handle(intent::PhraseSaved&) {}
    void handle(intent::HideRecoveryPhrase&) { view_.settings.recovery_phrase.clear(); }

    void add_conversation(const std::string& peer, const std::string& title, int count,
                          std::int64_t last_ms) {
        auto& msgs = messages_[peer];
        msgs.reserve(static_cast<std::size_t>(count) + 16);
        static constexpr const char* kLines[] = {
            "Hey! Are we still on for tomorrow?",
            "Yes, 10:00 at the station. I'll bring the tickets.",
            ("Perfect. Did you see the new photos from the trip? The one from the lighthouse at "
             "sunset is my favourite, the colours are unreal."),
            "Haha yes",
            "Привет! Как дела?",
            "Xin chào, bạn khỏe không?",
            "Line one\nLine two\nLine three",
        };
        for (int i = 0; i < count; ++i) {
            MessageView m;
            m.id = peer.substr(2, 6) + "-" + std::to_string(i);
            m.outgoing = i % 3 == 1;
            m.body = kLines[static_cast<std::size_t>(i) % std::size(kLines)];
            if (count > 1000) m.body = "#" + std::to_string(i) + " " + m.body;
            m.sent_ms = last_ms - static_cast<std::int64_t>(count - i) * 97'000;
            msgs.push_back(std::move(m));
        }
        ConversationSummary c;
        c.peer_session_id = peer;
        c.title = title.empty() ? peer.substr(0, 8) + "\xE2\x80\xA6" + peer.substr(60) : title;
        c.last_message = msgs.empty() ? "" : msgs.back().body;
        c.last_ms = msgs.empty() ? last_ms : msgs.back().sent_ms;
        view_.conversations.push_back(std::move(c));
    }

    // [SECTION] Conversations
    ConversationSummary* summary(const std::string& peer) {
        for (auto& c : view_.conversations) {
            if (c.peer_session_id == peer) return &c;
        }
        return nullptr;
    }

    void handle(intent::StartConversation& s) {
        auto id = crypto::SessionId::parse(s.session_id_text);
        if (!id && resolve_name(s.session_id_text)) return;
        if (!id) {
            view_.new_conversation_problem = Problem{std::string(id.error().code),
                                                     id.error().message, {}};
            return;
        }
        view_.new_conversation_problem.reset();
        const std::string peer = id->hex();
        if (summary(peer) == nullptr) add_conversation(peer, "", 0, now_ms());
        open(peer);
    }
    // ONS names (letters, digits, _ and -, not hex): "looked up" for 1.5 s; "nobody" is not
    // registered, any other name is someone new.
    bool resolve_name(const std::string& text) {
        const bool name = !text.empty() && text.size() <= 64 &&
                          std::all_of(text.begin(), text.end(), [](char c) {
                              return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                          }) &&
                          !std::all_of(text.begin(), text.end(), [](char c) {
                              return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                          });
        if (!name) return false;
        if (view_.resolving_name) return true;
        view_.resolving_name = true;
        view_.new_conversation_problem.reset();
        after(1500, [this, text] {
            view_.resolving_name = false;
            ++view_.version;
            if (text == "nobody") {
                view_.new_conversation_problem =
                    Problem{"ons.not_found", "No one has registered the ONS name \"" + text + "\".", {}};
                return;
            }
            const std::string peer = fake_id(100 + static_cast<int>(text.size()));
            contacts_[peer].name = text;
            if (summary(peer) == nullptr) add_conversation(peer, text, 0, now_ms());
            open(peer);
        });
        return true;
    }
    void handle(intent::OpenConversation& o) { open(o.peer_session_id); }
    void open(const std::string& peer) {
        ConversationSummary* c = summary(peer);
        if (c == nullptr) c = request(peer);
        if (c == nullptr) return;
        OpenConversationView o;
        o.peer_session_id = peer;
        o.title = c->title;
        o.draft = drafts_[peer];
        view_.open = std::move(o);
        refresh_open();
    }
    void handle(intent::CloseConversation&) { view_.open.reset(); }
    void handle(intent::UpdateDraft& d) {
        drafts_[d.peer_session_id] = d.text;
        if (view_.open && view_.open->peer_session_id == d.peer_session_id) view_.open->draft = d.text;
    }
    void handle(intent::MarkRead& m) {
        if (auto* c = summary(m.peer_session_id)) c->unread = 0;
        if (auto* c = request(m.peer_session_id)) c->unread = 0;
    }
    void handle(intent::SendText& s) {
        accept(s.peer_session_id);  // replying to a request accepts it
        auto& msgs = messages_[s.peer_session_id];
        MessageView m;
        m.id = "out-" + std::to_string(++sent_);
        m.outgoing = true;
        m.body = s.text;
        m.sent_ms = now_ms();
        m.delivery = DeliveryState::Sending;
        const auto setting = settings_[s.peer_session_id];
        if (setting.first != DisappearingMode::Off) {
            m.disappearing = setting.first;
            m.disappearing_seconds = setting.second;
            if (setting.first == DisappearingMode::AfterSend) {
                // After send: it counts down from now and is gone when the time is up.
                m.expires_ms = m.sent_ms + std::int64_t{setting.second} * 1000;
                after(static_cast<int>(setting.second) * 1000, [this, peer = s.peer_session_id, id = m.id] {
                    std::erase_if(messages_[peer], [&](const MessageView& x) { return x.id == id; });
                });
            }
        }
        msgs.push_back(m);
        ++view_.network.outbox;
        touch(s.peer_session_id, s.text);
        const bool fails = s.text.find("fail") != std::string::npos;
        after(700, [this, peer = s.peer_session_id, id = m.id, fails] {
            settle(peer, id, fails);
        });
        if (!fails) {
            after(1600, [this, peer = s.peer_session_id, text = s.text] {
                MessageView reply;
                reply.id = "in-" + std::to_string(++sent_);
                reply.body = "You said: " + text;
                reply.sent_ms = now_ms();
                if (view_.settings.read_receipts) {
                    // Simulated read receipt: they read ours before replying.
                    for (auto& m : messages_[peer]) {
                        if (m.outgoing && m.delivery == DeliveryState::Sent) m.delivery = DeliveryState::Read;
                    }
                }
                messages_[peer].push_back(reply);
                touch(peer, reply.body);
                if (!view_.open || view_.open->peer_session_id != peer) ++summary(peer)->unread;
            });
        }
    }
    void handle(intent::RetryMessage& r) {
        for (auto& m : messages_[r.peer_session_id]) {
            if (m.id == r.message_id) {
                m.delivery = DeliveryState::Sending;
                m.failure_text.clear();
                ++view_.network.outbox;
            }
        }
        after(700, [this, peer = r.peer_session_id, id = r.message_id] { settle(peer, id, false); });
    }
    void settle(const std::string& peer, const std::string& id, bool fails) {
        for (auto& m : messages_[peer]) {
            if (m.id != id) continue;
            m.delivery = fails ? DeliveryState::Failed : DeliveryState::Sent;
            if (fails) m.failure_text = "The network did not answer in time.";
        }
        if (view_.network.outbox > 0) --view_.network.outbox;
        ++view_.version;
    }
    void touch(const std::string& peer, const std::string& text) {
        auto it = std::find_if(view_.conversations.begin(), view_.conversations.end(),
                               [&](const auto& c) { return c.peer_session_id == peer; });
        if (it == view_.conversations.end()) return;
        it->last_message = text;
        it->last_ms = now_ms();
        std::rotate(view_.conversations.begin(), it, it + 1);  // most recent first
        ++view_.version;
    }

    std::string phrase_;
    std::string own_id_;
    AppView view_;
    std::map<std::string, std::vector<MessageView>> messages_;
    std::map<std::string, std::string> drafts_;
    std::map<std::string, Contact> contacts_;
    std::map<std::string, std::size_t> window_;  // peer → messages in the open window (?page=N)
    std::map<std::string, std::pair<DisappearingMode, std::uint32_t>> settings_;  // disappearing
    int clear_attempts_ = 0;
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
    int sent_ = 0;
    std::uint64_t copied_version_ = ~std::uint64_t{0};
};

}  // namespace

std::unique_ptr<AppHost> make_app_host() { return std::make_unique<FixtureHost>(); }

}  // namespace st::wasm
