// Scenario tests of business rule tasks calling DMN decisions (Zeebe's
// zeebe:calledDecision, Camunda 7's camunda:decisionRef), on SQLite and PostgreSQL.
#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;

class DecisionTask : public EngineTest {
 protected:
  void DeployDmn(const std::string& xml, const std::string& name = "rules.dmn") {
    auto d = engine_->Deploy("t1", {{name, xml}});
    ASSERT_TRUE(d.ok()) << d.error().ToString();
  }
  // The data of the history events named `event`.
  std::vector<Json> EventData(const std::string& instance_id, std::string_view event) {
    auto h = engine_->History("t1", instance_id);
    EXPECT_TRUE(h.ok()) << h.error().ToString();
    std::vector<Json> out;
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == event) out.push_back(e.data);
      }
    }
    return out;
  }
};

std::string Dmn(std::string_view body) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="rules" name="rules" namespace="http://amtsweg.de/dmn">
{}
</definitions>)",
                     body);
}

// fee: UNIQUE table on the undeclared variable `amount` (as Camunda-modelled DMN
// usually reads process variables); `extra_rule` may overlap to break UNIQUE.
std::string FeeDmn(std::string_view low_fee = "5", std::string_view extra_rule = "") {
  return Dmn(fmt::format(R"(
  <decision id="fee" name="Fee">
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="i1" label="amount"><inputExpression id="ie1" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="o1" name="fee" typeRef="number"/>
      <rule id="r1"><inputEntry id="e1"><text>&lt; 100</text></inputEntry><outputEntry id="oe1"><text>{}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>&gt;= 100</text></inputEntry><outputEntry id="oe2"><text>amount * 0.05</text></outputEntry></rule>
      {}
    </decisionTable>
  </decision>)",
                         low_fee, extra_rule));
}

// checks: COLLECT table with two outputs; `single`: COLLECT with one output.
const std::string kCollectDmn = Dmn(R"(
  <decision id="checks" name="Checks">
    <decisionTable id="t" hitPolicy="COLLECT">
      <input id="i1" label="age"><inputExpression id="ie1" typeRef="number"><text>age</text></inputExpression></input>
      <output id="o1" name="check" typeRef="string"/>
      <output id="o2" name="office" typeRef="string"/>
      <rule id="r1"><inputEntry id="e1"><text>&lt; 18</text></inputEntry><outputEntry id="a1"><text>"guardian"</text></outputEntry><outputEntry id="b1"><text>"youth"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry><outputEntry id="a2"><text>"identity"</text></outputEntry><outputEntry id="b2"><text>"front"</text></outputEntry></rule>
    </decisionTable>
  </decision>
  <decision id="single" name="Single">
    <decisionTable id="t2" hitPolicy="COLLECT">
      <input id="j1" label="age"><inputExpression id="je1" typeRef="number"><text>age</text></inputExpression></input>
      <output id="p1" name="check" typeRef="string"/>
      <rule id="s1"><inputEntry id="f1"><text>&lt; 18</text></inputEntry><outputEntry id="g1"><text>"guardian"</text></outputEntry></rule>
      <rule id="s2"><inputEntry id="f2"><text>-</text></inputEntry><outputEntry id="g2"><text>"identity"</text></outputEntry></rule>
    </decisionTable>
  </decision>)");

// start -> rule (business rule task with `ext`) -> wait (service task) -> end.
std::string RuleProcess(std::string_view id, std::string_view ext, std::string_view attrs = "") {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="Defs_{0}" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="{0}" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:businessRuleTask id="rule" {2}><bpmn:extensionElements>{1}</bpmn:extensionElements></bpmn:businessRuleTask>
  {3}
  <bpmn:endEvent id="end"/>
  {4}{5}{6}
</bpmn:process>
</bpmn:definitions>)",
                     id, ext, attrs, ServiceTask("wait", "wait"), Flow("f1", "start", "rule"),
                     Flow("f2", "rule", "wait"), Flow("f3", "wait", "end"));
}

