// The relay's command line and upstream URLs.
#include "relay/options.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "relay/url.hpp"

namespace st::relay {
namespace {

using Args = std::vector<std::string>;

std::string tmp() { return std::filesystem::temp_directory_path().string(); }

TEST(RelayUrl, ParsesSeedAndNodeForms) {
    auto a = parse_url("http://127.0.0.1:22100");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->scheme, Scheme::http);
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, 22100);
    EXPECT_EQ(a->path, "");
    auto b = parse_url("https://seed1.getsession.org:4443/");
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->scheme, Scheme::https);
    EXPECT_EQ(b->port, 4443);
    EXPECT_EQ(to_string(*b), "https://seed1.getsession.org:4443");
    auto c = parse_url("https://example.org/base/");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->port, 443);
    EXPECT_EQ(c->path, "/base");
    auto d = parse_url("http://[::1]:8080");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->host, "::1");
    EXPECT_EQ(host_header(*d), "[::1]:8080");
}

TEST(RelayUrl, RefusesWhatItCannotUse) {
    for (const char* text : {"ftp://x", "127.0.0.1:22100", "http://", "http://:80", "http://a:0",
                             "http://a:65536", "http://a:x", "http://a:", "http://u@a",
                             "http://a/?q", "http://a/#f", "http://a b", "http://[::1"}) {
        EXPECT_FALSE(parse_url(text).has_value()) << text;
    }
}

TEST(RelayOptions, DefaultsToTheLocalDevnet) {
    auto config = parse_options({"--www", tmp()});
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_TRUE(config->has_value());
    const Config& c = **config;
    EXPECT_EQ(c.bind, "127.0.0.1");
    EXPECT_EQ(c.port, 8080);
    EXPECT_EQ(c.network, "devnet");
    ASSERT_EQ(c.seeds.size(), 1u);
    EXPECT_EQ(to_string(c.seeds[0].url), "http://127.0.0.1:22100");
    EXPECT_TRUE(c.seeds[0].pins.empty());
    EXPECT_EQ(c.node_scheme, Scheme::http);
    EXPECT_EQ(c.max_body, 10u * 1024 * 1024);
    EXPECT_EQ(c.www, std::filesystem::canonical(tmp()));
}

TEST(RelayOptions, NodeSchemeFollowsTheSeedUnlessGiven) {
    auto live =
        parse_options({"--www", tmp(), "--network", "live", "--seed",
                       "https://seed1.getsession.org:4443", "--seed-pin", std::string(64, 'a')});
    ASSERT_TRUE(live.has_value()) << live.error().message;
    EXPECT_EQ((*live)->node_scheme, Scheme::https);
    ASSERT_EQ((*live)->seeds.size(), 1u);
    EXPECT_EQ((*live)->seeds[0].pins, std::vector<std::string>{std::string(64, 'a')});
    auto mixed = parse_options({"--www", tmp(), "--node-scheme", "https", "--port", "0",
                                "--node-timeout-ms", "250", "--quiet"});
    ASSERT_TRUE(mixed.has_value());
    EXPECT_EQ((*mixed)->node_scheme, Scheme::https);
    EXPECT_EQ((*mixed)->port, 0);
    EXPECT_EQ((*mixed)->node_timeout.count(), 250);
    EXPECT_FALSE((*mixed)->access_log);
}

const std::string kPinA =
    "36:EA:0B:25:35:37:98:85:51:EE:85:6E:4F:D2:0D:55:01:1E:9C:8B:27:EA:A2:F3:4B:8F:32:A0:BD:F0:4F:2D";
const std::string kHexA = "36ea0b2535379885" "51ee856e4fd20d55" "011e9c8b27eaa2f3" "4b8f32a0bdf04f2d";
const std::string kPinB = std::string(64, 'B');
const std::string kHexB = std::string(64, 'b');

TEST(RelayOptions, EachSeedTakesThePinsAfterIt) {
    auto config = parse_options({"--www", tmp(), "--seed", "https://seed1.example:4443",
                                 "--seed-pin", kPinA, "--seed", "http://127.0.0.1:22100", "--seed",
                                 "https://seed3.example:4443", "--node-scheme", "https",
                                 "--seed-pin", kPinB, "--seed-pin", kPinA});
    ASSERT_TRUE(config.has_value()) << config.error().message;
    const auto& seeds = (*config)->seeds;
    ASSERT_EQ(seeds.size(), 3u);
    EXPECT_EQ(to_string(seeds[0].url), "https://seed1.example:4443");
    EXPECT_EQ(seeds[0].pins, std::vector<std::string>{kHexA});  // normalised: no colons, lower
    EXPECT_EQ(to_string(seeds[1].url), "http://127.0.0.1:22100");
    EXPECT_TRUE(seeds[1].pins.empty());
    EXPECT_EQ(seeds[2].pins, (std::vector<std::string>{kHexB, kHexA}));
    EXPECT_EQ((*config)->node_scheme, Scheme::https);
}

