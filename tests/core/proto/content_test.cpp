// Content ↔ model (protocol.md §4, §8): exact bytes of what we send, and the receiver's rules on
// what arrives. Incoming Contents are written with a tiny protobuf writer (pb::) so each test says
// exactly which fields are on the wire.
#include "st/proto/content.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "core/proto/vectors.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {
namespace {

// [SECTION] A hex protobuf writer for hand-made inputs --------------------------------------------
namespace pb {
std::string varint(std::uint64_t v) {
    Bytes out;
    do {
        auto b = static_cast<std::uint8_t>(v & 0x7f);
        v >>= 7;
        out.push_back(static_cast<std::uint8_t>(b | (v ? 0x80 : 0)));
    } while (v);
    return to_hex(out);
}
std::string tag(int field, int wire) {
    return varint(static_cast<std::uint64_t>(field << 3 | wire));
}
std::string u(int field, std::uint64_t v) { return tag(field, 0) + varint(v); }
std::string msg(int field, const std::string& hex_body) {
    return tag(field, 2) + varint(hex_body.size() / 2) + hex_body;
}
std::string str(int field, std::string_view text) { return msg(field, to_hex(as_bytes(text))); }
std::string fixed64(int field, std::uint64_t v) {
    Bytes b(8);
    for (int i = 0; i < 8; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
    return tag(field, 1) + to_hex(b);
}
}  // namespace pb

const std::uint64_t T = vectors::kSentMs;
const std::string kSig = pb::u(15, T);  // Content.sigTimestamp

crypto::SessionId sid(const char* hex) { return *crypto::SessionId::parse(hex); }
const crypto::SessionId kAlice = sid(vectors::kId1);  // the sender in most tests
const crypto::SessionId kBob = sid(vectors::kId2);    // "me" in most tests

Result<IncomingEvent> parse_hex(const std::string& hex, const crypto::SessionId& sender = kAlice,
                                const crypto::SessionId& me = kBob) {
    return parse_content(*from_hex(hex), sender, T, me);
}

Result<IncomingEvent> round_trip(const OutgoingMessage& m,
                                 const std::optional<crypto::SessionId>& sync = std::nullopt,
                                 const crypto::SessionId& sender = kAlice,
                                 const crypto::SessionId& me = kBob) {
    auto bytes = encode_content(m, T, sync);
    if (!bytes) return Unexpected<Error>(bytes.error());
    return parse_content(*bytes, sender, T, me);
}

std::string encoded_hex(const OutgoingMessage& m) {
    auto bytes = encode_content(m, T);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? to_hex(*bytes) : std::string();
}

void expect_error(const Result<IncomingEvent>& r, std::string_view code, const std::string& what) {
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().code, code) << what << ": " << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

// [SECTION] Encoding ------------------------------------------------------------------------------

TEST(Content, EncodesTheVectorTextByteForByte) {
    EXPECT_EQ(encoded_hex(OutgoingText{.body = "hi"}), vectors::kContent);
}

TEST(Content, TypingWritesTheRequiredActionEvenWhenItIsZero) {
    // typingMessage (6) {timestamp (1), action (2) = STARTED = 0}: the 10 00 must be there.
    EXPECT_EQ(encoded_hex(OutgoingTyping{TypingAction::Started}),
              pb::msg(6, pb::u(1, T) + "1000") + kSig);
    EXPECT_EQ(encoded_hex(OutgoingTyping{TypingAction::Stopped}),
              pb::msg(6, pb::u(1, T) + "1001") + kSig);
}

TEST(Content, EncodesReadReceiptsUnpacked) {
    EXPECT_EQ(encoded_hex(OutgoingReadReceipt{{1, 300}}),
              pb::msg(5, "0801" + pb::u(2, 1) + pb::u(2, 300)) + kSig);
}

TEST(Content, EncodesUnsend) {
    EXPECT_EQ(encoded_hex(OutgoingUnsend{.timestamp = 42, .author = kAlice}),
              pb::msg(9, pb::u(1, 42) + pb::str(2, vectors::kId1)) + kSig);
}

TEST(Content, EncodesRequestResponseWithProfile) {
    Profile p;
    p.display_name = "Alice";
    EXPECT_EQ(encoded_hex(OutgoingRequestResponse{.profile = p, .profile_key = {}}),
              pb::msg(10, "0801" + pb::msg(3, pb::str(1, "Alice"))) + kSig);
}

TEST(Content, EncodesExpirationUpdateWithTheSettingAlwaysWritten) {
    EXPECT_EQ(encoded_hex(OutgoingExpirationUpdate{{ExpirationType::DeleteAfterSend, 86400}}),
              pb::msg(1, pb::u(4, 2)) + pb::u(12, 2) + pb::u(13, 86400) + kSig);
    // Turning it off still says so: UNKNOWN (0) and 0 seconds are on the wire.
    EXPECT_EQ(encoded_hex(OutgoingExpirationUpdate{}),
              pb::msg(1, pb::u(4, 2)) + pb::u(12, 0) + pb::u(13, 0) + kSig);
}

TEST(Content, EncodesTextWithProfileKeyQuoteAndExpiration) {
    OutgoingText t;
    t.body = "re";
    t.profile = Profile{"Alice", std::string("http://f/1"), 1700000000};
    t.profile_key = Bytes(32, 0x07);
    t.quote = Quote{41, vectors::kId2};
    t.expiration = Expiration{ExpirationType::DeleteAfterRead, 300};
    const std::string profile =
        pb::str(1, "Alice") + pb::str(2, "http://f/1") + pb::u(3, 1700000000);
    EXPECT_EQ(encoded_hex(t), pb::msg(1, pb::str(1, "re") + pb::msg(6, to_hex(Bytes(32, 0x07))) +
                                             pb::msg(8, pb::u(1, 41) + pb::str(2, vectors::kId2)) +
                                             pb::msg(101, profile)) +
                                  pb::u(12, 1) + pb::u(13, 300) + kSig);
}

TEST(Content, SyncCopyCarriesSyncTargetAndNoProfileKey) {
    OutgoingText t;
    t.body = "hi";
    t.profile = Profile{"Alice", std::nullopt, std::nullopt};
    t.profile_key = Bytes(32, 0x07);
    auto bytes = encode_content(t, T, kBob);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(to_hex(*bytes), pb::msg(1, pb::str(1, "hi") + pb::msg(101, pb::str(1, "Alice")) +
                                             pb::str(105, vectors::kId2)) +
                                  kSig);
}

TEST(Content, RefusesInvalidOutgoingMessages) {
    const struct {
        OutgoingMessage m;
        std::string_view code;
    } cases[] = {
        {OutgoingText{.body = ""}, kErrInvalidMessage},
        {OutgoingReadReceipt{}, kErrInvalidMessage},
        {OutgoingText{.body = "x", .profile = {}, .profile_key = Bytes(31, 1)}, kErrInvalidMessage},
        {OutgoingRequestResponse{.profile = {}, .profile_key = Bytes(33, 1)}, kErrInvalidMessage},
    };
    for (const auto& c : cases) {
        auto r = encode_content(c.m, T);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, c.code);
    }
}

TEST(Content, OnlyDataMessagesTakeASyncTarget) {
    const OutgoingMessage cases[] = {OutgoingTyping{}, OutgoingReadReceipt{{1}},
                                     OutgoingUnsend{.timestamp = 1, .author = kAlice},
                                     OutgoingRequestResponse{}};
    for (const auto& m : cases) {
        auto r = encode_content(m, T, kBob);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, kErrNotSyncable);
    }
    EXPECT_TRUE(encode_content(OutgoingExpirationUpdate{}, T, kBob));
}

