// Sign-in, sessions, CSRF, API tokens and route authorisation over real
// sockets, on SQLite and PostgreSQL.
#include "api/auth_api.h"

#include "api/audit_api.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "http/server.h"
#include "http/test_client.h"
#include "store/store_test_util.h"

namespace amtsweg::api {
namespace {

using namespace std::chrono_literals;
using http::testutil::ClientResponse;
using store::testing::StoreTest;

constexpr const char* kPassword = "Sommer im Amt 2026!";

struct Session {
  std::string cookie;  // "amtsweg_session=..."
  std::string csrf;
};

class AuthApiTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    cfg_.max_failures_per_account = 3;
    cfg_.session_idle_timeout_s = 600;
    auth_ = std::make_shared<auth::Service>(*db_, cfg_, clock_);
    RegisterAuthRoutes(router_, auth_);
    RegisterAuditRoutes(router_, db_.get());
    // Two routes of a domain, as other layers add them.
    router_.Get(
        "/api/v1/tenants/{tenant}/cases",
        [](http::Request& r) -> core::Result<http::Response> {
          return http::Response::Json({{"caller", PrincipalOf(r)->name}});
        },
        {.summary = "cases", .roles = {"case_worker", "manager"}});
    router_.Post(
        "/api/v1/tenants/{tenant}/cases",
        [this](http::Request&) -> core::Result<http::Response> {
          ++writes_;
          return http::Response::Json({{"ok", true}}, 201);
        },
        {.summary = "new case", .roles = {"case_worker"}});
    // A platform-level route, as the catalogue's tenant creation.
    router_.Post(
        "/api/v1/tenants",
        [](http::Request& r) -> core::Result<http::Response> {
          return http::Response::Json({{"by", PrincipalOf(r)->name}}, 201);
        },
        {.summary = "new tenant", .roles = {std::string(auth::kOperator)}});
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
    for (const auto& [tenant, login, role] : {std::tuple{"amt-a", "admin", "administrator"},
                                              std::tuple{"amt-a", "clara", "case_worker"},
                                              std::tuple{"amt-b", "admin", "administrator"}}) {
      auto u = auth_->CreateUser(tenant, "cli",
                                 {.login = login, .display_name = login, .email = std::string(login) + "@x.example",
                                  .password = kPassword, .roles = {role}});
      ASSERT_TRUE(u.ok()) << u.error().ToString();
    }
  }

  void TearDown() override {
    if (server_) server_->Stop(0ms);
    StoreTest::TearDown();
  }

  ClientResponse Call(std::string_view method, std::string_view target, std::string headers = {},
                      std::string_view body = {}) {
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    auto r = http::testutil::RoundTrip(server_->port(), http::testutil::MakeRequest(method, target, headers, body));
    EXPECT_TRUE(r.has_value());
    return r.value_or(ClientResponse{});
  }

  static core::Json Body(const ClientResponse& r) {
    auto j = core::ParseJson(r.body);
    return j.ok() ? *j : core::Json();
  }

  ClientResponse LoginRaw(const std::string& tenant, const std::string& login, const std::string& password,
                          std::string headers = {}) {
    core::Json body = {{"login", login}, {"password", password}};
    return Call("POST", "/api/v1/tenants/" + tenant + "/session", std::move(headers), core::DumpJson(body));
  }

  Session Login(const std::string& tenant, const std::string& login) {
    ClientResponse r = LoginRaw(tenant, login, kPassword);
    EXPECT_EQ(r.status, 201) << r.body;
    std::string set = r.Header("Set-Cookie");
    return {set.substr(0, set.find(';')), Body(r).value("csrfToken", "")};
  }

  static std::string CookieHeaders(const Session& s, bool with_csrf = true) {
    std::string h = "Cookie: " + s.cookie + "\r\n";
    if (with_csrf) h += "X-CSRF-Token: " + s.csrf + "\r\n";
    return h;
  }

