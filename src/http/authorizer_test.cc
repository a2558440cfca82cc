// The router's Authorizer: it runs before every handler, sync or async, and
// its refusal is the answer (the handler never runs).
#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "core/metrics.h"
#include "http/openapi.h"
#include "http/server.h"
#include "http/test_client.h"

namespace amtsweg::http {
namespace {

class AuthorizerTest : public ::testing::Test {
 protected:
  AuthorizerTest() {
    router_.Get(
        "/open", [this](Request&) -> core::Result<Response> { ++handled_; return Response::Text("open"); },
        {.summary = "Public", .public_route = true});
    router_.Get(
        "/t/{tenant}/x",
        [this](Request& r) -> core::Result<Response> {
          ++handled_;
          const auto* who = std::any_cast<std::string>(&r.auth);
          return Response::Text(who ? *who : "nobody");
        },
        {.summary = "Needs a role", .roles = {"clerk"}});
    router_.PostAsync(
        "/t/{tenant}/later",
        [this](Request&, Responder respond) {
          ++handled_;
          respond(Response::NoContent());
        },
        {.summary = "Async with a role", .roles = {"clerk"}});
    // A toy policy: "X-Who: name:role:tenant".
    router_.SetAuthorizer([this](Request& r, const Route& route) -> core::Status {
      ++authorized_;
      if (route.doc.public_route) return core::OkStatus();
      auto who = r.Header("X-Who");
      if (!who) return core::Unauthenticated("who are you?");
      std::string v(*who);
      size_t a = v.find(':'), b = v.rfind(':');
      if (v.substr(a + 1, b - a - 1) != route.doc.roles.at(0)) return core::PermissionDenied("wrong role");
      if (v.substr(b + 1) != r.PathParam("tenant")) return core::PermissionDenied("other tenant");
      r.auth = v.substr(0, a);
      return core::OkStatus();
    });
    Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = Server::Start(o, router_, metrics_);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    if (s.ok()) server_ = std::move(*s);
  }

  int Status(std::string_view method, std::string_view target, std::string_view headers = {}) {
    auto r = testutil::RoundTrip(server_->port(), testutil::MakeRequest(method, target, headers));
    return r ? r->status : 0;
  }

  Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<Server> server_;
  std::atomic<int> handled_{0}, authorized_{0};
};

TEST_F(AuthorizerTest, RefusalIsTheAnswerAndTheHandlerNeverRuns) {
  EXPECT_EQ(Status("GET", "/t/a/x"), 401);
  EXPECT_EQ(Status("GET", "/t/a/x", "X-Who: eve:janitor:a\r\n"), 403);
  EXPECT_EQ(Status("GET", "/t/a/x", "X-Who: eve:clerk:b\r\n"), 403);
  EXPECT_EQ(Status("POST", "/t/a/later", "Content-Length: 0\r\n"), 401);
  EXPECT_EQ(Status("POST", "/t/a/later", "X-Who: eve:janitor:a\r\nContent-Length: 0\r\n"), 403);
  EXPECT_EQ(handled_.load(), 0);
  EXPECT_EQ(authorized_.load(), 5);
}

TEST_F(AuthorizerTest, UnauthenticatedAnswersSayHowToAuthenticate) {
  auto r = testutil::Get(server_->port(), "/t/a/x");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("WWW-Authenticate"), "Bearer realm=\"amtsweg\"");
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
}

TEST_F(AuthorizerTest, AllowedRequestsReachTheHandlerWithThePrincipal) {
  auto r = testutil::Get(server_->port(), "/t/a/x", "X-Who: anna:clerk:a\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "anna");
  EXPECT_EQ(Status("POST", "/t/a/later", "X-Who: anna:clerk:a\r\nContent-Length: 0\r\n"), 204);
  EXPECT_EQ(Status("GET", "/open"), 200);
  EXPECT_EQ(handled_.load(), 3);
}

TEST_F(AuthorizerTest, UnmatchedPathsDoNotReachTheAuthorizer) {
  EXPECT_EQ(Status("GET", "/nowhere"), 404);
  EXPECT_EQ(Status("DELETE", "/open"), 405);
  EXPECT_EQ(authorized_.load(), 0);
}

TEST_F(AuthorizerTest, OpenApiListsRolesAndSecurity) {
  core::Json doc = RenderOpenApi(router_, {});
  EXPECT_EQ(doc["paths"]["/open"]["get"]["security"], core::Json::array());
  EXPECT_EQ(doc["paths"]["/t/{tenant}/x"]["get"]["x-roles"], core::Json::array({"clerk"}));
  EXPECT_EQ(doc["paths"]["/t/{tenant}/x"]["get"]["security"].size(), 2u);
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("session"));
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("bearer"));
}

}  // namespace
}  // namespace amtsweg::http
