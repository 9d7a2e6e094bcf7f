#include "writer.hpp"

#include "../net/guarded.hpp"

namespace st::app {

void Writer::write(std::vector<store::KvWrite> batch, Callback<> done) {
    if (batch.empty() && !done) return;
    // The store calls back from the Loop; `done` belongs to the caller, which guards itself.
    store_.write(std::move(batch),
                 [this, alive = std::weak_ptr<bool>(alive_), done = std::move(done)](Result<> r) {
                     if (!r && !alive.expired()) on_failure_(r.error());
                     if (done) done(std::move(r));
                 });
}

}  // namespace st::app
