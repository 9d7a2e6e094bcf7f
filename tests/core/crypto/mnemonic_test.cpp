// Recovery-phrase vectors from protocol.md §2 and §10.2.
#include "st/crypto/mnemonic.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>

namespace st::crypto::mnemonic {
namespace {

Bytes bytes_of(const char* hex) { return *from_hex(hex); }

TEST(MnemonicWordList, MatchesPinnedSha256) {
    // SHA-256 of the 1626 words joined by "\n" with no trailing newline (protocol.md §2.1).
    std::string joined;
    for (auto w : english_words()) {
        if (!joined.empty()) joined += '\n';
        joined += w;
    }
    std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(joined.data()),
                       joined.size());
    EXPECT_EQ(to_hex(digest), "998df55cb16d2318130c5cf7e9d4408247c8c4674935ee6e07d53f2f00ccf19b");
    ASSERT_EQ(english_words().size(), 1626u);
    EXPECT_EQ(english_words().front(), "abbey");
    EXPECT_EQ(english_words().back(), "zoom");
}

TEST(MnemonicWordList, PrefixesAreUnique) {
    std::set<std::string_view> prefixes;
    for (auto w : english_words()) prefixes.insert(w.substr(0, 3));
    EXPECT_EQ(prefixes.size(), 1626u);
}

struct PhraseVector {
    const char* hex;
    const char* phrase;
};

constexpr PhraseVector kVectors[] = {
    {"39038c8988db02c1af44e8c847bd9713",
     "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi"},
    {"000102030405060708090a0b0c0d0e0f",
     "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed"},
    {"00000000000000000000000000000000",
     "abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey"},
    {"0123456789abcdef0123456789abcdef",
     "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept"},
    {"ffffffffffffffffffffffffffffffff",
     "foamy solved soggy foamy solved soggy foamy solved soggy foamy solved soggy solved"},
};

TEST(Mnemonic, EncodesKnownSeeds) {
    for (const auto& v : kVectors) EXPECT_EQ(encode(bytes_of(v.hex)).str(), v.phrase) << v.hex;
}

TEST(Mnemonic, DecodesKnownPhrases) {
    for (const auto& v : kVectors) {
        auto seed = decode_seed(v.phrase);
        ASSERT_TRUE(seed) << v.phrase << ": " << seed.error().message;
        EXPECT_EQ(to_hex(seed->view()), v.hex);
    }
}

TEST(Mnemonic, EncodesAndDecodesThirtyTwoBytes) {
    const char* phrase =
        "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed update "
        "vague zinger boxes ornament renting glass gained island nabbing afield calamity boxes";
    Bytes bytes(32);
    for (int i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(encode(bytes).str(), phrase);
    auto back = decode(phrase);
    ASSERT_TRUE(back);
    EXPECT_EQ(to_hex(back->view()), to_hex(bytes));
    // A 25-word phrase is not an account phrase for current clients.
    EXPECT_EQ(decode_seed(phrase).error().code, "mnemonic.word_count");
}

TEST(Mnemonic, EncodesFourBytesWithComputedIndices) {
    // §10.2: 01020304 → indices 967, 84, 109 + checksum.
    auto phrase = encode(bytes_of("01020304"));
    EXPECT_EQ(phrase.str(), "object anxiety asked object");
    EXPECT_EQ(english_words()[967], "object");
    EXPECT_EQ(english_words()[84], "anxiety");
    EXPECT_EQ(english_words()[109], "asked");
}

TEST(Mnemonic, EncodesSha512VectorAsFortyEightWords) {
    // §10.2: SHA-512 of a fixed string → 48 data words (checksum word appended here).
    const char* hex =
        "0dd5d9bc3d68c25a396f4aacd922a4d620a19cf3c9054cb825dd8a2c5420f4f3ca314c582ffef5388df36e2546cc"
        "9103dd1776a634f676e1e631289b8d280b2e";
    auto phrase = std::string(encode(bytes_of(hex)).str());
    EXPECT_EQ(phrase.rfind("threaten efficient wives skirting repent ashtray rural ammo reunion yoyo "
                           "already tucks ", 0), 0u);
    auto without_checksum = phrase.substr(0, phrase.rfind(' '));
    EXPECT_TRUE(without_checksum.ends_with("cowl saga gossip vats bias federal"));
}

TEST(Mnemonic, AcceptsPrefixesLongerWordsAndCase) {
    for (const char* variant : {
             "amazing buffalo cakewalk entropy symbol tigger lambda mazurka nestling pythons dustpan "
             "faxing faxing",
             "ama buf cak ent sym tig lam maz nes pyt dus fax fax",
             "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxidermy",
             "  AMAZE Buffet cake\tentrance  symptoms tiger\nlamb maze nestle python dusted faxed FAXED ",
         }) {
        auto seed = decode_seed(variant);
        ASSERT_TRUE(seed) << variant << ": " << seed.error().message;
        EXPECT_EQ(to_hex(seed->view()), "000102030405060708090a0b0c0d0e0f");
    }
}

TEST(Mnemonic, RejectsWrongChecksum) {
    for (const char* bad : {
             "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed amaze",
             "buffet amaze cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed",
             "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted gagged faxed",
         }) {
        EXPECT_EQ(decode_seed(bad).error().code, "mnemonic.checksum") << bad;
    }
}

TEST(Mnemonic, RejectsUnknownWordNamingItsPosition) {
    auto r = decode_seed(
        "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed zzzzz");
    EXPECT_EQ(r.error().code, "mnemonic.unknown_word");
    EXPECT_NE(r.error().message.find("word 13"), std::string::npos);
    auto r2 = decode_seed("amaze buffet cake xylophone symptoms tiger lamb maze nestle python dusted faxed faxed");
    EXPECT_EQ(r2.error().code, "mnemonic.unknown_word");
    EXPECT_NE(r2.error().message.find("word 4"), std::string::npos);
    // The unknown word itself is part of a secret and never appears in the message.
    EXPECT_EQ(r2.error().message.find("xylophone"), std::string::npos);
    auto r3 = decode_seed("am buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed");
    EXPECT_EQ(r3.error().code, "mnemonic.unknown_word");
    auto r4 = decode_seed("amaze büffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed");
    EXPECT_EQ(r4.error().code, "mnemonic.unknown_word");
}

TEST(Mnemonic, PointsAtTheFirstUnknownWord) {
    EXPECT_EQ(first_unknown_word("amaze buffet xylophone zzz"), 3u);
    EXPECT_EQ(first_unknown_word("  ab amaze"), 1u);
    EXPECT_EQ(first_unknown_word("amaze buffet cake"), std::nullopt);
    EXPECT_EQ(first_unknown_word(""), std::nullopt);
}

TEST(Mnemonic, RejectsTripleAboveTwoToTheThirtyTwo) {
    // "abbey abbey zoom" describes a value ≥ 2³² (§2.4).
    auto r = decode_seed("abbey abbey zoom abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey");
    EXPECT_EQ(r.error().code, "mnemonic.invalid_words");
    EXPECT_NE(r.error().message.find("words 1 to 3"), std::string::npos);
}

TEST(Mnemonic, RejectsWrongWordCounts) {
    EXPECT_EQ(decode_seed("").error().code, "mnemonic.empty");
    EXPECT_EQ(decode_seed("  \n ").error().code, "mnemonic.empty");
    auto twelve = decode_seed("amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed");
    EXPECT_EQ(twelve.error().code, "mnemonic.word_count");
    EXPECT_NE(twelve.error().message.find("checksum"), std::string::npos);
    EXPECT_EQ(decode_seed("amaze buffet").error().code, "mnemonic.word_count");
    EXPECT_EQ(decode_seed("abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey")
                  .error().code, "mnemonic.word_count");
    EXPECT_EQ(decode("abbey abbey").error().code, "mnemonic.word_count");
    EXPECT_EQ(decode("abbey abbey abbey").error().code, "mnemonic.word_count");
}

TEST(Mnemonic, SurvivesHostileInput) {
    // Very long input, control bytes, NULs and non-UTF-8 bytes: always an error, never a crash.
    std::string junk(100000, 'a');
    EXPECT_FALSE(decode_seed(junk));
    std::string nuls("abbey\0abbey\xff\xfe", 13);
    EXPECT_FALSE(decode_seed(nuls));
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "abbey ";
    EXPECT_EQ(decode_seed(many).error().code, "mnemonic.word_count");
    auto zeros = decode(many);  // 10000 = 3·3333 + 1 words: well-formed, all zero bytes
    ASSERT_TRUE(zeros);
    EXPECT_EQ(zeros->size(), 3333u * 4);
    many += "abbey";
    EXPECT_EQ(decode(many).error().code, "mnemonic.word_count");
}

TEST(Mnemonic, RoundTripsRandomSeeds) {
    for (int i = 0; i < 500; ++i) {
        Bytes seed(16);
        randombytes_buf(seed.data(), seed.size());
        auto phrase = encode(seed);
        auto back = decode_seed(phrase.str());
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_EQ(to_hex(back->view()), to_hex(seed));
    }
}

}  // namespace
}  // namespace st::crypto::mnemonic
