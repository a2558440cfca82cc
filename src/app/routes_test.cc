#include "app/routes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "app/process_test_util.h"
#include "catalog/catalog.h"
#include "catalog/catalog_test_util.h"
#include "engine/engine.h"
#include "intake/intake.h"
#include "records/records.h"
#include "postfach/postfach.h"
#include "postfach/webhooks.h"
#include "cases/cases.h"
#include "auth/auth.h"
#include "core/json.h"
#include "http/openapi.h"
#include "http/server.h"
#include "http/test_client.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

// Every route of the app on one router, over an (unmigrated) SQLite file.
class AppRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Options options;
    options.url = "sqlite:" + (dir.path() / "r.db").string();
    auto opened = store::Database::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    db = std::move(*opened);
    engine_ = std::make_unique<engine::Engine>(*db);
    catalog_ = std::make_unique<catalog::Catalog>(*db);
    intake_ = std::make_unique<intake::Intake>(*db, *catalog_, *engine_,
                                               intake::IntakeOptions{.files_dir = dir.path() / "files"});
    records_ = std::make_unique<records::Records>(*db, *catalog_, *engine_,
                                                  records::RecordsOptions{.files_dir = dir.path() / "files"});
    postfach_ = std::make_unique<postfach::Postfach>(*db, *engine_, postfach::Options{.files_dir = dir.path() / "files"});
    webhooks_ = std::make_unique<postfach::Webhooks>(*db, postfach::WebhookOptions{});
    cases_ = std::make_unique<cases::Cases>(*db, *engine_, *catalog_);
    RegisterRoutes(router, {.db = db.get(), .metrics = &metrics, .engine = engine_.get(), .catalog = catalog_.get(),
                            .intake = intake_.get(), .records = records_.get(), .postfach = postfach_.get(),
                            .webhooks = webhooks_.get(), .cases = cases_.get()});
  }
  testutil::TempDir dir;
  std::unique_ptr<store::Database> db;
  core::metrics::Registry metrics;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<records::Records> records_;
  std::unique_ptr<postfach::Postfach> postfach_;
  std::unique_ptr<postfach::Webhooks> webhooks_;
  std::unique_ptr<cases::Cases> cases_;
  http::Router router;
};

// Every route the app registers must be described in the OpenAPI document:
// integrators generate clients from it, so an undocumented route is a bug.
TEST_F(AppRoutes, EveryRegisteredRouteIsInTheOpenApiDocument) {
  ASSERT_FALSE(router.routes().empty());

  core::Json doc = http::RenderOpenApi(router, {});
  for (const auto& route : router.routes()) {
    std::string method = route->method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(doc["paths"].contains(route->pattern)) << route->pattern << " missing from openapi.json";
    const auto& op = doc["paths"][route->pattern];
    ASSERT_TRUE(op.contains(method)) << route->method << " " << route->pattern << " missing";
    EXPECT_FALSE(op[method].value("summary", "").empty()) << route->pattern << " has no summary";
    EXPECT_TRUE(op[method].contains("responses")) << route->pattern;
    // Every {param} of the pattern is a documented path parameter with a description.
    std::set<std::string> documented;
    for (const auto& p : op[method].value("parameters", core::Json::array())) {
      if (p["in"] == "path") {
        documented.insert(p["name"].get<std::string>());
        EXPECT_FALSE(p.value("description", "").empty())
            << route->method << " " << route->pattern << ": path parameter " << p["name"] << " undescribed";
      }
    }
    for (const auto& name : route->param_names) {
      EXPECT_TRUE(documented.count(name)) << route->method << " " << route->pattern << ": {" << name << "} undocumented";
    }
  }
}

