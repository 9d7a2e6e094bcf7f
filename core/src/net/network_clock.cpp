#include "st/net/network_clock.hpp"

namespace st::net {

std::int64_t NetworkClock::midpoint_ms(std::int64_t sent_local_ms) const {
    const std::int64_t now = local_.now_ms();
    if (sent_local_ms >= now) return now;
    return sent_local_ms + (now - sent_local_ms) / 2;
}

void NetworkClock::add_sample(std::int64_t server_ms, std::int64_t sent_local_ms) {
    if (server_ms < kMinServerTime) return;
    samples_.push_back(midpoint_ms(sent_local_ms) - server_ms);
    while (samples_.size() > kMaxSamples) samples_.pop_front();
}

void NetworkClock::reset(std::int64_t server_ms, std::int64_t sent_local_ms) {
    if (server_ms < kMinServerTime) return;
    samples_.clear();
    add_sample(server_ms, sent_local_ms);
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
