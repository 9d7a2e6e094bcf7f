// The "session protocol" box of 1:1 messages (protocol.md §3.3–3.4): the sender signs the message
// together with both parties' keys, then seals message, key and signature to the recipient with
// libsodium's anonymous sealed box. The receiver learns who sent it only from the signature inside.
//
// Byte layout (M = the padded Content, A = sender's Ed25519 public key, Y = recipient's X25519
// public key, without the 05 prefix):
//
//   SIG = Ed25519_sign_detached(M || A || Y, sender ed25519 secret key)      64 bytes
//   I   = M || A || SIG                                                      len(M) + 96
//   C   = crypto_box_seal(I, Y) = E || crypto_box_easy(I, nonce, Y, e)       len(M) + 144
//         with (E, e) a fresh X25519 key pair and nonce = BLAKE2b-192(E || Y)
//
// Y is signed but not sent: a box re-sealed to someone else no longer verifies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/keys.hpp"
#include "st/crypto/session_id.hpp"

namespace st::crypto::session_box {

inline constexpr std::size_t kSignatureBytes = 64;
// Sealed-box overhead (ephemeral key 32 + MAC 16) plus the sender key and the signature.
inline constexpr std::size_t kOverhead = 32 + 16 + 32 + kSignatureBytes;  // 144
inline constexpr std::size_t kMinCiphertext = kOverhead;                  // an empty message

// Error code of seal(): the recipient key is a point of small order (a 05 ID made of arbitrary
// hex), with which X25519 yields no secret.
inline constexpr std::string_view kErrBadRecipientKey = "session_box.bad_recipient_key";
// Error codes of open().
inline constexpr std::string_view kErrTooShort = "session_box.too_short";
inline constexpr std::string_view kErrNotForUs = "session_box.not_for_us";
inline constexpr std::string_view kErrBadSignature = "session_box.bad_signature";
inline constexpr std::string_view kErrBadSenderKey = "session_box.bad_sender_key";

// Signs and seals `message` from `sender` to `recipient` with a fresh ephemeral key (production).
// Inputs: any message (the caller pads it first, see st/proto/padding.hpp).
// Output: len(message) + 144 bytes, laid out as above.
// Errors: session_box.bad_recipient_key.
Result<Bytes> seal(const Identity& sender, const X25519PublicKey& recipient, ByteView message);

// The same wire format with the ephemeral key derived from the inputs, so the output is a pure
// function of them (libsession's encrypt_for_recipient_deterministic). For known-answer tests and
// reproducible fixtures only: sealing the same message twice gives the same bytes.
//   seed   = BLAKE2b-256(key = "SessionBoxEphemeralHashKey", ed25519 seed (32) || Y || M)
//   (E, e) = crypto_box_seed_keypair(seed)
Result<Bytes> seal_deterministic(const Identity& sender, const X25519PublicKey& recipient,
                                 ByteView message);

struct Opened {
    Bytes message;                    // M, still padded
    Ed25519PublicKey sender_ed25519;  // A, checked by the signature
    SessionId sender;                 // 05 || X25519(A)
};

// Opens a box addressed to `me` and checks its signature against our own X25519 key.
// Errors (the message never contains key material):
//   session_box.too_short        fewer than 144 bytes: cannot be a box
//   session_box.not_for_us       the sealed box does not open with our key (sealed to someone
//                                else, or corrupted)
//   session_box.bad_signature    opened, but the signature does not verify (tampered or re-sealed)
//   session_box.bad_sender_key   the sender key has no X25519 form (small-order point)
Result<Opened> open(const Identity& me, ByteView ciphertext);

// A 64-byte stand-in for Envelope.proSig when the sender has no Session Pro key, so that Pro and
// non-Pro envelopes look alike (protocol.md §3.5): R || s with R = r·B for a random scalar r and s
// another random scalar — shaped like an Ed25519 signature, verifiable by no key.
std::array<std::uint8_t, 64> decoy_pro_signature();

}  // namespace st::crypto::session_box
