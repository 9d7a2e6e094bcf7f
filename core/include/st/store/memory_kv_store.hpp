// MemoryKvStore: the KvStore held in memory. Used by tests, by native tools, and as the browser's
// "keep nothing" kiosk mode (closing the tab forgets everything). Values are copied in and out, so
// callers never share buffers with the store; erased or overwritten values are zeroed, because
// stored values include key material.
#pragma once

#include <map>

#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"

namespace st::store {

class MemoryKvStore final : public KvStore {
public:
    explicit MemoryKvStore(Loop& loop) : loop_(loop) {}
    ~MemoryKvStore() override;

    void get(std::string key, Callback<std::optional<Bytes>> done) override;
    void write(std::vector<KvWrite> batch, Callback<> done) override;
    void scan(std::string prefix, std::string cursor, std::size_t limit,
              Callback<std::vector<KvEntry>> done,
              ScanOrder order = ScanOrder::Ascending) override;
    void erase_prefix(std::string prefix, Callback<> done) override;

    std::size_t size() const { return entries_.size(); }
    // Makes every later call fail with this error until cleared (tests of storage failures).
    void fail_with(std::optional<Error> error) { failure_ = std::move(error); }

private:
    void erase_entry(std::map<std::string, Bytes>::iterator it);

    Loop& loop_;
    std::map<std::string, Bytes> entries_;
    std::optional<Error> failure_;
};

}  // namespace st::store
