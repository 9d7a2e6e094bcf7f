// Config commands: the account's user configs (st::config, docs/config.md) as the official clients
// store them in their own swarm.
//   config encode  a fresh config of KIND with the --json fields set, as push() writes it (seqno 1,
//         encrypted, in the legacy wrapping): the base64 `data` of the store request.
//   config decode  merges the --data messages (wrapped or raw) and prints the result as JSON.
//   config push    (network) retrieves the namespace from our swarm, merges, sets the --json fields
//         (only those given), stores the new version with a signed store (TTL 30 days, the
//         storage server's maximum for private namespaces) and deletes the messages it makes
//         obsolete; prints {"pushed", "seqno", "hash", "obsolete"}.
//   config pull    (network) retrieves the namespace, merges, prints as `config decode`.
// --state FILE keeps a device's config between runs (ConfigBase::dump(), loaded back with
// create(..., dump)); --no-pull pushes from that state without retrieving first, as a device that
// has not seen the others' pushes yet does. The JSON of a kind is the same for input and output:
//   user_profile         {"name": S|null, "picture": {"url", "key_hex"}|null}
//   contacts             {"contacts": [{"session_id", "name", "nickname", "approved",
//                          "approved_me", "blocked"}]}
//   convo_info_volatile  {"one_to_one": [{"session_id", "last_read_ms", "unread"}]}
// plus "seqno" on output (ignored on input). Lists are sorted by session_id.
// Exit codes: 0 done, 1 network failure, 2 bad input (also a message that does not decrypt with
// the seed, or is not a config of KIND).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "network_session.hpp"
#include "st/config/base.hpp"
#include "st/config/contacts.hpp"
#include "st/config/convo_info_volatile.hpp"
#include "st/config/user_profile.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/mnemonic.hpp"
#include "st/net/poll_state.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/net/swarm_admin.hpp"

