#include "deadline.hpp"

#include <string>

namespace st::net::detail {

namespace {
struct State {
    bool done = false;
    TimerId timer = 0;
    RequestId id = 0;
    Callback<HttpResponse> callback;
};
}  // namespace

RequestId send_with_deadline(Loop& loop, Transport& transport,
                             const std::shared_ptr<bool>& owner_alive, HttpRequest request,
                             Callback<HttpResponse> done) {
    auto state = std::make_shared<State>();
    state->callback = std::move(done);
    const auto timeout = request.timeout;
    std::weak_ptr<bool> alive = owner_alive;
    state->id = transport.send(std::move(request), [state, &loop, alive](Result<HttpResponse> r) {
        if (state->done) return;
        state->done = true;
        if (!alive.expired()) loop.cancel(state->timer);
        auto cb = std::move(state->callback);
        cb(std::move(r));
    });
    state->timer = loop.post_after(timeout, [state, &transport, alive, timeout]() {
        if (state->done || alive.expired()) return;
        state->done = true;
        transport.cancel(state->id);
        auto cb = std::move(state->callback);
        cb(fail(kTimeout, "no answer within " + std::to_string(timeout.count()) + " ms"));
    });
    return state->id;
}

}  // namespace st::net::detail
