// XES validated against the IEEE 1849-2016 XSD with xmllint (Debian
// libxml2-utils; skipped with the reason when absent), CSV per RFC 4180.
#include "analytics/export.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace amtsweg::analytics {
namespace {

namespace fs = std::filesystem;

Log SampleLog() {
  Log log;
  log.process_id = "permit";
  log.activities = {{"check", "Antrag prüfen & <freigeben>", "userTask"}, {"notify", "", "serviceTask"},
                    {"dup1", "Same", "task"}, {"dup2", "Same", "task"}};
  ActivityInstance check{0, 1'767'600'000'000, 1'767'600'060'000, false, 10, 50, std::nullopt, "anna"};
  ActivityInstance notify{1, 1'767'600'060'000, 1'767'600'061'500, false, -1, -1, std::nullopt, ""};
  ActivityInstance cancelled{2, 1'767'600'070'000, 1'767'600'080'000, true, -1, -1, std::nullopt, ""};
  ActivityInstance open{3, 1'767'600'090'000, -1, false, -1, -1, std::nullopt, ""};
  log.cases = {Case{"c-1", 1, 1'767'600'000'000, 1'767'600'061'500, "completed", {check, notify}},
               Case{"c,2", 2, 1'767'600'070'000, -1, "active", {cancelled, open}}};
  return log;
}

fs::path SchemasDir() {
  if (const char* env = std::getenv("AMTSWEG_SCHEMAS")) return env;
  return AMTSWEG_SCHEMAS_DIR;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `cmd`, returns its exit status and captures stdout+stderr in `out`.
int RunCommand(const std::string& cmd, std::string* out) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  return pclose(p);
}

TEST(Xes, ValidatesAgainstTheIeeeSchema) {
  fs::path xsd = SchemasDir() / "xes" / "xes-ieee-1849-2016.xsd";
  if (!fs::exists(xsd)) GTEST_SKIP() << "XES schema not found at " << xsd;
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xmllint (Debian libxml2-utils) is not installed";
  }
  fs::path dir = fs::temp_directory_path() / ("aw-xes-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // The IEEE XSD declares no target namespace; XES files (OpenXES, PM4Py and
  // ours) use http://www.xes-standard.org/, so validate against a copy with it.
  std::string schema = ReadFile(xsd);
  auto pos = schema.find("<xs:schema ");
  ASSERT_NE(pos, std::string::npos);
  schema.insert(pos + 11,
                "targetNamespace=\"http://www.xes-standard.org/\" xmlns=\"http://www.xes-standard.org/\" ");
  std::ofstream(dir / "xes.xsd") << schema;
  std::ofstream(dir / "log.xes") << ToXes(SampleLog());
  std::string out;
  int rc = RunCommand("xmllint --noout --schema " + (dir / "xes.xsd").string() + " " + (dir / "log.xes").string(), &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("validates"), std::string::npos) << out;

  // A broken document is refused by the same check (the check can fail).
  std::ofstream(dir / "bad.xes") << "<log xmlns=\"http://www.xes-standard.org/\" xes.version=\"1.0\"><trace><event>"
                                    "<date key=\"time:timestamp\" value=\"yesterday\"/></event></trace></log>";
  out.clear();
  EXPECT_NE(RunCommand("xmllint --noout --schema " + (dir / "xes.xsd").string() + " " + (dir / "bad.xes").string(), &out), 0);
  fs::remove_all(dir);
}

TEST(Xes, EventsLifecycleAndResources) {
  std::string xes = ToXes(SampleLog());
  EXPECT_NE(xes.find("<classifier name=\"Activity\" keys=\"concept:name\"/>"), std::string::npos);
  EXPECT_NE(xes.find("prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\""), std::string::npos);
  EXPECT_NE(xes.find("value=\"Antrag prüfen &amp; &lt;freigeben&gt;\""), std::string::npos);
  EXPECT_NE(xes.find("<string key=\"org:resource\" value=\"anna\"/>"), std::string::npos);
  EXPECT_NE(xes.find("<date key=\"time:timestamp\" value=\"2026-01-05T08:00:00.000Z\"/>"), std::string::npos);
  EXPECT_NE(xes.find("value=\"ate_abort\""), std::string::npos);
  // Duplicate names fall back to the element id.
  EXPECT_NE(xes.find("<string key=\"concept:name\" value=\"dup1\"/>"), std::string::npos);
  // 2 traces; events: 2 + 2 (case 1), 2 + 1 (case 2: the open one has only its start).
  size_t traces = 0, events = 0;
  for (size_t p = 0; (p = xes.find("<trace>", p)) != std::string::npos; ++p) traces++;
  for (size_t p = 0; (p = xes.find("<event>", p)) != std::string::npos; ++p) events++;
  EXPECT_EQ(traces, 2u);
  EXPECT_EQ(events, 7u);
}

TEST(Csv, Rfc4180Rows) {
  std::string csv = ToCsv(SampleLog());
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t p; (p = csv.find("\r\n", start)) != std::string::npos; start = p + 2) lines.push_back(csv.substr(start, p - start));
  EXPECT_EQ(start, csv.size());  // every line ends with CRLF
  ASSERT_EQ(lines.size(), 8u);   // header + 7 events
  EXPECT_EQ(lines[0],
            "case:concept:name,concept:name,lifecycle:transition,time:timestamp,org:resource,elementId,processVersion");
  EXPECT_EQ(lines[1], "c-1,Antrag prüfen & <freigeben>,start,2026-01-05T08:00:00.000Z,,check,1");
  EXPECT_EQ(lines[2], "c-1,Antrag prüfen & <freigeben>,complete,2026-01-05T08:01:00.000Z,anna,check,1");
  EXPECT_EQ(lines[5], "\"c,2\",dup1,start,2026-01-05T08:01:10.000Z,,dup1,2");
  EXPECT_EQ(lines[6], "\"c,2\",dup1,ate_abort,2026-01-05T08:01:20.000Z,,dup1,2");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("a\nb"), "\"a\nb\"");
  EXPECT_EQ(CsvField("plain"), "plain");
}

}  // namespace
}  // namespace amtsweg::analytics
