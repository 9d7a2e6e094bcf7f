// Shared by the st::app::Client tests: one clock, one loop, one scripted Session network
// (FakeSnodeNetwork) — and Devices, each a browser profile with its own storage and a Client that
// can be closed and reopened on it. What a person does, as Intents; what they would see, as AppView.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "st/app/client.hpp"
#include "st/store/memory_kv_store.hpp"
#include "support/fake_snode_network.hpp"
#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

namespace st::app::test {

using namespace std::chrono_literals;

struct World {
    st::test::ManualClock clock;
    Loop loop{clock};
    st::test::FakeTransport transport{loop};
    st::test::FakeSnodeNetwork network{transport, clock};

    ClientConfig config() const {
        ClientConfig c;
        c.network.pool.seed_urls = {network.seed_url()};
        c.addressing = std::make_shared<net::UrlTemplateAddressing>(net::UrlTemplateAddressing::direct("http"));
        c.poller.active_interval = 2s;
        c.poller.idle_interval = 10s;
        c.poller.conversation_interval = 2s;
        c.short_disappearing_timers = true;  // 10 s timers, as on the devnet
        return c;
    }
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5min) {
        return st::test::run_until(loop, clock, done, limit);
    }
    void advance(std::chrono::milliseconds d) { st::test::advance(loop, clock, d); }
};

// A KvStore in front of a MemoryKvStore whose writes can be made to fail, as a full browser
// storage does (QuotaExceededError): reads keep working.
class FaultyStore final : public store::KvStore {
public:
    explicit FaultyStore(Loop& loop) : loop_(loop), inner_(loop) {}
    int fail_writes = 0;  // the next N write batches fail with store.quota_exceeded

    void get(std::string key, Callback<std::optional<Bytes>> done) override { inner_.get(std::move(key), std::move(done)); }
    void write(std::vector<store::KvWrite> batch, Callback<> done) override {
        if (fail_writes > 0) {
            --fail_writes;
            loop_.post([done = std::move(done)] { done(fail("store.quota_exceeded", "QuotaExceededError")); });
            return;
        }
        inner_.write(std::move(batch), std::move(done));
    }
    void scan(std::string prefix, std::string cursor, std::size_t limit, Callback<std::vector<store::KvEntry>> done,
              store::ScanOrder order = store::ScanOrder::Ascending) override {
        inner_.scan(std::move(prefix), std::move(cursor), limit, std::move(done), order);
    }
    void erase_prefix(std::string prefix, Callback<> done) override { inner_.erase_prefix(std::move(prefix), std::move(done)); }

    store::MemoryKvStore& inner() { return inner_; }

private:
    Loop& loop_;
    store::MemoryKvStore inner_;
};

struct Device {
    World& world;
    FaultyStore store{world.loop};
    std::unique_ptr<Client> client;
    std::function<void(ClientConfig&)> tweak;  // changes to the World's config for this device

    explicit Device(World& w) : world(w) { open(); }
    Device(World& w, std::function<void(ClientConfig&)> t) : world(w), tweak(std::move(t)) { open(); }
    void open() {
        auto config = world.config();
        if (tweak) tweak(config);
        client = std::make_unique<Client>(world.loop, world.clock, world.transport, store, config);
        client->start();
        world.run_until([&] { return !client->view().loading; });
    }
    void reload() {
        client.reset();
        open();
    }
    const AppView& view() { return client->view(); }
    void dispatch(Intent i) { client->dispatch(std::move(i)); }

    std::string create(const std::string& name) {
        dispatch(intent::CreateAccount{});
        dispatch(intent::ConfirmPhraseSaved{});
        dispatch(intent::ChooseDisplayName{name});
        EXPECT_TRUE(view().account.has_value());
        world.run_until([&] { return !view().loading; });
        return view().account ? view().account->session_id : "";
    }
    // Opens a conversation with `peer` as a person would: New conversation, paste the ID.
    void start_with(const std::string& peer) {
        dispatch(intent::StartConversation{peer});
        world.run_until([&] { return view().open && view().open->peer_session_id == peer && !view().open->loading; });
    }
    // Sends and waits for the bubble (it shows once the message is stored in this browser).
    void send(const std::string& peer, const std::string& text) {
        const auto before = view().open ? view().open->messages.size() : 0;
        dispatch(intent::SendText{peer, text});
        world.run_until([&] { return view().open && view().open->messages.size() > before; });
    }
    void settings(bool typing, bool receipts) {
        dispatch(intent::SetTypingIndicators{typing});
        dispatch(intent::SetReadReceipts{receipts});
    }
    const ConversationSummary* in_list(const std::vector<ConversationSummary>& list, const std::string& peer) {
        for (auto& c : list)
            if (c.peer_session_id == peer) return &c;
        return nullptr;
    }
    // The main list (approved conversations).
    const ConversationSummary* summary(const std::string& peer) { return in_list(view().conversations, peer); }
    // The message requests.
    const ConversationSummary* request(const std::string& peer) { return in_list(view().requests, peer); }
    // Every key this browser stores (after a wipe: none of the account's).
    std::vector<std::string> stored_keys() {
        std::optional<std::vector<std::string>> keys;
        store.scan("", {}, 1000000, [&](Result<std::vector<store::KvEntry>> r) {
            keys.emplace();
            if (r)
                for (auto& e : *r) keys->push_back(e.key);
        });
        world.run_until([&] { return keys.has_value(); });
        return keys.value_or(std::vector<std::string>{});
    }
    const MessageView* message(const std::string& body) {
        if (!view().open) return nullptr;
        for (auto& m : view().open->messages)
            if (m.body == body) return &m;
        return nullptr;
    }
    std::size_t stored_messages(const std::string& peer) {
        std::optional<std::size_t> n;
        store.scan("acct/" + view().account->session_id + "/msg/" + peer + "/", {}, 1000000,
                   [&](Result<std::vector<store::KvEntry>> r) { n = r ? r->size() : 0; });
        world.run_until([&] { return n.has_value(); });
        return n.value_or(0);
    }
};

// Alice and Bob, each on a device of their own, each with the other's conversation open.
struct Pair {
    World w;
    Device alice{w}, bob{w};
    std::string a, b;  // their Session IDs
    Pair() {
        a = alice.create("Alice");
        b = bob.create("Bob");
        alice.start_with(b);
        bob.start_with(a);
    }
    crypto::SessionId id(const std::string& hex) const { return crypto::SessionId::parse(hex).value(); }
    // Opens `peer`'s conversation on `d` and waits for its newest page.
    bool open_and_loaded(Device& d, const std::string& peer) {
        d.dispatch(intent::OpenConversation{peer});
        return w.run_until([&] { return d.view().open && d.view().open->peer_session_id == peer && !d.view().open->loading; });
    }
};

inline std::vector<std::string> bodies(const OpenConversationView& open) {
    std::vector<std::string> out;
    for (auto& m : open.messages) out.push_back(m.body);
    return out;
}

}  // namespace st::app::test
