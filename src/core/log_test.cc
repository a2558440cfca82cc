#include "core/log.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace amtsweg::core {
namespace {

TEST(Log, JsonLineCarriesFields) {
  std::string line = FormatLogLine(LogFormat::kJson, LogLevel::kInfo, "request",
                                   {{"method", "GET"}, {"status", "200"}});
  auto j = ParseJson(line);
  ASSERT_TRUE(j.ok()) << line;
  EXPECT_EQ((*j)["msg"], "request");
  EXPECT_EQ((*j)["level"], "info");
  EXPECT_EQ((*j)["method"], "GET");
  EXPECT_TRUE((*j)["ts"].get<std::string>().ends_with("Z"));
}

TEST(Log, HumanLineQuotesValuesWithSpaces) {
  std::string line = FormatLogLine(LogFormat::kHuman, LogLevel::kWarn, "slow", {{"path", "/a b"}, {"ms", "12"}});
  EXPECT_NE(line.find(" WARN slow path=\"/a b\" ms=12"), std::string::npos) << line;
}

TEST(Log, ParsesLevelsAndRejectsUnknown) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  auto bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("verbose"), std::string::npos);
}

TEST(Log, LevelFiltersLines) {
  InitLogging(LogLevel::kWarn, LogFormat::kHuman);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  InitLogging(LogLevel::kInfo, LogFormat::kHuman);
}

}  // namespace
}  // namespace amtsweg::core
