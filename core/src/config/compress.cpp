// zstd frames for config messages, on zstd 1.5.4 from Debian's source package
// (tools/cmake/StDependencies.cmake). The decoder never trusts a frame's own claims about its
// size: the declared content size is checked against the limit before anything is decoded, and
// the output is produced in bounded steps, so a few bytes claiming (or expanding to) gigabytes
// cost at most the limit plus one step of memory.
#include "st/config/compress.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>

#include <zstd.h>
#include <zstd_errors.h>

namespace st::config {
namespace {

// What libsession-util's config compression uses (and the official clients with it).
constexpr int kLevel = 1;

// Output step of the streaming decoder, and the most reserved up front from a declared content
// size: a 20-byte frame claiming 4 MB must not cost 4 MB before it is found to be garbage.
constexpr std::size_t kStep = 64 * 1024;

// The decoder keeps a window of the frame's declared window size (up to 2^windowLog bytes), and
// allocates it at the frame header, before any data. Without a limit zstd accepts 2^27 (128 MB)
// by default. 2^23 covers the window of every standard level (1..19, lib/compress/clevels.h) even
// for input of unknown size; larger limits follow max_size (a window beyond the largest permitted
// output is never needed).
constexpr int kMinWindowLog = 23;

struct DCtxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

int window_log_for(std::size_t max_size) {
    const int needed = max_size <= 1 ? 0 : static_cast<int>(std::bit_width(max_size - 1));
    // The largest window this build can decode (2^30 in wasm32, 2^31 on 64-bit).
    const int most = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax).upperBound;
    return std::min(std::max(needed, kMinWindowLog), most);
}

Unexpected<Error> malformed(std::string what) {
    return fail("zstd.malformed", "not a valid zstd frame: " + std::move(what));
}

Unexpected<Error> too_large(std::size_t max_size) {
    return fail("zstd.too_large",
                "zstd frame decompresses to more than " + std::to_string(max_size) + " bytes");
}

}  // namespace

Bytes zstd_compress(ByteView data) {
    // ZSTD_compress writes the content size into the frame header (contentSizeFlag defaults to 1)
    // and no checksum, as libsession-util's ZSTD_compress call does.
    Bytes out(ZSTD_compressBound(data.size()));
    const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), kLevel);
    if (ZSTD_isError(n)) {
        // With a ZSTD_compressBound() destination the only failure left is running out of memory
        // for the compression context.
        throw std::bad_alloc();
    }
    out.resize(n);
    return out;
}

Result<Bytes> zstd_decompress(ByteView frame, std::size_t max_size) {
    if (frame.size() < 4) return malformed("shorter than a frame header");
    // Exactly one zstd frame: skippable frames (magic 0x184D2A5?) carry no data and are not
    // what a config message holds.
    const std::uint32_t magic = std::uint32_t{frame[0]} | std::uint32_t{frame[1]} << 8 |
                                std::uint32_t{frame[2]} << 16 | std::uint32_t{frame[3]} << 24;
    if (magic != ZSTD_MAGICNUMBER) return malformed("wrong magic number");

    const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR) return malformed("bad or truncated frame header");
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > max_size) return too_large(max_size);

    // Walks the block headers without decoding: finds truncation and trailing bytes up front.
    const std::size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
    if (ZSTD_isError(frame_size)) return malformed("truncated");
    if (frame_size != frame.size()) {
        return malformed(std::to_string(frame.size() - frame_size) + " trailing bytes");
    }

    std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
    if (!dctx) throw std::bad_alloc();
    ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, window_log_for(max_size));

    Bytes out;
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN) {
        out.reserve(static_cast<std::size_t>(std::min<unsigned long long>(declared, kStep)));
    }
    // One byte beyond max_size is room enough to see that a frame of unknown size is too large.
    const std::size_t cap =
        max_size == std::numeric_limits<std::size_t>::max() ? max_size : max_size + 1;
    ZSTD_inBuffer in{frame.data(), frame.size(), 0};
    for (;;) {
        const std::size_t before = out.size();
        const std::size_t room = std::min(kStep, cap - before);
        out.resize(before + room);
        ZSTD_outBuffer ob{out.data() + before, room, 0};
        const std::size_t in_before = in.pos;
        const std::size_t rc = ZSTD_decompressStream(dctx.get(), &ob, &in);
        out.resize(before + ob.pos);
        if (ZSTD_isError(rc)) {
            const auto code = ZSTD_getErrorCode(rc);
            if (code == ZSTD_error_frameParameter_windowTooLarge) return too_large(max_size);
            if (code == ZSTD_error_memory_allocation) throw std::bad_alloc();
            // The build strips zstd's error strings (tools/cmake/StDependencies.cmake): the
            // code, as numbered in zstd_errors.h, says which check failed.
            return malformed("decoder error " + std::to_string(static_cast<int>(code)));
        }
        if (out.size() > max_size) return too_large(max_size);
        if (rc == 0) break;  // the frame is complete (checksum checked when it has one)
        if (ob.pos < room && (in.pos == in.size || (ob.pos == 0 && in.pos == in_before))) {
            // Output space left but the decoder wants more input than the frame holds.
            return malformed("truncated");
        }
    }
    out.shrink_to_fit();
    return out;
}

}  // namespace st::config
