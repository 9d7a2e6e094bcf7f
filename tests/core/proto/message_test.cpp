// The whole 1:1 pipeline (protocol.md §3, §8.1): §10.4 byte for byte, round trips through real
// (random) sealing, sync copies, and one test per rejection of decode_incoming.
#include "st/proto/message.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/proto/vectors.hpp"
#include "st/crypto/session_box.hpp"
#include "st/proto/content.hpp"
#include "st/proto/envelope.hpp"
#include "st/proto/message_hash.hpp"
#include "st/proto/padding.hpp"

namespace st::proto {
namespace {

using crypto::Identity;
using crypto::SessionId;

const Identity& alice() {
    static const Identity id = *Identity::from_seed_hex(vectors::kSeed1);
    return id;
}
const Identity& bob() {
    static const Identity id = *Identity::from_seed_hex(vectors::kSeed2);
    return id;
}
const Identity& carol() {
    static const Identity id = *Identity::from_seed_hex(vectors::kSeed3);
    return id;
}

constexpr EncodeOptions kVectorOptions{.decoy_pro_signature = false,
                                       .deterministic_for_testing = true};

// Builds `data` around arbitrary plaintext bytes (already padded or not), sealed by `from` to `to`,
// with the given envelope timestamp — for inputs the encoder would never make.
std::string wrap_plaintext(const Identity& from, const Identity& to, ByteView plaintext,
                           std::uint64_t envelope_ms = vectors::kSentMs) {
    Envelope e;
    e.timestamp = envelope_ms;
    e.content = *crypto::session_box::seal(from, to.x25519_public(), plaintext);
    return to_base64(wrap_websocket_request(encode_envelope(e)));
}

void expect_error(const Result<IncomingEvent>& r, std::string_view code) {
    ASSERT_FALSE(r) << "expected " << code;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

// [SECTION] Known answers -----------------------------------------------------------------------

TEST(Message, EncodesTheFullDmVectorByteForByte) {
    auto data = encode_message(alice(), bob().session_id(), vectors::kSentMs,
                               OutgoingText{.body = "hi"}, kVectorOptions);
    ASSERT_TRUE(data) << data.error().message;
    EXPECT_EQ(data->size(), 444u);
    EXPECT_EQ(*data, vectors::kData);
    EXPECT_EQ(storage_message_hash_of_base64(bob().session_id(), 0, *data).value(), vectors::kHash);
}

TEST(Message, EachStageOfTheVectorMatches) {
    auto content = encode_content(OutgoingText{.body = "hi"}, vectors::kSentMs);
    ASSERT_TRUE(content);
    EXPECT_EQ(to_hex(*content), vectors::kContent);
    auto padded = pad(*content);
    ASSERT_EQ(padded.size(), 160u);
    auto sealed = crypto::session_box::seal_deterministic(alice(), bob().x25519_public(), padded);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(to_hex(*sealed), vectors::kCiphertext);
}

TEST(Message, DecodesTheFullDmVector) {
    auto e = decode_incoming(bob(), vectors::kData);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->sender.hex(), vectors::kId1);
    EXPECT_EQ(e->sent_ms, vectors::kSentMs);
    ASSERT_TRUE(std::holds_alternative<VisibleMessage>(e->body));
    EXPECT_EQ(std::get<VisibleMessage>(e->body).body, "hi");
    EXPECT_FALSE(std::get<VisibleMessage>(e->body).profile);
}

// [SECTION] Round trips -------------------------------------------------------------------------

TEST(Message, TextRoundTripsWithDecoyProSigAndProfile) {
    OutgoingText t;
    t.body = "Hello Bob 👋";
    t.profile = Profile{"Alice", std::nullopt, std::nullopt};
    t.expiration = Expiration{ExpirationType::DeleteAfterSend, 86400};
    auto data = encode_message(alice(), bob().session_id(), 1700000001234, t);
    ASSERT_TRUE(data) << data.error().message;

    // The envelope carries a 64-byte proSig and sourceDevice 1.
    auto env = decode_envelope(*unwrap_websocket_request(*from_base64(*data)));
    ASSERT_TRUE(env);
    EXPECT_TRUE(env->pro_sig);
    EXPECT_EQ(env->source_device, std::optional<std::uint32_t>(1));
    EXPECT_EQ(env->timestamp, 1700000001234u);

    auto e = decode_incoming(bob(), *data);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->sender, alice().session_id());
    EXPECT_EQ(e->sent_ms, 1700000001234u);
    EXPECT_EQ(e->expiration, *t.expiration);
    const auto& v = std::get<VisibleMessage>(e->body);
    EXPECT_EQ(v.body, t.body);
    ASSERT_TRUE(v.profile);
    EXPECT_EQ(v.profile->display_name, "Alice");
}

TEST(Message, RandomSealingGivesDifferentDataEachTime) {
    auto a = encode_message(alice(), bob().session_id(), 1, OutgoingText{.body = "x"});
    auto b = encode_message(alice(), bob().session_id(), 1, OutgoingText{.body = "x"});
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
}

TEST(Message, ContentsAtThePaddingEdgesRoundTrip) {
    // Bodies whose Content is exactly 159, 160 and 161 bytes: padded to 320 bytes each time
    // (159 + 0x80 fills 160 exactly, so libsession's rule adds a whole block).
    for (std::size_t target : {158u, 159u, 160u, 161u}) {
        std::string body;
        while (encode_content(OutgoingText{.body = body.empty() ? "a" : body}, 1)->size() < target)
            body += 'a';
        if (body.empty()) body = "a";
        ASSERT_EQ(encode_content(OutgoingText{.body = body}, 1)->size(), target);
        auto data = encode_message(alice(), bob().session_id(), 1, OutgoingText{.body = body},
                                   EncodeOptions{.decoy_pro_signature = false});
        ASSERT_TRUE(data);
        auto env = decode_envelope(*unwrap_websocket_request(*from_base64(*data)));
        ASSERT_TRUE(env);
        const std::size_t padded = target <= 158 ? 160 : 320;
        EXPECT_EQ(env->content.size(), padded + crypto::session_box::kOverhead) << target;
        auto e = decode_incoming(bob(), *data);
        ASSERT_TRUE(e) << target << ": " << e.error().message;
        EXPECT_EQ(std::get<VisibleMessage>(e->body).body, body);
    }
}

TEST(Message, EveryOutgoingKindRoundTrips) {
    const OutgoingMessage kinds[] = {
        OutgoingTyping{TypingAction::Started},
        OutgoingReadReceipt{{1700000000000, 1700000000001}},
        OutgoingUnsend{.timestamp = 5, .author = alice().session_id()},
        OutgoingRequestResponse{.profile = Profile{"Alice", {}, {}}, .profile_key = Bytes(32, 1)},
        OutgoingExpirationUpdate{{ExpirationType::DeleteAfterRead, 43200}},
    };
    const std::string_view names[] = {"typing", "read_receipt", "unsend", "request_response",
                                      "expiration_update"};
    for (std::size_t i = 0; i < std::size(kinds); ++i) {
        auto data = encode_message(alice(), bob().session_id(), 1700000000555, kinds[i]);
        ASSERT_TRUE(data) << names[i];
        auto e = decode_incoming(bob(), *data);
        ASSERT_TRUE(e) << names[i] << ": " << e.error().message;
        EXPECT_EQ(kind_name(e->body), names[i]);
        EXPECT_EQ(e->sent_ms, 1700000000555u);
    }
}

// [SECTION] Sync copies (§8.1) ------------------------------------------------------------------

TEST(Message, SyncCopyGoesToOurselvesWithTheRecipientAsSyncTarget) {
    OutgoingText t;
    t.body = "sent from my phone";
    t.profile_key = Bytes(32, 4);
    auto copy = encode_sync_copy(alice(), bob().session_id(), 1700000000999, t);
    ASSERT_TRUE(copy) << copy.error().message;
    // Bob cannot read it: it is encrypted to Alice.
    expect_error(decode_incoming(bob(), *copy), kErrNotForUs);
    auto e = decode_incoming(alice(), *copy);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->sender, alice().session_id());
    EXPECT_EQ(e->sent_ms, 1700000000999u);
    ASSERT_TRUE(std::holds_alternative<SyncedMessage>(e->body));
    const auto& s = std::get<SyncedMessage>(e->body);
    EXPECT_EQ(s.recipient, bob().session_id());
    EXPECT_EQ(s.message.body, t.body);
    EXPECT_FALSE(s.message.profile_key);  // left out of sync copies
}

