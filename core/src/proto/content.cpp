// Content ↔ message model (protocol.md §4, §8).
//
// Index
//   [SECTION] Encoding: OutgoingMessage → Content
//   [SECTION] Decoding: Content bytes → the C++ values of every field we read
//   [SECTION] Receiver's rules: those values → IncomingEvent
#include "st/proto/content.hpp"

#include <type_traits>
#include <utility>

#include "SessionProtos.pb.h"
#include "nanopb_io.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {
namespace {

using detail::bind;
using detail::bind_out;

constexpr std::size_t kProfileKeyBytes = 32;
// Desktop drops a DataMessage with more attachments than this; stopping at the limit while
// decoding also keeps a hostile message from making thousands of Attachment structs.
constexpr std::size_t kMaxAttachments = 32;
// No client sends more than one link preview; the same bound keeps the list small.
constexpr std::size_t kMaxPreviews = 32;

// [SECTION] Encoding: OutgoingMessage → Content ---------------------------------------------------

class ContentWriter {
public:
    ContentWriter(std::uint64_t sent_ms, const std::optional<crypto::SessionId>& sync_target)
        : sync_target_(sync_target) {
        content_.has_sigTimestamp = true;
        content_.sigTimestamp = sent_ms;
        if (sync_target_) sync_hex_ = sync_target_->hex();
    }

    Result<void> operator()(const OutgoingText& m) {
        if (m.body.empty())
            return fail(kErrInvalidMessage, "a text message needs a non-empty body");
        auto& data = content_.dataMessage;
        content_.has_dataMessage = true;
        bind_out(data.body, m.body);
        if (m.profile) write_profile(data.has_profile, data.profile, *m.profile);
        // The avatar key is ours to give to the recipient only; a sync copy leaves it out.
        if (m.profile_key && !sync_target_) {
            if (auto r = write_profile_key(data.profileKey, *m.profile_key); !r) return r;
        }
        if (m.quote) {
            data.has_quote = true;
            data.quote.id = m.quote->timestamp;
            bind_out(data.quote.author, m.quote->author);  // required
        }
        if (m.expiration) write_expiration(*m.expiration);
        write_sync_target();
        return {};
    }

    Result<void> operator()(const OutgoingTyping& m) {
        if (sync_target_) return not_syncable("typing indicators");
        content_.has_typingMessage = true;
        // Both fields are required; action is written even when it is STARTED (0).
        content_.typingMessage.timestamp = content_.sigTimestamp;
        content_.typingMessage.action = m.action == TypingAction::Started
                                            ? SessionProtos_TypingMessage_Action_STARTED
                                            : SessionProtos_TypingMessage_Action_STOPPED;
        return {};
    }

    Result<void> operator()(const OutgoingReadReceipt& m) {
        if (sync_target_) return not_syncable("read receipts");
        if (m.timestamps.empty())
            return fail(kErrInvalidMessage, "a read receipt needs at least one timestamp");
        content_.has_receiptMessage = true;
        content_.receiptMessage.type = SessionProtos_ReceiptMessage_Type_READ;
        bind_out(content_.receiptMessage.timestamp, m.timestamps);
        return {};
    }

    Result<void> operator()(const OutgoingUnsend& m) {
        if (sync_target_) return not_syncable("unsend requests");
        content_.has_unsendRequest = true;
        content_.unsendRequest.timestamp = m.timestamp;
        author_hex_ = m.author.hex();
        bind_out(content_.unsendRequest.author, author_hex_);
        return {};
    }

    Result<void> operator()(const OutgoingRequestResponse& m) {
        if (sync_target_) return not_syncable("message request responses");
        auto& response = content_.messageRequestResponse;
        content_.has_messageRequestResponse = true;
        response.isApproved = true;  // required; declining sends nothing at all
        if (m.profile) write_profile(response.has_profile, response.profile, *m.profile);
        if (m.profile_key) {
            if (auto r = write_profile_key(response.profileKey, *m.profile_key); !r) return r;
        }
        return {};
    }

