#include "relay/node_directory.hpp"

#include <algorithm>
#include <cstdio>

namespace st::relay {

namespace {
constexpr std::chrono::seconds kMinEarlyRefresh{30};
constexpr std::chrono::milliseconds kMaxRetryDelay{60000};
constexpr std::size_t kMaxSeedAnswer = 32 * 1024 * 1024;
}  // namespace

NodeDirectory::NodeDirectory(boost::asio::io_context& ioc, UpstreamClient& upstream,
                             const Config& config)
    : timer_(ioc), upstream_(upstream), config_(config) {}

void NodeDirectory::start() { fetch(); }

void NodeDirectory::stop() {
    stopped_ = true;
    timer_.cancel();
}

void NodeDirectory::refresh_soon() {
    if (stopped_ || in_flight_) return;
    if (std::chrono::steady_clock::now() - last_fetch_ < kMinEarlyRefresh) return;
    timer_.cancel();
    fetch();
}

void NodeDirectory::schedule(std::chrono::milliseconds delay) {
    if (stopped_) return;
    timer_.expires_after(delay);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec && !stopped_) fetch();
    });
}

void NodeDirectory::fetch() {
    if (in_flight_) return;
    in_flight_ = true;
    last_fetch_ = std::chrono::steady_clock::now();
    UpstreamRequest request;
    request.scheme = config_.seed.scheme;
    request.host = config_.seed.host;
    request.port = config_.seed.port;
    request.target = config_.seed.path + "/json_rpc";
    request.content_type = "application/json";
    request.body = seed_request_body();
    request.timeout = config_.seed_timeout;
    request.max_response = kMaxSeedAnswer;
    request.peer = TlsPeer::seed;
    upstream_.post(std::move(request),
                   [this](Result<UpstreamResponse> answer) { on_answer(std::move(answer)); });
}

void NodeDirectory::on_answer(Result<UpstreamResponse> answer) {
    in_flight_ = false;
    if (stopped_) return;
    std::string problem;
    if (!answer) {
        problem = std::string(answer.error().code) + ": " + answer.error().message;
    } else if (answer->status != 200) {
        problem = "HTTP " + std::to_string(answer->status);
    } else {
        ParseOptions options;
        options.allow_private_addresses = config_.network != "live";
        auto parsed = parse_service_nodes(answer->body, options);
        if (!parsed) {
            problem = std::string(parsed.error().code) + ": " + parsed.error().message;
        } else {
            const std::size_t count = parsed->nodes.size();
            list_.replace(std::move(parsed->nodes));
            std::fprintf(stderr, "relay: %zu node(s) from the seed (%zu entries skipped)\n", count,
                         parsed->skipped);
            retry_delay_ = std::chrono::milliseconds(1000);
            schedule(config_.refresh);
            return;
        }
    }
    std::fprintf(stderr, "relay: node list fetch failed (%s); %zu nodes kept; retry in %lld ms\n",
                 problem.c_str(), list_.size(), static_cast<long long>(retry_delay_.count()));
    schedule(retry_delay_);
    retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
}

}  // namespace st::relay
