#include "message_store.hpp"

#include <algorithm>

#include "../net/guarded.hpp"

namespace st::app {
namespace {

using net::detail::guarded;

bool by_id(const MessageView& m, const std::string& id) { return m.id < id; }

}  // namespace

MessageStore::MessageStore(store::KvStore& store, Writer& writer, records::Keys keys,
                           std::function<void()> changed, std::size_t page_size)
    : store_(store), writer_(writer), keys_(std::move(keys)), changed_(std::move(changed)), page_size_(page_size) {}

MessageStore::~MessageStore() = default;

void MessageStore::open(const std::string& peer) {
    if (peer_ == peer) return;
    peer_ = peer;
    window_.clear();
    has_older_ = false;
    ++generation_;
    read_page({});
}

void MessageStore::close() {
    peer_.clear();
    window_.clear();
    window_.shrink_to_fit();
    has_older_ = false;
    loading_ = false;
    ++generation_;
}

void MessageStore::load_older() {
    if (peer_.empty() || loading_ || !has_older_ || window_.empty()) return;
    read_page(keys_.message(peer_, window_.front().id));
}

void MessageStore::read_page(std::string before) {
    loading_ = true;
    changed_();
    const auto prefix = keys_.messages(peer_);
    store_.scan(prefix, std::move(before), page_size_,
                guarded(alive_, [this, generation = generation_, prefix_size = prefix.size()](
                                    Result<std::vector<store::KvEntry>> r) {
                    if (generation != generation_) return;  // another conversation since
                    loading_ = false;
                    if (r) {
                        has_older_ = r->size() == page_size_;
                        merge_page(std::move(*r), prefix_size);
                    } else {
                        has_older_ = false;  // the store reported it (banner); keep what we have
                    }
                    changed_();
                }),
                store::ScanOrder::Descending);
}

void MessageStore::merge_page(std::vector<store::KvEntry> entries, std::size_t prefix_size) {
    for (auto& e : entries) {
        auto m = records::decode_message(e.key.substr(prefix_size), e.value);
        if (!m) continue;
        // A message added while the page was read is already in the window and newer: keep it.
        auto pos = std::lower_bound(window_.begin(), window_.end(), m->id, by_id);
        if (pos == window_.end() || pos->id != m->id) window_.insert(pos, std::move(*m));
    }
}

MessageView* MessageStore::find_open(const std::string& peer, const std::string& id) {
    if (peer != peer_) return nullptr;
    auto pos = std::lower_bound(window_.begin(), window_.end(), id, by_id);
    return pos != window_.end() && pos->id == id ? &*pos : nullptr;
}

void MessageStore::write(const std::string& peer, const MessageView& m, std::vector<store::KvWrite>& batch) const {
    batch.push_back(store::KvWrite::put(keys_.message(peer, m.id), records::encode(m)));
    if (m.expires_ms > 0 && m.kind == MessageKind::Text) {
        batch.push_back(store::KvWrite::put(keys_.expiry(m.expires_ms, peer, m.id), {}));
        if (expiry_hook_) expiry_hook_(m.expires_ms);
    }
}

void MessageStore::show(const std::string& peer, MessageView m) {
    if (peer != peer_) return;
    auto pos = std::lower_bound(window_.begin(), window_.end(), m.id, by_id);
    if (pos != window_.end() && pos->id == m.id) {
        *pos = std::move(m);
    } else if (pos != window_.begin() || !has_older_) {
        // Older than the whole window while older pages exist: it will come with its page.
        window_.insert(pos, std::move(m));
    }
    changed_();
}

void MessageStore::erase(const std::string& peer, const std::string& id, std::vector<store::KvWrite>& batch) {
    batch.push_back(store::KvWrite::erase(keys_.message(peer, id)));
    if (peer != peer_) return;
    auto pos = std::lower_bound(window_.begin(), window_.end(), id, by_id);
    if (pos != window_.end() && pos->id == id) {
        window_.erase(pos);
        changed_();
    }
}

void MessageStore::update(const std::string& peer, const std::string& id, std::function<bool(MessageView&)> change,
                          std::function<void(std::optional<MessageView>)> done) {
    if (auto* m = find_open(peer, id)) {
        MessageView copy = *m;
        if (!change(copy)) {
            if (done) done(std::nullopt);
            return;
        }
        std::vector<store::KvWrite> batch;
        put(peer, copy, batch);
        writer_.write(std::move(batch));
        if (done) done(copy);
        return;
    }
    store_.get(keys_.message(peer, id),
               guarded(alive_, [this, peer, id, change = std::move(change), done = std::move(done)](
                                   Result<std::optional<Bytes>> r) {
                   std::optional<MessageView> m;
                   if (r && *r) m = records::decode_message(id, **r);
                   // The window may have read it meanwhile: change that copy instead.
                   if (auto* open = find_open(peer, id)) m = *open;
                   if (!m || !change(*m)) {
                       if (done) done(std::nullopt);
                       return;
                   }
                   std::vector<store::KvWrite> batch;
                   put(peer, *m, batch);
                   writer_.write(std::move(batch));
                   if (done) done(std::move(m));
               }));
}

void MessageStore::put_if_absent(const std::string& peer, MessageView m, std::function<void(bool)> done) {
    if (find_open(peer, m.id)) return done(false);
    const auto key = keys_.message(peer, m.id);
    store_.get(key, guarded(alive_, [this, peer, m = std::move(m), done = std::move(done)](
                                        Result<std::optional<Bytes>> r) mutable {
        if (!r || *r || find_open(peer, m.id)) return done(false);
        std::vector<store::KvWrite> batch;
        put(peer, std::move(m), batch);
        writer_.write(std::move(batch));
        done(true);
    }));
}

void MessageStore::newest(const std::string& peer, std::function<void(std::optional<MessageView>)> done) {
    const auto prefix = keys_.messages(peer);
    store_.scan(prefix, {}, 1,
                guarded(alive_, [prefix_size = prefix.size(), done = std::move(done)](
                                    Result<std::vector<store::KvEntry>> r) {
                    if (!r || r->empty()) return done(std::nullopt);
                    done(records::decode_message(r->front().key.substr(prefix_size), r->front().value));
                }),
                store::ScanOrder::Descending);
}

void MessageStore::swarm_hashes(const std::string& peer, std::function<void(std::vector<std::string>)> done) {
    collect_hashes(keys_.messages(peer), {}, std::make_shared<std::vector<std::string>>(), std::move(done));
}

void MessageStore::collect_hashes(std::string prefix, std::string cursor,
                                  std::shared_ptr<std::vector<std::string>> out,
                                  std::function<void(std::vector<std::string>)> done) {
    constexpr std::size_t kPage = 500;
    store_.scan(prefix, cursor, kPage,
                guarded(alive_, [this, prefix, out, done = std::move(done)](Result<std::vector<store::KvEntry>> r) mutable {
                    if (!r || r->empty()) return done(std::move(*out));
                    for (const auto& e : *r) {
                        auto m = records::decode_message(e.key.substr(prefix.size()), e.value);
                        if (m && !m->swarm_hash.empty()) out->push_back(m->swarm_hash);
                    }
                    if (r->size() < kPage) return done(std::move(*out));
                    auto next = r->back().key;
                    collect_hashes(std::move(prefix), std::move(next), std::move(out), std::move(done));
                }));
}

void MessageStore::erase_all(const std::string& peer, Callback<> done) {
    if (peer == peer_) {
        window_.clear();
        has_older_ = false;
        changed_();
    }
    store_.erase_prefix(keys_.messages(peer), std::move(done));
}

}  // namespace st::app
