// Private to core/src/app: every write of an account goes through one Writer, so a storage
// failure is always reported the same way (a banner with a sentence) and callers can wait for
// durability where it matters (a message is on screen only once it is stored: docs/storage.md).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "st/base/error.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class Writer {
public:
    Writer(store::KvStore& store, std::function<void(const Error&)> on_failure)
        : store_(store), on_failure_(std::move(on_failure)) {}

    // `done` (optional) runs once the batch is durable, or with the store's error. The failure
    // handler runs first either way.
    void write(std::vector<store::KvWrite> batch, Callback<> done = {});

private:
    store::KvStore& store_;
    std::function<void(const Error&)> on_failure_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
