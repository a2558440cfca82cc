#include "dmn/json_value.h"

#include <gtest/gtest.h>

#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

TEST(DmnJson, ConvertsValuesBothWays) {
  auto v = feel::JsonToValue(core::Json::parse(R"({"a": 1.5, "b": [1, "x", null], "c": true})"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->DebugString(), "{\"a\": 1.5, \"b\": [1, \"x\", null], \"c\": true}");
  EXPECT_EQ(core::DumpJson(feel::ValueToJson(*v)), R"({"a":1.5,"b":[1,"x",null],"c":true})");
}

TEST(DmnJson, UsesTypeHintForTemporalStrings) {
  auto t = feel::BuiltinType("date");
  auto v = feel::JsonToValue(core::Json("2026-11-27"), t);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->kind(), feel::Kind::kDate);
  EXPECT_FALSE(feel::JsonToValue(core::Json("27.11.2026"), t).ok());
  EXPECT_EQ(feel::ValueToJson(*v), core::Json("2026-11-27"));
}

TEST(DmnJson, EvaluatesDecisionFromJson) {
  auto e = ImportDmn(testing::Table("FIRST", testing::Rule("&lt; 10", "\"small\"") +
                                                 testing::Rule("-", "\"big\"")));
  ASSERT_TRUE(e.ok());
  auto r = EvaluateDecisionJson(**e, "Result", core::Json::parse(R"({"x": 3})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["result"], "small");
  EXPECT_EQ(EvaluateDecisionJson(**e, "Nope", core::Json::object()).error().code(),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(EvaluateDecisionJson(**e, "Result", core::Json::array()).error().code(),
            core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace amtsweg::dmn

namespace amtsweg::dmn {
namespace {

TEST(DmnJson, EvaluatesAllDecisionsAndServices) {
  auto e = ImportDmn(testing::Dmn13(R"(
    <inputData id="i" name="n"><variable name="n" typeRef="number"/></inputData>
    <decision id="a" name="A"><informationRequirement><requiredInput href="#i"/></informationRequirement>
      <literalExpression><text>n + 1</text></literalExpression></decision>
    <decision id="b" name="B"><informationRequirement><requiredDecision href="#a"/></informationRequirement>
      <literalExpression><text>A * 2</text></literalExpression></decision>
    <decisionService id="s" name="S"><outputDecision href="#b"/><inputDecision href="#a"/></decisionService>)"));
  ASSERT_TRUE(e.ok());
  auto all = EvaluateAllJson(**e, core::Json::parse(R"({"n": 1})"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(core::DumpJson((*all)["result"]), R"({"A":2,"B":4})");
  auto svc = EvaluateServiceJson(**e, "S", core::Json::parse(R"({"A": 10})"));
  ASSERT_TRUE(svc.ok());
  EXPECT_EQ(core::DumpJson((*svc)["result"]), R"({"B":20})");
  EXPECT_EQ(EvaluateServiceJson(**e, "Nope", core::Json::object()).error().code(), core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace amtsweg::dmn