namespace st::cli {
namespace {

using config::ConfigBase;
using config::ConfigKind;
using json = nlohmann::ordered_json;

// The longest a config lives in the swarm: the storage server's maximum TTL for a private
// namespace. The clients re-push before it runs out.
constexpr std::int64_t kConfigTtlMs = 30LL * 24 * 3600 * 1000;

const char* kind_name(ConfigKind kind) {
    switch (kind) {
        case ConfigKind::UserProfile: return "user_profile";
        case ConfigKind::Contacts: return "contacts";
        case ConfigKind::ConvoInfoVolatile: return "convo_info_volatile";
        case ConfigKind::UserGroups: return "user_groups";
    }
    return "?";
}

ConfigKind kind_of(const Args& args) {
    const auto text = args.require("kind");
    for (auto k : {ConfigKind::UserProfile, ConfigKind::Contacts, ConfigKind::ConvoInfoVolatile})
        if (text == kind_name(k)) return k;
    throw UsageError("--kind must be user_profile, contacts or convo_info_volatile, got '" + text +
                     "'");
}

// The account: --seed HEX32 or --mnemonic "13 WORDS", as `id` takes them.
struct Account {
    crypto::Identity me;
    std::array<std::uint8_t, 32> ed_seed{};  // account seed || 16 zero bytes (protocol.md §1)
};

Account account_of(const Args& args) {
    auto seed_hex = args.get("seed");
    auto phrase = args.get("mnemonic");
    if (seed_hex.has_value() == phrase.has_value())
        throw UsageError("give exactly one of --seed HEX32 or --mnemonic \"13 WORDS\"");
    Account a{seed_hex ? unwrap(crypto::Identity::from_seed_hex(*seed_hex))
                       : crypto::Identity::from_seed(unwrap(crypto::mnemonic::decode_seed(*phrase)))};
    std::copy_n(a.me.seed().data(), 16, a.ed_seed.begin());
    return a;
}

std::unique_ptr<ConfigBase> make_config(ConfigKind kind, const Account& account,
                                        std::optional<ByteView> dump) {
    const config::Ed25519Seed seed(account.ed_seed);
    auto wrap = [](auto r) -> std::unique_ptr<ConfigBase> {
        if (!r) throw InputError(r.error());
        return std::make_unique<typename std::decay_t<decltype(*r)>>(std::move(*r));
    };
    switch (kind) {
        case ConfigKind::UserProfile: return wrap(config::UserProfile::create(seed, dump));
        case ConfigKind::Contacts: return wrap(config::Contacts::create(seed, dump));
        case ConfigKind::ConvoInfoVolatile:
            return wrap(config::ConvoInfoVolatile::create(seed, dump));
        case ConfigKind::UserGroups: break;
    }
    throw UsageError("unsupported kind");
}

// ---- JSON in and out ----------------------------------------------------------------------

json parse_json(const std::string& text) {
    try {
        auto j = json::parse(text);
        if (!j.is_object()) throw InputError("--json must be a JSON object");
        return j;
    } catch (const json::parse_error& e) {
        throw InputError(std::string("--json is not valid JSON: ") + e.what());
    }
}

void only_keys(const json& obj, std::initializer_list<const char*> allowed,
               const std::string& where) {
    if (!obj.is_object()) throw InputError(where + " must be a JSON object");
    for (const auto& [key, value] : obj.items()) {
        (void)value;
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            throw InputError(where + ": unknown field \"" + key + "\"");
    }
}

std::string string_field(const json& obj, const char* key, const std::string& where) {
    const auto& v = obj.at(key);
    if (!v.is_string()) throw InputError(where + "." + key + " must be a string");
    return v.get<std::string>();
}

bool bool_field(const json& obj, const char* key, const std::string& where) {
    const auto& v = obj.at(key);
    if (!v.is_boolean()) throw InputError(where + "." + key + " must be true or false");
    return v.get<bool>();
}

crypto::SessionId session_id_field(const json& obj, const std::string& where) {
    if (!obj.contains("session_id")) throw InputError(where + ": missing \"session_id\"");
    auto id = crypto::SessionId::parse(string_field(obj, "session_id", where));
    if (!id) throw InputError(where + ".session_id: " + id.error().message);
    return *id;
}

const json& list_field(const json& j, const char* key) {
    const auto& v = j.at(key);
    if (!v.is_array()) throw InputError(std::string("\"") + key + "\" must be a JSON array");
    return v;
}

// Sets the fields `j` gives (and only those) on top of the config.
void apply_json(ConfigBase& c, const json& j, std::int64_t now_ms) {
    switch (c.kind()) {
        case ConfigKind::UserProfile: {
            auto& p = static_cast<config::UserProfile&>(c);
            only_keys(j, {"seqno", "name", "picture"}, "--json");
            if (j.contains("name")) {
                const std::string name = j["name"].is_null() ? "" : string_field(j, "name", "--json");
                unwrap(p.set_name(name));
            }
            if (j.contains("picture")) {
                const auto& pic = j["picture"];
                if (pic.is_null()) {
                    p.set_picture(std::nullopt);
                } else {
                    only_keys(pic, {"url", "key_hex"}, "picture");
                    if (!pic.contains("url") || !pic.contains("key_hex"))
                        throw InputError("picture needs \"url\" and \"key_hex\"");
                    config::ProfilePic out;
                    out.url = string_field(pic, "url", "picture");
                    if (auto r = from_hex_into(string_field(pic, "key_hex", "picture"), out.key); !r)
                        throw InputError("picture.key_hex must be 64 hex digits (32 bytes): " +
                                         r.error().message);
                    p.set_picture(out);
                }
            }
            return;
        }
        case ConfigKind::Contacts: {
            auto& contacts = static_cast<config::Contacts&>(c);
            only_keys(j, {"seqno", "contacts"}, "--json");
            if (!j.contains("contacts")) return;
            std::size_t i = 0;
            for (const auto& e : list_field(j, "contacts")) {
                const std::string where = "contacts[" + std::to_string(i++) + "]";
                only_keys(e, {"session_id", "name", "nickname", "approved", "approved_me", "blocked"},
                          where);
                auto contact = contacts.get_or_construct(session_id_field(e, where));
                if (e.contains("name")) contact.name = string_field(e, "name", where);
                if (e.contains("nickname")) contact.nickname = string_field(e, "nickname", where);
                if (e.contains("approved")) contact.approved = bool_field(e, "approved", where);
                if (e.contains("approved_me"))
                    contact.approved_me = bool_field(e, "approved_me", where);
                if (e.contains("blocked")) contact.blocked = bool_field(e, "blocked", where);
                contacts.set(contact);
            }
            return;
        }
        case ConfigKind::ConvoInfoVolatile: {
            auto& convos = static_cast<config::ConvoInfoVolatile&>(c);
            only_keys(j, {"seqno", "one_to_one"}, "--json");
            if (!j.contains("one_to_one")) return;
            std::size_t i = 0;
            for (const auto& e : list_field(j, "one_to_one")) {
                const std::string where = "one_to_one[" + std::to_string(i++) + "]";
                only_keys(e, {"session_id", "last_read_ms", "unread"}, where);
                auto id = session_id_field(e, where);
                auto info = convos.get_1to1(id).value_or(config::OneToOneInfo(id));
                if (e.contains("last_read_ms")) {
                    const auto& v = e["last_read_ms"];
                    if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
                        throw InputError(where + ".last_read_ms must be a non-negative integer");
                    info.last_read_ms = v.get<std::int64_t>();
                }
                if (e.contains("unread")) info.unread = bool_field(e, "unread", where);
                convos.set_1to1(info, now_ms);
            }
            return;
        }
        case ConfigKind::UserGroups: break;
    }
}

json to_json(const ConfigBase& c) {
    json out;
    out["seqno"] = c.seqno();
    switch (c.kind()) {
        case ConfigKind::UserProfile: {
            const auto& p = static_cast<const config::UserProfile&>(c);
            const auto name = p.name();
            out["name"] = name ? json(*name) : json(nullptr);
            if (auto pic = p.picture())
                out["picture"] = {{"url", pic->url}, {"key_hex", to_hex(pic->key)}};
            else
                out["picture"] = nullptr;
            break;
        }
        case ConfigKind::Contacts: {
            auto list = static_cast<const config::Contacts&>(c).list();
            std::sort(list.begin(), list.end(),
                      [](const auto& a, const auto& b) { return a.id.hex() < b.id.hex(); });
            auto& arr = out["contacts"] = json::array();
            for (const auto& x : list)
                arr.push_back({{"session_id", x.id.hex()},
                               {"name", x.name},
                               {"nickname", x.nickname},
                               {"approved", x.approved},
                               {"approved_me", x.approved_me},
                               {"blocked", x.blocked}});
            break;
        }
        case ConfigKind::ConvoInfoVolatile: {
            auto list = static_cast<const config::ConvoInfoVolatile&>(c).list_1to1();
            std::sort(list.begin(), list.end(),
                      [](const auto& a, const auto& b) { return a.id.hex() < b.id.hex(); });
            auto& arr = out["one_to_one"] = json::array();
            for (const auto& x : list)
                arr.push_back({{"session_id", x.id.hex()},
                               {"last_read_ms", x.last_read_ms},
                               {"unread", x.unread}});
            break;
        }
        case ConfigKind::UserGroups: break;
    }
    return out;
}

void print(const json& j) {
    std::cout << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
}

std::int64_t system_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
}

// ---- offline: encode / decode -------------------------------------------------------------

int encode(const Args& args) {
    args.expect_positional(1, "");
    crypto::ensure_sodium_ready();
    const auto kind = kind_of(args);
    const auto account = account_of(args);
    const auto j = parse_json(args.require("json"));
    auto c = make_config(kind, account, std::nullopt);
    const auto now = system_now_ms();
    apply_json(*c, j, now);
    auto pushed = unwrap(c->push(now));
    std::cout << to_base64(pushed.data) << '\n';
    return 0;
}

int decode(const Args& args) {
    args.expect_positional(1, "");
    crypto::ensure_sodium_ready();
    const auto kind = kind_of(args);
    const auto account = account_of(args);
    const auto texts = args.all("data");
    if (texts.empty()) throw UsageError("missing option --data");
    std::vector<Bytes> blobs;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        auto b = from_base64(texts[i]);
        if (!b)
            throw InputError("--data #" + std::to_string(i + 1) +
                             " is not base64: " + b.error().message);
        blobs.push_back(std::move(*b));
    }
    std::vector<config::IncomingConfig> in;
    for (std::size_t i = 0; i < blobs.size(); ++i)
        in.push_back({"data" + std::to_string(i + 1), blobs[i]});
    auto c = make_config(kind, account, std::nullopt);
    const auto accepted = c->merge(in);
    for (std::size_t i = 0; i < in.size(); ++i)
        if (std::find(accepted.begin(), accepted.end(), in[i].hash) == accepted.end())
            throw InputError("--data #" + std::to_string(i + 1) + " is not a " + kind_name(kind) +
                             " config of this account (it does not decrypt with this seed, or "
                             "is malformed)");
    print(to_json(*c));
    return 0;
}

