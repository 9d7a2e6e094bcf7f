// A development aid, not the product: an AppHost with canned data and simulated delays, to look
// at and click through the screens in a browser without a network (fixture.html). It shows a
// banner saying so. Query parameters: ?state=main (skip onboarding), ?messages=N (the first
// conversation holds N messages, e.g. 100000 to try the virtualised list).
#include <emscripten.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
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
        // The open conversation's messages are copied in when something changed (the host asks
        // for the view often to notice changes; copying 100k messages each time would not do).
        if (view_.open && copied_version_ != view_.version) {
            view_.open->messages = messages_[view_.open->peer_session_id];
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
        view_.onboarding = {};
        const std::int64_t now = now_ms();
        const int big = std::max(0, std::min(st_js_query_int("messages", 60), 1'000'000));
        add_conversation(fake_id(1), "Bob", big, now);
        add_conversation(fake_id(2), "Καλημέρα Ελένη", 4, now - 3'600'000);
        add_conversation(fake_id(3), "Nguyễn Văn An", 3, now - 86'400'000 * 2);
        add_conversation(fake_id(4), "", 0, now - std::int64_t{86'400'000} * 40);
        view_.conversations[0].unread = 2;
        view_.conversations[1].unread = 1;
    }

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
    void handle(intent::OpenConversation& o) { open(o.peer_session_id); }
    void open(const std::string& peer) {
        ConversationSummary* c = summary(peer);
        if (c == nullptr) return;
        OpenConversationView o;
        o.peer_session_id = peer;
        o.title = c->title;
        o.draft = drafts_[peer];
        view_.open = std::move(o);
    }
    void handle(intent::CloseConversation&) { view_.open.reset(); }
    void handle(intent::UpdateDraft& d) {
        drafts_[d.peer_session_id] = d.text;
        if (view_.open && view_.open->peer_session_id == d.peer_session_id) view_.open->draft = d.text;
    }
    // Intents of screens the fixture does not script (requests, settings): ignored.
    template <class Unscripted>
    void handle(Unscripted&) {}
    void handle(intent::MarkRead& m) {
        if (auto* c = summary(m.peer_session_id)) c->unread = 0;
    }
    void handle(intent::SendText& s) {
        auto& msgs = messages_[s.peer_session_id];
        MessageView m;
        m.id = "out-" + std::to_string(++sent_);
        m.outgoing = true;
        m.body = s.text;
        m.sent_ms = now_ms();
        m.delivery = DeliveryState::Sending;
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
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
    int sent_ = 0;
    std::uint64_t copied_version_ = ~std::uint64_t{0};
};

}  // namespace

std::unique_ptr<AppHost> make_app_host() { return std::make_unique<FixtureHost>(); }

}  // namespace st::wasm
