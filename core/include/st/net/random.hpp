// Random choices of the network layer (which guard, which path, which swarm member). Production
// uses libsodium's generator; tests may inject a seeded one to make a scenario repeatable.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace st::net {

class Random {
public:
    virtual ~Random() = default;
    // Uniform in [0, upper); upper > 0.
    virtual std::uint32_t below(std::uint32_t upper) = 0;

    template <class T>
    void shuffle(std::vector<T>& items) {
        for (std::size_t i = items.size(); i > 1; --i)
            std::swap(items[i - 1], items[below(static_cast<std::uint32_t>(i))]);
    }
};

// libsodium's randombytes_uniform (crypto.getRandomValues in a browser).
Random& system_random();

}  // namespace st::net
