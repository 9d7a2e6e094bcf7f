// ConvoInfoVolatile (namespace 4, domain "ConvoInfoVolatile"; docs/config.md §7.3): read state of
// conversations. Data: "1" -> {33 raw bytes of the Session ID (not hex) -> {r last read (ms),
// u marked unread (1)}}; "o" communities, "g" groups, "C" legacy groups, "b" blinded chats, and
// any other key, are kept and only pruned by age.
//
// Rules (libsession-util src/config/convo_info_volatile.cpp): a last-read time more than 30 days
// old is not written (unless it moves an existing one back); before every push, entries whose
// last read is more than 45 days old are removed unless marked unread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "st/config/base.hpp"
#include "st/crypto/session_id.hpp"

namespace st::config {

inline constexpr std::int64_t kLastReadKeepMs = 30LL * 24 * 3600 * 1000;   // not written if older
inline constexpr std::int64_t kLastReadPruneMs = 45LL * 24 * 3600 * 1000;  // removed on push

struct OneToOneInfo {
    crypto::SessionId id;
    std::int64_t last_read_ms = 0;
    bool unread = false;

    explicit OneToOneInfo(crypto::SessionId sid) : id(std::move(sid)) {}
};

class ConvoInfoVolatile : public ConfigBase {
public:
    static Result<ConvoInfoVolatile> create(Ed25519Seed seed,
                                            std::optional<ByteView> dump = std::nullopt);

    std::optional<OneToOneInfo> get_1to1(const crypto::SessionId& id) const;
    // Writes last read and unread (other keys of the entry stay). now_ms: the network clock.
    void set_1to1(const OneToOneInfo& info, std::int64_t now_ms);
    bool erase_1to1(const crypto::SessionId& id);
    std::vector<OneToOneInfo> list_1to1() const;

    // Removes entries of every conversation kind last read before now_ms - 45 days and not
    // marked unread (push() does this first).
    void prune_stale(std::int64_t now_ms);

private:
    using ConfigBase::ConfigBase;
    void before_push(std::int64_t now_ms) override { prune_stale(now_ms); }
};

}  // namespace st::config
