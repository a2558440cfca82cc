#include "engine/timer_spec.h"

#include <gtest/gtest.h>

namespace amtsweg::engine {
namespace {

core::Timestamp At(std::string_view s) { return *core::ParseIso8601(s); }

TEST(TimerSpec, ParsesDurations) {
  EXPECT_EQ(*ParseIsoDuration("PT15M"), (IsoDuration{0, 15LL * 60 * 1'000'000}));
  EXPECT_EQ(*ParseIsoDuration("P1Y2M"), (IsoDuration{14, 0}));
  EXPECT_EQ(*ParseIsoDuration("P1W"), (IsoDuration{0, 7LL * 86400 * 1'000'000}));
  EXPECT_EQ(*ParseIsoDuration("P1DT2H0.5S"), (IsoDuration{0, (86400LL + 7200) * 1'000'000 + 500'000}));
}

TEST(TimerSpec, RejectsMalformedDurations) {
  for (const char* bad : {"", "P", "PT", "15M", "P1H", "PT1D", "P-1D", "P1.5D", "PTM", "P1DT"}) {
    EXPECT_FALSE(ParseIsoDuration(bad).ok()) << bad;
  }
}

TEST(TimerSpec, FormatsDurationsRoundTrip) {
  for (const char* text : {"PT15M", "P14M", "P1DT2H", "PT0.5S", "P3MT1H"}) {
    auto d = ParseIsoDuration(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(*ParseIsoDuration(FormatIsoDuration(*d)), *d) << text;
  }
}

TEST(TimerSpec, AddsMonthsOnTheCalendarClampingTheDay) {
  EXPECT_EQ(AddDuration(At("2024-01-31T10:00:00Z"), *ParseIsoDuration("P1M")), At("2024-02-29T10:00:00Z"));
  EXPECT_EQ(AddDuration(At("2024-12-15T00:00:00Z"), *ParseIsoDuration("P1MT1H")), At("2025-01-15T01:00:00Z"));
}

TEST(TimerSpec, DurationIsRelativeToNow) {
  auto s = ParseTimerDuration("PT10S", At("2026-01-01T00:00:00Z"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->due, At("2026-01-01T00:00:10Z"));
  EXPECT_EQ(s->repetitions, 0);
}

TEST(TimerSpec, DateNeedsAnOffset) {
  EXPECT_EQ(ParseTimerDate("2026-03-01T08:00:00+01:00")->due, At("2026-03-01T07:00:00Z"));
  EXPECT_FALSE(ParseTimerDate("2026-03-01T08:00:00").ok());
}

// A FEEL date-time with an IANA zone: the zone's offset at that local time.
TEST(TimerSpec, DateWithAZoneIdUsesItsOffsetAtThatTime) {
  EXPECT_EQ(ParseTimerDate("2027-03-01T08:00:00@Europe/Berlin")->due, At("2027-03-01T07:00:00Z"));  // CET
  EXPECT_EQ(ParseTimerDate("2027-04-02T08:00:00@Europe/Berlin")->due, At("2027-04-02T06:00:00Z"));  // CEST
  EXPECT_FALSE(ParseTimerDate("2027-04-02T08:00:00@Nowhere/Atlantis").ok());
}

TEST(TimerSpec, CyclesCountRepetitions) {
  auto now = At("2026-01-01T00:00:00Z");
  auto three = ParseTimerCycle("R3/PT10S", now);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->due, At("2026-01-01T00:00:10Z"));
  EXPECT_EQ(three->repetitions, 2);
  auto endless = ParseTimerCycle("R/P1D", now);
  ASSERT_TRUE(endless.ok());
  EXPECT_EQ(endless->repetitions, -1);
  auto started = ParseTimerCycle("R2/2026-02-01T08:00:00Z/PT1H", now);
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->due, At("2026-02-01T08:00:00Z"));
  EXPECT_EQ(started->repetitions, 1);
  EXPECT_EQ(ParseTimerCycle("0 0 9 * * ?", now).error().code(), core::ErrorCode::kUnimplemented);
  EXPECT_FALSE(ParseTimerCycle("R0/PT1S", now).ok());
}

}  // namespace
}  // namespace amtsweg::engine
