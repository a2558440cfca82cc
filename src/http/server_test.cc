// Server tests over real sockets on 127.0.0.1 with ephemeral ports.
#include "http/server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "core/id.h"
#include "core/json.h"
#include "core/log.h"
#include "http/test_client.h"

namespace amtsweg::http {
namespace {

using namespace std::chrono_literals;
using testutil::ClientResponse;
using testutil::Get;
using testutil::MakeRequest;
using testutil::RoundTrip;
using testutil::TestConnection;

constexpr std::string_view kCsp = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

core::Json BodyJson(const ClientResponse& r) {
  auto j = core::ParseJson(r.body);
  EXPECT_TRUE(j.ok()) << r.body;
  return j.ok() ? *j : core::Json();
}

void ExpectProblem(const ClientResponse& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  core::Json j = BodyJson(r);
  EXPECT_EQ(j.value("status", 0), status) << r.body;
  EXPECT_EQ(j.value("code", ""), code) << r.body;
  EXPECT_EQ(j.value("type", ""), "about:blank");
  EXPECT_FALSE(j.value("title", "").empty());
  EXPECT_TRUE(j.contains("detail"));
  EXPECT_TRUE(j.contains("instance"));
}

// Polls `cond` for up to `timeout`: effects recorded after a response is
// written (metrics, access log) may trail the client's read by a moment.
template <typename Cond>
bool Eventually(Cond cond, std::chrono::milliseconds timeout = 2s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.Get(
        "/api/v1/cases/{id}",
        [](Request& r) -> core::Result<Response> { return Response::Json({{"id", r.PathParam("id")}}); },
        {.summary = "Get a case", .tag = "cases"});
    router_.Get(
        "/api/v1/cases/new", [](Request&) -> core::Result<Response> { return Response::Text("new-form"); },
        {.summary = "New case form"});
    router_.Post(
        "/api/v1/cases",
        [](Request& r) -> core::Result<Response> {
          return Response::Json({{"received", r.body.size()}, {"body", r.body}}, 201);
        },
        {.summary = "Create a case"});
    router_.Get(
        "/api/v1/echo/{n}", [](Request& r) -> core::Result<Response> { return Response::Text(std::string(r.PathParam("n"))); },
        {.summary = "Echo"});
    router_.Post(
        "/api/v1/validate",
        [](Request&) -> core::Result<Response> {
          return core::InvalidArgument("the form has errors",
                                       {{"/applicant/name", "required"}, {"/start", "must be a date"}});
        },
        {.summary = "Validate"});
    router_.Get(
        "/api/v1/missing", [](Request&) -> core::Result<Response> { return core::NotFound("case 42 does not exist"); },
        {.summary = "Missing"});
    router_.Get(
        "/api/v1/bad", [](Request&) -> core::Result<Response> { return core::InvalidArgument("limit must be positive"); },
        {.summary = "Bad"});
    router_.Get(
        "/api/v1/boom",
        [](Request&) -> core::Result<Response> { return core::Internal("SELECT secret FROM t failed"); },
        {.summary = "Boom"});
    router_.Get(
        "/api/v1/throw", [](Request&) -> core::Result<Response> { throw std::runtime_error("oops"); },
        {.summary = "Throw"});
    router_.Post(
        "/api/v1/small", [](Request& r) -> core::Result<Response> { return Response::Text(r.body); },
        {.summary = "Small body"}, {.max_body_bytes = 16});
    router_.Get(
        "/api/v1/query",
        [](Request& r) -> core::Result<Response> { return Response::Text(r.QueryParam("q").value_or("<none>")); },
        {.summary = "Query"});
    router_.Get(
        "/api/v1/whoami",
        [](Request& r) -> core::Result<Response> {
          return Response::Json({{"request_id", r.request_id}, {"remote", r.remote}, {"route", r.route}});
        },
        {.summary = "Who am I"});
    router_.Get(
        "/api/v1/weird",
        [](Request&) -> core::Result<Response> {
          return Response::Text("w")
              .WithHeader("X-Injected", "a\r\nSet-Cookie: evil=1")
              .WithHeader("Bad Name", "v")
              .WithHeader("X-Fine", "ok");
        },
        {.summary = "Weird headers"});
    router_.Get(
        "/api/v1/bad-status", [](Request&) -> core::Result<Response> { return Response::Text("x", 42); },
        {.summary = "Bad status"});
    router_.Get(
        "/api/v1/own-csp",
        [](Request&) -> core::Result<Response> {
          return Response::Text("x").WithHeader("Content-Security-Policy", "default-src 'none'");
        },
        {.summary = "Own CSP"});
  }

