// The state of one user config across merges and pushes (docs/config.md §6). The state machine
// (clean / dirty / waiting, obsolete hashes, which merge outcome replaces the current version)
// follows libsession-util src/config/base.cpp and src/config.cpp; the code is our own.
#include "st/config/base.hpp"

#include <algorithm>

#include "st/config/encrypt.hpp"

namespace st::config {

namespace {
constexpr std::int64_t kDumpVersion = 1;
}

KindInfo kind_info(ConfigKind kind) {
    switch (kind) {
        case ConfigKind::UserProfile: return {2, "UserProfile", SharedKind::UserProfile};
        case ConfigKind::Contacts: return {3, "Contacts", SharedKind::Contacts};
        case ConfigKind::ConvoInfoVolatile:
            return {4, "ConvoInfoVolatile", SharedKind::ConvoInfoVolatile};
        case ConfigKind::UserGroups: return {5, "UserGroups", SharedKind::UserGroups};
    }
    return {2, "UserProfile", SharedKind::UserProfile};
}

ConfigBase::ConfigBase(ConfigKind kind, crypto::Identity identity)
    : kind_(kind), identity_(std::move(identity)) {
    // The empty seqno-0 version every config starts from; its hash appears in the lagged diffs
    // of the first real version.
    id_.seqno = 0;
    id_.hash = hash_bytes(serialize_message(msg_));
}

Result<crypto::Identity> ConfigBase::identity_from_seed(Ed25519Seed seed) {
    // Session accounts are made from 16 random bytes padded with 16 zeros; the legacy wrapping
    // needs the account's Identity, which only exists for such seeds.
    if (!std::all_of(seed.begin() + 16, seed.end(), [](std::uint8_t b) { return b == 0; }))
        return fail(kErrBadSeed, "not a Session account seed (the last 16 bytes must be zero)");
    crypto::AccountSeed account{std::span<const std::uint8_t, 16>(seed.data(), 16)};
    return crypto::Identity::from_seed(account);
}

Result<ConfigBase> ConfigBase::create(ConfigKind kind, Ed25519Seed seed,
                                      std::optional<ByteView> dump) {
    auto id = identity_from_seed(seed);
    if (!id) return Unexpected<Error>(std::move(id).error());
    ConfigBase c(kind, std::move(*id));
    if (dump)
        if (auto r = c.load_dump(*dump); !r) return Unexpected<Error>(std::move(r).error());
    return c;
}

std::span<const std::uint8_t, 32> ConfigBase::key_base() const {
    return identity_.ed25519_secret().view().first<32>();
}

void ConfigBase::refresh_diff() {
    if (!mutable_) return;
    prune_data(msg_.data);
    msg_.diff = compute_diff(orig_data_, msg_.data);
}

Bytes ConfigBase::serialize() {
    refresh_diff();
    return serialize_message(msg_);
}

void ConfigBase::set_state(ConfigState s) {
    // Leaving a stored version: its message becomes obsolete once the next one is stored.
    if (state_ == ConfigState::Clean && !curr_hash_.empty()) {
        old_hashes_.insert(std::move(curr_hash_));
        curr_hash_.clear();
    }
    state_ = s;
    needs_dump_ = true;
}

void ConfigBase::make_dirty() {
    needs_dump_ = true;
    if (state_ == ConfigState::Dirty) return;
    set_state(ConfigState::Dirty);
    // Start the next version: the current one's diff joins the lagged diffs under its
    // (seqno, hash), and the new diff is computed against the current data.
    if (mutable_) id_.hash = hash_bytes(serialize());
    orig_data_ = msg_.data;
    for (auto it = msg_.lagged.begin(); it != msg_.lagged.end();) {
        if (it->first.seqno <= msg_.seqno - kLag || it->first.seqno >= msg_.seqno)
            it = msg_.lagged.erase(it);
        else
            ++it;
    }
    msg_.lagged.emplace(SeqHash{msg_.seqno, id_.hash}, std::move(msg_.diff));
    msg_.diff.clear();
    msg_.seqno += 1;
    id_ = SeqHash{msg_.seqno, Hash{}};
    mutable_ = true;
}

bool ConfigBase::set_data(bt::Dict data) {
    prune_data(data);
    if (data == msg_.data) return false;
    make_dirty();
    msg_.data = std::move(data);
    return true;
}

std::vector<std::string> ConfigBase::merge(std::span<const IncomingConfig> messages) {
    const auto info = kind_info(kind_);
    const std::int64_t old_seqno = msg_.seqno;
    std::vector<Bytes> plains;
    std::vector<std::string> hashes;
    // Our own version takes part as if it were stored (index 0), unless we hold nothing yet.
    const bool have_mine = old_seqno != 0 || state_ == ConfigState::Dirty;
    if (have_mine) {
        plains.push_back(serialize());
        hashes.push_back(curr_hash_);
    }
    for (const auto& in : messages) {
        // Wrapped (possibly twice, by one old client release), or raw: libsession-util
        // src/config/base.cpp tries to unwrap and falls back to the bytes as they are.
        ByteView raw = in.data;
        Bytes unwrapped;
        if (auto once = unwrap_config(identity_, raw, info.shared_kind)) {
            unwrapped = std::move(*once);
            if (auto twice = unwrap_config(identity_, unwrapped, info.shared_kind))
                unwrapped = std::move(*twice);
            raw = unwrapped;
        }
        auto plain = open_message(raw, key_base(), info.domain);
        if (!plain) continue;
        plains.push_back(std::move(*plain));
        hashes.push_back(in.hash);
    }
    if (plains.empty()) return {};

    std::vector<ByteView> views(plains.begin(), plains.end());
    auto merged = merge_messages(views);
    if (!merged) return {};  // nothing parsed (and we hold nothing): no change

    const std::size_t first_incoming = have_mine ? 1 : 0;
    std::vector<std::string> accepted;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        const bool bad =
            std::find(merged->bad.begin(), merged->bad.end(), i) != merged->bad.end();
        if (bad) continue;  // not understood: maybe a future format, leave it in the swarm
        if (i >= first_incoming) accepted.push_back(hashes[i]);
        // Everything superseded by the outcome is obsolete, except the version we become.
        if (merged->unmerged_index != i && !hashes[i].empty() &&
            old_hashes_.insert(hashes[i]).second)
            needs_dump_ = true;
    }

