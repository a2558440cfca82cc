#include "http/request.h"

#include <gtest/gtest.h>

#include "http/response.h"

namespace amtsweg::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsPlusOutsideQueries) {
  EXPECT_EQ(PercentDecode("/a%20b/%C3%A4+x"), "/a b/\xC3\xA4+x");
  EXPECT_EQ(PercentDecode("a+b%2Bc", /*plus_as_space=*/true), "a b+c");
  EXPECT_EQ(PercentDecode("%2e%2E"), "..");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("abc%4"));
  EXPECT_FALSE(PercentDecode("%zz"));
  EXPECT_FALSE(PercentDecode("%%41"));
}

TEST(Headers, LookupIsCaseInsensitiveAndSetReplacesAll) {
  Headers h;
  h.Add("Content-Type", "text/plain");
  h.Add("Set-Cookie", "a=1");
  h.Add("set-cookie", "b=2");
  EXPECT_EQ(h.Get("content-type"), "text/plain");
  EXPECT_EQ(h.Get("SET-COOKIE"), "a=1");
  EXPECT_FALSE(h.Get("Location"));
  h.Set("SET-cookie", "c=3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.Get("Set-Cookie"), "c=3");
  h.Remove("content-TYPE");
  EXPECT_FALSE(h.Has("Content-Type"));
}

TEST(Request, QueryParamsAreDecodedFirstWins) {
  Request r;
  r.query = "a=1&b=x%20y+z&a=2&flag&bad=%zz&e%3Dq=v";
  EXPECT_EQ(r.QueryParam("a"), "1");
  EXPECT_EQ(r.QueryParam("b"), "x y z");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_FALSE(r.QueryParam("missing"));
  EXPECT_FALSE(r.QueryParam("bad"));
  EXPECT_EQ(r.QueryParam("e=q"), "v");
  auto all = r.QueryParams();
  ASSERT_EQ(all.size(), 5u);  // the malformed pair is skipped
  EXPECT_EQ(all[2].first, "a");
  EXPECT_EQ(all[2].second, "2");
}

TEST(Request, PathParamByName) {
  Request r;
  r.path_params = {{"tenant", "t1"}, {"id", "42"}};
  EXPECT_EQ(r.PathParam("id"), "42");
  EXPECT_EQ(r.PathParam("nope"), "");
}

TEST(Response, HelpersSetContentTypeAndStatus) {
  auto j = Response::Json({{"a", 1}}, 201);
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(j.body, R"({"a":1})");
  auto t = Response::Text("hi");
  EXPECT_EQ(t.headers.Get("content-type"), "text/plain; charset=utf-8");
  auto b = Response::Bytes("%PDF", "application/pdf").WithHeader("Content-Disposition", "inline");
  EXPECT_EQ(b.headers.Get("Content-Disposition"), "inline");
  EXPECT_EQ(b.Body(), "%PDF");
  EXPECT_EQ(Response::NoContent().status, 204);
}

}  // namespace
}  // namespace amtsweg::http
