#include "core/id.h"

#include <set>

#include <gtest/gtest.h>

namespace amtsweg::core {
namespace {

TEST(Uuid, NewV7HasVersionVariantAndTime) {
  Uuid id = Uuid::NewV7At(1'700'000'000'123);
  EXPECT_EQ(id.Version(), 7);
  EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80);
  EXPECT_EQ(id.UnixMillis(), 1'700'000'000'123);
}

TEST(Uuid, IdsAreStrictlyIncreasingWithinOneMillisecond) {
  Uuid prev = Uuid::NewV7At(1'800'000'000'000);
  for (int i = 0; i < 10000; ++i) {
    Uuid next = Uuid::NewV7At(1'800'000'000'000);
    ASSERT_LT(prev, next) << i;
    ASSERT_LT(prev.ToString(), next.ToString()) << "text order must match byte order";
    prev = next;
  }
}

TEST(Uuid, RoundTripsThroughText) {
  Uuid id = Uuid::NewV7();
  auto parsed = Uuid::Parse(id.ToString());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, id);
  EXPECT_EQ(id.ToString().size(), 36u);
}

TEST(Uuid, ParseRejectsMalformedText) {
  EXPECT_FALSE(Uuid::Parse("not-a-uuid").ok());
  EXPECT_FALSE(Uuid::Parse("0190f0e2-7c1a-7b3c-8d4e-5f6a7b8c9d0g").ok());
  EXPECT_FALSE(Uuid::Parse("0190f0e2x7c1a-7b3c-8d4e-5f6a7b8c9d0f").ok());
  EXPECT_TRUE(Uuid::Parse("0190F0E2-7C1A-7B3C-8D4E-5F6A7B8C9D0F").ok());
}

TEST(Uuid, ManyIdsAreUnique) {
  std::set<Uuid> seen;
  for (int i = 0; i < 50000; ++i) ASSERT_TRUE(seen.insert(Uuid::NewV7()).second);
}

}  // namespace
}  // namespace amtsweg::core