  static Options TestOptions() {
    Options o;
    o.port = 0;
    o.threads = 2;
    o.read_timeout = 2s;
    o.idle_timeout = 5s;
    o.access_log = false;
    return o;
  }

  void StartServer(Options o = TestOptions()) {
    auto s = Server::Start(std::move(o), router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }

  uint16_t port() const { return server_->port(); }

  Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<Server> server_;
};

TEST_F(HttpServerTest, EphemeralPortIsReported) {
  StartServer();
  EXPECT_NE(port(), 0);
  EXPECT_NE(port(), 8080);
}

TEST_F(HttpServerTest, RoutesWithDecodedPathParams) {
  StartServer();
  auto r = Get(port(), "/api/v1/cases/abc%20d");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(BodyJson(*r)["id"], "abc d");

  auto lit = Get(port(), "/api/v1/cases/new");
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->status, 200);
  EXPECT_EQ(lit->body, "new-form");
}

TEST_F(HttpServerTest, UnknownPathIs404Problem) {
  StartServer();
  auto r = Get(port(), "/api/v1/nothing/here");
  ASSERT_TRUE(r);
  ExpectProblem(*r, 404, "not_found");
  core::Json j = BodyJson(*r);
  EXPECT_EQ(j["title"], "Not Found");
  EXPECT_EQ(j["instance"], "/api/v1/nothing/here");
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  auto r = RoundTrip(port(), MakeRequest("DELETE", "/api/v1/cases/7"));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 405, "method_not_allowed");
  EXPECT_EQ(r->Header("Allow"), "GET, HEAD");
  EXPECT_EQ(BodyJson(*r)["title"], "Method Not Allowed");
}

TEST_F(HttpServerTest, HeadIsServedLikeGetWithoutBody) {
  StartServer();
  auto get = Get(port(), "/api/v1/cases/x1");
  ASSERT_TRUE(get);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("HEAD", "/api/v1/cases/x1")));
  auto head = c->Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(get->body.size()));
  // Had the server sent a body, it would now be read as the next response.
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/cases/x2")));
  auto next = c->Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(BodyJson(*next)["id"], "x2");
}

TEST_F(HttpServerTest, InvalidArgumentWithDetailsIs422WithErrors) {
  StartServer();
  auto r = RoundTrip(port(), MakeRequest("POST", "/api/v1/validate", "", "{}"));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 422, "invalid_argument");
  core::Json j = BodyJson(*r);
  EXPECT_EQ(j["detail"], "the form has errors");
  ASSERT_TRUE(j["errors"].is_array());
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0]["pointer"], "/applicant/name");
  EXPECT_EQ(j["errors"][0]["detail"], "required");
  EXPECT_EQ(j["errors"][1]["pointer"], "/start");
}

TEST_F(HttpServerTest, HandlerErrorsMapToStatuses) {
  StartServer();
  auto missing = Get(port(), "/api/v1/missing");
  ASSERT_TRUE(missing);
  ExpectProblem(*missing, 404, "not_found");
  EXPECT_EQ(BodyJson(*missing)["detail"], "case 42 does not exist");

  auto bad = Get(port(), "/api/v1/bad");
  ASSERT_TRUE(bad);
  ExpectProblem(*bad, 400, "invalid_argument");
  EXPECT_FALSE(BodyJson(*bad).contains("errors"));

  auto boom = Get(port(), "/api/v1/boom");
  ASSERT_TRUE(boom);
  ExpectProblem(*boom, 500, "internal");
  EXPECT_EQ(boom->body.find("secret"), std::string::npos) << boom->body;
  EXPECT_NE(boom->body.find(boom->Header("X-Request-Id")), std::string::npos) << boom->body;

  auto thrown = Get(port(), "/api/v1/throw");
  ASSERT_TRUE(thrown);
  ExpectProblem(*thrown, 500, "internal");
}

