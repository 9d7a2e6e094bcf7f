#include "st/net/random.hpp"

#include <sodium.h>

#include "st/crypto/keys.hpp"

namespace st::net {

namespace {
class SodiumRandom final : public Random {
public:
    std::uint32_t below(std::uint32_t upper) override {
        crypto::ensure_sodium_ready();
        return upper <= 1 ? 0 : randombytes_uniform(upper);
    }
};
}  // namespace

Random& system_random() {
    static SodiumRandom r;
    return r;
}

}  // namespace st::net
