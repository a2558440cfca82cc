// Tests of the `amtsweg` command line, run against the real binary.
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/process_test_util.h"
#include "core/json.h"

namespace amtsweg::app {
namespace {

using testutil::HttpGet;
using testutil::RunAmtsweg;
using testutil::ServerProcess;
using testutil::TempDir;

std::string PgUrl() {
  const char* url = std::getenv("AMTSWEG_TEST_PG_URL");
  return url ? url : "";
}

int64_t SqliteCount(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

void SqliteExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

TEST(Cli, VersionPrintsVersionAndCommit) {
  auto r = RunAmtsweg({"version"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("amtsweg 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("commit"), std::string::npos) << r.out;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto r = RunAmtsweg({"frobnicate"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("frobnicate"), std::string::npos) << r.out;
}

TEST(Cli, MigrateTwiceIsANoOpTheSecondTime) {
  TempDir dir;
  std::string db = (dir.path() / "a.db").string();
  auto first = RunAmtsweg({"migrate", "--db", "sqlite:" + db});
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("applied"), std::string::npos) << first.out;
  int64_t applied = SqliteCount(db, "SELECT count(*) FROM schema_migrations");
  EXPECT_GT(applied, 0);

  auto second = RunAmtsweg({"migrate", "--db", "sqlite:" + db});
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("up to date"), std::string::npos) << second.out;
  EXPECT_EQ(SqliteCount(db, "SELECT count(*) FROM schema_migrations"), applied);
}

TEST(Cli, MigrateTwiceOnPostgresIsANoOpTheSecondTime) {
  if (PgUrl().empty()) GTEST_SKIP() << "AMTSWEG_TEST_PG_URL is not set (make test starts a throwaway cluster)";
  auto first = RunAmtsweg({"migrate", "--db", PgUrl()});
  ASSERT_EQ(first.exit_code, 0) << first.out;
  auto second = RunAmtsweg({"migrate", "--db", PgUrl()});
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("up to date"), std::string::npos) << second.out;
}

TEST(Cli, BackupProducesADatabaseThatOpensAndHoldsTheData) {
  TempDir dir;
  std::string db = (dir.path() / "live.db").string();
  ASSERT_EQ(RunAmtsweg({"migrate", "--db", "sqlite:" + db}).exit_code, 0);
  SqliteExec(db, "CREATE TABLE note(id INTEGER PRIMARY KEY, text TEXT);"
                 "INSERT INTO note(text) VALUES ('Plakatierung'), ('Aufgrabegenehmigung');");
  std::string copy = (dir.path() / "copy.db").string();
  auto r = RunAmtsweg({"backup", copy, "--db", "sqlite:" + db});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(SqliteCount(copy, "SELECT count(*) FROM note"), 2);
  EXPECT_EQ(SqliteCount(copy, "SELECT count(*) FROM schema_migrations"),
            SqliteCount(db, "SELECT count(*) FROM schema_migrations"));
  EXPECT_EQ(SqliteCount(copy, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

TEST(Cli, BackupOfPostgresPointsToPgDump) {
  auto r = RunAmtsweg({"backup", "/tmp/never-written.db", "--db", "postgresql://postgres@127.0.0.1:1/none"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("pg_dump"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.db"));
}

TEST(Cli, BadConfigurationNamesFileAndLine) {
  TempDir dir;
  auto cfg = dir.path() / "amtsweg.toml";
  std::ofstream(cfg) << "[server]\nport = 8080\nthreds = 4\n";
  auto r = RunAmtsweg({"serve", "--config", cfg.string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("amtsweg.toml:3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("server.threds"), std::string::npos) << r.out;
}

TEST(Cli, BadDatabaseUrlIsNamed) {
  auto r = RunAmtsweg({"migrate", "--db", "mysql://nope"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("mysql://nope"), std::string::npos) << r.out;
}

TEST(Cli, BpmnLintReportsUnsupportedElementWithId) {
  TempDir dir;
  auto file = dir.path() / "p.bpmn";
  std::ofstream(file) << R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:complexGateway id="cg"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:complexGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="cg"/>
    <bpmn:sequenceFlow id="f2" sourceRef="cg" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>)";
  auto r = RunAmtsweg({"bpmn", "lint", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("cg"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("complexGateway"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not deployable"), std::string::npos) << r.out;
}

TEST(Cli, BpmnLintNamesFileAndLineOfMalformedXml) {
  TempDir dir;
  auto file = dir.path() / "broken.bpmn";
  std::ofstream(file) << "<?xml version=\"1.0\"?>\n<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <bpmn:process id=\"p\">\n</bpmn:definitions>\n";
  auto r = RunAmtsweg({"bpmn", "lint", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("broken.bpmn"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line"), std::string::npos) << r.out;
}

// Conformance data beside the repository, as scripts/test.sh exports it.
std::filesystem::path Conformance() {
  const char* dir = std::getenv("AMTSWEG_CONFORMANCE");
  return dir ? dir : std::filesystem::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance";
}

TEST(Cli, DmnEvalPrintsTheDecisionAsJson) {
  TempDir dir;
  auto file = dir.path() / "fee.dmn";
  std::ofstream(file) << R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fees" name="fees" namespace="http://amtsweg.example/fees">
  <inputData id="i1" name="Number of posters"><variable name="Number of posters" typeRef="number"/></inputData>
  <inputData id="i2" name="Days"><variable name="Days" typeRef="number"/></inputData>
  <decision id="d1" name="Fee">
    <variable name="Fee" typeRef="number"/>
    <informationRequirement><requiredInput href="#i1"/></informationRequirement>
    <informationRequirement><requiredInput href="#i2"/></informationRequirement>
    <literalExpression><text>Number of posters * Days * 0.15</text></literalExpression>
  </decision>
</definitions>)";
  auto r = RunAmtsweg({"dmn", "eval", file.string(), "--decision", "Fee", "--input",
                       R"({"Number of posters": 40, "Days": 21})"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("126"), std::string::npos) << r.out;  // 40 * 21 * 0.15, exactly
  auto bad = RunAmtsweg({"dmn", "eval", file.string(), "--decision", "Fee", "--input", "{oops"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("--input"), std::string::npos) << bad.out;
}

TEST(Cli, DmnTckPrintsTheClosingCountLine) {
  auto dir = Conformance() / "dmn-tck" / "compliance-level-2";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no DMN TCK data at " << dir;
  auto r = RunAmtsweg({"dmn-tck", dir.string()}, {}, std::chrono::seconds(300));
  std::regex closing(R"((^|\n)(\d+) passed, (\d+) failed, (\d+) skipped\n?$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, closing)) << r.out.substr(r.out.size() > 2000 ? r.out.size() - 2000 : 0);
  EXPECT_GT(std::stoi(m[2]), 0);
  EXPECT_EQ(r.exit_code, std::stoi(m[3]) == 0 ? 0 : 1);
}

TEST(Cli, FormsImportXdfWritesSchemaAndNamesLineOfBadFiles) {
  auto dir = Conformance() / "xdatenfelder";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no XDatenfelder data at " << dir;
  TempDir tmp;
  auto report = tmp.path() / "report.json";
  std::vector<std::string> args{"forms", "import-xdf", (dir / "v2" / "S00000094V1.0_xdf2.xml").string(),
                                "--report", report.string()};
  for (const auto& e : std::filesystem::directory_iterator(dir / "codelists")) {
    args.push_back("--code-list");
    args.push_back(e.path().string());
  }
  auto r = RunAmtsweg(args);
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("\"components\""), std::string::npos);
  EXPECT_EQ(r.out.find("not resolved"), std::string::npos) << "all code lists were given";
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  auto rep = core::ParseJson(text.str());
  ASSERT_TRUE(rep.ok()) << text.str();
  EXPECT_EQ((*rep)["id"], "S00000094");

  for (const auto& e : std::filesystem::directory_iterator(dir / "v3" / "invalid")) {
    auto bad = RunAmtsweg({"forms", "import-xdf", e.path().string()});
    EXPECT_EQ(bad.exit_code, 1) << e.path();
    EXPECT_NE(bad.out.find(e.path().filename().string() + ": line "), std::string::npos) << bad.out;
  }
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "static/assets");
    std::ofstream(dir_.path() / "static/index.html") << "<!doctype html><title>Amtsweg</title>";
    std::ofstream(dir_.path() / "static/assets/app-1234.js") << "console.log(1)";
    server_ = ServerProcess::Start({"--db", "sqlite:" + (dir_.path() / "s.db").string(), "--static-dir",
                                    (dir_.path() / "static").string()});
    ASSERT_TRUE(server_);
    ASSERT_GT(server_->port(), 0) << server_->Output();
  }
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServeTest, OperationsEndpointsAnswer) {
  auto health = HttpGet(server_->port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  auto ready = HttpGet(server_->port(), "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto ready_json = core::ParseJson(ready.body);
  ASSERT_TRUE(ready_json.ok()) << ready.body;
  EXPECT_EQ((*ready_json)["status"], "ready");

  auto metrics = HttpGet(server_->port(), "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.content_type.find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("amtsweg_http_requests_total"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("amtsweg_store_writer_commit_seconds"), std::string::npos) << metrics.body;
}

TEST_F(ServeTest, OpenApiDocumentIsServed) {
  auto r = HttpGet(server_->port(), "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = core::ParseJson(r.body);
  ASSERT_TRUE(doc.ok()) << r.body;
  EXPECT_EQ((*doc)["openapi"].get<std::string>().substr(0, 3), "3.1");
  EXPECT_TRUE((*doc)["paths"].contains("/healthz"));
  EXPECT_TRUE((*doc)["paths"].contains("/readyz"));
}

TEST_F(ServeTest, UnknownApiPathIsProblemJson) {
  auto r = HttpGet(server_->port(), "/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = core::ParseJson(r.body);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["status"], 404);
}

TEST_F(ServeTest, ServesWebAppWithSpaFallback) {
  auto index = HttpGet(server_->port(), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<title>Amtsweg</title>"), std::string::npos);
  auto route = HttpGet(server_->port(), "/portal/leistungen/42");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("<title>Amtsweg</title>"), std::string::npos);
  auto asset = HttpGet(server_->port(), "/assets/app-1234.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_NE(asset.content_type.find("javascript"), std::string::npos) << asset.content_type;
}

TEST_F(ServeTest, SigtermStopsGracefullyWithExitZero) {
  ASSERT_EQ(HttpGet(server_->port(), "/healthz").status, 200);
  int code = server_->Signal(SIGTERM);
  EXPECT_EQ(code, 0) << server_->Output();
  EXPECT_NE(server_->Output().find("stopped"), std::string::npos) << server_->Output();
  EXPECT_EQ(HttpGet(server_->port(), "/healthz").status, 0) << "still accepting after shutdown";
}

TEST_F(ServeTest, StartsWithMigrationsApplied) {
  int code = server_->Signal(SIGINT);
  EXPECT_EQ(code, 0) << server_->Output();
  EXPECT_GT(SqliteCount((dir_.path() / "s.db").string(), "SELECT count(*) FROM schema_migrations"), 0);
}

}  // namespace
}  // namespace amtsweg::app