// [SECTION] Round trips ---------------------------------------------------------------------------

TEST(Content, TextRoundTripsWithEverythingOnIt) {
    OutgoingText t;
    t.body = "👋🏽 héllo, 世界";
    t.profile = Profile{"Ålice 🦊", std::string("http://f/1"), 17};
    t.profile_key = Bytes(32, 0x07);
    t.quote = Quote{41, vectors::kId2};
    t.expiration = Expiration{ExpirationType::DeleteAfterSend, 86400};
    auto e = round_trip(t);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->sender, kAlice);
    EXPECT_EQ(e->sent_ms, T);
    EXPECT_EQ(e->expiration, *t.expiration);
    ASSERT_TRUE(std::holds_alternative<VisibleMessage>(e->body));
    const auto& v = std::get<VisibleMessage>(e->body);
    EXPECT_EQ(v.body, t.body);
    EXPECT_EQ(v.profile, t.profile);
    EXPECT_EQ(v.profile_key, t.profile_key);
    EXPECT_EQ(v.quote, t.quote);
    EXPECT_EQ(kind_name(e->body), "visible");
}

TEST(Content, EmojiBodyBytesSurviveExactly) {
    const std::string body =
        "\xF0\x9F\x98\x80\xE2\x9D\xA4\xEF\xB8\x8F\xF0\x9F\x91\xA9\xE2\x80"
        "\x8D\xF0\x9F\x92\xBB";  // 😀❤️👩‍💻 (ZWJ sequence)
    auto e = round_trip(OutgoingText{.body = body});
    ASSERT_TRUE(e);
    EXPECT_EQ(std::get<VisibleMessage>(e->body).body, body);
}

