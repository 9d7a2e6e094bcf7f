#include "records.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "st/store/kv_store.hpp"

namespace st::app::records {
namespace {

constexpr std::uint8_t kRecordVersion = 1;

Bytes encode_json(const nlohmann::json& j) {
    auto text = j.dump();
    Bytes out;
    out.reserve(text.size() + 1);
    out.push_back(kRecordVersion);
    out.insert(out.end(), text.begin(), text.end());
    return out;
}

std::optional<nlohmann::json> decode_json(const Bytes& value) {
    if (value.empty() || value[0] != kRecordVersion) return std::nullopt;
    auto j = nlohmann::json::parse(value.begin() + 1, value.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

// Reads a field of the expected type, or the default: a record edited by hand or damaged must
// not throw (nlohmann's value() throws on a type mismatch).
template <class T>
T field(const nlohmann::json& j, const char* name, T fallback) {
    auto it = j.find(name);
    if (it == j.end()) return fallback;
    if constexpr (std::is_same_v<T, bool>) {
        return it->is_boolean() ? it->template get<bool>() : fallback;
    } else if constexpr (std::is_same_v<T, std::string>) {
        return it->is_string() ? it->template get<std::string>() : fallback;
    } else {
        return it->is_number_integer() || it->is_number_unsigned() ? it->template get<T>() : fallback;
    }
}

std::vector<std::uint64_t> timestamps(const nlohmann::json& j, const char* name) {
    std::vector<std::uint64_t> out;
    auto it = j.find(name);
    if (it == j.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_number_unsigned() || v.is_number_integer()) out.push_back(v.get<std::uint64_t>());
    return out;
}

std::vector<std::string> strings(const nlohmann::json& j, const char* name) {
    std::vector<std::string> out;
    auto it = j.find(name);
    if (it == j.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

DisappearingMode mode_of(int stored) {
    return stored == 1 ? DisappearingMode::AfterRead : stored == 2 ? DisappearingMode::AfterSend : DisappearingMode::Off;
}

}  // namespace

std::string account_key(const std::string& id) { return "accounts/" + id; }
std::string account_prefix(const std::string& id) { return "acct/" + id + "/"; }

std::string Keys::outbox_entry(std::uint64_t created_ms, const std::string& peer, std::string_view kind) const {
    auto key = outbox() + store::key::be64(created_ms) + "/" + peer;
    if (!kind.empty()) key += "/" + std::string(kind);
    return key;
}

std::string Keys::expiry(std::int64_t expires_ms, const std::string& peer, const std::string& id) const {
    return expiries() + store::key::be64(static_cast<std::uint64_t>(std::max<std::int64_t>(expires_ms, 0))) + "/" +
           peer + "/" + id;
}

std::optional<ExpiryEntry> parse_expiry(std::string_view rest) {
    // "<16 hex>/<peer>/<16 hex>/<o|i>"
    const auto first = rest.find('/');
    if (first != 16) return std::nullopt;
    const auto second = rest.find('/', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    ExpiryEntry e;
    std::uint64_t ms = 0;
    for (char ch : rest.substr(0, 16)) {
        int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        ms = ms << 4 | static_cast<std::uint64_t>(digit);
    }
    e.expires_ms = static_cast<std::int64_t>(ms);
    e.peer = std::string(rest.substr(first + 1, second - first - 1));
    e.message_id = std::string(rest.substr(second + 1));
    if (e.peer.empty() || e.message_id.size() != 18) return std::nullopt;
    return e;
}

std::string message_id(std::uint64_t sent_ms, bool outgoing) {
    return store::key::be64(sent_ms) + (outgoing ? "/o" : "/i");
}

SecretBytes encode_account(const crypto::Identity& id, std::int64_t created_ms, const std::string& name) {
    SecretBytes out;
    const std::uint8_t version = kRecordVersion;
    out.append(&version, 1);
    out.append(id.seed().data(), id.seed().size());
    std::uint8_t created[8];
    for (int i = 0; i < 8; ++i)
        created[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(created_ms) >> (56 - 8 * i));
    out.append(created, 8);
    out.append(name);
    return out;
}

std::optional<Account> decode_account(const Bytes& value) {
    if (value.size() < 1 + 16 + 8 || value[0] != kRecordVersion) return std::nullopt;
    crypto::AccountSeed seed(std::span<const std::uint8_t, 16>(value.data() + 1, 16));
    std::uint64_t created = 0;
    for (int i = 0; i < 8; ++i) created = created << 8 | value[1 + 16 + static_cast<std::size_t>(i)];
    std::string name(value.begin() + 1 + 16 + 8, value.end());
    return Account{crypto::Identity::from_seed(seed), static_cast<std::int64_t>(created), std::move(name)};
}

Bytes encode(const Settings& s) {
    return encode_json({{"typing", s.typing_indicators}, {"receipts", s.read_receipts},
                        {"name_updated_s", s.name_updated_s}, {"config_synced", s.config_synced},
                        {"phrase_unsaved", s.phrase_unsaved}, {"lock_after_min", s.lock_after_minutes}});
}

Settings decode_settings(const Bytes& value) {
    Settings s;
    auto j = decode_json(value);
    if (!j) return s;
    s.typing_indicators = field(*j, "typing", false);
    s.read_receipts = field(*j, "receipts", false);
    s.name_updated_s = field<std::uint64_t>(*j, "name_updated_s", 0);
    s.config_synced = field(*j, "config_synced", false);
    s.phrase_unsaved = field(*j, "phrase_unsaved", false);
    s.lock_after_minutes = field<std::uint32_t>(*j, "lock_after_min", 0);
    return s;
}

Bytes encode(const Contact& c) {
    return encode_json({{"name", c.name}, {"name_s", c.name_updated_s}, {"nick", c.nickname},
                        {"a", c.approved}, {"A", c.approved_me}, {"b", c.blocked}, {"created", c.created_ms}});
}

std::optional<Contact> decode_contact(const Bytes& value) {
    auto j = decode_json(value);
    if (!j) return std::nullopt;
    Contact c;
    c.name = field<std::string>(*j, "name", "");
    c.name_updated_s = field<std::uint64_t>(*j, "name_s", 0);
    c.nickname = field<std::string>(*j, "nick", "");
    c.approved = field(*j, "a", false);
    c.approved_me = field(*j, "A", false);
    c.blocked = field(*j, "b", false);
    c.created_ms = field<std::int64_t>(*j, "created", 0);
    return c;
}

Bytes encode(const Conversation& c) {
    return encode_json({{"last", c.last_message}, {"last_ms", c.last_ms}, {"unread_ts", c.unread},
                        {"unread_more", c.unread_count}, {"draft", c.draft}, {"v", 2},
                        {"dm", static_cast<int>(c.disappearing)}, {"dt", c.disappearing_seconds},
                        {"dc", c.disappearing_changed_ms}});
}

std::optional<Conversation> decode_conversation(const Bytes& value) {
    auto j = decode_json(value);
    if (!j) return std::nullopt;
    Conversation c;
    c.last_message = field<std::string>(*j, "last", "");
    c.last_ms = field<std::int64_t>(*j, "last_ms", 0);
    c.unread = timestamps(*j, "unread_ts");
    c.draft = field<std::string>(*j, "draft", "");
    c.unread_count = field<std::uint32_t>(*j, "unread_more", 0);
    c.disappearing = mode_of(field<int>(*j, "dm", 0));
    c.disappearing_seconds = field<std::uint32_t>(*j, "dt", 0);
    if (c.disappearing_seconds == 0) c.disappearing = DisappearingMode::Off;
    c.disappearing_changed_ms = field<std::int64_t>(*j, "dc", 0);
    if (field<int>(*j, "v", 1) < 2) {
        c.legacy = true;
        c.legacy_name = field<std::string>(*j, "name", "");
        c.unread_count = field<std::uint32_t>(*j, "unread", 0);
    }
    return c;
}

MessageView message_view(std::string id, bool outgoing, std::string body, std::int64_t sent_ms,
                         DeliveryState delivery, MessageKind kind) {
    MessageView m;
    m.id = std::move(id);
    m.outgoing = outgoing;
    m.body = std::move(body);
    m.sent_ms = sent_ms;
    m.delivery = delivery;
    m.kind = kind;
    return m;
}

Bytes encode(const MessageView& m) {
    nlohmann::json j = {{"body", m.body},
                        {"out", m.outgoing},
                        {"ts", m.sent_ms},
                        {"state", static_cast<int>(m.delivery)},
                        {"fail", m.failure_text}};
    if (m.kind != MessageKind::Text) j["k"] = static_cast<int>(m.kind);
    if (m.disappearing != DisappearingMode::Off) {
        j["dm"] = static_cast<int>(m.disappearing);
        j["dt"] = m.disappearing_seconds;
    }
    if (m.expires_ms) j["exp"] = m.expires_ms;
    if (!m.swarm_hash.empty()) j["h"] = m.swarm_hash;
    return encode_json(j);
}

std::optional<MessageView> decode_message(const std::string& id, const Bytes& value) {
    auto j = decode_json(value);
    if (!j) return std::nullopt;
    MessageView m;
    m.id = id;
    m.body = field<std::string>(*j, "body", "");
    m.outgoing = field(*j, "out", false);
    m.sent_ms = field<std::int64_t>(*j, "ts", 0);
    const int state = field<int>(*j, "state", 1);
    m.delivery = state == 0   ? DeliveryState::Sending
                 : state == 2 ? DeliveryState::Failed
                 : state == 3 ? DeliveryState::Read
                              : DeliveryState::Sent;
    m.failure_text = field<std::string>(*j, "fail", "");
    const int kind = field<int>(*j, "k", 0);
    m.kind = kind == 1 ? MessageKind::Deleted : kind == 2 ? MessageKind::Notice : MessageKind::Text;
    m.disappearing = mode_of(field<int>(*j, "dm", 0));
    m.disappearing_seconds = field<std::uint32_t>(*j, "dt", 0);
    if (m.disappearing_seconds == 0) m.disappearing = DisappearingMode::Off;
    m.expires_ms = field<std::int64_t>(*j, "exp", 0);
    m.swarm_hash = field<std::string>(*j, "h", "");
    return m;
}

std::string_view kind_suffix(OutboxEntry::Kind kind) {
    switch (kind) {
        case OutboxEntry::Kind::Text: return "";
        case OutboxEntry::Kind::ReadReceipt: return "r";
        case OutboxEntry::Kind::Accept: return "a";
        case OutboxEntry::Kind::ExpirationUpdate: return "e";
        case OutboxEntry::Kind::Unsend: return "u";
        case OutboxEntry::Kind::SwarmDelete: return "d";
        case OutboxEntry::Kind::SwarmExpire: return "x";
    }
    return "";
}

Bytes encode(const OutboxEntry& e) {
    nlohmann::json j = {{"peer", e.peer}, {"ts", e.sent_ms}};
    switch (e.kind) {
        case OutboxEntry::Kind::Text:
            j["body"] = e.body;
            if (e.disappearing != DisappearingMode::Off) {
                j["dm"] = static_cast<int>(e.disappearing);
                j["dt"] = e.disappearing_seconds;
            }
            break;
        case OutboxEntry::Kind::ReadReceipt: j["kind"] = "receipt"; j["read"] = e.timestamps; break;
        case OutboxEntry::Kind::Accept: j["kind"] = "accept"; break;
        case OutboxEntry::Kind::ExpirationUpdate:
            j["kind"] = "timer";
            j["dm"] = static_cast<int>(e.disappearing);
            j["dt"] = e.disappearing_seconds;
            break;
        case OutboxEntry::Kind::Unsend: j["kind"] = "unsend"; j["target"] = e.target_ms; break;
        case OutboxEntry::Kind::SwarmDelete: j["kind"] = "swarm_delete"; j["hashes"] = e.hashes; break;
        case OutboxEntry::Kind::SwarmExpire:
            j["kind"] = "swarm_expire";
            j["hashes"] = e.hashes;
            j["exp"] = e.expires_ms;
            break;
    }
    return encode_json(j);
}

std::optional<OutboxEntry> decode_outbox(const Bytes& value) {
    auto j = decode_json(value);
    if (!j) return std::nullopt;
    OutboxEntry e;
    e.peer = field<std::string>(*j, "peer", "");
    e.sent_ms = field<std::uint64_t>(*j, "ts", 0);
    const auto kind = field<std::string>(*j, "kind", "");
    e.disappearing = mode_of(field<int>(*j, "dm", 0));
    e.disappearing_seconds = field<std::uint32_t>(*j, "dt", 0);
    if (e.disappearing_seconds == 0) e.disappearing = DisappearingMode::Off;
    if (kind.empty()) {
        e.kind = OutboxEntry::Kind::Text;
        e.body = field<std::string>(*j, "body", "");
    } else if (kind == "timer") {
        e.kind = OutboxEntry::Kind::ExpirationUpdate;
    } else if (kind == "unsend") {
        e.kind = OutboxEntry::Kind::Unsend;
        e.target_ms = field<std::uint64_t>(*j, "target", 0);
        if (e.target_ms == 0) return std::nullopt;
    } else if (kind == "swarm_delete" || kind == "swarm_expire") {
        e.kind = kind == "swarm_delete" ? OutboxEntry::Kind::SwarmDelete : OutboxEntry::Kind::SwarmExpire;
        e.hashes = strings(*j, "hashes");
        e.expires_ms = field<std::int64_t>(*j, "exp", 0);
        if (e.hashes.empty()) return std::nullopt;
    } else if (kind == "receipt") {
        e.kind = OutboxEntry::Kind::ReadReceipt;
        e.timestamps = timestamps(*j, "read");
        if (e.timestamps.empty()) return std::nullopt;
    } else if (kind == "accept") {
        e.kind = OutboxEntry::Kind::Accept;
    } else {
        return std::nullopt;  // a kind from a later version: leave it alone
    }
    return e;
}

}  // namespace st::app::records
