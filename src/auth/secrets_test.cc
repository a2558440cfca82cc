#include "auth/secrets.h"

#include <set>

#include <gtest/gtest.h>

namespace amtsweg::auth {
namespace {

TEST(AuthSecrets, RandomSecretsAre256BitBase64UrlAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = RandomSecret();
    EXPECT_EQ(s.size(), 43u);
    EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(AuthSecrets, Sha256HexMatchesTheKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthSecrets, CsrfTokenIsBoundToTheSession) {
  std::string a = RandomSecret(), b = RandomSecret();
  EXPECT_EQ(CsrfTokenFor(a), CsrfTokenFor(a));
  EXPECT_NE(CsrfTokenFor(a), CsrfTokenFor(b));
  EXPECT_NE(CsrfTokenFor(a), a);
  EXPECT_NE(CsrfTokenFor(a), Sha256Hex(a));  // the stored session hash does not give it away
}

TEST(AuthSecrets, TenantEncodingRoundTripsAndHasNoDots) {
  for (std::string t : {"amt-mittelangeln", "a.b", "Gemeinde Süd", "x%y"}) {
    std::string e = EncodeTenant(t);
    EXPECT_EQ(e.find('.'), std::string::npos) << e;
    EXPECT_EQ(e.find(';'), std::string::npos) << e;
    auto d = DecodeTenant(e);
    ASSERT_TRUE(d.ok()) << t;
    EXPECT_EQ(*d, t);
  }
  EXPECT_FALSE(DecodeTenant("ab%2").ok());
  EXPECT_FALSE(DecodeTenant("ab%zz").ok());
  EXPECT_FALSE(DecodeTenant("").ok());
}

TEST(AuthSecrets, ConstantTimeEqualsComparesContent) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

}  // namespace
}  // namespace amtsweg::auth