TEST(Content, ControlMessagesRoundTrip) {
    auto typing = round_trip(OutgoingTyping{TypingAction::Stopped});
    ASSERT_TRUE(typing);
    EXPECT_EQ(std::get<Typing>(typing->body).action, TypingAction::Stopped);
    EXPECT_EQ(kind_name(typing->body), "typing");

    auto receipt = round_trip(OutgoingReadReceipt{{5, 6, 1700000000000}});
    ASSERT_TRUE(receipt);
    EXPECT_EQ(std::get<ReadReceipt>(receipt->body).timestamps,
              (std::vector<std::uint64_t>{5, 6, 1700000000000}));

    auto unsend = round_trip(OutgoingUnsend{.timestamp = 99, .author = kAlice});
    ASSERT_TRUE(unsend);
    EXPECT_EQ(std::get<Unsend>(unsend->body).timestamp, 99u);
    EXPECT_EQ(std::get<Unsend>(unsend->body).author, kAlice);

    Profile p;
    p.display_name = "Alice";
    auto response = round_trip(OutgoingRequestResponse{.profile = p, .profile_key = Bytes(32, 9)});
    ASSERT_TRUE(response);
    const auto& rr = std::get<RequestResponse>(response->body);
    EXPECT_TRUE(rr.approved);
    EXPECT_EQ(rr.profile, p);
    EXPECT_EQ(rr.profile_key, Bytes(32, 9));

    auto timer = round_trip(OutgoingExpirationUpdate{{ExpirationType::DeleteAfterRead, 3600}});
    ASSERT_TRUE(timer);
    EXPECT_EQ(std::get<ExpirationUpdate>(timer->body).setting,
              (Expiration{ExpirationType::DeleteAfterRead, 3600}));
    EXPECT_FALSE(std::get<ExpirationUpdate>(timer->body).sync_target);
    EXPECT_EQ(timer->expiration, (Expiration{ExpirationType::DeleteAfterRead, 3600}));
}

TEST(Content, SyncCopiesFromOurselvesNameTheirRecipient) {
    auto text = round_trip(OutgoingText{.body = "hi"}, kBob, kAlice, kAlice);
    ASSERT_TRUE(text) << text.error().message;
    ASSERT_TRUE(std::holds_alternative<SyncedMessage>(text->body));
    EXPECT_EQ(std::get<SyncedMessage>(text->body).recipient, kBob);
    EXPECT_EQ(std::get<SyncedMessage>(text->body).message.body, "hi");
    EXPECT_EQ(kind_name(text->body), "sync");

    auto timer = round_trip(OutgoingExpirationUpdate{{ExpirationType::DeleteAfterSend, 60}}, kBob,
                            kAlice, kAlice);
    ASSERT_TRUE(timer);
    EXPECT_EQ(std::get<ExpirationUpdate>(timer->body).sync_target, kBob);
}

TEST(Content, NoteToSelfIsAVisibleMessageFromOurselves) {
    auto e = round_trip(OutgoingText{.body = "note"}, std::nullopt, kAlice, kAlice);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sender, kAlice);
    EXPECT_TRUE(std::holds_alternative<VisibleMessage>(e->body));
}

// [SECTION] Receiver's rules ----------------------------------------------------------------------

TEST(Content, AcceptsLegacyMessagesWithoutSigTimestamp) {
    auto e = parse_hex(pb::msg(1, pb::str(1, "old")));
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(std::get<VisibleMessage>(e->body).body, "old");
    EXPECT_TRUE(parse_hex(pb::msg(1, pb::str(1, "old")) + pb::u(15, 0)));
}

TEST(Content, RejectsASigTimestampThatDiffersFromTheEnvelope) {
    expect_error(parse_hex(pb::msg(1, pb::str(1, "hi")) + pb::u(15, T + 1)), kErrTimestampMismatch,
                 "sigTimestamp + 1");
    expect_error(parse_hex(pb::msg(6, pb::u(1, T - 1) + "1000")), kErrTimestampMismatch,
                 "typing timestamp - 1");
    expect_error(parse_hex(pb::msg(6, pb::u(1, T - 1) + "1000") + kSig), kErrTimestampMismatch,
                 "typing timestamp - 1 with a correct sigTimestamp");
}

