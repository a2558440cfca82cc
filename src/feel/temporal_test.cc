#include "feel/temporal.h"

#include <gtest/gtest.h>

namespace amtsweg::feel {
namespace {

TEST(Temporal, DateRoundTripsIncludingFarAndNegativeYears) {
  for (const char* s : {"2017-12-31", "1970-01-01", "-0001-01-01", "999999999-12-31",
                        "2020-02-29", "0000-03-01"}) {
    auto d = ParseDate(s);
    ASSERT_TRUE(d) << s;
    EXPECT_EQ(FormatDate(*d), s);
  }
}

TEST(Temporal, RejectsInvalidDates) {
  EXPECT_FALSE(ParseDate("2019-02-29"));
  EXPECT_FALSE(ParseDate("2019-13-01"));
  EXPECT_FALSE(ParseDate("19-01-01"));
  EXPECT_FALSE(ParseDate("2019-1-01"));
  EXPECT_FALSE(ParseDate("02019-01-01"));
}

TEST(Temporal, ParsesTimesWithOffsetsAndZones) {
  auto t = ParseTime("10:30:00.5+01:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->zone.offset, 3600);
  EXPECT_EQ(FormatTime(*t), "10:30:00.5+01:00");
  auto z = ParseTime("10:30:11@Australia/Melbourne");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->zone.zone, "Australia/Melbourne");
  EXPECT_EQ(FormatTime(*ParseTime("23:59:59Z")), "23:59:59Z");
  EXPECT_FALSE(ParseTime("25:00:00"));
  EXPECT_FALSE(ParseTime("10:30:00@No/Such_Zone"));
}

TEST(Temporal, ZoneOffsetFollowsDaylightSaving) {
  auto winter = ParseDateTime("2026-01-15T12:00:00@Europe/Berlin");
  auto summer = ParseDateTime("2026-07-15T12:00:00@Europe/Berlin");
  ASSERT_TRUE(winter && summer);
  EXPECT_EQ(*EffectiveOffset(*winter), 3600);
  EXPECT_EQ(*EffectiveOffset(*summer), 7200);
}

TEST(Temporal, DurationsParseAndNormalise) {
  EXPECT_EQ(FormatYmDuration(*ParseYmDuration("P14M")), "P1Y2M");
  EXPECT_EQ(FormatYmDuration(*ParseYmDuration("-P1Y")), "-P1Y");
  EXPECT_EQ(FormatDtDuration(*ParseDtDuration("PT36H")), "P1DT12H");
  EXPECT_EQ(FormatDtDuration(*ParseDtDuration("P1DT2H3M4.5S")), "P1DT2H3M4.5S");
  EXPECT_EQ(FormatDtDuration(*ParseDtDuration("PT0S")), "PT0S");
  EXPECT_FALSE(ParseDtDuration("P1Y"));
  EXPECT_FALSE(ParseYmDuration("P1D"));
  EXPECT_FALSE(ParseDtDuration("P1DT"));
  EXPECT_FALSE(ParseDtDuration("P"));
}

TEST(Temporal, WeekdaysAndIsoWeeks) {
  EXPECT_EQ(IsoWeekday(ParseDate("2019-09-17")->days), 2);  // Tuesday
  EXPECT_EQ(IsoWeekOfYear(ParseDate("2019-09-17")->days), 38);
  EXPECT_EQ(IsoWeekOfYear(ParseDate("2021-01-01")->days), 53);
}

}  // namespace
}  // namespace amtsweg::feel
