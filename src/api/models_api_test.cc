// The designer's model routes over real HTTP: lint findings name elements,
// decisions evaluate with the DMN engine, XDatenfelder files become forms,
// and bad bodies are 4xx problem+json naming the field.
#include "api/models_api.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/metrics.h"
#include "http/server.h"
#include "http/test_client.h"

namespace amtsweg::api {
namespace {

using core::Json;

class ModelRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterModelRoutes(router_);
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }

  std::pair<int, Json> Post(std::string_view target, const Json& body) {
    return PostRaw(target, core::DumpJson(body));
  }
  std::pair<int, Json> PostRaw(std::string_view target, const std::string& body) {
    auto r = http::testutil::RoundTrip(
        server_->port(), http::testutil::MakeRequest("POST", target, "Content-Type: application/json\r\n", body));
    if (!r) return {0, Json()};
    auto json = core::ParseJson(r->body);
    return {r->status, json.ok() ? *json : Json(r->body)};
  }

  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

constexpr const char* kBpmnWithGatewayWithoutConditions = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="xor"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>a</bpmn:outgoing><bpmn:outgoing>b</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="endA"><bpmn:incoming>a</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="endB"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="xor"/>
    <bpmn:sequenceFlow id="a" sourceRef="xor" targetRef="endA"/>
    <bpmn:sequenceFlow id="b" sourceRef="xor" targetRef="endB"/>
  </bpmn:process>
</bpmn:definitions>)";

TEST_F(ModelRoutesTest, LintNamesTheElementsOfABpmnFile) {
  auto [status, body] = Post("/api/v1/models/lint", {{"name", "p.bpmn"}, {"content", kBpmnWithGatewayWithoutConditions}});
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_TRUE(body["findings"].is_array());
  bool named_flow = false;
  for (const auto& f : body["findings"]) {
    EXPECT_FALSE(f["message"].get<std::string>().empty());
    if (f["elementId"] == "a" || f["elementId"] == "b" || f["elementId"] == "xor") named_flow = true;
  }
  EXPECT_TRUE(named_flow) << body.dump(2);
}

TEST_F(ModelRoutesTest, LintOfBrokenXmlIsAFindingNotAServerError) {
  auto [status, body] = Post("/api/v1/models/lint", {{"name", "p.bpmn"}, {"content", "<bpmn:definitions"}});
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(body["findings"].empty());
  EXPECT_EQ(body["findings"][0]["severity"], "error");
}

TEST_F(ModelRoutesTest, LintOfAFormNamesTheComponent) {
  Json form = {{"type", "default"},
               {"components", {{{"type", "colorpicker"}, {"id", "c1"}, {"key", "farbe"}}}}};
  auto [status, body] = Post("/api/v1/models/lint", {{"name", "f.form"}, {"content", form.dump()}});
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(body["findings"].empty()) << body.dump();
  EXPECT_NE(body["findings"][0]["message"].get<std::string>().find("colorpicker"), std::string::npos) << body.dump();
}

// Field errors are 422 with one entry per field (http/problem: kInvalidArgument
// with details); a body that is not JSON at all is 400.
TEST_F(ModelRoutesTest, UnknownKindIs422NamingTheField) {
  auto [status, body] = Post("/api/v1/models/lint", {{"name", "x.txt"}, {"content", "x"}});
  EXPECT_EQ(status, 422);
  ASSERT_TRUE(body.contains("errors")) << body.dump();
  EXPECT_EQ(body["errors"][0]["pointer"], "/name");
}

TEST_F(ModelRoutesTest, MissingFieldIs422AndBadJson400) {
  auto [s1, b1] = Post("/api/v1/models/lint", {{"name", "p.bpmn"}});
  EXPECT_EQ(s1, 422);
  EXPECT_EQ(b1["errors"][0]["pointer"], "/content");
  auto [s2, b2] = PostRaw("/api/v1/models/lint", "{not json");
  EXPECT_EQ(s2, 400);
  EXPECT_EQ(b2.value("status", 0), 400);
}