    Result<void> operator()(const OutgoingExpirationUpdate& m) {
        content_.has_dataMessage = true;
        content_.dataMessage.has_flags = true;
        content_.dataMessage.flags = SessionProtos_DataMessage_Flags_EXPIRATION_TIMER_UPDATE;
        // Written even when off (UNKNOWN, 0): the update's whole point is the new value.
        write_expiration(m.setting);
        write_sync_target();
        return {};
    }

    Result<Bytes> finish() const { return detail::encode(SessionProtos_Content_fields, &content_); }

private:
    static Unexpected<Error> not_syncable(const char* what) {
        return fail(kErrNotSyncable, std::string(what) + " are not copied to our own swarm");
    }

    static void write_profile(bool& has, SessionProtos_LokiProfile& out, const Profile& profile) {
        has = true;
        if (!profile.display_name.empty()) bind_out(out.displayName, profile.display_name);
        if (profile.picture_url) bind_out(out.profilePicture, *profile.picture_url);
        out.has_lastProfileUpdateSeconds = profile.updated_seconds.has_value();
        out.lastProfileUpdateSeconds = profile.updated_seconds.value_or(0);
    }

    Result<void> write_profile_key(pb_callback_t& field, const Bytes& key) {
        if (key.size() != kProfileKeyBytes)
            return fail(kErrInvalidMessage,
                        "a profile key is 32 bytes, not " + std::to_string(key.size()));
        profile_key_ = key;
        bind_out(field, profile_key_);
        return {};
    }

    void write_expiration(const Expiration& e) {
        content_.has_expirationType = true;
        detail::set_enum(content_.expirationType, static_cast<std::int64_t>(e.type));
        content_.has_expirationTimer = true;
        content_.expirationTimer = e.timer_seconds;
    }

    void write_sync_target() {
        if (sync_target_) bind_out(content_.dataMessage.syncTarget, sync_hex_);
    }

    SessionProtos_Content content_ = SessionProtos_Content_init_zero;
    const std::optional<crypto::SessionId>& sync_target_;
    std::string sync_hex_;
    std::string author_hex_;
    ByteView profile_key_;
};

// [SECTION] Decoding: Content bytes → the C++ values of every field we read -----------------------

struct AttachmentSink {
    std::vector<Attachment> list;
    bool too_many = false;
};

bool read_attachment(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    auto& sink = *static_cast<AttachmentSink*>(*arg);
    if (sink.list.size() >= kMaxAttachments) {
        sink.too_many = true;
        PB_RETURN_ERROR(stream, "too many attachments");
    }
    try {
        Attachment& a = sink.list.emplace_back();
        SessionProtos_AttachmentPointer msg = SessionProtos_AttachmentPointer_init_zero;
        bind(msg.contentType, &a.content_type);
        bind(msg.key, &a.key);
        bind(msg.digest, &a.digest);
        bind(msg.fileName, &a.file_name);
        bind(msg.caption, &a.caption);
        bind(msg.url, &a.url);
        if (!pb_decode(stream, SessionProtos_AttachmentPointer_fields, &msg)) return false;
        a.id = msg.id;
        if (msg.has_size) a.size = msg.size;
        a.flags = msg.flags;
        a.width = msg.width;
        a.height = msg.height;
        return true;
    } catch (...) {
        PB_RETURN_ERROR(stream, "out of memory");
    }
}

struct PreviewSink {
    std::vector<LinkPreview> list;
    bool too_many = false;
};

bool read_preview(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    auto& sink = *static_cast<PreviewSink*>(*arg);
    if (sink.list.size() >= kMaxPreviews) {
        sink.too_many = true;
        PB_RETURN_ERROR(stream, "too many link previews");
    }
    try {
        LinkPreview& p = sink.list.emplace_back();
        SessionProtos_DataMessage_Preview msg = SessionProtos_DataMessage_Preview_init_zero;
        bind(msg.url, &p.url);
        bind(msg.title, &p.title);
        return pb_decode(stream, SessionProtos_DataMessage_Preview_fields, &msg);
    } catch (...) {
        PB_RETURN_ERROR(stream, "out of memory");
    }
}

struct ProfileStrings {
    std::optional<std::string> name, picture;

