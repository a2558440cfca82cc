#include "auth/auth.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "auth/secrets.h"
#include "store/store_test_util.h"

namespace amtsweg::auth {
namespace {

using namespace std::chrono_literals;
using store::testing::StoreTest;

constexpr const char* kTenant = "amt-a";
constexpr const char* kPassword = "Sommer im Amt 2026!";

class AuthTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    cfg_.max_failures_per_account = 3;
    cfg_.max_failures_per_address = 5;
    cfg_.lockout_s = 600;
    cfg_.failure_window_s = 600;
    cfg_.session_idle_timeout_s = 600;
    cfg_.session_absolute_timeout_s = 3600;
    auth_ = std::make_unique<Service>(*db_, cfg_, clock_);
  }

  User MakeUser(const std::string& login, std::vector<std::string> roles = {"administrator"},
                const std::string& tenant = kTenant) {
    auto u = auth_->CreateUser(tenant, "cli",
                               {.login = login, .display_name = "Name " + login, .email = login + "@amt.example",
                                .password = kPassword, .roles = std::move(roles), .departments = {"bauamt"}});
    EXPECT_TRUE(u.ok()) << u.error().ToString();
    return u.ok() ? *u : User{};
  }

  LoginResult MustLogin(const std::string& login, const std::string& addr = "10.0.0.1",
                        std::optional<std::string_view> cookie = std::nullopt) {
    auto r = auth_->Login(kTenant, login, kPassword, addr, cookie);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : LoginResult{};
  }

  std::vector<std::string> AuditActions(const std::string& tenant = kTenant) {
    auto entries = db_->Read([&](store::Tx& tx) { return audit::List(tx, tenant, 0, 1000); });
    EXPECT_TRUE(entries.ok());
    std::vector<std::string> out;
    if (entries.ok()) {
      for (const auto& e : *entries) out.push_back(e.action);
    }
    return out;
  }

  static size_t Count(const std::vector<std::string>& v, std::string_view x) {
    return static_cast<size_t>(std::count(v.begin(), v.end(), x));
  }

  core::ManualClock clock_{core::FromUnixMillis(1'780'000'000'000)};
  core::AuthConfig cfg_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Service> auth_;
};

TEST_P(AuthTest, LoginOpensASessionWithTheUsersRoles) {
  User u = MakeUser("anna", {"case_worker", "manager"});
  EXPECT_EQ(u.departments, std::vector<std::string>{"bauamt"});
  LoginResult r = MustLogin("  Anna ");  // login names are case-insensitive and trimmed
  EXPECT_EQ(r.user.id, u.id);
  EXPECT_TRUE(r.cookie_value.starts_with("amt-a.")) << r.cookie_value;
  EXPECT_EQ(r.expires_at, clock_.Now() + 3600s);
  auto p = auth_->AuthenticateSession(r.cookie_value);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->tenant, kTenant);
  EXPECT_EQ(p->id, u.id);
  EXPECT_EQ(p->roles, (std::vector<std::string>{"case_worker", "manager"}));
  EXPECT_EQ(p->csrf_token, r.csrf_token);
  EXPECT_EQ(p->Actor(), "user:" + u.id);
  auto actions = AuditActions();
  EXPECT_EQ(actions, (std::vector<std::string>{"auth.user_created", "auth.login"}));
}

TEST_P(AuthTest, WrongPasswordUnknownAccountAndDisabledAccountAnswerAlike) {
  User admin = MakeUser("admin");
  User bob = MakeUser("bob", {"case_worker"});
  ASSERT_TRUE(auth_->UpdateUser(kTenant, "cli", bob.id, {.active = false}).ok());
  auto wrong = auth_->Login(kTenant, "admin", "not the password", "10.0.0.1");
  auto unknown = auth_->Login(kTenant, "nobody", kPassword, "10.0.0.2");
  auto disabled = auth_->Login(kTenant, "bob", kPassword, "10.0.0.3");
  auto other_tenant = auth_->Login("amt-b", "admin", kPassword, "10.0.0.4");
  for (const auto* r : {&wrong, &unknown, &disabled, &other_tenant}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code(), core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(r->error().message(), wrong.error().message());
  }
  EXPECT_EQ(Count(AuditActions(), "auth.login_failed"), 3u);
  EXPECT_EQ(Count(AuditActions("amt-b"), "auth.login_failed"), 1u);
}

