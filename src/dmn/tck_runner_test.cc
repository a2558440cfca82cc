// The TCK runner on a small synthetic case folder, independent of the
// conformance data: counting, errorResult, skipping, report lines.
#include "dmn/tck_runner.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "dmn/test_models.h"

namespace amtsweg::dmn {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class TckRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("aw_tck_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::path c = root_ / "compliance-level-2" / "0001-sample";
    Write(c / "0001-sample.dmn", testing::Dmn13(R"(
      <inputData id="i" name="Name"><variable name="Name" typeRef="string"/></inputData>
      <decision id="d" name="Greeting"><informationRequirement><requiredInput href="#i"/></informationRequirement>
        <literalExpression><text>"Hello " + Name</text></literalExpression></decision>
      <decision id="e" name="Broken"><literalExpression><text>1 / 0</text></literalExpression></decision>
      <decision id="c" name="Person"><context>
        <contextEntry><variable name="n"/><literalExpression><text>1.0</text></literalExpression></contextEntry>
        <contextEntry><variable name="tags"/><literalExpression><text>["a"]</text></literalExpression></contextEntry>
      </context></decision>)"));
    Write(c / "0001-sample-test-01.xml", R"(<?xml version="1.0"?>
<testCases xmlns="http://www.omg.org/spec/DMN/20160719/testcase"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <modelName>0001-sample.dmn</modelName>
  <testCase id="001">
    <inputNode name="Name"><value xsi:type="xsd:string">Ada</value></inputNode>
    <resultNode name="Greeting"><expected><value xsi:type="xsd:string">Hello Ada</value></expected></resultNode>
    <resultNode name="Broken" errorResult="true"><expected><value xsi:nil="true"/></expected></resultNode>
    <resultNode name="Person"><expected>
      <component name="n"><value xsi:type="xsd:decimal">1</value></component>
      <component name="tags"><list><item><value xsi:type="xsd:string">a</value></item></list></component>
    </expected></resultNode>
  </testCase>
  <testCase id="002">
    <inputNode name="Name"><value xsi:type="xsd:string">Bob</value></inputNode>
    <resultNode name="Greeting"><expected><value xsi:type="xsd:string">Hello Ada</value></expected></resultNode>
  </testCase>
</testCases>)");
    fs::path skip = root_ / "compliance-level-3" / "0076-feel-external-java";
    Write(skip / "0076-feel-external-java-test-01.xml", R"(<testCases xmlns="http://www.omg.org/spec/DMN/20160719/testcase">
  <modelName>missing.dmn</modelName>
  <testCase id="1"><resultNode name="x"/><resultNode name="y"/></testCase></testCases>)");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(TckRunnerTest, CountsPassesFailuresAndSkips) {
  std::ostringstream report;
  TckSummary s = RunTck(root_.string(), report);
  EXPECT_EQ(s.passed, 3);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.skipped, 2);
  EXPECT_EQ(s.passed_expecting_null, 1);
  EXPECT_EQ(s.per_level["compliance-level-2"].passed, 3);
  EXPECT_EQ(s.per_level["compliance-level-3"].skipped, 2);
  std::string text = report.str();
  EXPECT_NE(text.find("FAIL compliance-level-2/0001-sample/002/Greeting: expected \"Hello Ada\", got \"Hello Bob\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SKIP compliance-level-3/0076-feel-external-java (2 results)"), std::string::npos) << text;
  // The last line is the summary.
  EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1), "3 passed, 1 failed, 2 skipped\n");
}

TEST_F(TckRunnerTest, RunsASingleCaseFolder) {
  std::ostringstream report;
  TckSummary s = RunTck((root_ / "compliance-level-2" / "0001-sample").string(), report);
  EXPECT_EQ(s.passed + s.failed, 4);
  EXPECT_EQ(s.per_level.count("compliance-level-2"), 1u);
}

TEST(TckRunner, MissingDirectoryCountsNothing) {
  std::ostringstream report;
  TckSummary s = RunTck("/nonexistent/amtsweg/tck", report);
  EXPECT_EQ(s.passed + s.failed + s.skipped, 0);
  EXPECT_NE(report.str().find("0 passed, 0 failed, 0 skipped"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::dmn
