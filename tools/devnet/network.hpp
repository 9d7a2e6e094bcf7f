// The devnet: N service nodes in one process on one single-threaded io_context, grouped into
// swarms, plus the seed/admin listener.
//
// Topology: nodes are split into swarms of about `swarm_size`; each swarm has a random uint64
// id, and a pubkey belongs to the swarm closest to its swarm space value (protocol.md §5.9). The
// topology and the node keys are persisted in the data folder (devnet.json, node-NN/), so a
// restart with the same folder brings back the same network and the same messages.
//
// Node-to-node traffic (onion relays, swarm forwarding) stays inside the process but goes through
// the event loop with the receiving node's faults applied: its added latency, its stopped state
// (the sender waits for its timeout, as a real node waits on an unanswered peer), its clock skew.
//
// Fault switches (admin endpoint, see README.md): stop/start a node, mark it unreachable or not
// ready, add latency, skew its clock, move swarms (so clients get 421), and let a node leave the
// network or join it (deregistration and registration: the node lists change).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto.hpp"
#include "http.hpp"
#include "ons.hpp"
#include "rpc.hpp"
#include "storage.hpp"
#include "util.hpp"

namespace devnet {

struct Options {
    int nodes = 12;
    int swarm_size = 4;
    std::uint16_t port = 22100;  // seed/admin; nodes use port+1 … port+N (0: any free ports)
    std::string data_dir;
    std::chrono::milliseconds relay_timeout{30'000};    // onion relay to an unanswering node
    std::chrono::milliseconds forward_timeout{5'000};   // swarm forwarding to an unanswering peer
    OnsRegistry ons;  // Session names the nodes resolve (--ons NAME=SESSION_ID)
    // --tls: every node and the seed serve HTTPS with their own self-signed certificate (tls.crt,
    // tls.key in node-NN/ and seed/, made at the first TLS start); DIR/seed.pin holds the seed
    // certificate's SHA-256.
    bool tls = false;
};

// Per-node fault state, set through the admin endpoint.
struct Faults {
    bool stopped = false;      // HTTP port closed; peers and relays get no answer (time out)
    bool unreachable = false;  // with stopped: other nodes know it cannot be contacted (502)
    bool not_ready = false;    // answers 503 "not ready"
    std::int64_t latency_ms = 0;
    std::int64_t clock_skew_ms = 0;
    // Signs its per-node results of store, delete, delete_all, delete_before, expire, expire_all
    // over the wrong text (a well-formed signature that does not verify): a member that claims
    // work it cannot prove, for clients that check (docs/deletion.md).
    bool lying = false;
};

// A swarm request whose peer did not answer, retried until the peer takes it (as the real server
// keeps failed forwards in its retry table).
struct PendingForward {
    int peer = 0;
    SubRequest request;
    std::chrono::steady_clock::time_point created;
};

class Node {
public:
    Node(boost::asio::io_context& io, int index, NodeKeys keys, const std::string& db_path,
         HttpHandler handler);

    const int index;
    const NodeKeys keys;
    Storage db;
    HttpListener http;
    Faults faults;
    std::uint64_t swarm_id = 0;
    std::uint16_t wanted_port = 0;  // the port to (re)bind; 0 = any
    std::deque<PendingForward> retries;
    bool needs_dump = false;  // swarms changed while it was stopped
    // Left the network (admin "leave", as a deregistered node): in no list, no swarm, its port
    // closed, unknown to the other nodes; "join" brings it back. Kept in devnet.json.
    bool left = false;

    // This node's clock, including any skew.
    TimePoint now() const { return Clock::now() + std::chrono::milliseconds{faults.clock_skew_ms}; }
    std::int64_t now_ms() const { return to_epoch_ms(now()); }
    bool up() const { return !faults.stopped; }
    std::uint16_t port() const { return http.port() != 0 ? http.port() : wanted_port; }
};

class Devnet {
public:
    // Loads or creates the network in opts.data_dir. Throws std::runtime_error on failure.
    Devnet(boost::asio::io_context& io, Options opts);
    ~Devnet();

    // Binds every listener and starts the periodic jobs.
    void start();
    // Closes every listener and cancels the timers (the io_context then runs out of work).
    void shutdown();

    const Options& options() const { return opts_; }
    boost::asio::io_context& io() { return io_; }
    std::uint16_t seed_port() const { return seed_.port(); }
    // "https" with --tls, else "http".
    const char* scheme() const { return opts_.tls ? "https" : "http"; }
    // With --tls: the SHA-256 of the seed's certificate (64 lowercase hex digits); else empty.
    const std::string& seed_pin() const { return seed_pin_; }
    const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }

    // --- topology ----------------------------------------------------------------------------
    // §5.9: the swarm space value of a 32-byte key, and the swarm id that owns it.
    static std::uint64_t swarm_space(std::string_view key32);
    // The swarm among `ids` (sorted, none = 2^64-1) closest to `space`, nullopt if none.
    static std::optional<std::uint64_t> closest_swarm(const std::set<std::uint64_t>& ids,
                                                      std::uint64_t space);
    std::optional<std::uint64_t> swarm_for(std::string_view key32) const;
    std::map<std::uint64_t, std::vector<Node*>> swarms() const;
    std::vector<Node*> swarm_members(std::uint64_t swarm_id) const;
    Node* find_node(const Key32& ed_pk) const;
    // A fake chain height, bumped by every topology change.
    std::int64_t height() const { return height_; }

    // --- node-to-node traffic -----------------------------------------------------------------
    // Runs `fn` on `node` after its added latency (never inline).
    void at_node(Node& node, std::function<void()> fn);
    // Forwards a swarm request from `from` to `to`; `done` gets nullopt if `to` does not answer
    // within the forward timeout.
    void forward(Node& from, Node& to, SubRequest req, std::function<void(std::optional<Response>)> done);
    // Relays an onion layer to `to` (hop_no already incremented); the reply is `to`'s
    // status and body, or 504 "Request time out" if it does not answer in time.
    void relay_onion(Node& to, std::string payload, Key32 ephemeral, bool xchacha, int hop_no,
                     Reply reply);

    // --- seed and admin -------------------------------------------------------------------------
    // oxend's get_n_service_nodes `result` for `params` (fields, active_only, limit).
    json service_node_states(const json& params) const;
    // newer servers' active_nodes_bin blob (51 bytes per node).
    std::string active_nodes_bin() const;
    // Runs one admin command; returns the JSON reply (with "error" on failure).
    json admin(const json& cmd);
    json status() const;

private:
    void load_or_create();
    // --tls: loads or makes every listener's certificate and writes DIR/seed.pin.
    void set_up_tls();
    void save_topology() const;
    void on_seed_request(HttpRequest req, Respond respond);
    void route_seed_request(const HttpRequest& req, const Respond& respond);
    void on_node_request(Node& node, HttpRequest req, Respond respond);
    void route_node_request(Node& node, const HttpRequest& req, const Respond& respond);
    void start_node(Node& node);
    void stop_node(Node& node);
    void after_start(Node& node);
    void move_swarms(const json& cmd);
    void leave(Node& node);
    void join(Node& node, const json& cmd);
    // Bumps the height, saves the topology and re-homes messages (swarm sync).
    void topology_changed();
    // Pushes the messages `from` holds to the members of the swarm owning each (excluding its
    // own swarm unless `own_swarm`).
    void push_messages(Node& from, bool own_swarm);
    void tick();
    Node* node_arg(const json& cmd) const;

    boost::asio::io_context& io_;
    Options opts_;
    std::vector<std::unique_ptr<Node>> nodes_;
    HttpListener seed_;
    boost::asio::steady_timer ticker_;
    bool running_ = false;
    std::int64_t height_ = 1000;
    std::string seed_pin_;
};

}  // namespace devnet
