// One user config (UserProfile, Contacts, ConvoInfoVolatile, UserGroups) with the state a device
// keeps for it between polls and pushes (docs/config.md §6): the current version and its
// history, whether it changed since the last push, and which stored messages it made obsolete.
//
// Life cycle: merge() every batch of messages retrieved from the config's namespace; edit through
// a typed view (st/config/{user_profile,contacts,convo_info_volatile,user_groups}.hpp); when
// needs_push(), store push()'s bytes in the namespace, then confirm_pushed() with the hash the
// storage server gave them and delete push()'s obsolete hashes; persist dump() when needs_dump().
// Messages are never clobbered: data a client does not understand is kept as is.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/config/bencode.hpp"
#include "st/config/message.hpp"
#include "st/config/wrap.hpp"
#include "st/crypto/identity.hpp"

namespace st::config {

enum class ConfigKind : std::uint8_t { UserProfile, Contacts, ConvoInfoVolatile, UserGroups };

struct KindInfo {
    std::int16_t storage_namespace;
    std::string_view domain;  // encryption domain
    SharedKind shared_kind;   // SharedConfigMessage.kind of the legacy wrapping
};
KindInfo kind_info(ConfigKind kind);

// A message as retrieved from the swarm: its storage hash and its bytes (base64-decoded `data`).
struct IncomingConfig {
    std::string hash;
    ByteView data;
};

struct PushData {
    std::int64_t seqno = 0;
    Bytes data;                          // to store (wrapped form), base64 it for the request
    std::vector<std::string> obsolete;   // storage hashes to delete once stored
};

enum class ConfigState : std::uint8_t {
    Clean = 0,    // the current version is stored in the swarm
    Dirty = 1,    // changed: needs a push
    Waiting = 2,  // pushed, not yet confirmed
};

inline constexpr std::string_view kErrBadSeed = "config.bad_seed";
inline constexpr std::string_view kErrBadDump = "config.bad_dump";
inline constexpr std::string_view kErrTooLarge = "config.too_large";

// The 32-byte Ed25519 seed of a Session account (16 random bytes + 16 zero bytes).
using Ed25519Seed = std::span<const std::uint8_t, 32>;

class ConfigBase {
public:
    // Errors: config.bad_seed (not a Session account seed: the last 16 bytes must be zero),
    // config.bad_dump (not a dump of this kind written by dump(); nothing is loaded).
    static Result<ConfigBase> create(ConfigKind kind, Ed25519Seed seed,
                                     std::optional<ByteView> dump = std::nullopt);

    ConfigBase(ConfigBase&&) noexcept = default;
    ConfigBase& operator=(ConfigBase&&) noexcept = default;
    virtual ~ConfigBase() = default;

    ConfigKind kind() const { return kind_; }
    std::int16_t storage_namespace() const { return kind_info(kind_).storage_namespace; }

    // Merges retrieved messages (wrapped or raw) into the current version. Messages that do not
    // decrypt, decompress or parse are skipped and left alone. Output: the hashes of the
    // messages that were understood (whether or not they changed anything). Bad input never
    // changes the state.
    std::vector<std::string> merge(std::span<const IncomingConfig> messages);

    bool needs_push() const { return state_ != ConfigState::Clean; }

    // The current version, encrypted and wrapped, and the hashes it makes obsolete (handed out
    // once). Marks a dirty config as waiting for confirm_pushed(). now_ms: the network clock,
    // for configs that prune old entries before a push.
    // Errors: config.too_large (over 76,800 bytes; state unchanged).
    Result<PushData> push(std::int64_t now_ms);

    // The push of `seqno` was stored under `hash`. Ignored if the config changed since.
    void confirm_pushed(std::int64_t seqno, std::string_view hash);

    bool needs_dump() const { return needs_dump_; }
    // Our own persisted form (versioned bencode; holds no key material).
    Bytes dump();

    // The storage hash of the current version, if it is stored.
    std::vector<std::string> current_hashes() const;

    std::int64_t seqno() const { return msg_.seqno; }
    ConfigState state() const { return state_; }
    bool is_dirty() const { return state_ == ConfigState::Dirty; }

    // The application data ("&"), for typed views and tests.
    const bt::Dict& data() const { return msg_.data; }
    // Replaces the data (pruned of empty dicts/sets). Starts a new version only if it changed.
    // Output: whether it changed.
    bool set_data(bt::Dict data);

protected:
    ConfigBase(ConfigKind kind, crypto::Identity identity);
    static Result<crypto::Identity> identity_from_seed(Ed25519Seed seed);
    Result<void> load_dump(ByteView dump);

    // Called by push() before serializing (ConvoInfoVolatile prunes old entries here).
    virtual void before_push(std::int64_t /*now_ms*/) {}

private:
    void refresh_diff();
    Bytes serialize();
    void set_state(ConfigState s);
    void make_dirty();
    std::span<const std::uint8_t, 32> key_base() const;

    ConfigKind kind_;
    crypto::Identity identity_;
    Message msg_;
    SeqHash id_;              // seqno + hash of msg_ as stored (stale while mutable_)
    bool mutable_ = false;    // a version of our own: its diff is computed against orig_data_
    bt::Dict orig_data_;
    ConfigState state_ = ConfigState::Clean;
    std::string curr_hash_;
    std::set<std::string> old_hashes_;
    bool needs_dump_ = false;
};

}  // namespace st::config
