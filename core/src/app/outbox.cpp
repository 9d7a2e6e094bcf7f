#include "outbox.hpp"

#include "../net/guarded.hpp"

namespace st::app {

using net::detail::guarded;

Outbox::Outbox(Loop& loop, Writer& writer, records::Keys keys, std::chrono::milliseconds retry_min,
               std::chrono::milliseconds retry_max, Hooks hooks)
    : loop_(loop), writer_(writer), keys_(std::move(keys)), retry_min_(retry_min), retry_max_(retry_max),
      hooks_(std::move(hooks)) {}

Outbox::~Outbox() {
    if (retry_timer_) loop_.cancel(retry_timer_);
}

void Outbox::load(const std::vector<store::KvEntry>& entries) {
    for (const auto& e : entries) {
        auto entry = records::decode_outbox(e.value);
        if (!entry) continue;
        entries_.emplace(e.key, std::move(*entry));
    }
}

std::string Outbox::write(const records::OutboxEntry& entry, std::vector<store::KvWrite>& batch) const {
    auto key = keys_.outbox_entry(entry.sent_ms, entry.peer, records::kind_suffix(entry.kind));
    batch.push_back(store::KvWrite::put(key, records::encode(entry)));
    return key;
}

void Outbox::queue(std::string key, records::OutboxEntry entry) {
    entries_[std::move(key)] = std::move(entry);
    pump();
}

void Outbox::start() {
    started_ = true;
    pump();
}

void Outbox::retry_now() {
    if (retry_timer_) loop_.cancel(retry_timer_);
    retry_timer_ = 0;
    pump();
}

void Outbox::cancel(const std::function<bool(const records::OutboxEntry&)>& drop, std::vector<store::KvWrite>& batch) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (drop(it->second)) {
            batch.push_back(store::KvWrite::erase(it->first));
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
}

void Outbox::pump() {
    if (!started_ || paused_ || sending_ || retry_timer_ || entries_.empty()) return;
    const auto key = entries_.begin()->first;
    sending_ = true;
    hooks_.send(entries_.begin()->second,
                guarded(alive_, [this, key](Result<std::string> r) { on_done(key, std::move(r)); }));
}

void Outbox::on_done(const std::string& key, Result<std::string> result) {
    sending_ = false;
    auto it = entries_.find(key);
    if (it == entries_.end()) return pump();
    if (!result && result.error().transient()) {
        retry_delay_ = retry_delay_.count() == 0 ? retry_min_ : std::min(retry_delay_ * 2, retry_max_);
        hooks_.waiting(result.error());
        retry_timer_ = loop_.post_after(retry_delay_, guarded(alive_, [this] {
                                            retry_timer_ = 0;
                                            pump();
                                        }));
        return;
    }
    auto entry = std::move(it->second);
    entries_.erase(it);
    std::vector<store::KvWrite> batch;
    batch.push_back(store::KvWrite::erase(key));
    if (result) {
        retry_delay_ = std::chrono::milliseconds{0};
        hooks_.sent(entry, *result, batch);
    } else {
        hooks_.failed(entry, result.error(), batch);
    }
    writer_.write(std::move(batch));
    pump();
}

}  // namespace st::app
