// Onion routing over a Transport (protocol.md §6.1, §6.7–§6.9): keeps a few tested 3-hop paths,
// sends each request through one of them, reads the guard's answer, and turns failures into
// strikes on nodes and paths, repairs, rebuilds and retries on another path.
//
//   guards      pool nodes that answered a direct get_swarm (2xx) within the guard-test timeout;
//               tested in batches, up to guard_test_rounds batches per build
//   path        [guard, hop, hop]: distinct nodes, one per /24 subnet (PathDiversity)
//   per request a random path that does not contain the destination (if there is one), that
//               the request has not failed on, with the fewest failures since its last answer.
//               When the request has failed on every path, or every path has failed since it
//               last carried an answer, those paths are replaced by new ones around newly tested
//               guards, whose hops (and guards) are picked among the nodes with fewest strikes
//   failures    transport error / timeout / non-200 from the guard / undecryptable reply: the
//               path gets a failure and each non-guard node a strike; the request moves to
//               another path. A path with path_failure_threshold failures is dropped and rebuilt
//               (with requests in flight on several paths, before the rule above applies). "Next node not found: X" drops X from the pool (and
//               repairs the path it was on); "Snode not ready: X" strikes X. A failure of the
//               destination itself ends the request with kDestinationFailed, for the caller to
//               pick another swarm member.
//   unanswered  no answer within the timeout, or the guard's "504 Request time out": some hop or
//               the destination did not answer, and nothing says which. The path gets a failure,
//               the destination a strike; then either another path is tried (the default) or,
//               when the caller can pick another destination, the request ends with kNoAnswer.
//   success     a reply that decrypts proves every hop and the destination work: their strikes
//               and the path's failures are forgiven, so blame from unanswered requests fades.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "st/base/error.hpp"
#include "st/base/loop.hpp"
#include "st/net/addressing.hpp"
#include "st/net/node_pool.hpp"
#include "st/net/random.hpp"
#include "st/net/transport.hpp"
#include "st/onion/builder.hpp"
#include "st/onion/response.hpp"

namespace st::net {

// Router error codes.
inline constexpr std::string_view kNoNodes = "path.no_nodes";   // the pool cannot fill a path
inline constexpr std::string_view kNoGuard = "path.no_guard";   // no guard candidate answered
inline constexpr std::string_view kPathFailed = "path.failed";  // every attempt failed on a path
inline constexpr std::string_view kDestinationFailed = "path.destination_failed";
inline constexpr std::string_view kServerUnreachable = "path.server_unreachable";  // exit → server
// Unanswered (see above) with SnodeSendOptions::retry_unanswered off.
inline constexpr std::string_view kNoAnswer = "path.no_answer";

// How path hops must differ from each other.
enum class PathDiversity {
    subnet24,                  // one node per /24 (desktop's rule)
    subnet24_except_loopback,  // the same, but loopback nodes (a devnet) count by node key
    distinct_nodes,            // only distinct nodes
};

struct RouterConfig {
    std::size_t path_count = 2;  // desktop: desiredGuardCount
    std::size_t hops = 3;        // ONION_REQUEST_HOPS
    std::chrono::milliseconds request_timeout{10000};
    std::chrono::milliseconds guard_test_timeout{10000};
    int attempts = 3;                // paths tried per request
    int path_failure_threshold = 3;  // pathFailureThreshold
    int guard_test_rounds = 6;
    PathDiversity diversity = PathDiversity::subnet24_except_loopback;
};

// How one request to a service node is retried.
struct SnodeSendOptions {
    // true: an unanswered request is tried again on another path (the destination is the only
    // one that will do). false: it ends with kNoAnswer, for a caller that moves on to another
    // member of the swarm rather than wait for paths to time out one after another.
    bool retry_unanswered = true;
    // Paths that earlier requests of the same caller-level operation failed on; the router
    // prefers other paths and appends the path of each failure. nullptr: this request only.
    std::shared_ptr<std::vector<std::uint64_t>> failed_paths;
};

struct Path {
    std::uint64_t id = 0;
    std::vector<rpc::ServiceNode> nodes;  // nodes[0] is the guard
    int failures = 0;
};

class OnionRouter {
public:
    // Everything referenced must outlive the router. Destroying the router abandons its requests:
    // their callbacks are not invoked.
    OnionRouter(Loop& loop, Transport& transport, NodePool& pool,
                std::shared_ptr<const NodeAddressing> addressing, RouterConfig config = {});
    ~OnionRouter();
    OnionRouter(const OnionRouter&) = delete;
    OnionRouter& operator=(const OnionRouter&) = delete;