TEST_P(AuthTest, RequiredLoginFieldsAreNamed) {
  auto r = auth_->Login(kTenant, "", "", "10.0.0.1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details().size(), 2u);
  EXPECT_EQ(r.error().details()[0].pointer, "/login");
  EXPECT_EQ(r.error().details()[1].pointer, "/password");
}

TEST_P(AuthTest, AccountLocksAfterRepeatedFailuresEvenForTheRightPassword) {
  MakeUser("admin");
  for (int i = 0; i < 3; ++i) {
    auto r = auth_->Login(kTenant, "admin", "wrong", "10.0.0." + std::to_string(i));
    ASSERT_EQ(r.error().code(), core::ErrorCode::kUnauthenticated);
  }
  auto locked = auth_->Login(kTenant, "admin", kPassword, "10.0.0.9");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(Count(AuditActions(), "auth.lockout"), 1u);
  clock_.Advance(601s);
  MustLogin("admin", "10.0.0.9");
}

TEST_P(AuthTest, UnknownAccountsLockLikeRealOnes) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(auth_->Login(kTenant, "ghost", "wrong", "10.0.1." + std::to_string(i)).ok());
  auto r = auth_->Login(kTenant, "ghost", "wrong", "10.0.1.9");
  EXPECT_EQ(r.error().code(), core::ErrorCode::kResourceExhausted);
}

TEST_P(AuthTest, ClientAddressLocksAcrossAccountNames) {
  MakeUser("admin");
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(auth_->Login(kTenant, "user" + std::to_string(i), "x", "10.9.9.9").ok());
  auto r = auth_->Login(kTenant, "admin", kPassword, "10.9.9.9");
  EXPECT_EQ(r.error().code(), core::ErrorCode::kResourceExhausted);
  MustLogin("admin", "10.9.9.10");  // another address is not locked
}

TEST_P(AuthTest, FailuresOutsideTheWindowAreForgotten) {
  MakeUser("admin");
  for (int i = 0; i < 2; ++i) ASSERT_FALSE(auth_->Login(kTenant, "admin", "wrong", "10.0.0.1").ok());
  clock_.Advance(601s);
  for (int i = 0; i < 2; ++i) ASSERT_FALSE(auth_->Login(kTenant, "admin", "wrong", "10.0.0.1").ok());
  MustLogin("admin");
}

TEST_P(AuthTest, LoginRotatesThePresentedSession) {
  MakeUser("admin");
  LoginResult first = MustLogin("admin");
  LoginResult second = MustLogin("admin", "10.0.0.1", first.cookie_value);
  EXPECT_NE(first.cookie_value, second.cookie_value);
  EXPECT_NE(first.csrf_token, second.csrf_token);
  EXPECT_EQ(auth_->AuthenticateSession(first.cookie_value).error().code(), core::ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->AuthenticateSession(second.cookie_value).ok());
}

TEST_P(AuthTest, APresetSessionIdIsNeverAdopted) {
  MakeUser("admin");
  std::string planted = std::string(kTenant) + "." + RandomSecret();
  LoginResult r = MustLogin("admin", "10.0.0.1", planted);
  EXPECT_NE(r.cookie_value, planted);
  EXPECT_FALSE(auth_->AuthenticateSession(planted).ok());
  EXPECT_TRUE(auth_->AuthenticateSession(r.cookie_value).ok());
}

TEST_P(AuthTest, SessionEndsAfterIdleTimeout) {
  MakeUser("admin");
  LoginResult r = MustLogin("admin");
  clock_.Advance(599s);
  ASSERT_TRUE(auth_->AuthenticateSession(r.cookie_value).ok());  // and counts as use
  clock_.Advance(599s);
  ASSERT_TRUE(auth_->AuthenticateSession(r.cookie_value).ok());
  clock_.Advance(600s);
  auto p = auth_->AuthenticateSession(r.cookie_value);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code(), core::ErrorCode::kUnauthenticated);
  EXPECT_NE(p.error().message().find("expired"), std::string::npos);
  clock_.Advance(-1800s);  // the session is gone, not merely too old
  EXPECT_FALSE(auth_->AuthenticateSession(r.cookie_value).ok());
}

