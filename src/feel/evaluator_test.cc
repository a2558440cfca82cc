#include "feel/evaluator.h"

#include <gtest/gtest.h>

#include "feel/test_util.h"

namespace amtsweg::feel {
namespace {

using testing::Eval;

TEST(FeelEval, DecimalArithmetic) {
  EXPECT_EQ(Eval("0.1 + 0.2 = 0.3"), "true");
  EXPECT_EQ(Eval("0.1 + 0.2"), "0.3");
  EXPECT_EQ(Eval("1 / 3"), "0.3333333333333333333333333333333333");
  EXPECT_EQ(Eval("10 / 4"), "2.5");
  EXPECT_EQ(Eval("2 ** 3"), "8");
  EXPECT_EQ(Eval("-(1 + 2)"), "-3");
  EXPECT_EQ(Eval("\"a\" + \"b\""), "\"ab\"");
}

TEST(FeelEval, InvalidOperationsYieldNullWithWarning) {
  std::vector<std::string> w;
  auto v = EvaluateText("1 + \"a\"", {}, &w);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_null());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("invalid operation"), std::string::npos);
  EXPECT_EQ(Eval("1 / 0"), "null");
  EXPECT_EQ(Eval("null + 1"), "null");
}

TEST(FeelEval, NullComparisonSemantics) {
  EXPECT_EQ(Eval("null = null"), "true");
  EXPECT_EQ(Eval("1 = null"), "false");
  EXPECT_EQ(Eval("1 != null"), "true");
  EXPECT_EQ(Eval("1 < null"), "null");
  EXPECT_EQ(Eval("1 = \"1\""), "null");
}

TEST(FeelEval, TernaryLogic) {
  EXPECT_EQ(Eval("true and null"), "null");
  EXPECT_EQ(Eval("false and null"), "false");
  EXPECT_EQ(Eval("true or null"), "true");
  EXPECT_EQ(Eval("false or null"), "null");
  EXPECT_EQ(Eval("false or 5"), "null");
}

TEST(FeelEval, TextualExpressionAsRightOperand) {
  // conjunction = expression "and" expression: the right operand may be a
  // quantified, if or for expression, which extends to the end.
  EXPECT_EQ(Eval("true and some x in [1, 2] satisfies x > 1"), "true");
  EXPECT_EQ(Eval("false or every x in [1, 2] satisfies x > 1"), "false");
  EXPECT_EQ(Eval("1 + if true then 1 else 2"), "2");
  EXPECT_EQ(Eval("1 + if false then 1 else 2 * 10"), "21");  // the else branch takes `2 * 10`
  EXPECT_EQ(Eval("[2, 4] = for y in [1, 2] return y * 2"), "true");
  EXPECT_EQ(Eval("[{a: 1, l: [1]}, {a: 2, l: [2]}][item.a > 0 and (some v in item.l satisfies v = 2)].a"), "[2]");
  EXPECT_EQ(Eval("[{a: 1, l: [1]}, {a: 2, l: [2]}][item.a > 0 and some v in item.l satisfies v = 2].a"), "[2]");
}

TEST(FeelEval, IfBetweenIn) {
  EXPECT_EQ(Eval("if 1 > 2 then \"a\" else \"b\""), "\"b\"");
  EXPECT_EQ(Eval("if null then 1 else 2"), "2");
  EXPECT_EQ(Eval("5 between 1 and 10"), "true");
  EXPECT_EQ(Eval("5 in [1..5)"), "false");
  EXPECT_EQ(Eval("5 in (1, 5, 7)"), "true");
  EXPECT_EQ(Eval("5 in < 6"), "true");
  EXPECT_EQ(Eval("\"b\" in [\"a\", \"b\"]"), "true");
}

