// UserGroups (namespace 5, domain "UserGroups"; docs/config.md §7.4): the communities and groups
// the account is in. Session Tab does not use them yet, but merges and re-pushes them so other
// devices' data is never lost; data() exposes the raw dict.
#pragma once

#include <optional>

#include "st/config/base.hpp"

namespace st::config {

class UserGroups : public ConfigBase {
public:
    static Result<UserGroups> create(Ed25519Seed seed, std::optional<ByteView> dump = std::nullopt);

private:
    using ConfigBase::ConfigBase;
};

}  // namespace st::config
