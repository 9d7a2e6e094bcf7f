// Messages: durable before they show, failures marked and retryable, drafts and read state kept,
// a received unsend removing text everywhere, history paged newest first, older records loading.
#include <gtest/gtest.h>

#include "app_world.hpp"
#include "st/proto/message.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {
namespace {

using namespace std::chrono_literals;
using test::bodies;
using test::Device;
using test::Pair;
using test::World;

TEST(Durability, AMessageShowsOnlyOnceStoredAndANotSavedOneIsMarkedNotSent) {
    Pair p;
    p.alice.store.fail_writes = 1;  // the browser's storage is full for the next write
    p.alice.dispatch(intent::SendText{p.b, "kept?"});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages.size() == 1; }));
    const auto& m = p.alice.view().open->messages[0];
    EXPECT_EQ(m.delivery, DeliveryState::Failed);
    EXPECT_NE(m.failure_text.find("storage"), std::string::npos) << m.failure_text;
    EXPECT_EQ(p.alice.view().network.outbox, 0u);
    p.w.advance(20s);
    EXPECT_EQ(p.w.network.stored(crypto::SessionId::parse(p.b).value(), 0), 0u)
        << "nothing goes to the network that this browser could not keep";
    ASSERT_TRUE(p.alice.view().banner);
    EXPECT_EQ(p.alice.view().banner->code, "store.quota_exceeded");

    // Storage works again: Retry keeps it, sends it, and the banner goes.
    p.alice.dispatch(intent::RetryMessage{p.b, m.id});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
    EXPECT_FALSE(p.alice.view().banner);
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->messages.size() == 1; }));
    p.alice.reload();
    p.alice.dispatch(intent::OpenConversation{p.b});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open && !p.alice.view().open->loading; }));
    ASSERT_EQ(p.alice.view().open->messages.size(), 1u);
    EXPECT_EQ(p.alice.view().open->messages[0].delivery, DeliveryState::Sent);
}

TEST(Durability, AReloadRightAfterSendingKeepsTheMessageAndNoDraft) {
    Pair p;
    // The network does not answer: the message stays in the outbox across the reload.
    for (auto& n : p.w.network.nodes()) p.w.network.set_behaviour(n.ed25519, st::test::FakeSnodeNetwork::Behaviour::down);
    p.alice.dispatch(intent::UpdateDraft{p.b, "r0-s"});
    p.alice.dispatch(intent::UpdateDraft{p.b, "r0-sent"});
    p.alice.send(p.b, "r0-sent");  // the bubble shows "sending"
    p.alice.dispatch(intent::UpdateDraft{p.b, ""});
    p.alice.reload();
    ASSERT_NE(p.alice.summary(p.b), nullptr);
    EXPECT_EQ(p.alice.summary(p.b)->last_message, "r0-sent");
    EXPECT_EQ(p.alice.view().network.outbox, 1u);
    p.alice.dispatch(intent::OpenConversation{p.b});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open && !p.alice.view().open->loading; }));
    EXPECT_EQ(bodies(*p.alice.view().open), std::vector<std::string>{"r0-sent"});
    EXPECT_EQ(p.alice.view().open->draft, "") << "a sent message's draft is gone";
    EXPECT_EQ(p.alice.view().open->messages[0].delivery, DeliveryState::Sending);
    for (auto& n : p.w.network.nodes()) p.w.network.set_behaviour(n.ed25519, st::test::FakeSnodeNetwork::Behaviour::ok);
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->messages.size() == 1; }));
    EXPECT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
}

