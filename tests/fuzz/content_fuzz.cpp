// Untrusted decrypted, unpadded bytes → Content parsing and the receiver's rules (protocol.md §4,
// §8). Must never crash or allocate without bound. The first input byte picks whether the sender
// is ourselves (sync copies, Note-to-Self) and which timestamp the envelope claims.
#include <cstdint>
#include <cstdlib>

#include "st/crypto/session_id.hpp"
#include "st/proto/content.hpp"

namespace {
const st::crypto::SessionId& id(int which) {
    static const auto a = *st::crypto::SessionId::parse(
        "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    static const auto b = *st::crypto::SessionId::parse(
        "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74");
    return which ? b : a;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::uint64_t timestamp = (mode & 2) ? 1700000000000 : 0;
    const auto& me = id(1);
    const auto& sender = (mode & 1) ? me : id(0);
    auto event = st::proto::parse_content(st::ByteView(data + 1, size - 1), sender, timestamp, me);
    if (event) {
        if (event->sender != sender || event->sent_ms != timestamp) std::abort();
        (void)st::proto::kind_name(event->body);
    }
    return 0;
}