    // An RPC (the {"method","params"} JSON) to `target` through a path. Success: the
    // destination's decrypted reply, whatever its RPC status (421, 406, ... are for the caller).
    // Errors: kNoNodes, kNoGuard, kPathFailed (with the last failure), kDestinationFailed,
    // kNoAnswer (only with options.retry_unanswered off).
    void send_to_snode(const rpc::ServiceNode& target, std::string rpc_json,
                       Callback<onion::SnodeReply> done, SnodeSendOptions options = {});
    // A v4 request (onion::encode_v4_request) to a server, whose exit is the path's last hop.
    // Errors: as above, plus kServerUnreachable (the exit could not reach or hear the server).
    void send_to_server(const onion::ServerDestination& server, Bytes v4_request,
                        Callback<onion::V4Response> done);

    // Builds the missing paths now (sending builds them on demand anyway).
    void build_paths(Callback<> done);
    const std::vector<Path>& paths() const { return paths_; }
    // Guards kept from an earlier session: tested first when paths are built (protocol §6.7:
    // desktop keeps its guards).
    void prefer_guards(std::vector<crypto::Ed25519PublicKey> guards) { preferred_guards_ = std::move(guards); }
    std::vector<crypto::Ed25519PublicKey> guards() const;
    // The diversity key of a node under the configured policy (same key = may not share a path).
    std::string diversity_key(const rpc::ServiceNode& node) const;

private:
    struct Request;
    void dispatch(const std::shared_ptr<Request>& r);
    void attempt(const std::shared_ptr<Request>& r, Path& path);
    void on_answer(const std::shared_ptr<Request>& r, std::uint64_t path_id,
                   Result<HttpResponse> answer);
    void retry(const std::shared_ptr<Request>& r, const Error& why);
    void finish(const std::shared_ptr<Request>& r, Result<onion::SnodeReply> snode,
                Result<onion::V4Response> server);
    void finish_error(const std::shared_ptr<Request>& r, Error e);

    void path_failed(std::uint64_t path_id);
    void path_succeeded(std::uint64_t path_id, const std::shared_ptr<Request>& r);
    void unanswered(const std::shared_ptr<Request>& r, std::uint64_t path_id, const Error& why);
    void drop_path(std::uint64_t path_id);
    Path* find_path(std::uint64_t id);
    bool repair(Path& path);  // replaces dropped non-guard nodes; false if the guard is gone
    std::optional<std::vector<rpc::ServiceNode>> pick_hops(const rpc::ServiceNode& guard,
                                                           std::size_t count) const;

    void ensure_paths();
    void test_guards(int round);
    void on_guard_tested(const rpc::ServiceNode& candidate, bool ok, int round);
    void build_done(Result<void> result);
    void flush_waiting();

    Loop& loop_;
    Transport& transport_;
    NodePool& pool_;
    std::shared_ptr<const NodeAddressing> addressing_;
    RouterConfig config_;
    std::vector<Path> paths_;
    std::uint64_t next_path_id_ = 1;
    std::deque<std::shared_ptr<Request>> waiting_;  // until a path exists
    std::map<std::uint64_t, std::shared_ptr<Request>> in_flight_;
    std::vector<Callback<>> build_waiters_;
    bool building_ = false;
    std::size_t guard_tests_pending_ = 0;
    std::vector<crypto::Ed25519PublicKey> tested_;          // candidates tried during this build
    std::vector<crypto::Ed25519PublicKey> retired_guards_;  // guards of dropped paths
    std::vector<crypto::Ed25519PublicKey> preferred_guards_;
    std::optional<Error> build_error_;  // why the current build could not fill a path
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::uint64_t next_request_id_ = 1;
};

}  // namespace st::net