    void bind_to(SessionProtos_LokiProfile& p) {
        bind(p.displayName, &name);
        bind(p.profilePicture, &picture);
    }
    std::optional<Profile> take(bool present, const SessionProtos_LokiProfile& p) {
        if (!present) return std::nullopt;
        Profile out;
        out.display_name = std::move(name).value_or(std::string());
        out.picture_url = std::move(picture);
        if (p.has_lastProfileUpdateSeconds) out.updated_seconds = p.lastProfileUpdateSeconds;
        return out;
    }
};

// The nanopb struct plus a home for every callback-decoded value. Pinned in memory: the
// callbacks hold pointers into it.
struct DecodedContent {
    SessionProtos_Content msg = SessionProtos_Content_init_zero;

    std::optional<std::string> body;
    AttachmentSink attachments;
    std::optional<Bytes> profile_key;
    std::string quote_author;
    PreviewSink previews;
    std::string reaction_author;
    std::string reaction_emoji;
    ProfileStrings profile;
    std::optional<std::string> sync_target;
    std::vector<std::uint64_t> receipt_timestamps;
    std::string unsend_author;
    std::optional<Bytes> response_profile_key;
    ProfileStrings response_profile;

    DecodedContent() {
        auto& data = msg.dataMessage;
        bind(data.body, &body);
        data.attachments.funcs.decode = &read_attachment;
        data.attachments.arg = &attachments;
        bind(data.profileKey, &profile_key);
        bind(data.quote.author, &quote_author);
        data.preview.funcs.decode = &read_preview;
        data.preview.arg = &previews;
        bind(data.reaction.author, &reaction_author);
        bind(data.reaction.emoji, &reaction_emoji);
        profile.bind_to(data.profile);
        bind(data.syncTarget, &sync_target);
        bind(msg.receiptMessage.timestamp, &receipt_timestamps);
        bind(msg.unsendRequest.author, &unsend_author);
        bind(msg.messageRequestResponse.profileKey, &response_profile_key);
        response_profile.bind_to(msg.messageRequestResponse.profile);
        // Everything else (call SDPs, config data, community invitation text, attachment
        // thumbnails, preview images) has no callback and is skipped without allocating.
    }
    DecodedContent(const DecodedContent&) = delete;
    DecodedContent& operator=(const DecodedContent&) = delete;
};

// [SECTION] Receiver's rules: those values → IncomingEvent ----------------------------------------

template <class T>
IncomingEvent make_event(const crypto::SessionId& sender, std::uint64_t sent_ms,
                         const Expiration& expiration, T&& body) {
    return IncomingEvent{sender, sent_ms, expiration, IncomingBody(std::forward<T>(body))};
}

Result<crypto::SessionId> parse_id_field(const std::string& text, const char* what) {
    auto id = crypto::SessionId::parse(text);
    // parse() trims white space and accepts uppercase; the wire form must be exact.
    if (!id || id->hex() != text)
        return fail(kErrInvalidField, std::string(what) + " is not a Session ID");
    return id;
}

Result<IncomingEvent> interpret_data_message(DecodedContent& d, const crypto::SessionId& sender,
                                             std::uint64_t sent_ms, const Expiration& expiration,
                                             const crypto::SessionId& me) {
    const auto& data = d.msg.dataMessage;

    // A sync copy (non-empty syncTarget) can only come from another device of this account.
    std::optional<crypto::SessionId> sync_target;
    if (d.sync_target && !d.sync_target->empty()) {
        if (!(sender == me))
            return fail(kErrInvalidField, "a sync copy (syncTarget) sent by another account");
        auto target = parse_id_field(*d.sync_target, "the syncTarget");
        if (!target) return Unexpected<Error>(std::move(target).error());
        sync_target = *target;
    }

    if (data.has_groupUpdateMessage)
        return fail(kErrUnsupported, "a groups v2 update message (groups are not supported)");

    if (data.has_flags && data.flags != 0) {
        if (data.flags & SessionProtos_DataMessage_Flags_EXPIRATION_TIMER_UPDATE)
            return make_event(sender, sent_ms, expiration,
                              ExpirationUpdate{expiration, sync_target});
        return fail(kErrUnsupported,
                    "a DataMessage with unknown flags " + std::to_string(data.flags));
    }

    if (data.has_reaction) {
        Reaction r;
        r.timestamp = data.reaction.id;
        r.author = std::move(d.reaction_author);
        r.emoji = std::move(d.reaction_emoji);
        r.removed = detail::enum_value(data.reaction.action) ==
                    SessionProtos_DataMessage_Reaction_Action_REMOVE;
        r.sync_target = sync_target;
        return make_event(sender, sent_ms, expiration, std::move(r));
    }

    VisibleMessage v;
    v.body = std::move(d.body).value_or(std::string());
    v.attachments = std::move(d.attachments.list);
    v.previews = std::move(d.previews.list);
    if (data.has_quote) v.quote = Quote{data.quote.id, std::move(d.quote_author)};
    if (v.body.empty() && v.attachments.empty() && !v.quote && v.previews.empty()) {
        if (data.has_communityInvitation)
            return fail(kErrUnsupported, "a community invitation (communities are not supported)");
        return fail(kErrEmptyContent, "a DataMessage with nothing to show");
    }
    v.profile = d.profile.take(data.has_profile, data.profile);
    v.profile_key = std::move(d.profile_key);

    if (sync_target)
        return make_event(sender, sent_ms, expiration,
                          SyncedMessage{*std::move(sync_target), std::move(v)});
    return make_event(sender, sent_ms, expiration, std::move(v));
}

}  // namespace

