#include "st/proto/padding.hpp"

#include "st/proto/errors.hpp"

namespace st::proto {

Bytes pad(ByteView content) {
    const std::size_t pad_len = kPaddingBlock - (content.size() + 1) % kPaddingBlock;
    Bytes out;
    out.reserve(content.size() + 1 + pad_len);
    out.assign(content.begin(), content.end());
    out.push_back(0x80);
    out.resize(out.size() + pad_len, 0x00);
    return out;
}

Result<ByteView> unpad(ByteView padded) {
    std::size_t end = padded.size();
    while (end > 0 && padded[end - 1] == 0x00) --end;
    if (end == 0)
        return fail(kErrBadPadding, padded.empty() ? "the decrypted message is empty"
                                                   : "the decrypted message is nothing but zeros");
    // The terminator goes; any other last byte means the sender did not pad (tolerated).
    if (padded[end - 1] == 0x80) --end;
    return padded.first(end);
}

}  // namespace st::proto