// ---- network: push / pull -----------------------------------------------------------------

// --state FILE: the device's config between runs. A missing file is a device that holds nothing.
std::unique_ptr<ConfigBase> load_state(ConfigKind kind, const Account& account, const Args& args) {
    const auto path = args.get("state");
    if (!path || !std::filesystem::exists(*path)) return make_config(kind, account, std::nullopt);
    std::ifstream f(*path, std::ios::binary);
    if (!f) throw InputError("--state " + *path + " cannot be read");
    const Bytes dump((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    try {
        return make_config(kind, account, ByteView(dump));
    } catch (const InputError& e) {
        throw InputError("--state " + *path + ": " + e.what());
    }
}

void save_state(ConfigBase& c, const Args& args) {
    const auto path = args.get("state");
    if (!path) return;
    const Bytes dump = c.dump();
    // Written beside and renamed over, so an interrupted run leaves the previous state whole.
    const std::string tmp = *path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(dump.data()), static_cast<std::streamsize>(dump.size()));
        if (!f) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, *path);
}

// Every message of the config's namespace in our swarm (signed retrieves from the start, until
// no member has more), merged into `c`.
void pull_into(Session& session, const crypto::Identity& me, ConfigBase& c) {
    const auto ns = c.storage_namespace();
    net::MemoryPollStateStore state;
    net::PollerConfig config;
    config.namespaces = {ns};
    config.redeliver = {ns};
    std::map<std::string, std::string> items;  // hash -> base64 data
    net::Poller poller(*session.network, me.clone(), state, config,
                       [&](std::vector<net::RetrievedItem> got) {
                           for (auto& item : got) items.emplace(item.hash, std::move(item.data));
                       });
    bool answered = false;
    std::string last_error = "no swarm member answered";
    // A member that fails is replaced within the round; a round nobody answered is tried again
    // through the paths and members the failures taught about (as `poll` does), a few times.
    for (int round = 0, unanswered = 0; round < 30 && unanswered < 6; ++round) {
        auto report = session.wait<net::PollReport>(
                [&](Callback<net::PollReport> done) { poller.poll_once(std::move(done)); });
        if (!report) {
            last_error = describe(report.error());
        } else if (report->nodes_answered == 0 && !report->errors.empty()) {
            last_error = describe(report->errors.back());
        }
        if (report && report->nodes_answered > 0) {
            answered = true;
            if (!report->more) break;
            continue;
        }
        ++unanswered;
        session.run([] { return false; }, std::chrono::milliseconds(500));
    }
    if (!answered) throw NetworkError("the config could not be retrieved: " + last_error);

    std::vector<Bytes> blobs;
    std::vector<config::IncomingConfig> in;
    for (const auto& [hash, data] : items) {
        auto b = from_base64(data);
        blobs.push_back(b ? std::move(*b) : Bytes());  // not base64: merge() skips it
    }
    std::size_t i = 0;
    for (const auto& [hash, data] : items) in.push_back({hash, blobs[i++]});
    const auto accepted = c.merge(in);
    if (accepted.size() < in.size())
        std::cerr << "session-cli config: skipped " << in.size() - accepted.size()
                  << " message(s) of namespace " << ns << " that are not configs of this account\n";
}

