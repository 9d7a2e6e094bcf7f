#include "st/config/compress.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace st::config {
namespace {

Bytes hex(std::string_view h) {
    auto b = from_hex(h);
    EXPECT_TRUE(b) << h;
    return b ? *b : Bytes{};
}

// A config-like bencoded text, and the frame Debian's zstd 1.5.4 CLI made of it from a file
// (`zstd -1 cfg.txt`: content size in the header, XXH64 checksum at the end).
constexpr std::string_view kConfigText =
    "d1:#i5e1:&d1:n5:Alice1:p0:1:q0:e1:<lli5e32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaade1:=d1:n0:1:p0:1:"
    "q0:ee";
constexpr std::string_view kConfigFrame =
    "28b52ffd2462150200840364313a23693565313a2664313a6e353a416c696365313a70303a313a71303a65313a3c"
    "6c6c69356533323a616465313a3d64313a6e303a65020044303c1b5006c403211d";

// `printf 'd1:#i1ee' | zstd -1 -c`: from a pipe the CLI does not know the size, so the header
// declares none.
constexpr std::string_view kUnknownSizeFrame = "28b52ffd044841000064313a2369316565d696affc";

// `head -c 5000000 /dev/zero | zstd -1 -c`: 189 bytes, no declared size, 5,000,000 zero bytes.
constexpr std::string_view kFiveMegabytesOfZeros =
    "28b52ffd04485400001000000100fbff39c0020200100002001000020010000200100002001000020010000200"
    "10000200100002001000020010000200100002001000020010000200100002001000440000000100fdffcd0b10"
    "020010000200100002001000020010000200100002001000020010000200100002001000020010000200100002"
    "001000020010000200100002001000440000000100fdffcd0b1002001000020010000200100002001000020010"
    "00035a0200b6c1d53f";

TEST(Compress, RoundTripsConfigSizedData) {
    for (std::size_t n : {0u, 1u, 100u, 5000u, 70000u, 300000u}) {
        Bytes data(n);
        for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>((i * 7) % 251 % (1 + i % 13));
        auto frame = zstd_compress(data);
        auto back = zstd_decompress(frame);
        ASSERT_TRUE(back) << n << ": " << back.error().message;
        EXPECT_EQ(*back, data) << n;
    }
}

TEST(Compress, WritesALevelOneFrameWithItsContentSize) {
    const auto frame = zstd_compress(as_bytes(kConfigText));
    // Magic number, then a frame header descriptor with the single-segment flag (bit 5) and a
    // content-size field (bits 6-7; 0 with single-segment means a 1-byte size).
    ASSERT_GE(frame.size(), 6u);
    EXPECT_EQ(to_hex(ByteView(frame).first(4)), "28b52ffd");
    EXPECT_TRUE(frame[4] & 0x20);
    EXPECT_EQ(frame[5], kConfigText.size());
    EXPECT_LT(frame.size(), kConfigText.size());
    // Same encoder, same level: the bytes Debian's zstd CLI wrote, less its 4-byte checksum (and
    // the checksum flag, bit 2 of the descriptor).
    auto cli = hex(kConfigFrame);
    cli.resize(cli.size() - 4);
    cli[4] &= static_cast<std::uint8_t>(~0x04);
    EXPECT_EQ(to_hex(frame), to_hex(cli));
}

TEST(Compress, DecodesFramesMadeByTheZstdCommandLineTool) {
    auto text = zstd_decompress(hex(kConfigFrame));
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(as_chars(*text), kConfigText);

    auto unknown = zstd_decompress(hex(kUnknownSizeFrame));
    ASSERT_TRUE(unknown) << unknown.error().message;
    EXPECT_EQ(as_chars(*unknown), "d1:#i1ee");
}

TEST(Compress, RefusesEmptyGarbageAndTruncatedInput) {
    EXPECT_EQ(zstd_decompress({}).error().code, "zstd.malformed");
    EXPECT_EQ(zstd_decompress(as_bytes("d1:#i1ee")).error().code, "zstd.malformed");
    EXPECT_EQ(zstd_decompress(hex("28b52f")).error().code, "zstd.malformed");
    EXPECT_EQ(zstd_decompress(hex("28b52ffd")).error().code, "zstd.malformed");
    const auto frame = hex(kConfigFrame);
    for (std::size_t n = 0; n < frame.size(); ++n) {
        auto r = zstd_decompress(ByteView(frame).first(n));
        ASSERT_FALSE(r) << n;
        EXPECT_EQ(r.error().code, "zstd.malformed") << n;
    }
    // A skippable frame holds no data: not a config.
    EXPECT_EQ(zstd_decompress(hex("502a4d1800000000")).error().code, "zstd.malformed");
}

TEST(Compress, RefusesCorruptedFrames) {
    auto frame = hex(kConfigFrame);
    frame[frame.size() - 1] ^= 0x01;  // checksum
    EXPECT_EQ(zstd_decompress(frame).error().code, "zstd.malformed");
    // Flipping any single byte must fail cleanly or decode (never crash, never exceed the limit).
    const auto good = hex(kConfigFrame);
    for (std::size_t i = 0; i < good.size(); ++i) {
        auto bad = good;
        bad[i] ^= 0x5a;
        auto r = zstd_decompress(bad, 1000);
        if (r) EXPECT_LE(r->size(), 1000u);
        else EXPECT_TRUE(r.error().code == "zstd.malformed" || r.error().code == "zstd.too_large");
    }
}

TEST(Compress, RefusesTrailingBytes) {
    auto frame = zstd_compress(as_bytes("hello"));
    frame.push_back(0);
    auto r = zstd_decompress(frame);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "zstd.malformed");
    // Nor a second frame after the first.
    auto two = zstd_compress(as_bytes("hello"));
    const auto second = zstd_compress(as_bytes("world"));
    two.insert(two.end(), second.begin(), second.end());
    EXPECT_EQ(zstd_decompress(two).error().code, "zstd.malformed");
}

