// The HTTP JSON connector against a real local HTTP server (http::Server),
// driven by the engine's in-process worker machinery.
#include "app/http_connector.h"

#include <thread>

#include <gtest/gtest.h>

#include "engine/engine_test_util.h"
#include "http/server.h"
#include "http/tls_test_util.h"

namespace amtsweg::app {
namespace {

using core::Json;
using engine::testing::Flow;
using engine::testing::Model;

class HttpConnectorTest : public engine::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    router_.Post("/echo",
                 [](http::Request& r) -> core::Result<http::Response> {
                   auto body = core::ParseJson(r.body);
                   return http::Response::Json({{"got", body.ok() ? *body : Json(r.body)},
                                                {"auth", std::string(r.Header("Authorization").value_or(""))},
                                                {"query", r.query}});
                 },
                 {.summary = "echo"});
    router_.Get("/down", [](http::Request&) -> core::Result<http::Response> { return core::Unavailable("maintenance"); },
                {.summary = "down"});
    router_.Get("/slow",
                [](http::Request&) -> core::Result<http::Response> {
                  std::this_thread::sleep_for(std::chrono::milliseconds(800));
                  return http::Response::Text("late");
                },
                {.summary = "slow"});
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, http_metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    // The receiver is local and plain http: this test installation allows
    // both explicitly (the default refuses them, see GuardedByThePolicy).
    RegisterHttpConnector(*engine_, LocalTestOptions());
  }
  static HttpConnectorOptions LocalTestOptions() {
    return {.policy = std::make_shared<http::OutboundPolicy>(
                http::OutboundPolicy{.allow_http = true, .allow_private = true})};
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(2));
    EngineTest::TearDown();
  }

  // start -> call (the connector with `headers` as task headers) -> end
  void DeployCall(const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string h;
    for (const auto& [k, v] : headers) h += fmt::format(R"(<zeebe:header key="{}" value="{}"/>)", k, v);
    Deploy(Model("call", fmt::format(R"(
      <bpmn:startEvent id="start"/>
      <bpmn:serviceTask id="request"><bpmn:extensionElements>
        <zeebe:taskDefinition type="{}" retries="2"/><zeebe:taskHeaders>{}</zeebe:taskHeaders>
      </bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:endEvent id="end"/>)", kHttpJsonJobType, h) + Flow("f1", "start", "request") + Flow("f2", "request", "end")));
  }
  int Run() {
    auto n = engine_->RunWorkers("t1", 10);
    EXPECT_TRUE(n.ok()) << n.error().ToString();
    return n.ok() ? *n : -1;
  }

  http::Router router_;
  core::metrics::Registry http_metrics_;
  std::unique_ptr<http::Server> server_;
  std::string base_;
};

TEST_P(HttpConnectorTest, PostsJsonAndStoresTheResult) {
  DeployCall({{"url", base_ + "/echo?x=1"}, {"method", "post"}, {"resultVariable", "response"}});
  std::string id = Start("call", {{"body", {{"name", "Erika"}, {"n", 2}}},
                                  {"headers", {{"Authorization", "Bearer abc"}}}});
  EXPECT_EQ(Run(), 1);
  auto info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  const Json& r = info.variables["response"];
  EXPECT_EQ(r["status"], 200);
  EXPECT_EQ(r["headers"]["content-type"], "application/json");
  EXPECT_EQ(r["body"]["got"], (Json{{"name", "Erika"}, {"n", 2}}));
  EXPECT_EQ(r["body"]["auth"], "Bearer abc");
  EXPECT_EQ(r["body"]["query"], "x=1");
}

TEST_P(HttpConnectorTest, ErrorStatusFailsWithRetriesThenRaisesAnIncident) {
  DeployCall({{"url", base_ + "/down"}, {"retryBackoffMs", "0"}});
  std::string id = Start("call");
  EXPECT_EQ(Run(), 1);
  EXPECT_TRUE(Incidents(id).empty()) << "one retry left";
  EXPECT_EQ(Instance(id).state, "active");
  EXPECT_EQ(Run(), 1);
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "job_no_retries");
  EXPECT_NE(incidents[0].message.find("503"), std::string::npos) << incidents[0].message;
}

TEST_P(HttpConnectorTest, BackoffDelaysTheRetry) {
  DeployCall({{"url", base_ + "/down"}, {"retryBackoffMs", "60000"}});
  std::string id = Start("call");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Run(), 0) << "not before the back-off";
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Incidents(id).size(), 1u);
}

