#include "feel/decimal.h"

#include <gtest/gtest.h>

namespace amtsweg::feel {
namespace {

Decimal D(const char* s) { return *Decimal::Parse(s); }

TEST(Decimal, AddsPointOneAndPointTwoExactly) {
  EXPECT_EQ(D("0.1").Add(D("0.2"))->ToString(), "0.3");
  EXPECT_TRUE(*D("0.1").Add(D("0.2")) == D("0.3"));
}

TEST(Decimal, KeepsThirtyFourSignificantDigits) {
  EXPECT_EQ(D("1").Div(D("3"))->ToString(), "0.3333333333333333333333333333333333");
  EXPECT_EQ(D("2").Div(D("3"))->ToString(), "0.6666666666666666666666666666666667");
  EXPECT_EQ(D("12345678901234567890123456789012345678").ToString(),
            "12345678901234567890123456789012350000");
}

TEST(Decimal, FormatsPlainWithoutTrailingZeros) {
  EXPECT_EQ(D("1.10").ToString(), "1.1");
  EXPECT_EQ(D("100").ToString(), "100");
  EXPECT_EQ(D("1e3").ToString(), "1000");
  EXPECT_EQ(D("-0.000001").ToString(), "-0.000001");
  EXPECT_EQ(D("-0").ToString(), "0");
}

TEST(Decimal, RejectsJunk) {
  EXPECT_FALSE(Decimal::Parse("abc"));
  EXPECT_FALSE(Decimal::Parse("1.2.3"));
  EXPECT_FALSE(Decimal::Parse("NaN"));
  EXPECT_FALSE(Decimal::Parse("Infinity"));
  EXPECT_FALSE(Decimal::Parse(""));
}

TEST(Decimal, DivisionByZeroHasNoResult) { EXPECT_FALSE(D("1").Div(D("0"))); }

TEST(Decimal, ComparesByValue) {
  EXPECT_EQ(D("1").Compare(D("1.000")), 0);
  EXPECT_EQ(D("-1").Compare(D("0.5")), -1);
  EXPECT_EQ(D("2").Compare(D("1.9999")), 1);
}

TEST(Decimal, RoundsInEveryMode) {
  using R = Decimal::Rounding;
  EXPECT_EQ(D("2.5").RoundTo(0, R::kHalfEven)->ToString(), "2");
  EXPECT_EQ(D("3.5").RoundTo(0, R::kHalfEven)->ToString(), "4");
  EXPECT_EQ(D("2.5").RoundTo(0, R::kHalfUp)->ToString(), "3");
  EXPECT_EQ(D("-2.5").RoundTo(0, R::kHalfUp)->ToString(), "-3");
  EXPECT_EQ(D("2.5").RoundTo(0, R::kHalfDown)->ToString(), "2");
  EXPECT_EQ(D("2.51").RoundTo(0, R::kHalfDown)->ToString(), "3");
  EXPECT_EQ(D("-5.5").RoundTo(0, R::kHalfDown)->ToString(), "-5");
  EXPECT_EQ(D("5.123").RoundTo(2, R::kUp)->ToString(), "5.13");
  EXPECT_EQ(D("-5.123").RoundTo(2, R::kUp)->ToString(), "-5.13");
  EXPECT_EQ(D("5.129").RoundTo(2, R::kDown)->ToString(), "5.12");
  EXPECT_EQ(D("-1.5").RoundTo(0, R::kFloor)->ToString(), "-2");
  EXPECT_EQ(D("1.01").RoundTo(0, R::kCeiling)->ToString(), "2");
  EXPECT_EQ(D("1234").RoundTo(-2, R::kHalfEven)->ToString(), "1200");
}

TEST(Decimal, FloorModuloFollowsDivisorSign) {
  EXPECT_EQ(D("12").Mod(D("5"))->ToString(), "2");
  EXPECT_EQ(D("-12").Mod(D("5"))->ToString(), "3");
  EXPECT_EQ(D("12").Mod(D("-5"))->ToString(), "-3");
  EXPECT_EQ(D("10.1").Mod(D("4.5"))->ToString(), "1.1");
}

TEST(Decimal, IntegerPowersAreExact) {
  EXPECT_EQ(D("2").Pow(D("10"))->ToString(), "1024");
  EXPECT_EQ(D("10").Pow(D("-2"))->ToString(), "0.01");
  EXPECT_EQ(D("1.1").Pow(D("2"))->ToString(), "1.21");
}

TEST(Decimal, TranscendentalFunctions) {
  EXPECT_EQ(D("16").Sqrt()->ToString(), "4");
  EXPECT_FALSE(D("-1").Sqrt());
  EXPECT_FALSE(D("0").Ln());
  EXPECT_EQ(D("0").Exp()->ToString(), "1");
  EXPECT_EQ(D("1").Exp()->RoundTo(5, Decimal::Rounding::kHalfEven)->ToString(), "2.71828");
}

TEST(Decimal, ConvertsToInt64OnlyWhenIntegral) {
  EXPECT_EQ(*D("42").ToInt64(), 42);
  EXPECT_EQ(*D("42.0").ToInt64(), 42);
  EXPECT_FALSE(D("42.5").ToInt64());
  EXPECT_EQ(*D("-42.9").TruncToInt64(), -42);
}

}  // namespace
}  // namespace amtsweg::feel