Result<Bytes> encode_content(const OutgoingMessage& message, std::uint64_t sent_ms,
                             const std::optional<crypto::SessionId>& sync_target) {
    ContentWriter writer(sent_ms, sync_target);
    if (auto r = std::visit(writer, message); !r) return Unexpected<Error>(std::move(r).error());
    return writer.finish();
}

Result<IncomingEvent> parse_content(ByteView content, const crypto::SessionId& sender,
                                    std::uint64_t envelope_timestamp, const crypto::SessionId& me) {
    DecodedContent d;
    std::string why;
    if (!detail::decode(content, SessionProtos_Content_fields, &d.msg, why)) {
        if (d.attachments.too_many)
            return fail(kErrInvalidField, "a DataMessage with more than 32 attachments");
        if (d.previews.too_many)
            return fail(kErrInvalidField, "a DataMessage with more than 32 link previews");
        return fail(kErrBadProtobuf, "the decrypted message is not a valid Content (" + why + ")");
    }
    const auto& c = d.msg;

    // The envelope's timestamp is not signed; sigTimestamp is. Legacy senders leave it 0/unset.
    if (c.has_sigTimestamp && c.sigTimestamp != 0 && c.sigTimestamp != envelope_timestamp)
        return fail(kErrTimestampMismatch,
                    "the signed timestamp " + std::to_string(c.sigTimestamp) +
                        " differs from the envelope's " + std::to_string(envelope_timestamp));

    Expiration expiration;
    const std::int64_t expiration_type = detail::enum_value(c.expirationType);
    if (c.has_expirationType && expiration_type >= SessionProtos_Content_ExpirationType_UNKNOWN &&
        expiration_type <= SessionProtos_Content_ExpirationType_DELETE_AFTER_SEND)
        expiration.type = static_cast<ExpirationType>(expiration_type);
    if (c.has_expirationTimer) expiration.timer_seconds = c.expirationTimer;

    // proto2 required enums: a value outside the enum is, for the C++ runtime, a missing required
    // field, which fails the whole parse. Mirror that rather than guess a meaning.
    const auto enum_out_of_range = [](const char* what) {
        return fail(kErrBadProtobuf,
                    std::string("the Content's ") + what + " has an unknown value");
    };

    // Desktop's dispatch order (protocol.md §4.2).
    if (c.has_dataMessage) {
        const std::int64_t action = detail::enum_value(c.dataMessage.reaction.action);
        if (c.dataMessage.has_reaction &&
            action != SessionProtos_DataMessage_Reaction_Action_REACT &&
            action != SessionProtos_DataMessage_Reaction_Action_REMOVE)
            return enum_out_of_range("reaction action");
        return interpret_data_message(d, sender, envelope_timestamp, expiration, me);
    }
    if (c.has_receiptMessage) {
        const std::int64_t type = detail::enum_value(c.receiptMessage.type);
        if (type == SessionProtos_ReceiptMessage_Type_DELIVERY)
            return fail(kErrUnsupported, "a delivery receipt (legacy)");
        if (type != SessionProtos_ReceiptMessage_Type_READ)
            return enum_out_of_range("receipt type");
        return make_event(sender, envelope_timestamp, expiration,
                          ReadReceipt{std::move(d.receipt_timestamps)});
    }
    if (c.has_typingMessage) {
        const std::int64_t action = detail::enum_value(c.typingMessage.action);
        if (action != SessionProtos_TypingMessage_Action_STARTED &&
            action != SessionProtos_TypingMessage_Action_STOPPED)
            return enum_out_of_range("typing action");
        if (c.typingMessage.timestamp != envelope_timestamp)
            return fail(kErrTimestampMismatch, "the typing indicator's timestamp " +
                                                   std::to_string(c.typingMessage.timestamp) +
                                                   " differs from the envelope's " +
                                                   std::to_string(envelope_timestamp));
        return make_event(
            sender, envelope_timestamp, expiration,
            Typing{action == SessionProtos_TypingMessage_Action_STARTED ? TypingAction::Started
                                                                        : TypingAction::Stopped});
    }
    if (c.has_dataExtractionNotification) {
        const auto& n = c.dataExtractionNotification;
        const std::int64_t type = detail::enum_value(n.type);
        if (type != SessionProtos_DataExtractionNotification_Type_SCREENSHOT &&
            type != SessionProtos_DataExtractionNotification_Type_MEDIA_SAVED)
            return enum_out_of_range("data extraction type");
        DataExtraction e;
        e.kind = type == SessionProtos_DataExtractionNotification_Type_SCREENSHOT
                     ? DataExtraction::Kind::Screenshot
                     : DataExtraction::Kind::MediaSaved;
        if (n.has_timestamp) e.timestamp = n.timestamp;
        return make_event(sender, envelope_timestamp, expiration, std::move(e));
    }
    if (c.has_unsendRequest) {
        auto author = parse_id_field(d.unsend_author, "the unsend request's author");
        if (!author) return Unexpected<Error>(std::move(author).error());
        // Only the author of a message may delete it for everyone (protocol.md §8.2).
        if (!(*author == sender))
            return fail(kErrInvalidField, "an unsend request for a message of someone else");
        return make_event(sender, envelope_timestamp, expiration,
                          Unsend{c.unsendRequest.timestamp, *author});
    }
    if (c.has_callMessage) return fail(kErrUnsupported, "a call message (calls are not supported)");
    if (c.has_messageRequestResponse) {
        RequestResponse r;
        r.approved = c.messageRequestResponse.isApproved;
        r.profile = d.response_profile.take(c.messageRequestResponse.has_profile,
                                            c.messageRequestResponse.profile);
        r.profile_key = std::move(d.response_profile_key);
        return make_event(sender, envelope_timestamp, expiration, std::move(r));
    }
    if (c.has_sharedConfigMessage)
        return fail(kErrUnsupported, "a legacy config message (SharedConfigMessage)");
    return fail(kErrEmptyContent, "the Content holds no message this client knows");
}

std::string_view kind_name(const IncomingBody& body) {
    struct Names {
        std::string_view operator()(const VisibleMessage&) const { return "visible"; }
        std::string_view operator()(const SyncedMessage&) const { return "sync"; }
        std::string_view operator()(const Typing&) const { return "typing"; }
        std::string_view operator()(const ReadReceipt&) const { return "read_receipt"; }
        std::string_view operator()(const Unsend&) const { return "unsend"; }
        std::string_view operator()(const RequestResponse&) const { return "request_response"; }
        std::string_view operator()(const ExpirationUpdate&) const { return "expiration_update"; }
        std::string_view operator()(const Reaction&) const { return "reaction"; }
        std::string_view operator()(const DataExtraction&) const { return "data_extraction"; }
    };
    return std::visit(Names{}, body);
}

}  // namespace st::proto