TEST(Message, SyncCopiesOfTimerUpdatesAndUnsends) {
    auto timer = encode_sync_copy(alice(), bob().session_id(), 7,
                                  OutgoingExpirationUpdate{{ExpirationType::DeleteAfterSend, 60}});
    ASSERT_TRUE(timer);
    auto t = decode_incoming(alice(), *timer);
    ASSERT_TRUE(t);
    EXPECT_EQ(std::get<ExpirationUpdate>(t->body).sync_target, bob().session_id());

    auto unsend = encode_sync_copy(alice(), bob().session_id(), 8,
                                   OutgoingUnsend{.timestamp = 3, .author = alice().session_id()});
    ASSERT_TRUE(unsend);
    auto u = decode_incoming(alice(), *unsend);
    ASSERT_TRUE(u) << u.error().message;
    EXPECT_EQ(std::get<Unsend>(u->body).timestamp, 3u);
}

TEST(Message, TypingReceiptsAndRequestResponsesAreNotSynced) {
    const OutgoingMessage kinds[] = {OutgoingTyping{}, OutgoingReadReceipt{{1}},
                                     OutgoingRequestResponse{}};
    for (const auto& m : kinds) {
        auto r = encode_sync_copy(alice(), bob().session_id(), 1, m);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, kErrNotSyncable);
    }
}