TEST_F(HttpServerTest, BodyOverLimitIs413BeforeTheBodyIsSent) {
  Options o = TestOptions();
  o.max_body_bytes = 1024;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  // Only the header: the server must answer without waiting for 100 MB.
  ASSERT_TRUE(c->Send("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  auto r = c->Read(false, 3s);
  ASSERT_TRUE(r);
  ExpectProblem(*r, 413, "payload_too_large");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c->WaitClosed(3s));
}

TEST_F(HttpServerTest, PerRouteBodyLimitOverridesDefault) {
  StartServer();
  auto ok = RoundTrip(port(), MakeRequest("POST", "/api/v1/small", "", std::string(16, 'a')));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, std::string(16, 'a'));
  auto big = RoundTrip(port(), MakeRequest("POST", "/api/v1/small", "", std::string(17, 'a')));
  ASSERT_TRUE(big);
  ExpectProblem(*big, 413, "payload_too_large");
}

TEST_F(HttpServerTest, ChunkedBodyIsReadAndLimited) {
  StartServer();
  auto ok = RoundTrip(port(),
                      "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
  EXPECT_EQ(BodyJson(*ok)["body"], "hello world");

  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "a\r\n0123456789\r\n"));
  ASSERT_TRUE(c->Send("a\r\n0123456789\r\n"));  // 20 bytes > 16
  auto big = c->Read();
  ASSERT_TRUE(big);
  ExpectProblem(*big, 413, "payload_too_large");
}

TEST_F(HttpServerTest, HugeHeaderIs431) {
  StartServer();
  std::string extra = "X-Big: " + std::string(20000, 'a') + "\r\n";
  auto r = RoundTrip(port(), MakeRequest("GET", "/api/v1/cases/1", extra));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 431, "header_too_large");
  EXPECT_EQ(BodyJson(*r)["title"], "Request Header Fields Too Large");
}

TEST_F(HttpServerTest, StalledHeaderIs408AndClosed) {
  Options o = TestOptions();
  o.read_timeout = 300ms;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->Send("GET /api/v1/cases/1 HTTP/1.1\r\nHost: x\r\n"));  // no blank line: stalls
  auto r = c->Read(false, 3s);
  auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r);
  ExpectProblem(*r, 408, "request_timeout");
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);
  EXPECT_TRUE(c->WaitClosed(3s));
}

TEST_F(HttpServerTest, StalledBodyIs408) {
  Options o = TestOptions();
  o.read_timeout = 300ms;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  auto r = c->Read(false, 3s);
  ASSERT_TRUE(r);
  ExpectProblem(*r, 408, "request_timeout");
}

