#include "st/config/user_groups.hpp"

namespace st::config {

Result<UserGroups> UserGroups::create(Ed25519Seed seed, std::optional<ByteView> dump) {
    auto id = identity_from_seed(seed);
    if (!id) return Unexpected<Error>(std::move(id).error());
    UserGroups c(ConfigKind::UserGroups, std::move(*id));
    if (dump)
        if (auto r = c.load_dump(*dump); !r) return Unexpected<Error>(std::move(r).error());
    return c;
}

}  // namespace st::config
