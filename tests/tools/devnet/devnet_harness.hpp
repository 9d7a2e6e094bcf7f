// Runs a devnet process for one test: free ports, its own temporary data folder (unless given),
// short timeouts so fault tests stay quick; stopped with SIGTERM when the object goes away.
//
// DEVNET_TLS=1 in the environment (the ctest "tls." variants) runs every devnet with --tls: the
// test's own requests (devnet_client) then go over HTTPS, seed_url() is https://…, and the seed
// must present the certificate whose SHA-256 the devnet printed (seed_pin()).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "devnet_client.hpp"

namespace devnet_test {

using devnet_client::json;

struct DevnetConfig {
    int nodes = 12;
    int swarm_size = 4;
    std::string data_dir;        // empty: a fresh temporary folder, removed afterwards
    int relay_timeout_ms = 1500;
    int forward_timeout_ms = 500;
    std::vector<std::string> extra_args;  // appended to the command line (e.g. --ons NAME=ID)
    bool tls = tls_from_environment();     // --tls
    static bool tls_from_environment();
};

class DevnetProcess {
public:
    // Starts the devnet and waits for its "ready" line; throws std::runtime_error on failure.
    explicit DevnetProcess(DevnetConfig config = {});
    ~DevnetProcess();
    DevnetProcess(const DevnetProcess&) = delete;
    DevnetProcess& operator=(const DevnetProcess&) = delete;

    // Sends SIGTERM and waits; returns the exit status (-1 if killed by a signal).
    int stop();

    const std::string& seed_url() const { return seed_url_; }
    // The seed URL without "/json_rpc", as session-cli --network and relay --seed take it.
    std::string network() const { return seed_url_.substr(0, seed_url_.find("/json_rpc")); }
    bool tls() const { return tls_; }
    const std::string& seed_pin() const { return seed_pin_; }  // with --tls: 64 hex digits
    const std::string& data_dir() const { return data_dir_; }

    // POST /admin; throws if the devnet answers with an error.
    json admin(const json& cmd) const;
    json status() const { return admin({{"op", "status"}}); }
    std::vector<devnet_client::NodeInfo> nodes() const;

    // Direct JSON-RPC to a node's /storage_rpc/v1.
    devnet_client::HttpResult rpc(std::uint16_t port, const std::string& method,
                                  const json& params) const;
    devnet_client::HttpResult onion(std::uint16_t guard_port, const std::string& body) const;

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    bool own_dir_ = false;
    std::string data_dir_;
    std::string seed_url_;
    std::string seed_pin_;
    bool tls_ = false;
    devnet_client::Url seed_;
};

// The nodes of `nodes` in swarm `swarm_id`, and those outside it.
std::vector<devnet_client::NodeInfo> members(const std::vector<devnet_client::NodeInfo>& nodes,
                                             std::uint64_t swarm_id);
std::vector<devnet_client::NodeInfo> non_members(
        const std::vector<devnet_client::NodeInfo>& nodes, std::uint64_t swarm_id);

}  // namespace devnet_test
