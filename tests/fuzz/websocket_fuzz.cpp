// Untrusted bytes (a retrieved message, base64-decoded) → WebSocketMessage unwrapping, then the
// Envelope inside it. Must never crash; a body that unwraps must wrap and unwrap to itself.
#include <cstdint>
#include <cstdlib>

#include "st/proto/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const st::ByteView input(data, size);
    auto body = st::proto::unwrap_websocket_request(input);
    if (!body) return 0;
    auto again = st::proto::unwrap_websocket_request(st::proto::wrap_websocket_request(*body));
    if (!again || *again != *body) std::abort();
    (void)st::proto::decode_envelope(*body);
    return 0;
}
