#include "core/time.h"

#include <gtest/gtest.h>

namespace amtsweg::core {
namespace {

using namespace std::chrono_literals;

TEST(Time, FormatsUtcWithMilliseconds) {
  Timestamp t = FromUnixMillis(1'764'240'737'123);  // 2025-11-27T10:52:17.123Z
  EXPECT_EQ(FormatIso8601(t), "2025-11-27T10:52:17.123Z");
  EXPECT_EQ(FormatIso8601(t, 0), "2025-11-27T10:52:17Z");
  EXPECT_EQ(FormatIso8601(t, 6), "2025-11-27T10:52:17.123000Z");
}

TEST(Time, ParsesOffsetsIntoUtc) {
  auto t = ParseIso8601("2026-03-29T03:30:00+02:00");  // Berlin summer time begins that night
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(FormatIso8601(*t, 0), "2026-03-29T01:30:00Z");
  auto z = ParseIso8601("2026-11-27T10:00:00.5Z");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(FormatIso8601(*z), "2026-11-27T10:00:00.500Z");
}

TEST(Time, RoundTripsMicroseconds) {
  Timestamp t = FromUnixMillis(1'000) + 123456us;
  EXPECT_EQ(*ParseIso8601(FormatIso8601(t, 6)), t);
}

TEST(Time, RejectsMissingOffsetAndImpossibleDates) {
  auto no_offset = ParseIso8601("2026-11-27T10:00:00");
  ASSERT_FALSE(no_offset.ok());
  EXPECT_NE(no_offset.error().message().find("missing offset"), std::string::npos);
  EXPECT_FALSE(ParseIso8601("2026-02-30T10:00:00Z").ok());
  EXPECT_FALSE(ParseIso8601("2026-11-27T24:00:00Z").ok());
  EXPECT_FALSE(ParseIso8601("2026-11-27T10:00:00Zjunk").ok());
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(FromUnixMillis(0));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 0);
  clock.Advance(1500ms);
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1500);
}

}  // namespace
}  // namespace amtsweg::core
