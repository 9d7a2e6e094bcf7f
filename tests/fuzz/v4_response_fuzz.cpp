// Untrusted v4 server replies (protocol.md §6.6): bencoded l<len>:meta<len>:bodye, parsed
// directly and after a seal/open round trip with a fixed key. Whatever is accepted has a valid
// status code and a body no larger than the input.
#include <cstdint>
#include <cstdlib>

#include "st/onion/hop.hpp"
#include "st/onion/response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const st::ByteView in(data, size);
    auto direct = st::onion::parse_v4_response(in);
    if (direct) {
        if (direct->code < 100 || direct->code > 999) std::abort();
        if (direct->body.size() > size) std::abort();
    }
    st::onion::SymmetricKey key;
    key.data()[0] = 1;
    auto sealed = st::onion::encrypt(key, in);
    auto via_wire = st::onion::decode_v4_response(key, sealed);
    if (direct.has_value() != via_wire.has_value()) std::abort();
    (void)st::onion::decode_v4_response(key, in);  // raw garbage as ciphertext
    return 0;
}
