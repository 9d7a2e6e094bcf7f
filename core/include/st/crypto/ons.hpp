// ONS (Oxen Name Service) names for Session: a human-readable name registered on the Oxen chain
// that maps to a Session ID (protocol.md §5.4.11). Looking one up is three steps:
//
//   1. normalise the name as the official clients do: lower-case ASCII, 1..64 characters of
//      a-z 0-9 _ -, no '-' at either end (normalize_ons_name);
//   2. ask service nodes `oxend_request` `ons_resolve` with name_hash = base64(BLAKE2b-256(name))
//      (ons_name_hash_b64; the request itself is st/rpc/requests.hpp's ons_resolve);
//   3. open the answer: XChaCha20-Poly1305 (IETF, no additional data) with
//        key = BLAKE2b-256(message = name, key = BLAKE2b-256(name))
//      and the 24-byte nonce the node returns; the plaintext is the 33-byte Session ID
//      (decrypt_ons_value).
//
// Sources (facts only; this is our own code): libsession-util src/session_encrypt.cpp
// `decrypt_ons_response` and its vector in tests/test_session_encrypt.cpp; session-desktop
// ts/session/apis/snode_api/onsResolve.ts (name rule, request, reading `encrypted_value`/`nonce`);
// oxen-core src/ons_core.cpp `validate_ons_name` (64-character limit, allowed characters).
//
// Values registered before oxen hard fork 16 used Argon2id + secretbox and come without a nonce.
// session-desktop dropped support for them ("we dropped support for argon2 based ons"), and an
// Argon2id MODERATE derivation needs 256 MiB, too much for a browser tab: such answers are
// reported as kOnsBadAnswer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/session_id.hpp"

namespace st::crypto {

// Error codes of ONS lookups (shared by st::net::Network::resolve_ons).
inline constexpr std::string_view kOnsInvalidName = "ons.invalid_name";
inline constexpr std::string_view kOnsNotFound = "ons.not_found";
inline constexpr std::string_view kOnsBadAnswer = "ons.bad_answer";
inline constexpr std::string_view kOnsDisagreement = "ons.disagreement";

// The sentence shown when no Session ID is registered for a name.
inline constexpr std::string_view kOnsNotFoundMessage = "No Session ID is registered for that name.";

inline constexpr std::size_t kOnsNameMaxLength = 64;        // oxen-core SESSION_DISPLAY_NAME_MAX
inline constexpr std::size_t kOnsNonceBytes = 24;           // XChaCha20 nonce
inline constexpr std::size_t kOnsCiphertextBytes = 33 + 16;  // Session ID + Poly1305 tag

// The lower-cased name, or kOnsInvalidName with a sentence saying what is wrong. The input is
// taken as typed: surrounding white space is not trimmed (a caller reading a text field trims).
// Only ASCII letters are lower-cased: any other byte is not an allowed character anyway.
Result<std::string> normalize_ons_name(std::string_view name);

// BLAKE2b-256 of the (already normalised) name, and its padded base64 form (44 characters) as
// sent in the `name_hash` parameter.
std::array<std::uint8_t, 32> ons_name_hash(std::string_view lower_name);
std::string ons_name_hash_b64(std::string_view lower_name);

// The key that opens a name's value: BLAKE2b-256(name) keyed with BLAKE2b-256(name).
std::array<std::uint8_t, 32> ons_value_key(std::string_view lower_name);

// Opens an `encrypted_value` for `lower_name`. Errors (kOnsBadAnswer): a ciphertext that is not
// exactly 49 bytes, a nonce that is not 24 bytes, a failed authentication (tampered, or the value
// of another name), a plaintext that is not a 05 Session ID.
Result<SessionId> decrypt_ons_value(std::string_view lower_name, ByteView ciphertext,
                                    ByteView nonce);

}  // namespace st::crypto
