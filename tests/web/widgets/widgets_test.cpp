// Time formatting, short IDs and ellipsis: the helpers behind the list and bubble labels.
#include "widgets/widgets.hpp"

#include <gtest/gtest.h>

#include "web/support/ui_harness.hpp"

namespace st::ui::detail {
namespace {

constexpr std::int64_t kNow = 1'709'647'200'000;  // Tue 2024-03-05 14:00 UTC

TEST(CivilTime, ConvertsEpochMillisecondsToLocalDates) {
    const CivilTime t = civil_time(kNow, 60);
    EXPECT_EQ(t.year, 2024);
    EXPECT_EQ(t.month, 3);
    EXPECT_EQ(t.day, 5);
    EXPECT_EQ(t.hour, 15);
    EXPECT_EQ(t.minute, 0);
    EXPECT_EQ(t.weekday, 2);
    const CivilTime leap = civil_time(1'709'164'800'000, 0);  // 2024-02-29 00:00 UTC
    EXPECT_EQ(leap.month, 2);
    EXPECT_EQ(leap.day, 29);
    const CivilTime before_epoch = civil_time(-1, 0);
    EXPECT_EQ(before_epoch.year, 1969);
    EXPECT_EQ(before_epoch.hour, 23);
    EXPECT_EQ(before_epoch.weekday, 3);
}

TEST(ListTime, ShowsTheClockTodayTheWeekdayThisWeekAndTheDateOtherwise) {
    const FrameContext clock{kNow, 0};
    EXPECT_EQ(list_time(kNow - 3'600'000, clock), "13:00");
    EXPECT_EQ(list_time(kNow - 86'400'000, clock), "Mon");
    EXPECT_EQ(list_time(kNow - 86'400'000LL * 20, clock), "14 Feb");
    EXPECT_EQ(list_time(kNow - 86'400'000LL * 400, clock), "30 Jan 2023");
}

TEST(DayHeading, NamesTodayAndYesterday) {
    const FrameContext clock{kNow, 0};
    EXPECT_EQ(day_heading(kNow, clock), "Today");
    EXPECT_EQ(day_heading(kNow - 86'400'000, clock), "Yesterday");
    EXPECT_EQ(day_heading(kNow - 86'400'000LL * 3, clock), "Saturday 2 March 2024");
}

TEST(ShortId, KeepsBothEnds) {
    EXPECT_EQ(short_id("05" + std::string(60, 'a') + "1234"), "05aaaa\xE2\x80\xA6" "aa1234");
    EXPECT_EQ(short_id("05ab"), "05ab");
}

TEST(Ellipsize, CutsToTheWidthAndAtTheFirstLineBreak) {
    testing::UiHarness h;  // an ImGui context with a font
    ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    EXPECT_EQ(ellipsize(font, "short", 1000), "short");
    EXPECT_EQ(ellipsize(font, "line one\nline two", 1000), "line one\xE2\x80\xA6");
    const std::string cut = ellipsize(font, std::string(500, 'x'), 100);
    EXPECT_LT(cut.size(), 100u);
    EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");
    EXPECT_EQ(ellipsize(font, "\xC3\x28\xFF", 1000).size() > 0, true);  // invalid UTF-8: no crash
}

}  // namespace
}  // namespace st::ui::detail
