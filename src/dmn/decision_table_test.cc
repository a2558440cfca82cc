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
