// Message padding (protocol.md §3.2): the serialized Content is padded before encryption, so a
// ciphertext reveals only its length in 160-byte blocks.
//
//   P = Content || 0x80 || 0x00 × pad      with pad = 160 − ((len + 1) mod 160), 1 ≤ pad ≤ 160
//
// len(P) is always a multiple of 160 and at least len + 2: a Content of 158 bytes pads to 160,
// one of 159 bytes to 320 (libsession's rule; older clients produced 160k − 1 bytes instead).
#pragma once

#include <cstddef>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::proto {

inline constexpr std::size_t kPaddingBlock = 160;

// Inputs: any bytes. Output: the padded bytes (never fails).
Bytes pad(ByteView content);

// Removes padding, tolerating every form seen on the network: strips trailing 0x00 bytes, then
// one 0x80 terminator if that is what comes next. Input that ends in another byte is taken as
// unpadded (not every client pads), as libsession does.
// Output: a view into `padded` (no copy).
// Errors: proto.bad_padding when nothing but zeros is left (empty or all-zero input): no client
// produces that, and there would be no Content to read.
Result<ByteView> unpad(ByteView padded);

}  // namespace st::proto