TEST(Message, ASyncCopyForgedByAnotherAccountIsRefused) {
    // Carol seals a "sync copy" to Bob claiming Bob sent something to her.
    auto content = encode_content(OutgoingText{.body = "fake"}, 1, carol().session_id());
    ASSERT_TRUE(content);
    auto data = wrap_plaintext(carol(), bob(), pad(*content), 1);
    expect_error(decode_incoming(bob(), data), kErrInvalidField);
}

// [SECTION] Every rejection of decode_incoming ----------------------------------------------------

TEST(Message, RejectsTextThatIsNotBase64) {
    expect_error(decode_incoming(bob(), "not base64!"), kErrNotBase64);
    expect_error(decode_incoming(bob(), "CAES\n"), kErrNotBase64);
}

TEST(Message, RejectsDataLargerThanAServiceNodeStores) {
    expect_error(decode_incoming(bob(), std::string(kMaxMessageBase64 + 4, 'A')), kErrTooLarge);
    expect_error(decode_incoming_bytes(bob(), Bytes(kMaxMessageBytes + 1, 0)), kErrTooLarge);
}

TEST(Message, RejectsSomethingThatIsNotAWebSocketMessage) {
    expect_error(decode_incoming(bob(), ""), kErrNotWebSocketMessage);
    expect_error(decode_incoming(bob(), "aGVsbG8gd29ybGQ="), kErrNotWebSocketMessage);
}

TEST(Message, RejectsABrokenEnvelope) {
    expect_error(decode_incoming(bob(), to_base64(wrap_websocket_request(as_bytes("garbage")))),
                 kErrBadEnvelope);
}

TEST(Message, RejectsAMessageForSomeoneElse) {
    expect_error(decode_incoming(carol(), vectors::kData), kErrNotForUs);
    // Too short to be a box at all is the same answer.
    Envelope e;
    e.timestamp = 1;
    e.content = Bytes(20, 1);
    expect_error(decode_incoming(bob(), to_base64(wrap_websocket_request(encode_envelope(e)))),
                 kErrNotForUs);
}

