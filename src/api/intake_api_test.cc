// The citizen and catalogue routes over real sockets against a real server,
// on SQLite and PostgreSQL.
#include "api/intake_api.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "api/catalog_api.h"
#include "catalog/catalog_test_util.h"
#include "http/server.h"
#include "http/test_client.h"
#include "intake/intake_test_util.h"
#include "store/store_test_util.h"

namespace amtsweg::api {
namespace {

using core::Json;
using http::testutil::ClientResponse;
using http::testutil::MakeRequest;
using http::testutil::RoundTrip;
namespace fs = std::filesystem;

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="aufgrabung" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check"><bpmn:extensionElements>
    <zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

class IntakeApiTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-api-files-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_, intake::IntakeOptions{.files_dir = files_dir_});
    RegisterCatalogRoutes(router_, *catalog_);
    RegisterIntakeRoutes(router_, *intake_);
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);

    // The catalogue through the API itself.
    ASSERT_EQ(Send("POST", "/api/v1/tenants", catalog::testing::SampleTenant("amt-a").dump()).status, 201);
    ASSERT_EQ(Send("POST", "/api/v1/tenants/amt-a/departments",
                   catalog::testing::SampleDepartment("tiefbau", "Tiefbau").dump()).status, 201);
    ASSERT_EQ(Send("POST", "/api/v1/tenants/amt-a/forms", catalog::testing::SampleForm().dump()).status, 201);
    ASSERT_TRUE(engine_->Deploy("amt-a", {{"aufgrabung.bpmn", kProcess}}).ok());
    Json svc = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau"}});
    svc["id"] = "aufgrabung";
    auto created = Send("POST", "/api/v1/tenants/amt-a/services", svc.dump());
    ASSERT_EQ(created.status, 201) << created.body;
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::milliseconds(1000));
    server_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  ClientResponse Send(std::string_view method, std::string_view target, std::string_view body = {},
                      std::string headers = "Content-Type: application/json\r\n") {
    auto r = RoundTrip(server_->port(), MakeRequest(method, target, headers, body));
    EXPECT_TRUE(r.has_value()) << method << " " << target;
    return r.value_or(ClientResponse{});
  }
  static std::string Multipart(const std::string& data, const std::string& ref, const std::string& filename,
                               const std::string& bytes) {
    std::string b = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" + data + "\r\n";
    if (!ref.empty()) {
      b += "--BOUNDARY\r\nContent-Disposition: form-data; name=\"" + ref + "\"; filename=\"" + filename +
           "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n";
    }
    return b + "--BOUNDARY--\r\n";
  }
  static constexpr const char* kMultipartHeader = "Content-Type: multipart/form-data; boundary=BOUNDARY\r\n";
  int64_t Cases() { return ReadInt(*db_, "SELECT COUNT(*) FROM cases"); }
  static void ExpectProblem(const ClientResponse& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
  }

  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(IntakeApiTest, JsonSubmissionAnswers201WithStatusAndReceipt) {
  auto r = Send("POST", "/api/v1/services/aufgrabung/submissions",
                R"({"applicant":"Jürgen Müller","district":"nord"})");
  ASSERT_EQ(r.status, 201) << r.body;
  Json body = Json::parse(r.body);
  std::string code = body["trackingCode"];
  EXPECT_EQ(r.Header("Location"), "/api/v1/submissions/" + code);

  auto status = Send("GET", "/api/v1/submissions/" + code);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(Json::parse(status.body)["stage"], "received");
  EXPECT_EQ(status.body.find("Müller"), std::string::npos);

  auto pdf = Send("GET", body["receipt"]["url"].get<std::string>());
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.Header("Content-Type"), "application/pdf");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  ExpectProblem(Send("GET", "/api/v1/submissions/" + code + "/receipt.pdf?key=guess"), 404);
  ExpectProblem(Send("GET", "/api/v1/submissions/AAAA-BBBB-CCCC"), 404);

  auto service = Send("GET", "/api/v1/services/aufgrabung");
  ASSERT_EQ(service.status, 200);
  Json s = Json::parse(service.body);
  EXPECT_EQ(s["formSchema"]["id"], "aufgrabung");
  EXPECT_FALSE(s.contains("responsibility"));
}

TEST_P(IntakeApiTest, MultipartSubmissionStoresTheFileAndItsHash) {
  std::string data = R"({"applicant":"A","district":"nord","sitePlan":"files::plan"})";
  auto r = Send("POST", "/api/v1/services/aufgrabung/submissions",
                Multipart(data, "files::plan", "Lageplan.pdf", intake::testing::TinyPdf()), kMultipartHeader);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json::parse(r.body)["attachments"][0]["contentType"], "application/pdf");
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM intake_attachments"), 1);
}

