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
    EXPECT_EQ(to_string(c.seed), "http://127.0.0.1:22100");
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
    EXPECT_EQ((*live)->seed_pins.size(), 1u);
    auto mixed = parse_options({"--www", tmp(), "--node-scheme", "https", "--port", "0",
                                "--node-timeout-ms", "250", "--quiet"});
    ASSERT_TRUE(mixed.has_value());
    EXPECT_EQ((*mixed)->node_scheme, Scheme::https);
    EXPECT_EQ((*mixed)->port, 0);
    EXPECT_EQ((*mixed)->node_timeout.count(), 250);
    EXPECT_FALSE((*mixed)->access_log);
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
