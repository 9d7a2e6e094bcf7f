#include "st/app/kv_poll_state.hpp"

#include <charconv>

namespace st::app {
namespace {

constexpr std::size_t kScanPage = 1000;

Bytes encode_be64(std::int64_t v) {
    Bytes b(8);
    for (int i = 7; i >= 0; --i, v >>= 8) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    return b;
}

std::int64_t decode_be64(const Bytes& b) {
    if (b.size() != 8) return 0;
    std::uint64_t v = 0;
    for (auto x : b) v = v << 8 | x;
    return static_cast<std::int64_t>(v);
}

}  // namespace

KvPollStateStore::KvPollStateStore(Loop& loop, store::KvStore& store, std::string prefix)
    : loop_(loop), store_(store), prefix_(std::move(prefix)) {}

KvPollStateStore::~KvPollStateStore() {
    *alive_ = false;
    if (!pending_.empty()) store_.write(std::move(pending_), [](Result<>) {});
}

void KvPollStateStore::load(Callback<> done) {
    // last_hash entries are few (nodes × namespaces): one scan.
    store_.scan(prefix_ + "poll/last/", {}, 100000,
                [this, alive = alive_, done = std::move(done)](Result<std::vector<store::KvEntry>> r) mutable {
                    if (!*alive) return;
                    if (!r) return done(Unexpected<Error>(std::move(r).error()));
                    const auto base = prefix_ + "poll/last/";
                    for (auto& e : *r) {
                        // <node hex 64>/<namespace>
                        auto rest = std::string_view(e.key).substr(base.size());
                        if (rest.size() < 66 || rest[64] != '/') continue;
                        auto node = crypto::Ed25519PublicKey::from_hex(rest.substr(0, 64));
                        int ns = 0;
                        auto tail = rest.substr(65);
                        if (!node || std::from_chars(tail.data(), tail.data() + tail.size(), ns).ec != std::errc{})
                            continue;
                        memory_.set_last_hash(prefix_, *node, static_cast<rpc::Namespace>(ns),
                                              std::string(as_chars(e.value)));
                    }
                    load_seen({}, std::move(done));
                });
}

void KvPollStateStore::load_seen(std::string after, Callback<> done) {
    store_.scan(prefix_ + "poll/seen/", after, kScanPage,
                [this, alive = alive_, done = std::move(done)](Result<std::vector<store::KvEntry>> r) mutable {
                    if (!*alive) return;
                    if (!r) return done(Unexpected<Error>(std::move(r).error()));
                    const auto base = prefix_ + "poll/seen/";
                    for (auto& e : *r) {
                        auto hash = e.key.substr(base.size());
                        auto expiry = decode_be64(e.value);
                        memory_.mark_seen(hash, expiry);
                        expiry_[hash] = expiry;
                    }
                    if (r->size() == kScanPage) return load_seen(r->back().key, std::move(done));
                    done({});
                });
}

std::string KvPollStateStore::last_hash(std::string_view, const crypto::Ed25519PublicKey& node,
                                        rpc::Namespace ns) const {
    // One store per account: the account argument is implied by the prefix.
    return memory_.last_hash(prefix_, node, ns);
}

void KvPollStateStore::set_last_hash(std::string_view, const crypto::Ed25519PublicKey& node,
                                     rpc::Namespace ns, std::string hash) {
    queue(store::KvWrite::put(prefix_ + "poll/last/" + node.hex() + "/" + std::to_string(ns),
                              to_bytes(hash)));
    memory_.set_last_hash(prefix_, node, ns, std::move(hash));
}

bool KvPollStateStore::seen(std::string_view hash) const { return memory_.seen(hash); }

void KvPollStateStore::mark_seen(std::string hash, std::int64_t expiry_ms) {
    auto& stored = expiry_[hash];
    if (expiry_ms > stored) {
        stored = expiry_ms;
        queue(store::KvWrite::put(prefix_ + "poll/seen/" + hash, encode_be64(expiry_ms)));
    }
    memory_.mark_seen(std::move(hash), expiry_ms);
}

void KvPollStateStore::prune(std::int64_t now_ms) {
    memory_.prune(now_ms);
    for (auto it = expiry_.begin(); it != expiry_.end();) {
        if (it->second < now_ms) {
            queue(store::KvWrite::erase(prefix_ + "poll/seen/" + it->first));
            it = expiry_.erase(it);
        } else {
            ++it;
        }
    }
}

void KvPollStateStore::queue(store::KvWrite write) {
    pending_.push_back(std::move(write));
    if (flush_posted_) return;
    flush_posted_ = true;
    loop_.post([this, alive = alive_] {
        if (!*alive) return;
        flush_posted_ = false;
        store_.write(std::exchange(pending_, {}), [](Result<>) {
            // Best effort by design (see the header): a failed write costs only re-filtering.
        });
    });
}

}  // namespace st::app
