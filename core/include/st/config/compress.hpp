// zstd frames for config messages. The official clients compress a config's bencoded data with
// zstd level 1 whenever that is smaller (then prefix it with 'z', docs/config.md), so every
// Contacts and ConvoInfoVolatile message in practice is compressed: both directions are needed.
// Built from Debian's zstd source package for the native and the wasm build alike.
#pragma once

#include <cstddef>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::config {

// The largest decompressed config we accept. A config message is at most a few hundred KB
// (a storage server refuses messages over 76,800 bytes before base64); a frame that claims or
// produces more is a decompression bomb and is refused without allocating it.
inline constexpr std::size_t kMaxDecompressedConfig = 4 * 1024 * 1024;

// One zstd frame at compression level 1 (what libsession-util writes), with the content size in
// the frame header.
Bytes zstd_compress(ByteView data);

// Decompresses exactly one complete zstd frame (trailing bytes are an error). Errors:
// "zstd.malformed" (not a valid frame, truncated, checksum mismatch), "zstd.too_large" (more
// than max_size bytes would come out).
Result<Bytes> zstd_decompress(ByteView frame, std::size_t max_size = kMaxDecompressedConfig);

}  // namespace st::config