TEST_P(DecisionTask, ZeebeCalledDecisionPutsTheResultIntoTheResultVariable) {
  DeployDmn(FeeDmn());
  Deploy(RuleProcess("fees", R"(<zeebe:calledDecision decisionId="fee" resultVariable="fee"/>)"));
  std::string small = Start("fees", {{"amount", 40}});
  std::string large = Start("fees", {{"amount", 200}});
  EXPECT_EQ(Instance(small).variables["fee"], 5);
  EXPECT_EQ(Instance(large).variables["fee"], 10);
  EXPECT_EQ(Instance(large).active_elements, std::vector<std::string>{"wait"});
  auto evaluated = EventData(large, "decision_evaluated");
  ASSERT_EQ(evaluated.size(), 1u);
  EXPECT_EQ(evaluated[0]["decisionId"], "fee");
  EXPECT_EQ(evaluated[0]["version"], 1);
  EXPECT_EQ(evaluated[0]["result"], 10);
}

// today() and now() in a decision and in an output mapping read the engine's
// (here: manual) clock, not the machine's, so simulated time is consistent.
TEST_P(DecisionTask, TodayAndNowReadTheEnginesClock) {
  DeployDmn(Dmn(R"x(
  <decision id="due" name="Due">
    <literalExpression id="le"><text>string(today() + duration("P14D"))</text></literalExpression>
  </decision>)x"));
  Deploy(RuleProcess("due", R"x(<zeebe:calledDecision decisionId="due" resultVariable="due"/>
      <zeebe:ioMapping><zeebe:output source="=due" target="due"/><zeebe:output source="=string(now())" target="decidedAt"/></zeebe:ioMapping>)x"));
  clock_.Set(*core::ParseIso8601("2031-02-10T12:30:00Z"));
  std::string id = Start("due");
  EXPECT_EQ(Instance(id).variables["due"], "2031-02-24");
  EXPECT_EQ(Instance(id).variables["decidedAt"], "2031-02-10T12:30:00Z");
  EXPECT_FALSE(feel::EvalClock::Current().has_value()) << "the clock is the command's only";
}

TEST_P(DecisionTask, TheLatestVersionOfTheDecisionIsEvaluated) {
  DeployDmn(FeeDmn());
  Deploy(RuleProcess("fees", R"(<zeebe:calledDecision decisionId="fee" resultVariable="fee"/>)"));
  EXPECT_EQ(Instance(Start("fees", {{"amount", 1}})).variables["fee"], 5);
  DeployDmn(FeeDmn("7"));
  std::string id = Start("fees", {{"amount", 1}});
  EXPECT_EQ(Instance(id).variables["fee"], 7);
  EXPECT_EQ(EventData(id, "decision_evaluated").at(0)["version"], 2);
}

TEST_P(DecisionTask, OutputMappingsSeeTheResultAndInputMappingsFeedTheDecision) {
  DeployDmn(FeeDmn());
  Deploy(RuleProcess("fees", R"(<zeebe:calledDecision decisionId="fee" resultVariable="r"/>
    <zeebe:ioMapping><zeebe:input source="=price * count" target="amount"/>
      <zeebe:output source="=r + 1" target="total"/></zeebe:ioMapping>)"));
  InstanceInfo info = Instance(Start("fees", {{"price", 50}, {"count", 4}}));
  EXPECT_EQ(info.variables["total"], 11);
  EXPECT_FALSE(info.variables.contains("r"));
  EXPECT_FALSE(info.variables.contains("amount"));
}

TEST_P(DecisionTask, AMissingDecisionRaisesAnIncidentThatResolvesOnceItIsDeployed) {
  Deploy(RuleProcess("fees", R"(<zeebe:calledDecision decisionId="fee" resultVariable="fee"/>)"));
  std::string id = Start("fees", {{"amount", 200}});
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "decision");
  EXPECT_EQ(incidents[0].element_id, "rule");
  EXPECT_NE(incidents[0].message.find("fee"), std::string::npos) << incidents[0].message;
  // Still missing: the retry raises it again.
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  DeployDmn(FeeDmn());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  EXPECT_TRUE(Incidents(id).empty());
  EXPECT_EQ(Instance(id).variables["fee"], 10);
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"wait"});
}