TEST(Durability, OurSyncCopyRestoresAMessageThisBrowserLost) {
    Pair p;
    p.alice.send(p.b, "lost and found");
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().network.outbox == 0; }));
    // An older version lost the record after sending it (the tab closed mid-write).
    const std::string key = "acct/" + p.a + "/msg/" + p.b + "/" + p.alice.view().open->messages[0].id;
    p.alice.client.reset();
    std::optional<Result<>> erased;
    p.alice.store.inner().write({store::KvWrite::erase(key)}, [&](Result<> r) { erased = std::move(r); });
    p.w.run_until([&] { return erased.has_value(); });
    p.alice.open();
    p.alice.dispatch(intent::OpenConversation{p.b});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open && p.alice.view().open->messages.size() == 1; }));
    EXPECT_EQ(p.alice.view().open->messages[0].body, "lost and found");
    EXPECT_TRUE(p.alice.view().open->messages[0].outgoing);
}

TEST(Outbox, APermanentFailureIsMarkedAndRetrySendsItOnce) {
    Pair p;
    bool refuse = true;
    p.w.network.set_rpc_hook([&](const rpc::ServiceNode&, const std::string& method,
                                 const std::string& params) -> std::optional<std::pair<int, std::string>> {
        if (refuse && method == "store" && params.find(p.b) != std::string::npos)
            return std::pair<int, std::string>{401, "Unauthorized"};
        return std::nullopt;
    });
    p.alice.send(p.b, "refused");
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages[0].delivery == DeliveryState::Failed; }));
    EXPECT_EQ(p.alice.view().open->messages[0].failure_text, "The network refused the message's signature.");
    p.alice.reload();
    p.alice.dispatch(intent::OpenConversation{p.b});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open && p.alice.view().open->messages.size() == 1; }));
    EXPECT_EQ(p.alice.view().open->messages[0].delivery, DeliveryState::Failed) << "stays failed after a reload";

    refuse = false;
    p.alice.dispatch(intent::RetryMessage{p.b, p.alice.view().open->messages[0].id});
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.view().open->messages[0].delivery == DeliveryState::Sent; }));
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open->messages.size() == 1; }));
    p.w.advance(20s);
    EXPECT_EQ(p.bob.view().open->messages.size(), 1u);
}

TEST(Conversations, DraftsAndReadStateSurviveAReload) {
    Pair p;
    p.bob.dispatch(intent::CloseConversation{});
    p.alice.send(p.b, "one");
    p.w.advance(1s);
    p.alice.send(p.b, "two");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a)->unread == 2; }));
    p.bob.dispatch(intent::UpdateDraft{p.a, "half a thou"});
    p.bob.reload();
    EXPECT_EQ(p.bob.summary(p.a)->unread, 2u);
    p.bob.dispatch(intent::OpenConversation{p.a});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open && !p.bob.view().open->loading; }));
    EXPECT_EQ(p.bob.view().open->draft, "half a thou");
    EXPECT_EQ(p.bob.summary(p.a)->unread, 0u) << "opening it reads it";
    p.bob.reload();
    EXPECT_EQ(p.bob.summary(p.a)->unread, 0u);
}

TEST(Conversations, AReceivedUnsendLeavesAPlaceholderWithoutTheText) {
    Pair p;
    p.bob.dispatch(intent::CloseConversation{});
    p.alice.send(p.b, "keep this");
    p.w.advance(1s);
    p.alice.send(p.b, "oops, secret");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a)->last_message == "oops, secret"; }));
    const auto sent_ms = static_cast<std::uint64_t>(p.alice.view().open->messages[1].sent_ms);

    // Alice deletes it for everyone, as another client would send it.
    const auto* me = p.alice.client->identity();
    auto data = proto::encode_message(*me, crypto::SessionId::parse(p.b).value(), sent_ms + 5000,
                                      proto::OutgoingUnsend{sent_ms, me->session_id()});
    ASSERT_TRUE(data);
    p.w.network.inject(crypto::SessionId::parse(p.b).value(), 0, *data);
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.summary(p.a)->last_message == "This message was deleted"; }))
        << "the preview must not keep the deleted text";
    EXPECT_EQ(p.bob.summary(p.a)->unread, 1u) << "the deleted message is no longer unread";
    p.bob.dispatch(intent::OpenConversation{p.a});
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.view().open && !p.bob.view().open->loading; }));
    EXPECT_EQ(bodies(*p.bob.view().open), (std::vector<std::string>{"keep this", ""}));
    EXPECT_EQ(p.bob.view().open->messages[1].kind, MessageKind::Deleted);
    EXPECT_EQ(p.bob.stored_messages(p.a), 2u);
}