TEST(FeelEval, ForSomeEvery) {
  EXPECT_EQ(Eval("for i in [1, 2], j in [10, 20] return i * j"), "[10, 20, 20, 40]");
  EXPECT_EQ(Eval("for i in 1..4 return if i = 1 then 1 else i * partial[-1]"), "[1, 2, 6, 24]");
  EXPECT_EQ(Eval("some x in [1, 2, 3] satisfies x > 2"), "true");
  EXPECT_EQ(Eval("every x in [1, 2, 3] satisfies x > 2"), "false");
}

TEST(FeelEval, FiltersAndPaths) {
  EXPECT_EQ(Eval("[1, 2, 3, 4][item > 2]"), "[3, 4]");
  EXPECT_EQ(Eval("[1, 2, 3][-1]"), "3");
  EXPECT_EQ(Eval("[1, 2, 3][5]"), "null");
  EXPECT_EQ(Eval("[{a: 1}, {a: 2}][a > 1].a"), "[2]");
  EXPECT_EQ(Eval("{x: {y: 5}}.x.y"), "5");
  EXPECT_EQ(Eval("date(\"2020-03-04\").month"), "3");
  EXPECT_EQ(Eval("[1..5].start included"), "true");
}

TEST(FeelEval, ContextsSeeEarlierEntries) {
  EXPECT_EQ(Eval("{a: 1, b: a + 1}"), "{\"a\": 1, \"b\": 2}");
  EXPECT_EQ(Eval("{a: 1, a: 2}"), "null");
}

TEST(FeelEval, UserFunctionsNamedParametersAndRecursion) {
  EXPECT_EQ(Eval("{f: function(a, b) a - b, r: f(b: 1, a: 5)}.r"), "4");
  EXPECT_EQ(Eval("{fact: function(n) if n <= 1 then 1 else n * fact(n - 1), r: fact(5)}.r"), "120");
  EXPECT_EQ(Eval("(function(x: number) x * 2)(\"a\")"), "null");
}

TEST(FeelEval, MultiWordVariables) {
  Context vars;
  vars.Put("Date of Birth", Value::OfDate(*ParseDate("2000-05-01")));
  vars.Put("income/month", Value::Number(1000));
  EXPECT_EQ(Eval("Date of Birth.year", vars), "2000");
  EXPECT_EQ(Eval("income/month * 12", vars), "12000");
}

TEST(FeelEval, TemporalArithmetic) {
  EXPECT_EQ(Eval("date(\"2021-01-31\") + duration(\"P1M\")"), "date(\"2021-02-28\")");
  EXPECT_EQ(Eval("date(\"2021-03-01\") - date(\"2021-02-01\")"), "duration(\"P28D\")");
  EXPECT_EQ(Eval("@\"2021-01-01T10:00:00+01:00\" = @\"2021-01-01T09:00:00Z\""), "true");
  EXPECT_EQ(Eval("@\"P1D\" * 2"), "duration(\"P2D\")");
  EXPECT_EQ(Eval("@\"P1Y\" / @\"P1M\""), "12");
  EXPECT_EQ(Eval("time(\"23:00:00\") + @\"PT2H\""), "time(\"01:00:00\")");
  EXPECT_EQ(Eval("@\"2021-06-01T12:00:00@Europe/Berlin\" - @\"2021-06-01T10:00:00Z\""),
            "duration(\"PT0S\")");
}

TEST(FeelEval, InstanceOf) {
  EXPECT_EQ(Eval("1 instance of number"), "true");
  EXPECT_EQ(Eval("\"a\" instance of number"), "false");
  EXPECT_EQ(Eval("[1, 2] instance of list<number>"), "true");
  EXPECT_EQ(Eval("{a: 1} instance of context<a: number>"), "true");
  EXPECT_EQ(Eval("null instance of Any"), "false");
  EXPECT_EQ(Eval("@\"2020-01-01T00:00:00\" instance of date and time"), "true");
}

