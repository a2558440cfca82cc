// Google Benchmark for the DMN engine: a 100-rule, 5-input decision table
// (the target: >= 200,000 evaluations per second on one core) and a
// small DRG with a BKM invocation.
#include <string>

#include <benchmark/benchmark.h>

#include "dmn/bench_models.h"
#include "dmn/engine.h"

namespace amtsweg::dmn {
namespace {

void Run(benchmark::State& state, const char* hit, int amount) {
  auto e = ImportDmn(HundredRuleTable(hit));
  if (!e.ok()) {
    state.SkipWithError(e.error().message().c_str());
    return;
  }
  feel::Context in;
  in.Put("amount", feel::Value::Number(amount));
  in.Put("kind", feel::Value::String("k2"));
  in.Put("age", feel::Value::Number(70));
  in.Put("district", feel::Value::String("Mitte"));
  in.Put("urgent", feel::Value::Bool(true));
  for (auto _ : state) {
    EvalResult r = (*e)->EvaluateDecision("Fee", in);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

// Worst case for FIRST: no rule matches, all 100 rules are tested.
void BM_Table100x5_First_NoMatch(benchmark::State& state) { Run(state, "FIRST", 5000); }
// A match in the middle of the table.
void BM_Table100x5_First_Match(benchmark::State& state) { Run(state, "FIRST", 505); }
void BM_Table100x5_Collect(benchmark::State& state) { Run(state, "COLLECT", 505); }

BENCHMARK(BM_Table100x5_First_NoMatch);
BENCHMARK(BM_Table100x5_First_Match);
BENCHMARK(BM_Table100x5_Collect);

}  // namespace
}  // namespace amtsweg::dmn

BENCHMARK_MAIN();
