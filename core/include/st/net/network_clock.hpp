// The network-adjusted clock (protocol.md §7.3). Service nodes refuse stores more than 10 s in
// their future and signatures more than 60 s away from their time, and device clocks drift: every
// timestamp the client sends is "network now" = local now - offset, where offset is the mean of
// the last 10 samples (local time - server "t") taken from successful answers.
#pragma once

#include <cstdint>
#include <deque>

#include "st/base/clock.hpp"

namespace st::net {

class NetworkClock {
public:
    static constexpr std::size_t kMaxSamples = 10;
    // Server times before 2021-01-01 are ignored (desktop's sanity floor).
    static constexpr std::int64_t kMinServerTime = 1609419600000;

    explicit NetworkClock(const Clock& local) : local_(local) {}

    // One server time "t" (ms), observed now.
    void add_sample(std::int64_t server_ms);
    // Forgets all samples and starts again from this one (after a 406 "check your clock").
    void reset(std::int64_t server_ms);

    // floor(mean(local - server)) over the samples; 0 before the first.
    std::int64_t offset_ms() const;
    std::int64_t now_ms() const { return local_.now_ms() - offset_ms(); }
    // The device's own time (ms since epoch), unadjusted.
    std::int64_t local_ms() const { return local_.now_ms(); }
    std::size_t samples() const { return samples_.size(); }

private:
    const Clock& local_;
    std::deque<std::int64_t> samples_;
};

}  // namespace st::net