TEST_P(IntakeApiTest, BadInputIsAnswered4xxProblemJsonAndNothingIsStored) {
  const std::string path = "/api/v1/services/aufgrabung/submissions";
  // An executable sent as a PDF.
  std::string data = R"({"applicant":"A","district":"nord","sitePlan":"files::plan"})";
  auto elf = Send("POST", path, Multipart(data, "files::plan", "plan.pdf", intake::testing::ElfBytes()), kMultipartHeader);
  ExpectProblem(elf, 422);
  EXPECT_NE(elf.body.find("/files/files::plan"), std::string::npos) << elf.body;
  // Wrong content type.
  ExpectProblem(Send("POST", path, "applicant=A", "Content-Type: application/x-www-form-urlencoded\r\n"), 400);
  ExpectProblem(Send("POST", path, R"({"applicant":"A"})", "Content-Type: text/plain\r\n"), 400);
  // Invalid UTF-8.
  ExpectProblem(Send("POST", path, "{\"applicant\":\"\xC3\x28\",\"district\":\"nord\"}"), 400);
  // Deeply nested JSON.
  std::string deep = R"({"applicant":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  ExpectProblem(Send("POST", path, deep), 422);
  // Unknown field, in English.
  auto unknown = Send("POST", path, R"({"applicant":"A","district":"nord","iban":"DE00"})",
                      "Content-Type: application/json\r\nAccept-Language: en-GB,en;q=0.9\r\n");
  ExpectProblem(unknown, 422);
  EXPECT_NE(unknown.body.find("/iban"), std::string::npos) << unknown.body;
  // Not an object, malformed multipart.
  ExpectProblem(Send("POST", path, "[1,2]"), 400);
  ExpectProblem(Send("POST", path, "--BOUNDARY\r\nbroken", kMultipartHeader), 400);
  // Oversized: refused from Content-Length before the body is read.
  auto big = RoundTrip(server_->port(),
                       "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(kMaxSubmissionBytes + 1) + "\r\n\r\n");
  ASSERT_TRUE(big.has_value());
  ExpectProblem(*big, 413);
  // Unknown service.
  ExpectProblem(Send("POST", "/api/v1/services/nope/submissions", R"({"applicant":"A"})"), 404);

  EXPECT_EQ(Cases(), 0);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM intake_attachments"), 0);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_instances"), 0);
  std::error_code ec;
  EXPECT_FALSE(fs::exists(files_dir_, ec) && !fs::is_empty(files_dir_ / "amt-a", ec));
}

TEST_P(IntakeApiTest, IdempotencyKeyOverHttp) {
  const std::string path = "/api/v1/services/aufgrabung/submissions";
  std::string headers = "Content-Type: application/json\r\nIdempotency-Key: 0c6f-retry\r\n";
  auto a = Send("POST", path, R"({"applicant":"A","district":"nord"})", headers);
  auto b = Send("POST", path, R"({"applicant":"A","district":"nord"})", headers);
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(a.body, b.body);
  ExpectProblem(Send("POST", path, R"({"applicant":"B","district":"nord"})", headers), 422);
  EXPECT_EQ(Cases(), 1);
}

TEST_P(IntakeApiTest, CatalogueErrorsAreProblemJsonPerField) {
  Json t = catalog::testing::SampleTenant("gemeinde-x");
  t["type"] = "Gemeinde";  // an Amt's ARS (Gemeinde 000) does not fit
  auto r = Send("POST", "/api/v1/tenants", t.dump());
  ExpectProblem(r, 422);
  Json p = Json::parse(r.body);
  ASSERT_TRUE(p.contains("errors"));
  EXPECT_EQ(p["errors"][0]["pointer"], "/ars");
  ExpectProblem(Send("GET", "/api/v1/tenants/nope"), 404);
  ExpectProblem(Send("POST", "/api/v1/tenants", catalog::testing::SampleTenant("amt-a").dump()), 409);
  auto list = Send("GET", "/api/v1/tenants/amt-a/services");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json::parse(list.body).size(), 1u);
  auto form = Send("GET", "/api/v1/tenants/amt-a/forms/aufgrabung/versions/1");
  ASSERT_EQ(form.status, 200);
  EXPECT_EQ(Json::parse(form.body)["id"], "aufgrabung");
  ExpectProblem(Send("GET", "/api/v1/tenants/amt-a/forms/aufgrabung/versions/x"), 404);
  auto versions = Send("GET", "/api/v1/tenants/amt-a/forms/aufgrabung/versions");
  ASSERT_EQ(versions.status, 200);
  ASSERT_EQ(Json::parse(versions.body).size(), 1u);
  EXPECT_EQ(Json::parse(versions.body)[0]["version"], 1);
  ExpectProblem(Send("GET", "/api/v1/tenants/amt-a/forms/nope/versions"), 404);
}

TEST_P(IntakeApiTest, DraftsSaveAndResume) {
  auto c = Send("POST", "/api/v1/services/aufgrabung/drafts", R"({"applicant":"Jürgen"})");
  ASSERT_EQ(c.status, 201) << c.body;
  std::string url = Json::parse(c.body)["resumeUrl"];
  auto g = Send("GET", url);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(Json::parse(g.body)["data"]["applicant"], "Jürgen");
  auto u = Send("PUT", url, R"({"applicant":"Jürgen","district":"sued"})");
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(Json::parse(u.body)["data"]["district"], "sued");
  ExpectProblem(Send("GET", "/api/v1/drafts/unknown"), 404);
}

AW_STORE_INSTANTIATE(IntakeApiTest);

}  // namespace
}  // namespace amtsweg::api