  std::string NewToken(const Session& admin, const std::string& tenant, std::vector<std::string> roles) {
    core::Json body = {{"name", "Fachverfahren"}, {"roles", roles}};
    ClientResponse r = Call("POST", "/api/v1/tenants/" + tenant + "/api-tokens", CookieHeaders(admin),
                            core::DumpJson(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r).value("token", "");
  }

  core::ManualClock clock_{core::FromUnixMillis(1'780'000'000'000)};
  core::AuthConfig cfg_;
  std::unique_ptr<store::Database> db_;
  std::shared_ptr<auth::Service> auth_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> writes_{0};
};

TEST_P(AuthApiTest, LoginSetsAHardenedSessionCookie) {
  ClientResponse r = LoginRaw("amt-a", "clara", kPassword);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string set = r.Header("Set-Cookie");
  EXPECT_TRUE(set.starts_with("amtsweg_session=amt-a.")) << set;
  for (const char* attr : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Secure", "; Max-Age=43200"}) {
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " missing in " << set;
  }
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  core::Json body = Body(r);
  EXPECT_EQ(body["user"]["login"], "clara");
  EXPECT_EQ(body["user"]["roles"], core::Json::array({"case_worker"}));
  EXPECT_FALSE(body.value("csrfToken", "").empty());
  EXPECT_FALSE(body["user"].contains("passwordHash"));
}

TEST_P(AuthApiTest, WrongPasswordAndUnknownAccountGetTheSameAnswer) {
  ClientResponse wrong = LoginRaw("amt-a", "clara", "falsch");
  ClientResponse unknown = LoginRaw("amt-a", "niemand", "falsch");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Body(wrong)["detail"], Body(unknown)["detail"]);
  EXPECT_TRUE(wrong.Header("Set-Cookie").empty());
  ClientResponse empty = LoginRaw("amt-a", "", "");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(Body(empty)["errors"][0]["pointer"], "/login");
}

TEST_P(AuthApiTest, RepeatedFailuresLockTheAccount) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(LoginRaw("amt-a", "clara", "falsch").status, 401);
  ClientResponse locked = LoginRaw("amt-a", "clara", kPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_TRUE(locked.Header("Set-Cookie").empty());
}

TEST_P(AuthApiTest, LoginNeedsAJsonBody) {
  // A cross-site HTML form can post only form encodings: refusing them stops login CSRF.
  ClientResponse r = Call("POST", "/api/v1/tenants/amt-a/session",
                          "Content-Type: application/x-www-form-urlencoded\r\n", "login=clara&password=x");
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_P(AuthApiTest, SessionFixationAttemptGetsAFreshSession) {
  std::string planted = "amtsweg_session=amt-a.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  ClientResponse r = LoginRaw("amt-a", "clara", kPassword, "Cookie: " + planted + "\r\n");
  ASSERT_EQ(r.status, 201);
  std::string set = r.Header("Set-Cookie");
  std::string issued = set.substr(0, set.find(';'));
  EXPECT_NE(issued, planted);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/session/me", "Cookie: " + planted + "\r\n").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/session/me", "Cookie: " + issued + "\r\n").status, 200);

  // Logging in again from a signed-in browser rotates the id.
  ClientResponse again = LoginRaw("amt-a", "clara", kPassword, "Cookie: " + issued + "\r\n");
  std::string set2 = again.Header("Set-Cookie");
  std::string rotated = set2.substr(0, set2.find(';'));
  EXPECT_NE(rotated, issued);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/session/me", "Cookie: " + issued + "\r\n").status, 401);
}

TEST_P(AuthApiTest, CookieWritesNeedTheCsrfToken) {
  Session s = Login("amt-a", "clara");
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/cases", CookieHeaders(s, false), "{}").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/cases", CookieHeaders(s, false) + "X-CSRF-Token: wrong\r\n", "{}")
                .status,
            403);
  EXPECT_EQ(writes_.load(), 0);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/cases", CookieHeaders(s), "{}").status, 201);
  // Reads need no token.
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(s, false)).status, 200);
  // The token of another session does not fit.
  Session other = Login("amt-a", "clara");
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/cases",
                 "Cookie: " + s.cookie + "\r\nX-CSRF-Token: " + other.csrf + "\r\n", "{}")
                .status,
            403);
  EXPECT_EQ(writes_.load(), 1);
}

TEST_P(AuthApiTest, ExpiredSessionsAreRefused) {
  Session s = Login("amt-a", "clara");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(s)).status, 200);
  clock_.Advance(601s);
  ClientResponse r = Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(s));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Body(r)["code"], "unauthenticated");
}

TEST_P(AuthApiTest, RoutesRefuseMissingCredentialsWrongRolesAndOtherTenants) {
  Session admin_a = Login("amt-a", "admin");
  Session clara = Login("amt-a", "clara");
  Session admin_b = Login("amt-b", "admin");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users", CookieHeaders(clara)).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users", CookieHeaders(admin_b)).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(admin_a)).status, 403);
  ClientResponse ok = Call("GET", "/api/v1/tenants/amt-a/users", CookieHeaders(admin_a));
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(Body(ok)["items"].size(), 2u);  // amt-b's admin is not listed
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users", "Authorization: Basic YWRtaW46eA==\r\n").status, 401);
}

