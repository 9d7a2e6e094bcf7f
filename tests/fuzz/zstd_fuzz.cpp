// Untrusted bytes → zstd_decompress (docs/config.md §4: a config message's body after 'z'). Must
// never crash, allocate beyond its limit or accept trailing bytes; what it accepts compresses
// and decompresses back to the same bytes. A small limit (64 KiB) keeps runs fast and makes the
// size checks reachable by short inputs.
#include <cstdint>
#include <cstdlib>

#include "st/config/compress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t kLimit = 64 * 1024;
    const st::ByteView in(data, size);
    auto out = st::config::zstd_decompress(in, kLimit);
    if (!out) return 0;
    if (out->size() > kLimit) std::abort();
    auto again = st::config::zstd_decompress(st::config::zstd_compress(*out), kLimit);
    if (!again || *again != *out) std::abort();
    return 0;
}
