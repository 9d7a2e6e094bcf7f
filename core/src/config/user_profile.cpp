// UserProfile keys and setters as libsession-util src/config/user_profile.cpp writes them.
#include "st/config/user_profile.hpp"

#include "fields.hpp"

namespace st::config {

using namespace fields;

Result<UserProfile> UserProfile::create(Ed25519Seed seed, std::optional<ByteView> dump) {
    auto id = identity_from_seed(seed);
    if (!id) return Unexpected<Error>(std::move(id).error());
    UserProfile c(ConfigKind::UserProfile, std::move(*id));
    if (dump)
        if (auto r = c.load_dump(*dump); !r) return Unexpected<Error>(std::move(r).error());
    return c;
}

namespace {
// A name or setting change stamps "t", unless the re-uploaded avatar's "T" is the newer one.
void stamp(bt::Dict& d, std::int64_t updated_s) {
    if (updated_s <= 0) return;
    d[int_or_0(d, "t") >= int_or_0(d, "T") ? "t" : "T"] = bt::Value(updated_s);
}
}  // namespace

std::optional<std::string> UserProfile::name() const {
    auto n = get_str(data(), "n");
    if (!n || n->empty()) return std::nullopt;
    return n;
}

Result<void> UserProfile::set_name(std::string_view name, std::int64_t updated_s) {
    if (name.size() > kMaxNameLength)
        return fail(kErrNameTooLong, "a profile name is at most 100 bytes");
    if (name == this->name().value_or("")) return {};
    auto d = data();
    set_nonempty_str(d, "n", name);
    stamp(d, updated_s);
    set_data(std::move(d));
    return {};
}

std::optional<ProfilePic> UserProfile::picture() const {
    const bool primary = int_or_0(data(), "t") >= int_or_0(data(), "T");
    auto url = get_str(data(), primary ? "p" : "P");
    auto key = get_str(data(), primary ? "q" : "Q");
    if (!url || url->empty() || !key || key->size() != 32) return std::nullopt;
    ProfilePic pic;
    pic.url = *url;
    std::copy(key->begin(), key->end(), pic.key.begin());
    return pic;
}

void UserProfile::set_picture(const std::optional<ProfilePic>& pic, std::int64_t updated_s) {
    const bool present = pic && !pic->url.empty();
    const std::string url = present ? pic->url : std::string();
    const std::string key = present ? std::string(pic->key.begin(), pic->key.end()) : std::string();
    if (get_str(data(), "p").value_or("") == url && get_str(data(), "q").value_or("") == key)
        return;
    auto d = data();
    if (present) {
        d["p"] = bt::Value(url);
        d["q"] = bt::Value(key);
    } else {
        d.erase("p");
        d.erase("q");
        // A removed avatar takes its re-uploaded copy with it.
        if (d.erase("P") + d.erase("Q") > 0 && updated_s > 0) d["T"] = bt::Value(updated_s);
    }
    if (updated_s > 0) d["t"] = bt::Value(updated_s);
    set_data(std::move(d));
}

std::int64_t UserProfile::nts_priority() const { return int_or_0(data(), "+"); }

void UserProfile::set_nts_priority(std::int64_t priority) {
    auto d = data();
    set_nonzero_int(d, "+", priority);
    set_data(std::move(d));
}

std::optional<std::int64_t> UserProfile::nts_expiry_s() const {
    auto e = get_int(data(), "e");
    if (!e || *e <= 0) return std::nullopt;
    return e;
}

void UserProfile::set_nts_expiry_s(std::int64_t seconds) {
    auto d = data();
    set_positive_int(d, "e", seconds);
    set_data(std::move(d));
}

std::optional<bool> UserProfile::blinded_msgreqs() const {
    auto m = get_int(data(), "M");
    if (!m) return std::nullopt;
    return *m != 0;
}

}  // namespace st::config