TEST_F(HttpServerTest, SlowlorisTricklingBytesIsCutAtTheReadTimeout) {
  Options o = TestOptions();
  o.read_timeout = 400ms;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  auto t0 = std::chrono::steady_clock::now();
  std::string header = "GET /api/v1/cases/1 HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  ASSERT_TRUE(c->Send(header));
  // A byte every 50 ms keeps every single read short, but not the request.
  std::optional<ClientResponse> r;
  for (int i = 0; i < 40 && !r; ++i) {
    c->Send("a");
    r = c->Read(false, 50ms);
  }
  ASSERT_TRUE(r);
  ExpectProblem(*r, 408, "request_timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST_F(HttpServerTest, MalformedRequestsAre400) {
  StartServer();
  for (std::string_view raw : {std::string_view("THIS IS NOT HTTP\r\n\r\n"),
                               std::string_view("GET /api/v1/cases/1 HTTP/1.1\r\nBad Header Line\r\n\r\n"),
                               std::string_view("GET /api/v1/cases/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                               std::string_view("GET api/v1/cases HTTP/1.1\r\nHost: x\r\n\r\n"),
                               std::string_view("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n"),
                               std::string_view("GET /api/v1/cases/1 HTTP/1.1\r\n\r\n"),  // no Host
                               // Both framings at once: a request-smuggling vector.
                               std::string_view("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                                "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")}) {
    auto r = RoundTrip(port(), raw);
    ASSERT_TRUE(r) << raw;
    ExpectProblem(*r, 400, "malformed_request");
  }
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/echo/" + std::to_string(i))));
    auto r = c->Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, std::to_string(i));
    EXPECT_FALSE(r->HasHeader("Connection"));
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/echo/a") + MakeRequest("POST", "/api/v1/cases", "", "xyz") +
                      MakeRequest("GET", "/api/v1/echo/c")));
  auto a = c->Read();
  auto b = c->Read();
  auto d = c->Read();
  ASSERT_TRUE(a && b && d);
  EXPECT_EQ(a->body, "a");
  EXPECT_EQ(b->status, 201);
  EXPECT_EQ(BodyJson(*b)["body"], "xyz");
  EXPECT_EQ(d->body, "c");
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  Options o = TestOptions();
  o.idle_timeout = 300ms;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/echo/1")));
  ASSERT_TRUE(c->Read());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c->WaitClosed(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
}

TEST_F(HttpServerTest, SilentFreshConnectionIsClosedAfterReadTimeout) {
  Options o = TestOptions();
  o.read_timeout = 300ms;
  o.idle_timeout = 30s;
  StartServer(o);
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c->WaitClosed(3s));  // closed without an answer: it never asked anything
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAliveAsked) {
  StartServer();
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("GET /api/v1/echo/x HTTP/1.0\r\n\r\n"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "x");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c->WaitClosed(3s));

  auto k = TestConnection::Connect(port());
  ASSERT_TRUE(k);
  ASSERT_TRUE(k->Send("GET /api/v1/echo/y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r2 = k->Read();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->Header("Connection"), "keep-alive");
  ASSERT_TRUE(k->Send("GET /api/v1/echo/z HTTP/1.0\r\n\r\n"));
  auto r3 = k->Read();
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->body, "z");
}

TEST_F(HttpServerTest, ExpectContinueGets100BeforeTheBody) {
  StartServer();
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto cont = c->Read(false, 3s);
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE(c->Send("hello"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(BodyJson(*r)["body"], "hello");
}

TEST_F(HttpServerTest, QueryParametersAreDecoded) {
  StartServer();
  auto r = Get(port(), "/api/v1/query?x=1&q=a%20b+c");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "a b c");
  auto none = Get(port(), "/api/v1/query");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->body, "<none>");
}

TEST_F(HttpServerTest, ThousandConcurrentRequestsAreAllAnswered) {
  StartServer();
  constexpr int kThreads = 4, kConnsPerThread = 25, kRounds = 10;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<TestConnection>> conns;
      for (int i = 0; i < kConnsPerThread; ++i) {
        auto c = TestConnection::Connect(port());
        if (!c) {
          failed += kRounds;
          continue;
        }
        conns.push_back(std::move(c));
      }
      for (int round = 0; round < kRounds; ++round) {
        // All requests of a round are on the wire before any answer is read.
        for (size_t i = 0; i < conns.size(); ++i) {
          conns[i]->Send(MakeRequest("GET", "/api/v1/echo/" + std::to_string(t) + "-" + std::to_string(i) + "-" +
                                                std::to_string(round)));
        }
        for (size_t i = 0; i < conns.size(); ++i) {
          auto r = conns[i]->Read();
          std::string want = std::to_string(t) + "-" + std::to_string(i) + "-" + std::to_string(round);
          if (r && r->status == 200 && r->body == want) ++ok;
          else ++failed;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kConnsPerThread * kRounds);
  EXPECT_EQ(failed.load(), 0);
}

TEST_F(HttpServerTest, MaxConnectionsAnswers503ThenRecovers) {
  Options o = TestOptions();
  o.max_connections = 2;
  StartServer(o);
  auto a = TestConnection::Connect(port());
  auto b = TestConnection::Connect(port());
  ASSERT_TRUE(a && b);
  for (auto* c : {a.get(), b.get()}) {  // make sure both are accepted and counted
    ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/echo/1")));
    ASSERT_TRUE(c->Read());
  }
  auto third = TestConnection::Connect(port());
  ASSERT_TRUE(third);
  auto r = third->Read(false, 3s);  // answered without sending anything
  ASSERT_TRUE(r);
  ExpectProblem(*r, 503, "overloaded");
  EXPECT_EQ(r->Header("Retry-After"), "1");
  EXPECT_TRUE(third->WaitClosed(3s));
  EXPECT_NE(metrics_.Render().find("amtsweg_http_connections_rejected_total 1\n"), std::string::npos);

  // Once a connection is gone, the next one is served (until the server has
  // noticed the close, attempts may still be answered with 503).
  a.reset();
  EXPECT_TRUE(Eventually([&] {
    auto g = Get(port(), "/api/v1/echo/2");
    return g && g->status == 200;
  }));
}

TEST_F(HttpServerTest, RequestIdIsEchoedOrGenerated) {
  StartServer();
  auto given = Get(port(), "/api/v1/whoami", "X-Request-Id: abc-123.x_y\r\n");
  ASSERT_TRUE(given);
  EXPECT_EQ(given->Header("X-Request-Id"), "abc-123.x_y");
  EXPECT_EQ(BodyJson(*given)["request_id"], "abc-123.x_y");
  EXPECT_EQ(BodyJson(*given)["route"], "/api/v1/whoami");
  EXPECT_TRUE(BodyJson(*given)["remote"].get<std::string>().starts_with("127.0.0.1:"));

  auto fresh = Get(port(), "/api/v1/whoami");
  ASSERT_TRUE(fresh);
  auto id = core::Uuid::Parse(fresh->Header("X-Request-Id"));
  ASSERT_TRUE(id.ok()) << fresh->Header("X-Request-Id");
  EXPECT_EQ(id->Version(), 7);
  EXPECT_EQ(BodyJson(*fresh)["request_id"], fresh->Header("X-Request-Id"));

  auto bad = Get(port(), "/api/v1/whoami", "X-Request-Id: has spaces and \"quotes\"\r\n");
  ASSERT_TRUE(bad);
  EXPECT_TRUE(core::Uuid::Parse(bad->Header("X-Request-Id")).ok()) << bad->Header("X-Request-Id");

  auto on_error = Get(port(), "/api/v1/nothing", "X-Request-Id: err-1\r\n");
  ASSERT_TRUE(on_error);
  EXPECT_EQ(on_error->Header("X-Request-Id"), "err-1");
}

TEST_F(HttpServerTest, SecurityHeadersOnEveryResponse) {
  StartServer();
  std::vector<ClientResponse> responses;
  for (auto target : {"/api/v1/cases/1", "/api/v1/none", "/api/v1/boom"}) {
    auto r = Get(port(), target);
    ASSERT_TRUE(r) << target;
    responses.push_back(*r);
  }
  auto big = RoundTrip(port(), "POST /api/v1/small HTTP/1.1\r\nHost: x\r\nContent-Length: 999\r\n\r\n");
  ASSERT_TRUE(big);
  responses.push_back(*big);
  for (const auto& r : responses) {
    EXPECT_EQ(r.Header("Content-Security-Policy"), kCsp) << r.status;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << r.status;
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer") << r.status;
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << r.status;
    EXPECT_FALSE(r.Header("Date").empty()) << r.status;
  }
}

TEST_F(HttpServerTest, UnsafeHandlerHeadersAndStatusesAreDropped) {
  StartServer();
  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/weird")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("X-Fine"), "ok");
  EXPECT_FALSE(r->HasHeader("X-Injected"));
  EXPECT_FALSE(r->HasHeader("Set-Cookie"));
  EXPECT_FALSE(r->HasHeader("Bad Name"));
  EXPECT_EQ(r->body, "w");
  // The connection is still in sync: nothing was smuggled into the stream.
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/bad-status")));
  auto bad = c->Read();
  ASSERT_TRUE(bad);
  ExpectProblem(*bad, 500, "internal");
}

TEST_F(HttpServerTest, HandlerMayReplaceTheCsp) {
  StartServer();
  auto r = Get(port(), "/api/v1/own-csp");
  ASSERT_TRUE(r);
  int count = 0;
  for (const auto& [n, v] : r->headers) count += EqualsIgnoreCase(n, "Content-Security-Policy");
  EXPECT_EQ(count, 1);
  EXPECT_EQ(r->Header("Content-Security-Policy"), "default-src 'none'");
}

TEST_F(HttpServerTest, MetricsCountByRoutePatternNotRawPath) {
  StartServer();
  ASSERT_EQ(Get(port(), "/api/v1/cases/a")->status, 200);
  ASSERT_EQ(Get(port(), "/api/v1/cases/b")->status, 200);
  ASSERT_EQ(Get(port(), "/api/v1/missing")->status, 404);
  ASSERT_EQ(Get(port(), "/api/v1/zzz")->status, 404);
  std::string text;
  EXPECT_TRUE(Eventually([&] {
    text = metrics_.Render();
    return text.find("amtsweg_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{id}\",status=\"200\"} 2") !=
               std::string::npos &&
           text.find("amtsweg_http_requests_total{method=\"GET\",route=\"/api/v1/missing\",status=\"404\"} 1") !=
               std::string::npos &&
           text.find("amtsweg_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1") !=
               std::string::npos &&
           text.find("amtsweg_http_request_duration_seconds_count{route=\"/api/v1/cases/{id}\"} 2") != std::string::npos;
  })) << text;
  EXPECT_EQ(text.find("/api/v1/cases/a"), std::string::npos);
  EXPECT_EQ(text.find("/api/v1/zzz"), std::string::npos);
  EXPECT_NE(text.find("amtsweg_http_requests_in_flight 0"), std::string::npos) << text;
  EXPECT_TRUE(Eventually([&] { return metrics_.Render().find("amtsweg_http_open_connections 0") != std::string::npos; }));

  auto c = TestConnection::Connect(port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/api/v1/echo/1")));
  ASSERT_TRUE(c->Read());
  EXPECT_NE(metrics_.Render().find("amtsweg_http_open_connections 1"), std::string::npos);
}

// Redirects stderr (where the logger writes) into a file for the test's duration.
class StderrCapture {
 public:
  StderrCapture() : path_(std::filesystem::temp_directory_path() / ("aw_http_log_" + core::NewId())) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::filesystem::remove(path_);
  }
  std::string Text() const {
    std::fflush(stderr);
    std::ifstream in(path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::filesystem::path path_;
  int saved_;
};

TEST_F(HttpServerTest, AccessLogLineCarriesRequestFields) {
  core::InitLogging(core::LogLevel::kInfo, core::LogFormat::kHuman);
  Options o = TestOptions();
  o.access_log = true;
  StartServer(o);
  StderrCapture capture;
  auto r = Get(port(), "/api/v1/cases/log1", "X-Request-Id: log-req-1\r\n");
  ASSERT_TRUE(r);
  std::string line;
  EXPECT_TRUE(Eventually([&] {
    std::string text = capture.Text();
    size_t at = text.find("request_id=log-req-1");
    if (at == std::string::npos) return false;
    size_t begin = text.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    line = text.substr(begin, text.find('\n', at) - begin);
    return true;
  }));
  EXPECT_NE(line.find(" INFO request "), std::string::npos) << line;
  for (auto field : {"method=GET", "path=/api/v1/cases/log1", "route=/api/v1/cases/{id}", "status=200",
                     "bytes=", "duration_ms=", "remote=127.0.0.1:"}) {
    EXPECT_NE(line.find(field), std::string::npos) << field << " missing in: " << line;
  }
}

TEST(HttpServerStart, RejectsBadAddressAndBusyPort) {
  Router router;
  core::metrics::Registry metrics;
  Options o;
  o.port = 0;
  o.address = "not-an-ip";
  auto bad = Server::Start(o, router, metrics);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), core::ErrorCode::kInvalidArgument);

  o.address = "127.0.0.1";
  o.threads = 1;
  auto first = Server::Start(o, router, metrics);
  ASSERT_TRUE(first.ok());
  o.port = (*first)->port();
  auto second = Server::Start(o, router, metrics);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), core::ErrorCode::kUnavailable);

  o.port = 0;
  o.static_dir = "/nonexistent/amtsweg/dist";
  auto missing = Server::Start(o, router, metrics);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kNotFound);
}

