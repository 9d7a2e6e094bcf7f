// Untrusted text → from_base64 (every retrieved message arrives base64-encoded). Must never crash;
// whatever it accepts must re-encode to the same canonical text (modulo omitted padding).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/base/bytes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto decoded = st::from_base64(text);
    if (decoded) {
        auto again = st::to_base64(*decoded);
        if (again.substr(0, text.size()) != text) std::abort();
    }
    auto hex = st::from_hex(text);
    if (hex && st::to_hex(*hex).size() != text.size()) std::abort();
    return 0;
}