    if (merged->merged) {
        // A new version combining several. If we had unpushed changes they are in it, and its
        // diff counts from the merged data; otherwise, as libsession-util does, it is diffed
        // against nothing (the whole data is its diff).
        const bool was_dirty = state_ == ConfigState::Dirty;
        msg_ = std::move(merged->message);
        id_ = merged->id;
        mutable_ = true;
        orig_data_ = was_dirty ? msg_.data : bt::Dict{};
        set_state(ConfigState::Dirty);
    } else if (have_mine && merged->unmerged_index == 0) {
        // Ours already contains everything.
    } else if (merged->id.seqno != old_seqno || !have_mine) {
        if (merged->id.seqno == old_seqno && !have_mine && old_seqno == 0 &&
            merged->message.data.empty())
            return accepted;  // an empty seqno-0 message: nothing to become
        const std::size_t i = *merged->unmerged_index;
        msg_ = std::move(merged->message);
        id_ = merged->id;
        mutable_ = false;
        orig_data_.clear();
        set_state(ConfigState::Clean);
        curr_hash_ = hashes[i];
    }
    // The stored copy of the version we hold is never obsolete (it may have been retrieved
    // again, or be a duplicate of our own).
    if (!curr_hash_.empty()) old_hashes_.erase(curr_hash_);
    return accepted;
}

Result<PushData> ConfigBase::push(std::int64_t now_ms) {
    before_push(now_ms);
    const auto info = kind_info(kind_);
    auto sealed = seal_message(serialize(), key_base(), info.domain);
    if (!sealed) return Unexpected<Error>(std::move(sealed).error());
    auto wrapped = wrap_config(identity_, *sealed, msg_.seqno, info.shared_kind);
    if (!wrapped) return Unexpected<Error>(std::move(wrapped).error());
    if (wrapped->size() > kMaxMessageSize)
        return fail(kErrTooLarge, "the config is " + std::to_string(wrapped->size()) +
                                      " bytes, over the storage limit of 76800");
    PushData out;
    out.seqno = msg_.seqno;
    out.data = std::move(*wrapped);
    if (state_ == ConfigState::Dirty) set_state(ConfigState::Waiting);
    out.obsolete.assign(old_hashes_.begin(), old_hashes_.end());
    if (!old_hashes_.empty()) needs_dump_ = true;
    old_hashes_.clear();
    return out;
}