TEST(HttpServerShutdown, FinishesRequestInFlightAndRefusesNewConnections) {
  Router router;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router.Get(
      "/slow",
      [&](Request&) -> core::Result<Response> {
        entered.set_value();
        released.wait();
        return Response::Text("finished");
      },
      {.summary = "Slow"});
  router.Get("/fast", [](Request&) -> core::Result<Response> { return Response::Text("fast"); }, {.summary = "Fast"});
  core::metrics::Registry metrics;
  Options o;
  o.port = 0;
  o.threads = 2;
  o.access_log = false;
  auto started = Server::Start(o, router, metrics);
  ASSERT_TRUE(started.ok());
  auto& server = **started;
  uint16_t port = server.port();

  auto idle = TestConnection::Connect(port);
  ASSERT_TRUE(idle);
  ASSERT_TRUE(idle->Send(MakeRequest("GET", "/fast")));
  ASSERT_TRUE(idle->Read());

  auto slow = TestConnection::Connect(port);
  ASSERT_TRUE(slow);
  ASSERT_TRUE(slow->Send(MakeRequest("GET", "/slow")));
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);

  std::atomic<bool> stop_returned{false};
  auto t0 = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    server.Stop(10s);
    stop_returned = true;
  });

  bool refused = Eventually(
      [&] {
        int err = 0;
        auto c = TestConnection::Connect(port, &err);
        return !c && err == ECONNREFUSED;
      },
      3s);
  EXPECT_TRUE(refused);
  EXPECT_TRUE(idle->WaitClosed(3s));  // idle keep-alive connections are closed at once
  EXPECT_FALSE(stop_returned.load());  // still draining the slow request

  release.set_value();
  auto r = slow->Read(false, 5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->Header("Connection"), "close");
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 8s);
  server.Wait();  // returns at once after Stop
}

