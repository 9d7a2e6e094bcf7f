// Untrusted bytes → the strict bencode decoder (docs/config.md §1). Must never crash, and what it
// accepts must be canonical: re-encoding gives back exactly the input.
#include <cstdint>
#include <cstdlib>

#include "st/config/bencode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const st::ByteView in(data, size);
    auto v = st::config::bt::decode(in);
    if (!v) return 0;
    const auto out = st::config::bt::encode(*v);
    if (out != st::as_chars(in)) std::abort();
    return 0;
}
