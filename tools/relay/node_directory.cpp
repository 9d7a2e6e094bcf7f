#include "relay/node_directory.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <utility>

namespace st::relay {

namespace {
constexpr std::chrono::seconds kMinEarlyRefresh{30};
constexpr std::chrono::milliseconds kMaxRetryDelay{60000};
constexpr std::size_t kMaxSeedAnswer = 32 * 1024 * 1024;

// What the log says of a failed seed request: the error code and the system's reason (never a
// body: UpstreamClient's messages hold none).
std::string describe(const Error& error) { return std::string(error.code) + ": " + error.message; }
}  // namespace

NodeDirectory::NodeDirectory(boost::asio::io_context& ioc, UpstreamClient& upstream,
                             const Config& config)
    : timer_(ioc), upstream_(upstream), config_(config), random_(std::random_device{}()) {}

void NodeDirectory::start() { fetch(); }

void NodeDirectory::stop() {
    stopped_ = true;
    timer_.cancel();
    waiters_.clear();
}

bool NodeDirectory::refresh_for_unknown(std::function<void()> done) {
    if (stopped_) return false;
    if (in_flight_) {
        waiters_.push_back(std::move(done));
        return true;
    }
    const auto now = std::chrono::steady_clock::now();
    if (last_early_ && now - *last_early_ < kMinEarlyRefresh) return false;
    last_early_ = now;
    waiters_.push_back(std::move(done));
    timer_.cancel();  // the scheduled refresh or retry: this fetch replaces it
    fetch();
    return true;
}

void NodeDirectory::schedule(std::chrono::milliseconds delay) {
    if (stopped_) return;
    timer_.expires_after(delay);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec && !stopped_) fetch();
    });
}

std::vector<std::size_t> NodeDirectory::random_order(std::optional<std::size_t> first) {
    std::vector<std::size_t> order(config_.seeds.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), random_);
    if (first) std::iter_swap(order.begin(), std::find(order.begin(), order.end(), *first));
    return order;
}

UpstreamRequest NodeDirectory::seed_request(const Seed& seed, std::string body) const {
    UpstreamRequest request;
    request.scheme = seed.url.scheme;
    request.host = seed.url.host;
    request.port = seed.url.port;
    request.target = seed.url.path + "/json_rpc";
    request.content_type = "application/json";
    request.body = std::move(body);
    request.timeout = config_.seed_timeout;
    request.max_response = kMaxSeedAnswer;
    request.peer = TlsPeer::seed;
    request.seed_pins = seed.pins;
    return request;
}

void NodeDirectory::fetch() {
    if (in_flight_) return;
    in_flight_ = true;
    // A random order per fetch spreads the relays' load over the seeds, as the official clients
    // pick a random seed (SeedNodeAPI.ts).
    order_ = random_order(std::nullopt);
    last_problem_.clear();
    try_seed(0);
}

void NodeDirectory::try_seed(std::size_t attempt) {
    const std::size_t seed = order_[attempt];
    upstream_.post(seed_request(config_.seeds[seed], seed_request_body()),
                   [this, seed, attempt](Result<UpstreamResponse> answer) {
                       on_answer(seed, attempt, std::move(answer));
                   });
}

void NodeDirectory::on_answer(std::size_t seed, std::size_t attempt,
                              Result<UpstreamResponse> answer) {
    if (stopped_) {
        in_flight_ = false;
        return;
    }
    const std::string url = to_string(config_.seeds[seed].url);
    std::string problem;
    if (!answer) {
        problem = describe(answer.error());
    } else if (answer->status != 200) {
        problem = "HTTP " + std::to_string(answer->status);
    } else {
        ParseOptions options;
        options.allow_private_addresses = config_.network != "live";
        auto parsed = parse_service_nodes(answer->body, options);
        if (!parsed) {
            problem = describe(parsed.error());
        } else {
            const std::size_t count = parsed->nodes.size();
            list_.replace(std::move(parsed->nodes));
            current_ = seed;
            std::fprintf(stderr, "relay: %zu node(s) from the seed %s (%zu entries skipped)\n",
                         count, url.c_str(), parsed->skipped);
            retry_delay_ = std::chrono::milliseconds(1000);
            schedule(config_.refresh);
            return end_fetch();
        }
    }
    last_problem_ = problem;
    if (attempt + 1 < order_.size()) {
        std::fprintf(stderr, "relay: seed %s failed (%s); trying another seed\n", url.c_str(),
                     problem.c_str());
        return try_seed(attempt + 1);
    }
    const std::string which =
        order_.size() == 1 ? "seed " + url
                           : "all " + std::to_string(order_.size()) + " seeds, last " + url;
    std::fprintf(stderr, "relay: node list fetch failed (%s: %s); %zu nodes kept; retry in %lld ms\n",
                 which.c_str(), problem.c_str(), list_.size(),
                 static_cast<long long>(retry_delay_.count()));
    schedule(retry_delay_);
    retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
    end_fetch();
}

void NodeDirectory::end_fetch() {
    in_flight_ = false;
    // Pages waiting for this fetch look their key up again (the callbacks may start a new
    // fetch's waiters: take the list first).
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& done : waiters) done();
}

void NodeDirectory::post_to_seeds(std::string body,
                                  std::function<void(Result<UpstreamResponse>)> done) {
    auto order = std::make_shared<std::vector<std::size_t>>(random_order(current_));
    post_from(std::move(order), 0, std::move(body), std::move(done));
}

void NodeDirectory::post_from(std::shared_ptr<std::vector<std::size_t>> order,
                              std::size_t attempt, std::string body,
                              std::function<void(Result<UpstreamResponse>)> done) {
    const std::size_t seed = (*order)[attempt];
    // The body is kept for the next seed only when there is one.
    const bool last = attempt + 1 == order->size();
    std::string copy = last ? std::string() : body;
    upstream_.post(
        seed_request(config_.seeds[seed], std::move(body)),
        [this, order, attempt, seed, last, copy = std::move(copy),
         done = std::move(done)](Result<UpstreamResponse> answer) mutable {
            const bool unreachable =
                !answer && (answer.error().code == upstream_error::unreachable ||
                            answer.error().code == upstream_error::tls);
            if (last || stopped_ || !unreachable) return done(std::move(answer));
            std::fprintf(stderr, "relay: seed %s failed for a page's request (%s); trying another\n",
                         to_string(config_.seeds[seed].url).c_str(),
                         describe(answer.error()).c_str());
            post_from(order, attempt + 1, std::move(copy), std::move(done));
        });
}

}  // namespace st::relay
