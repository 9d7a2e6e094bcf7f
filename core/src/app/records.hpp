// Private to core/src/app: the storage layout of the app, in one place. Every key the app writes
// is built here and every value is encoded and decoded here.
//
//   meta/active_account                          → Session ID of the account shown at start
//   accounts/<id>                                → account record (binary: holds the seed)
//   acct/<id>/settings                           → the account's settings (JSON)
//   acct/<id>/contact/<peer>                     → contact record (JSON)
//   acct/<id>/conv/<peer>                        → conversation record (JSON)
//   acct/<id>/msg/<peer>/<be64 sent ms>/<o|i>    → message record (JSON); o = ours, i = theirs
//   acct/<id>/outbox/<be64 created ms>/<peer>[/<kind>] → something still to be sent (JSON)
//   acct/<id>/poll/...                           → KvPollStateStore
//
// Every value starts with a format version byte; fields added later have defaults, so records
// written by an earlier version still load. A message is identified as in the protocol by
// (author, sent timestamp) (docs/storage.md); within a conversation that is "<be64 ms>/<o|i>",
// which also sorts by time, so a reverse prefix scan pages a conversation newest first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "st/app/view.hpp"
#include "st/base/bytes.hpp"
#include "st/base/secret.hpp"
#include "st/crypto/identity.hpp"

namespace st::app::records {

// [SECTION] Keys

inline constexpr std::string_view kActiveAccountKey = "meta/active_account";
std::string account_key(const std::string& id);
std::string account_prefix(const std::string& id);  // "acct/<id>/"

struct Keys {
    std::string prefix;  // account_prefix(id)

    std::string settings() const { return prefix + "settings"; }
    std::string contacts() const { return prefix + "contact/"; }
    std::string contact(const std::string& peer) const { return contacts() + peer; }
    std::string conversations() const { return prefix + "conv/"; }
    std::string conversation(const std::string& peer) const { return conversations() + peer; }
    std::string messages(const std::string& peer) const { return prefix + "msg/" + peer + "/"; }
    std::string message(const std::string& peer, const std::string& id) const { return messages(peer) + id; }
    std::string outbox() const { return prefix + "outbox/"; }
    // Ordered by creation time, so the outbox sends oldest first.
    std::string outbox_entry(std::uint64_t created_ms, const std::string& peer, std::string_view kind) const;
};

// "<be64 ms>/o" or "<be64 ms>/i": a message's id within its conversation.
std::string message_id(std::uint64_t sent_ms, bool outgoing);

// [SECTION] Records

// Account record: version | seed (16) | created ms (8, big-endian) | display name (UTF-8).
// Binary so the seed never passes through a JSON string that could not be zeroed.
SecretBytes encode_account(const crypto::Identity& id, std::int64_t created_ms, const std::string& name);
struct Account {
    crypto::Identity identity;
    std::int64_t created_ms = 0;
    std::string name;
};
std::optional<Account> decode_account(const Bytes& value);

struct Settings {
    bool typing_indicators = false;  // off by default, as in the official clients
    bool read_receipts = false;
    std::uint64_t name_updated_s = 0;  // our profile's lastProfileUpdateSeconds (protocol §8.8)
};
Bytes encode(const Settings& s);
Settings decode_settings(const Bytes& value);

struct Contact {
    std::string name;                 // their display name, from their profile
    std::uint64_t name_updated_s = 0; // the profile's lastProfileUpdateSeconds (0: not given)
    std::string nickname;             // ours for them
    bool approved = false;            // we accepted them (protocol §8.4 isApproved)
    bool approved_me = false;         // they accepted us (didApproveMe)
    bool blocked = false;
    std::int64_t created_ms = 0;
};
Bytes encode(const Contact& c);
std::optional<Contact> decode_contact(const Bytes& value);

struct Conversation {
    std::string last_message;  // preview, one line
    std::int64_t last_ms = 0;
    // Sent timestamps of incoming messages not read yet: their count is the unread badge, and a
    // read receipt names them (protocol §8.6).
    std::vector<std::uint64_t> unread;
    std::uint32_t unread_count = 0;  // unread without a timestamp (records of the first version)
    std::string draft;
    // Set only by records written before contacts existed: the conversation's title then.
    std::string legacy_name;
    bool legacy = false;  // written before contacts existed: its contact counts as approved
};
Bytes encode(const Conversation& c);
std::optional<Conversation> decode_conversation(const Bytes& value);

Bytes encode(const MessageView& m);
std::optional<MessageView> decode_message(const std::string& id, const Bytes& value);

// Something to send, kept until the network took it (or refused it for good).
struct OutboxEntry {
    enum class Kind { Text, ReadReceipt, Accept };
    Kind kind = Kind::Text;
    std::string peer;
    std::uint64_t sent_ms = 0;  // the message's sent timestamp (and its identity, protocol §8)
    std::string body;           // Text
    std::vector<std::uint64_t> timestamps;  // ReadReceipt
};
std::string_view kind_suffix(OutboxEntry::Kind kind);  // "" for Text (the first version's keys)
Bytes encode(const OutboxEntry& e);
std::optional<OutboxEntry> decode_outbox(const Bytes& value);

}  // namespace st::app::records
