// Contacts (namespace 3, domain "Contacts"; docs/config.md §7.2). Data: "c" -> {33 raw bytes of
// the Session ID -> {fields}} with
//   n name   N nickname (≤ 100 bytes each)   p/q avatar URL/key   a approved   A approved me
//   b blocked   + priority   @ notifications   ! muted until (s)   e/E disappearing mode/timer (s)
//   j created (s)
// Other keys of an entry, and entries we cannot read (not 33 bytes, not a dict), are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "st/config/base.hpp"
#include "st/config/user_profile.hpp"
#include "st/crypto/session_id.hpp"

namespace st::config {

enum class ExpirationMode : std::uint8_t { None = 0, AfterSend = 1, AfterRead = 2 };

struct Contact {
    crypto::SessionId id;
    std::string name;      // truncated to 100 bytes (on a UTF-8 boundary) when written
    std::string nickname;  // likewise
    std::optional<ProfilePic> picture;
    bool approved = false;
    bool approved_me = false;
    bool blocked = false;
    std::int64_t priority = 0;       // > 0 pinned, < 0 hidden
    std::int64_t notifications = 0;  // 0 default, 1 all, 2 disabled (3, mentions only, = 1)
    std::int64_t mute_until_s = 0;
    ExpirationMode expiration = ExpirationMode::None;
    std::int64_t expiration_timer_s = 0;  // 0 whenever expiration is None
    std::int64_t created_s = 0;

    explicit Contact(crypto::SessionId sid) : id(std::move(sid)) {}
};

class Contacts : public ConfigBase {
public:
    static Result<Contacts> create(Ed25519Seed seed, std::optional<ByteView> dump = std::nullopt);

    std::optional<Contact> get(const crypto::SessionId& id) const;
    Contact get_or_construct(const crypto::SessionId& id) const;
    // Writes every field of the contact (its other keys stay). A no-op if nothing changes.
    void set(const Contact& contact);
    bool erase(const crypto::SessionId& id);  // whether it existed
    std::vector<Contact> list() const;        // ordered by Session ID bytes
    std::size_t size() const;

private:
    using ConfigBase::ConfigBase;
};

}  // namespace st::config
