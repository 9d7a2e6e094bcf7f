// Private to core/src/app: the rules of disappearing messages (protocol §8.3, §7.2) that do not
// need storage — which timers a person may choose, how they read in sentences, when a message
// ends and how long its copies live in the swarm.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "st/app/view.hpp"
#include "st/proto/model.hpp"

namespace st::app::disappearing {

// The official clients' choices (session-desktop ts/session/constants.ts DURATION_SECONDS and
// the disappearing-messages menu): after read 5 min, 1 h, 12 h, 1 day, 1 week, 2 weeks; after
// send 12 h, 1 day, 1 week, 2 weeks. Their development builds add 10 s, 30 s and 1 min to both;
// `short_timers` adds those (the devnet, tests).
std::vector<DisappearingChoice> choices(bool short_timers);
// Whether (mode, seconds) is one of choices(short_timers) (Off with any seconds is).
bool allowed(DisappearingMode mode, std::uint32_t seconds, bool short_timers);

// "10 seconds", "1 minute", "5 minutes", "1 hour", "12 hours", "1 day", "1 week", "2 weeks".
std::string duration_text(std::uint32_t seconds);
// The header line: "Disappear after read: 1 hour"; "" when off.
std::string setting_text(DisappearingMode mode, std::uint32_t seconds);
// The line shown in the conversation when the setting changes. `who` is a title, or "" for us:
// "Alice has set messages to disappear 1 hour after they have been read.",
// "You set messages to disappear 1 day after they have been sent.",
// "Alice has turned off disappearing messages." / "You turned off disappearing messages."
std::string notice_text(const std::string& who, DisappearingMode mode, std::uint32_t seconds);

// Between the view's and the protocol's names of the same thing.
proto::Expiration to_proto(DisappearingMode mode, std::uint32_t seconds);
DisappearingMode from_proto(proto::ExpirationType type);

// The TTLs of §7.2 (ms): the copy in the recipient's swarm, and our own sync copy.
std::int64_t recipient_ttl_ms(DisappearingMode mode, std::uint32_t seconds, std::int64_t default_ttl_ms);
std::int64_t own_copy_ttl_ms(DisappearingMode mode, std::uint32_t seconds, std::int64_t default_ttl_ms);

// When a message ends, if it is known yet: after send, at sent + timer; after read, at sent +
// timer for our own messages (we read what we wrote) and only once read for theirs (0 until then).
std::int64_t expires_at(DisappearingMode mode, std::uint32_t seconds, std::int64_t sent_ms, bool outgoing);

}  // namespace st::app::disappearing