TEST(FeelEval, UnaryTests) {
  CompileOptions opts;
  auto t = CompileUnaryTests("< 10, [20..30], \"x\"", opts);
  ASSERT_TRUE(t.ok());
  EvalState st;
  EXPECT_TRUE(t->Test(Value::Number(5), nullptr, st).IsTrue());
  EXPECT_TRUE(t->Test(Value::Number(25), nullptr, st).IsTrue());
  EXPECT_FALSE(t->Test(Value::Number(15), nullptr, st).IsTrue());
  EXPECT_TRUE(t->Test(Value::String("x"), nullptr, st).IsTrue());
  auto n = CompileUnaryTests("not(\"a\", \"b\")", opts);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->Test(Value::String("c"), nullptr, st).IsTrue());
  EXPECT_FALSE(n->Test(Value::String("a"), nullptr, st).IsTrue());
  auto q = CompileUnaryTests("? > 5", opts);
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->Test(Value::Number(6), nullptr, st).IsTrue());
  auto b = CompileUnaryTests("true", opts);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->Test(Value::Bool(false), nullptr, st).IsTrue());
}

TEST(FeelEval, CompileOnceEvaluateMany) {
  CompileOptions opts;
  opts.names.Add("x");
  auto e = CompileExpression("x * 2", opts);
  ASSERT_TRUE(e.ok());
  for (int i = 0; i < 3; ++i) {
    Context c;
    c.Put("x", Value::Number(i));
    EvalState st;
    EXPECT_EQ(e->Evaluate(ScopeOf(c), st).DebugString(), std::to_string(i * 2));
  }
}

}  // namespace
}  // namespace amtsweg::feel

namespace amtsweg::feel {
namespace {

using testing::Eval;

TEST(FeelEvalTemporal, PropertiesOfDateTimesTimesAndDurations) {
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07+01:30\".hour"), "5");
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07+01:30\".minute"), "6");
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07+01:30\".second"), "7");
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07+01:30\".time offset"), "duration(\"PT1H30M\")");
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07@Europe/Berlin\".timezone"), "\"Europe/Berlin\"");
  EXPECT_EQ(Eval("@\"2021-03-04T05:06:07@Europe/Berlin\".time offset"), "duration(\"PT1H\")");
  EXPECT_EQ(Eval("@\"2021-03-04\".weekday"), "4");
  EXPECT_EQ(Eval("@\"P1Y14M\".years"), "2");
  EXPECT_EQ(Eval("@\"P1Y14M\".months"), "2");
  EXPECT_EQ(Eval("@\"P2DT25H61M\".days"), "3");
  EXPECT_EQ(Eval("@\"P2DT25H61M\".hours"), "2");
  EXPECT_EQ(Eval("@\"P2DT25H61M\".minutes"), "1");
  EXPECT_EQ(Eval("@\"10:00:00\".foo"), "null");
}

TEST(FeelEvalTemporal, ZonesAcrossDaylightSavingTime) {
  // One civil day across the spring switch in Berlin is 23 hours of real time.
  EXPECT_EQ(Eval("@\"2026-03-30T12:00:00@Europe/Berlin\" - @\"2026-03-29T12:00:00@Europe/Berlin\""),
            "duration(\"P1D\")");
  EXPECT_EQ(Eval("@\"2026-03-29T12:00:00@Europe/Berlin\" - @\"2026-03-28T12:00:00@Europe/Berlin\""),
            "duration(\"PT23H\")");
  EXPECT_EQ(Eval("@\"2026-03-28T12:00:00@Europe/Berlin\" + @\"P1D\""),
            "date and time(\"2026-03-29T12:00:00@Europe/Berlin\")");
  EXPECT_EQ(Eval("string(@\"2026-03-28T12:00:00@Europe/Berlin\")"),
            "\"2026-03-28T12:00:00@Europe/Berlin\"");
}

TEST(FeelEvalTemporal, LocalAndZonedValuesAreNotComparable) {
  EXPECT_EQ(Eval("@\"2021-01-01T10:00:00\" < @\"2021-01-01T10:00:00Z\""), "null");
  EXPECT_EQ(Eval("@\"2021-01-01T10:00:00\" = @\"2021-01-01T10:00:00Z\""), "false");
  EXPECT_EQ(Eval("@\"2021-01-01T10:00:00\" - @\"2021-01-01T10:00:00Z\""), "null");
}

