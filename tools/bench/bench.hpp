// A minimal benchmark registry shared by the native and wasm builds of st_bench (Google Benchmark
// does not build with Emscripten 3.1.6, and the two builds must time exactly the same code).
//
// A case is a function that runs its operation `iterations` times. The runner calibrates the count
// so each case takes about the target time, then reports nanoseconds per operation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace st::bench {

struct Case {
    std::string name;                                   // "group/operation", e.g. "crypto/ed25519_sign"
    std::function<void(std::uint64_t iterations)> run;  // runs the operation `iterations` times
};

std::vector<Case>& registry();

struct Registrar {
    Registrar(std::string name, std::function<void(std::uint64_t)> run) {
        registry().push_back({std::move(name), std::move(run)});
    }
};

// Keeps the optimiser from discarding a result.
template <class T>
inline void keep(T const& value) {
    asm volatile("" : : "r,m"(value) : "memory");
}

}  // namespace st::bench

#define ST_BENCH_CONCAT2(a, b) a##b
#define ST_BENCH_CONCAT(a, b) ST_BENCH_CONCAT2(a, b)
// ST_BENCH("group/name") { for (std::uint64_t i = 0; i < iterations; ++i) { ... } }
#define ST_BENCH(name)                                                                        \
    static void ST_BENCH_CONCAT(st_bench_fn_, __LINE__)(std::uint64_t iterations);            \
    static ::st::bench::Registrar ST_BENCH_CONCAT(st_bench_reg_, __LINE__)(                   \
        name, ST_BENCH_CONCAT(st_bench_fn_, __LINE__));                                       \
    static void ST_BENCH_CONCAT(st_bench_fn_, __LINE__)([[maybe_unused]] std::uint64_t iterations)
