// Round-trip property of the parser: print(parse(print(parse(x)))) equals
// print(parse(x)) for every expression of the data-driven tests and for
// generated inputs that parse.
#include "feel/printer.h"

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "feel/parser.h"

namespace amtsweg::feel {
namespace {

// Returns "" when `text` does not parse.
std::string Canonical(const std::string& text, bool tests = false) {
  auto n = tests ? ParseUnaryTests(text, NameSet()) : ParseExpression(text, NameSet());
  return n.ok() ? Print(**n) : "";
}

void ExpectRoundTrip(const std::string& text, bool tests = false) {
  std::string once = Canonical(text, tests);
  if (once.empty()) return;
  EXPECT_EQ(Canonical(once, tests), once) << "input: " << text;
}

TEST(FeelPrinter, PrintsFullyParenthesised) {
  EXPECT_EQ(Canonical("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(Canonical("{a b: 1, c: a b}.c"), "({\"a b\": 1, \"c\": a b}).c");
  EXPECT_EQ(Canonical("for i in 1..3 return i"), "(for i in 1..3 return i)");
  EXPECT_EQ(Canonical("< 10, [1..2]", true), "(< 10), [1..2]");
}

TEST(FeelPrinter, RoundTripsTheDataDrivenCases) {
  std::filesystem::path dir = std::filesystem::path(AW_FEEL_SOURCE_DIR) / "testdata";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      size_t arrow = line.rfind(" ==> ");
      if (arrow == std::string::npos) continue;
      ExpectRoundTrip(line.substr(0, arrow));
      ++n;
    }
  }
  EXPECT_GT(n, 100);
}

TEST(FeelPrinter, RoundTripsGeneratedExpressions) {
  static const char* kAtoms[] = {"1", "x", "\"s\"", "null", "true", "[1, 2]", "{a: 1}", "@\"P1D\"", "[1..2)"};
  static const char* kOps[] = {" + ", " - ", " * ", " / ", " ** ", " and ", " or ", " = ", " < ",
                               " between 1 and ", " in "};
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s = kAtoms[rng() % 9];
    int n = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < n; ++k) {
      switch (rng() % 5) {
        case 0: s = "(" + s + ")"; break;
        case 1: s = "if " + s + " then 1 else " + kAtoms[rng() % 9]; break;
        case 2: s = "[" + s + "][1]"; break;
        default: s += std::string(kOps[rng() % 11]) + kAtoms[rng() % 9];
      }
    }
    ExpectRoundTrip(s);
    ExpectRoundTrip(s, true);
  }
}

}  // namespace
}  // namespace amtsweg::feel
