#include "http/client.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/tls_test_util.h"

namespace amtsweg::http {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/json", [](Request&) -> core::Result<Response> { return Response::Json({{"ok", true}}); },
                {.summary = "json"});
    router_.Post("/echo",
                 [](Request& r) -> core::Result<Response> {
                   return Response::Json({{"method", r.method},
                                          {"target", r.target},
                                          {"body", r.body},
                                          {"x", std::string(r.Header("X-Test").value_or(""))},
                                          {"type", std::string(r.Header("Content-Type").value_or(""))}});
                 },
                 {.summary = "echo"});
    router_.Get("/slow",
                [](Request&) -> core::Result<Response> {
                  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                  return Response::Text("late");
                },
                {.summary = "slow"});
    router_.Get("/big", [](Request&) -> core::Result<Response> { return Response::Text(std::string(300'000, 'x')); },
                {.summary = "big"});
    router_.Get("/down", [](Request&) -> core::Result<Response> { return core::Unavailable("maintenance"); },
                {.summary = "down"});
    Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(3));
  }

  Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<Server> server_;
  std::string base_;
};

TEST_F(ClientTest, GetsAndPostsWithHeadersAndBody) {
  auto r = Fetch({.url = base_ + "/json"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(r->headers.Get("content-type").value_or(""), "application/json");

  FetchRequest post{.method = "POST", .url = base_ + "/echo?a=1"};
  post.headers.Add("X-Test", "yes");
  post.headers.Add("Content-Type", "text/plain");
  post.body = "hello";
  auto e = Fetch(post);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  auto j = core::ParseJson(e->body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["method"], "POST");
  EXPECT_EQ((*j)["target"], "/echo?a=1");
  EXPECT_EQ((*j)["body"], "hello");
  EXPECT_EQ((*j)["x"], "yes");
  EXPECT_EQ((*j)["type"], "text/plain");
}

TEST_F(ClientTest, ErrorStatusesAreResponsesNotErrors) {
  auto r = Fetch({.url = base_ + "/down"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("maintenance"), std::string::npos);
}

TEST_F(ClientTest, ReadTimeoutIsDeadlineExceeded) {
  auto start = std::chrono::steady_clock::now();
  auto r = Fetch({.url = base_ + "/slow"}, {.timeout = std::chrono::milliseconds(200)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kDeadlineExceeded) << r.error().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400)) << "did not wait for the answer";
}

TEST_F(ClientTest, ResponseSizeLimit) {
  auto r = Fetch({.url = base_ + "/big"}, {.max_response_bytes = 100'000});
  ASSERT_FALSE(r.ok()) << r->status << " " << r->body.size() << " " << r->headers.Get("Content-Length").value_or("-");
  EXPECT_EQ(r.error().code(), core::ErrorCode::kResourceExhausted) << r.error().ToString();
  auto ok = Fetch({.url = base_ + "/big"}, {.max_response_bytes = 400'000});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->body.size(), 300'000u);
}

TEST_F(ClientTest, RefusedConnectionIsUnavailable) {
  // A port that was just free: bind, read the port, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  auto r = Fetch({.url = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kUnavailable) << r.error().ToString();
}

TEST_F(ClientTest, ConnectTimeoutOnAFullBacklog) {
  // A listening socket with backlog 0 that never accepts: once its queue is
  // full, further SYNs are dropped and connecting hangs until the timeout.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/";
  bool timed_out = false;
  for (int i = 0; i < 4 && !timed_out; ++i) {  // the first connections fill the queue
    auto r = Fetch({.url = url}, {.connect_timeout = std::chrono::milliseconds(150), .timeout = std::chrono::milliseconds(150)});
    ASSERT_FALSE(r.ok());
    timed_out = r.error().code() == core::ErrorCode::kDeadlineExceeded &&
                r.error().message().find("connect") != std::string::npos;
  }
  ::close(fd);
  EXPECT_TRUE(timed_out);
}

TEST(ParseHttpUrl, AcceptsHttpAndRefusesTheRestByName) {
  auto u = ParseHttpUrl("http://example.org:8081/a/b?c=d#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "example.org");
  EXPECT_EQ(u->port, 8081);
  EXPECT_EQ(u->target, "/a/b?c=d");
  auto v6 = ParseHttpUrl("http://[::1]");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 80);
  EXPECT_EQ(v6->target, "/");
  auto tls = ParseHttpUrl("https://example.org/");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->port, 443);
  EXPECT_FALSE(ParseHttpUrl("http://a\\b@127.0.0.1/").ok());
  EXPECT_FALSE(ParseHttpUrl("http://exa%6dple.org/").ok()) << "no escapes in the host";
  EXPECT_FALSE(ParseHttpUrl("http://[fe80::1%25eth0]/").ok()) << "no zone ids";
  EXPECT_FALSE(ParseHttpUrl("ftp://x/").ok());
  EXPECT_FALSE(ParseHttpUrl("http://x:99999/").ok());
  EXPECT_FALSE(ParseHttpUrl("http:///path").ok());
  EXPECT_FALSE(ParseHttpUrl("http://x/a b").ok());
  auto bad_header = Fetch([] {
    FetchRequest r{.url = "http://127.0.0.1:1/"};
    r.headers.Add("X-Evil", "a\r\nInjected: 1");
    return r;
  }());
  ASSERT_FALSE(bad_header.ok());
  EXPECT_EQ(bad_header.error().code(), core::ErrorCode::kInvalidArgument);
}

// https against a real TLS peer (python3 + ssl, certificates from openssl).
class TlsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    certs_ = testing::TestCertificates::Create(&error);
    ASSERT_NE(certs_, nullptr) << error;
  }
  std::unique_ptr<testing::HttpsReceiver> Receiver(const std::string& name) {
    std::string error;
    auto r = testing::HttpsReceiver::Start(*certs_, name, &error);
    EXPECT_NE(r, nullptr) << error;
    return r;
  }
  std::unique_ptr<testing::TestCertificates> certs_;
};

TEST_F(TlsClientTest, HttpsWithTheInstallationsCaFile) {
  auto rx = Receiver("server");
  ASSERT_NE(rx, nullptr);
  std::string base = "https://localhost:" + std::to_string(rx->port());
  auto r = Fetch({.url = base + "/json"}, {.ca_file = certs_->ca_file()});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"ok": true})");
  EXPECT_EQ(r->headers.Get("content-type").value_or(""), "application/json");

  FetchRequest post{.method = "POST", .url = "https://127.0.0.1:" + std::to_string(rx->port()) + "/echo"};
  post.body = R"({"a":1})";
  post.headers.Add("Content-Type", "application/json");
  auto e = Fetch(post, {.ca_file = certs_->ca_file()});
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  auto j = core::ParseJson(e->body);
  ASSERT_TRUE(j.ok()) << e->body;
  EXPECT_EQ((*j)["body"], R"({"a":1})");
  EXPECT_EQ((*j)["contentType"], "application/json");

  // Without the CA file the certificate is not trusted (the system store does not know the test CA).
  auto untrusted = Fetch({.url = base + "/json"});
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(untrusted.error().message().find("certificate"), std::string::npos) << untrusted.error().message();
}