TEST_P(AuthApiTest, OperatorTokensActOnPlatformRoutesOnly) {
  auto op_user = auth_->CreateUser(std::string(auth::kPlatformTenant), "cli",
                                   {.login = "land", .display_name = "Land", .email = "land@x.example",
                                    .password = kPassword, .roles = {std::string(auth::kOperator)}});
  ASSERT_TRUE(op_user.ok()) << op_user.error().ToString();
  Session op = Login("platform", "land");
  // Only the operator role, and only by the operator: the administrator of amt-a reaches neither.
  ClientResponse wrong = Call("POST", "/api/v1/tenants/platform/api-tokens", CookieHeaders(op),
                              R"({"name": "x", "roles": ["administrator"]})");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(Body(wrong)["errors"][0]["pointer"], "/roles/0") << wrong.body;
  Session admin = Login("amt-a", "admin");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/platform/api-tokens", CookieHeaders(admin)).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/api-tokens", CookieHeaders(admin),
                 R"({"name": "x", "roles": ["operator"]})").status, 422);
  std::string token = NewToken(op, "platform", {"operator"});
  ASSERT_TRUE(token.starts_with("awt_platform.")) << token;
  std::string bearer = "Authorization: Bearer " + token + "\r\n";
  ClientResponse made = Call("POST", "/api/v1/tenants", bearer, "{}");
  EXPECT_EQ(made.status, 201);
  EXPECT_EQ(Body(made)["by"], "Fachverfahren");
  // Nowhere else: no tenant route (the platform's own included), no token management.
  EXPECT_EQ(Call("GET", "/api/v1/tenants/platform/api-tokens", bearer).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/platform/api-tokens", bearer, R"({"name": "y", "roles": ["operator"]})")
                .status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/platform/session/me", bearer).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", bearer).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users", bearer).status, 403);
  // A token of amt-a, whatever its roles, never acts as operator.
  std::string admin_token = NewToken(admin, "amt-a", {"administrator"});
  EXPECT_EQ(Call("POST", "/api/v1/tenants", "Authorization: Bearer " + admin_token + "\r\n", "{}").status, 403);
  // Listed for the operator (never the secret), revoked, then refused.
  ClientResponse list = Call("GET", "/api/v1/tenants/platform/api-tokens", CookieHeaders(op));
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(Body(list)["items"].size(), 1u);
  EXPECT_EQ(list.body.find(token.substr(token.find('.') + 1)), std::string::npos);
  std::string id = Body(list)["items"][0]["id"];
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/platform/api-tokens/" + id, CookieHeaders(op)).status, 204);
  EXPECT_EQ(Call("POST", "/api/v1/tenants", bearer, "{}").status, 401);
}

TEST_P(AuthApiTest, ApiTokensAreScopedAndRevocable) {
  Session admin = Login("amt-a", "admin");
  std::string token = NewToken(admin, "amt-a", {"case_worker"});
  ASSERT_TRUE(token.starts_with("awt_amt-a.")) << token;
  std::string bearer = "Authorization: Bearer " + token + "\r\n";
  // No CSRF token needed with a bearer token.
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/cases", bearer, "{}").status, 201);
  ClientResponse cases = Call("GET", "/api/v1/tenants/amt-a/cases", bearer);
  EXPECT_EQ(Body(cases)["caller"], "Fachverfahren");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users", bearer).status, 403);  // not administrator
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-b/cases", bearer).status, 403);  // other tenant
  ClientResponse me = Call("GET", "/api/v1/tenants/amt-a/session/me", bearer);
  EXPECT_EQ(Body(me)["kind"], "apiToken");

  ClientResponse list = Call("GET", "/api/v1/tenants/amt-a/api-tokens", CookieHeaders(admin));
  ASSERT_EQ(list.status, 200);
  core::Json item = Body(list)["items"][0];
  EXPECT_FALSE(item.contains("token"));  // the secret is shown once only
  EXPECT_TRUE(item["lastUsedAt"].is_string());
  std::string id = item["id"];
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/amt-a/api-tokens/" + id, CookieHeaders(admin)).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", bearer).status, 401);
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/amt-b/api-tokens/" + id, CookieHeaders(admin)).status, 403);
}

