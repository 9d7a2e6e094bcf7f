// Contacts fields as libsession-util src/config/contacts.cpp reads (contact_info::load) and
// writes (Contacts::set) them.
#include "st/config/contacts.hpp"

#include "fields.hpp"

namespace st::config {

using namespace fields;

namespace {

Contact load(crypto::SessionId id, const bt::Dict& d) {
    Contact c(std::move(id));
    c.name = get_str(d, "n").value_or("");
    c.nickname = get_str(d, "N").value_or("");
    auto url = get_str(d, "p");
    auto key = get_str(d, "q");
    if (url && key && !url->empty() && key->size() == 32) {
        c.picture.emplace();
        c.picture->url = *url;
        std::copy(key->begin(), key->end(), c.picture->key.begin());
    }
    c.approved = int_or_0(d, "a") != 0;
    c.approved_me = int_or_0(d, "A") != 0;
    c.blocked = int_or_0(d, "b") != 0;
    c.priority = int_or_0(d, "+");
    const auto notify = int_or_0(d, "@");
    c.notifications = notify == 3 ? 1 : (notify >= 0 && notify <= 2 ? notify : 0);
    c.mute_until_s = int_or_0(d, "!");
    const auto mode = int_or_0(d, "e");
    const auto timer = int_or_0(d, "E");
    if (mode >= 1 && mode <= 2 && timer > 0) {
        c.expiration = static_cast<ExpirationMode>(mode);
        c.expiration_timer_s = timer;
    }
    c.created_s = int_or_0(d, "j");
    return c;
}

}  // namespace

Result<Contacts> Contacts::create(Ed25519Seed seed, std::optional<ByteView> dump) {
    auto id = identity_from_seed(seed);
    if (!id) return Unexpected<Error>(std::move(id).error());
    Contacts c(ConfigKind::Contacts, std::move(*id));
    if (dump)
        if (auto r = c.load_dump(*dump); !r) return Unexpected<Error>(std::move(r).error());
    return c;
}

std::optional<Contact> Contacts::get(const crypto::SessionId& id) const {
    const auto* all = get_dict(data(), "c");
    if (!all) return std::nullopt;
    const auto* entry = get_dict(*all, key_of(id));
    if (!entry) return std::nullopt;
    return load(id, *entry);
}

Contact Contacts::get_or_construct(const crypto::SessionId& id) const {
    if (auto c = get(id)) return *std::move(c);
    return Contact(id);
}

void Contacts::set(const Contact& c) {
    auto d = data();
    auto& info = dict_at(dict_at(d, "c"), key_of(c.id));
    // The name is always written, even empty, so an entry with nothing else set survives
    // pruning.
    info["n"] = bt::Value(utf8_truncate(c.name, kMaxNameLength));
    set_nonempty_str(info, "N", utf8_truncate(c.nickname, kMaxNameLength));
    if (c.picture && !c.picture->url.empty()) {
        info["p"] = bt::Value(c.picture->url);
        info["q"] = bt::Value(std::string(c.picture->key.begin(), c.picture->key.end()));
    } else {
        info.erase("p");
        info.erase("q");
    }
    set_flag(info, "a", c.approved);
    set_flag(info, "A", c.approved_me);
    set_flag(info, "b", c.blocked);
    set_nonzero_int(info, "+", c.priority);
    set_positive_int(info, "@", c.notifications == 3 ? 1 : c.notifications);
    set_positive_int(info, "!", c.mute_until_s);
    if (c.expiration != ExpirationMode::None && c.expiration_timer_s > 0) {
        info["e"] = bt::Value(static_cast<std::int64_t>(c.expiration));
        info["E"] = bt::Value(c.expiration_timer_s);
    } else {
        info.erase("e");
        info.erase("E");
    }
    set_positive_int(info, "j", c.created_s);
    set_data(std::move(d));
}

bool Contacts::erase(const crypto::SessionId& id) {
    auto d = data();
    if (!erase_in(d, "c", key_of(id))) return false;
    set_data(std::move(d));
    return true;
}

std::vector<Contact> Contacts::list() const {
    std::vector<Contact> out;
    const auto* all = get_dict(data(), "c");
    if (!all) return out;
    for (const auto& [key, value] : *all) {
        const auto* entry = value.as_dict();
        auto id = id_of(key);
        if (!entry || !id) continue;  // not ours to understand: kept, not listed
        out.push_back(load(*id, *entry));
    }
    return out;
}

std::size_t Contacts::size() const { return list().size(); }

}  // namespace st::config
