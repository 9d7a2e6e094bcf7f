// Private to core/src/app: the storage layout of the app, in one place. Every key the app writes
// is built here and every value is encoded and decoded here.
//
//   meta/active_account                          → Session ID of the account shown at start
//   net/pool                                     → the node pool and guards (kv_pool_store.hpp)
//   accounts/<id>                                → account record (binary: holds the seed)
//   acct/<id>/settings                           → the account's settings (JSON)
//   acct/<id>/contact/<peer>                     → contact record (JSON)
//   acct/<id>/conv/<peer>                        → conversation record (JSON)
//   acct/<id>/msg/<peer>/<be64 sent ms>/<o|i>    → message record (JSON); o = ours, i = theirs
//   acct/<id>/outbox/<be64 created ms>/<peer>[/<kind>] → something still to be sent (JSON)
//   acct/<id>/expiry/<be64 expires ms>/<peer>/<message id> → (empty) a disappearing message's end
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
    // The user configs' persisted state (config_sync.hpp), one dump per namespace.
    std::string configs() const { return prefix + "config/"; }
    std::string config(int ns) const { return configs() + std::to_string(ns); }
    // Disappearing messages by the time they end, so the next one to go is the first key.
    std::string expiries() const { return prefix + "expiry/"; }
    std::string expiry(std::int64_t expires_ms, const std::string& peer, const std::string& id) const;
    // Ordered by creation time, so the outbox sends oldest first.
    std::string outbox_entry(std::uint64_t created_ms, const std::string& peer, std::string_view kind) const;
};

// "<be64 ms>/o" or "<be64 ms>/i": a message's id within its conversation.
std::string message_id(std::uint64_t sent_ms, bool outgoing);

// An entry of the expiry index, from the part of its key after Keys::expiries().
struct ExpiryEntry {
    std::int64_t expires_ms = 0;
    std::string peer;
    std::string message_id;
};
std::optional<ExpiryEntry> parse_expiry(std::string_view key_after_prefix);

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
    // Our configs have been read from the swarm once and seeded with what only this device knew
    // (config_apply.cpp); until then every start reads them from the start.
    bool config_synced = false;
    // A "Try it now" account whose recovery phrase the person has not yet said they saved: the
    // app reminds them until they do (or delete the account).
    bool phrase_unsaved = false;
    // A locked account (docs/lock.md) locks itself after this many minutes without input in the
    // tab (0: never).
    std::uint32_t lock_after_minutes = 0;
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
    // Disappearing messages (protocol §8.3): the setting, and the sent time of the change that
    // set it (an older change arriving late does not undo a newer one).
    DisappearingMode disappearing = DisappearingMode::Off;
    std::uint32_t disappearing_seconds = 0;
    std::int64_t disappearing_changed_ms = 0;
    // Set only by records written before contacts existed: the conversation's title then.
    std::string legacy_name;
    bool legacy = false;  // written before contacts existed: its contact counts as approved
};
Bytes encode(const Conversation& c);
std::optional<Conversation> decode_conversation(const Bytes& value);

// A message as the conversation shows it; the rest of its fields keep their defaults.
MessageView message_view(std::string id, bool outgoing, std::string body, std::int64_t sent_ms,
                         DeliveryState delivery = DeliveryState::Sent, MessageKind kind = MessageKind::Text);

Bytes encode(const MessageView& m);
std::optional<MessageView> decode_message(const std::string& id, const Bytes& value);

// Something to send, kept until the network took it (or refused it for good).
//   Text              a message (with its disappearing setting)
//   ReadReceipt       the sent timestamps read
//   Accept            our answer to their message request
//   ExpirationUpdate  the conversation's new disappearing setting (to them and our devices)
//   Unsend            delete for everyone the message of ours sent at `target_ms`
//   SwarmDelete       delete these message hashes from our own swarm
//   SwarmExpire       let these hashes in our own swarm end at `expires_ms` (after-read timers)
struct OutboxEntry {
    enum class Kind { Text, ReadReceipt, Accept, ExpirationUpdate, Unsend, SwarmDelete, SwarmExpire };
    Kind kind = Kind::Text;
    std::string peer;
    std::uint64_t sent_ms = 0;  // the message's sent timestamp (and its identity, protocol §8)
    std::string body;           // Text
    std::vector<std::uint64_t> timestamps;  // ReadReceipt
    DisappearingMode disappearing = DisappearingMode::Off;  // Text, ExpirationUpdate
    std::uint32_t disappearing_seconds = 0;
    std::uint64_t target_ms = 0;        // Unsend
    std::vector<std::string> hashes;    // SwarmDelete, SwarmExpire
    std::int64_t expires_ms = 0;        // SwarmExpire
};
std::string_view kind_suffix(OutboxEntry::Kind kind);  // "" for Text (the first version's keys)
Bytes encode(const OutboxEntry& e);
std::optional<OutboxEntry> decode_outbox(const Bytes& value);

}  // namespace st::app::records
