#include "st/crypto/keys.hpp"

#include <sodium.h>

#include <cstdlib>

namespace st::crypto {

void ensure_sodium_ready() {
    // sodium_init is thread-safe and idempotent; it fails only if the platform has no secure
    // randomness, in which case no key could ever be made safely: stop rather than go on.
    static const bool ready = sodium_init() >= 0;
    if (!ready) std::abort();
}

}  // namespace st::crypto