TEST(Compress, RefusesAFrameClaimingAGigabyte) {
    // Magic, descriptor 0xe0 (8-byte content size, single segment), content size 2^30, then one
    // empty raw last block: a well-formed header whose claim alone is over the limit.
    const auto bomb = hex("28b52ffd" "e0" "0000004000000000" "010000");
    auto r = zstd_decompress(bomb);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "zstd.too_large");
    // Over a caller's smaller limit too.
    EXPECT_EQ(zstd_decompress(zstd_compress(Bytes(101)), 100).error().code, "zstd.too_large");
    EXPECT_TRUE(zstd_decompress(zstd_compress(Bytes(100)), 100));
}

TEST(Compress, RefusesFiveMegabytesOfZerosWithNoDeclaredSize) {
    const auto bomb = hex(kFiveMegabytesOfZeros);
    ASSERT_EQ(bomb.size(), 189u);  // zstd -1 --no-content-size of 5,000,000 zero bytes
    auto r = zstd_decompress(bomb);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "zstd.too_large");
    // The same frame is fine where the limit allows it.
    auto ok = zstd_decompress(bomb, 5'000'000);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->size(), 5'000'000u);
    EXPECT_EQ(zstd_decompress(bomb, 4'999'999).error().code, "zstd.too_large");
    // And with its declared size (zstd_compress writes it) it is refused before decoding.
    EXPECT_EQ(zstd_decompress(zstd_compress(Bytes(5'000'000))).error().code, "zstd.too_large");
}

TEST(Compress, RefusesAWindowLargerThanAnyPermittedOutput) {
    // Descriptor 0x00 (no content size, not single segment), window descriptor 0xa0 (2^30):
    // the decoder would allocate the window at the header. One empty raw last block.
    const auto frame = hex("28b52ffd" "00" "a0" "010000");
    auto r = zstd_decompress(frame);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "zstd.too_large");
}

}  // namespace
}  // namespace st::config
