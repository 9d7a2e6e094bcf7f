// UserProfile (namespace 2, domain "UserProfile"; docs/config.md §7.1): the account's own name
// and avatar, and Note-to-Self settings. Data keys:
//   n name (≤ 100 bytes)   p avatar URL   q avatar key (32 bytes)   + Note-to-Self priority
//   e Note-to-Self disappearing timer (s)   M blinded message requests (0/1)
//   t / T last change of the profile / of the re-uploaded avatar P/Q (unix seconds)
// Any other key (Pro settings "s", newer fields) is kept untouched.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "st/config/base.hpp"

namespace st::config {

inline constexpr std::size_t kMaxNameLength = 100;  // bytes
inline constexpr std::string_view kErrNameTooLong = "config.name_too_long";

struct ProfilePic {
    std::string url;
    std::array<std::uint8_t, 32> key{};
    bool operator==(const ProfilePic&) const = default;
};

class UserProfile : public ConfigBase {
public:
    // Errors: as ConfigBase::create.
    static Result<UserProfile> create(Ed25519Seed seed, std::optional<ByteView> dump = std::nullopt);

    std::optional<std::string> name() const;  // nullopt when unset or empty
    // updated_s: the profile's change time to record in "t" (as current clients do), 0 for none.
    // Errors: config.name_too_long (over 100 bytes).
    Result<void> set_name(std::string_view name, std::int64_t updated_s = 0);

    // The avatar current clients show: p/q, or the re-uploaded P/Q when that is newer.
    std::optional<ProfilePic> picture() const;
    // nullopt (or an empty URL) removes it (and the re-uploaded copy).
    void set_picture(const std::optional<ProfilePic>& pic, std::int64_t updated_s = 0);

    std::int64_t nts_priority() const;  // Note-to-Self: > 0 pinned, < 0 hidden
    void set_nts_priority(std::int64_t priority);
    std::optional<std::int64_t> nts_expiry_s() const;  // Note-to-Self disappearing timer
    void set_nts_expiry_s(std::int64_t seconds);        // 0 turns it off
    std::optional<bool> blinded_msgreqs() const;

private:
    using ConfigBase::ConfigBase;
};

}  // namespace st::config