TEST_P(HttpConnectorTest, TimeoutAndBadInputFailTheJobNamingTheCause) {
  DeployCall({{"url", base_ + "/slow"}, {"timeoutMs", "100"}, {"retryBackoffMs", "0"}});
  std::string id = Start("call");
  Run();
  Run();
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_NE(incidents[0].message.find("timed out"), std::string::npos) << incidents[0].message;

  engine::ActivatedJob job;
  job.variables = Json::object();
  job.headers = Json::object();
  auto r = RunHttpJsonJob(job);
  EXPECT_EQ(r.kind, engine::JobResult::Kind::kFail);
  EXPECT_NE(r.message.find("url"), std::string::npos);
  job.variables = {{"url", "ftp://example.org/"}};
  r = RunHttpJsonJob(job, LocalTestOptions());
  EXPECT_EQ(r.kind, engine::JobResult::Kind::kFail);
  EXPECT_NE(r.message.find("https://"), std::string::npos) << r.message;
  job.variables = {{"url", base_ + "/echo"}, {"headers", {{"X", 1}}}};
  r = RunHttpJsonJob(job, LocalTestOptions());
  EXPECT_EQ(r.kind, engine::JobResult::Kind::kFail);
  EXPECT_NE(r.message.find("headers"), std::string::npos);
}

// The installation's defaults (no options): https only, no loopback. The
// incident names the reason; nothing reaches the local server.
TEST_P(HttpConnectorTest, GuardedByThePolicy) {
  engine::ActivatedJob job;
  job.headers = Json::object();
  job.variables = {{"url", base_ + "/echo"}};
  auto plain = RunHttpJsonJob(job);
  EXPECT_EQ(plain.kind, engine::JobResult::Kind::kFail);
  EXPECT_NE(plain.message.find("plain http:// is not allowed"), std::string::npos) << plain.message;

  // Through the engine with a policy that allows http but no private address:
  // `localhost` is refused at the address it resolves to.
  RegisterHttpConnector(*engine_, {.policy = std::make_shared<http::OutboundPolicy>(
                                       http::OutboundPolicy{.allow_http = true})});  // replaces the test's worker
  std::string url = "http://localhost:" + std::to_string(server_->port()) + "/echo";
  DeployCall({{"url", url}, {"method", "POST"}, {"retryBackoffMs", "0"}});
  std::string id = Start("call");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Run(), 1);
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_NE(incidents[0].message.find("POST " + url + ": destination not allowed: localhost resolves to a loopback "
                                      "address"),
            std::string::npos)
      << incidents[0].message;
  EXPECT_NE(incidents[0].message.find("allow_private"), std::string::npos) << incidents[0].message;
}

// https with the installation's CA file, to a TLS receiver on loopback that the
// test installation allows explicitly.
TEST_P(HttpConnectorTest, PostsOverHttps) {
  std::string error;
  auto certs = http::testing::TestCertificates::Create(&error);
  ASSERT_NE(certs, nullptr) << error;
  auto rx = http::testing::HttpsReceiver::Start(*certs, "server", &error);
  ASSERT_NE(rx, nullptr) << error;
  RegisterHttpConnector(*engine_, {.policy = std::make_shared<http::OutboundPolicy>(
                                       http::OutboundPolicy{.allow_private = true}),  // https only, loopback allowed
                                   .ca_file = certs->ca_file()});
  DeployCall({{"url", "https://localhost:" + std::to_string(rx->port()) + "/echo"},
              {"method", "POST"},
              {"resultVariable", "response"},
              {"retryBackoffMs", "0"}});
  std::string id = Start("call", {{"body", {{"antrag", "A-1"}}}});
  EXPECT_EQ(Run(), 1);
  auto info = Instance(id);
  ASSERT_EQ(info.state, "completed") << (Incidents(id).empty() ? "" : Incidents(id)[0].message);
  EXPECT_EQ(info.variables["response"]["status"], 200);
  EXPECT_EQ(info.variables["response"]["body"]["body"], R"({"antrag":"A-1"})");
  EXPECT_EQ(info.variables["response"]["body"]["contentType"], "application/json");
}

AW_STORE_INSTANTIATE(HttpConnectorTest);

}  // namespace
}  // namespace amtsweg::app