TEST(Message, RejectsATamperedCiphertext) {
    auto raw = *from_base64(vectors::kData);
    raw[raw.size() - 10] ^= 0x20;  // inside the ciphertext
    expect_error(decode_incoming_bytes(bob(), raw), kErrNotForUs);
}

TEST(Message, RejectsABadSignature) {
    // A box that opens for Bob but whose signature is wrong (one bit of it flipped).
    auto content = pad(*encode_content(OutgoingText{.body = "hi"}, 1));
    Bytes inner(content.size() + 96);
    std::copy(content.begin(), content.end(), inner.begin());
    std::copy(alice().ed25519_public().bytes.begin(), alice().ed25519_public().bytes.end(),
              inner.begin() + static_cast<std::ptrdiff_t>(content.size()));
    Bytes signed_part(content);
    signed_part.insert(signed_part.end(), alice().ed25519_public().bytes.begin(),
                       alice().ed25519_public().bytes.end());
    signed_part.insert(signed_part.end(), bob().x25519_public().bytes.begin(),
                       bob().x25519_public().bytes.end());
    crypto_sign_detached(inner.data() + content.size() + 32, nullptr, signed_part.data(),
                         signed_part.size(), alice().ed25519_secret().data());
    inner.back() ^= 0x01;
    Envelope e;
    e.timestamp = 1;
    e.content.resize(inner.size() + crypto_box_SEALBYTES);
    ASSERT_EQ(crypto_box_seal(e.content.data(), inner.data(), inner.size(),
                              bob().x25519_public().bytes.data()),
              0);
    expect_error(decode_incoming(bob(), to_base64(wrap_websocket_request(encode_envelope(e)))),
                 kErrBadSignature);
}

TEST(Message, RejectsAllZeroPadding) {
    expect_error(decode_incoming(bob(), wrap_plaintext(alice(), bob(), Bytes(160, 0))),
                 kErrBadPadding);
    expect_error(decode_incoming(bob(), wrap_plaintext(alice(), bob(), {})), kErrBadPadding);
}

TEST(Message, RejectsPlaintextThatIsNotAContent) {
    expect_error(decode_incoming(bob(), wrap_plaintext(alice(), bob(), pad(as_bytes("\xff\xff")))),
                 kErrBadProtobuf);
}

TEST(Message, RejectsAnEnvelopeTimestampThatDiffersFromTheSignedOne) {
    auto content = encode_content(OutgoingText{.body = "hi"}, vectors::kSentMs);
    ASSERT_TRUE(content);
    auto data = wrap_plaintext(alice(), bob(), pad(*content), vectors::kSentMs + 1000);
    expect_error(decode_incoming(bob(), data), kErrTimestampMismatch);
}

TEST(Message, RejectsAnEmptyContent) {
    expect_error(decode_incoming(bob(), wrap_plaintext(alice(), bob(), pad({}))), kErrEmptyContent);
}

TEST(Message, AcceptsAnUnpaddedContent) {
    // Not every client pads; the receiver must not care.
    auto content = encode_content(OutgoingText{.body = "hi"}, vectors::kSentMs);
    auto e = decode_incoming(bob(), wrap_plaintext(alice(), bob(), *content));
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(std::get<VisibleMessage>(e->body).body, "hi");
}

TEST(Message, RefusesToEncodeAnEmptyBodyOrTooLargeAMessage) {
    auto empty = encode_message(alice(), bob().session_id(), 1, OutgoingText{.body = ""});
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, kErrInvalidMessage);
    auto big = encode_message(alice(), bob().session_id(), 1,
                              OutgoingText{.body = std::string(kMaxMessageBytes, 'x')});
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, kErrTooLarge);
}

TEST(Message, RefusesARecipientIdThatIsNoKey) {
    auto id = SessionId::parse("05" + std::string(64, '0'));
    ASSERT_TRUE(id);
    auto r = encode_message(alice(), *id, 1, OutgoingText{.body = "x"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kErrBadRecipient);
}

}  // namespace
}  // namespace st::proto