TEST(FeelEvalTemporal, DurationArithmeticAndOrdering) {
  EXPECT_EQ(Eval("@\"P1Y\" > @\"P11M\""), "true");
  EXPECT_EQ(Eval("@\"PT1H\" = @\"PT60M\""), "true");
  EXPECT_EQ(Eval("@\"P1Y\" = @\"P365D\""), "null");
  EXPECT_EQ(Eval("@\"P1D\" / 4"), "duration(\"PT6H\")");
  EXPECT_EQ(Eval("@\"PT1H\" / @\"PT15M\""), "4");
  EXPECT_EQ(Eval("-@\"P1Y2M\""), "duration(\"-P1Y2M\")");
  EXPECT_EQ(Eval("@\"2020-02-29\" + @\"P1Y\""), "date(\"2021-02-28\")");
  EXPECT_EQ(Eval("@\"2020-02-29\" - @\"P1D\""), "date(\"2020-02-28\")");
  EXPECT_EQ(Eval("@\"P1D\" + @\"P1M\""), "null");
}

TEST(FeelEvalNumbers, ThirtyFourDigitsAndRounding) {
  EXPECT_EQ(Eval("1234567890123456789012345678901234 + 1"), "1234567890123456789012345678901235");
  EXPECT_EQ(Eval("1234567890123456789012345678901234 * 10 + 5"), "12345678901234567890123456789012340");
  EXPECT_EQ(Eval("0.1 * 3 = 0.3"), "true");
  EXPECT_EQ(Eval("1 / 3 * 3"), "0.9999999999999999999999999999999999");
  EXPECT_EQ(Eval("1 / 7 * 7"), "1");
  EXPECT_EQ(Eval("decimal(1 / 3 * 3, 10)"), "1");
  EXPECT_EQ(Eval("2 ** 0.5 > 1.414"), "true");
  EXPECT_EQ(Eval("10 ** 6145"), "null");
}

TEST(FeelEvalGrammar, NamesWithOperatorCharactersAndKeywords) {
  Context vars;
  vars.Put("Applicant's age", Value::Number(40));
  vars.Put("order-count", Value::Number(3));
  vars.Put("a+b", Value::Number(7));
  EXPECT_EQ(Eval("Applicant's age + 1", vars), "41");
  EXPECT_EQ(Eval("order-count * 2", vars), "6");
  EXPECT_EQ(Eval("a+b", vars), "7");
  EXPECT_EQ(Eval("{is eligible: true, result: is eligible and true}.result"), "true");
}

TEST(FeelEvalGrammar, CommentsAndWhitespace) {
  EXPECT_EQ(Eval("1 /* one */ + // plus\n 2"), "3");
  EXPECT_EQ(Eval("\n\t[ 1 ,\n 2 ]"), "[1, 2]");
}

TEST(FeelEvalGrammar, NestedFunctionsAndClosures) {
  EXPECT_EQ(Eval("{make: function(n) function(x) x + n, add2: make(2), r: add2(3)}.r"), "5");
  EXPECT_EQ(Eval("{f: function(a: number, b: string) string(a) + b}.f(1, \"x\")"), "\"1x\"");
  EXPECT_EQ(Eval("(function() 42)()"), "42");
  EXPECT_EQ(Eval("{f: function(x) x}.f(1, 2)"), "null");
}

TEST(FeelEvalGrammar, FiltersOnContextListsWithItem) {
  EXPECT_EQ(Eval("[{x: 1}, {x: 2}][item.x = 2]"), "[{\"x\": 2}]");
  EXPECT_EQ(Eval("[1, 2, 3][item >= 2][1]"), "2");
  EXPECT_EQ(Eval("5[item > 1]"), "[5]");
  EXPECT_EQ(Eval("null[1]"), "null");
}

}  // namespace
}  // namespace amtsweg::feel
