#include "core/result.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace amtsweg::core {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgument("must be positive", {{"/v", "was " + std::to_string(v)}});
  return v;
}

Result<int> Doubled(int v) {
  AW_ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return 2 * x;
}

Status CheckBoth(int a, int b) {
  AW_TRY(ParsePositive(a));
  AW_TRY(ParsePositive(b));
  return OkStatus();
}

TEST(Result, HoldsValue) {
  Result<int> r = ParsePositive(3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 3);
}

TEST(Result, HoldsErrorWithDetails) {
  Result<int> r = ParsePositive(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details().size(), 1u);
  EXPECT_EQ(r.error().details()[0].pointer, "/v");
  EXPECT_EQ(r.error().ToString(), "invalid_argument: must be positive [/v: was -1]");
}

TEST(Result, AssignOrReturnPropagatesError) {
  EXPECT_EQ(*Doubled(4), 8);
  EXPECT_EQ(Doubled(0).error().message(), "must be positive");
}

TEST(Result, TryStopsAtFirstError) {
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  Status s = CheckBoth(1, -5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details()[0].message, "was -5");
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(Result, ConvertsFromCompatibleValue) {
  Result<std::string> r = "text";
  EXPECT_EQ(*r, "text");
}

TEST(Error, WithContextPrefixesMessage) {
  Error e = NotFound("no such file");
  e.WithContext("reading amtsweg.toml");
  EXPECT_EQ(e.message(), "reading amtsweg.toml: no such file");
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
}

TEST(ErrorDeathTest, AssertAbortsOnBrokenInvariant) {
  EXPECT_DEATH(AW_ASSERT(1 + 1 == 3, "arithmetic"), "assertion failed.*arithmetic");
}

}  // namespace
}  // namespace amtsweg::core
