#include <gtest/gtest.h>

#include "dmn/engine.h"
#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

using testing::Rule;
using testing::Table;

std::string EvalTable(const std::string& xml, int x) {
  auto e = ImportDmn(xml);
  if (!e.ok()) return "IMPORT: " + e.error().message();
  feel::Context in;
  in.Put("x", feel::Value::Number(x));
  return (*e)->EvaluateDecision("Result", in).value.DebugString();
}

const std::string kRules = Rule("&lt; 10", "\"a\"") + Rule("&lt; 20", "\"b\"") + Rule("-", "\"c\"");

TEST(DecisionTable, UniqueFailsOnOverlap) {
  EXPECT_EQ(EvalTable(Table("UNIQUE", Rule("&lt; 10", "\"a\"") + Rule("&gt;= 10", "\"b\"")), 12), "\"b\"");
  EXPECT_EQ(EvalTable(Table("UNIQUE", kRules), 5), "null");
}

TEST(DecisionTable, FirstTakesFirstMatch) { EXPECT_EQ(EvalTable(Table("FIRST", kRules), 15), "\"b\""); }

TEST(DecisionTable, AnyRequiresAgreement) {
  EXPECT_EQ(EvalTable(Table("ANY", Rule("&lt; 10", "\"a\"") + Rule("&lt; 20", "\"a\"")), 5), "\"a\"");
  EXPECT_EQ(EvalTable(Table("ANY", kRules), 5), "null");
}

TEST(DecisionTable, PriorityUsesOutputValuesOrder) {
  EXPECT_EQ(EvalTable(Table("PRIORITY", kRules, "", "\"c\",\"b\",\"a\""), 5), "\"c\"");
}

TEST(DecisionTable, OutputOrderSortsByPriority) {
  EXPECT_EQ(EvalTable(Table("OUTPUT ORDER", kRules, "", "\"c\",\"b\",\"a\""), 5), "[\"c\", \"b\", \"a\"]");
}

