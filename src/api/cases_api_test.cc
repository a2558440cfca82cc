// The workspace routes over real sockets with sessions and API tokens, on
// cases created by the real intake path (SQLite and PostgreSQL).
#include "api/cases_api.h"

#include <future>

#include <gtest/gtest.h>

#include "api/auth_api.h"
#include "catalog/catalog_test_util.h"
#include "core/json.h"
#include "http/server.h"
#include "http/test_client.h"
#include "intake/codes.h"
#include "store/store_test_util.h"

namespace amtsweg::api {
namespace {

using namespace std::chrono_literals;
using core::Json;
using http::testutil::ClientResponse;
namespace fs = std::filesystem;

constexpr const char* kPassword = "Sommer im Amt 2026!";

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="antrag" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="pruefen" name="Antrag prüfen">
    <bpmn:extensionElements>
      <zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/>
      <zeebe:formDefinition formKey="pruefung"/>
    </bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pruefen"/>
  <bpmn:sequenceFlow id="f2" sourceRef="pruefen" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

struct Session {
  std::string cookie, csrf;
};

class CasesApiTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-cases-api-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<intake::Intake>(
        *db_, *catalog_, *engine_,
        intake::IntakeOptions{.files_dir = files_dir_, .on_case_created = cases::OnCaseCreated});
    cases_ = std::make_unique<cases::Cases>(*db_, *engine_, *catalog_);
    auth_ = std::make_shared<auth::Service>(*db_, cfg_, core::SystemClock::Instance());
    for (const char* t : {"amt-a", "amt-b"}) {
      ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant(t)).ok());
      for (const char* d : {"bauamt", "ordnungsamt"}) {
        ASSERT_TRUE(catalog_->CreateDepartment(t, catalog::testing::SampleDepartment(d, d)).ok());
      }
      ASSERT_TRUE(catalog_->AddFormVersion(t, Json::parse(R"({"id": "antrag", "type": "default", "components": [
        {"type": "textfield", "key": "name", "label": "Name", "validate": {"required": true}},
        {"type": "textarea", "key": "anliegen", "label": "Anliegen"}]})")).ok());
      ASSERT_TRUE(catalog_->AddFormVersion(t, Json::parse(R"({"id": "pruefung", "type": "default", "components": [
        {"type": "select", "key": "ergebnis", "label": "Ergebnis", "validate": {"required": true},
         "values": [{"label": "Vollständig", "value": "ok"}, {"label": "Unvollständig", "value": "fehlt"}]}]})")).ok());
      ASSERT_TRUE(engine_->Deploy(t, {{"antrag.bpmn", kProcess}}).ok());
      Json s = catalog::testing::SampleService("antrag", 1, {{"department", "bauamt"}});
      s["id"] = std::string(t) + "-antrag";
      s["process"] = {{"id", "antrag"}};
      ASSERT_TRUE(catalog_->CreateService(t, s).ok());
    }
    struct U {
      const char *tenant, *login, *role;
      std::vector<std::string> departments;
    };
    for (const U& u : std::vector<U>{{"amt-a", "berta", "case_worker", {"bauamt"}},
                                     {"amt-a", "olaf", "case_worker", {"ordnungsamt"}},
                                     {"amt-a", "lena", "manager", {}},
                                     {"amt-a", "dora", "process_designer", {}},
                                     {"amt-b", "bert", "case_worker", {"bauamt"}}}) {
      auto r = auth_->CreateUser(u.tenant, "cli",
                                 {.login = u.login, .display_name = u.login, .email = std::string(u.login) + "@x.example",
                                  .password = kPassword, .roles = {u.role}, .departments = u.departments});
      ASSERT_TRUE(r.ok()) << r.error().ToString();
    }
    RegisterAuthRoutes(router_, auth_);
    RegisterCasesRoutes(router_, *cases_, *auth_);
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto srv = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(*srv);
  }
  void TearDown() override {
    if (server_) server_->Stop(0ms);
    server_.reset();
    cases_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  std::string Submit(const std::string& tenant, const std::string& name, const std::string& anliegen) {
    intake::SubmitRequest r;
    r.service_id = tenant + "-antrag";
    r.data = Json{{"name", name}, {"anliegen", anliegen}};
    r.request_hash = intake::Sha256Hex(core::DumpJson(r.data));
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
    auto out = f.get();
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    auto page = cases_->List(tenant, {.limit = 1});
    return page.ok() && !page->items.empty() ? page->items[0].case_id : "";
  }

  ClientResponse Call(std::string_view method, std::string_view target, std::string headers = {},
                      std::string_view body = {}) {
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    auto r = http::testutil::RoundTrip(server_->port(), http::testutil::MakeRequest(method, target, headers, body));
    EXPECT_TRUE(r.has_value());
    return r.value_or(ClientResponse{});
  }
  Session Login(const std::string& tenant, const std::string& login) {
    Json body = {{"login", login}, {"password", kPassword}};
    ClientResponse r = Call("POST", "/api/v1/tenants/" + tenant + "/session", {}, core::DumpJson(body));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string set = r.Header("Set-Cookie");
    return {set.substr(0, set.find(';')), Body(r).value("csrfToken", "")};
  }
  static std::string H(const Session& s) { return "Cookie: " + s.cookie + "\r\nX-CSRF-Token: " + s.csrf + "\r\n"; }
  static Json Body(const ClientResponse& r) {
    auto j = core::ParseJson(r.body);
    return j.ok() ? *j : Json(r.body);
  }
  static std::set<std::string> Pointers(const ClientResponse& r) {
    std::set<std::string> out;
    Json b = Body(r);
    if (b.contains("errors")) {
      for (const auto& e : b["errors"]) out.insert(e.value("pointer", ""));
    }
    return out;
  }

  const std::string a_ = "/api/v1/tenants/amt-a";
  core::AuthConfig cfg_;
  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<cases::Cases> cases_;
  std::shared_ptr<auth::Service> auth_;
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(CasesApiTest, InboxClaimAndCompleteWithValidationOverHttp) {
  std::string id = Submit("amt-a", "Jörg Weiß", "Carport an der Grundstücksgrenze");
  Session berta = Login("amt-a", "berta");
  Session olaf = Login("amt-a", "olaf");

  ClientResponse inbox = Call("GET", a_ + "/inbox", H(berta));
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  Json items = Body(inbox)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["case"]["id"], id);
  EXPECT_EQ(items[0]["case"]["applicant"]["name"], "Jörg Weiß");
  std::string task = items[0]["id"];
  EXPECT_TRUE(Body(Call("GET", a_ + "/inbox", H(olaf)))["items"].empty());  // not his department

  EXPECT_EQ(Call("POST", a_ + "/inbox/tasks/" + task + "/claim", H(olaf)).status, 403);
  EXPECT_EQ(Call("POST", a_ + "/inbox/tasks/" + task + "/claim", H(berta)).status, 204);
  EXPECT_EQ(Body(Call("GET", a_ + "/inbox?scope=mine", H(berta)))["items"].size(), 1u);
  EXPECT_EQ(Body(Call("GET", a_ + "/inbox?scope=unassigned", H(berta)))["items"].size(), 0u);

  // Invalid data: 422 per field, nothing changed.
  ClientResponse bad = Call("POST", a_ + "/inbox/tasks/" + task + "/complete", H(berta) + "Accept-Language: en\r\n",
                            R"({"data": {"ergebnis": "vielleicht", "zusatz": 1}})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Pointers(bad), (std::set<std::string>{"/ergebnis", "/zusatz"})) << bad.body;
  EXPECT_EQ(Call("GET", a_ + "/cases/" + id, H(berta)).status, 200);
  EXPECT_EQ(Body(Call("GET", a_ + "/cases/" + id, H(berta)))["openTasks"].size(), 1u);

  ClientResponse ok = Call("POST", a_ + "/inbox/tasks/" + task + "/complete", H(berta), R"({"data": {"ergebnis": "ok"}})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["caseStatus"], "closed");
  Json detail = Body(Call("GET", a_ + "/cases/" + id, H(berta)));
  EXPECT_EQ(detail["status"], "closed");
  EXPECT_TRUE(detail["openTasks"].empty());
  Json tl = Body(Call("GET", a_ + "/cases/" + id + "/timeline", H(berta)))["items"];
  std::vector<std::string> audit;
  for (const auto& e : tl) {
    if (e["kind"] == "audit") audit.push_back(e["type"]);
  }
  EXPECT_EQ(audit, (std::vector<std::string>{"intake.case_submitted", "cases.task_claimed", "cases.task_completed",
                                             "cases.closed"}));
}

TEST_P(CasesApiTest, CasesNotesHandOverAndSearchOverHttp) {
  std::string id = Submit("amt-a", "Anna Groß", "Sondernutzung der Straße für ein Straßenfest");
  std::string zaun = Submit("amt-a", "Bernd Klein", "Zaun");
  Session berta = Login("amt-a", "berta");
  Session lena = Login("amt-a", "lena");

  Json list = Body(Call("GET", a_ + "/cases?department=bauamt&sort=number&order=asc&limit=1", H(berta)));
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  EXPECT_EQ(list["items"][0]["id"], id);
  ASSERT_TRUE(list["nextCursor"].is_string());
  Json next = Body(Call("GET", a_ + "/cases?department=bauamt&sort=number&order=asc&limit=1&cursor=" +
                                   list["nextCursor"].get<std::string>(), H(berta)));
  ASSERT_EQ(next["items"].size(), 1u);
  EXPECT_NE(next["items"][0]["id"], id);
  ClientResponse bad = Call("GET", a_ + "/cases?status=verloren&submittedFrom=gestern", H(berta));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Pointers(bad).size(), 1u);

  Json hits = Body(Call("GET", a_ + "/search?q=strassenfest", H(berta)));
  ASSERT_EQ(hits["items"].size(), 1u) << hits.dump();
  EXPECT_EQ(hits["items"][0]["id"], id);
  EXPECT_EQ(hits["ranked"], "allMatches");  // one match: inside the ranked window
  EXPECT_EQ(hits["rankWindow"], cases::kSearchWindow);
  EXPECT_EQ(Call("GET", a_ + "/search?q=", H(berta)).status, 422);
  // Paging: two matches (a note of the other case is searched too), one a page; the cursor leads to the other, then ends.
  ASSERT_EQ(Call("POST", a_ + "/cases/" + zaun + "/notes", H(berta), R"({"text": "Zaun für das Straßenfest"})").status,
            201);
  const std::string& second = zaun;
  Json p1 = Body(Call("GET", a_ + "/search?q=strassenfest&limit=1", H(berta)));
  ASSERT_EQ(p1["items"].size(), 1u) << p1.dump();
  ASSERT_TRUE(p1["nextCursor"].is_string()) << p1.dump();
  Json p2 = Body(Call("GET", a_ + "/search?q=strassenfest&limit=1&cursor=" + p1["nextCursor"].get<std::string>(),
                      H(berta)));
  ASSERT_EQ(p2["items"].size(), 1u) << p2.dump();
  EXPECT_TRUE(p2["nextCursor"].is_null());
  EXPECT_EQ((std::set<std::string>{p1["items"][0]["id"], p2["items"][0]["id"]}), (std::set<std::string>{id, second}));
  ClientResponse bad_cursor = Call("GET", a_ + "/search?q=strassenfest&cursor=kaputt", H(berta));
  EXPECT_EQ(bad_cursor.status, 422);
  EXPECT_EQ(Pointers(bad_cursor), std::set<std::string>{"/cursor"});

  ClientResponse note = Call("POST", a_ + "/cases/" + id + "/notes", H(berta), R"({"text": "Rückfrage zur Fläche"})");
  EXPECT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(Body(note)["author"], "berta");
  EXPECT_EQ(Call("POST", a_ + "/cases/" + id + "/notes", H(berta), R"({"text": 5})").status, 422);
  EXPECT_EQ(Body(Call("GET", a_ + "/cases/" + id + "/notes", H(berta)))["items"].size(), 1u);

  ClientResponse noreason = Call("POST", a_ + "/cases/" + id + "/handover", H(lena), R"({"department": "ordnungsamt"})");
  EXPECT_EQ(noreason.status, 422);
  EXPECT_EQ(Pointers(noreason), std::set<std::string>{"/reason"});
  ClientResponse moved = Call("POST", a_ + "/cases/" + id + "/handover", H(lena),
                              R"({"department": "ordnungsamt", "reason": "Straßenfest: Sondernutzung"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved)["tasksMoved"], 1);
  Session olaf = Login("amt-a", "olaf");
  Json inbox = Body(Call("GET", a_ + "/inbox", H(olaf)));
  ASSERT_EQ(inbox["items"].size(), 1u);
  EXPECT_EQ(inbox["items"][0]["case"]["id"], id);
  EXPECT_EQ(Body(Call("GET", a_ + "/inbox", H(berta)))["items"].size(), 1u);  // only Bernd's case is left

  EXPECT_EQ(Call("POST", a_ + "/cases/" + id + "/status", H(olaf), R"({"status": "waiting"})").status, 204);
  EXPECT_EQ(Body(Call("GET", a_ + "/cases?status=waiting", H(olaf)))["items"].size(), 1u);

  // Assign to a user of the tenant: a manager may, to a stranger nobody may.
  std::string task = inbox["items"][0]["id"];
  EXPECT_EQ(Call("POST", a_ + "/inbox/tasks/" + task + "/assign", H(lena), R"({"assignee": "olaf"})").status, 204);
  ClientResponse stranger = Call("POST", a_ + "/inbox/tasks/" + task + "/assign", H(lena),
                                 R"({"assignee": "bert", "takeOver": true})");
  EXPECT_EQ(stranger.status, 422);
  EXPECT_EQ(Pointers(stranger), std::set<std::string>{"/assignee"});
  EXPECT_EQ(Call("POST", a_ + "/inbox/tasks/" + task + "/assign", H(olaf), R"({"assignee": "berta", "takeOver": true})")
                .status,
            403);

  // An API token of the tenant works without CSRF and may name a department.
  auto token = auth_->CreateToken("amt-a", "cli", "Fachverfahren", {"manager"}, std::nullopt);
  ASSERT_TRUE(token.ok()) << token.error().ToString();
  ClientResponse by_token = Call("GET", a_ + "/inbox?scope=departments&department=ordnungsamt",
                                 "Authorization: Bearer " + token->secret + "\r\n");
  ASSERT_EQ(by_token.status, 200) << by_token.body;
  EXPECT_EQ(Body(by_token)["items"].size(), 1u);
}

TEST_P(CasesApiTest, OtherTenantsRolesAndMissingCsrfAreRefused) {
  std::string id = Submit("amt-a", "Geheim", "nur für amt-a");
  Session bert = Login("amt-b", "bert");
  Session dora = Login("amt-a", "dora");
  Session berta = Login("amt-a", "berta");
  for (const std::string& path : std::vector<std::string>{"/cases", "/cases/" + id, "/cases/" + id + "/timeline", "/inbox", "/search?q=x"}) {
    EXPECT_EQ(Call("GET", a_ + path, H(bert)).status, 403) << path;   // another tenant
    EXPECT_EQ(Call("GET", a_ + path, H(dora)).status, 403) << path;   // a designer is no case worker
    EXPECT_EQ(Call("GET", a_ + path).status, 401) << path;            // nobody
  }
  // Own tenant, but the case is not there.
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-b/cases/" + id, H(bert)).status, 404);
  // A cookie write without the CSRF token.
  EXPECT_EQ(Call("POST", a_ + "/cases/" + id + "/notes", "Cookie: " + berta.cookie + "\r\n", R"({"text": "x"})").status,
            403);
  EXPECT_TRUE(Body(Call("GET", a_ + "/cases/" + id + "/notes", H(berta)))["items"].empty());
}

AW_STORE_INSTANTIATE(CasesApiTest);

}  // namespace
}  // namespace amtsweg::api