void ConfigBase::confirm_pushed(std::int64_t seqno, std::string_view hash) {
    if (state_ != ConfigState::Waiting || seqno != msg_.seqno) return;
    set_state(ConfigState::Clean);
    curr_hash_ = std::string(hash);
    old_hashes_.erase(curr_hash_);
}

std::vector<std::string> ConfigBase::current_hashes() const {
    if (curr_hash_.empty()) return {};
    return {curr_hash_};
}

// Dump: d 1:! i<state>e 1:$ <message> 1:( <current hash> 1:) l<old hashes>e
//         [1:h 32:<hash of the version as stored>] [1:o d<data the diff counts from>e] 1:v i1e e
Bytes ConfigBase::dump() {
    bt::Dict d;
    d.emplace("!", bt::Value(static_cast<std::int64_t>(state_)));
    const Bytes serialized = serialize();
    d.emplace("$", bt::Value(std::string(serialized.begin(), serialized.end())));
    d.emplace("(", bt::Value(curr_hash_));
    bt::List old;
    for (const auto& h : old_hashes_) old.emplace_back(h);
    d.emplace(")", bt::Value(std::move(old)));
    if (mutable_)
        d.emplace("o", bt::Value(orig_data_));
    else
        d.emplace("h", bt::Value(std::string(id_.hash.begin(), id_.hash.end())));
    d.emplace("v", bt::Value(kDumpVersion));
    needs_dump_ = false;
    return bt::encode_bytes(bt::Value(std::move(d)));
}

Result<void> ConfigBase::load_dump(ByteView dump) {
    auto bad = [](std::string why) { return fail(kErrBadDump, "not a config dump: " + why); };
    auto decoded = bt::decode(dump);
    if (!decoded) return bad(decoded.error().message);
    const auto* d = decoded->as_dict();
    if (!d) return bad("not a dict");
    auto get = [&](const char* k) -> const bt::Value* {
        auto it = d->find(k);
        return it == d->end() ? nullptr : &it->second;
    };
    const auto* version = get("v");
    if (!version || !version->as_int() || *version->as_int() != kDumpVersion)
        return bad("unknown version");
    const auto* state = get("!");
    const auto* message = get("$");
    const auto* curr = get("(");
    const auto* old = get(")");
    if (!state || !state->as_int() || *state->as_int() < 0 || *state->as_int() > 2 || !message ||
        !message->as_string() || !curr || !curr->as_string() || !old || !old->as_list())
        return bad("fields missing");
    auto parsed = parse_message(as_bytes(*message->as_string()));
    if (!parsed) return bad(parsed.error().message);
    Message m = std::move(*parsed);
    SeqHash id{m.seqno, Hash{}};
    bool is_mutable = false;
    bt::Dict orig;
    if (const auto* o = get("o")) {
        if (!o->as_dict()) return bad("bad original data");
        is_mutable = true;
        orig = *o->as_dict();
    } else if (const auto* h = get("h"); h && h->as_string() && h->as_string()->size() == 32) {
        std::copy(h->as_string()->begin(), h->as_string()->end(), id.hash.begin());
    } else {
        return bad("bad hash");
    }
    std::set<std::string> old_hashes;
    for (const auto& v : *old->as_list()) {
        if (!v.as_string()) return bad("bad obsolete hash");
        old_hashes.insert(*v.as_string());
    }
    msg_ = std::move(m);
    id_ = id;
    mutable_ = is_mutable;
    orig_data_ = std::move(orig);
    state_ = static_cast<ConfigState>(*state->as_int());
    curr_hash_ = *curr->as_string();
    old_hashes_ = std::move(old_hashes);
    needs_dump_ = false;
    return {};
}

}  // namespace st::config
