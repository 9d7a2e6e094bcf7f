// The node pool across reloads (protocol.md §5.8): the app keeps the pool and guards in the
// browser's storage, so a reload reaches the network without asking a seed; a kept value that
// cannot be read only means one seed request.
#include <gtest/gtest.h>

#include <cstring>

#include "app_world.hpp"

namespace st::app {
namespace {

using namespace std::chrono_literals;
using test::Device;
using test::World;

TEST(NodePoolAcrossReloads, AReloadAsksNoSeed) {
    World w;
    Device alice(w), bob(w);
    const auto a = alice.create("Alice");
    const auto b = bob.create("Bob");
    alice.start_with(b);
    alice.send(b, "before the reload");
    ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages.back().delivery == DeliveryState::Sent; }));
    const auto seeds = w.transport.count(w.network.seed_url());
    EXPECT_GE(seeds, 1u);
    alice.reload();
    alice.dispatch(intent::OpenConversation{b});
    alice.send(b, "after the reload");
    ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages.back().delivery == DeliveryState::Sent; }));
    EXPECT_EQ(w.transport.count(w.network.seed_url()), seeds) << "the kept pool was used";
    (void)a;
}

TEST(NodePoolAcrossReloads, AKeptPoolThatCannotBeReadCostsOneSeedRequest) {
    World w;
    Device alice(w);
    alice.create("Alice");
    const std::string peer = crypto::Identity::generate().session_id().hex();
    alice.start_with(peer);
    alice.client.reset();
    for (const char* junk : {"", "{", "{\"v\":1,\"nodes\":[{\"ed\":\"zz\",\"port\":-1}]}", "[1,2,3]",
                             "{\"v\":1,\"nodes\":[{\"ed\":\"00\",\"x\":\"00\",\"ip\":\"999.1.1.1\",\"port\":80}]}"}) {
        std::optional<Result<>> written;
        alice.store.write({store::KvWrite::put("net/pool", to_bytes(junk))},
                          [&](Result<> r) { written = r; });
        ASSERT_TRUE(w.run_until([&] { return written.has_value(); }));
        const auto seeds = w.transport.count(w.network.seed_url());
        alice.open();
        alice.dispatch(intent::OpenConversation{peer});
        alice.send(peer, std::string("after junk ") + junk);
        ASSERT_TRUE(w.run_until([&] { return alice.view().open->messages.back().delivery == DeliveryState::Sent; }))
            << junk;
        EXPECT_EQ(w.transport.count(w.network.seed_url()), seeds + 1) << junk;
        alice.client.reset();
    }
}

}  // namespace
}  // namespace st::app
