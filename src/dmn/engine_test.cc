#include "dmn/engine.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

using feel::Value;

const char* kDrg = R"(
  <itemDefinition name="tAmount"><typeRef>number</typeRef>
    <allowedValues><text>[0..1000]</text></allowedValues></itemDefinition>
  <inputData id="i_a" name="Monthly Income"><variable name="Monthly Income" typeRef="tAmount"/></inputData>
  <businessKnowledgeModel id="b" name="fee for">
    <variable name="fee for"/>
    <encapsulatedLogic><formalParameter name="base amount" typeRef="number"/>
      <literalExpression><text>base amount * 0.1</text></literalExpression></encapsulatedLogic>
  </businessKnowledgeModel>
  <decision id="d1" name="Yearly Income">
    <variable name="Yearly Income" typeRef="number"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <literalExpression><text>Monthly Income * 12</text></literalExpression>
  </decision>
  <decision id="d2" name="Fee">
    <variable name="Fee" typeRef="number"/>
    <informationRequirement><requiredDecision href="#d1"/></informationRequirement>
    <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
    <invocation><literalExpression><text>fee for</text></literalExpression>
      <binding><parameter name="base amount"/><literalExpression><text>Yearly Income</text></literalExpression></binding>
    </invocation>
  </decision>
  <decision id="d3" name="Summary">
    <informationRequirement><requiredDecision href="#d1"/></informationRequirement>
    <informationRequirement><requiredDecision href="#d2"/></informationRequirement>
    <context>
      <contextEntry><variable name="total"/><literalExpression><text>Yearly Income + Fee</text></literalExpression></contextEntry>
      <contextEntry><variable name="label"/><literalExpression><text>"total " + string(total)</text></literalExpression></contextEntry>
    </context>
  </decision>
  <decisionService id="s" name="fee service">
    <outputDecision href="#d2"/><inputDecision href="#d1"/>
  </decisionService>)";

feel::Context Income(int v) {
  feel::Context c;
  c.Put("Monthly Income", Value::Number(v));
  return c;
}

TEST(DmnEngine, EvaluatesDrgInDependencyOrderWithBkm) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE((*e)->problems().empty());
  EXPECT_EQ((*e)->EvaluateDecision("Fee", Income(100)).value.DebugString(), "120");
  EXPECT_EQ((*e)->EvaluateDecision("Summary", Income(100)).value.DebugString(),
            "{\"total\": 1320, \"label\": \"total 1320\"}");
}

TEST(DmnEngine, WithVariablesADecisionSeesUndeclaredVariablesButRequirementsWin) {
  auto e = ImportDmn(testing::Dmn13(kDrg + std::string(R"(
  <decision id="d4" name="Scaled">
    <informationRequirement><requiredDecision href="#d1"/></informationRequirement>
    <literalExpression><text>Yearly Income * factor</text></literalExpression>
  </decision>)")));
  ASSERT_TRUE(e.ok());
  feel::Context vars = Income(100);
  vars.Put("factor", Value::Number(2));
  vars.Put("Yearly Income", Value::Number(1));  // shadowed by the required decision
  EXPECT_EQ((*e)->EvaluateDecisionWithVariables("Scaled", vars).value.DebugString(), "2400");
  // Plain evaluation sees declared input data only.
  EvalResult plain = (*e)->EvaluateDecision("Scaled", vars);
  EXPECT_TRUE(plain.value.is_null());
  EXPECT_FALSE(plain.messages.empty());
}

TEST(DmnEngine, InputViolatingItemDefinitionBecomesNull) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  EvalResult r = (*e)->EvaluateDecision("Yearly Income", Income(5000));
  EXPECT_TRUE(r.value.is_null());
  ASSERT_FALSE(r.messages.empty());
  EXPECT_NE(r.messages[0].find("does not conform"), std::string::npos);
}

TEST(DmnEngine, DecisionServiceOverridesInputDecision) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  feel::Context p;
  p.Put("Yearly Income", Value::Number(50));
  EvalResult r = (*e)->EvaluateService("fee service", p);
  EXPECT_EQ(r.value.DebugString(), "{\"Fee\": 5}");
}