int pull(const Args& args) {
    args.expect_positional(1, "");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    const auto kind = kind_of(args);
    const auto account = account_of(args);
    auto c = load_state(kind, account, args);

    Session session(seed_url);
    session.bootstrap(seed_url);
    pull_into(session, account.me, *c);
    save_state(*c, args);
    print(to_json(*c));
    return 0;
}

int push(const Args& args) {
    args.expect_positional(1, "");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    const auto kind = kind_of(args);
    const auto account = account_of(args);
    const auto j = parse_json(args.require("json"));
    auto c = load_state(kind, account, args);
    // Bad fields are refused before any network traffic (on a scratch copy of the state).
    apply_json(*make_config(kind, account, std::nullopt), j, system_now_ms());

    Session session(seed_url);
    session.bootstrap(seed_url);
    if (!args.get("no-pull")) pull_into(session, account.me, *c);
    const auto now = session.network->now_ms();
    apply_json(*c, j, now);

    json out;
    if (!c->needs_push()) {
        // Nothing new: the stored version already says it.
        save_state(*c, args);
        const auto current = c->current_hashes();
        out["pushed"] = false;
        out["seqno"] = c->seqno();
        out["hash"] = current.empty() ? json(nullptr) : json(current.front());
        out["obsolete"] = json::array();
        print(out);
        return 0;
    }
    auto data = unwrap(c->push(now));
    net::Sender sender(*session.network, nullptr, &account.me);
    const auto b64 = to_base64(data.data);
    // The same bytes each try: the network stores them once (the hash depends only on them).
    auto receipt = session.wait_retrying<net::SendReceipt>([&](Callback<net::SendReceipt> done) {
        net::OutgoingMessage m(account.me.session_id(), b64, c->storage_namespace());
        m.ttl_ms = kConfigTtlMs;
        sender.send(std::move(m), std::move(done));
    });
    if (!receipt) {
        save_state(*c, args);  // still waiting for a push: the next run pushes it again
        throw NetworkError("config not stored: " + describe(receipt.error()));
    }
    c->confirm_pushed(data.seqno, receipt->hash);
    save_state(*c, args);

    // Obsolete versions are deleted once the new one is stored (docs/config.md §6). A failure
    // here loses nothing: readers merge them away, and their TTL ends them.
    std::vector<std::string> deleted;
    if (!data.obsolete.empty()) {
        net::SwarmAdmin admin(*session.network, account.me);
        auto report = session.wait_retrying<net::SwarmReport>([&](Callback<net::SwarmReport> done) {
            admin.delete_messages(data.obsolete, std::move(done));
        });
        if (report && report->confirmed() > 0)
            deleted = data.obsolete;
        else
            std::cerr << "session-cli config push: the obsolete messages were not deleted"
                      << (report ? std::string() : ": " + describe(report.error())) << '\n';
    }
    out["pushed"] = true;
    out["seqno"] = data.seqno;
    out["hash"] = receipt->hash;
    out["obsolete"] = deleted;
    print(out);
    return 0;
}

}  // namespace

int cmd_config(const std::vector<std::string>& words) {
    Args args(words, {"seed", "mnemonic", "kind", "json", "data", "network", "state"},
              {"no-pull"});
    if (args.positional().empty()) throw UsageError("missing 'encode', 'decode', 'push' or 'pull'");
    const auto& action = args.positional()[0];
    auto only = [&](std::initializer_list<const char*> allowed) {
        for (const char* flag : {"json", "data", "network", "state", "no-pull"})
            if (!args.all(flag).empty() &&
                std::none_of(allowed.begin(), allowed.end(),
                             [&](const char* a) { return std::string(a) == flag; }))
                throw UsageError("config " + action + " takes no --" + flag);
    };
    if (action == "encode") {
        only({"json"});
        return encode(args);
    }
    if (action == "decode") {
        only({"data"});
        return decode(args);
    }
    if (action != "push" && action != "pull")
        throw UsageError("unknown config action '" + action +
                         "' (expected encode, decode, push or pull)");
    try {
        if (action == "push") {
            only({"json", "network", "state", "no-pull"});
            return push(args);
        }
        only({"network", "state"});
        return pull(args);
    } catch (const NetworkError& e) {
        std::cerr << "session-cli config: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace st::cli
