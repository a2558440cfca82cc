// Scenario tests of Camunda 7's camunda:in / camunda:out on call activities,
// each on SQLite and PostgreSQL.
#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;

class CamundaCall : public EngineTest {
 protected:
  std::string OnlyChild(const std::string& parent) {
    auto h = engine_->History("t1", parent);
    EXPECT_TRUE(h.ok());
    std::string out;
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == "child_instance_created") out = e.data["childInstanceId"].get<std::string>();
      }
    }
    return out;
  }
};

// parent: start -> call (calledElement="child", `mappings`) -> end.
std::string Parent(std::string_view mappings) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_parent" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="parent" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:callActivity id="call" calledElement="child"><bpmn:extensionElements>{}</bpmn:extensionElements></bpmn:callActivity>
  <bpmn:endEvent id="end"/>
  {}{}
</bpmn:process>
</bpmn:definitions>)",
                     mappings, Flow("f1", "start", "call"), Flow("f2", "call", "end"));
}

// child: start -> work (job "child_work") -> end.
const std::string kChild = Model("child", R"(
  <bpmn:startEvent id="c_start"/>
  )" + ServiceTask("c_work", "child_work") + R"(
  <bpmn:endEvent id="c_end"/>
  )" + Flow("c1", "c_start", "c_work") + Flow("c2", "c_work", "c_end"));

TEST_P(CamundaCall, InMappingsPassOnlyWhatTheyMap) {
  Deploy(kChild, "child.bpmn");
  Deploy(Parent(R"(
    <camunda:in source="applicant" target="person"/>
    <camunda:in sourceExpression="${fee}" target="amount"/>
    <camunda:in sourceExpression="=fee * 2" target="doubled"/>
    <camunda:in source="missing" target="nothing"/>)"));
  std::string id = Start("parent", {{"applicant", "Erika"}, {"fee", 21}, {"secret", true}});
  std::string child = OnlyChild(id);
  ASSERT_FALSE(child.empty());
  EXPECT_EQ(Instance(child).variables,
            (Json{{"person", "Erika"}, {"amount", 21}, {"doubled", 42}, {"nothing", nullptr}}));
}

TEST_P(CamundaCall, VariablesAllPassesEverythingAndLocalReadsTheCallActivitysOwn) {
  Deploy(kChild, "child.bpmn");
  Deploy(Parent(R"(
    <camunda:inputOutput><camunda:inputParameter name="mine">=1</camunda:inputParameter></camunda:inputOutput>
    <camunda:in variables="all"/>)"));
  std::string id = Start("parent", {{"a", 1}, {"b", "x"}});
  EXPECT_EQ(Instance(OnlyChild(id)).variables, (Json{{"a", 1}, {"b", "x"}, {"mine", 1}}));

  Deploy(Parent(R"(
    <camunda:inputOutput><camunda:inputParameter name="mine">=2</camunda:inputParameter></camunda:inputOutput>
    <camunda:in variables="all" local="true"/>)"));
  id = Start("parent", {{"a", 1}});
  EXPECT_EQ(Instance(OnlyChild(id)).variables, (Json{{"mine", 2}}));
}

TEST_P(CamundaCall, OutMappingsBringBackOnlyWhatTheyMap) {
  Deploy(kChild, "child.bpmn");
  Deploy(Parent(R"(
    <camunda:in variables="all"/>
    <camunda:out source="decision" target="result"/>
    <camunda:out sourceExpression="=score + 1" target="next"/>)"));
  std::string id = Start("parent", {{"a", 1}});
  CompleteOne("child_work", {{"decision", "approved"}, {"score", 9}, {"noise", true}});
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables, (Json{{"a", 1}, {"result", "approved"}, {"next", 10}}));
}

TEST_P(CamundaCall, OutVariablesAllAndLocalOutsForOutputParameters) {
  Deploy(kChild, "child.bpmn");
  Deploy(Parent(R"(<camunda:out variables="all"/>)"));
  std::string id = Start("parent", {{"a", 1}});
  CompleteOne("child_work", {{"decision", "approved"}});
  EXPECT_EQ(Instance(id).variables, (Json{{"a", 1}, {"decision", "approved"}}));

  Deploy(Parent(R"(
    <camunda:inputOutput><camunda:outputParameter name="summary">=raw + "!"</camunda:outputParameter></camunda:inputOutput>
    <camunda:out source="decision" target="raw" local="true"/>)"));
  id = Start("parent");
  CompleteOne("child_work", {{"decision", "approved"}});
  EXPECT_EQ(Instance(id).variables, (Json{{"summary", "approved!"}}));
}

TEST_P(CamundaCall, AFailingOutExpressionRaisesAnIncidentAndTheRetryMapsAgain) {
  Deploy(kChild, "child.bpmn");
  Deploy(Parent(R"x(<camunda:out sourceExpression="=upper case(decision)" target="loud"/>)x"));
  std::string id = Start("parent");
  CompleteOne("child_work", {{"decision", 5}});
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].element_id, "call");
  EXPECT_NE(incidents[0].message.find("camunda:out"), std::string::npos) << incidents[0].message;
  // Still failing on retry (the child's variables are kept, not lost).
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  ASSERT_EQ(Incidents(id).size(), 1u);
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"call"});
}

TEST_P(CamundaCall, RefusesJuelThatIsNotAVariableNameAndBusinessKeysNamingTheElement) {
  for (std::string_view mapping : {R"(<camunda:in sourceExpression="${fee * 2}" target="x"/>)",
                                   R"x(<camunda:out sourceExpression="${execution.getVariable('a')}" target="x"/>)x",
                                   R"(<camunda:in businessKey="${key}"/>)"}) {
    auto d = engine_->Deploy("t1", {{"p.bpmn", Parent(mapping)}});
    ASSERT_FALSE(d.ok()) << mapping;
    EXPECT_EQ(d.error().code(), core::ErrorCode::kUnimplemented) << d.error().ToString();
    ASSERT_FALSE(d.error().details().empty());
    EXPECT_EQ(d.error().details()[0].pointer, "call") << d.error().ToString();
  }
}

}  // namespace

AW_STORE_INSTANTIATE(CamundaCall);

}  // namespace amtsweg::engine::testing