TEST_P(AuthTest, LoginsClearExpiredSessionsOfTheTenant) {
  MakeUser("admin");
  MakeUser("bob", {"case_worker"});
  MustLogin("admin");
  MustLogin("bob");
  clock_.Advance(601s);
  LoginResult fresh = MustLogin("bob");
  int64_t left = ReadInt(*db_, "SELECT COUNT(*) FROM auth_sessions WHERE tenant_id = 'amt-a'");
  EXPECT_EQ(left, 1);  // only the new one
  EXPECT_TRUE(auth_->AuthenticateSession(fresh.cookie_value).ok());
}

TEST_P(AuthTest, SessionEndsAtTheAbsoluteTimeoutDespiteUse) {
  MakeUser("admin");
  LoginResult r = MustLogin("admin");
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(500s);
    ASSERT_TRUE(auth_->AuthenticateSession(r.cookie_value).ok()) << i;
  }
  clock_.Advance(100s);  // 3600 s after login
  EXPECT_FALSE(auth_->AuthenticateSession(r.cookie_value).ok());
}

TEST_P(AuthTest, MalformedOrForgedCookiesAreRefused) {
  MakeUser("admin");
  LoginResult r = MustLogin("admin");
  std::string secret = r.cookie_value.substr(r.cookie_value.find('.') + 1);
  for (std::string bad : {std::string(""), std::string("amt-a"), std::string("amt-a.short"), "amt-b." + secret,
                          "." + secret, "amt-a." + RandomSecret()}) {
    auto p = auth_->AuthenticateSession(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code(), core::ErrorCode::kUnauthenticated) << bad;
  }
}

TEST_P(AuthTest, LogoutAndLogoutEverywhere) {
  User u = MakeUser("admin");
  LoginResult a = MustLogin("admin"), b = MustLogin("admin"), c = MustLogin("admin");
  auto pa = auth_->AuthenticateSession(a.cookie_value);
  ASSERT_TRUE(pa.ok());
  ASSERT_TRUE(auth_->Logout(*pa).ok());
  EXPECT_FALSE(auth_->AuthenticateSession(a.cookie_value).ok());
  auto pb = auth_->AuthenticateSession(b.cookie_value);
  ASSERT_TRUE(pb.ok());
  auto n = auth_->LogoutEverywhere(*pb);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(auth_->AuthenticateSession(b.cookie_value).ok());
  EXPECT_FALSE(auth_->AuthenticateSession(c.cookie_value).ok());
}

TEST_P(AuthTest, NewPasswordOrDisablingEndsSessions) {
  MakeUser("admin");
  User bob = MakeUser("bob", {"case_worker"});
  LoginResult s = MustLogin("bob");
  ASSERT_TRUE(auth_->UpdateUser(kTenant, "cli", bob.id, {.password = std::string("ein ganz neues Passwort")}).ok());
  EXPECT_FALSE(auth_->AuthenticateSession(s.cookie_value).ok());
  EXPECT_FALSE(auth_->Login(kTenant, "bob", kPassword, "10.0.0.1").ok());
  ASSERT_TRUE(auth_->Login(kTenant, "bob", "ein ganz neues Passwort", "10.0.0.1").ok());
}

TEST_P(AuthTest, RoleChangesApplyToOpenSessions) {
  MakeUser("admin");
  User bob = MakeUser("bob", {"case_worker"});
  LoginResult s = MustLogin("bob");
  ASSERT_TRUE(auth_->UpdateUser(kTenant, "cli", bob.id, {.roles = std::vector<std::string>{"manager"}}).ok());
  auto p = auth_->AuthenticateSession(s.cookie_value);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->roles, std::vector<std::string>{"manager"});
}

TEST_P(AuthTest, TheLastActiveAdministratorStays) {
  User admin = MakeUser("admin");
  auto demote = auth_->UpdateUser(kTenant, "cli", admin.id, {.roles = std::vector<std::string>{"manager"}});
  ASSERT_FALSE(demote.ok());
  EXPECT_EQ(demote.error().code(), core::ErrorCode::kFailedPrecondition);
  auto del = auth_->DeleteUser(kTenant, "cli", admin.id);
  EXPECT_EQ(del.error().code(), core::ErrorCode::kFailedPrecondition);
  User second = MakeUser("admin2");
  EXPECT_TRUE(auth_->DeleteUser(kTenant, "cli", admin.id).ok());
  auto users = auth_->ListUsers(kTenant);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].id, second.id);
}

