// The recovery phrase (protocol.md §2): the Monero/Electrum-style English word list of 1626 words
// with unique 3-letter prefixes.
//
//   each 4-byte little-endian chunk x  →  w1 = x mod N
//                                         w2 = (x / N + w1) mod N
//                                         w3 = (x / N² + w2) mod N
//   16 bytes → 12 words, then a checksum word: words[CRC-32(concatenated 3-letter prefixes) mod 12]
//
// Decoding looks words up by their first three letters, so "amazing" reads as "amaze" and a word
// may be typed as just its prefix; case and extra white space do not matter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "st/base/error.hpp"
#include "st/base/secret.hpp"
#include "st/crypto/keys.hpp"

namespace st::crypto::mnemonic {

inline constexpr std::size_t kWordCount = 1626;
inline constexpr std::size_t kPrefixLength = 3;
inline constexpr std::size_t kPhraseWords = 13;

// The word list in order; index i is the digit value i.
std::span<const std::string_view> english_words();

// Encodes bytes (length a multiple of 4) as words plus the checksum word, joined by single
// spaces. For an account seed: 13 words. The result is secret text.
SecretBytes encode(std::span<const std::uint8_t> bytes);
inline SecretBytes encode(const AccountSeed& seed) { return encode(seed.view()); }

// Decodes a 13-word phrase to the 16-byte account seed, as current Session clients require.
// Errors, each with a message naming the word and its position where there is one:
//   mnemonic.empty             no words at all
//   mnemonic.word_count        not 13 words (12 words: "the last word, the checksum, is missing")
//   mnemonic.unknown_word      a word whose first three letters match no word of the list
//   mnemonic.invalid_words     a triple of words that encodes no 32-bit value
//   mnemonic.checksum          the last word does not match the other twelve
Result<AccountSeed> decode_seed(std::string_view phrase);

// The 1-based position of the first word whose 3-letter prefix is not in the list, if any: lets a
// screen underline the word that decode_seed's "mnemonic.unknown_word" is about.
std::optional<std::size_t> first_unknown_word(std::string_view phrase);

// The general decoder: any number of words that is a multiple of 3 plus the checksum word (13 or
// 25 in practice); returns the bytes. Same errors as decode_seed.
Result<SecretBytes> decode(std::string_view phrase);

}  // namespace st::crypto::mnemonic
