#include "st/rpc/node_signatures.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

namespace st::rpc {

namespace {

Unexpected<Error> refused(std::string why) { return fail(kBadNodeSignature, std::move(why)); }

Result<void> check_signature(const crypto::Ed25519PublicKey& node, const NodeOutcome& outcome,
                             const std::string& text) {
    if (outcome.signature.empty()) return refused("its answer is not signed");
    if (outcome.signature.size() != crypto_sign_BYTES) return refused("its signature is not valid");
    crypto::ensure_sodium_ready();
    if (crypto_sign_verify_detached(outcome.signature.data(),
                                    reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(), node.bytes.data()) != 0)
        return refused("its signature is not valid");
    return {};
}

// Hashes a member claims that we never asked about: a member that invents results is not trusted.
bool only_requested(const std::vector<std::string>& claimed,
                    const std::vector<std::string>& requested) {
    const std::set<std::string> asked(requested.begin(), requested.end());
    return std::all_of(claimed.begin(), claimed.end(),
                       [&](const std::string& h) { return asked.count(h) != 0; });
}

}  // namespace

std::string delete_signed_text(std::string_view owner_hex,
                               const std::vector<std::string>& requested,
                               std::vector<std::string> deleted) {
    std::sort(deleted.begin(), deleted.end());
    std::string text(owner_hex);
    for (const auto& h : requested) text += h;
    for (const auto& h : deleted) text += h;
    return text;
}

std::string delete_all_signed_text(std::string_view owner_hex, std::int64_t timestamp_ms,
                                   std::vector<std::string> deleted) {
    std::sort(deleted.begin(), deleted.end());
    std::string text(owner_hex);
    text += std::to_string(timestamp_ms);
    for (const auto& h : deleted) text += h;
    return text;
}

std::string expire_signed_text(std::string_view owner_hex, std::int64_t applied_expiry_ms,
                               const std::vector<std::string>& requested,
                               std::vector<std::string> updated,
                               const std::map<std::string, std::int64_t>& unchanged) {
    std::sort(updated.begin(), updated.end());
    std::string text(owner_hex);
    text += std::to_string(applied_expiry_ms);
    for (const auto& h : requested) text += h;
    for (const auto& h : updated) text += h;
    for (const auto& [h, ms] : unchanged) text += h + std::to_string(ms);  // std::map: by hash
    return text;
}

Result<void> verify_delete(std::string_view owner_hex, const std::vector<std::string>& requested,
                           const crypto::Ed25519PublicKey& node, const NodeOutcome& outcome) {
    if (!only_requested(outcome.hashes, requested))
        return refused("it reports deleting messages that were not asked for");
    return check_signature(node, outcome, delete_signed_text(owner_hex, requested, outcome.hashes));
}

Result<void> verify_delete_all(std::string_view owner_hex, std::int64_t timestamp_ms,
                               const crypto::Ed25519PublicKey& node, const NodeOutcome& outcome) {
    return check_signature(node, outcome,
                           delete_all_signed_text(owner_hex, timestamp_ms, outcome.hashes));
}

Result<void> verify_expire(std::string_view owner_hex, const std::vector<std::string>& requested,
                           std::int64_t requested_expiry_ms, const crypto::Ed25519PublicKey& node,
                           const NodeOutcome& outcome) {
    if (!outcome.expiry) return refused("its answer has no expiry");
    if (*outcome.expiry > requested_expiry_ms)
        return refused("it applied a later expiry than the one asked for");
    if (!only_requested(outcome.hashes, requested))
        return refused("it reports updating messages that were not asked for");
    for (const auto& [h, ms] : outcome.unchanged)
        if (std::find(requested.begin(), requested.end(), h) == requested.end())
            return refused("it reports messages that were not asked for");
    return check_signature(node, outcome,
                           expire_signed_text(owner_hex, *outcome.expiry, requested, outcome.hashes,
                                              outcome.unchanged));
}

}  // namespace st::rpc
