// Untrusted bytes → Envelope parsing with the receiver's rules (protocol.md §3.6). Must never
// crash; an accepted Envelope must re-encode to one that parses to the same values.
#include <cstdint>
#include <cstdlib>

#include "st/proto/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto e = st::proto::decode_envelope(st::ByteView(data, size));
    if (!e) return 0;
    auto again = st::proto::decode_envelope(st::proto::encode_envelope(*e));
    if (!again || again->type != e->type || again->timestamp != e->timestamp ||
        again->content != e->content || again->pro_sig != e->pro_sig ||
        again->source != e->source || again->source_device != e->source_device ||
        again->server_timestamp != e->server_timestamp)
        std::abort();
    return 0;
}
