#include "st/crypto/mnemonic.hpp"

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace st::crypto::mnemonic {
namespace {

// Generated at configure time from core/data/mnemonic_english.txt (see core/CMakeLists.txt).
constexpr std::string_view kEnglish[] = {
#include "mnemonic_english_words.inc"
};
static_assert(std::size(kEnglish) == kWordCount, "the English list has 1626 words");

constexpr std::uint32_t kN = kWordCount;

// CRC-32/ISO-HDLC (zlib's crc32): reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto kCrcTable = make_crc_table();

std::uint32_t crc32(std::string_view data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = kCrcTable[(c ^ b) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// The checksum word repeats one of the data words, chosen by the CRC of their 3-letter prefixes.
std::size_t checksum_index(const std::vector<std::uint16_t>& word_indices) {
    std::string prefixes;
    prefixes.reserve(word_indices.size() * kPrefixLength);
    for (auto i : word_indices) prefixes += kEnglish[i].substr(0, kPrefixLength);
    std::size_t index = crc32(prefixes) % word_indices.size();
    secure_zero(prefixes.data(), prefixes.size());
    return index;
}

// Prefix → word index. Every word of the list has a unique 3-letter prefix.
const std::unordered_map<std::string_view, std::uint16_t>& prefix_index() {
    static const auto table = [] {
        std::unordered_map<std::string_view, std::uint16_t> t;
        t.reserve(kWordCount);
        for (std::uint16_t i = 0; i < kWordCount; ++i) t.emplace(kEnglish[i].substr(0, kPrefixLength), i);
        return t;
    }();
    return table;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string ordinal_word(std::size_t position) { return "word " + std::to_string(position); }

// Splits the phrase on any run of white space and lower-cases ASCII letters. The words are kept in
// a SecretBytes so the phrase text is zeroed afterwards; `spans` index into it.
struct Words {
    SecretBytes text;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, length
    std::string_view at(std::size_t i) const { return text.str().substr(spans[i].first, spans[i].second); }
};

Words split_words(std::string_view phrase) {
    Words words;
    words.text = SecretBytes(phrase.size());
    std::size_t out = 0;
    std::size_t i = 0;
    while (i < phrase.size()) {
        while (i < phrase.size() && is_space(phrase[i])) ++i;
        std::size_t start = out;
        while (i < phrase.size() && !is_space(phrase[i])) {
            char c = phrase[i++];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            words.text.data()[out++] = static_cast<std::uint8_t>(c);
        }
        if (out > start) words.spans.emplace_back(start, out - start);
    }
    return words;
}

Result<SecretBytes> decode_words(const Words& words) {
    const std::size_t count = words.spans.size();
    const std::size_t data_words = count - 1;  // count ≥ 4 and count % 3 == 1 checked by callers

    std::vector<std::uint16_t> indices(count);
    const auto& table = prefix_index();
    for (std::size_t i = 0; i < count; ++i) {
        auto word = words.at(i);
        auto it = word.size() >= kPrefixLength ? table.find(word.substr(0, kPrefixLength)) : table.end();
        if (it == table.end())
            return fail("mnemonic.unknown_word",
                        ordinal_word(i + 1) + " is not in the recovery phrase word list");
        indices[i] = it->second;
    }

    SecretBytes out(data_words / 3 * 4);
    for (std::size_t t = 0; t < data_words / 3; ++t) {
        const std::uint64_t w1 = indices[3 * t], w2 = indices[3 * t + 1], w3 = indices[3 * t + 2];
        const std::uint64_t x = w1 + kN * ((kN - w1 + w2) % kN) + std::uint64_t(kN) * kN * ((kN - w2 + w3) % kN);
        // Three words can describe values up to N³ ≈ 4.3e9 > 2³²: such triples encode nothing.
        if (x >= (std::uint64_t(1) << 32) || x % kN != w1)
            return fail("mnemonic.invalid_words",
                        "words " + std::to_string(3 * t + 1) + " to " + std::to_string(3 * t + 3) +
                            " do not form a valid group; check them for typos");
        for (int b = 0; b < 4; ++b) out.data()[4 * t + b] = static_cast<std::uint8_t>(x >> (8 * b));
    }

    indices.pop_back();
    std::size_t expected = checksum_index(indices);
    bool ok = indices[expected] == prefix_index().at(words.at(count - 1).substr(0, kPrefixLength));
    secure_zero(indices.data(), indices.size() * sizeof(indices[0]));
    if (!ok)
        return fail("mnemonic.checksum",
                    "the last word does not match the other words: one of the words is wrong or "
                    "in the wrong place");
    return out;
}

}  // namespace

std::span<const std::string_view> english_words() { return kEnglish; }

SecretBytes encode(std::span<const std::uint8_t> bytes) {
    std::vector<std::uint16_t> indices;
    indices.reserve(bytes.size() / 4 * 3 + 1);
    for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
        const std::uint32_t x = std::uint32_t(bytes[i]) | std::uint32_t(bytes[i + 1]) << 8 |
                                std::uint32_t(bytes[i + 2]) << 16 | std::uint32_t(bytes[i + 3]) << 24;
        const std::uint32_t w1 = x % kN;
        const std::uint32_t w2 = (x / kN + w1) % kN;
        const std::uint32_t w3 = (x / kN / kN + w2) % kN;
        indices.push_back(static_cast<std::uint16_t>(w1));
        indices.push_back(static_cast<std::uint16_t>(w2));
        indices.push_back(static_cast<std::uint16_t>(w3));
    }
    SecretBytes phrase;
    if (indices.empty()) return phrase;
    indices.push_back(indices[checksum_index(indices)]);
    for (std::size_t i = 0; i < indices.size(); ++i) {
        if (i) phrase.append(" ");
        phrase.append(kEnglish[indices[i]]);
    }
    secure_zero(indices.data(), indices.size() * sizeof(indices[0]));
    return phrase;
}

std::optional<std::size_t> first_unknown_word(std::string_view phrase) {
    Words words = split_words(phrase);
    const auto& table = prefix_index();
    for (std::size_t i = 0; i < words.spans.size(); ++i) {
        auto word = words.at(i);
        if (word.size() < kPrefixLength || !table.count(word.substr(0, kPrefixLength))) return i + 1;
    }
    return std::nullopt;
}

Result<SecretBytes> decode(std::string_view phrase) {
    Words words = split_words(phrase);
    const std::size_t count = words.spans.size();
    if (count == 0) return fail("mnemonic.empty", "enter your recovery phrase");
    if (count < 4 || count % 3 != 1)
        return fail("mnemonic.word_count",
                    "a recovery phrase has a multiple of three words plus one checksum word; this "
                    "one has " + std::to_string(count));
    return decode_words(words);
}

Result<AccountSeed> decode_seed(std::string_view phrase) {
    Words words = split_words(phrase);
    const std::size_t count = words.spans.size();
    if (count == 0) return fail("mnemonic.empty", "enter your recovery phrase");
    if (count == kPhraseWords - 1)
        return fail("mnemonic.word_count",
                    "the recovery phrase has 12 words: the 13th, the checksum word, is missing");
    if (count != kPhraseWords)
        return fail("mnemonic.word_count", "a recovery phrase has 13 words; this one has " +
                                               std::to_string(count));
    auto bytes = decode_words(words);
    if (!bytes) return Unexpected<Error>(std::move(bytes).error());
    return AccountSeed(std::span<const std::uint8_t, 16>(bytes->data(), 16));
}

}  // namespace st::crypto::mnemonic
