// The records routes over real HTTP (SQLite and PostgreSQL): upload by
// multipart, list, download with Content-Type and an RFC 5987 file name,
// the export ZIP, problems naming the field.
#include "api/records_api.h"

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/test_client.h"
#include "records/records_test_util.h"

namespace amtsweg::api {
namespace {

using core::Json;

TEST(ContentDispositionTest, AsciiFallbackAndUtf8Name) {
  EXPECT_EQ(ContentDisposition("attachment", "Lageplan.pdf"),
            "attachment; filename=\"Lageplan.pdf\"; filename*=UTF-8''Lageplan.pdf");
  EXPECT_EQ(ContentDisposition("attachment", "Bescheid \"Straße\".pdf"),
            "attachment; filename=\"Bescheid _Stra__e_.pdf\"; filename*=UTF-8''Bescheid%20%22Stra%C3%9Fe%22.pdf");
}

class RecordsRoutes : public records::testing::RecordsTest {
 protected:
  void SetUp() override {
    RecordsTest::SetUp();
    if (IsSkipped()) return;
    RegisterRecordsRoutes(router_, *records_);
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    RecordsTest::TearDown();
  }
  http::testutil::ClientResponse Upload(const std::string& target, const std::string& filename,
                                        const std::string& bytes, const std::string& title = "") {
    std::string b = "XyZbOuNdArY";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                       "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
    if (!title.empty()) body += "--" + b + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n";
    body += "--" + b + "--\r\n";
    auto r = http::testutil::RoundTrip(
        server_->port(),
        http::testutil::MakeRequest("POST", target, "Content-Type: multipart/form-data; boundary=" + b + "\r\n", body));
    EXPECT_TRUE(r.has_value());
    return r ? *r : http::testutil::ClientResponse{};
  }

  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(RecordsRoutes, UploadListDownloadExport) {
  std::string case_id = Submit("amt-a", "Jürgen Müller", intake::testing::TinyPdf());
  ASSERT_FALSE(case_id.empty());
  std::string base = "/api/v1/tenants/amt-a/cases/" + case_id + "/documents";
  auto up = Upload(base, "Vermerk Straße.txt", "Ortstermin am Gehweg.\n", "Vermerk");
  ASSERT_EQ(up.status, 201) << up.body;
  Json v = Json::parse(up.body);
  EXPECT_EQ(v["version"], 1);
  EXPECT_EQ(v["contentType"], "text/plain");
  EXPECT_EQ(v["title"], "Vermerk");

  auto v2 = Upload(base + "/" + v["documentId"].get<std::string>() + "/versions", "Vermerk Straße.txt",
                   "Ortstermin am Gehweg, 1,2 m.\n");
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(Json::parse(v2.body)["version"], 2);

  auto list = http::testutil::Get(server_->port(), base);
  ASSERT_EQ(list->status, 200);
  Json items = Json::parse(list->body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["documentId"], "intake-0");
  EXPECT_EQ(items[1]["versions"].size(), 2u);

  auto dl = http::testutil::Get(server_->port(), base + "/" + v["documentId"].get<std::string>() + "/versions/2/content");
  ASSERT_EQ(dl->status, 200);
  EXPECT_EQ(dl->body, "Ortstermin am Gehweg, 1,2 m.\n");
  EXPECT_EQ(dl->Header("Content-Type"), "text/plain");
  EXPECT_EQ(dl->Header("Content-Disposition"),
            "attachment; filename=\"Vermerk Stra__e.txt\"; filename*=UTF-8''Vermerk%20Stra%C3%9Fe.txt");
  auto pdf = http::testutil::Get(server_->port(), base + "/intake-0/versions/1/content");
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->Header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body, intake::testing::TinyPdf());

