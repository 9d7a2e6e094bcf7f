// The relay's static-file decisions: which paths may be served, types, caching, gzip.
#include "relay/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace st::relay {
namespace {

std::string rel(std::string_view target) {
    auto r = static_relative_path(target);
    return r ? *r : "<refused>";
}

TEST(RelayStaticPath, MapsPlainPathsAndFolderIndexes) {
    EXPECT_EQ(rel("/"), "index.html");
    EXPECT_EQ(rel("/app.wasm"), "app.wasm");
    EXPECT_EQ(rel("/fonts/NotoSans-Regular.ttf"), "fonts/NotoSans-Regular.ttf");
    EXPECT_EQ(rel("/docs/"), "docs/index.html");
    EXPECT_EQ(rel("/app.js?v=3#x"), "app.js");
    EXPECT_EQ(rel("/a%20b.txt"), "a b.txt");
}

TEST(RelayStaticPath, RefusesEveryWayOfClimbingOut) {
    for (const char* target :
         {"/..", "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E/x", "/.%2e/x", "/a/%2e%2e/%2e%2e/x",
          "/..%2fx", "/%2e%2e%2fx", "/a%2f..%2f..%2fx", "/..%5cx", "/%5c..%5cx", "/.", "/./x",
          "//etc/passwd", "/a//b", "x", "", "/a\\..\\x"}) {
        EXPECT_FALSE(static_relative_path(target).has_value()) << target;
    }
}

TEST(RelayStaticPath, RefusesDotfilesControlBytesAndBadEscapes) {
    for (const char* target : {"/.git/config", "/.env", "/a/.hidden", "/index.html%00.js", "/a%0ab",
                               "/a%7f", "/a%", "/a%2", "/a%zz", "/a%2g"}) {
        EXPECT_FALSE(static_relative_path(target).has_value()) << target;
    }
    EXPECT_FALSE(static_relative_path("/" + std::string(3000, 'a')).has_value());
}

class RelayResolve : public ::testing::Test {
protected:
    void SetUp() override {
        base_ =
            std::filesystem::temp_directory_path() /
            ("relay_resolve_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(base_);
        std::filesystem::create_directories(base_ / "www" / "sub");
        std::ofstream(base_ / "www" / "index.html") << "<p>";
        std::ofstream(base_ / "www" / "sub" / "a.js") << "1";
        std::ofstream(base_ / "secret.txt") << "secret";
        std::filesystem::create_symlink(base_ / "secret.txt", base_ / "www" / "out.txt");
        std::filesystem::create_symlink(base_, base_ / "www" / "up");
        std::filesystem::create_symlink(base_ / "www" / "sub" / "a.js", base_ / "www" / "in.js");
        root_ = std::filesystem::canonical(base_ / "www");
    }
    void TearDown() override { std::filesystem::remove_all(base_); }
    std::filesystem::path base_;
    std::filesystem::path root_;
};

TEST_F(RelayResolve, FindsRegularFilesInsideTheRoot) {
    EXPECT_EQ(resolve_in_root(root_, "index.html"), root_ / "index.html");
    EXPECT_EQ(resolve_in_root(root_, "sub/a.js"), root_ / "sub" / "a.js");
    EXPECT_EQ(resolve_in_root(root_, "in.js"), root_ / "sub" / "a.js");
}

TEST_F(RelayResolve, RefusesSymlinksOutFoldersAndMissingFiles) {
    EXPECT_FALSE(resolve_in_root(root_, "out.txt"));
    EXPECT_FALSE(resolve_in_root(root_, "up/secret.txt"));
    EXPECT_FALSE(resolve_in_root(root_, "sub"));
    EXPECT_FALSE(resolve_in_root(root_, "missing.js"));
    EXPECT_FALSE(resolve_in_root(root_, "../secret.txt"));
}

TEST(RelayMime, GivesTheTypesBrowsersNeed) {
    EXPECT_EQ(mime_type("a/app.wasm"), "application/wasm");
    EXPECT_EQ(mime_type("APP.WASM"), "application/wasm");
    EXPECT_EQ(mime_type("app.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(mime_type("app.data"), "application/octet-stream");
    EXPECT_EQ(mime_type("NotoSans-Regular.ttf"), "font/ttf");
    EXPECT_EQ(mime_type("a.woff2"), "font/woff2");
    EXPECT_EQ(mime_type("a.css"), "text/css; charset=utf-8");
    EXPECT_EQ(mime_type("a.svg"), "image/svg+xml");
    EXPECT_EQ(mime_type("README"), "application/octet-stream");
    EXPECT_TRUE(is_compressible("app.wasm"));
    EXPECT_TRUE(is_compressible("app.data"));
    EXPECT_FALSE(is_compressible("a.png"));
    EXPECT_FALSE(is_compressible("a.woff2"));
}

TEST(RelayGzip, ReadsAcceptEncodingIncludingQZero) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
    EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_FALSE(accepts_gzip("gzipx"));
    EXPECT_TRUE(accepts_encoding("gzip, deflate, br", "br"));
    EXPECT_TRUE(accepts_encoding("gzip, deflate, br, zstd", "br"));
    EXPECT_TRUE(accepts_encoding("BR;q=0.5", "br"));
    EXPECT_TRUE(accepts_encoding("*", "br"));
    EXPECT_FALSE(accepts_encoding("gzip, deflate", "br"));
    EXPECT_FALSE(accepts_encoding("br;q=0, gzip", "br"));
    EXPECT_FALSE(accepts_encoding("*, br;q=0", "br"));
    EXPECT_FALSE(accepts_encoding("x-gzip", "br"));  // x-gzip is only an alias of gzip
    EXPECT_FALSE(accepts_encoding("brotli", "br"));
}

TEST(RelayGzip, CompressesToAValidGzipStream) {
    const std::string text(10000, 'a');
    auto gz = gzip_compress(text, 9);
    ASSERT_TRUE(gz.has_value());
    ASSERT_GT(gz->size(), 18u);
    EXPECT_LT(gz->size(), 200u);
    EXPECT_EQ(static_cast<unsigned char>((*gz)[0]), 0x1f);  // gzip magic
    EXPECT_EQ(static_cast<unsigned char>((*gz)[1]), 0x8b);
}

TEST(RelayCache, HashedNamesAreImmutableAndTheRestRevalidates) {
    EXPECT_TRUE(is_content_hashed("app.3f2a9c1b.wasm"));
    EXPECT_TRUE(is_content_hashed("a/b.0123456789abcdef.js"));
    EXPECT_FALSE(is_content_hashed("app.wasm"));
    EXPECT_FALSE(is_content_hashed("3f2a9c1b.wasm"));
    EXPECT_FALSE(is_content_hashed("app.3f2a9c1.wasm"));
    EXPECT_FALSE(is_content_hashed("app.release.wasm"));
    EXPECT_EQ(cache_control("index.html"), "no-cache");
    EXPECT_EQ(cache_control("a/page.htm"), "no-cache");
    EXPECT_EQ(cache_control("index.0123abcd.html"), "no-cache");  // HTML always revalidates
    EXPECT_EQ(cache_control("app.wasm"), "no-cache");
    EXPECT_EQ(cache_control("app.3f2a9c1b.wasm"), "public, max-age=31536000, immutable");
}

TEST(RelayCache, EtagsDifferByVariantAndMatchIfNoneMatch) {
    const std::string plain = make_etag(100, 5, "");
    const std::string gz = make_etag(100, 5, "z");
    EXPECT_NE(plain, gz);
    EXPECT_NE(plain, make_etag(100, 6, ""));
    EXPECT_EQ(plain.front(), '"');
    EXPECT_EQ(plain.back(), '"');
    EXPECT_TRUE(if_none_match_hits(plain, plain));
    EXPECT_TRUE(if_none_match_hits("\"x\", W/" + plain, plain));
    EXPECT_TRUE(if_none_match_hits("*", plain));
    EXPECT_FALSE(if_none_match_hits(gz, plain));
    EXPECT_FALSE(if_none_match_hits("", plain));
}

}  // namespace
}  // namespace st::relay
