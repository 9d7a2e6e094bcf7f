#include "st/store/memory_kv_store.hpp"

#include "st/base/secret.hpp"

namespace st::store {

MemoryKvStore::~MemoryKvStore() {
    for (auto& [key, value] : entries_) secure_zero(value.data(), value.size());
}

void MemoryKvStore::erase_entry(std::map<std::string, Bytes>::iterator it) {
    secure_zero(it->second.data(), it->second.size());
    entries_.erase(it);
}

void MemoryKvStore::get(std::string key, Callback<std::optional<Bytes>> done) {
    Result<std::optional<Bytes>> result = std::optional<Bytes>{};
    if (failure_) {
        result = Unexpected<Error>(*failure_);
    } else if (auto it = entries_.find(key); it != entries_.end()) {
        result = std::optional<Bytes>(it->second);
    }
    loop_.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void MemoryKvStore::write(std::vector<KvWrite> batch, Callback<> done) {
    Result<> result;
    if (failure_) {
        result = Unexpected<Error>(*failure_);
    } else {
        // Applied at once: nothing can observe a half-written batch in a single-threaded core.
        for (auto& w : batch) {
            auto it = entries_.find(w.key);
            if (w.value) {
                if (it != entries_.end()) {
                    secure_zero(it->second.data(), it->second.size());
                    it->second = std::move(*w.value);
                } else {
                    entries_.emplace(std::move(w.key), std::move(*w.value));
                }
            } else if (it != entries_.end()) {
                erase_entry(it);
            }
        }
    }
    loop_.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void MemoryKvStore::scan(std::string prefix, std::string cursor, std::size_t limit,
                         Callback<std::vector<KvEntry>> done, ScanOrder order) {
    Result<std::vector<KvEntry>> result = std::vector<KvEntry>{};
    if (failure_) {
        result = Unexpected<Error>(*failure_);
    } else if (order == ScanOrder::Ascending) {
        auto it = cursor.empty() || cursor < prefix ? entries_.lower_bound(prefix)
                                                    : entries_.upper_bound(cursor);
        for (; it != entries_.end() && result->size() < limit; ++it) {
            if (it->first.compare(0, prefix.size(), prefix) != 0) break;
            result->push_back({it->first, it->second});
        }
    } else {
        // Walk back from the first key past the range: the prefix's end, or the cursor if it
        // comes first (keys before the cursor, the cursor itself excluded).
        const std::string end = key::prefix_end(prefix);
        auto it = end.empty() ? entries_.end() : entries_.lower_bound(end);
        if (!cursor.empty() && (end.empty() || cursor < end)) it = entries_.lower_bound(cursor);
        while (it != entries_.begin() && result->size() < limit) {
            --it;
            if (it->first.compare(0, prefix.size(), prefix) != 0) break;
            result->push_back({it->first, it->second});
        }
    }
    loop_.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void MemoryKvStore::erase_prefix(std::string prefix, Callback<> done) {
    Result<> result;
    if (failure_) {
        result = Unexpected<Error>(*failure_);
    } else {
        auto it = entries_.lower_bound(prefix);
        while (it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
            auto next = std::next(it);
            erase_entry(it);
            it = next;
        }
    }
    loop_.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

}  // namespace st::store