TEST_P(AuthTest, UserValidationNamesTheFields) {
  auto r = auth_->CreateUser(kTenant, "cli",
                             {.login = "Bad Login!", .display_name = "", .email = "no-at-sign", .password = "short",
                              .roles = {"case_worker", "king"}});
  ASSERT_FALSE(r.ok());
  std::vector<std::string> pointers;
  for (const auto& d : r.error().details()) pointers.push_back(d.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/login", "/displayName", "/email", "/roles/1", "/password"}));
  MakeUser("anna");
  auto dup = auth_->CreateUser(kTenant, "cli",
                               {.login = "ANNA", .display_name = "x", .email = "a@b.c", .password = kPassword,
                                .roles = {"manager"}});
  EXPECT_EQ(dup.error().code(), core::ErrorCode::kAlreadyExists);
  // Another tenant may use the same login.
  MakeUser("anna", {"administrator"}, "amt-b");
}

TEST_P(AuthTest, ApiTokensCarryTheirScopeAndCanBeRevoked) {
  User admin = MakeUser("admin");
  auto t = auth_->CreateToken(kTenant, "user:" + admin.id, "Fachverfahren", {"case_worker"}, std::nullopt);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_TRUE(t->secret.starts_with("awt_amt-a.")) << t->secret;
  auto p = auth_->AuthenticateToken(t->secret);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->kind, Principal::Kind::kApiToken);
  EXPECT_EQ(p->tenant, kTenant);
  EXPECT_EQ(p->roles, std::vector<std::string>{"case_worker"});
  EXPECT_EQ(p->Actor(), "token:" + t->token.id);

  auto list = auth_->ListTokens(kTenant);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  ASSERT_TRUE((*list)[0].last_used_at.has_value());
  EXPECT_EQ(*(*list)[0].last_used_at, clock_.Now());

  // The same secret under another tenant's name is not a token of that tenant.
  std::string other = "awt_amt-b" + t->secret.substr(t->secret.find('.'));
  EXPECT_FALSE(auth_->AuthenticateToken(other).ok());
  EXPECT_FALSE(auth_->AuthenticateToken(t->secret.substr(4)).ok());  // without prefix

  ASSERT_TRUE(auth_->RevokeToken(kTenant, "user:" + admin.id, t->token.id).ok());
  ASSERT_TRUE(auth_->RevokeToken(kTenant, "user:" + admin.id, t->token.id).ok());  // idempotent
  auto revoked = auth_->AuthenticateToken(t->secret);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().code(), core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->RevokeToken(kTenant, "cli", "no-such-id").error().code(), core::ErrorCode::kNotFound);
  auto actions = AuditActions();
  EXPECT_EQ(Count(actions, "auth.token_created"), 1u);
  EXPECT_EQ(Count(actions, "auth.token_revoked"), 1u);
}

TEST_P(AuthTest, ApiTokensExpire) {
  auto t = auth_->CreateToken(kTenant, "cli", "Kurzläufer", {"manager"}, clock_.Now() + 60s);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_TRUE(auth_->AuthenticateToken(t->secret).ok());
  clock_.Advance(60s);
  EXPECT_FALSE(auth_->AuthenticateToken(t->secret).ok());
  auto past = auth_->CreateToken(kTenant, "cli", "x", {"manager"}, clock_.Now() - 1s);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().details().at(0).pointer, "/expiresAt");
}

TEST_P(AuthTest, EveryChangeLeavesAnIntactAuditChain) {
  User admin = MakeUser("admin");
  MustLogin("admin");
  (void)auth_->Login(kTenant, "admin", "wrong", "10.0.0.1");
  auto t = auth_->CreateToken(kTenant, "cli", "x", {"manager"}, std::nullopt);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(auth_->RevokeToken(kTenant, "cli", t->token.id).ok());
  auto reports = audit::Verify(*db_, std::string(kTenant));
  ASSERT_TRUE(reports.ok());
  EXPECT_TRUE((*reports)[0].intact) << (*reports)[0].problem;
  EXPECT_EQ((*reports)[0].entries, 5);
}

AW_STORE_INSTANTIATE(AuthTest);

}  // namespace
}  // namespace amtsweg::auth
