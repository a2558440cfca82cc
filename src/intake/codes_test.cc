#include "intake/codes.h"

#include <set>

#include <gtest/gtest.h>

namespace amtsweg::intake {
namespace {

TEST(IntakeCodes, TrackingCodeIsTwelveCrockfordSymbols) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string c = NewTrackingCode();
    ASSERT_EQ(c.size(), 12u);
    EXPECT_EQ(c.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << c;
    seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 2000u);  // 60 random bits: a repeat here would mean a broken generator
}

TEST(IntakeCodes, TrackingCodeReadsBackAsTyped) {
  EXPECT_EQ(FormatTrackingCode("7K2M9QXH4T0B"), "7K2M-9QXH-4T0B");
  EXPECT_EQ(NormalizeTrackingCode("7k2m-9qxh-4t0b"), "7K2M9QXH4T0B");
  EXPECT_EQ(NormalizeTrackingCode("7K2M 9QXH 4TOB"), "7K2M9QXH4T0B");  // O read as 0
  EXPECT_EQ(NormalizeTrackingCode("ILIL-0000-0000"), "111100000000");
  EXPECT_FALSE(NormalizeTrackingCode("7K2M-9QXH-4T0").has_value());
  EXPECT_FALSE(NormalizeTrackingCode("7K2M-9QXH-4T0BB").has_value());
  EXPECT_FALSE(NormalizeTrackingCode("7K2M-9QXH-4T0U").has_value());  // U is not a symbol
  EXPECT_FALSE(NormalizeTrackingCode("../../etc/passwd").has_value());
}

TEST(IntakeCodes, SecretsAreLongAndDistinct) {
  std::string a = NewSecret(), b = NewSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(IntakeCodes, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace amtsweg::intake
