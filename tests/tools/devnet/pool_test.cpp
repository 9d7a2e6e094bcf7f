// The core's node pool on the TLS devnet (issue 13, protocol.md §5.8, §6.7), as the app runs it on
// the live network: st::net::Network over the native HTTPS transport (tools/common), nodes on
// HTTPS with self-signed certificates, the seed on HTTPS. The first start asks the seed once;
// then the pool is refreshed from random nodes' `oxend_request get_service_nodes` through onion
// paths, following nodes that leave and join the network (devnet admin "leave"/"join"), without
// asking the seed; the pool and the guards kept by one session start the next (a reload) without
// a seed request; and a pool that shrinks below PoolConfig::min_nodes goes back to the seed.
// Always over TLS: the plain-HTTP path is the same code with another URL scheme.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "asio_transport.hpp"
#include "devnet_client.hpp"
#include "devnet_harness.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network.hpp"
#include "st/net/pool_store.hpp"
#include "st/rpc/requests.hpp"

namespace {

using devnet_test::DevnetConfig;
using devnet_test::DevnetProcess;
using devnet_test::json;
using namespace st;

class DevnetEnv : public ::testing::Environment {
public:
    void SetUp() override { devnet_client::init(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new DevnetEnv);

// Counts the requests that go to the seed; passes everything to the real transport.
class CountingTransport final : public net::Transport {
public:
    CountingTransport(net::Transport& inner, std::string seed_url)
        : inner_(inner), seed_url_(std::move(seed_url)) {}
    net::RequestId send(net::HttpRequest request, Callback<net::HttpResponse> done) override {
        if (request.url.rfind(seed_url_, 0) == 0) ++seed_requests;
        if (request.url.find("/onion_req/v2") != std::string::npos) ++onion_requests;
        return inner_.send(std::move(request), std::move(done));
    }
    void cancel(net::RequestId id) override { inner_.cancel(id); }
    int seed_requests = 0;
    int onion_requests = 0;

private:
    net::Transport& inner_;
    std::string seed_url_;
};

// What the app keeps in IndexedDB (core/src/app/kv_pool_store), here in memory.
class MemoryPoolStore final : public net::PoolStore {
public:
    explicit MemoryPoolStore(Loop& loop) : loop_(loop) {}
    void load(Callback<std::optional<net::PoolSnapshot>> done) override {
        loop_.post([this, done = std::move(done)] { done(kept); });
    }
    void save(const net::PoolSnapshot& snapshot) override { kept = snapshot; }
    std::optional<net::PoolSnapshot> kept;

private:
    Loop& loop_;
};

std::set<std::string> keys_of(const std::vector<rpc::ServiceNode>& nodes) {
    std::set<std::string> out;
    for (const auto& n : nodes) out.insert(n.ed25519.hex());
    return out;
}

std::vector<std::string> sorted_hex(const std::vector<crypto::Ed25519PublicKey>& keys) {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(k.hex());
    std::sort(out.begin(), out.end());
    return out;
}

class PoolOnTlsDevnet : public ::testing::Test {
protected:
    PoolOnTlsDevnet() : devnet{[] {
                            DevnetConfig c;
                            c.tls = true;
                            return c;
                        }()} {}

    DevnetProcess devnet;
    SystemClock clock;
    Loop loop{clock};
    boost::asio::io_context io;
    tools::AsioTransport https{io, loop};
    CountingTransport transport{https, devnet.seed_url()};
    MemoryPoolStore store{loop};
    std::unique_ptr<net::Network> network;
    const crypto::Identity me = *crypto::Identity::from_seed_hex("00112233445566778899aabbccddeeff");

    // A new Network on the same store: the app's start after a reload.
    void start_session() {
        network.reset();
        net::NetworkConfig config;
        config.pool.seed_urls = {devnet.seed_url()};
        config.pool.min_agreed = 6;  // the live value (24) is more nodes than the devnet has
        config.router.diversity = net::PathDiversity::subnet24_except_loopback;
        network = std::make_unique<net::Network>(
                loop, clock, transport,
                std::make_shared<net::UrlTemplateAddressing>(net::UrlTemplateAddressing::direct("https")),
                config);
        auto restored = wait<void>([&](Callback<> done) { network->restore_pool(store, std::move(done)); });
        ASSERT_TRUE(restored) << restored.error().message;
    }

    template <class T>
    Result<T> wait(const std::function<void(Callback<T>)>& start) {
        std::optional<Result<T>> out;
        start([&out](Result<T> r) { out.emplace(std::move(r)); });
        if (!tools::run_host_loop(io, loop, [&] { return out.has_value(); }, std::chrono::seconds(60)))
            return fail("test.timeout", "no answer within 60 s");
        return std::move(*out);
    }

    // A request to our own swarm through an onion path (so there are paths, and guards).
    void use_the_network() {
        Result<net::RpcReply> reply = fail("test.none", "not sent");
        for (int attempt = 0; attempt < 3 && !reply; ++attempt) {
            reply = wait<net::RpcReply>([&](Callback<net::RpcReply> done) {
                network->swarm_request(me.session_id(),
                                       [](std::int64_t) -> Result<rpc::Request> { return rpc::info(); },
                                       std::move(done));
            });
        }
        ASSERT_TRUE(reply) << reply.error().code << ": " << reply.error().message;
    }

    // Network::refresh_pool, tried again when a path or an asked node fails: a node that left is
    // still in the pool until a refresh succeeds, and asking it fails at once (502 from the hop
    // before it), so after four nodes left most tries fail; each is a few milliseconds.
    void refresh() {
        Result<void> r = fail("test.none", "not tried");
        for (int attempt = 0; attempt < 40 && !r; ++attempt)
            r = wait<void>([&](Callback<> done) { network->refresh_pool(std::move(done)); });
        ASSERT_TRUE(r) << r.error().code << ": " << r.error().message;
    }

    // The devnet's nodes (the seed's list, as the test client reads it) other than `except`.
    std::vector<std::string> listed_except(const std::set<std::string>& except) {
        std::vector<std::string> out;
        for (const auto& n : devnet.nodes())
            if (!except.count(n.ed_hex)) out.push_back(n.ed_hex);
        return out;
    }
    void leave(const std::string& ed_hex) { devnet.admin({{"op", "leave"}, {"node", ed_hex}}); }
    void join(const std::string& ed_hex) { devnet.admin({{"op", "join"}, {"node", ed_hex}}); }
};

TEST_F(PoolOnTlsDevnet, RefreshedFromTheNodesKeptAcrossAReloadAndBackToTheSeedWhenSmall) {
    const auto all = devnet.nodes();
    ASSERT_EQ(all.size(), 12u);
    // One node is out of the network before the app first starts: it joins later, as a new node.
    const std::string newcomer = all.back().ed_hex;
    leave(newcomer);

    // First start: nothing kept, so the seed is asked (once).
    start_session();
    use_the_network();
    EXPECT_EQ(transport.seed_requests, 1);
    EXPECT_EQ(network->pool().size(), 11u);
    EXPECT_FALSE(keys_of(network->pool().nodes()).count(newcomer));
    const auto guards = sorted_hex(network->router().guards());
    ASSERT_FALSE(guards.empty());

    // A node (not one of our guards) leaves; the newcomer joins.
    std::string leaver;
    for (const auto& n : all)
        if (n.ed_hex != newcomer && !std::binary_search(guards.begin(), guards.end(), n.ed_hex)) {
            leaver = n.ed_hex;
            break;
        }
    ASSERT_FALSE(leaver.empty());
    leave(leaver);
    join(newcomer);

    // The refresh asks nodes, through onion paths, not the seed; the pool follows the network.
    const int onions_before = transport.onion_requests;
    refresh();
    EXPECT_EQ(transport.seed_requests, 1) << "a refresh with enough nodes asks no seed";
    EXPECT_GE(transport.onion_requests - onions_before, 3) << "three nodes asked for their lists";
    auto pool = keys_of(network->pool().nodes());
    EXPECT_TRUE(pool.count(newcomer)) << "the node that joined is in the pool";
    EXPECT_FALSE(pool.count(leaver)) << "the node that left is not";
    auto expected = listed_except({});
    EXPECT_EQ(pool, std::set<std::string>(expected.begin(), expected.end()));
    use_the_network();  // paths built from the refreshed pool work
    network->save_pool();
    ASSERT_TRUE(store.kept);
    EXPECT_EQ(keys_of(store.kept->nodes), pool);
    ASSERT_FALSE(store.kept->guards.empty());
    const auto kept_guards = sorted_hex(store.kept->guards);

    // A reload: the kept pool and guards, and no seed request.
    start_session();
    EXPECT_EQ(keys_of(network->pool().nodes()), pool);
    use_the_network();
    EXPECT_EQ(transport.seed_requests, 1) << "a reload asks no seed";
    // The kept guards are tested first and answer, so this session's paths start at them. (Not
    // always all of them: the first path built may take another kept guard as a middle hop,
    // which then cannot be a guard too, and a random node is tested in its place.)
    const auto reload_guards = sorted_hex(network->router().guards());
    ASSERT_FALSE(reload_guards.empty());
    EXPECT_TRUE(std::any_of(reload_guards.begin(), reload_guards.end(), [&](const std::string& g) {
        return std::binary_search(kept_guards.begin(), kept_guards.end(), g);
    })) << "no kept guard is a guard again";

    // Nodes leave until the network has 7, fewer than PoolConfig::min_nodes (8). The refresh
    // ends with exactly those 7 (asking a node that left fails and strikes it; once the pool is
    // below min_nodes the refresh takes them from the seed); and a pool below the threshold is
    // fetched from the seed at every refresh, not from the nodes.
    const auto in_use = sorted_hex(network->router().guards());
    int to_leave = static_cast<int>(network->pool().size()) - 7;
    for (const auto& key : listed_except({})) {
        if (to_leave == 0) break;
        if (std::binary_search(in_use.begin(), in_use.end(), key)) continue;
        leave(key);
        --to_leave;
    }
    ASSERT_EQ(to_leave, 0);
    refresh();
    const auto remaining = listed_except({});
    ASSERT_EQ(remaining.size(), 7u);
    EXPECT_EQ(keys_of(network->pool().nodes()), std::set<std::string>(remaining.begin(), remaining.end()));
    const int seeds = transport.seed_requests;
    refresh();
    EXPECT_EQ(transport.seed_requests, seeds + 1) << "a pool below min_nodes is fetched from the seed";
    EXPECT_EQ(network->pool().size(), 7u);
    use_the_network();
}

}  // namespace
