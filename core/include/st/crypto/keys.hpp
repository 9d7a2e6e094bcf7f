// Strong types for Session's key material (protocol.md §1.2). Public keys are plain values that
// can be printed; secret keys live in st::Secret and zero themselves.
//
//   Ed25519 public key   32 bytes   signs messages and requests
//   Ed25519 secret key   64 bytes   libsodium form: seed32 || public key
//   X25519 public key    32 bytes   encryption key; "05" || hex(it) is the Session ID
//   X25519 secret key    32 bytes   clamped first half of SHA-512(seed32)
#pragma once

#include <array>
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "st/base/bytes.hpp"
#include "st/base/secret.hpp"

namespace st::crypto {

// A fixed-size public value with a distinct type per role, so an Ed25519 key can never be passed
// where an X25519 key is expected.
template <class Tag, std::size_t N>
struct PublicBytes {
    static constexpr std::size_t size_bytes = N;
    std::array<std::uint8_t, N> bytes{};

    static PublicBytes from(std::span<const std::uint8_t, N> b) {
        PublicBytes k;
        std::copy(b.begin(), b.end(), k.bytes.begin());
        return k;
    }
    // Errors: "<what>.bad_length" plus the hex errors.
    static Result<PublicBytes> from_hex(std::string_view hex) {
        auto raw = st::from_hex(hex);
        if (!raw) return Unexpected<Error>(std::move(raw).error());
        if (raw->size() != N)
            return fail("key.bad_length", "expected " + std::to_string(N) + " bytes, got " +
                                              std::to_string(raw->size()));
        return from(std::span<const std::uint8_t, N>(raw->data(), N));
    }

    ByteView view() const { return bytes; }
    std::string hex() const { return to_hex(bytes); }
    // (Emscripten 3.1.6's libc++ has no operator<=> for std::array, so spell out == and <.)
    bool operator==(const PublicBytes&) const = default;
    bool operator<(const PublicBytes& o) const {
        return std::lexicographical_compare(bytes.begin(), bytes.end(), o.bytes.begin(), o.bytes.end());
    }
};

struct Ed25519PublicTag {};
struct X25519PublicTag {};
using Ed25519PublicKey = PublicBytes<Ed25519PublicTag, 32>;
using X25519PublicKey = PublicBytes<X25519PublicTag, 32>;

using Ed25519SecretKey = Secret<64>;
using X25519SecretKey = Secret<32>;

// The 16 random bytes an account is made from; its recovery phrase encodes exactly these.
using AccountSeed = Secret<16>;

// Makes libsodium ready (idempotent, cheap after the first call). Every entry point of the core
// that uses libsodium calls it, so hosts do not have to remember.
void ensure_sodium_ready();

}  // namespace st::crypto
