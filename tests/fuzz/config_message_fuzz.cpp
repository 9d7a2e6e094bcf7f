// Untrusted decrypted bytes → config message parsing, diffs and merging (docs/config.md §2–3).
// The input is split at "\n--\n" into up to four messages. Must never crash; an accepted message
// must re-serialize to one that parses to the same thing; its data must be rebuilt exactly by
// its diff from nothing; and merging must not depend on the order of the inputs.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "st/config/message.hpp"

using namespace st::config;

namespace {
bool same(const Message& a, const Message& b) {
    return a.seqno == b.seqno && a.data == b.data && a.lagged == b.lagged && a.diff == b.diff &&
           a.unknown == b.unknown;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    std::vector<st::ByteView> parts;
    std::size_t start = 0;
    while (parts.size() < 3) {
        const auto sep = all.find("\n--\n", start);
        if (sep == std::string_view::npos) break;
        parts.push_back(st::as_bytes(all.substr(start, sep - start)));
        start = sep + 4;
    }
    parts.push_back(st::as_bytes(all.substr(start)));

    for (const auto& p : parts) {
        auto m = parse_message(p);
        if (!m) continue;
        const auto again_bytes = serialize_message(*m);
        auto again = parse_message(again_bytes);
        if (!again || !same(*m, *again)) std::abort();
        bt::Dict rebuilt;
        apply_diff(rebuilt, compute_diff({}, m->data), m->data);
        prune_data(rebuilt);
        if (rebuilt != m->data) std::abort();
    }

    auto forward = merge_messages(parts);
    std::vector<st::ByteView> reversed(parts.rbegin(), parts.rend());
    auto backward = merge_messages(reversed);
    if (forward.has_value() != backward.has_value()) std::abort();
    if (forward && (forward->merged != backward->merged || !(forward->id == backward->id) ||
                    forward->message.data != backward->message.data))
        std::abort();
    return 0;
}
