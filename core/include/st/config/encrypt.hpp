// Encryption of config messages (docs/config.md §4): every config is encrypted to the account
// itself with a key and nonce derived deterministically, so that pushing the same content twice
// stores the same bytes.
//
//   plain  = [ 0x00 × n ] || body        left-padded to padded_size(len(body)) bytes, where body
//                                        is the bencoded message, or 'z' || zstd frame if smaller
//   K      = BLAKE2b-256( key_base (32) || BE64(len(plain)) || domain )
//   nonce  = BLAKE2b-192( plain, key = "libsessionutil-config-encrypted-" || domain )
//   stored = XChaCha20-Poly1305-IETF(K, nonce, plain) || nonce          (len(plain) + 40)
//
// key_base is the account's 32-byte Ed25519 seed; domain is the config's name ("UserProfile").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::config {

inline constexpr std::size_t kEncryptOverhead = 40;  // 16-byte MAC + 24-byte nonce
// A storage server refuses larger messages (76,800 bytes before base64).
inline constexpr std::size_t kMaxMessageSize = 76800;

inline constexpr std::string_view kErrDecrypt = "config.decrypt_failed";
inline constexpr std::string_view kErrBadDomain = "config.bad_domain";
inline constexpr std::string_view kErrEmpty = "config.empty";
inline constexpr std::string_view kErrMultipart = "config.multipart_unsupported";
inline constexpr std::string_view kErrDecompress = "config.decompress_failed";

using KeyBase = std::span<const std::uint8_t, 32>;

// The size a message of `size` bytes is padded to so that size + overhead is a multiple of a
// chunk: 256 bytes below 5 KiB, 1 KiB below 20 KiB, 2 KiB below 40 KiB, 5 KiB above.
std::size_t padded_size(std::size_t size, std::size_t overhead = kEncryptOverhead);

// Encrypts `plain` as laid out above. Errors: config.bad_domain (not 1–24 bytes).
Result<Bytes> encrypt(ByteView plain, KeyBase key_base, std::string_view domain);

// Errors: config.bad_domain, config.decrypt_failed (too short, or the MAC does not verify:
// another key, another domain, or tampered).
Result<Bytes> decrypt(ByteView stored, KeyBase key_base, std::string_view domain);

// The whole write path of a serialized message: compress when smaller, pad, encrypt.
Result<Bytes> seal_message(ByteView serialized, KeyBase key_base, std::string_view domain);

// The whole read path: decrypt, strip the leading zero padding, decompress a 'z' body (refusing
// more than st/config/compress.hpp's kMaxDecompressedConfig). Output: the bencoded message.
// Errors: config.decrypt_failed, config.empty (nothing but padding), config.multipart_unsupported
// ('m': announced by libsession-util, never written), config.decompress_failed.
Result<Bytes> open_message(ByteView stored, KeyBase key_base, std::string_view domain);

}  // namespace st::config
