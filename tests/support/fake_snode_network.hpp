// A scripted Session network for component tests of st::net, behind a FakeTransport: service
// nodes with real keys that peel real onion layers, a seed node, swarms with shared storage, and
// a few servers for v4 requests. Faults are switched per node (down, silent, not ready) and RPC
// answers can be overridden per call, so a test can stage "the middle hop is gone", "the guard
// never answers", "this node says 421", "the node's clock says 406" — deterministically, with no
// sockets and no real time.
//
// What the nodes implement (protocol.md §5, §6): /onion_req/v2 (xchacha20 layers, relay by Ed25519
// key, final destination with {"headers"}, exit to a registered server with {"host"}), the direct
// /storage_rpc/v1 (guard tests), and the RPCs store, retrieve (signature and clock checked,
// last_hash semantics incl. replay from the start for an unknown hash), delete, delete_all,
// expire and get_expiries (owner signature checked; every swarm member signs its result, §5.4),
// get_swarm, info, oxend_request get_service_nodes, batch and sequence. The seed answers <seed>/json_rpc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fake_transport.hpp"
#include "st/base/clock.hpp"
#include "st/crypto/keys.hpp"
#include "st/crypto/session_id.hpp"
#include "st/onion/builder.hpp"
#include "st/rpc/node.hpp"
#include "st/rpc/requests.hpp"

namespace st::test {

class FakeSnodeNetwork {
public:
    struct Options {
        std::size_t swarms = 3;
        std::size_t nodes_per_swarm = 4;
        // false: node i is 10.<i>.<i>.1 (every node its own /24); true: all on 127.0.0.1 with
        // distinct ports, like the devnet.
        bool loopback = false;
        std::string scheme = "http";
        std::string seed_url = "http://seed.test";
        bool seed_gives_swarm_ids = true;  // false: clients must ask get_swarm
    };

    enum class Behaviour {
        ok,
        down,       // as guard: connection refused; as next hop: 502 "Next node not found: <ed>"
        silent,     // as guard: never answers; as next hop: the guard answers 504 after a while
        not_ready,  // as guard: 503 "Service node is not ready"; as next hop: 503 "Snode not ready"
        silent_to_client,  // never answers the client directly (guard tests, onion requests),
                           // but relays for other nodes (a node firewalled from us)
    };

    // Answer override: return {status, body} to replace the node's own answer to one RPC.
    using RpcHook = std::function<std::optional<std::pair<int, std::string>>(
        const rpc::ServiceNode& node, const std::string& method, const std::string& params_json)>;
    // A v4 server: (method, endpoint, body) -> (status, body).
    using ServerHandler = std::function<std::pair<int, std::string>(
        const std::string& method, const std::string& endpoint, const std::string& body)>;

    FakeSnodeNetwork(FakeTransport& transport, const Clock& clock, Options options);
    FakeSnodeNetwork(FakeTransport& transport, const Clock& clock)
        : FakeSnodeNetwork(transport, clock, Options{}) {}
    ~FakeSnodeNetwork();

    const std::vector<rpc::ServiceNode>& nodes() const { return nodes_; }
    const std::string& seed_url() const { return options_.seed_url; }
    std::vector<rpc::ServiceNode> swarm_of(const crypto::SessionId& account) const;
    // A node (index into nodes()) outside `account`'s swarm.
    rpc::ServiceNode node_outside_swarm(const crypto::SessionId& account) const;

    void set_behaviour(const crypto::Ed25519PublicKey& node, Behaviour behaviour);
    void set_rpc_hook(RpcHook hook) { hook_ = std::move(hook); }
    // Rewrites the nodes' own successful answers: (method, body) -> body (a member that lies).
    using AnswerFilter = std::function<std::string(const std::string& method, std::string body)>;
    void set_answer_filter(AnswerFilter filter) { filter_ = std::move(filter); }
    // The network's clock is the test clock plus this skew (a client clock that is wrong is
    // simulated with a negative skew for "ahead", positive for "behind").
    void set_server_skew(std::chrono::milliseconds skew) { skew_ = skew.count(); }
    std::int64_t server_now() const;

    // Registers a server reachable from exits at (protocol, host, port); returns its X25519 key.
    crypto::X25519PublicKey add_server(const std::string& host, ServerHandler handler);

    // Puts a message straight into `account`'s swarm storage (an incoming DM from someone).
    // Returns its hash.
    std::string inject(const crypto::SessionId& account, rpc::Namespace ns,
                       const std::string& data_b64,
                       std::chrono::milliseconds ttl = std::chrono::hours(24));
    // Distinct messages stored for the account in that namespace.
    std::size_t stored(const crypto::SessionId& account, rpc::Namespace ns) const;
    // Successful store RPCs (an already-present message still counts).
    std::size_t store_calls() const { return store_calls_; }
    // RPCs of `method` executed by `node` as an onion request's destination (sub-requests counted
    // one by one; direct guard tests are not counted here).
    std::size_t rpc_calls(const crypto::Ed25519PublicKey& node, const std::string& method) const;
    // Onion requests this node received as a guard.
    std::size_t guard_calls(const crypto::Ed25519PublicKey& node) const;
    // Direct /storage_rpc/v1 requests (guard tests) this node received.
    std::size_t direct_calls(const crypto::Ed25519PublicKey& node) const;

private:
    struct Node;
    struct Server;
    struct Message;
    Node* find(const crypto::Ed25519PublicKey& ed);
    FakeTransport::Reply onion(Node& guard, const net::HttpRequest& request);
    FakeTransport::Reply direct(Node& node, const net::HttpRequest& request);
    FakeTransport::Reply seed(const net::HttpRequest& request);
    // `counted`: an onion request's destination (rpc_calls counts it), not a direct call.
    std::pair<int, std::string> rpc(Node& node, const std::string& body, bool counted);
    std::pair<int, std::string> single(Node& node, const std::string& method,
                                       const std::string& params, bool counted);
    std::pair<int, std::string> answer_rpc(Node& node, const std::string& method, const std::string& params);
    std::string node_list_json(bool with_swarm_ids) const;
    std::string swarm_json(std::uint64_t swarm_id) const;
    std::uint64_t swarm_id_of(const crypto::SessionId& account) const;
    std::vector<Message>& box(const crypto::SessionId& account, rpc::Namespace ns);

    FakeTransport& transport_;
    const Clock& clock_;
    Options options_;
    std::vector<std::unique_ptr<Node>> node_state_;
    std::vector<rpc::ServiceNode> nodes_;
    std::map<std::string, std::unique_ptr<Server>> servers_;
    std::map<std::pair<std::string, rpc::Namespace>, std::vector<Message>> storage_;
    RpcHook hook_;
    AnswerFilter filter_;
    std::int64_t skew_ = 0;
    std::size_t store_calls_ = 0;
    std::vector<std::string> routes_;
};

}  // namespace st::test
