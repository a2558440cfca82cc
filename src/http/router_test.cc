#include "http/router.h"

#include <gtest/gtest.h>

namespace amtsweg::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) -> core::Result<Response> { return Response::Text(name); };
}

std::string Call(const RouteMatch& m) {
  Request r;
  auto resp = m.route->handler(r);
  return resp.ok() ? resp->body : "<error>";
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Get("/", Named("root"), {.summary = "root"});
    router_.Get("/api/v1/cases", Named("list"), {.summary = "list"});
    router_.Post("/api/v1/cases", Named("create"), {.summary = "create"});
    router_.Get("/api/v1/cases/{id}", Named("get"), {.summary = "get"});
    router_.Delete("/api/v1/cases/{id}", Named("delete"), {.summary = "delete"});
    router_.Get("/api/v1/cases/new", Named("new"), {.summary = "new"});
    router_.Get("/api/v1/cases/{caseId}/files/{fileId}", Named("file"), {.summary = "file"});
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterRoutes) {
  std::vector<std::pair<std::string, std::string>> params;
  auto m = router_.Find("GET", "/api/v1/cases/42", &params);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(Call(m), "get");
  EXPECT_EQ(m.route->pattern, "/api/v1/cases/{id}");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"id", "42"}));

  m = router_.Find("GET", "/api/v1/cases/7/files/f%2F1", &params);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(Call(m), "file");
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].first, "caseId");
  EXPECT_EQ(params[1].second, "f/1");  // an encoded slash stays inside its segment

  EXPECT_EQ(Call(router_.Find("GET", "/", nullptr)), "root");
  EXPECT_EQ(Call(router_.Find("GET", "/api/v1/cases", nullptr)), "list");
  EXPECT_EQ(Call(router_.Find("POST", "/api/v1/cases", nullptr)), "create");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  EXPECT_EQ(Call(router_.Find("GET", "/api/v1/cases/new", nullptr)), "new");
  // The literal route has no DELETE: the parameter route takes it.
  std::vector<std::pair<std::string, std::string>> params;
  auto m = router_.Find("DELETE", "/api/v1/cases/new", &params);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(Call(m), "delete");
  EXPECT_EQ(params[0].second, "new");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router_.Find("GET", "/api/v1/other", nullptr).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Find("GET", "/api/v1/cases/", nullptr).kind, RouteMatch::Kind::kNotFound);  // empty param
  EXPECT_EQ(router_.Find("GET", "/api/v1/cases/1/files", nullptr).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Find("GET", "/api//v1/cases", nullptr).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Find("GET", "api/v1/cases", nullptr).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Find("GET", "/api/v1/cases/%zz", nullptr).kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto m = router_.Find("PUT", "/api/v1/cases/9", nullptr);
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, DELETE");
  auto lit = router_.Find("PATCH", "/api/v1/cases", nullptr);
  EXPECT_EQ(lit.allow, "GET, HEAD, POST");
  // Both the literal and the parameter route match "/cases/new": Allow is their union.
  EXPECT_EQ(router_.Find("POST", "/api/v1/cases/new", nullptr).allow, "GET, HEAD, DELETE");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  auto m = router_.Find("HEAD", "/api/v1/cases/3", nullptr);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->method, "GET");
}

TEST_F(RouterTest, ListsEveryRouteInOrder) {
  ASSERT_EQ(router_.routes().size(), 7u);
  EXPECT_EQ(router_.routes()[3]->pattern, "/api/v1/cases/{id}");
  EXPECT_EQ(router_.routes()[3]->index, 3u);
  EXPECT_EQ(router_.routes()[6]->param_names, (std::vector<std::string>{"caseId", "fileId"}));
}

TEST(Router, RejectsBadRegistrations) {
  Router r;
  auto h = Named("x");
  EXPECT_EQ(r.Add("GET", "no-slash", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{1x}", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{x}/{x}", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/b{x}", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a//b", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("G T", "/a", h, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a", h, {}).error().code(), core::ErrorCode::kInvalidArgument);  // no summary
  EXPECT_EQ(r.Add("GET", "/a", nullptr, {.summary = "s"}).error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_TRUE(r.Add("GET", "/a/{x}", h, {.summary = "s"}).ok());
  EXPECT_EQ(r.Add("GET", "/a/{y}", h, {.summary = "s"}).error().code(), core::ErrorCode::kAlreadyExists);
  EXPECT_TRUE(r.Add("POST", "/a/{y}", h, {.summary = "s"}).ok());
  EXPECT_EQ(r.routes().size(), 2u);
}

TEST(Router, CustomMethodsAreRoutable) {
  Router r;
  ASSERT_TRUE(r.Add("PROPFIND", "/dav", Named("dav"), {.summary = "dav"}).ok());
  EXPECT_EQ(Call(r.Find("PROPFIND", "/dav", nullptr)), "dav");
  EXPECT_EQ(r.Find("GET", "/dav", nullptr).allow, "PROPFIND");
}

}  // namespace
}  // namespace amtsweg::http
