// Replays the fuzz corpus (feel/fuzz_corpus/*) and a deterministic stream of
// generated token soups through the fuzz entry: the parser and evaluator must
// never crash, hang or throw, and every syntax error names line:column.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "feel/evaluator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace amtsweg::feel {
namespace {

int FuzzOne(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(FeelFuzzReplay, CorpusFilesRunCleanly) {
  std::filesystem::path dir = std::filesystem::path(AW_FEEL_SOURCE_DIR) / "fuzz_corpus";
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(FuzzOne(ss.str()), 0) << e.path();
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(FeelFuzzReplay, GeneratedTokenSoupNeverCrashesAndErrorsHavePositions) {
  static const char* kFragments[] = {
      "1", "-", "+", "*", "/", "**", "(", ")", "[", "]", "{", "}", ",", ":", "..", ".", "?",
      "\"s\"", "\"", "x", "Date of Birth", "income/month", "if", "then", "else", "for", "in",
      "return", "some", "every", "satisfies", "and", "or", "not(", "between", "instance of",
      "number", "function", "(a)", "null", "true", "@\"2020-01-01\"", "@\"P1D\"", "date(",
      "sum(", "<", "<=", "=", "!=", ">", "item", " ", "\n", "//", "/*", "*/", "1.5", "list<",
      ">", "external", "\\u00e4", "@", "'", "#"};
  std::mt19937 rng(20261127);
  std::uniform_int_distribution<size_t> pick(0, sizeof(kFragments) / sizeof(kFragments[0]) - 1);
  std::uniform_int_distribution<int> len(1, 24);
  std::regex position("^[0-9]+:[0-9]+: [\\s\\S]*|^type: [\\s\\S]*|^unknown type [\\s\\S]*");
  for (int i = 0; i < 4000; ++i) {
    std::string s;
    int n = len(rng);
    for (int k = 0; k < n; ++k) {
      s += kFragments[pick(rng)];
      if (rng() % 2) s += ' ';
    }
    EXPECT_EQ(FuzzOne(s), 0);
    auto r = CompileExpression(s, CompileOptions());
    if (!r.ok()) {
      EXPECT_TRUE(std::regex_match(r.error().message(), position)) << s << " -> " << r.error().message();
    }
  }
}

TEST(FeelFuzzReplay, DeepNestingIsRejectedNotOverflowed) {
  std::string deep(100000, '(');
  EXPECT_EQ(FuzzOne(deep), 0);
  std::string minus(100000, '-');
  EXPECT_EQ(FuzzOne(minus + "1"), 0);
  std::string lists;
  for (int i = 0; i < 50000; ++i) lists += "[";
  EXPECT_EQ(FuzzOne(lists), 0);
  std::string types;
  for (int i = 0; i < 20000; ++i) types += "list<";
  EXPECT_EQ(FuzzOne("1 instance of " + types), 0);
}

TEST(FeelFuzzReplay, RunawayEvaluationStopsAtTheBudget) {
  auto e = CompileExpression("{f: function(x) f(x) + f(x)}.f(1)", CompileOptions());
  ASSERT_TRUE(e.ok());
  EvalState st;
  st.budget = 1000;
  EXPECT_TRUE(e->Evaluate(nullptr, st).is_null());
  ASSERT_FALSE(st.warnings().empty());
  bool budget_warned = false;
  for (const auto& w : st.warnings()) budget_warned = budget_warned || w.find("budget") != std::string::npos;
  EXPECT_TRUE(budget_warned);
}

}  // namespace
}  // namespace amtsweg::feel
