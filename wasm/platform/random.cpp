// Buffered randombytes for libsodium in wasm (see random.hpp). The wrappers replace libsodium's
// randombytes_buf/random/uniform for every caller outside libsodium's own randombytes.o (core,
// and libsodium's key generation, sealed boxes and nonces), via -Wl,--wrap in wasm/CMakeLists.txt.
#include "platform/random.hpp"

#include <emscripten.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace {

// Fills [ptr, ptr + size) from the platform's CSPRNG: crypto.getRandomValues (browsers, node 19+;
// at most 65536 bytes per call), else node's crypto.randomFillSync. No source: abort, as libsodium
// does; a messenger must never run on weak randomness.
// clang-format off
EM_JS(void, st_js_random_fill, (std::uint8_t* ptr, std::size_t size), {
    var c = typeof globalThis.crypto === 'object' ? globalThis.crypto : null;
    if (c && typeof c.getRandomValues === 'function') {
        for (var off = 0; off < size; off += 65536) {
            c.getRandomValues(HEAPU8.subarray(ptr + off, ptr + Math.min(size, off + 65536)));
        }
        return;
    }
    if (typeof require === 'function') {
        require('crypto').randomFillSync(HEAPU8.subarray(ptr, ptr + size));
        return;
    }
    abort('no secure random number generator');
});
// clang-format on

// Bytes [pos_, size) are unread; [0, pos_) were handed out and are zero.
struct Pool {
    alignas(16) std::array<std::uint8_t, st::wasm::kRandomPoolBytes> bytes{};
    std::size_t pos = st::wasm::kRandomPoolBytes;  // empty until first use
    std::size_t refills = 0;
};
Pool g_pool;

void refill() {
    st_js_random_fill(g_pool.bytes.data(), g_pool.bytes.size());
    g_pool.pos = 0;
    ++g_pool.refills;
}

void take(std::uint8_t* out, std::size_t size) {
    while (size > 0) {
        if (g_pool.pos == g_pool.bytes.size()) refill();
        const std::size_t n = std::min(size, g_pool.bytes.size() - g_pool.pos);
        std::memcpy(out, g_pool.bytes.data() + g_pool.pos, n);
        // A plain memset can be elided only if the pool is never read again; it is (next
        // refill overwrites it, checks read it), and it is a global, so the store stays.
        std::memset(g_pool.bytes.data() + g_pool.pos, 0, n);
        g_pool.pos += n;
        out += n;
        size -= n;
    }
}

}  // namespace

namespace st::wasm {

std::size_t random_pool_refills() { return g_pool.refills; }
std::size_t random_pool_available() { return g_pool.bytes.size() - g_pool.pos; }
bool random_pool_consumed_bytes_are_zero() {
    for (std::size_t i = 0; i < g_pool.pos; ++i)
        if (g_pool.bytes[i] != 0) return false;
    return true;
}

}  // namespace st::wasm

extern "C" {

void __wrap_randombytes_buf(void* buf, std::size_t size) {
    auto* out = static_cast<std::uint8_t*>(buf);
    // Large requests (attachments' keys are small; this is for bulk callers) go straight to the
    // platform: no point cycling them through the pool.
    if (size >= st::wasm::kRandomPoolBytes) {
        st_js_random_fill(out, size);
        return;
    }
    take(out, size);
}

std::uint32_t __wrap_randombytes_random() {
    std::uint8_t b[4];
    take(b, sizeof b);
    std::uint32_t r;
    std::memcpy(&r, b, sizeof r);
    std::memset(b, 0, sizeof b);
    return r;
}

// libsodium's own algorithm: reject values below 2^32 mod upper_bound, so r % upper_bound is
// uniform.
std::uint32_t __wrap_randombytes_uniform(const std::uint32_t upper_bound) {
    if (upper_bound < 2) return 0;
    const std::uint32_t min = (1U + ~upper_bound) % upper_bound;
    std::uint32_t r;
    do {
        r = __wrap_randombytes_random();
    } while (r < min);
    return r % upper_bound;
}

}  // extern "C"
