// Untrusted onion replies (protocol.md §6.5, §6.9). The first byte picks what the rest is:
//   0: a guard's HTTP 200 body (base64 / legacy JSON) opened with a fixed key — mostly rejected
//   1: a destination's plaintext, sealed with the key first so the whole decode path runs
//   2: a guard's error body, with the next two bytes as its HTTP status
//   3: an onion layer blob (split_layer)
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "st/onion/hop.hpp"
#include "st/onion/response.hpp"

namespace {
const st::onion::SymmetricKey& key() {
    static const st::onion::SymmetricKey k = [] {
        st::onion::SymmetricKey s;
        for (std::size_t i = 0; i < s.size(); ++i) s.data()[i] = static_cast<std::uint8_t>(i * 7);
        return s;
    }();
    return k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const st::ByteView in(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            (void)st::onion::decode_snode_response(key(), in);
            break;
        case 1: {
            auto direct = st::onion::parse_snode_reply(st::as_chars(in));
            auto sealed = st::to_base64(st::onion::encrypt(key(), in));
            auto via_wire = st::onion::decode_snode_response(key(), st::as_bytes(sealed));
            if (direct.has_value() != via_wire.has_value()) std::abort();
            if (direct && (direct->status != via_wire->status || direct->body != via_wire->body))
                std::abort();
            if (direct && (direct->status < 100 || direct->status > 999)) std::abort();
            break;
        }
        case 2: {
            const int status = in.size() >= 2 ? (in[0] << 8 | in[1]) : 0;
            const auto body = st::as_chars(in.size() >= 2 ? in.subspan(2) : in);
            auto e = st::onion::classify_guard_error(status, body);
            if (e.node && e.kind != st::onion::GuardFailure::node_not_found &&
                e.kind != st::onion::GuardFailure::node_not_ready)
                std::abort();
            break;
        }
        default: {
            auto parts = st::onion::split_layer(in);
            if (parts && 4 + parts->ciphertext.size() + parts->json.size() != in.size())
                std::abort();
            break;
        }
    }
    return 0;
}