TEST(Content, RejectsWhatIsNotAContent) {
    const std::string cases[] = {
        "ff",                                     // invalid tag
        "0a050a02",                               // truncated
        pb::msg(6, pb::u(1, T)) + kSig,           // typing without its required action
        pb::msg(6, pb::u(1, T) + "1005") + kSig,  // typing action outside the enum
        pb::msg(9, pb::u(1, 1)) + kSig,           // unsend without author
        pb::msg(5, "") + kSig,                    // receipt without its required type
        pb::msg(5, "0807") + kSig,                // receipt type outside the enum
        pb::msg(8, "0803") + kSig,                // data extraction type outside the enum
        pb::msg(1, pb::msg(11, pb::u(1, 1) + pb::str(2, "a") + "2007")) + kSig,  // reaction action
        pb::msg(1, pb::msg(2, pb::str(2, "image/png"))) + kSig,  // attachment without its id
        "0b",                                                    // group wire type
    };
    for (const auto& c : cases) expect_error(parse_hex(c), kErrBadProtobuf, c);
}

TEST(Content, RejectsContentWithNothingToShow) {
    const std::string cases[] = {
        "",
        kSig,
        pb::msg(1, pb::str(1, "")) + kSig,
        pb::msg(1, pb::msg(101, pb::str(1, "Alice"))) + kSig,  // a profile alone
        pb::msg(1, "") + kSig,
    };
    for (const auto& c : cases) expect_error(parse_hex(c), kErrEmptyContent, c);
}

TEST(Content, ReportsFeaturesThisClientDoesNotImplement) {
    const std::string cases[] = {
        pb::msg(3, "0801" + pb::str(5, "uuid")) + kSig,    // call
        pb::msg(5, "0800" + pb::u(2, 1)) + kSig,           // delivery receipt
        pb::msg(1, pb::msg(120, pb::msg(1, ""))) + kSig,   // groups v2 update
        pb::msg(1, pb::u(4, 4) + pb::str(1, "x")) + kSig,  // unknown flags
        pb::msg(11, "080110011a00") + kSig,                // legacy config wrapper
        pb::msg(1, pb::msg(102, pb::str(1, "https://c") + pb::str(3, "c"))) + kSig,  // invite
    };
    for (const auto& c : cases) expect_error(parse_hex(c), kErrUnsupported, c);
}

TEST(Content, RejectsUnsendRequestsForSomeoneElsesMessage) {
    expect_error(parse_hex(pb::msg(9, pb::u(1, 1) + pb::str(2, vectors::kId2)) + kSig),
                 kErrInvalidField, "author is the recipient, not the sender");
    expect_error(parse_hex(pb::msg(9, pb::u(1, 1) + pb::str(2, "05zz")) + kSig), kErrInvalidField,
                 "author is not an id");
    std::string upper = vectors::kId1;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    expect_error(parse_hex(pb::msg(9, pb::u(1, 1) + pb::str(2, upper)) + kSig), kErrInvalidField,
                 "author in uppercase");
}

TEST(Content, RejectsSyncCopiesFromAnotherAccount) {
    expect_error(parse_hex(pb::msg(1, pb::str(1, "hi") + pb::str(105, vectors::kId2)) + kSig),
                 kErrInvalidField, "syncTarget from Alice to Bob");
    expect_error(
        parse_hex(pb::msg(1, pb::str(1, "hi") + pb::str(105, "nope")) + kSig, kAlice, kAlice),
        kErrInvalidField, "syncTarget that is not an id");
    // An empty syncTarget is no sync copy (desktop tests its length).
    EXPECT_TRUE(parse_hex(pb::msg(1, pb::str(1, "hi") + pb::str(105, "")) + kSig));
}

TEST(Content, RejectsMoreThan32Attachments) {
    std::string data;
    for (int i = 0; i < 32; ++i) data += pb::msg(2, pb::fixed64(1, static_cast<std::uint64_t>(i)));
    auto ok = parse_hex(pb::msg(1, data) + kSig);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(std::get<VisibleMessage>(ok->body).attachments.size(), 32u);
    data += pb::msg(2, pb::fixed64(1, 99));
    expect_error(parse_hex(pb::msg(1, data) + kSig), kErrInvalidField, "33 attachments");
}

