// st_bench: runs every registered case once (after calibration) and prints one JSON line per case:
//   {"name": "...", "ns_per_op": ..., "iterations": ...}
// Usage: st_bench [--filter SUBSTRING] [--min-ms N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench.hpp"

namespace st::bench {
std::vector<Case>& registry() {
    static std::vector<Case> cases;
    return cases;
}
}  // namespace st::bench

int main(int argc, char** argv) {
    using Clock = std::chrono::steady_clock;
    std::string filter;
    double min_ms = 300;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--filter")) filter = argv[i + 1];
        else if (!std::strcmp(argv[i], "--min-ms")) min_ms = std::atof(argv[i + 1]);
    }
    for (auto& c : st::bench::registry()) {
        if (!filter.empty() && c.name.find(filter) == std::string::npos) continue;
        c.run(1);  // warm up (first-use initialisation, page faults)
        std::uint64_t n = 1;
        double ms = 0;
        // Grow the iteration count until one timed run lasts at least min_ms.
        for (;;) {
            auto t0 = Clock::now();
            c.run(n);
            ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            if (ms >= min_ms || n >= (1ull << 40)) break;
            double factor = ms > 0 ? min_ms * 1.2 / ms : 10;
            n = static_cast<std::uint64_t>(static_cast<double>(n) * (factor < 10 ? (factor > 1.5 ? factor : 1.5) : 10)) + 1;
        }
        std::printf("{\"name\": \"%s\", \"ns_per_op\": %.1f, \"iterations\": %llu}\n", c.name.c_str(),
                    ms * 1e6 / static_cast<double>(n), static_cast<unsigned long long>(n));
        std::fflush(stdout);
    }
    return 0;
}
