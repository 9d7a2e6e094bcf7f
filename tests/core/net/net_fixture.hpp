// Shared set-up of the st::net component tests: a manual clock and loop, the scripted transport,
// a fake Session network behind it, and a Network client pointed at the fake seed.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "st/net/network.hpp"
#include "support/fake_snode_network.hpp"
#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

namespace st::net::testing {

using namespace std::chrono_literals;
using test::FakeSnodeNetwork;
using test::FakeTransport;
using test::ManualClock;

// Always picks the first candidate: makes path and member choices predictable where a test
// needs them to be.
class FirstChoice final : public Random {
public:
    std::uint32_t below(std::uint32_t) override { return 0; }
};

// Waits for one callback result.
template <class T>
struct Outcome {
    std::optional<Result<T>> result;
    int calls = 0;
    Callback<T> callback() {
        return [this](Result<T> r) {
            ++calls;
            result.emplace(std::move(r));
        };
    }
    bool done() const { return result.has_value(); }
    bool ok() const { return result && result->has_value(); }
    template <class U = T>
    const U& value() const {
        return result->value();
    }
    const Error& error() const { return result->error(); }
};

class NetFixture : public ::testing::Test {
protected:
    ManualClock clock;
    Loop loop{clock};
    FakeTransport transport{loop};
    std::unique_ptr<FakeSnodeNetwork> fake;
    std::unique_ptr<Network> network;
    FirstChoice first_choice;

    // `addressing` defaults to direct URLs in the fake network's scheme.
    void make(FakeSnodeNetwork::Options options = {}, NetworkConfig config = {},
              std::shared_ptr<const NodeAddressing> addressing = nullptr) {
        fake = std::make_unique<FakeSnodeNetwork>(transport, clock, options);
        if (config.pool.seed_urls.empty()) config.pool.seed_urls = {fake->seed_url()};
        if (!addressing)
            addressing = std::make_shared<UrlTemplateAddressing>(
                UrlTemplateAddressing::direct(options.scheme));
        network = std::make_unique<Network>(loop, clock, transport, addressing, config);
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10min) {
        return test::run_until(loop, clock, done, limit);
    }

    static crypto::Identity account(const char* seed_hex) {
        return *crypto::Identity::from_seed_hex(seed_hex);
    }
};

}  // namespace st::net::testing