TEST_P(DecisionTask, AFailingEvaluationRaisesAnIncidentThatTheFixedInputResolves) {
  DeployDmn(FeeDmn("5", R"(<rule id="r3"><inputEntry id="e3"><text>[150..200]</text></inputEntry>
      <outputEntry id="oe3"><text>1</text></outputEntry></rule>)"));
  Deploy(RuleProcess("fees", R"(<zeebe:calledDecision decisionId="fee" resultVariable="fee"/>)"));
  std::string id = Start("fees", {{"amount", 160}});
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "decision");
  EXPECT_NE(incidents[0].message.find("UNIQUE"), std::string::npos) << incidents[0].message;
  EXPECT_FALSE(Instance(id).variables.contains("fee"));
  ASSERT_TRUE(engine_->SetVariables("t1", id, {{"amount", 120}}).ok());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  EXPECT_TRUE(Incidents(id).empty());
  EXPECT_EQ(Instance(id).variables["fee"], 6);
}

TEST_P(DecisionTask, CamundaMapDecisionResultVariants) {
  DeployDmn(kCollectDmn);
  struct Case {
    std::string decision, mapping;
    Json expected;
  };
  std::vector<Case> cases = {
      {"checks", "", Json::parse(R"([{"check":"guardian","office":"youth"},{"check":"identity","office":"front"}])")},
      {"checks", "resultList", Json::parse(R"([{"check":"guardian","office":"youth"},{"check":"identity","office":"front"}])")},
      {"single", "collectEntries", Json::parse(R"(["guardian","identity"])")},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::string process = fmt::format("camunda_{}", n++);
    std::string attrs = fmt::format(R"(camunda:decisionRef="{}" camunda:resultVariable="out" {})", c.decision,
                                    c.mapping.empty() ? "" : fmt::format(R"(camunda:mapDecisionResult="{}")", c.mapping));
    Deploy(RuleProcess(process, "", attrs), process + ".bpmn");
    EXPECT_EQ(Instance(Start(process, {{"age", 12}})).variables["out"], c.expected) << c.mapping;
  }
  // For adults only one rule matches: single results work.
  Deploy(RuleProcess("single_result", "", R"(camunda:decisionRef="checks" camunda:resultVariable="out" camunda:mapDecisionResult="singleResult")"),
         "sr.bpmn");
  EXPECT_EQ(Instance(Start("single_result", {{"age", 40}})).variables["out"],
            (Json{{"check", "identity"}, {"office", "front"}}));
  Deploy(RuleProcess("single_entry", "", R"(camunda:decisionRef="single" camunda:resultVariable="out" camunda:mapDecisionResult="singleEntry")"),
         "se.bpmn");
  EXPECT_EQ(Instance(Start("single_entry", {{"age", 40}})).variables["out"], "identity");
  // Two rule results where one is expected: an incident naming the mapping.
  std::string minor = Start("single_entry", {{"age", 12}});
  auto incidents = Incidents(minor);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "decision");
  EXPECT_NE(incidents[0].message.find("singleEntry"), std::string::npos) << incidents[0].message;
}

TEST_P(DecisionTask, RefusesUnknownMappingsAndZeebeDecisionsWithoutAResultVariable) {
  auto bad_mapping = engine_->Deploy(
      "t1", {{"a.bpmn", RuleProcess("a", "", R"(camunda:decisionRef="fee" camunda:mapDecisionResult="firstRow")")}});
  ASSERT_FALSE(bad_mapping.ok());
  EXPECT_EQ(bad_mapping.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_mapping.error().details().at(0).pointer, "rule");
  auto no_result = engine_->Deploy("t1", {{"b.bpmn", RuleProcess("b", R"(<zeebe:calledDecision decisionId="fee"/>)")}});
  ASSERT_FALSE(no_result.ok());
  EXPECT_EQ(no_result.error().details().at(0).pointer, "rule");
  auto juel = engine_->Deploy("t1", {{"c.bpmn", RuleProcess("c", "", R"(camunda:decisionRef="${which}")")}});
  ASSERT_FALSE(juel.ok());
  EXPECT_EQ(juel.error().code(), core::ErrorCode::kUnimplemented);
  EXPECT_EQ(juel.error().details().at(0).pointer, "rule");
}

TEST_P(DecisionTask, TheJobTypeVariantStillCreatesAJob) {
  Deploy(RuleProcess("job_rule", R"(<zeebe:taskDefinition type="rules"/>)"));
  std::string id = Start("job_rule");
  CompleteOne("rules", {{"fee", 3}});
  EXPECT_EQ(Instance(id).variables["fee"], 3);
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"wait"});
}

}  // namespace

AW_STORE_INSTANTIATE(DecisionTask);

}  // namespace amtsweg::engine::testing