TEST(DecisionTable, RuleOrderAndCollect) {
  EXPECT_EQ(EvalTable(Table("RULE ORDER", kRules), 5), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(EvalTable(Table("COLLECT", kRules), 15), "[\"b\", \"c\"]");
}

TEST(DecisionTable, CollectAggregations) {
  std::string nums = Rule("&lt; 10", "1") + Rule("&lt; 20", "2") + Rule("-", "4");
  EXPECT_EQ(EvalTable(Table("COLLECT", nums, "aggregation=\"SUM\""), 5), "7");
  EXPECT_EQ(EvalTable(Table("COLLECT", nums, "aggregation=\"MIN\""), 15), "2");
  EXPECT_EQ(EvalTable(Table("COLLECT", nums, "aggregation=\"MAX\""), 5), "4");
  EXPECT_EQ(EvalTable(Table("COLLECT", nums, "aggregation=\"COUNT\""), 5), "3");
  EXPECT_EQ(EvalTable(Table("COLLECT", Rule("&lt; 0", "1"), "aggregation=\"COUNT\""), 5), "0");
}

TEST(DecisionTable, NoMatchGivesNullOrEmptyList) {
  EXPECT_EQ(EvalTable(Table("UNIQUE", Rule("&lt; 0", "\"a\"")), 5), "null");
  EXPECT_EQ(EvalTable(Table("COLLECT", Rule("&lt; 0", "\"a\"")), 5), "[]");
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

// Found by the importer fuzz replay: a table without <output> crashed COLLECT.
TEST(DecisionTable, TableWithoutOutputIsAModelError) {
  auto e = ImportDmn(testing::Dmn13(R"(
    <decision id="d" name="Result"><decisionTable hitPolicy="COLLECT" aggregation="SUM">
      <input><inputExpression><text>1</text></inputExpression></input>
      <rule><inputEntry><text>-</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>
    </decisionTable></decision>)"));
  ASSERT_TRUE(e.ok());
  ASSERT_FALSE((*e)->problems().empty());
  EXPECT_NE((*e)->problems()[0].find("no output clause"), std::string::npos);
  EvalResult r = (*e)->EvaluateDecision("Result", {});
  EXPECT_TRUE(r.value.is_null());
  EXPECT_FALSE(r.ok);
}

TEST(DecisionTable, RuleWithWrongEntryCountIsAModelError) {
  auto e = ImportDmn(testing::Table("FIRST", "<rule><outputEntry><text>1</text></outputEntry></rule>"));
  ASSERT_TRUE(e.ok());
  ASSERT_FALSE((*e)->problems().empty());
  EXPECT_NE((*e)->problems()[0].find("0 input and 1 output entries for 1 inputs"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

// Two outputs: "grade" (priority "A" > "B" > "C") and "note".
std::string TwoOutputTable(const std::string& hit, const std::string& rules, const std::string& extra = "") {
  return testing::Dmn13(R"(
  <inputData id="i_x" name="x"><variable name="x" typeRef="number"/></inputData>
  <decision id="d" name="Result">
    <informationRequirement><requiredInput href="#i_x"/></informationRequirement>
    <decisionTable id="t" hitPolicy=")" + hit + R"(">
      <input id="in1" label="x"><inputExpression typeRef="number"><text>x</text></inputExpression>)" + extra + R"(</input>
      <output id="o1" name="grade"><outputValues><text>"A","B","C"</text></outputValues>
        <defaultOutputEntry><text>"C"</text></defaultOutputEntry></output>
      <output id="o2" name="note"><defaultOutputEntry><text>"default"</text></defaultOutputEntry></output>)" +
                        rules + R"(
    </decisionTable>
  </decision>)");
}

std::string Rule2(const std::string& in, const std::string& grade, const std::string& note) {
  return "<rule><inputEntry><text>" + in + "</text></inputEntry><outputEntry><text>" + grade +
         "</text></outputEntry><outputEntry><text>" + note + "</text></outputEntry></rule>";
}

std::string Eval2(const std::string& xml, int x) {
  auto e = ImportDmn(xml);
  if (!e.ok()) return "IMPORT: " + e.error().message();
  feel::Context in;
  in.Put("x", feel::Value::Number(x));
  return (*e)->EvaluateDecision("Result", in).value.DebugString();
}

const std::string kTwo = Rule2("&lt; 10", "\"B\"", "\"small\"") + Rule2("&lt; 20", "\"A\"", "\"medium\"") +
                         Rule2("&gt; 100", "\"C\"", "\"big\"");

TEST(DecisionTable, MultipleOutputsGiveAContext) {
  EXPECT_EQ(Eval2(TwoOutputTable("FIRST", kTwo), 5), "{\"grade\": \"B\", \"note\": \"small\"}");
}

TEST(DecisionTable, PriorityWithMultipleOutputsUsesTheFirstOutputsOrder) {
  EXPECT_EQ(Eval2(TwoOutputTable("PRIORITY", kTwo), 5), "{\"grade\": \"A\", \"note\": \"medium\"}");
}

TEST(DecisionTable, RuleOrderWithMultipleOutputsIsAListOfContexts) {
  EXPECT_EQ(Eval2(TwoOutputTable("RULE ORDER", kTwo), 5),
            "[{\"grade\": \"B\", \"note\": \"small\"}, {\"grade\": \"A\", \"note\": \"medium\"}]");
}

TEST(DecisionTable, DefaultOutputEntriesWhenNoRuleMatches) {
  EXPECT_EQ(Eval2(TwoOutputTable("UNIQUE", kTwo), 50), "{\"grade\": \"C\", \"note\": \"default\"}");
}

TEST(DecisionTable, OutputOutsideOutputValuesIsAnError) {
  auto e = ImportDmn(TwoOutputTable("FIRST", Rule2("-", "\"Z\"", "\"n\"")));
  ASSERT_TRUE(e.ok());
  feel::Context in;
  in.Put("x", feel::Value::Number(1));
  EvalResult r = (*e)->EvaluateDecision("Result", in);
  EXPECT_TRUE(r.value.is_null());
  bool warned = false;
  for (const auto& m : r.messages) warned = warned || m.find("not among the output values") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(DecisionTable, InputOutsideInputValuesIsAnError) {
  std::string xml = TwoOutputTable("FIRST", kTwo, "<inputValues><text>[0..1000]</text></inputValues>");
  EXPECT_EQ(Eval2(xml, 5), "{\"grade\": \"B\", \"note\": \"small\"}");
  EXPECT_EQ(Eval2(xml, 5000), "null");
}

TEST(DecisionTable, AggregationRejectsMultipleOutputs) {
  EXPECT_EQ(Eval2(TwoOutputTable("COLLECT\" aggregation=\"COUNT", kTwo), 5), "null");
}

}  // namespace
}  // namespace amtsweg::dmn