  auto zip = http::testutil::Get(server_->port(), "/api/v1/tenants/amt-a/cases/" + case_id + "/export.zip");
  ASSERT_EQ(zip->status, 200);
  EXPECT_EQ(zip->Header("Content-Type"), "application/zip");
  EXPECT_EQ(zip->body.substr(0, 2), "PK");
}

TEST_P(RecordsRoutes, ProblemsNameTheField) {
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  std::string base = "/api/v1/tenants/amt-a/cases/" + case_id + "/documents";
  auto elf = Upload(base, "plan.pdf", intake::testing::ElfBytes());
  EXPECT_EQ(elf.status, 422) << elf.body;
  EXPECT_NE(elf.body.find("/file"), std::string::npos);
  auto nofile = http::testutil::RoundTrip(
      server_->port(), http::testutil::MakeRequest("POST", base, "Content-Type: application/json\r\n", "{}"));
  EXPECT_EQ(nofile->status, 400);
  auto other = Upload("/api/v1/tenants/amt-b/cases/" + case_id + "/documents", "a.txt", "text");
  EXPECT_EQ(other.status, 404);
  auto badv = http::testutil::Get(server_->port(), base + "/intake-0/versions/x/content");
  EXPECT_EQ(badv->status, 422);
  auto missing = http::testutil::Get(server_->port(), base + "/intake-0/versions/1/content");
  EXPECT_EQ(missing->status, 404);
}

TEST_P(RecordsRoutes, BescheidPreviewAsPdfAndAsFrameableLinkStoresNothing) {
  Json t = records::testing::SampleTemplate();
  t["body"].push_back("Begründung: {{begruendung}}");
  ASSERT_TRUE(records::PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", t).ok());
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  std::string base = "/api/v1/tenants/amt-a/cases/" + case_id;
  auto post = [&](const std::string& target, const std::string& body) {
    return http::testutil::RoundTrip(
        server_->port(), http::testutil::MakeRequest("POST", target, "Content-Type: application/json\r\n", body));
  };
  std::string body = R"({"template": "erlaubnis", "data": {"begruendung": "Trasse frei."}})";
  auto pdf = post(base + "/bescheid-preview", body);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->Header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  EXPECT_NE(records::testing::PdfText(pdf->body).find("Begründung: Trasse frei."), std::string::npos);

  auto link = post(base + "/bescheid-preview/links", body);
  ASSERT_EQ(link->status, 201) << link->body;
  Json l = Json::parse(link->body);
  EXPECT_EQ(l["title"], "Sondernutzungserlaubnis");
  std::string url = l["url"];
  ASSERT_EQ(url.rfind(base + "/bescheid-preview/", 0), 0u) << url;
  auto framed = http::testutil::Get(server_->port(), url);
  ASSERT_EQ(framed->status, 200);
  EXPECT_EQ(framed->body.substr(0, 5), "%PDF-");
  EXPECT_EQ(framed->Header("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_NE(framed->Header("Content-Security-Policy").find("frame-ancestors 'self'"), std::string::npos);
  EXPECT_EQ(framed->Header("Content-Disposition").rfind("inline;", 0), 0u);
  // Another case's address or an unknown token: 404.
  std::string token = url.substr(url.rfind('/') + 1);
  EXPECT_EQ(http::testutil::Get(server_->port(), "/api/v1/tenants/amt-b/cases/" + case_id + "/bescheid-preview/" + token)
                ->status, 404);
  EXPECT_EQ(http::testutil::Get(server_->port(), base + "/bescheid-preview/nope")->status, 404);
  // Another node (its own routes and server on the same database) opens the link too.
  {
    http::Router other_router;
    RegisterRecordsRoutes(other_router, *records_);
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto other = http::Server::Start(o, other_router, metrics_);
    ASSERT_TRUE(other.ok()) << other.error().ToString();
    auto there = http::testutil::Get((*other)->port(), url);
    EXPECT_EQ(there->status, 200);
    EXPECT_NE(records::testing::PdfText(there->body).find("Begründung: Trasse frei."), std::string::npos);
    (*other)->Stop(std::chrono::seconds(1));
  }
  // The link keeps the template and values, not the PDF, and only for 10 minutes.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_preview_links"), 1);
  clock_->Advance(std::chrono::minutes(11));
  EXPECT_EQ(http::testutil::Get(server_->port(), url)->status, 404);
  auto again = post(base + "/bescheid-preview/links", body);
  ASSERT_EQ(again->status, 201);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_preview_links"), 1) << "the expired link was removed";
  // The templates the workspace offers.
  auto names = http::testutil::Get(server_->port(), base + "/bescheid-templates");
  ASSERT_EQ(names->status, 200);
  EXPECT_EQ(Json::parse(names->body)["items"][0]["name"], "erlaubnis");

  // Problems name the field; nothing was stored.
  auto missing = post(base + "/bescheid-preview", R"({"template": "erlaubnis"})");
  EXPECT_EQ(missing->status, 422);
  EXPECT_NE(missing->body.find("/data"), std::string::npos) << missing->body;
  auto notemplate = post(base + "/bescheid-preview", R"({"data": {}})");
  EXPECT_EQ(notemplate->status, 422);
  EXPECT_NE(notemplate->body.find("/template"), std::string::npos);
  EXPECT_EQ(post(base + "/bescheid-preview", R"({"template": "gibtsnicht"})")->status, 404);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents"), 0);
}

// The process decides which Bescheid a decision sends: the route follows the
// model from the open task with the form's values (engine/look_ahead.h).
TEST_P(RecordsRoutes, ExpectedBescheidFollowsTheProcessFromTheOpenTask) {
  const std::string decide = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d2" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="aufgrabung" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="entscheiden" name="Entscheiden"/>
  <bpmn:exclusiveGateway id="gw" default="nein"/>
  <bpmn:sendTask id="erteilen" name="Erlaubnis senden"><bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:bescheid"/>
    <zeebe:taskHeaders><zeebe:header key="vorlage" value="erlaubnis"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:sendTask>
  <bpmn:sendTask id="ablehnen" name="Ablehnung senden"><bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:bescheid"/>
    <zeebe:taskHeaders><zeebe:header key="vorlage" value="ablehnung"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:sendTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="entscheiden"/>
  <bpmn:sequenceFlow id="f2" sourceRef="entscheiden" targetRef="gw"/>
  <bpmn:sequenceFlow id="ja" sourceRef="gw" targetRef="erteilen"><bpmn:conditionExpression>=genehmigt and length &lt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="nein" sourceRef="gw" targetRef="ablehnen"/>
  <bpmn:sequenceFlow id="f3" sourceRef="erteilen" targetRef="end"/>
  <bpmn:sequenceFlow id="f4" sourceRef="ablehnen" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";
  ASSERT_TRUE(engine_->Deploy("amt-a", {{"aufgrabung.bpmn", decide}}).ok());
  ASSERT_TRUE(records::PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis",
                                   records::testing::SampleTemplate()).ok());
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  auto instance = db_->Read([&](store::Tx& tx) -> core::Result<std::string> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id FROM cases WHERE tenant_id = $1 AND case_id = $2",
                                              {"amt-a", case_id}));
    return row->Text(0);
  });
  ASSERT_TRUE(instance.ok());
  auto tasks = engine_->ListUserTasks("amt-a", *instance);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  std::string task = (*tasks)[0].task_id;
  std::string url = "/api/v1/tenants/amt-a/cases/" + case_id + "/bescheid-preview/expected";
  auto post = [&](const std::string& target, const Json& body) {
    return http::testutil::RoundTrip(server_->port(), http::testutil::MakeRequest(
                                                          "POST", target, "Content-Type: application/json\r\n",
                                                          body.dump()));
  };

