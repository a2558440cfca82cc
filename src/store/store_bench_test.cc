#include "store/store_bench.h"

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::store {
namespace {

// True when `text` has a line "<name> <runs> <int> <int> <int>".
bool HasScenarioLine(const std::string& text, const std::string& name, int runs) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string n, rest;
    long long r = -1, median = -1, p99 = -1, ops = -1;
    if (!(fields >> n >> r >> median >> p99 >> ops) || (fields >> rest)) continue;
    if (n == name && r == runs && median >= 0 && p99 >= median && ops > 0) return true;
  }
  return false;
}

TEST(StoreBench, PrintsOneStableLinePerScenario) {
  StoreBenchOptions o;
  o.sqlite_dir = (std::filesystem::temp_directory_path() / ("aw-bench-" + testing::RandomSuffix())).string();
  o.single_inserts = 5;
  o.group_inserts = 200;
  o.concurrency = 8;
  o.async_window = 16;
  o.runs = 1;
  std::ostringstream out;
  auto s = RunStoreBench(o, out);
  std::error_code ec;
  std::filesystem::remove_all(o.sqlite_dir, ec);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  std::string text = out.str();
  EXPECT_TRUE(HasScenarioLine(text, "sqlite_insert_single", 1)) << text;
  EXPECT_TRUE(HasScenarioLine(text, "sqlite_insert_group", 1)) << text;
  EXPECT_TRUE(HasScenarioLine(text, "sqlite_insert_group_async", 1)) << text;
  EXPECT_NE(text.find("vs_single"), std::string::npos) << text;
}

}  // namespace
}  // namespace amtsweg::store