TEST_P(AuthApiTest, AdministratorsManageUsers) {
  Session admin = Login("amt-a", "admin");
  core::Json bad = {{"login", "x y"}, {"displayName", "X"}, {"email", "x"}, {"password", "kurz"},
                    {"roles", {"case_worker"}}, {"colour", "blue"}};
  ClientResponse invalid = Call("POST", "/api/v1/tenants/amt-a/users", CookieHeaders(admin), core::DumpJson(bad));
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(Body(invalid)["errors"][0]["pointer"], "/colour");

  core::Json user = {{"login", "dora"}, {"displayName", "Dora Diekmann"}, {"email", "dora@amt.example"},
                     {"password", kPassword}, {"roles", {"manager"}}, {"departments", {"ordnungsamt"}}};
  ClientResponse created = Call("POST", "/api/v1/tenants/amt-a/users", CookieHeaders(admin), core::DumpJson(user));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Body(created)["id"];
  EXPECT_EQ(created.Header("Location"), "/api/v1/tenants/amt-a/users/" + id);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/amt-a/users", CookieHeaders(admin), core::DumpJson(user)).status, 409);

  Session dora = Login("amt-a", "dora");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(dora)).status, 200);
  ClientResponse patched = Call("PATCH", "/api/v1/tenants/amt-a/users/" + id, CookieHeaders(admin),
                                R"({"active": false})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched)["active"], false);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/cases", CookieHeaders(dora)).status, 401);
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/amt-a/users/" + id, CookieHeaders(admin)).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/users/" + id, CookieHeaders(admin)).status, 404);
}

TEST_P(AuthApiTest, LogoutAndLogoutEverywhere) {
  Session a = Login("amt-a", "clara");
  Session b = Login("amt-a", "clara");
  Session c = Login("amt-a", "clara");
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/amt-a/session", CookieHeaders(a, false)).status, 403);  // CSRF
  ClientResponse out = Call("DELETE", "/api/v1/tenants/amt-a/session", CookieHeaders(a));
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/session/me", CookieHeaders(a)).status, 401);
  ClientResponse all = Call("DELETE", "/api/v1/tenants/amt-a/sessions", CookieHeaders(b));
  EXPECT_EQ(all.status, 200);
  EXPECT_EQ(Body(all)["ended"], 2);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/session/me", CookieHeaders(c)).status, 401);
}

TEST_P(AuthApiTest, MeReturnsTheUserAndTheCsrfToken) {
  Session s = Login("amt-a", "clara");
  ClientResponse me = Call("GET", "/api/v1/tenants/amt-a/session/me", CookieHeaders(s, false));
  ASSERT_EQ(me.status, 200);
  core::Json body = Body(me);
  EXPECT_EQ(body["kind"], "session");
  EXPECT_EQ(body["user"]["login"], "clara");
  EXPECT_EQ(body["csrfToken"], s.csrf);
}

TEST_P(AuthApiTest, AdministratorsReadTheAuditTrailInPages) {
  EXPECT_EQ(LoginRaw("amt-a", "clara", "falsch").status, 401);
  Session admin = Login("amt-a", "admin");
  ClientResponse first = Call("GET", "/api/v1/tenants/amt-a/audit?limit=2", CookieHeaders(admin));
  ASSERT_EQ(first.status, 200) << first.body;
  core::Json page = Body(first);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["action"], "auth.user_created");
  EXPECT_EQ(page["next"], 2);
  ClientResponse second = Call("GET", "/api/v1/tenants/amt-a/audit?after=2", CookieHeaders(admin));
  core::Json rest = Body(second)["items"];
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0]["action"], "auth.login_failed");
  EXPECT_EQ(rest[0]["details"]["login"], "clara");
  EXPECT_EQ(rest[1]["action"], "auth.login");
  EXPECT_TRUE(Body(second)["next"].is_null());
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/audit?limit=0", CookieHeaders(admin)).status, 400);
  Session clara = Login("amt-a", "clara");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/audit", CookieHeaders(clara)).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-b/audit", CookieHeaders(admin)).status, 403);
}

AW_STORE_INSTANTIATE(AuthApiTest);

TEST(ClientAddress, UsesTheLastProxyEntryOnlyWhenConfigured) {
  http::Request r;
  r.remote = "10.1.2.3:5555";
  r.headers.Add("X-Forwarded-For", "1.1.1.1, 192.168.0.7");
  EXPECT_EQ(ClientAddress(r, ""), "10.1.2.3");
  EXPECT_EQ(ClientAddress(r, "X-Forwarded-For"), "192.168.0.7");
  r.remote = "::1:5555";
  EXPECT_EQ(ClientAddress(r, "X-Real-IP"), "::1");
}

}  // namespace
}  // namespace amtsweg::api
