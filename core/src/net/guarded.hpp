// Private to core/src/net: callbacks that outlive their owner. Work handed to the Loop or a
// Transport may complete after the object that started it was destroyed; wrapping the
// continuation with guarded() turns it into a no-op in that case.
#pragma once

#include <memory>
#include <utility>

namespace st::net::detail {

template <class F>
auto guarded(const std::shared_ptr<bool>& alive, F f) {
    return [w = std::weak_ptr<bool>(alive), f = std::move(f)](auto&&... args) mutable {
        if (w.expired()) return;
        f(std::forward<decltype(args)>(args)...);
    };
}

}  // namespace st::net::detail
