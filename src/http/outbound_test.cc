// The outbound policy: address classification, configuration, and the
// client refusing destinations at the moment it connects.
#include "http/outbound.h"

#include <gtest/gtest.h>

#include "http/client.h"
#include "http/server.h"

namespace amtsweg::http {
namespace {

std::string Range(std::string_view ip) {
  auto a = ParseIpAddress(ip);
  EXPECT_TRUE(a.ok()) << ip;
  return a.ok() ? std::string(SpecialRange(*a)) : "?";
}

TEST(OutboundPolicy, ClassifiesSpecialRanges) {
  EXPECT_EQ(Range("127.0.0.1"), "loopback");
  EXPECT_EQ(Range("127.255.1.2"), "loopback");
  EXPECT_EQ(Range("::1"), "loopback");
  EXPECT_EQ(Range("10.0.0.5"), "private");
  EXPECT_EQ(Range("172.16.0.1"), "private");
  EXPECT_EQ(Range("172.31.255.255"), "private");
  EXPECT_EQ(Range("172.32.0.1"), "");
  EXPECT_EQ(Range("192.168.1.1"), "private");
  EXPECT_EQ(Range("fd12:3456::1"), "private");
  EXPECT_EQ(Range("169.254.169.254"), "link-local");  // cloud metadata
  EXPECT_EQ(Range("fe80::1"), "link-local");
  EXPECT_EQ(Range("0.0.0.0"), "unspecified");
  EXPECT_EQ(Range("::"), "unspecified");
  EXPECT_EQ(Range("224.0.0.1"), "multicast");
  EXPECT_EQ(Range("ff02::1"), "multicast");
  EXPECT_EQ(Range("100.64.0.1"), "shared (CGNAT)");
  EXPECT_EQ(Range("100.128.0.1"), "");
  EXPECT_EQ(Range("255.255.255.255"), "reserved");
  // IPv4 inside IPv6 is judged as IPv4: mapped, NAT64, 6to4.
  EXPECT_EQ(Range("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(Range("::ffff:169.254.169.254"), "link-local");
  EXPECT_EQ(Range("64:ff9b::10.0.0.1"), "private");
  EXPECT_EQ(Range("2002:7f00:1::"), "loopback");
  // Public.
  EXPECT_EQ(Range("93.184.215.14"), "");
  EXPECT_EQ(Range("2a00:1450:4001:80e::200e"), "");
  EXPECT_EQ(Range("::ffff:93.184.215.14"), "");
}

TEST(OutboundPolicy, NetworksAndConfiguration) {
  auto n = ParseIpNetwork("10.20.0.0/16");
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_TRUE(n->Contains(*ParseIpAddress("10.20.3.4")));
  EXPECT_FALSE(n->Contains(*ParseIpAddress("10.21.0.1")));
  EXPECT_FALSE(n->Contains(*ParseIpAddress("::1")));
  EXPECT_EQ(ParseIpNetwork("fd00::/8")->ToString(), "fd00::/8");
  EXPECT_EQ(ParseIpNetwork("192.168.1.7")->prefix, 32);
  EXPECT_FALSE(ParseIpNetwork("10.1.2.3/8").ok()) << "host bits set";
  EXPECT_FALSE(ParseIpNetwork("10.0.0.0/33").ok());
  EXPECT_FALSE(ParseIpNetwork("intranet/8").ok());

  auto p = OutboundPolicy::FromConfig(false, false, "10.20.0.0/16, fd00:1::/32", "Fachverfahren.intern");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_TRUE(p->CheckAddress("x", *ParseIpAddress("10.20.0.9")).ok());
  EXPECT_TRUE(p->CheckAddress("x", *ParseIpAddress("::ffff:10.20.0.9")).ok());
  EXPECT_TRUE(p->CheckAddress("fachverfahren.INTERN", *ParseIpAddress("127.0.0.1")).ok()) << "allowed host";
  auto refused = p->CheckAddress("hooks.example", *ParseIpAddress("10.0.0.5"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message().find("hooks.example resolves to a private address 10.0.0.5"), std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("allow_private"), std::string::npos);

  auto bad = OutboundPolicy::FromConfig(false, false, "10.0.0.0/8, nonsense", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("outbound.allow_networks"), std::string::npos) << bad.error().message();
  EXPECT_NE(bad.error().message().find("nonsense"), std::string::npos);
  EXPECT_FALSE(OutboundPolicy::FromConfig(false, false, "", "a b").ok());
}

TEST(OutboundPolicy, UrlChecksByDefault) {
  OutboundPolicy strict;  // the defaults: https only, public addresses only
  auto http = strict.CheckUrl("http://hooks.example/x");
  ASSERT_FALSE(http.ok());
  EXPECT_EQ(http.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(http.error().message().find("allow_http"), std::string::npos);
  EXPECT_TRUE(strict.CheckUrl("https://hooks.example/x").ok()) << "names are judged when resolved";
  auto metadata = strict.CheckUrl("https://169.254.169.254/latest/meta-data/");
  ASSERT_FALSE(metadata.ok());
  EXPECT_NE(metadata.error().message().find("169.254.169.254 is a link-local address"), std::string::npos)
      << metadata.error().message();
  EXPECT_FALSE(strict.CheckUrl("https://[::ffff:127.0.0.1]:5432/").ok());
  EXPECT_EQ(strict.CheckUrl("gopher://x/").error().code(), core::ErrorCode::kInvalidArgument);

  // A host name that resolves to loopback: refused after resolution.
  auto local = strict.CheckUrlResolved("https://localhost:5432/");
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(local.error().message().find("localhost resolves to a loopback address"), std::string::npos)
      << local.error().message();
  auto unknown = strict.CheckUrlResolved("https://no-such-host.invalid/");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), core::ErrorCode::kUnavailable);

  OutboundPolicy open{.allow_http = true, .allow_private = true};
  EXPECT_TRUE(open.CheckUrlResolved("http://localhost:5432/").ok());
}

// The client applies the policy to the address it connects to: a name is
// checked after resolution, whatever it looked like.
class GuardedFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/x", [](Request&) -> core::Result<Response> { return Response::Text("reached"); }, {.summary = "x"});
    Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(2));
  }
  std::string Url(const std::string& host) { return "http://" + host + ":" + std::to_string(server_->port()) + "/x"; }

  Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<Server> server_;
};

TEST_F(GuardedFetch, LoopbackIsRefusedByDefaultAndAllowedByConfiguration) {
  auto http_only = std::make_shared<OutboundPolicy>(OutboundPolicy{.allow_http = true});
  // Also the other spellings of 127.0.0.1 that resolvers accept: the check is on the address connected to.
  for (const std::string host : {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "127.1", "2130706433", "0x7f000001"}) {
    auto r = Fetch({.url = Url(host)}, {.policy = http_only});
    ASSERT_FALSE(r.ok()) << host << " reached the server";
    EXPECT_EQ(r.error().code(), core::ErrorCode::kPermissionDenied) << r.error().ToString();
    EXPECT_NE(r.error().message().find("loopback"), std::string::npos) << r.error().message();
  }
  // `localhost` passes the URL check (a name) and is refused when connecting.
  auto by_name = Fetch({.url = Url("localhost")}, {.policy = http_only});
  EXPECT_NE(by_name.error().message().find("localhost resolves to a loopback address"), std::string::npos)
      << by_name.error().message();

  auto strict = std::make_shared<OutboundPolicy>();
  auto plain = Fetch({.url = Url("127.0.0.1")}, {.policy = strict});
  EXPECT_NE(plain.error().message().find("http://"), std::string::npos) << plain.error().message();

  auto loopback_net = OutboundPolicy::FromConfig(true, false, "127.0.0.0/8", "");
  ASSERT_TRUE(loopback_net.ok());
  auto open = std::make_shared<OutboundPolicy>(OutboundPolicy{.allow_http = true, .allow_private = true});
  for (const auto& policy : {open, std::make_shared<OutboundPolicy>(*loopback_net)}) {
    auto r = Fetch({.url = Url("localhost")}, {.policy = policy});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->body, "reached");
  }
  auto host_allowed = OutboundPolicy::FromConfig(true, false, "", "localhost");
  auto r = Fetch({.url = Url("localhost")}, {.policy = std::make_shared<OutboundPolicy>(*host_allowed)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
}

}  // namespace
}  // namespace amtsweg::http
