// The relay's HTTP server: the page's only origin. Routes (README.md has the contract):
//   GET  /relay/info                   {"network","seed","nodes_known",...,"site_fingerprint"}
//   POST /relay/onion/<ed25519 hex>    body → POST <node>/onion_req/v2, answer passed back
//   POST /relay/seed                   get_n_service_nodes → POST <seed>/json_rpc, answer back
//   GET  /<path>                       a file of the web build
// Every answer carries the security headers (CSP without third-party origins or unsafe-eval).
// The access log holds method, path, status, sizes and duration — never a body or a query.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "relay/node_directory.hpp"
#include "relay/options.hpp"
#include "relay/static_files.hpp"
#include "relay/upstream.hpp"

namespace st::relay {

// The Content-Security-Policy sent with every answer.
extern const char* const kContentSecurityPolicy;

class Server {
public:
    Server(boost::asio::io_context& ioc, const Config& config, NodeDirectory& directory,
           UpstreamClient& upstream);
    ~Server();

    // Binds and starts accepting. Errors: "server.listen" (the system's reason).
    Result<boost::asio::ip::tcp::endpoint> listen();
    // Stops accepting; connections in progress end with the io_context.
    void stop();

    struct State;  // shared with connections (outlives the Server if they do)

private:
    std::shared_ptr<State> state_;
};

}  // namespace st::relay
