#include "st/net/network_clock.hpp"

namespace st::net {

void NetworkClock::add_sample(std::int64_t server_ms) {
    if (server_ms < kMinServerTime) return;
    samples_.push_back(local_.now_ms() - server_ms);
    while (samples_.size() > kMaxSamples) samples_.pop_front();
}

void NetworkClock::reset(std::int64_t server_ms) {
    if (server_ms < kMinServerTime) return;
    samples_.clear();
    add_sample(server_ms);
}

std::int64_t NetworkClock::offset_ms() const {
    if (samples_.empty()) return 0;
    std::int64_t sum = 0;
    for (auto s : samples_) sum += s;
    const auto n = static_cast<std::int64_t>(samples_.size());
    // floor division, also for negative sums (a clock behind the network)
    std::int64_t q = sum / n;
    if ((sum % n != 0) && (sum < 0)) --q;
    return q;
}

}  // namespace st::net