  auto grant = post(url, {{"taskId", task}, {"data", {{"genehmigt", true}}}});
  ASSERT_EQ(grant->status, 200) << grant->body;
  Json g = Json::parse(grant->body);
  EXPECT_EQ(g["template"], "erlaubnis");
  EXPECT_EQ(g["title"], "Sondernutzungserlaubnis");
  EXPECT_EQ(g["elementId"], "erteilen");
  EXPECT_EQ(g["elementName"], "Erlaubnis senden");
  EXPECT_TRUE(g["undetermined"].is_null());
  EXPECT_EQ(g["waits"], Json::array({"endEvent end"}));
  // The case's own data count too: length 12.5 from the application.
  auto refuse = post(url, {{"taskId", task}, {"data", {{"genehmigt", false}}}});
  EXPECT_EQ(Json::parse(refuse->body)["template"], "ablehnung");
  auto long_trench = post(url, {{"taskId", task}, {"data", {{"genehmigt", true}, {"length", 250}}}});
  EXPECT_EQ(Json::parse(long_trench->body)["template"], "ablehnung");
  // Not decided yet: the gateway needs `genehmigt`.
  auto open = post(url, {{"taskId", task}, {"data", Json::object()}});
  ASSERT_EQ(open->status, 200);
  Json o = Json::parse(open->body);
  EXPECT_TRUE(o["template"].is_null());
  EXPECT_NE(o["undetermined"].get<std::string>().find("genehmigt"), std::string::npos) << o.dump();

  // Problems: the field is named; a task of no case of this tenant is 404.
  auto notask = post(url, {{"data", Json::object()}});
  EXPECT_EQ(notask->status, 422);
  EXPECT_NE(notask->body.find("/taskId"), std::string::npos);
  auto baddata = post(url, {{"taskId", task}, {"data", 5}});
  EXPECT_EQ(baddata->status, 422);
  EXPECT_NE(baddata->body.find("/data"), std::string::npos);
  EXPECT_EQ(post(url, {{"taskId", "gibtsnicht"}})->status, 404);
  EXPECT_EQ(post("/api/v1/tenants/amt-b/cases/" + case_id + "/bescheid-preview/expected", {{"taskId", task}})->status,
            404);
  std::string other = Submit("amt-a", "Erika Mustermann", "");
  EXPECT_EQ(post("/api/v1/tenants/amt-a/cases/" + other + "/bescheid-preview/expected", {{"taskId", task}})->status,
            404);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_jobs"), 0);
}

AW_STORE_INSTANTIATE(RecordsRoutes);

}  // namespace
}  // namespace amtsweg::api
