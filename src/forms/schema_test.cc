#include "forms/schema.h"

#include <gtest/gtest.h>

#include <string>

namespace amtsweg::forms {
namespace {

std::string Wrap(const std::string& components) {
  return R"({"type":"default","id":"f1","components":[)" + components + "]}";
}

TEST(FormSchema, CompilesEveryFormJsFieldType) {
  auto form = ParseForm(Wrap(R"(
    {"type":"textfield","id":"a","key":"a","validate":{"required":true,"minLength":1,"maxLength":9,"pattern":"^x","validationType":"email"}},
    {"type":"textarea","id":"b","key":"b"},
    {"type":"number","id":"c","key":"c","decimalDigits":2,"increment":"0.05","validate":{"min":0,"max":10}},
    {"type":"datetime","id":"d","key":"d","subtype":"datetime","disallowPassedDates":true},
    {"type":"checkbox","id":"e","key":"e"},
    {"type":"checklist","id":"f","key":"f","values":[{"label":"1","value":"1"}]},
    {"type":"radio","id":"g","key":"g","valuesKey":"opts"},
    {"type":"select","id":"h","key":"h","valuesExpression":"=[1,2]"},
    {"type":"taglist","id":"i","key":"i","values":[]},
    {"type":"filepicker","id":"j","key":"j","multiple":true},
    {"type":"expression","id":"k","key":"k","expression":"=c * 2","computeOn":"change"},
    {"type":"group","id":"l","path":"grp","components":[{"type":"textfield","id":"l1","key":"x"}]},
    {"type":"dynamiclist","id":"m","path":"rows","isRepeating":true,"properties":{"minItems":"1","maxItems":3},
     "components":[{"type":"textfield","id":"m1","key":"y"}]},
    {"type":"text","id":"n","text":"# Hallo"},{"type":"html","id":"o","content":"<b>x</b>"},
    {"type":"image","id":"p"},{"type":"spacer","id":"q"},{"type":"separator","id":"r"},
    {"type":"button","id":"s","action":"submit"})"));
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  const auto& comps = (*form)->components();
  ASSERT_EQ(comps.size(), 19u);
  EXPECT_EQ((*form)->id(), "f1");
  EXPECT_TRUE(comps[0].required);
  EXPECT_EQ(comps[0].validation_type, ValidationType::kEmail);
  EXPECT_TRUE(comps[0].pattern_re != nullptr);
  EXPECT_EQ(*comps[2].decimal_digits, 2);
  EXPECT_EQ(comps[2].increment->ToString(), "0.05");
  EXPECT_EQ(comps[3].subtype, DateSubtype::kDateTime);
  EXPECT_TRUE(comps[3].disallow_passed_dates);
  EXPECT_TRUE(comps[5].has_static_values);
  EXPECT_EQ(comps[6].values_key, "opts");
  EXPECT_TRUE(comps[7].values_expression.valid());
  EXPECT_TRUE(comps[10].expression.valid());
  EXPECT_EQ(comps[11].path_segments, std::vector<std::string>{"grp"});
  EXPECT_EQ(*comps[12].min_items, 1);
  EXPECT_EQ(*comps[12].max_items, 3);
  EXPECT_EQ(comps[12].components.size(), 1u);
  EXPECT_EQ((*form)->component_count(), 21u);
}

TEST(FormSchema, UnknownComponentTypeNamesTheComponent) {
  auto form = ParseForm(Wrap(R"({"type":"textfield","id":"ok","key":"a"},{"type":"slider","id":"Field_7","key":"b"})"));
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(form.error().details().size(), 1u);
  EXPECT_EQ(form.error().details()[0].pointer, "/components/1/type");
  EXPECT_NE(form.error().details()[0].message.find("Field_7"), std::string::npos);
  EXPECT_NE(form.error().details()[0].message.find("slider"), std::string::npos);
}

TEST(FormSchema, RepeatedComponentIdsAreRefusedAsFormJsRefusesThem) {
  auto f = ParseForm(R"({"type":"default","components":[
    {"type":"group","id":"g1","path":"a","components":[{"type":"textfield","id":"f_strasse","key":"strasse"}]},
    {"type":"group","id":"g2","path":"b","components":[{"type":"textfield","id":"f_strasse","key":"strasse"}]}]})");
  ASSERT_FALSE(f.ok());
  ASSERT_EQ(f.error().details().size(), 1u) << f.error().ToString();
  EXPECT_EQ(f.error().details()[0].pointer, "/components/1/components/0/id");
  EXPECT_NE(f.error().details()[0].message.find("f_strasse"), std::string::npos);
}

TEST(FormSchema, UnknownPropertiesAreKeptButIgnored) {
  auto form = ParseForm(Wrap(R"({"type":"textfield","id":"a","key":"a","layout":{"columns":8},"x-custom":1})"));
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  EXPECT_EQ((*form)->components()[0].raw["x-custom"], 1);
  EXPECT_EQ((*form)->schema()["components"][0]["layout"]["columns"], 8);
}

TEST(FormSchema, ReportsEveryProblemWithItsPointer) {
  auto form = ParseForm(Wrap(R"(
    {"type":"textfield","id":"nokey"},
    {"type":"textfield","id":"badpat","key":"p","validate":{"pattern":"(["}},
    {"type":"textfield","id":"badfeel","key":"q","conditional":{"hide":"=a +"}},
    {"type":"textfield","id":"noeq","key":"r","conditional":{"hide":"a = 1"}},
    {"type":"number","id":"badnum","key":"s","validate":{"min":"ten"},"decimalDigits":-1},
    {"type":"dynamiclist","id":"nopath","components":[]},
    {"type":"textfield","id":"dup","key":"p"})"));
  ASSERT_FALSE(form.ok());
  std::vector<std::string> pointers;
  for (const auto& d : form.error().details()) pointers.push_back(d.pointer);
  for (const char* p : {"/components/0/key", "/components/1/validate/pattern",
                        "/components/2/conditional/hide", "/components/3/conditional/hide",
                        "/components/4/validate/min", "/components/4/decimalDigits",
                        "/components/5/path", "/components/6/key"}) {
    EXPECT_NE(std::find(pointers.begin(), pointers.end(), p), pointers.end()) << p;
  }
}

TEST(FormSchema, SameKeyInDifferentListItemsIsAllowedButNotTwiceInOneObject) {
  EXPECT_TRUE(ParseForm(Wrap(R"({"type":"textfield","id":"a","key":"name"},
     {"type":"dynamiclist","id":"l","path":"rows","components":[{"type":"textfield","id":"b","key":"name"}]})")).ok());
  EXPECT_FALSE(ParseForm(Wrap(R"({"type":"textfield","id":"a","key":"g.name"},
     {"type":"group","id":"g","path":"g","components":[{"type":"textfield","id":"b","key":"name"}]})")).ok());
}

TEST(FormSchema, RejectsNonFormDocuments) {
  EXPECT_FALSE(ParseForm("[]").ok());
  EXPECT_FALSE(ParseForm(R"({"type":"default"})").ok());
  EXPECT_FALSE(ParseForm(R"({"type":"other","components":[]})").ok());
  EXPECT_FALSE(ParseForm(R"({"components":[{"type":"group","id":"g","components":{}}]})").ok());
  EXPECT_FALSE(ParseForm(R"({"components":[{"type":"textfield","id":"t","key":"a","components":[]}]})").ok());
}

TEST(FormSchema, RejectsDeepNestingBeforeParsing) {
  std::string deep(100000, '[');
  auto r = ParseForm(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("nested deeper"), std::string::npos);
  // Brackets inside strings do not count.
  std::string in_string = R"({"type":"default","components":[{"type":"text","id":"t","text":")" +
                          std::string(500, '[') + R"("}]})";
  EXPECT_TRUE(ParseForm(in_string).ok());
}

TEST(FormSchema, RejectsDeeplyNestedGroups) {
  std::string s = R"({"type":"textfield","id":"t","key":"x"})";
  for (int i = 0; i < 20; ++i) s = R"({"type":"group","id":"g)" + std::to_string(i) + R"(","components":[)" + s + "]}";
  auto r = ParseForm(Wrap(s));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().ToString().find("nested deeper than"), std::string::npos);
}

TEST(FormSchema, RejectsInvalidUtf8) {
  std::string bad = Wrap(R"({"type":"textfield","id":"t","key":"a","label":"M)" + std::string("\xc3\x28") + R"("})");
  auto r = ParseForm(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("line 1"), std::string::npos) << r.error().message();
  core::Json j = core::Json::parse(Wrap(R"({"type":"textfield","id":"t","key":"a"})"));
  j["components"][0]["label"] = std::string("\xff");
  auto c = CompileForm(j);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().details()[0].pointer, "/components/0/label");
}

TEST(FormSchema, RejectsOversizedText) {
  SchemaLimits limits;
  limits.max_bytes = 10;
  auto r = ParseForm(Wrap(""), limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kResourceExhausted);
}

TEST(FormSchema, EscapesPointerTokens) {
  EXPECT_EQ(EscapePointerToken("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace amtsweg::forms
