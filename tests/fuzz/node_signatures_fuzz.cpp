// Untrusted swarm answers to delete, delete_all, expire and get_expiries (protocol.md §5.4.3–
// §5.4.8) → the parser and every member's signature check. Whatever a node sends, nothing may
// crash, and a result may only count as confirmed when its signature is valid — which random
// bytes never are.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "st/rpc/node_signatures.hpp"
#include "st/rpc/responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const std::string owner = "05" + std::string(64, 'a');
    const std::vector<std::string> requested{std::string(43, 'A'), std::string(43, 'B')};
    if (auto outcome = st::rpc::parse_swarm_outcome(body)) {
        for (const auto& [key, node] : outcome->nodes) {
            auto ed = st::crypto::Ed25519PublicKey::from_hex(key);
            if (!ed || node.failed) continue;
            // A fuzzer cannot forge an Ed25519 signature: any "valid" result here is a bug.
            if (st::rpc::verify_delete(owner, requested, *ed, node)) std::abort();
            if (st::rpc::verify_delete_all(owner, 1'700'000'000'000, *ed, node)) std::abort();
            if (st::rpc::verify_expire(owner, requested, 1'700'000'000'000, *ed, node)) std::abort();
        }
    }
    if (auto expiries = st::rpc::parse_get_expiries(body))
        for (const auto& [hash, ms] : *expiries)
            if (hash.empty()) std::abort();
    return 0;
}
