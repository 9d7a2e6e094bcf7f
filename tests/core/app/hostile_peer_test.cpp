// Hostile peers and nodes against the real Client (issue 11): a stranger with a 64 KiB display
// name, a message with 10,000 attachments, retrieve answers that are too large or nested JSON. Each is
// refused or cut with a clear outcome, and the Client goes on receiving and sending normally.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_world.hpp"
#include "st/crypto/session_box.hpp"
#include "st/proto/envelope.hpp"
#include "st/proto/message.hpp"
#include "st/proto/padding.hpp"

namespace st::app::test {
namespace {

crypto::SessionId sid(const std::string& hex) { return crypto::SessionId::parse(hex).value(); }

// A tiny protobuf writer for a Content no encoder of ours would make.
std::string varint(std::uint64_t v) {
    std::string out;
    do {
        auto b = static_cast<char>(v & 0x7f);
        v >>= 7;
        out.push_back(static_cast<char>(b | (v ? 0x80 : 0)));
    } while (v);
    return out;
}
std::string field(int number, const std::string& bytes) {
    return varint(static_cast<std::uint64_t>(number << 3 | 2)) + varint(bytes.size()) + bytes;
}
std::string number(int field_number, std::uint64_t v) {
    return varint(static_cast<std::uint64_t>(field_number << 3)) + varint(v);
}

// Seals `content` (Content protobuf bytes) from `from` to `to` as a swarm message's data.
std::string seal_content(const crypto::Identity& from, const crypto::SessionId& to,
                         const std::string& content, std::uint64_t sent_ms) {
    proto::Envelope e;
    e.timestamp = sent_ms;
    e.content = crypto::session_box::seal(from, to.x25519(), proto::pad(as_bytes(content))).value();
    return to_base64(proto::wrap_websocket_request(proto::encode_envelope(e)));
}

// Alice, and a stranger about to write to her for the first time.
class HostilePeers : public ::testing::Test {
protected:
    World w;
    Device alice{w};
    std::string a = alice.create("Alice");
    crypto::Identity stranger = crypto::Identity::generate();
    std::string s = stranger.session_id().hex();
    std::uint64_t now = static_cast<std::uint64_t>(w.clock.now_ms());
};

TEST_F(HostilePeers, A64KiBDisplayNameIsCutAndItsMessageArrives) {
    proto::OutgoingText text{.body = "hello from a very long name"};
    text.profile = proto::Profile{.display_name = std::string(64 * 1024, 'N')};
    auto data = proto::encode_message(stranger, sid(a), now, text);
    ASSERT_TRUE(data) << data.error().message;
    w.network.inject(sid(a), 0, *data);

    ASSERT_TRUE(w.run_until([&] { return alice.request(s) != nullptr; }));
    EXPECT_EQ(alice.request(s)->last_message, "hello from a very long name");
    EXPECT_EQ(alice.request(s)->title, std::string(64, 'N')) << "cut to max_name_chars";
    alice.reload();
    ASSERT_NE(alice.request(s), nullptr);
    EXPECT_EQ(alice.request(s)->title, std::string(64, 'N')) << "stored cut, not whole";
}

TEST_F(HostilePeers, TenThousandAttachmentsAreDroppedAndTheNextMessageArrives) {

    // DataMessage{body, 10,000 × attachments{id}} and Content.sigTimestamp: 40 KB on the wire,
    // under the 76,800-byte message limit.
    std::string data_message = field(1, "ten thousand attachments");
    for (int i = 0; i < 10000; ++i) data_message += field(2, number(1, static_cast<std::uint64_t>(i) + 1));
    const std::string content = field(1, data_message) + number(15, now);
    ASSERT_LT(content.size(), proto::kMaxMessageBytes - 1000);
    w.network.inject(sid(a), 0, seal_content(stranger, sid(a), content, now));

    // Then an ordinary message from the same stranger.
    auto ok = proto::encode_message(stranger, sid(a), now + 1000, proto::OutgoingText{.body = "just text"});
    ASSERT_TRUE(ok);
    w.network.inject(sid(a), 0, *ok);

    ASSERT_TRUE(w.run_until([&] { return alice.request(s) != nullptr; }));
    EXPECT_EQ(alice.request(s)->last_message, "just text");
    alice.dispatch(intent::OpenConversation{s});
    ASSERT_TRUE(w.run_until([&] { return alice.view().open && !alice.view().open->loading; }));
    EXPECT_EQ(bodies(*alice.view().open), std::vector<std::string>{"just text"})
        << "the message with 10,000 attachments is not shown";
    EXPECT_EQ(alice.stored_messages(s), 1u) << "and not stored";
}

// Every swarm member answers retrieve with 17 MB (above the 16 MiB any answer may have; the relay
// cuts node answers at 32 MiB, so a page never sees the 50 MB a node may send), then with JSON
// nested 100,000 deep. Each poll fails on its own; once the nodes behave again the message waiting
// there arrives once, and sending works. Before the router fix that this found, the pool shrank
// after such failures and every path build failed for good (guard tests passing, no path built).
TEST(HostileNodes, HugeOrDeeplyNestedRetrieveAnswersFailOnlyThosePolls) {
    Pair p;
    std::string answer;
    std::size_t served = 0;  // hostile answers given
    p.w.network.set_rpc_hook([&](const rpc::ServiceNode&, const std::string& method,
                                 const std::string&) -> std::optional<std::pair<int, std::string>> {
        if (method != "retrieve" || answer.empty()) return std::nullopt;
        ++served;
        return std::make_pair(200, answer);
    });
    p.bob.send(p.a, "through the storm");
    std::vector<std::string> hostile_answers{std::string(100000, '[')};
#ifndef __EMSCRIPTEN__
    // Natively only: the fake network seals 17 MB into onion replies, which takes the wasm core
    // suite about 90 s under node; the size rule itself is the same code in both builds.
    hostile_answers.insert(hostile_answers.begin(), std::string(17 * 1024 * 1024, '{'));
#endif
    for (const auto& hostile : hostile_answers) {
        answer = hostile;
        const auto served_before = served;
        ASSERT_TRUE(p.w.run_until([&] { return served > served_before; }))
            << "the Clients keep polling after a hostile answer";
        EXPECT_EQ(p.alice.message("through the storm"), nullptr);
        answer.clear();
        answer.shrink_to_fit();
    }
    ASSERT_TRUE(p.w.run_until([&] { return p.alice.message("through the storm") != nullptr; }));
    EXPECT_EQ(p.alice.stored_messages(p.b), 1u);
    // And she can still write.
    p.alice.send(p.b, "still here");
    ASSERT_TRUE(p.w.run_until([&] { return p.bob.message("still here") != nullptr; }));
}

}  // namespace
}  // namespace st::app::test
