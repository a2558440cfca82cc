// Fuzz entry for the FEEL lexer, parser, compiler and evaluator
// (LLVMFuzzerTestOneInput, as DuckDB's test/ossfuzz). Built as a libFuzzer
// binary with clang (feel_parser_fuzz); fuzz_replay_test.cc replays the corpus
// and generated inputs in the normal suite.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feel/evaluator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace amtsweg::feel;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CompileOptions opts;
  opts.names.Add("Date of Birth");
  opts.names.Add("income/month");
  auto e = CompileExpression(text, opts);
  if (e.ok()) {
    EvalState st;
    st.budget = 10000;
    (void)e->Evaluate(nullptr, st);
  }
  auto t = CompileUnaryTests(text, opts);
  if (t.ok()) {
    EvalState st;
    st.budget = 10000;
    (void)t->Test(Value::Number(1), nullptr, st);
  }
  return 0;
}
