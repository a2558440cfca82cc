#include "auth/password.h"

#include <sodium.h>

#include <gtest/gtest.h>

namespace amtsweg::auth {
namespace {

TEST(AuthPassword, HashesWithArgon2idAtTheOwaspParameters) {
  auto h = HashPassword("correct horse battery staple");
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse battery stapl"));
  EXPECT_FALSE(NeedsRehash(*h));
}

TEST(AuthPassword, SaltsEveryHash) {
  auto a = HashPassword("same password"), b = HashPassword("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(AuthPassword, MalformedHashesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword("plain-text-password", "plain-text-password"));
}

TEST(AuthPassword, WeakerParametersAskForARehash) {
  char weak[128];
  ASSERT_EQ(crypto_pwhash_str_alg(weak, "pw", 2, 1, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
  EXPECT_TRUE(VerifyPassword(weak, "pw"));
  EXPECT_TRUE(NeedsRehash(weak));
}

}  // namespace
}  // namespace amtsweg::auth