TEST_F(TlsClientTest, UntrustedOrMismatchedCertificatesAreRefused) {
  auto self_signed = Receiver("selfsigned");
  ASSERT_NE(self_signed, nullptr);
  auto r = Fetch({.url = "https://localhost:" + std::to_string(self_signed->port()) + "/json"},
                 {.ca_file = certs_->ca_file()});
  ASSERT_FALSE(r.ok()) << "a self-signed certificate was accepted";
  EXPECT_EQ(r.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message().find("TLS with localhost:"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("certificate"), std::string::npos) << r.error().message();

  // Signed by the trusted CA, but for another name: the host name check refuses it.
  auto other = Receiver("other");
  ASSERT_NE(other, nullptr);
  auto m = Fetch({.url = "https://localhost:" + std::to_string(other->port()) + "/json"},
                 {.ca_file = certs_->ca_file()});
  ASSERT_FALSE(m.ok()) << "a certificate for other.example was accepted for localhost";
  EXPECT_EQ(m.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(m.error().message().find("host name"), std::string::npos) << m.error().message();

  // Plain http to a TLS port is an error, not a hang.
  auto plain = Fetch({.url = "http://127.0.0.1:" + std::to_string(other->port()) + "/json"},
                     {.connect_timeout = std::chrono::seconds(2), .timeout = std::chrono::seconds(2)});
  EXPECT_FALSE(plain.ok() && plain->status == 200);
}

}  // namespace
}  // namespace amtsweg::http
