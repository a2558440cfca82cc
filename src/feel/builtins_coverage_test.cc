// One case per built-in function (at least), plus null propagation for all of
// them. The coverage test fails when a built-in is added without a case here.
#include <set>

#include <gtest/gtest.h>

#include "feel/builtins.h"
#include "feel/test_util.h"

namespace amtsweg::feel {
namespace {

using testing::Eval;

struct Case {
  const char* fn;
  const char* expr;
  const char* expected;
};

const Case kCases[] = {
    {"abs", "abs(-1.5)", "1.5"},
    {"after", "after(10, 1)", "true"},
    {"all", "all(true, true)", "true"},
    {"any", "any([false, null, true])", "true"},
    {"append", "append([], 1)", "[1]"},
    {"before", "before(1, [2..3])", "true"},
    {"ceiling", "ceiling(-1.5)", "-1"},
    {"coincides", "coincides(5, 5)", "true"},
    {"concatenate", "concatenate([1], [])", "[1]"},
    {"contains", "contains(\"abc\", \"b\")", "true"},
    {"context", "context([{key: \"k\", value: null}])", "{\"k\": null}"},
    {"context merge", "context merge([{a: 1}, {a: 2}])", "{\"a\": 2}"},
    {"context put", "context put({}, \"a\", 1)", "{\"a\": 1}"},
    {"count", "count([])", "0"},
    {"date", "date(date and time(\"2020-01-02T03:04:05\"))", "date(\"2020-01-02\")"},
    {"date and time", "date and time(\"2020-01-02T03:04:05@Europe/Berlin\")",
     "date and time(\"2020-01-02T03:04:05@Europe/Berlin\")"},
    {"day of week", "day of week(date(\"2026-11-27\"))", "\"Friday\""},
    {"day of year", "day of year(date(\"2020-12-31\"))", "366"},
    {"decimal", "decimal(0.505, 2)", "0.5"},
    {"distinct values", "distinct values([1, 1.0, \"1\"])", "[1, \"1\"]"},
    {"duration", "duration(\"-PT90M\")", "duration(\"-PT1H30M\")"},
    {"during", "during(5, [1..5])", "true"},
    {"ends with", "ends with(\"abc\", \"\")", "true"},
    {"even", "even(-2)", "true"},
    {"exp", "exp(0)", "1"},
    {"finished by", "finished by([1..5], 5)", "true"},
    {"finishes", "finishes([3..5], [1..5])", "true"},
    {"flatten", "flatten([[], [[]]])", "[]"},
    {"floor", "floor(1.567, 2)", "1.56"},
    {"get entries", "get entries({})", "[]"},
    {"get value", "get value({a b: 1}, \"a b\")", "1"},
    {"includes", "includes([1..5], [2..3])", "true"},
    {"index of", "index of([\"a\"], \"b\")", "[]"},
    {"insert before", "insert before([2], 1, 1)", "[1, 2]"},
    {"is", "is(date(\"2020-01-01\"), date(\"2020-01-01\"))", "true"},
    {"list contains", "list contains([null], null)", "true"},
    {"list replace", "list replace([1, 2], function(item, newItem) item > 1, 0)", "[1, 0]"},
    {"log", "decimal(log(2.718281828459045), 6)", "1"},
    {"lower case", "lower case(\"\\u00C4B\")", "\"\\u00e4b\""},
    {"matches", "matches(\"Hello\", \"^h\", \"i\")", "true"},
    {"max", "max([date(\"2020-01-01\"), date(\"2021-01-01\")])", "date(\"2021-01-01\")"},
    {"mean", "mean(1, 2)", "1.5"},
    {"median", "median([])", "null"},
    {"meets", "meets([1..5), [5..8])", "false"},
    {"met by", "met by([5..8], [1..5])", "true"},
    {"min", "min(\"b\", \"a\")", "\"a\""},
    {"mode", "mode([])", "[]"},
    {"modulo", "modulo(10, 0)", "null"},
    {"month of year", "month of year(date(\"2020-02-01\"))", "\"February\""},
    {"not", "not(false)", "true"},
    {"now", "now() instance of date and time", "true"},
    {"number", "number(\"1,000.5\", \",\", \".\")", "1000.5"},
    {"odd", "odd(2.5)", "false"},
    {"overlaps", "overlaps([1..3], [4..5])", "false"},
    {"overlaps after", "overlaps after([3..8], [1..5])", "true"},
    {"overlaps before", "overlaps before([1..5], [5..8])", "true"},
    {"product", "product(2, 3)", "6"},
    {"range", "range(\"(1..2]\").start included", "false"},
    {"remove", "remove([1, 2], -1)", "[1]"},
    {"replace", "replace(\"a.b\", \".\", \"-\", \"q\")", "\"a-b\""},
    {"reverse", "reverse([])", "[]"},
    {"round down", "round down(-1.99, 1)", "-1.9"},
    {"round half down", "round half down(1.125, 2)", "1.12"},
    {"round half up", "round half up(1.125, 2)", "1.13"},
    {"round up", "round up(1.01, 1)", "1.1"},
    {"sort", "sort([\"b\", \"a\"])", "[\"a\", \"b\"]"},
    {"split", "split(\"a,b,\", \",\")", "[\"a\", \"b\", \"\"]"},
    {"sqrt", "sqrt(2) * sqrt(2) = 2", "true"},
    {"started by", "started by([1..5], 1)", "true"},
    {"starts", "starts([1..3], [1..5])", "true"},
    {"starts with", "starts with(\"abc\", \"abcd\")", "false"},
    {"stddev", "stddev(1)", "null"},
    {"string", "string([1, \"a\"])", "\"[1, a]\""},
    {"string join", "string join([\"a\", \"b\"])", "\"ab\""},
    {"string length", "string length(\"\")", "0"},
    {"sublist", "sublist([1, 2, 3], -2, 1)", "[2]"},
    {"substring", "substring(\"\\U01F40Eab\", 2)", "\"ab\""},
    {"substring after", "substring after(\"abc\", \"x\")", "\"\""},
    {"substring before", "substring before(\"abc\", \"c\")", "\"ab\""},
    {"sum", "sum([])", "null"},
    {"time", "time(date and time(\"2020-01-01T10:00:00+02:00\"))", "time(\"10:00:00+02:00\")"},
    {"today", "today() instance of date", "true"},
    {"union", "union([1], [1, 2])", "[1, 2]"},
    {"upper case", "upper case(\"stra\\u00dfe\")", "\"STRASSE\""},
    {"week of year", "week of year(date(\"2005-01-01\"))", "53"},
    {"years and months duration",
     "years and months duration(date(\"2020-03-31\"), date(\"2020-02-29\"))", "duration(\"-P1M\")"},
};

TEST(FeelBuiltinCoverage, EveryBuiltinHasACase) {
  std::set<std::string> covered;
  for (const Case& c : kCases) covered.insert(c.fn);
  for (const std::string& name : BuiltinFunctionNames()) {
    EXPECT_TRUE(covered.count(name)) << "no test case for built-in '" << name << "'";
  }
}

TEST(FeelBuiltinCoverage, EachCaseGivesItsExpectedValue) {
  for (const Case& c : kCases) {
    // Expected texts use FEEL escapes; compare through FEEL's own evaluation.
    std::string expected = Eval(c.expected);
    EXPECT_EQ(Eval(c.expr), expected) << c.fn << ": " << c.expr;
  }
}

TEST(FeelBuiltinCoverage, NullArgumentsGiveNull) {
  for (const std::string& name : BuiltinFunctionNames()) {
    if (name == "is" || name == "now" || name == "today") continue;
    const Value* f = FindBuiltin(name);
    ASSERT_NE(f, nullptr);
    size_t arity = std::max<size_t>(1, f->as_function()->signatures[0].required);
    std::string call = "(" + name + ")(";
    std::string call_text = name + "(";
    for (size_t i = 0; i < arity; ++i) call_text += i ? ", null" : "null";
    call_text += ")";
    (void)call;
    EXPECT_EQ(Eval(call_text), "null") << call_text;
  }
}

}  // namespace
}  // namespace amtsweg::feel
