#include "disappearing.hpp"

#include <algorithm>

namespace st::app::disappearing {
namespace {

constexpr std::uint32_t kMinute = 60, kHour = 3600, kDay = 86400, kWeek = 7 * kDay;
constexpr std::uint32_t kAfterRead[] = {5 * kMinute, kHour, 12 * kHour, kDay, kWeek, 2 * kWeek};
constexpr std::uint32_t kAfterSend[] = {12 * kHour, kDay, kWeek, 2 * kWeek};
constexpr std::uint32_t kShort[] = {10, 30, kMinute};

std::string plural(std::uint32_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::vector<DisappearingChoice> choices(bool short_timers) {
    std::vector<DisappearingChoice> out;
    out.push_back({DisappearingMode::Off, 0, "Off"});
    for (auto mode : {DisappearingMode::AfterRead, DisappearingMode::AfterSend}) {
        if (short_timers)
            for (auto s : kShort) out.push_back({mode, s, duration_text(s)});
        if (mode == DisappearingMode::AfterRead)
            for (auto s : kAfterRead) out.push_back({mode, s, duration_text(s)});
        else
            for (auto s : kAfterSend) out.push_back({mode, s, duration_text(s)});
    }
    return out;
}

bool allowed(DisappearingMode mode, std::uint32_t seconds, bool short_timers) {
    if (mode == DisappearingMode::Off) return true;
    for (const auto& c : choices(short_timers))
        if (c.mode == mode && c.seconds == seconds) return true;
    return false;
}

std::string duration_text(std::uint32_t s) {
    if (s % kWeek == 0) return plural(s / kWeek, "week");
    if (s % kDay == 0) return plural(s / kDay, "day");
    if (s % kHour == 0) return plural(s / kHour, "hour");
    if (s % kMinute == 0) return plural(s / kMinute, "minute");
    return plural(s, "second");
}

std::string setting_text(DisappearingMode mode, std::uint32_t seconds) {
    if (mode == DisappearingMode::Off || seconds == 0) return {};
    return std::string(mode == DisappearingMode::AfterRead ? "Disappear after read: " : "Disappear after send: ") +
           duration_text(seconds);
}

std::string notice_text(const std::string& who, DisappearingMode mode, std::uint32_t seconds) {
    const bool us = who.empty();
    if (mode == DisappearingMode::Off || seconds == 0)
        return us ? "You turned off disappearing messages." : who + " has turned off disappearing messages.";
    return (us ? std::string("You set") : who + " has set") + " messages to disappear " + duration_text(seconds) +
           " after they have been " + (mode == DisappearingMode::AfterRead ? "read." : "sent.");
}

proto::Expiration to_proto(DisappearingMode mode, std::uint32_t seconds) {
    if (mode == DisappearingMode::Off || seconds == 0) return {};
    return {mode == DisappearingMode::AfterRead ? proto::ExpirationType::DeleteAfterRead
                                                : proto::ExpirationType::DeleteAfterSend,
            seconds};
}

DisappearingMode from_proto(proto::ExpirationType type) {
    switch (type) {
        case proto::ExpirationType::DeleteAfterRead: return DisappearingMode::AfterRead;
        case proto::ExpirationType::DeleteAfterSend: return DisappearingMode::AfterSend;
        default: return DisappearingMode::Off;
    }
}

std::int64_t recipient_ttl_ms(DisappearingMode mode, std::uint32_t seconds, std::int64_t default_ttl_ms) {
    if (mode != DisappearingMode::AfterSend || seconds == 0) return default_ttl_ms;
    return std::min<std::int64_t>(std::int64_t{seconds} * 1000, default_ttl_ms);
}

std::int64_t own_copy_ttl_ms(DisappearingMode mode, std::uint32_t seconds, std::int64_t default_ttl_ms) {
    if (mode == DisappearingMode::Off || seconds == 0) return default_ttl_ms;
    return std::min<std::int64_t>(std::int64_t{seconds} * 1000, default_ttl_ms);
}

std::int64_t expires_at(DisappearingMode mode, std::uint32_t seconds, std::int64_t sent_ms, bool outgoing) {
    if (mode == DisappearingMode::Off || seconds == 0) return 0;
    if (mode == DisappearingMode::AfterRead && !outgoing) return 0;
    return sent_ms + std::int64_t{seconds} * 1000;
}

}  // namespace st::app::disappearing
