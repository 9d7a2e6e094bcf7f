// The site fingerprint the relay shows at /relay/info: the same value tools/package prints
// (docs/deployment.md), independent of file times and listing order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "relay/static_files.hpp"

namespace st::relay {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

class SiteFolder : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("st_fingerprint_" + std::string(::testing::UnitTest::GetInstance()
                                                     ->current_test_info()
                                                     ->name()));
        fs::remove_all(root_);
        write(root_ / "index.html", "abc");
        write(root_ / "fonts" / "B.ttf", "");
        write(root_ / "Z.js", "y");
        write(root_ / ".git" / "config", "x");  // never served, not counted
        fs::create_symlink("index.html", root_ / "link.html");  // not counted either
    }
    void TearDown() override { fs::remove_all(root_); }
    fs::path root_;
};

// Computed with the shell recipe in docs/deployment.md (find, LC_ALL=C sort, sha256sum).
TEST_F(SiteFolder, ManifestIsSha256sumLinesSortedBytewise) {
    auto m = site_manifest(root_);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text,
              "a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa  Z.js\n"
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  fonts/B.ttf\n"
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  index.html\n");
    EXPECT_EQ(m->sha256, "3defcae25c310e82a4b0f02059fddc1fdc4caa18ce5f4d5a63183ef73b8e4c3d");
}

TEST_F(SiteFolder, FingerprintIgnoresTimesAndFollowsContent) {
    SiteFingerprint fingerprint(root_);
    const std::string first = fingerprint.get();
    EXPECT_EQ(first, group_hex("3defcae25c310e82a4b0f02059fddc1fdc4caa18ce5f4d5a63183ef73b8e4c3d"));
    fs::last_write_time(root_ / "Z.js", fs::file_time_type::clock::now() - std::chrono::hours(48));
    EXPECT_EQ(fingerprint.get(), first);
    write(root_ / "Z.js", "changed");
    EXPECT_NE(fingerprint.get(), first);
    write(root_ / "Z.js", "y");
    EXPECT_EQ(fingerprint.get(), first);
}

TEST_F(SiteFolder, AMissingFolderHasNoFingerprint) {
    EXPECT_FALSE(site_manifest(root_ / "nope"));
    SiteFingerprint fingerprint(root_ / "nope");
    EXPECT_EQ(fingerprint.get(), "");
}

TEST(RelayFingerprint, GroupsHexByFour) {
    EXPECT_EQ(group_hex("3defcae25c"), "3def cae2 5c");
    EXPECT_EQ(group_hex(""), "");
}

}  // namespace
}  // namespace st::relay
