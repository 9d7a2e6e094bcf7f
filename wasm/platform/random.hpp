// Buffered randomness for libsodium in wasm. libsodium 1.0.18 built with Emscripten ignores
// randombytes_set_implementation and fills every randombytes_buf byte by byte, one JS call (and
// one crypto.getRandomValues of 4 bytes) per byte: ~170 calls per onion request. Linking
// st_wasm_random wraps randombytes_buf / randombytes_random / randombytes_uniform at link time
// (wasm-ld --wrap) so they draw from a 4 KiB pool refilled by one crypto.getRandomValues call;
// every byte handed out is zeroed in the pool at once. Nothing to call: linking is the wiring.
#pragma once

#include <cstddef>

namespace st::wasm {

// Pool size: one refill serves ~24 onion requests.
constexpr std::size_t kRandomPoolBytes = 4096;

// For checks: how many times the pool was refilled, and how many unread bytes it holds.
std::size_t random_pool_refills();
std::size_t random_pool_available();
// True when every byte of the pool already handed out is zero.
bool random_pool_consumed_bytes_are_zero();

}  // namespace st::wasm
