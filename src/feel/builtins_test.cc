#include "feel/builtins.h"

#include <gtest/gtest.h>

#include "feel/test_util.h"

namespace amtsweg::feel {
namespace {

using testing::Eval;

TEST(FeelBuiltins, Conversion) {
  EXPECT_EQ(Eval("date(2020, 2, 29)"), "date(\"2020-02-29\")");
  EXPECT_EQ(Eval("date(2019, 2, 29)"), "null");
  EXPECT_EQ(Eval("date(\"2012-12-25\")"), "date(\"2012-12-25\")");
  EXPECT_EQ(Eval("date and time(date(\"2020-01-01\"), time(\"10:00:00Z\"))"),
            "date and time(\"2020-01-01T10:00:00Z\")");
  EXPECT_EQ(Eval("time(10, 30, 0, duration(\"PT1H\"))"), "time(\"10:30:00+01:00\")");
  EXPECT_EQ(Eval("number(\"1 000,5\", \" \", \",\")"), "1000.5");
  EXPECT_EQ(Eval("string(1.10)"), "\"1.1\"");
  EXPECT_EQ(Eval("string(date(\"2020-01-01\"))"), "\"2020-01-01\"");
  EXPECT_EQ(Eval("duration(\"P1Y2M\")"), "duration(\"P1Y2M\")");
  EXPECT_EQ(Eval("years and months duration(date(\"2011-12-22\"), date(\"2013-08-24\"))"),
            "duration(\"P1Y8M\")");
  EXPECT_EQ(Eval("not(true)"), "false");
  EXPECT_EQ(Eval("not(1)"), "null");
}

TEST(FeelBuiltins, Strings) {
  EXPECT_EQ(Eval("substring(\"foobar\", 3)"), "\"obar\"");
  EXPECT_EQ(Eval("substring(\"foobar\", -2, 1)"), "\"a\"");
  EXPECT_EQ(Eval("string length(\"\\u00e4bc\")"), "3");
  EXPECT_EQ(Eval("upper case(\"aBc\")"), "\"ABC\"");
  EXPECT_EQ(Eval("lower case(\"ABC\")"), "\"abc\"");
  EXPECT_EQ(Eval("substring before(\"foobar\", \"bar\")"), "\"foo\"");
  EXPECT_EQ(Eval("substring after(\"foobar\", \"ob\")"), "\"ar\"");
  EXPECT_EQ(Eval("replace(\"abcd\", \"(ab)|(a)\", \"[1=$1][2=$2]\")"), "\"[1=ab][2=]cd\"");
  EXPECT_EQ(Eval("contains(\"foobar\", \"of\")"), "false");
  EXPECT_EQ(Eval("starts with(\"foobar\", \"fo\")"), "true");
  EXPECT_EQ(Eval("ends with(\"foobar\", \"r\")"), "true");
  EXPECT_EQ(Eval("matches(\"foobar\", \"^fo*b\")"), "true");
  EXPECT_EQ(Eval("split(\"John Doe\", \"\\s\")"), "[\"John\", \"Doe\"]");
  EXPECT_EQ(Eval("string join([\"a\", null, \"c\"], \"-\")"), "\"a-c\"");
}

TEST(FeelBuiltins, Lists) {
  EXPECT_EQ(Eval("list contains([1, 2], 2)"), "true");
  EXPECT_EQ(Eval("count([1, 2, 3])"), "3");
  EXPECT_EQ(Eval("min([3, 1, 2])"), "1");
  EXPECT_EQ(Eval("max(3, 1, 2)"), "3");
  EXPECT_EQ(Eval("sum([1, 2, 3])"), "6");
  EXPECT_EQ(Eval("mean([1, 2, 3])"), "2");
  EXPECT_EQ(Eval("all([true, false])"), "false");
  EXPECT_EQ(Eval("any([false, true])"), "true");
  EXPECT_EQ(Eval("sublist([1, 2, 3], 2)"), "[2, 3]");
  EXPECT_EQ(Eval("append([1], 2, 3)"), "[1, 2, 3]");
  EXPECT_EQ(Eval("concatenate([1], [2], [3])"), "[1, 2, 3]");
  EXPECT_EQ(Eval("insert before([1, 3], 2, 2)"), "[1, 2, 3]");
  EXPECT_EQ(Eval("remove([1, 2, 3], 2)"), "[1, 3]");
  EXPECT_EQ(Eval("reverse([1, 2, 3])"), "[3, 2, 1]");
  EXPECT_EQ(Eval("index of([1, 2, 3, 2], 2)"), "[2, 4]");
  EXPECT_EQ(Eval("union([1, 2], [2, 3])"), "[1, 2, 3]");
  EXPECT_EQ(Eval("distinct values([1, 2, 3, 2, 1])"), "[1, 2, 3]");
  EXPECT_EQ(Eval("flatten([[1, 2], [[3]], 4])"), "[1, 2, 3, 4]");
  EXPECT_EQ(Eval("product([2, 3, 4])"), "24");
  EXPECT_EQ(Eval("median([8, 2, 5, 3, 4])"), "4");
  EXPECT_EQ(Eval("median([6, 1, 2, 3])"), "2.5");
  EXPECT_EQ(Eval("mode([6, 3, 9, 6, 6])"), "[6]");
  EXPECT_EQ(Eval("sort([3, 1, 2], function(x, y) x > y)"), "[3, 2, 1]");
  EXPECT_EQ(Eval("list replace([1, 2, 3], 2, 9)"), "[1, 9, 3]");
  EXPECT_EQ(Eval("decimal(stddev([2, 4, 7, 5]), 10)"), "2.0816659995");
}

TEST(FeelBuiltins, Numeric) {
  EXPECT_EQ(Eval("decimal(1/3, 2)"), "0.33");
  EXPECT_EQ(Eval("decimal(2.5, 0)"), "2");
  EXPECT_EQ(Eval("floor(-1.5)"), "-2");
  EXPECT_EQ(Eval("ceiling(1.5)"), "2");
  EXPECT_EQ(Eval("round up(5.5, 0)"), "6");
  EXPECT_EQ(Eval("round down(-5.5, 0)"), "-5");
  EXPECT_EQ(Eval("round half up(-5.5, 0)"), "-6");
  EXPECT_EQ(Eval("round half down(5.5, 0)"), "5");
  EXPECT_EQ(Eval("abs(-10)"), "10");
  EXPECT_EQ(Eval("modulo(-12, 5)"), "3");
  EXPECT_EQ(Eval("sqrt(16)"), "4");
  EXPECT_EQ(Eval("odd(5)"), "true");
  EXPECT_EQ(Eval("even(5)"), "false");
  EXPECT_EQ(Eval("decimal(log(10), 4)"), "2.3026");
  EXPECT_EQ(Eval("decimal(exp(5), 4)"), "148.4132");
}

TEST(FeelBuiltins, Temporal) {
  EXPECT_EQ(Eval("day of year(date(2019, 9, 17))"), "260");
  EXPECT_EQ(Eval("day of week(date(2019, 9, 17))"), "\"Tuesday\"");
  EXPECT_EQ(Eval("month of year(date(2019, 9, 17))"), "\"September\"");
  EXPECT_EQ(Eval("week of year(date(2019, 9, 17))"), "38");
  EXPECT_EQ(Eval("is(time(\"10:00:00+01:00\"), time(\"09:00:00Z\"))"), "false");
  EXPECT_EQ(Eval("time(\"10:00:00+01:00\") = time(\"09:00:00Z\")"), "true");
  EXPECT_EQ(Eval("today() instance of date"), "true");
}

TEST(FeelBuiltins, NowAndTodayReadTheThreadsEvalClock) {
  // 2027-03-01T23:30:00.250Z in microseconds since the epoch.
  constexpr int64_t kMicros = 1'803'943'800'250'000;
  {
    EvalClock clock(kMicros);
    EXPECT_EQ(EvalClock::Current(), kMicros);
    EXPECT_EQ(Eval("string(now())"), "\"2027-03-01T23:30:00.25Z\"");
    EXPECT_EQ(Eval("today()"), "date(\"2027-03-01\")") << "the UTC date of the clock's instant";
    {
      EvalClock inner(kMicros + 86'400'000'000);
      EXPECT_EQ(Eval("today()"), "date(\"2027-03-02\")");
    }
    EXPECT_EQ(Eval("today()"), "date(\"2027-03-01\")") << "the outer clock again";
  }
  EXPECT_FALSE(EvalClock::Current().has_value());
}

TEST(FeelBuiltins, Ranges) {
  EXPECT_EQ(Eval("before(1, 10)"), "true");
  EXPECT_EQ(Eval("before([1..5], [6..8])"), "true");
  EXPECT_EQ(Eval("before([1..5], [5..8])"), "false");
  EXPECT_EQ(Eval("after([6..8], [1..5])"), "true");
  EXPECT_EQ(Eval("meets([1..5], [5..8])"), "true");
  EXPECT_EQ(Eval("overlaps([1..5], [3..8])"), "true");
  EXPECT_EQ(Eval("overlaps before([1..5], [3..8])"), "true");
  EXPECT_EQ(Eval("finishes(5, [1..5])"), "true");
  EXPECT_EQ(Eval("includes([1..10], 5)"), "true");
  EXPECT_EQ(Eval("during([3..4], [1..10])"), "true");
  EXPECT_EQ(Eval("starts(1, [1..5])"), "true");
  EXPECT_EQ(Eval("coincides([1..5], [1..5])"), "true");
  EXPECT_EQ(Eval("range(\"[18..21)\") = [18..21)"), "true");
}

TEST(FeelBuiltins, Contexts) {
  EXPECT_EQ(Eval("get value({a: 1}, \"a\")"), "1");
  EXPECT_EQ(Eval("get entries({a: 1})"), "[{\"key\": \"a\", \"value\": 1}]");
  EXPECT_EQ(Eval("context([{key: \"a\", value: 1}])"), "{\"a\": 1}");
  EXPECT_EQ(Eval("context put({a: 1}, \"b\", 2)"), "{\"a\": 1, \"b\": 2}");
  EXPECT_EQ(Eval("context put({a: {b: 1}}, [\"a\", \"b\"], 2)"), "{\"a\": {\"b\": 2}}");
  EXPECT_EQ(Eval("context merge([{a: 1}, {b: 2}, {a: 3}])"), "{\"a\": 3, \"b\": 2}");
}

TEST(FeelBuiltins, NamedInvocationOfBuiltins) {
  EXPECT_EQ(Eval("substring(start position: 2, string: \"abc\")"), "\"bc\"");
  EXPECT_EQ(Eval("decimal(n: 1.234, scale: 1)"), "1.2");
  EXPECT_EQ(Eval("substring(foo: 1)"), "null");
}

}  // namespace
}  // namespace amtsweg::feel
