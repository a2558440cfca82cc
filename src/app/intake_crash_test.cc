// The crash test of issue 6: the real binary takes submissions under load and
// is killed with SIGKILL twenty times at random moments. Afterwards every
// submission that got a 201 exists exactly once with its attachment intact
// (SHA-256 of the file on disk), and every case in the database is whole
// (form data, process instance, attachment rows and files) — nothing that
// got no answer is half there.
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/process_test_util.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "engine/engine.h"
#include "http/test_client.h"
#include "intake/attachment_store.h"
#include "intake/codes.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

using core::Json;

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="antrag" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check"><bpmn:extensionElements>
    <zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

struct Acked {
  std::string applicant;
  std::string sha256;  // empty: no attachment
};

void Seed(const std::string& url) {
  store::Options o;
  o.url = url;
  auto db = store::Database::Open(o);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  ASSERT_TRUE((*db)->Migrate().ok());
  ASSERT_TRUE((*db)->writer().Start().ok());
  {
    engine::Engine engine(**db);
    catalog::Catalog cat(**db);
    ASSERT_TRUE(cat.CreateTenant({{"id", "amt-crash"}, {"name", "Amt Crash"}, {"type", "Amt"}, {"ars", "010595988000"}}).ok());
    ASSERT_TRUE(cat.CreateDepartment("amt-crash", {{"id", "bauamt"}, {"name", "Bauamt"}}).ok());
    Json form = Json::parse(R"({"id": "crash", "components": [
      {"type": "textfield", "key": "applicant", "label": "Name", "validate": {"required": true}},
      {"type": "filepicker", "key": "plan", "label": "Plan", "accept": ".pdf"}]})");
    ASSERT_TRUE(cat.AddFormVersion("amt-crash", form).ok());
    ASSERT_TRUE(engine.Deploy("amt-crash", {{"antrag.bpmn", kProcess}}).ok());
    ASSERT_TRUE(cat.CreateService("amt-crash", {{"id", "crash"}, {"leika", "99108011000000"}, {"published", true},
                                                {"name", {{"de", "Antrag"}}}, {"processingTimeDays", 5},
                                                {"form", {{"id", "crash"}, {"version", 1}}},
                                                {"process", {{"id", "antrag"}}},
                                                {"responsibility", {{"department", "bauamt"}}}})
                    .ok());
  }
  ASSERT_TRUE((*db)->writer().Stop().ok());
  (*db)->Close();
}

// Posts submissions until the server goes away; records every 201.
void Client(int port, const std::string& prefix, std::vector<Acked>* acked, std::mutex* mu) {
  for (int n = 0;; ++n) {
    auto conn = http::testutil::TestConnection::Connect(static_cast<uint16_t>(port));
    if (!conn) return;
    std::string applicant = fmt::format("{}-{}", prefix, n);
    std::string body, headers, sha;
    if (n % 3 == 0) {
      std::string pdf = "%PDF-1.4\n" + applicant + "\n" + std::string(20000, 'x') + "\n%%EOF\n";
      sha = intake::Sha256Hex(pdf);
      body = "--B\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" +
             Json{{"applicant", applicant}, {"plan", "files::p"}}.dump() +
             "\r\n--B\r\nContent-Disposition: form-data; name=\"files::p\"; filename=\"p.pdf\"\r\n\r\n" + pdf +
             "\r\n--B--\r\n";
      headers = "Content-Type: multipart/form-data; boundary=B\r\n";
    } else {
      body = Json{{"applicant", applicant}}.dump();
      headers = "Content-Type: application/json\r\n";
    }
    if (!conn->Send(http::testutil::MakeRequest("POST", "/api/v1/services/crash/submissions", headers, body))) return;
    auto r = conn->Read(false, std::chrono::seconds(10));
    if (!r) return;
    if (r->status == 201) {
      std::lock_guard lock(*mu);
      acked->push_back({applicant, sha});
    } else {
      ADD_FAILURE() << "unexpected answer " << r->status << " " << r->body;
      return;
    }
  }
}

