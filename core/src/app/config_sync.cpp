#include "config_sync.hpp"

#include <algorithm>

#include "st/base/bytes.hpp"
#include "st/base/secret.hpp"
#include "../net/guarded.hpp"

namespace st::app {

using net::detail::guarded;

ConfigSync::ConfigSync(Env env, records::Keys keys) : env_(std::move(env)), keys_(std::move(keys)) {}

ConfigSync::~ConfigSync() {
    *alive_ = false;
    if (push_timer_) env_.loop.cancel(push_timer_);
}

template <class F>
void ConfigSync::for_each(F&& f) {
    // The order the official clients merge and push in: the profile first, then contacts, then
    // what refers to them.
    if (profile_) f(static_cast<config::ConfigBase&>(*profile_));
    if (contacts_) f(static_cast<config::ConfigBase&>(*contacts_));
    if (read_state_) f(static_cast<config::ConfigBase&>(*read_state_));
    if (groups_) f(static_cast<config::ConfigBase&>(*groups_));
}

config::ConfigBase* ConfigSync::by_namespace(rpc::Namespace ns) {
    config::ConfigBase* found = nullptr;
    for_each([&](config::ConfigBase& c) {
        if (c.storage_namespace() == ns) found = &c;
    });
    return found;
}

namespace {
template <class T>
std::optional<T> create_config(config::Ed25519Seed seed, const std::optional<Bytes>& dump) {
    if (dump) {
        auto loaded = T::create(seed, ByteView(*dump));
        if (loaded) return std::move(*loaded);
    }
    auto fresh = T::create(seed);
    if (!fresh) return std::nullopt;  // only for a seed that is not an account's: cannot happen
    return std::move(*fresh);
}
}  // namespace

void ConfigSync::load(const crypto::Identity& identity, const std::vector<store::KvEntry>& dumps) {
    auto dump_of = [&](const config::ConfigKind kind) -> std::optional<Bytes> {
        const auto key = keys_.config(config::kind_info(kind).storage_namespace);
        for (const auto& e : dumps)
            if (e.key == key) return e.value;
        return std::nullopt;
    };
    // The configs' key derivation uses the 32-byte Ed25519 seed: the account seed and 16 zeros
    // (protocol §1.1).
    Secret<32> seed;
    std::copy_n(identity.seed().data(), 16, seed.data());
    const config::Ed25519Seed view(seed.data(), 32);
    own_id_ = identity.session_id();
    profile_ = create_config<config::UserProfile>(view, dump_of(config::ConfigKind::UserProfile));
    contacts_ = create_config<config::Contacts>(view, dump_of(config::ConfigKind::Contacts));
    read_state_ = create_config<config::ConvoInfoVolatile>(view, dump_of(config::ConfigKind::ConvoInfoVolatile));
    groups_ = create_config<config::UserGroups>(view, dump_of(config::ConfigKind::UserGroups));
}

ConfigSync::Merged ConfigSync::merge(const std::vector<net::RetrievedItem>& items) {
    Merged merged;
    if (!loaded()) return merged;
    // Decoded once, kept alive while the configs read them.
    std::map<rpc::Namespace, std::vector<Bytes>> data;
    std::map<rpc::Namespace, std::vector<std::string>> hashes;
    for (const auto& item : items) {
        if (item.ns < 2 || item.ns > 5) continue;
        auto bytes = from_base64(item.data);
        if (!bytes) continue;  // a node's garbage: the other members hold the real message
        data[item.ns].push_back(std::move(*bytes));
        hashes[item.ns].push_back(item.hash);
    }
    for (const rpc::Namespace ns : {rpc::Namespace{2}, rpc::Namespace{3}, rpc::Namespace{4}, rpc::Namespace{5}}) {
        auto it = data.find(ns);
        if (it == data.end()) continue;
        auto* config = by_namespace(ns);
        if (!config) continue;
        std::vector<config::IncomingConfig> incoming;
        for (std::size_t i = 0; i < it->second.size(); ++i)
            incoming.push_back({hashes[ns][i], ByteView(it->second[i])});
        const auto before = config->data();
        const auto seqno = config->seqno();
        (void)config->merge(incoming);
        if (config->data() == before && config->seqno() == seqno) continue;
        if (ns == 2) merged.profile = true;
        if (ns == 3) merged.contacts = true;
        if (ns == 4) merged.read_state = true;
    }
    save_dumps();
    // A merge of concurrent versions leaves a config to push (the merged version, seqno + 1).
    schedule_push(kConfigPushDelay);
    return merged;
}

void ConfigSync::changed() {
    save_dumps();
    schedule_push(kConfigPushDelay);
}

void ConfigSync::save_dumps() {
    std::vector<store::KvWrite> batch;
    for_each([&](config::ConfigBase& c) {
        if (c.needs_dump()) batch.push_back(store::KvWrite::put(keys_.config(c.storage_namespace()), c.dump()));
    });
    if (!batch.empty()) env_.write(std::move(batch));
}

void ConfigSync::schedule_push(std::chrono::milliseconds delay) {
    if (paused_) return;
    bool due = false;
    for_each([&](config::ConfigBase& c) {
        if (c.needs_push() && !in_flight_.contains(c.storage_namespace())) due = true;
    });
    if (!due) return;
    if (push_timer_) env_.loop.cancel(push_timer_);
    push_timer_ = env_.loop.post_after(delay, guarded(alive_, [this] {
                                           push_timer_ = 0;
                                           push_now();
                                       }));
}

void ConfigSync::push_now() {
    if (paused_ || !loaded() || !own_id_ || !env_.sender()) return;
    for_each([&](config::ConfigBase& c) {
        if (c.needs_push() && !in_flight_.contains(c.storage_namespace())) push(c);
    });
}

void ConfigSync::push(config::ConfigBase& pushed) {
    const auto ns = pushed.storage_namespace();
    auto data = pushed.push(env_.now_ms());
    if (!data) return;  // too large to store: nothing we can send (config.too_large)
    save_dumps();       // "waiting for its hash" survives a reload: the push is repeated then
    auto& to_delete = obsolete_[ns];
    to_delete.insert(to_delete.end(), data->obsolete.begin(), data->obsolete.end());
    net::OutgoingMessage message(*own_id_, to_base64(data->data), ns);
    message.ttl_ms = kConfigTtlMs;
    in_flight_.insert(ns);
    const auto seqno = data->seqno;
    env_.sender()->send(std::move(message), guarded(alive_, [this, ns, seqno](Result<net::SendReceipt> r) {
        in_flight_.erase(ns);
        auto* config = by_namespace(ns);
        if (!config) return;
        if (!r) {
            schedule_push(kConfigPushRetry);
            return;
        }
        config->confirm_pushed(seqno, r->hash);
        save_dumps();
        auto obsolete = std::move(obsolete_[ns]);
        obsolete_.erase(ns);
        std::erase(obsolete, r->hash);
        if (!obsolete.empty()) env_.delete_hashes(std::move(obsolete));
        // Changed again while this push was on its way: the newer version goes next.
        schedule_push(kConfigPushDelay);
    }));
}

void ConfigSync::polled() {
    if (paused_ || !loaded()) return;
    const auto now = env_.now_ms();
    if (extended_ms_ && now - extended_ms_ < kConfigExtendEveryMs) return;
    std::vector<std::string> hashes;
    for_each([&](config::ConfigBase& c) {
        for (auto& h : c.current_hashes()) hashes.push_back(std::move(h));
    });
    if (hashes.empty()) return;
    extended_ms_ = now;
    env_.extend_hashes(std::move(hashes), now + kConfigTtlMs);
}

void ConfigSync::pause() {
    paused_ = true;
    if (push_timer_) env_.loop.cancel(push_timer_);
    push_timer_ = 0;
}

void ConfigSync::resume() {
    paused_ = false;
    schedule_push(kConfigPushDelay);
}

}  // namespace st::app
