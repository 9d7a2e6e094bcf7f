// Untrusted decrypted bytes → unpadding (protocol.md §3.2). Must never crash; what it returns is a
// prefix of the input, and padding it again then unpadding gives it back.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "st/proto/padding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto content = st::proto::unpad(st::ByteView(data, size));
    if (!content) return 0;
    if (content->data() != data || content->size() > size) std::abort();
    const st::Bytes padded = st::proto::pad(*content);
    if (padded.size() % st::proto::kPaddingBlock != 0) std::abort();
    auto back = st::proto::unpad(padded);
    if (content->empty()) return 0;  // pad({}) is 0x80 + zeros: unpads to empty, also fine
    if (!back || back->size() != content->size() ||
        std::memcmp(back->data(), content->data(), content->size()) != 0)
        std::abort();
    return 0;
}