// The engine API's routes are all there, and the whole document is valid
// OpenAPI 3.1 by the official JSON schema (tools/openapi-check, npm).
TEST_F(AppRoutes, OpenApiDocumentIsValidAndListsTheEngineApi) {
  core::Json doc = http::RenderOpenApi(router, {});
  for (const char* path : {"/api/v1/tenants/{tenant}/deployments", "/api/v1/tenants/{tenant}/process-instances",
                           "/api/v1/tenants/{tenant}/user-tasks/{id}/completion",
                           "/api/v1/tenants/{tenant}/jobs/activation", "/api/v1/tenants/{tenant}/incidents"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  std::string tool = std::string(AMTSWEG_SOURCE_DIR) + "/tools/openapi-check";
  if (!std::filesystem::exists(tool + "/node_modules/@seriousme/openapi-schema-validator")) {
    GTEST_SKIP() << "run `make setup` (npm ci in tools/openapi-check) for the schema validation";
  }
  std::string file = (dir.path() / "openapi.json").string();
  std::ofstream(file) << core::DumpJson(doc, 2);
  std::string cmd = "node " + tool + "/check.mjs " + file + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("valid OpenAPI 3.1"), std::string::npos) << out;
}

// Every route says who may call it: public, or a list of roles. A route added
// without either fails here (and is refused at run time, 403 for everybody).
TEST_F(AppRoutes, EveryRouteDeclaresRolesOrIsPublic) {
  for (const auto& route : router.routes()) {
    const auto& doc = route->doc;
    std::string name = route->method + " " + route->pattern;
    EXPECT_FALSE(doc.public_route && !doc.roles.empty()) << name << " is public and has roles: which is it?";
    EXPECT_TRUE(doc.public_route || !doc.roles.empty()) << name << " declares neither roles nor public_route";
    for (const auto& role : doc.roles) {
      EXPECT_TRUE(auth::IsRole(role) || role == auth::kAnyRole) << name << ": unknown role " << role;
    }
  }
}

// Tenant isolation (issue 7): every protected route, called without
// credentials, with a session of another tenant, and with each role it does
// not name, is refused before its handler runs: 401 or 403, never data.
TEST(Routes, EveryProtectedRouteRefusesStrangers) {
  testutil::TempDir dir;
  store::Options options;
  options.url = "sqlite:" + (dir.path() / "r.db").string();
  auto opened = store::Database::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  auto& db = *opened;
  ASSERT_TRUE(db->Migrate().ok());
  ASSERT_TRUE(db->writer().Start().ok());
  core::metrics::Registry metrics;
  http::Router router;
  core::AuthConfig cfg;
  engine::Engine engine(*db);
  catalog::Catalog catalog(*db);
  intake::Intake intake(*db, catalog, engine, {.files_dir = dir.path() / "files"});
  records::Records records(*db, catalog, engine, {.files_dir = dir.path() / "files"});
  postfach::Postfach postfach(*db, engine, {.files_dir = dir.path() / "files"});
  postfach::Webhooks webhooks(*db, {});
  cases::Cases cs(*db, engine, catalog);
  RegisterRoutes(router, {.db = db.get(), .metrics = &metrics, .engine = &engine, .catalog = &catalog,
                          .intake = &intake, .records = &records, .auth = cfg, .postfach = &postfach,
                          .webhooks = &webhooks, .cases = &cs});
  http::Options o;
  o.port = 0;
  o.threads = 2;
  o.access_log = false;
  auto server = http::Server::Start(o, router, metrics);
  ASSERT_TRUE(server.ok()) << server.error().ToString();

  // One session per role in amt-a, and an administrator of amt-b.
  auth::Service service(*db, cfg, core::SystemClock::Instance());
  const std::string password = "ein langes Passwort";
  struct Who {
    std::string role, cookie, csrf;
  };
  std::vector<Who> sessions;
  auto sign_in = [&](const std::string& tenant, const std::string& role) -> Who {
    auto u = service.CreateUser(tenant, "test", {.login = "u-" + role, .display_name = role, .email = "u@x.example",
                                                 .password = password, .roles = {role}});
    EXPECT_TRUE(u.ok()) << u.error().ToString();
    auto s = service.Login(tenant, "u-" + role, password, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? Who{role, s->cookie_value, s->csrf_token} : Who{};
  };
  for (const auto& role : auth::AllRoles()) sessions.push_back(sign_in("amt-a", role));
  // The platform operator: any route with a {tenant} refuses it (it is no tenant's member), and
  // every route that does not name the role refuses it like any other role.
  sessions.push_back(sign_in(std::string(auth::kPlatformTenant), std::string(auth::kOperator)));
  Who stranger = sign_in("amt-b", std::string(auth::kAdministrator));

  // API tokens: the platform operator's (provisioning) and an administrator token of amt-a.
  auto op_token = service.CreateToken(std::string(auth::kPlatformTenant), "test", "provisioning",
                                      {std::string(auth::kOperator)}, std::nullopt);
  ASSERT_TRUE(op_token.ok()) << op_token.error().ToString();
  auto admin_token = service.CreateToken("amt-a", "test", "integration", {std::string(auth::kAdministrator)},
                                         std::nullopt);
  ASSERT_TRUE(admin_token.ok()) << admin_token.error().ToString();
  auto call_bearer = [&](const std::string& method, const std::string& target, const std::string& token,
                         const std::string& body) {
    std::string headers = "Authorization: Bearer " + token + "\r\n";
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    auto r = http::testutil::RoundTrip((*server)->port(), http::testutil::MakeRequest(method, target, headers, body));
    return r ? r->status : 0;
  };

  auto call = [&](const http::Route& route, const std::string& target, const Who* who) {
    std::string headers;
    if (who != nullptr) headers = "Cookie: amtsweg_session=" + who->cookie + "\r\nX-CSRF-Token: " + who->csrf + "\r\n";
    bool has_body = route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
    if (has_body) headers += "Content-Type: application/json\r\n";
    auto r = http::testutil::RoundTrip((*server)->port(),
                                       http::testutil::MakeRequest(route.method, target, headers, has_body ? "{}" : ""));
    return r ? r->status : 0;
  };

  int checked = 0;
  for (const auto& route : router.routes()) {
    if (route->doc.public_route) continue;
    std::string target = route->pattern;
    for (const auto& p : route->param_names) {
      std::string value = p == "tenant" ? "amt-a" : "probe-" + p;
      target.replace(target.find("{" + p + "}"), p.size() + 2, value);
    }
    std::string name = route->method + " " + route->pattern;
    EXPECT_EQ(call(*route, target, nullptr), 401) << name << " without credentials";
    bool has_tenant = std::find(route->param_names.begin(), route->param_names.end(), "tenant") !=
                      route->param_names.end();
    if (has_tenant) {
      EXPECT_EQ(call(*route, target, &stranger), 403) << name << " with another tenant's session";
      // The operator is no tenant's member: its session and its token are refused on every tenant route.
      EXPECT_EQ(call(*route, target, &sessions.back()), 403) << name << " as the operator";
    }
    {
      // The operator's token acts on platform-level routes only (no {tenant}, operator named);
      // there its request reaches the handler (the empty body is then refused or accepted, never 401/403).
      bool body = route->method == "POST" || route->method == "PUT" || route->method == "PATCH";
      const auto& rr = route->doc.roles;
      bool platform_route = !has_tenant && std::find(rr.begin(), rr.end(), auth::kOperator) != rr.end();
      int st = call_bearer(route->method, target, op_token->secret, body ? "{}" : "");
      if (platform_route) {
        EXPECT_NE(st, 401) << name << " with the operator's token";
        EXPECT_NE(st, 403) << name << " with the operator's token";
        // A tenant's administrator token never acts as operator.
        EXPECT_EQ(call_bearer(route->method, target, admin_token->secret, body ? "{}" : ""), 403) << name;
      } else {
        EXPECT_EQ(st, 403) << name << " with the operator's token";
      }
    }
    const auto& roles = route->doc.roles;
    if (std::find(roles.begin(), roles.end(), auth::kAnyRole) != roles.end()) continue;
    for (const Who& who : sessions) {
      if (std::find(roles.begin(), roles.end(), who.role) != roles.end()) continue;
      EXPECT_EQ(call(*route, target, &who), 403) << name << " as " << who.role;
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);

  // Creating tenants is the platform operator's alone: a municipality's administrator gets 403.
  auto post_tenant = [&](const Who& who, const std::string& body) {
    std::string headers = "Cookie: amtsweg_session=" + who.cookie + "\r\nX-CSRF-Token: " + who.csrf +
                          "\r\nContent-Type: application/json\r\n";
    auto r = http::testutil::RoundTrip((*server)->port(),
                                       http::testutil::MakeRequest("POST", "/api/v1/tenants", headers, body));
    return r ? r->status : 0;
  };
  const Who& admin = sessions.front();
  ASSERT_EQ(admin.role, auth::kAdministrator);
  const Who& op = sessions.back();
  ASSERT_EQ(op.role, auth::kOperator);
  std::string new_tenant = catalog::testing::SampleTenant("amt-neu").dump();
  EXPECT_EQ(post_tenant(admin, new_tenant), 403);
  EXPECT_EQ(post_tenant(stranger, new_tenant), 403);
  EXPECT_FALSE(catalog.GetTenant("amt-neu").ok());
  EXPECT_EQ(post_tenant(op, new_tenant), 201);
  EXPECT_TRUE(catalog.GetTenant("amt-neu").ok());
  EXPECT_EQ(post_tenant(op, catalog::testing::SampleTenant(std::string(auth::kPlatformTenant)).dump()), 422);
  // The role cannot be had any other way: not in a municipality, and the platform holds nothing else.
  auto refused = [&](const std::string& tenant, const std::string& role) {
    auto u = service.CreateUser(tenant, "test", {.login = "x-" + role, .display_name = "x", .email = "x@x.example",
                                                 .password = password, .roles = {role}});
    return !u.ok() && u.error().code() == core::ErrorCode::kInvalidArgument && !u.error().details().empty() &&
           u.error().details().front().pointer == "/roles/0";
  };
  EXPECT_TRUE(refused("amt-a", std::string(auth::kOperator)));
  EXPECT_TRUE(refused(std::string(auth::kPlatformTenant), std::string(auth::kAdministrator)));
  auto token = service.CreateToken("amt-a", "test", "t", {std::string(auth::kOperator)}, std::nullopt);
  EXPECT_FALSE(token.ok());

  // Operator API tokens over HTTP: the operator (session) creates one under
  // /tenants/platform, it creates a tenant, and once revoked it is refused.
  auto op_http = [&](const std::string& method, const std::string& target, const std::string& body) {
    std::string headers = "Cookie: amtsweg_session=" + op.cookie + "\r\nX-CSRF-Token: " + op.csrf + "\r\n";
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    return http::testutil::RoundTrip((*server)->port(), http::testutil::MakeRequest(method, target, headers, body));
  };
  const std::string platform_tokens = "/api/v1/tenants/platform/api-tokens";
  auto wrong_role = op_http("POST", platform_tokens, R"({"name": "x", "roles": ["administrator"]})");
  ASSERT_TRUE(wrong_role);
  EXPECT_EQ(wrong_role->status, 422);
  EXPECT_NE(wrong_role->body.find("/roles/0"), std::string::npos) << wrong_role->body;
  auto made = op_http("POST", platform_tokens, R"({"name": "Landesportal", "roles": ["operator"]})");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  core::Json made_json = core::Json::parse(made->body);
  std::string secret = made_json["token"].get<std::string>();
  auto listed = op_http("GET", platform_tokens, "");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_NE(listed->body.find("Landesportal"), std::string::npos);
  EXPECT_EQ(listed->body.find(secret), std::string::npos);  // never the secret again
  EXPECT_EQ(call_bearer("POST", "/api/v1/tenants", secret, catalog::testing::SampleTenant("amt-prov").dump()), 201);
  EXPECT_TRUE(catalog.GetTenant("amt-prov").ok());
  // The token cannot mint tokens or read the platform's accounts: a session (or the CLI) does that.
  EXPECT_EQ(call_bearer("GET", platform_tokens, secret, ""), 403);
  EXPECT_EQ(call_bearer("POST", platform_tokens, secret, R"({"name": "y", "roles": ["operator"]})"), 403);
  EXPECT_EQ(call_bearer("GET", "/api/v1/tenants/platform/users", secret, ""), 403);
  auto revoked = op_http("DELETE", platform_tokens + "/" + made_json["id"].get<std::string>(), "");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 204);
  EXPECT_EQ(call_bearer("POST", "/api/v1/tenants", secret, catalog::testing::SampleTenant("amt-spaet").dump()), 401);
  EXPECT_FALSE(catalog.GetTenant("amt-spaet").ok());
  // An administrator of amt-a cannot reach the platform's tokens.
  std::string admin_headers = "Cookie: amtsweg_session=" + admin.cookie + "\r\nX-CSRF-Token: " + admin.csrf + "\r\n";
  auto peek = http::testutil::RoundTrip((*server)->port(),
                                        http::testutil::MakeRequest("GET", platform_tokens, admin_headers, ""));
  ASSERT_TRUE(peek);
  EXPECT_EQ(peek->status, 403);
  (*server)->Stop(std::chrono::milliseconds(0));
  EXPECT_TRUE(db->writer().Stop().ok());
}

}  // namespace
}  // namespace amtsweg::app