TEST(RelayOptions, OneSeedTakesItsPinsFromAnywhere) {
    // The one-seed syntax from before several seeds existed: the pin may come first.
    auto config = parse_options({"--www", tmp(), "--seed-pin", kPinA, "--seed",
                                 "https://seed1.example:4443", "--seed-pin", kPinB});
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_EQ((*config)->seeds.size(), 1u);
    EXPECT_EQ((*config)->seeds[0].pins, (std::vector<std::string>{kHexA, kHexB}));
}

TEST(RelayOptions, RefusesAmbiguousOrWrongSeedLines) {
    const std::vector<std::pair<Args, std::string>> bad = {
        // Which seed would it pin?
        {{"--seed-pin", kPinA, "--seed", "https://a.example", "--seed", "https://b.example"},
         "ambiguous"},
        {{"--seed", "https://a.example", "--seed", "http://b.example", "--seed-pin", kPinA},
         "http://b.example:80 is http"},
        {{"--seed", "https://a.example", "--seed", "https://a.example:443/"}, "given twice"},
        {{"--seed", "https://a.example", "--seed-pin", "36:EA"}, "64 hex digits"},
        {{"--seed", "https://a.example", "--seed-pin", std::string(64, 'g')}, "64 hex digits"},
        {{"--seed", "https://a.example", "--seed", "b.example"}, "--seed"},
        {{"--seed", "https://a.example", "--seed"}, "needs a value"},
    };
    for (const auto& [extra, why] : bad) {
        Args args = {"--www", tmp()};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = parse_options(args);
        ASSERT_FALSE(result.has_value()) << why;
        EXPECT_EQ(result.error().code, "options.invalid");
        EXPECT_NE(result.error().message.find(why), std::string::npos) << result.error().message;
    }
}

TEST(RelayOptions, PerClientLimitsHaveDefaultsAndCanBeSet) {
    auto defaults = parse_options({"--www", tmp()});
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ((*defaults)->max_inflight_per_client, 16u);
    EXPECT_EQ((*defaults)->max_connections_per_client, 64u);
    EXPECT_EQ((*defaults)->header_timeout.count(), 60);
    EXPECT_EQ((*defaults)->max_buffered, 256u * 1024 * 1024);
    auto set = parse_options({"--www", tmp(), "--max-inflight-per-client", "2",
                              "--max-connections-per-client", "5", "--header-timeout-s", "3",
                              "--max-buffered-mib", "2"});
    ASSERT_TRUE(set.has_value()) << set.error().message;
    EXPECT_EQ((*set)->max_inflight_per_client, 2u);
    EXPECT_EQ((*set)->max_connections_per_client, 5u);
    EXPECT_EQ((*set)->header_timeout.count(), 3);
    EXPECT_EQ((*set)->max_buffered, 2u * 1024 * 1024);
}

TEST(RelayOptions, KioskModeIsOffUnlessAskedFor) {
    auto defaults = parse_options({"--www", tmp()});
    ASSERT_TRUE(defaults.has_value());
    EXPECT_FALSE((*defaults)->kiosk);
    EXPECT_EQ((*defaults)->kiosk_idle.count(), 300);
    auto set = parse_options({"--www", tmp(), "--kiosk", "--kiosk-idle-s", "120"});
    ASSERT_TRUE(set.has_value()) << set.error().message;
    EXPECT_TRUE((*set)->kiosk);
    EXPECT_EQ((*set)->kiosk_idle.count(), 120);
}

TEST(RelayOptions, HelpIsNotAnError) {
    auto help = parse_options({"--help"});
    ASSERT_TRUE(help.has_value());
    EXPECT_FALSE(help->has_value());
}

TEST(RelayOptions, RefusesBadInputWithOneSentence) {
    const std::vector<Args> bad = {
        {},
        {"--www"},
        {"--www", "/definitely/not/here"},
        {"--www", tmp(), "--port", "70000"},
        {"--www", tmp(), "--port", "-1"},
        {"--www", tmp(), "--network", "mainnet"},
        {"--www", tmp(), "--network", "live"},
        {"--www", tmp(), "--seed", "seed1.getsession.org"},
        {"--www", tmp(), "--seed-pin", std::string(64, 'a')},
        {"--www", tmp(), "--node-scheme", "ftp"},
        {"--www", tmp(), "--max-body", "0"},
        {"--www", tmp(), "--max-inflight-per-client", "0"},
        {"--www", tmp(), "--max-connections-per-client", "x"},
        {"--www", tmp(), "--header-timeout-s", "0"},
        {"--www", tmp(), "--kiosk-idle-s", "5"},
        {"--www", tmp(), "--kiosk-idle-s"},
        {"--www", tmp(), "--frobnicate", "1"},
        {"--www", tmp(), "stray"},
    };
    for (const auto& args : bad) {
        auto result = parse_options(args);
        EXPECT_FALSE(result.has_value()) << (args.empty() ? "" : args.back());
        if (!result) {
            EXPECT_EQ(result.error().code, "options.invalid");
        }
    }
}

}  // namespace
}  // namespace st::relay