TEST(DmnEngine, ReportsUnknownReferenceWithElementId) {
  auto e = ImportDmn(testing::Dmn13(R"(<decision id="dx" name="X">
      <informationRequirement><requiredDecision href="#nope"/></informationRequirement>
      <literalExpression><text>1</text></literalExpression></decision>)"));
  ASSERT_TRUE(e.ok());
  ASSERT_EQ((*e)->problems().size(), 1u);
  EXPECT_EQ((*e)->problems()[0], "decision 'X' (dx): unknown reference '#nope'");
  EXPECT_FALSE((*e)->EvaluateDecision("X", {}).ok);
}

TEST(DmnEngine, ReportsCycle) {
  auto e = ImportDmn(testing::Dmn13(R"(
    <decision id="a" name="A"><informationRequirement><requiredDecision href="#b"/></informationRequirement>
      <literalExpression><text>B</text></literalExpression></decision>
    <decision id="b" name="B"><informationRequirement><requiredDecision href="#a"/></informationRequirement>
      <literalExpression><text>A</text></literalExpression></decision>)"));
  ASSERT_TRUE(e.ok());
  ASSERT_EQ((*e)->problems().size(), 2u);
  EXPECT_EQ((*e)->problems()[0], "decision 'A' (a): dependency cycle through its required decisions");
  EvalResult r = (*e)->EvaluateDecision("A", {});
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.value.is_null());
  bool found = false;
  for (const auto& m : r.messages) found = found || m.find("dependency cycle") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(DmnEngine, ReportsFeelSyntaxErrorWithElementIdAndPosition) {
  auto e = ImportDmn(testing::Dmn13(
      R"(<decision id="dz" name="Z"><literalExpression id="le"><text>1 +</text></literalExpression></decision>)"));
  ASSERT_TRUE(e.ok());
  ASSERT_EQ((*e)->problems().size(), 1u);
  EXPECT_EQ((*e)->problems()[0], "decision 'Z' (dz) (le): 1:4: expected an expression, found end of input");
}

TEST(DmnEngine, UnknownDecisionIsNotOk) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE((*e)->EvaluateDecision("Nope", {}).ok);
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

TEST(DmnEngine, EvaluateAllEvaluatesEachDecisionOnce) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  feel::Context in;
  in.Put("Monthly Income", feel::Value::Number(10));
  EvalResult r = (*e)->EvaluateAll(in);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.value.DebugString(),
            "{\"Yearly Income\": 120, \"Fee\": 12, \"Summary\": {\"total\": 132, \"label\": \"total 132\"}}");
}

TEST(DmnEngine, ConcurrentEvaluationGivesTheSameResults) {
  auto e = ImportDmn(testing::Dmn13(kDrg));
  ASSERT_TRUE(e.ok());
  const Engine& engine = **e;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&engine, &wrong, t] {
      for (int i = 0; i < 200; ++i) {
        feel::Context in;
        in.Put("Monthly Income", feel::Value::Number(t * 10 + i % 7));
        Value v = engine.EvaluateDecision("Fee", in).value;
        // Fee is a tenth of the yearly income (12 monthly incomes).
        auto expected = feel::Decimal::FromInt((t * 10 + i % 7) * 12).Div(feel::Decimal::FromInt(10));
        if (!v.is_number() || !(v.as_number() == *expected)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

TEST(DmnEngine, ReportsUnknownTypeWithElementId) {
  auto e = ImportDmn(testing::Dmn13(R"(<decision id="dt" name="T"><variable name="T" typeRef="tMissing"/>
      <literalExpression><text>1</text></literalExpression></decision>)"));
  ASSERT_TRUE(e.ok());
  ASSERT_EQ((*e)->problems().size(), 1u);
  EXPECT_EQ((*e)->problems()[0], "decision 'T' (dt): unknown type 'tMissing'");
}

TEST(DmnEngine, ImportsDmn11And12Namespaces) {
  for (const char* ns : {"http://www.omg.org/spec/DMN/20151101/dmn.xsd",
                         "http://www.omg.org/spec/DMN/20180521/MODEL/"}) {
    std::string xml = std::string(R"(<definitions xmlns=")") + ns + R"(" xmlns:feel="http://www.omg.org/spec/FEEL/20140401"
        name="old" namespace="urn:old" id="old">
      <itemDefinition name="tAmount"><typeRef>feel:number</typeRef></itemDefinition>
      <inputData id="i" name="Amount"><variable name="Amount" typeRef="tAmount"/></inputData>
      <decision id="d" name="Double"><variable name="Double" typeRef="feel:number"/>
        <informationRequirement><requiredInput href="#i"/></informationRequirement>
        <literalExpression><text>Amount * 2</text></literalExpression></decision></definitions>)";
    auto e = ImportDmn(xml);
    ASSERT_TRUE(e.ok()) << ns;
    EXPECT_TRUE((*e)->problems().empty()) << ns;
    feel::Context in;
    in.Put("Amount", feel::Value::Number(21));
    EXPECT_EQ((*e)->EvaluateDecision("Double", in).value.DebugString(), "42") << ns;
  }
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

TEST(DmnEngine, RunawayModelStopsAtTheStepBudget) {
  auto e = ImportDmn(testing::Dmn13(R"(<decision id="h" name="Huge">
      <literalExpression><text>count(for i in 1..1000000, j in 1..1000 return 1)</text></literalExpression>
    </decision>)"));
  ASSERT_TRUE(e.ok());
  EvalResult r = (*e)->EvaluateDecision("Huge", {});
  EXPECT_TRUE(r.value.is_null());
  bool budget = false;
  for (const auto& m : r.messages) budget = budget || m.find("budget") != std::string::npos;
  EXPECT_TRUE(budget);
}

}  // namespace
}  // namespace amtsweg::dmn