constexpr const char* kFeeDmn = R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fees" name="fees" namespace="n">
  <inputData id="anzahl" name="anzahl"/>
  <decision id="fee" name="fee">
    <informationRequirement><requiredInput href="#anzahl"/></informationRequirement>
    <decisionTable hitPolicy="FIRST">
      <input id="i1"><inputExpression typeRef="number"><text>anzahl</text></inputExpression></input>
      <output id="o1" name="fee" typeRef="number"/>
      <rule id="r1"><inputEntry><text>&lt;= 10</text></inputEntry><outputEntry><text>anzahl * 2</text></outputEntry></rule>
      <rule id="r2"><inputEntry><text>&gt; 10</text></inputEntry><outputEntry><text>20 + (anzahl - 10)</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>)";

TEST_F(ModelRoutesTest, EvaluatesADecisionOnTestInput) {
  auto [status, body] = Post("/api/v1/models/decisions/evaluate",
                             {{"content", kFeeDmn}, {"decisionId", "fee"}, {"input", {{"anzahl", 14}}}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["result"], 24);
  auto [s2, b2] = Post("/api/v1/models/decisions/evaluate",
                       {{"content", kFeeDmn}, {"decisionId", "fee"}, {"input", {{"anzahl", 3}}}});
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(b2["result"], 6);
}

TEST_F(ModelRoutesTest, UnknownDecisionIs422) {
  auto [status, body] = Post("/api/v1/models/decisions/evaluate",
                             {{"content", kFeeDmn}, {"decisionId", "nope"}, {"input", Json::object()}});
  EXPECT_EQ(status, 422) << body.dump();
  EXPECT_EQ(body["errors"][0]["pointer"], "/decisionId");
}

TEST_F(ModelRoutesTest, InputMustBeAnObject) {
  auto [status, body] = Post("/api/v1/models/decisions/evaluate",
                             {{"content", kFeeDmn}, {"decisionId", "fee"}, {"input", Json::array()}});
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["errors"][0]["pointer"], "/input");
}

constexpr const char* kXdf3 = R"(<?xml version="1.0" encoding="UTF-8"?>
<xdf:xdatenfelder.datenfeldgruppe.0103 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_3.0.0">
  <xdf:header><xdf:nachrichtID>m1</xdf:nachrichtID><xdf:erstellungszeitpunkt>2024-01-01T00:00:00Z</xdf:erstellungszeitpunkt></xdf:header>
  <xdf:datenfeldgruppe>
    <xdf:identifikation><xdf:id>G00000001</xdf:id><xdf:version>1.0.0</xdf:version></xdf:identifikation>
    <xdf:name>Antragsteller</xdf:name>
    <xdf:freigabestatus listVersionID="2020-03-19"><code>6</code></xdf:freigabestatus>
    <xdf:struktur>
      <xdf:anzahl>1:1</xdf:anzahl>
      <xdf:enthaelt>
        <xdf:datenfeld>
          <xdf:identifikation><xdf:id>F00000001</xdf:id><xdf:version>1.0.0</xdf:version></xdf:identifikation>
          <xdf:name>Familienname</xdf:name>
          <xdf:freigabestatus listVersionID="2020-03-19"><code>6</code></xdf:freigabestatus>
          <xdf:feldart><code>input</code></xdf:feldart>
          <xdf:datentyp><code>text</code></xdf:datentyp>
        </xdf:datenfeld>
      </xdf:enthaelt>
    </xdf:struktur>
  </xdf:datenfeldgruppe>
</xdf:xdatenfelder.datenfeldgruppe.0103>)";

TEST_F(ModelRoutesTest, ImportsXDatenfelderAsAForm) {
  auto [status, body] = Post("/api/v1/forms/import-xdf", {{"name", "g.xml"}, {"content", kXdf3}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["schema"]["type"], "default");
  EXPECT_EQ(body["report"]["id"], "G00000001");
  EXPECT_NE(body["schema"].dump().find("Familienname"), std::string::npos);
}

TEST_F(ModelRoutesTest, MalformedXDatenfelderIsRefusedWithItsLocation) {
  auto [status, body] = Post("/api/v1/forms/import-xdf", {{"content", "<xdf:nope xmlns:xdf=\"urn:x\"/>"}});
  EXPECT_EQ(status, 422) << body.dump();
  ASSERT_TRUE(body.contains("errors")) << body.dump();
  EXPECT_FALSE(body["errors"].empty());
}

}  // namespace
}  // namespace amtsweg::api
