// Untrusted text typed by a person → the recovery-phrase decoder. Must never crash; a phrase that
// decodes must re-encode to a phrase that decodes to the same seed.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/crypto/mnemonic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace mn = st::crypto::mnemonic;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto seed = mn::decode_seed(text);
    if (seed) {
        auto again = mn::decode_seed(mn::encode(*seed).str());
        if (!again || !again->equals(*seed)) std::abort();
    }
    (void)mn::decode(text);
    return 0;
}
