// The message model of 1:1 Session messaging (protocol.md §8): what the app sends (an
// OutgoingMessage) and what it receives (an IncomingEvent). Plain values, no protobuf types:
// st/proto/message.hpp turns them into and out of the bytes of the wire.
//
// Conventions: timestamps are Unix milliseconds (sent timestamps come from the network-adjusted
// clock, protocol.md §7.3) unless the name says seconds; Session IDs are the 66-character 05…
// form; a message is identified by (author Session ID, sent timestamp), which is what quotes,
// reactions, read receipts and unsend requests refer to.
//
// Index
//   [SECTION] Shared pieces: Expiration, Profile, Quote
//   [SECTION] Outgoing messages
//   [SECTION] Incoming events
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/crypto/session_id.hpp"

namespace st::proto {

// [SECTION] Shared pieces ---------------------------------------------------------------------

// Disappearing messages (protocol.md §8.3), as Content.expirationType / expirationTimer.
enum class ExpirationType : std::uint8_t {
    Unknown = 0,          // off (or a legacy client that did not say)
    DeleteAfterRead = 1,  // the timer starts when the recipient reads the message
    DeleteAfterSend = 2,  // the timer starts when the message is sent
};

struct Expiration {
    ExpirationType type = ExpirationType::Unknown;
    std::uint32_t timer_seconds = 0;  // 0 = off

    bool enabled() const { return type != ExpirationType::Unknown && timer_seconds != 0; }
    bool operator==(const Expiration&) const = default;
};

// The sender's profile as carried in messages (LokiProfile, protocol.md §8.8).
struct Profile {
    std::string display_name{};                      // empty = not given
    std::optional<std::string> picture_url{};        // file-server URL of the encrypted avatar
    std::optional<std::uint64_t> updated_seconds{};  // lastProfileUpdateSeconds

    bool operator==(const Profile&) const = default;
};

// A reply's reference to the message it quotes.
struct Quote {
    std::uint64_t timestamp = 0;  // sent timestamp of the quoted message
    std::string author{};         // its author's Session ID (not validated: shown, never trusted)