TEST(HttpServerShutdown, DrainTimeoutBoundsStop) {
  Router router;
  core::metrics::Registry metrics;
  Options o;
  o.port = 0;
  o.threads = 2;
  o.read_timeout = 30s;
  auto started = Server::Start(o, router, metrics);
  ASSERT_TRUE(started.ok());
  auto& server = **started;
  // A request that never completes keeps its connection in "reading".
  auto c = TestConnection::Connect(server.port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("GET /x HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(50ms);
  auto t0 = std::chrono::steady_clock::now();
  server.Stop(300ms);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
  EXPECT_TRUE(c->WaitClosed(2s));
}

// ---------------------------------------------------------------------------
// Static files through the server

class HttpStaticTest : public HttpServerTest {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() / ("aw_http_static_" + core::NewId());
    dist_ = base_ / "dist";
    std::filesystem::create_directories(dist_ / "assets");
    Write(dist_ / "index.html", "<!doctype html><title>Amtsweg</title>");
    Write(dist_ / "assets" / "app-3f2a1b.js", "console.log(1)");
    Write(dist_ / "assets" / "style-77.css", "body{}");
    Write(dist_ / "logo.svg", "<svg/>");
    Write(dist_ / "module.wasm", std::string("\0asm", 4));
    Write(base_ / "secret.txt", "top secret");
    std::filesystem::create_symlink(base_ / "secret.txt", dist_ / "leak.txt");
    Options o = TestOptions();
    o.static_dir = dist_.string();
    StartServer(o);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(base_);
  }
  static void Write(const std::filesystem::path& p, std::string_view content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
  }
  std::filesystem::path base_, dist_;
};

TEST_F(HttpStaticTest, ServesFilesWithTypesAndCaching) {
  auto index = Get(port(), "/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(index->body, "<!doctype html><title>Amtsweg</title>");
  EXPECT_EQ(index->Header("Content-Security-Policy"), kCsp);

  auto js = Get(port(), "/assets/app-3f2a1b.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->Header("Cache-Control"), "public, max-age=31536000, immutable");

  auto css = Get(port(), "/assets/style-77.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->Header("Content-Type"), "text/css; charset=utf-8");
  auto svg = Get(port(), "/logo.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->Header("Content-Type"), "image/svg+xml");
  auto wasm = Get(port(), "/module.wasm");
  ASSERT_TRUE(wasm);
  EXPECT_EQ(wasm->Header("Content-Type"), "application/wasm");
  EXPECT_EQ(wasm->body.size(), 4u);

  auto head = RoundTrip(port(), MakeRequest("HEAD", "/assets/app-3f2a1b.js"), /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "14");
}

TEST_F(HttpStaticTest, EtagRevalidationGives304) {
  auto first = Get(port(), "/assets/app-3f2a1b.js");
  ASSERT_TRUE(first);
  std::string etag = first->Header("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = Get(port(), "/assets/app-3f2a1b.js", "If-None-Match: \"nope\", " + etag + "\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->Header("ETag"), etag);
  auto other = Get(port(), "/assets/app-3f2a1b.js", "If-None-Match: \"other\"\r\n");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(HttpStaticTest, PathTraversalIsBlocked) {
  for (std::string_view target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
                                  "/assets/..%2f..%2fsecret.txt", "/leak.txt", "/./index.html"}) {
    auto r = Get(port(), target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 404) << target;
    EXPECT_EQ(r->body.find("top secret"), std::string::npos) << target;
  }
}

TEST_F(HttpStaticTest, SpaFallbackServesIndexForClientRoutesOnly) {
  auto route = Get(port(), "/portal/services/abc");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_EQ(route->body, "<!doctype html><title>Amtsweg</title>");
  EXPECT_EQ(route->Header("Cache-Control"), "no-cache");

  auto api = Get(port(), "/api/v1/unknown");
  ASSERT_TRUE(api);
  ExpectProblem(*api, 404, "not_found");
  auto file = Get(port(), "/missing.png");
  ASSERT_TRUE(file);
  ExpectProblem(*file, 404, "not_found");
  auto asset = Get(port(), "/assets/gone");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 404);
  auto post = RoundTrip(port(), MakeRequest("POST", "/portal/services/abc", "", "x"));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  // API routes still win over static files.
  auto api_ok = Get(port(), "/api/v1/cases/9");
  ASSERT_TRUE(api_ok);
  EXPECT_EQ(BodyJson(*api_ok)["id"], "9");
}

TEST_F(HttpStaticTest, StaticResponsesAreCountedUnderOneLabel) {
  ASSERT_EQ(Get(port(), "/logo.svg")->status, 200);
  ASSERT_EQ(Get(port(), "/portal/x")->status, 200);
  EXPECT_TRUE(Eventually([&] {
    return metrics_.Render().find("amtsweg_http_requests_total{method=\"GET\",route=\"static\",status=\"200\"} 2") !=
           std::string::npos;
  })) << metrics_.Render();
}

}  // namespace
}  // namespace amtsweg::http
