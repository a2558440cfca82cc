// Google Benchmark for FEEL: compile cost and evaluation of typical
// expressions (arithmetic on decimals, a filter, a date computation).
#include <benchmark/benchmark.h>

#include "feel/evaluator.h"

namespace amtsweg::feel {
namespace {

const char* kExpressions[] = {
    "Monthly Income * 12 - Deductions / 2",
    "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10][item > 5]",
    "date(\"2026-11-27\") + duration(\"P1M\") > date(Date of Birth)",
    "if Monthly Income > 1000 and Deductions < 200 then \"A\" else \"B\"",
    "sum(for i in 1..20 return i * Monthly Income)",
};

ScopePtr Vars() {
  Context c;
  c.Put("Monthly Income", Value::Number(*Decimal::Parse("2345.67")));
  c.Put("Deductions", Value::Number(123));
  c.Put("Date of Birth", Value::String("1990-05-01"));
  return ScopeOf(c);
}

CompileOptions Options() {
  CompileOptions o;
  o.names.Add("Monthly Income");
  o.names.Add("Date of Birth");
  o.names.Add("Deductions");
  return o;
}

void BM_Compile(benchmark::State& state) {
  CompileOptions o = Options();
  const char* text = kExpressions[state.range(0)];
  for (auto _ : state) {
    auto e = CompileExpression(text, o);
    benchmark::DoNotOptimize(e);
  }
}

void BM_Evaluate(benchmark::State& state) {
  auto e = CompileExpression(kExpressions[state.range(0)], Options());
  if (!e.ok()) {
    state.SkipWithError(e.error().message().c_str());
    return;
  }
  ScopePtr vars = Vars();
  for (auto _ : state) {
    EvalState st;
    Value v = e->Evaluate(vars, st);
    benchmark::DoNotOptimize(v);
  }
}

BENCHMARK(BM_Compile)->DenseRange(0, 4);
BENCHMARK(BM_Evaluate)->DenseRange(0, 4);

}  // namespace
}  // namespace amtsweg::feel

BENCHMARK_MAIN();
