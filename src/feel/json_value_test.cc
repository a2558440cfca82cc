#include "feel/json_value.h"

#include <gtest/gtest.h>

namespace amtsweg::feel {
namespace {

TEST(FeelJson, NumbersKeepTheirDecimalText) {
  auto v = JsonToValue(core::Json::parse("0.1"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_number().ToString(), "0.1");
  auto big = JsonToValue(core::Json::parse("18446744073709551615"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->DebugString(), "18446744073709551615");
}

TEST(FeelJson, TemporalsBecomeIsoText) {
  EXPECT_EQ(ValueToJson(Value::OfDateTime(*ParseDateTime("2026-01-01T10:00:00@Europe/Berlin"))),
            core::Json("2026-01-01T10:00:00@Europe/Berlin"));
  EXPECT_EQ(ValueToJson(Value::OfYm(*ParseYmDuration("P14M"))), core::Json("P1Y2M"));
}

TEST(FeelJson, ContextFromObjectUsesDeclaredTypes) {
  auto c = JsonToContext(core::Json::parse(R"({"due": "2026-12-01", "note": "2026-12-01"})"),
                         [](const std::string& name) { return name == "due" ? BuiltinType("date") : nullptr; });
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->Find("due")->kind(), Kind::kDate);
  EXPECT_EQ(c->Find("note")->kind(), Kind::kString);
  auto bad = JsonToContext(core::Json::parse(R"({"due": "tomorrow"})"),
                           [](const std::string&) { return BuiltinType("date"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details()[0].pointer, "/due");
  EXPECT_FALSE(JsonToContext(core::Json::array()).ok());
}

}  // namespace
}  // namespace amtsweg::feel

namespace amtsweg::feel {
namespace {

TEST(FeelJson, EvaluateJsonForConditionsAndMappings) {
  auto r = EvaluateJson("Antrag Betrag * 2 > 100", core::Json::parse(R"({"Antrag Betrag": 60})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["result"], true);
  auto m = EvaluateJson("{name: upper case(first name), n: count(items)}",
                        core::Json::parse(R"({"first name": "ada", "items": [1, 2]})"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(core::DumpJson((*m)["result"]), R"({"n":2,"name":"ADA"})");
  auto nested = EvaluateJson("applicant.first name + \" \" + applicant.last name",
                             core::Json::parse(R"({"applicant": {"first name": "Ada", "last name": "L"}})"));
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ((*nested)["result"], "Ada L");
  auto w = EvaluateJson("x + 1", core::Json::parse(R"({"x": "a"})"));
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE((*w)["result"].is_null());
  EXPECT_EQ((*w)["warnings"].size(), 1u);
  auto bad = EvaluateJson("x +", core::Json::object());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "1:4: expected an expression, found end of input");
}

}  // namespace
}  // namespace amtsweg::feel