TEST(History, ALongConversationOpensAtItsNewestPageAndPagesBackwards) {
    World w;
    Device d(w);
    const auto me = d.create("Dora");
    const std::string peer = crypto::Identity::generate().session_id().hex();
    d.start_with(peer);
    d.client.reset();
    // 250 stored messages, as an earlier session would have left them.
    std::vector<store::KvWrite> batch;
    for (int i = 0; i < 250; ++i) {
        MessageView m;
        m.id = store::key::be64(1'700'000'000'000ULL + static_cast<std::uint64_t>(i)) + "/i";
        m.body = "m" + std::to_string(i);
        m.sent_ms = 1'700'000'000'000LL + i;
        auto text = std::string("{\"body\":\"") + m.body + "\",\"out\":false,\"ts\":" + std::to_string(m.sent_ms) + "}";
        // A record: its format version byte, then JSON.
        batch.push_back(store::KvWrite::put("acct/" + me + "/msg/" + peer + "/" + m.id, to_bytes("\x01" + text)));
    }
    std::optional<Result<>> written;
    d.store.inner().write(std::move(batch), [&](Result<> r) { written = std::move(r); });
    w.run_until([&] { return written.has_value(); });
    d.open();

    d.dispatch(intent::OpenConversation{peer});
    ASSERT_TRUE(w.run_until([&] { return d.view().open && !d.view().open->loading; }));
    ASSERT_EQ(d.view().open->messages.size(), 100u) << "one page, not the whole history";
    EXPECT_EQ(d.view().open->messages.front().body, "m150");
    EXPECT_EQ(d.view().open->messages.back().body, "m249");
    EXPECT_TRUE(d.view().open->has_older);

    d.dispatch(intent::LoadOlderMessages{peer});
    ASSERT_TRUE(w.run_until([&] { return !d.view().open->loading; }));
    EXPECT_EQ(d.view().open->messages.size(), 200u);
    EXPECT_EQ(d.view().open->messages.front().body, "m50");
    d.dispatch(intent::LoadOlderMessages{peer});
    ASSERT_TRUE(w.run_until([&] { return !d.view().open->loading; }));
    EXPECT_EQ(d.view().open->messages.size(), 250u);
    EXPECT_EQ(d.view().open->messages.front().body, "m0");
    EXPECT_FALSE(d.view().open->has_older);
    for (std::size_t i = 1; i < d.view().open->messages.size(); ++i)
        EXPECT_LT(d.view().open->messages[i - 1].id, d.view().open->messages[i].id);
}

TEST(Storage, ConversationsStoredBeforeContactsExistedStayInTheMainList) {
    World w;
    Device d(w);
    const auto me = d.create("Dora");
    const std::string peer = crypto::Identity::generate().session_id().hex();
    d.client.reset();
    // A conversation record of the first version: its title was in it, no contact record.
    const std::string text = R"({"name":"Old Friend","last":"hello","last_ms":1700000000000,"unread":2,"draft":"x"})";
    std::optional<Result<>> written;
    d.store.inner().write({store::KvWrite::put("acct/" + me + "/conv/" + peer, to_bytes("\x01" + text))},
                          [&](Result<> r) { written = std::move(r); });
    w.run_until([&] { return written.has_value(); });
    d.open();
    ASSERT_NE(d.summary(peer), nullptr);
    EXPECT_EQ(d.summary(peer)->title, "Old Friend");
    EXPECT_EQ(d.summary(peer)->last_message, "hello");
    EXPECT_EQ(d.summary(peer)->unread, 2u);
    d.reload();
    ASSERT_NE(d.summary(peer), nullptr) << "migrated for good";
    EXPECT_EQ(d.summary(peer)->title, "Old Friend");
}

}  // namespace
}  // namespace st::app
