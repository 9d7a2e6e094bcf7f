// The network-adjusted clock (protocol.md §7.3). Service nodes refuse stores more than 10 s in
// their future and signatures more than 60 s away from their time, and device clocks drift: every
// timestamp the client sends is "network now" = local now - offset, where offset is the mean of
// the last 10 samples (local time - server "t") taken from successful answers.
//
// A server writes "t" while it handles the request, somewhere between our send and its answer;
// the best local time to compare it with is the midpoint of the round trip (send + rtt / 2), not
// the moment the answer is processed: a starved tab (hidden, throttled timers, a long frame) may
// look at an answer seconds after it arrived, and dating the sample then made every message look
// that much early.
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

    // One server time "t" (ms) from the answer to a request sent at local time `sent_local_ms`
    // (local_ms() when it was sent) and processed now: compared with the round trip's midpoint.
    // A `sent_local_ms` later than now (a clock stepped back) counts as "sent now".
    void add_sample(std::int64_t server_ms, std::int64_t sent_local_ms);
    // One server time "t" (ms) compared with the local time now (a zero round trip).
    void add_sample(std::int64_t server_ms) { add_sample(server_ms, local_.now_ms()); }
    // Forgets all samples and starts again from this one (after a 406 "check your clock").
    void reset(std::int64_t server_ms, std::int64_t sent_local_ms);
    void reset(std::int64_t server_ms) { reset(server_ms, local_.now_ms()); }

    // The local time (ms) halfway between `sent_local_ms` and now.
    std::int64_t midpoint_ms(std::int64_t sent_local_ms) const;

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
