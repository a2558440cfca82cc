// Data-driven FEEL tests: every file in feel/testdata/*.test becomes one
// GoogleTest (DuckDB-style: a new case is a new line or a new file).
// A line is `expression ==> expected`, where expected is a FEEL literal that
// is evaluated and compared by its rendering, or `ERROR L:C` for a compile
// error at line L, column C. Lines starting with # are comments.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "feel/evaluator.h"

namespace amtsweg::feel {
namespace {

std::vector<std::string> TestFiles() {
  std::vector<std::string> out;
  std::filesystem::path dir = std::filesystem::path(AW_FEEL_SOURCE_DIR) / "testdata";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".test") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Render(const std::string& text) {
  auto r = EvaluateText(text);
  if (!r.ok()) return "ERROR " + r.error().message();
  return r->DebugString();
}

class FeelTestData : public ::testing::TestWithParam<std::string> {};

TEST_P(FeelTestData, EveryLineHolds) {
  std::ifstream in(GetParam());
  ASSERT_TRUE(in) << GetParam();
  std::string line;
  int lineno = 0, cases = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    size_t arrow = line.rfind(" ==> ");
    ASSERT_NE(arrow, std::string::npos) << GetParam() << ":" << lineno << ": no ' ==> '";
    std::string expr = line.substr(0, arrow), expected = line.substr(arrow + 5);
    ++cases;
    if (expected.rfind("ERROR ", 0) == 0) {
      auto r = EvaluateText(expr);
      ASSERT_FALSE(r.ok()) << GetParam() << ":" << lineno << ": " << expr << " compiled";
      EXPECT_EQ(r.error().message().rfind(expected.substr(6) + ":", 0), 0u)
          << GetParam() << ":" << lineno << ": " << expr << " -> " << r.error().message();
      continue;
    }
    EXPECT_EQ(Render(expr), Render(expected)) << GetParam() << ":" << lineno << ": " << expr;
  }
  EXPECT_GT(cases, 0);
}

INSTANTIATE_TEST_SUITE_P(Files, FeelTestData, ::testing::ValuesIn(TestFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = std::filesystem::path(info.param).stem().string();
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(FeelTestDataFiles, Exist) { EXPECT_GE(TestFiles().size(), 10u); }

}  // namespace
}  // namespace amtsweg::feel
