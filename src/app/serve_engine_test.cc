// The engine inside the real `amtsweg serve`: its scheduler runs the built-in
// HTTP connector (here calling the server's own /healthz) and fires timers.
#include <signal.h>

#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/process_test_util.h"
#include "core/json.h"
#include "http/client.h"

namespace amtsweg::app {
namespace {

using core::Json;

std::string token;  // the API token of the test's administrator

core::Result<http::FetchResponse> Call(int port, const std::string& method, const std::string& path,
                                       const std::string& body = "") {
  http::FetchRequest r{.method = method, .url = fmt::format("http://127.0.0.1:{}/api/v1/tenants/acme{}", port, path)};
  r.headers.Add("Authorization", "Bearer " + token);
  if (!body.empty()) {
    r.body = body;
    r.headers.Add("Content-Type", "application/json");
  }
  return http::Fetch(r);
}

TEST(ServeEngine, SchedulerRunsTheHttpConnectorAndFiresTimers) {
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "e.db").string();
  // The connector calls this server on 127.0.0.1 over plain http: the test
  // installation allows both explicitly (the defaults refuse them).
  auto server = testutil::ServerProcess::Start(
      {"--db", db}, {"AMTSWEG_OUTBOUND_ALLOW_HTTP=true", "AMTSWEG_OUTBOUND_ALLOW_PRIVATE=true"});
  ASSERT_TRUE(server);
  ASSERT_GT(server->port(), 0) << server->Output();
  int port = server->port();
  token = testutil::AdminApiToken(db, port, "acme");
  ASSERT_FALSE(token.empty());
  std::string xml = fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
<bpmn:process id="probe" isExecutable="true">
<bpmn:startEvent id="start"/>
<bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.3S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:serviceTask id="check"><bpmn:extensionElements>
  <zeebe:taskDefinition type="io.amtsweg:http-json:1"/>
  <zeebe:taskHeaders><zeebe:header key="url" value="http://127.0.0.1:{}/healthz"/><zeebe:header key="resultVariable" value="health"/></zeebe:taskHeaders>
</bpmn:extensionElements></bpmn:serviceTask>
<bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause"/>
<bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="check"/>
<bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
)",
                                port);
  auto d = Call(port, "POST", "/deployments",
                core::DumpJson(Json{{"resources", {{{"name", "probe.bpmn"}, {"content", xml}}}}}));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ(d->status, 201) << d->body;
  auto started = Call(port, "POST", "/process-instances", R"({"processId":"probe"})");
  ASSERT_TRUE(started.ok());
  ASSERT_EQ(started->status, 201) << started->body;
  std::string id = (*core::ParseJson(started->body))["instanceId"];

  Json instance;
  for (int i = 0; i < 200; ++i) {  // up to 20 s on a loaded machine
    auto r = Call(port, "GET", "/process-instances/" + id);
    ASSERT_TRUE(r.ok());
    instance = *core::ParseJson(r->body);
    if (instance["state"] != "active") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(instance["state"], "completed") << instance.dump() << server->Output();
  EXPECT_EQ(instance["variables"]["health"]["status"], 200);
  EXPECT_EQ(instance["variables"]["health"]["body"]["status"], "ok");
  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->Output();
}

// A bad [outbound] setting stops serve at startup, naming the key.
TEST(ServeEngine, BadOutboundConfigurationIsRefusedAtStartup) {
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "e.db").string();
  auto r = testutil::RunAmtsweg({"serve", "--db", db, "--port", "0"},
                                {"AMTSWEG_OUTBOUND_ALLOW_NETWORKS=10.0.0.0/8,intranet"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("outbound.allow_networks"), std::string::npos) << r.out;
  auto ca = testutil::RunAmtsweg({"serve", "--db", db, "--port", "0"},
                                 {"AMTSWEG_OUTBOUND_CA_FILE=" + (dir.path() / "missing.pem").string()});
  EXPECT_EQ(ca.exit_code, 1) << ca.out;
  EXPECT_NE(ca.out.find("outbound.ca_file"), std::string::npos) << ca.out;
}

}  // namespace
}  // namespace amtsweg::app
