#include "dmn/importer.h"

#include <gtest/gtest.h>

#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

TEST(DmnImporter, ReadsDecisionsInputsAndRequirements) {
  auto d = ParseDmnXml(testing::Table("UNIQUE", testing::Rule("&lt; 10", "\"small\"")));
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->dmn_version, "1.3");
  ASSERT_EQ(d->decisions.size(), 1u);
  EXPECT_EQ(d->decisions[0].name, "Result");
  ASSERT_EQ(d->decisions[0].required_inputs.size(), 1u);
  EXPECT_EQ(d->decisions[0].required_inputs[0].href, "#i_x");
  ASSERT_TRUE(d->decisions[0].expression);
  EXPECT_EQ(d->decisions[0].expression->kind, ExpressionKind::kDecisionTable);
  EXPECT_EQ(d->decisions[0].expression->table.rules[0].input_entries[0], "< 10");
}

TEST(DmnImporter, AcceptsPrefixedDmn15Namespace) {
  auto d = ParseDmnXml(R"(<dmn:definitions xmlns:dmn="https://www.omg.org/spec/DMN/20230324/MODEL/"
      name="m" namespace="ns"><dmn:itemDefinition name="tAge"><dmn:typeRef>number</dmn:typeRef>
      <dmn:allowedValues><dmn:text>[0..150]</dmn:text></dmn:allowedValues></dmn:itemDefinition>
      </dmn:definitions>)");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->dmn_version, "1.5");
  ASSERT_EQ(d->item_definitions.size(), 1u);
  EXPECT_EQ(d->item_definitions[0].type_ref, "number");
  EXPECT_EQ(d->item_definitions[0].allowed_values, "[0..150]");
}

TEST(DmnImporter, StripsQNamePrefixesFromTypeRefs) {
  auto d = ParseDmnXml(testing::Dmn13(
      R"(<inputData id="a" name="a"><variable name="a" typeRef="feel:string"/></inputData>)"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->inputs[0].type_ref, "string");
}

TEST(DmnImporter, RejectsMalformedXmlAndWrongRoot) {
  auto bad = ParseDmnXml("<definitions>\n  <decision>\n</definitions>");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind("DMN XML 3:", 0), 0u) << bad.error().message();
  auto r = ParseDmnXml("<process/>");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("expected <definitions>"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::dmn
