// Checks the buffered randombytes (platform/random.hpp) under node: libsodium's randombytes_*
// really go through the pool, sizes across the pool's edges come out right and non-constant,
// handed-out bytes are zeroed, randombytes_uniform stays in range and hits every value, and
// libsodium still works on top of it (sealed box round trip, fresh key pairs differ).
// Exit status 0 = all good; each failure prints one line.
#include <sodium.h>

#include <array>
#include <cstdio>
#include <vector>

#include "platform/random.hpp"

namespace {

int g_failures = 0;

void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAIL: %s\n", what);
        ++g_failures;
    }
}

// A buffer of random bytes is not all one value and holds many distinct byte values.
bool looks_random(const std::vector<unsigned char>& v) {
    if (v.size() < 64) {
        for (std::size_t i = 1; i < v.size(); ++i)
            if (v[i] != v[0]) return true;
        return v.size() < 8;  // 8 equal random bytes: 2^-56
    }
    std::array<int, 256> seen{};
    for (auto b : v) seen[b] = 1;
    int distinct = 0;
    for (int s : seen) distinct += s;
    return distinct > 40;
}

}  // namespace

int main() {
    using st::wasm::random_pool_available;
    using st::wasm::random_pool_refills;
    check(sodium_init() >= 0, "sodium_init");

    const std::size_t refills_before = random_pool_refills();
    unsigned char small[32];
    randombytes_buf(small, sizeof small);
    check(random_pool_refills() == refills_before + (refills_before == 0 ? 1 : 0) ||
              random_pool_refills() == refills_before,
          "a small request refills at most once");
    check(random_pool_refills() >= 1, "randombytes_buf goes through the pool (wrapped)");
    check(st::wasm::random_pool_consumed_bytes_are_zero(), "handed-out bytes are zeroed");

    // Many small requests (an onion request's worth of nonces and keys) cost few refills.
    const std::size_t r0 = random_pool_refills();
    for (int i = 0; i < 1000; ++i) {
        unsigned char nonce[24];
        randombytes_buf(nonce, sizeof nonce);
    }
    check(random_pool_refills() - r0 <= 24000 / st::wasm::kRandomPoolBytes + 1,
          "1000 nonces take ~6 refills, not 24000 JS calls");
    check(st::wasm::random_pool_consumed_bytes_are_zero(), "zeroed after many requests");

    for (std::size_t size :
         {std::size_t{1}, std::size_t{7}, random_pool_available(), random_pool_available() + 1,
          st::wasm::kRandomPoolBytes - 1, st::wasm::kRandomPoolBytes,
          st::wasm::kRandomPoolBytes + 1, std::size_t{70000}, std::size_t{200000}}) {
        std::vector<unsigned char> a(size + 2, 0xAA);
        randombytes_buf(a.data() + 1, size);
        check(a.front() == 0xAA && a.back() == 0xAA, "no write outside the buffer");
        check(looks_random(std::vector<unsigned char>(a.begin() + 1, a.end() - 1)),
              "bytes look random");
    }
    unsigned char none[1] = {0x55};
    randombytes_buf(none, 0);  // zero bytes: nothing happens
    check(none[0] == 0x55, "a zero-byte request writes nothing");

    std::array<int, 10> hits{};
    for (int i = 0; i < 2000; ++i) {
        const std::uint32_t u = randombytes_uniform(10);
        check(u < 10, "uniform below its bound");
        if (u < 10) ++hits[u];
    }
    for (int h : hits) check(h > 100, "uniform hits every value");
    check(randombytes_uniform(1) == 0 && randombytes_uniform(0) == 0, "uniform of 0 and 1");
    std::uint32_t orr = 0, andr = 0xffffffffu;
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t r = randombytes_random();
        orr |= r;
        andr &= r;
    }
    check(orr == 0xffffffffu && andr == 0, "randombytes_random uses all 32 bits");

    // libsodium on top: two key pairs differ; a sealed box opens.
    unsigned char pk1[crypto_box_PUBLICKEYBYTES], sk1[crypto_box_SECRETKEYBYTES];
    unsigned char pk2[crypto_box_PUBLICKEYBYTES], sk2[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk1, sk1);
    crypto_box_keypair(pk2, sk2);
    check(sodium_memcmp(pk1, pk2, sizeof pk1) != 0, "fresh key pairs differ");
    const unsigned char msg[] = "hello";
    unsigned char sealed[sizeof msg + crypto_box_SEALBYTES];
    unsigned char opened[sizeof msg];
    crypto_box_seal(sealed, msg, sizeof msg, pk1);
    check(crypto_box_seal_open(opened, sealed, sizeof sealed, pk1, sk1) == 0 &&
              sodium_memcmp(opened, msg, sizeof msg) == 0,
          "sealed box round trip");

    std::printf("%s (%zu refills)\n", g_failures ? "FAILED" : "ok", random_pool_refills());
    return g_failures ? 1 : 0;
}