TEST(Content, DecodesAttachmentsPreviewsAndQuotes) {
    const std::string attachment =
        pb::fixed64(1, 1234) + pb::str(2, "image/jpeg") + pb::msg(3, to_hex(Bytes(64, 1))) +
        pb::u(4, 5000) + pb::msg(5, "aabb") + pb::msg(6, to_hex(Bytes(32, 2))) +
        pb::str(7, "cat.jpg") + pb::u(8, 1) + pb::u(9, 640) + pb::u(10, 480) +
        pb::str(11, "a cat") + pb::str(101, "http://filev2.getsession.org/file/1234");
    const std::string preview =
        pb::str(1, "https://example.org") + pb::str(2, "Example") + pb::msg(3, pb::fixed64(1, 7));
    auto e =
        parse_hex(pb::msg(1, pb::msg(2, attachment) + pb::msg(8, pb::u(1, 5) + pb::str(2, "q")) +
                                 pb::msg(10, preview)) +
                  kSig);
    ASSERT_TRUE(e) << e.error().message;
    const auto& v = std::get<VisibleMessage>(e->body);
    EXPECT_TRUE(v.body.empty());
    ASSERT_EQ(v.attachments.size(), 1u);
    const auto& a = v.attachments[0];
    EXPECT_EQ(a.id, 1234u);
    EXPECT_EQ(a.content_type, "image/jpeg");
    EXPECT_EQ(a.key, Bytes(64, 1));
    EXPECT_EQ(a.size, std::optional<std::uint32_t>(5000));
    EXPECT_EQ(a.digest, Bytes(32, 2));
    EXPECT_EQ(a.file_name, "cat.jpg");
    EXPECT_EQ(a.flags, 1u);
    EXPECT_EQ(a.width, 640u);
    EXPECT_EQ(a.height, 480u);
    EXPECT_EQ(a.caption, "a cat");
    EXPECT_EQ(a.url, "http://filev2.getsession.org/file/1234");
    ASSERT_EQ(v.previews.size(), 1u);
    EXPECT_EQ(v.previews[0].url, "https://example.org");
    EXPECT_EQ(v.previews[0].title, "Example");
    EXPECT_EQ(v.quote, (Quote{5, "q"}));
}

TEST(Content, DecodesReactionsAndDataExtraction) {
    auto r = parse_hex(pb::msg(1, pb::msg(11, pb::u(1, 77) + pb::str(2, vectors::kId2) +
                                                  pb::str(3, "👍") + "2001")) +
                       kSig);
    ASSERT_TRUE(r) << r.error().message;
    const auto& reaction = std::get<Reaction>(r->body);
    EXPECT_EQ(reaction.timestamp, 77u);
    EXPECT_EQ(reaction.author, vectors::kId2);
    EXPECT_EQ(reaction.emoji, "👍");
    EXPECT_TRUE(reaction.removed);
    EXPECT_EQ(kind_name(r->body), "reaction");

    auto x = parse_hex(pb::msg(8, "0802" + pb::u(2, 55)) + kSig);
    ASSERT_TRUE(x);
    EXPECT_EQ(std::get<DataExtraction>(x->body).kind, DataExtraction::Kind::MediaSaved);
    EXPECT_EQ(std::get<DataExtraction>(x->body).timestamp, std::optional<std::uint64_t>(55));
    EXPECT_EQ(kind_name(x->body), "data_extraction");
}

TEST(Content, SkipsUnknownFields) {
    // Content 16 (proMessage) and 17, DataMessage 7 (legacy timestamp) and 999, LokiProfile 9.
    auto e = parse_hex(pb::msg(1, pb::str(1, "hi") + pb::u(7, T) + pb::u(999, 1) +
                                      pb::msg(101, pb::str(1, "A") + pb::u(9, 1))) +
                       kSig + pb::msg(16, pb::u(2, 1)) + pb::msg(17, to_hex(Bytes(64, 3))));
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(std::get<VisibleMessage>(e->body).body, "hi");
    EXPECT_EQ(std::get<VisibleMessage>(e->body).profile->display_name, "A");
}

TEST(Content, UnknownExpirationTypeReadsAsOff) {
    auto e = parse_hex(pb::msg(1, pb::str(1, "hi")) + pb::u(12, 9) + pb::u(13, 60) + kSig);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->expiration.type, ExpirationType::Unknown);
    EXPECT_EQ(e->expiration.timer_seconds, 60u);
    EXPECT_FALSE(e->expiration.enabled());
}

TEST(Content, DataMessageWinsWhenSeveralMessagesArePresent) {
    auto e = parse_hex(pb::msg(6, pb::u(1, T) + "1000") + pb::msg(1, pb::str(1, "hi")) + kSig);
    ASSERT_TRUE(e);
    EXPECT_TRUE(std::holds_alternative<VisibleMessage>(e->body));
}

}  // namespace
}  // namespace st::proto
