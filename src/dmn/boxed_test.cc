// Boxed expressions other than decision tables: context, relation, list,
// invocation, function definition, and the DMN 1.5 conditional, iterators
// and filter.
#include <gtest/gtest.h>

#include "dmn/engine.h"
#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

std::string Eval(const std::string& decision_body, const feel::Context& in = {}) {
  auto e = ImportDmn(testing::Dmn13("<decision id=\"d\" name=\"D\">" + decision_body + "</decision>"));
  if (!e.ok()) return "IMPORT: " + e.error().message();
  if (!(*e)->problems().empty()) return "PROBLEM: " + (*e)->problems()[0];
  return (*e)->EvaluateDecision("D", in).value.DebugString();
}

std::string Lit(const std::string& text) {
  return "<literalExpression><text>" + text + "</text></literalExpression>";
}

TEST(DmnBoxed, ContextWithResultEntry) {
  EXPECT_EQ(Eval("<context><contextEntry><variable name=\"a\"/>" + Lit("2") +
                 "</contextEntry><contextEntry>" + Lit("a * a") + "</contextEntry></context>"),
            "4");
}

TEST(DmnBoxed, ContextEntryTypeIsEnforced) {
  EXPECT_EQ(Eval("<context><contextEntry><variable name=\"a\" typeRef=\"string\"/>" + Lit("2") +
                 "</contextEntry></context>"),
            "{\"a\": null}");
}

TEST(DmnBoxed, RelationIsAListOfContexts) {
  EXPECT_EQ(Eval("<relation><column name=\"n\"/><column name=\"sq\"/><row>" + Lit("1") + Lit("1") +
                 "</row><row>" + Lit("2") + Lit("4") + "</row></relation>"),
            "[{\"n\": 1, \"sq\": 1}, {\"n\": 2, \"sq\": 4}]");
}

TEST(DmnBoxed, ListOfExpressions) {
  EXPECT_EQ(Eval("<list>" + Lit("1 + 1") + Lit("\"x\"") + Lit("null") + "</list>"), "[2, \"x\", null]");
}

TEST(DmnBoxed, FunctionDefinitionInContextCalledByInvocation) {
  EXPECT_EQ(Eval("<context><contextEntry><variable name=\"sq\"/><functionDefinition>"
                 "<formalParameter name=\"x\" typeRef=\"number\"/>" +
                 Lit("x * x") +
                 "</functionDefinition></contextEntry><contextEntry><invocation>" + Lit("sq") +
                 "<binding><parameter name=\"x\"/>" + Lit("7") + "</binding></invocation></contextEntry></context>"),
            "49");
}

TEST(DmnBoxed, InvocationWithMissingBindingPassesNull) {
  EXPECT_EQ(Eval("<context><contextEntry><variable name=\"f\"/><functionDefinition>"
                 "<formalParameter name=\"a\"/><formalParameter name=\"b\"/>" +
                 Lit("b = null") +
                 "</functionDefinition></contextEntry><contextEntry><invocation>" + Lit("f") +
                 "<binding><parameter name=\"a\"/>" + Lit("1") + "</binding></invocation></contextEntry></context>"),
            "true");
}

TEST(DmnBoxed, ConditionalIteratorsAndFilter) {
  EXPECT_EQ(Eval("<conditional><if>" + Lit("1 &gt; 2") + "</if><then>" + Lit("\"a\"") + "</then><else>" +
                 Lit("\"b\"") + "</else></conditional>"),
            "\"b\"");
  EXPECT_EQ(Eval("<for iteratorVariable=\"x\"><in>" + Lit("[1, 2, 3]") + "</in><return>" + Lit("x * 2") +
                 "</return></for>"),
            "[2, 4, 6]");
  EXPECT_EQ(Eval("<some iteratorVariable=\"x\"><in>" + Lit("[1, 2, 3]") + "</in><satisfies>" + Lit("x &gt; 2") +
                 "</satisfies></some>"),
            "true");
  EXPECT_EQ(Eval("<every iteratorVariable=\"x\"><in>" + Lit("[1, 2, 3]") + "</in><satisfies>" +
                 Lit("x &gt; 2") + "</satisfies></every>"),
            "false");
  EXPECT_EQ(Eval("<filter><in>" + Lit("[{a: 1}, {a: 5}]") + "</in><match>" + Lit("a &gt; 2") +
                 "</match></filter>"),
            "[{\"a\": 5}]");
}

TEST(DmnBoxed, JavaFunctionsAreReportedNotRun) {
  EXPECT_EQ(Eval("<context><contextEntry><variable name=\"f\"/><functionDefinition kind=\"Java\">"
                 "<formalParameter name=\"x\"/></functionDefinition></contextEntry><contextEntry>" +
                 Lit("f(1)") + "</contextEntry></context>"),
            "null");
}

TEST(DmnBoxed, UnsupportedElementIsAProblem) {
  auto e = ImportDmn(testing::Dmn13("<decision id=\"u\" name=\"U\"><literalExpression><text>1</text>"
                                    "</literalExpression></decision><decision id=\"v\" name=\"V\"><someFutureBox/></decision>"));
  ASSERT_TRUE(e.ok());
  // An unknown child is not an expression: V has no logic and yields null.
  EXPECT_TRUE((*e)->EvaluateDecision("V", {}).value.is_null());
  EXPECT_EQ((*e)->EvaluateDecision("U", {}).value.DebugString(), "1");
}

}  // namespace
}  // namespace amtsweg::dmn
