// ConvoInfoVolatile as libsession-util src/config/convo_info_volatile.cpp reads and writes it
// (set_base, is_stale, prune_stale).
#include "st/config/convo_info_volatile.hpp"

#include "fields.hpp"

namespace st::config {

using namespace fields;

namespace {

// An entry is stale when it is not marked unread and was last read before the cutoff. (Pro
// fields "e"/"g" in a 1:1 or blinded entry keep it while the Pro proof has not expired.)
bool is_stale(const bt::Dict& entry, std::int64_t cutoff_ms, bool pro_fields) {
    if (int_or_0(entry, "u") != 0) return false;
    if (pro_fields) {
        auto g = get_str(entry, "g");
        if (g && g->size() == 32 && int_or_0(entry, "e") >= cutoff_ms) return false;
    }
    return int_or_0(entry, "r") < cutoff_ms;
}

// Removes stale entries of a {id -> entry} dict; values that are not dicts are left alone.
void prune_map(bt::Dict& data, const std::string& key, std::int64_t cutoff_ms, bool pro_fields) {
    auto it = data.find(key);
    if (it == data.end() || !it->second.as_dict()) return;
    auto& m = *it->second.as_dict();
    for (auto e = m.begin(); e != m.end();) {
        const auto* entry = e->second.as_dict();
        if (entry && is_stale(*entry, cutoff_ms, pro_fields))
            e = m.erase(e);
        else
            ++e;
    }
}

}  // namespace

Result<ConvoInfoVolatile> ConvoInfoVolatile::create(Ed25519Seed seed,
                                                    std::optional<ByteView> dump) {
    auto id = identity_from_seed(seed);
    if (!id) return Unexpected<Error>(std::move(id).error());
    ConvoInfoVolatile c(ConfigKind::ConvoInfoVolatile, std::move(*id));
    if (dump)
        if (auto r = c.load_dump(*dump); !r) return Unexpected<Error>(std::move(r).error());
    return c;
}

std::optional<OneToOneInfo> ConvoInfoVolatile::get_1to1(const crypto::SessionId& id) const {
    const auto* all = get_dict(data(), "1");
    if (!all) return std::nullopt;
    const auto* entry = get_dict(*all, key_of(id));
    if (!entry) return std::nullopt;
    OneToOneInfo info(id);
    info.last_read_ms = int_or_0(*entry, "r");
    info.unread = int_or_0(*entry, "u") != 0;
    return info;
}

void ConvoInfoVolatile::set_1to1(const OneToOneInfo& info, std::int64_t now_ms) {
    auto d = data();
    auto& entry = dict_at(dict_at(d, "1"), key_of(info.id));
    auto r = get_int(entry, "r");
    if (r && info.last_read_ms < *r)
        // Moving last-read back (after a deletion, say) is always written.
        entry["r"] = bt::Value(info.last_read_ms);
    else if (info.last_read_ms > now_ms - kLastReadKeepMs)
        entry["r"] = bt::Value(info.last_read_ms);
    set_flag(entry, "u", info.unread);
    set_data(std::move(d));  // prunes the entry if it ended up empty
}

bool ConvoInfoVolatile::erase_1to1(const crypto::SessionId& id) {
    auto d = data();
    if (!erase_in(d, "1", key_of(id))) return false;
    set_data(std::move(d));
    return true;
}

std::vector<OneToOneInfo> ConvoInfoVolatile::list_1to1() const {
    std::vector<OneToOneInfo> out;
    const auto* all = get_dict(data(), "1");
    if (!all) return out;
    for (const auto& [key, value] : *all) {
        const auto* entry = value.as_dict();
        auto id = id_of(key);
        if (!entry || !id) continue;  // not ours to understand: kept, not listed
        OneToOneInfo info(*id);
        info.last_read_ms = int_or_0(*entry, "r");
        info.unread = int_or_0(*entry, "u") != 0;
        out.push_back(std::move(info));
    }
    return out;
}

void ConvoInfoVolatile::prune_stale(std::int64_t now_ms) {
    const std::int64_t cutoff = now_ms - kLastReadPruneMs;
    auto d = data();
    prune_map(d, "1", cutoff, true);
    prune_map(d, "b", cutoff, true);
    prune_map(d, "C", cutoff, false);
    prune_map(d, "g", cutoff, false);
    // Communities: "o" -> base URL -> {"#": server key, "R": {room -> entry}}. A server left
    // without rooms goes too (its key alone describes no conversation).
    if (auto it = d.find("o"); it != d.end() && it->second.as_dict()) {
        auto& servers = *it->second.as_dict();
        for (auto s = servers.begin(); s != servers.end();) {
            auto* server = s->second.as_dict();
            bool had_rooms = false;
            if (server) {
                if (auto r = server->find("R"); r != server->end() && r->second.as_dict()) {
                    had_rooms = !r->second.as_dict()->empty();
                    prune_map(*server, "R", cutoff, false);
                    if (had_rooms && r->second.as_dict()->empty()) {
                        s = servers.erase(s);
                        continue;
                    }
                }
            }
            ++s;
        }
    }
    set_data(std::move(d));
}

}  // namespace st::config