TEST(IntakeCrash, EveryAcknowledgedSubmissionSurvivesTwentyKills) {
  testutil::TempDir dir;
  std::string url = "sqlite:" + (dir.path() / "amtsweg.db").string();
  std::string files = (dir.path() / "files").string();
  Seed(url);
  if (HasFatalFailure()) return;
  std::vector<std::string> env = {"AMTSWEG_DATABASE_URL=" + url, "AMTSWEG_STORAGE_FILES_DIR=" + files,
                                  "AMTSWEG_LOG_ACCESS_LOG=false", "AMTSWEG_LOG_LEVEL=warn"};
  std::vector<Acked> acked;
  std::mutex mu;
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 20; ++round) {
    auto server = testutil::ServerProcess::Start({}, env);
    ASSERT_NE(server, nullptr) << "round " << round;
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back(Client, server->port(), fmt::format("r{}c{}", round, c), &acked, &mu);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    server->Signal(SIGKILL);
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(acked.size(), 100u) << "too few submissions to say anything";

  store::Options o;
  o.url = url;
  auto db = store::Database::Open(o);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  intake::AttachmentStore store(files);
  auto checked = (*db)->Read([&](store::Tx& tx) -> core::Status {
    // Every acknowledged submission: exactly one case, its file intact.
    for (const Acked& a : acked) {
      AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT s.case_id FROM intake_submissions s WHERE s.tenant_id = $1 "
                                              "AND s.data = $2",
                                              {"amt-crash", Json{{"applicant", a.applicant}}.dump()}));
      auto with_file = tx.Query("SELECT s.case_id FROM intake_submissions s WHERE s.tenant_id = $1 AND s.data = $2",
                                {"amt-crash", Json{{"applicant", a.applicant}, {"plan", "files::p"}}.dump()});
      if (!with_file.ok()) return std::move(with_file).error();
      size_t n = rows.size() + with_file->size();
      EXPECT_EQ(n, 1u) << a.applicant;
      if (!a.sha256.empty()) {
        auto bytes = store.Get("amt-crash", a.sha256);
        EXPECT_TRUE(bytes.ok()) << a.applicant;
        if (bytes.ok()) {
          EXPECT_EQ(intake::Sha256Hex(*bytes), a.sha256) << a.applicant;
        }
      }
    }
    // Every case in the database is whole.
    AW_ASSIGN_OR_RETURN(auto cases, tx.Query("SELECT c.case_id, c.instance_id, "
                                             "(SELECT COUNT(*) FROM intake_submissions s WHERE s.tenant_id = c.tenant_id AND s.case_id = c.case_id), "
                                             "(SELECT COUNT(*) FROM engine_instances i WHERE i.tenant_id = c.tenant_id AND i.instance_id = c.instance_id), "
                                             "(SELECT COUNT(*) FROM engine_user_tasks t WHERE t.tenant_id = c.tenant_id AND t.instance_id = c.instance_id) "
                                             "FROM cases c WHERE c.tenant_id = $1",
                                             {"amt-crash"}));
    EXPECT_GE(cases.size(), acked.size());
    for (const auto& c : cases) {
      EXPECT_EQ(c.Int(2), 1) << c.Text(0);
      EXPECT_EQ(c.Int(3), 1) << c.Text(0);
      EXPECT_EQ(c.Int(4), 1) << c.Text(0);
    }
    AW_ASSIGN_OR_RETURN(auto files_rows, tx.Query("SELECT sha256 FROM intake_attachments WHERE tenant_id = $1", {"amt-crash"}));
    for (const auto& f : files_rows) {
      auto bytes = store.Get("amt-crash", f.Text(0));
      EXPECT_TRUE(bytes.ok() && intake::Sha256Hex(*bytes) == f.Text(0)) << f.Text(0);
    }
    std::cout << fmt::format("[ crash    ] {} acknowledged, {} cases, {} attachment rows after 20 kills\n",
                             acked.size(), cases.size(), files_rows.size());
    return core::OkStatus();
  });
  ASSERT_TRUE(checked.ok()) << checked.error().ToString();
  (*db)->Close();
}

}  // namespace
}  // namespace amtsweg::app
