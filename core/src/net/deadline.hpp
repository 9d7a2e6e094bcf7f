// Private to core/src/net: a transport request with a deadline kept by the Loop. Transports are
// supposed to honour HttpRequest::timeout, but a guard that never answers must never leave the
// client waiting forever, whatever the host's transport does: when the Loop timer fires first the
// request is cancelled and the callback gets net.timeout. Exactly one of the two outcomes reaches
// `done`, always from the Loop.
#pragma once

#include <memory>

#include "st/base/loop.hpp"
#include "st/net/transport.hpp"

namespace st::net::detail {

// `owner_alive` is the caller's liveness token: once it expires the timer no longer touches the
// transport (which the owner's contract only keeps alive as long as the owner).
RequestId send_with_deadline(Loop& loop, Transport& transport,
                             const std::shared_ptr<bool>& owner_alive, HttpRequest request,
                             Callback<HttpResponse> done);

}  // namespace st::net::detail