    bool operator==(const Quote&) const = default;
};

enum class TypingAction : std::uint8_t { Started = 0, Stopped = 1 };

// [SECTION] Outgoing messages -----------------------------------------------------------------
// Every outgoing Content carries sigTimestamp = the sent timestamp given to encode_message.

// A visible text message: DataMessage{body, profile, profileKey, quote} and, when `expiration` is
// set, Content.expirationType/expirationTimer (desktop sets them on every message of a
// conversation with disappearing messages on).
struct OutgoingText {
    std::string body{};                      // UTF-8, must not be empty
    std::optional<Profile> profile{};        // our display name (and avatar URL) for the recipient
    std::optional<Bytes> profile_key{};      // 32-byte avatar key; never put on sync copies
    std::optional<Expiration> expiration{};  // unset: the fields are not written at all
    std::optional<Quote> quote{};            // a reply
};

// TypingMessage{timestamp = sent timestamp, action}. Never synced; stored with a 20 s TTL.
struct OutgoingTyping {
    TypingAction action = TypingAction::Started;
};

// ReceiptMessage{type = READ, timestamp = [...]}: the sent timestamps of the messages read.
struct OutgoingReadReceipt {
    std::vector<std::uint64_t> timestamps{};  // at least one
};

// UnsendRequest ("delete for everyone", protocol.md §8.2): sent to the recipient and, with
// encode_sync_copy, to ourselves. Desktop adds +index ms to the sent timestamps of consecutive
// unsends so that no two share a timestamp.
struct OutgoingUnsend {
    std::uint64_t timestamp = 0;  // sent timestamp of the message to delete
    crypto::SessionId author;     // its author: always ourselves (only the author may unsend)
};

// MessageRequestResponse{isApproved = true, profile, profileKey}: accepting a message request.
struct OutgoingRequestResponse {
    std::optional<Profile> profile{};
    std::optional<Bytes> profile_key{};  // 32 bytes
};

// A change of the conversation's disappearing-messages setting: DataMessage{flags =
// EXPIRATION_TIMER_UPDATE} with the new setting in Content.expirationType/Timer (always written,
// also when turning it off).
struct OutgoingExpirationUpdate {
    Expiration setting{};
};

using OutgoingMessage =
    std::variant<OutgoingText, OutgoingTyping, OutgoingReadReceipt, OutgoingUnsend,
                 OutgoingRequestResponse, OutgoingExpirationUpdate>;

// [SECTION] Incoming events ---------------------------------------------------------------------

// An attachment as described by its sender (AttachmentPointer, protocol.md §4.8). Downloading and
// decrypting it is another module's job.
struct Attachment {
    std::uint64_t id = 0;
    std::string content_type{};
    Bytes key{};
    std::optional<std::uint32_t> size{};
    Bytes digest{};
    std::string file_name{};
    std::uint32_t flags = 0;  // 1 = voice message
    std::uint32_t width = 0, height = 0;
    std::string caption{};
    std::string url{};
};

struct LinkPreview {
    std::string url{};
    std::string title{};
};

// A message to show: body and/or attachments, quote, link previews. From a contact — or, when the
// sender is ourselves and there is no syncTarget, a Note-to-Self written on another device.
struct VisibleMessage {
    std::string body{};
    std::optional<Profile> profile{};    // the sender's profile as it came with the message
    std::optional<Bytes> profile_key{};  // the sender's avatar key (32 bytes when well-formed)
    std::vector<Attachment> attachments{};
    std::optional<Quote> quote{};
    std::vector<LinkPreview> previews{};
};

// A message we sent from another device of this account (a sync copy, protocol.md §8.1): show it
// as outgoing in the conversation with `recipient`.
struct SyncedMessage {
    crypto::SessionId recipient;  // DataMessage.syncTarget
    VisibleMessage message{};
};

struct Typing {
    TypingAction action = TypingAction::Started;
};

// The sender has read our messages with these sent timestamps.
struct ReadReceipt {
    std::vector<std::uint64_t> timestamps{};
};

// Delete the message (author, timestamp) for everyone. Checked: author == sender.
struct Unsend {
    std::uint64_t timestamp = 0;
    crypto::SessionId author;
};

// The sender accepted our message request (protocol.md §8.4).
struct RequestResponse {
    bool approved = true;
    std::optional<Profile> profile{};
    std::optional<Bytes> profile_key{};
};

// The conversation's disappearing-messages setting changed (IncomingEvent::expiration is the new
// setting). With `sync_target` set: we changed it ourselves on another device, for the
// conversation with that Session ID.
struct ExpirationUpdate {
    Expiration setting{};
    std::optional<crypto::SessionId> sync_target{};
};

// An emoji reaction to (author, timestamp). With `sync_target`: our own, from another device.
struct Reaction {
    std::uint64_t timestamp = 0;
    std::string author{};
    std::string emoji{};
    bool removed = false;  // REMOVE rather than REACT
    std::optional<crypto::SessionId> sync_target{};
};

// The sender took a screenshot or saved media of the conversation (protocol.md §8.7).
struct DataExtraction {
    enum class Kind : std::uint8_t { Screenshot = 1, MediaSaved = 2 };
    Kind kind = Kind::Screenshot;
    std::optional<std::uint64_t> timestamp{};  // sent timestamp of the attachment message
};

using IncomingBody = std::variant<VisibleMessage, SyncedMessage, Typing, ReadReceipt, Unsend,
                                  RequestResponse, ExpirationUpdate, Reaction, DataExtraction>;

struct IncomingEvent {
    crypto::SessionId sender;  // proven by the signature inside the encryption (never the envelope)
    std::uint64_t sent_ms = 0;  // Envelope.timestamp, checked against Content.sigTimestamp
    Expiration expiration{};    // Content.expirationType/Timer as sent (Unknown/0 when absent)
    IncomingBody body;
};

// A stable lowercase name per kind, for logs and session-cli's JSON: "visible", "sync",
// "typing", "read_receipt", "unsend", "request_response", "expiration_update", "reaction",
// "data_extraction".
std::string_view kind_name(const IncomingBody& body);

}  // namespace st::proto
