#include "cases/cases.h"
#include "cases/cases_store.h"

#include <cctype>
#include <future>

#include <gtest/gtest.h>

#include "catalog/catalog_test_util.h"
#include "intake/codes.h"
#include "store/store_test_util.h"

namespace amtsweg::cases {
namespace {

using core::Json;
namespace fs = std::filesystem;

// Two tasks: a check with a form (pruefung), then a decision without one.
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
  <bpmn:userTask id="entscheiden" name="Entscheiden">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pruefen"/>
  <bpmn:sequenceFlow id="f2" sourceRef="pruefen" targetRef="entscheiden"/>
  <bpmn:sequenceFlow id="f3" sourceRef="entscheiden" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

Json ApplicationForm() {
  return Json::parse(R"({
    "id": "antrag", "type": "default", "components": [
      {"type": "group", "path": "antragsteller", "components": [
        {"type": "textfield", "key": "name", "label": "Name", "validate": {"required": true}},
        {"type": "textfield", "key": "email", "label": "E-Mail", "validate": {"validationType": "email"}},
        {"type": "textfield", "key": "strasse", "label": "Straße"}]},
      {"type": "textarea", "key": "anliegen", "label": "Anliegen"}]})");
}

Json CheckForm() {
  return Json::parse(R"({
    "id": "pruefung", "type": "default", "components": [
      {"type": "select", "key": "ergebnis", "label": "Ergebnis", "validate": {"required": true},
       "values": [{"label": "Vollständig", "value": "vollstaendig"}, {"label": "Unvollständig", "value": "fehlt"}]},
      {"type": "textfield", "key": "vermerk", "label": "Vermerk", "validate": {"maxLength": 20}}]})");
}

class CasesTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-cases-files-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_, &clock_);
    engine_ = std::make_unique<engine::Engine>(*db_, engine::EngineOptions{.clock = &clock_});
    intake_ = std::make_unique<intake::Intake>(
        *db_, *catalog_, *engine_,
        intake::IntakeOptions{.files_dir = files_dir_, .clock = &clock_, .on_case_created = OnCaseCreated});
    cases_ = std::make_unique<Cases>(*db_, *engine_, *catalog_, &clock_);
    for (const char* t : {"amt-a", "amt-b"}) {
      ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant(t)).ok());
      for (const char* d : {"bauamt", "ordnungsamt"}) {
        ASSERT_TRUE(catalog_->CreateDepartment(t, catalog::testing::SampleDepartment(d, d)).ok());
      }
      ASSERT_TRUE(catalog_->AddFormVersion(t, ApplicationForm()).ok());
      ASSERT_TRUE(catalog_->AddFormVersion(t, CheckForm()).ok());
      auto dep = engine_->Deploy(t, {{"antrag.bpmn", kProcess}});
      ASSERT_TRUE(dep.ok()) << dep.error().ToString();
      for (const char* d : {"bauamt", "ordnungsamt"}) {
        Json s = catalog::testing::SampleService("antrag", 1, {{"department", d}});
        s["id"] = std::string(t) + "-" + d;
        s["process"] = {{"id", "antrag"}};
        ASSERT_TRUE(catalog_->CreateService(t, s).ok());
      }
    }
  }
  void TearDown() override {
    cases_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  // Submits through the real intake path; returns the case id.
  std::string Submit(const std::string& service, const std::string& name, const std::string& anliegen = "",
                     const std::string& strasse = "") {
    intake::SubmitRequest r;
    r.service_id = service;
    r.data = Json{{"antragsteller", {{"name", name}, {"email", "x@example.org"}}}, {"anliegen", anliegen}};
    if (!strasse.empty()) r.data["antragsteller"]["strasse"] = strasse;
    r.request_hash = intake::Sha256Hex(core::DumpJson(r.data));
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
    auto out = f.get();
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    clock_.Advance(std::chrono::seconds(1));
    if (!out.ok()) return "";
    std::string tenant = service.substr(0, 5);
    auto row = db_->Read([&](store::Tx& tx) {
      return tx.QueryOne("SELECT case_id FROM cases WHERE tenant_id = $1 AND case_number = $2",
                         {tenant, (*out)["caseNumber"].get<std::string>()});
    });
    EXPECT_TRUE(row.ok() && row->has_value());
    return (*row)->Text(0);
  }

  template <class T>
  static core::Result<T> Wait(std::function<void(std::function<void(core::Result<T>)>)> call) {
    std::promise<core::Result<T>> p;
    auto f = p.get_future();
    call([&p](core::Result<T> r) { p.set_value(std::move(r)); });
    return f.get();
  }
  static core::Status WaitStatus(std::function<void(std::function<void(core::Status)>)> call) {
    std::promise<core::Status> p;
    auto f = p.get_future();
    call([&p](core::Status s) { p.set_value(std::move(s)); });
    return f.get();
  }
  core::Status Assign(const std::string& tenant, const std::string& task, std::optional<std::string> who,
                      const std::string& by, bool take_over = false) {
    return WaitStatus([&](auto cb) { cases_->AssignTask(tenant, task, who, take_over, Actor{by, "user:" + by}, cb); });
  }
  core::Result<Json> Complete(const std::string& tenant, const std::string& task, Json data, const std::string& by) {
    return Wait<Json>([&](auto cb) {
      cases_->CompleteTask(tenant, task, data, forms::Language::kEnglish, Actor{by, "user:" + by}, cb);
    });
  }
  std::vector<engine::UserTask> Tasks(const std::string& tenant, const std::string& case_id) {
    auto c = cases_->Get(tenant, case_id);
    EXPECT_TRUE(c.ok());
    auto t = engine_->ListUserTasks(tenant, c->instance_id);
    EXPECT_TRUE(t.ok());
    return *t;
  }
  std::vector<std::string> InboxCases(const std::string& tenant, InboxFilter f) {
    std::vector<std::string> out;
    auto page = cases_->Inbox(tenant, f);
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    for (const auto& i : page->items) out.push_back(i.case_summary ? i.case_summary->case_id : "-");
    return out;
  }
  std::vector<std::string> Ids(const CasePage& p) {
    std::vector<std::string> out;
    for (const auto& c : p.items) out.push_back(c.case_id);
    return out;
  }
  int64_t Count(const std::string& sql) { return ReadInt(*db_, sql); }

  core::ManualClock clock_{core::FromUnixMillis(1767258000000)};  // 2026-01-01T09:00:00Z
  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<Cases> cases_;
};

TEST_P(CasesTest, IntakeHookFillsApplicantStatusDueDateAndSearchText) {
  std::string id = Submit("amt-a-bauamt", "Jörg Weiß", "Zaun an der Hauptstraße");
  auto c = cases_->Get("amt-a", id);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->applicant_name, "Jörg Weiß");
  EXPECT_EQ(c->applicant_email, "x@example.org");
  EXPECT_EQ(c->status, "received");
  EXPECT_EQ(c->department_id, "bauamt");
  ASSERT_TRUE(c->due_at.has_value());
  EXPECT_EQ(*c->due_at - c->submitted_at, std::chrono::days(14));  // the service's processing time
  EXPECT_EQ(Count("SELECT COUNT(*) FROM case_texts WHERE source = 'case'"), 1);
  auto detail = cases_->Detail("amt-a", id);
  ASSERT_TRUE(detail.ok()) << detail.error().ToString();
  EXPECT_EQ((*detail)["openTasks"].size(), 1u);
  EXPECT_EQ((*detail)["openTasks"][0]["candidateGroups"], Json::array({"bauamt"}));
  EXPECT_EQ((*detail)["process"]["state"], "active");
  EXPECT_EQ((*detail)["department"]["name"], "bauamt");
  // Another tenant does not see it.
  EXPECT_EQ(cases_->Get("amt-b", id).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(cases_->Detail("amt-b", id).error().code(), core::ErrorCode::kNotFound);
}

TEST_P(CasesTest, InboxIsScopedByDepartmentAndAssignee) {
  std::string b1 = Submit("amt-a-bauamt", "A");
  std::string o1 = Submit("amt-a-ordnungsamt", "B");
  std::string b2 = Submit("amt-a-bauamt", "C");
  Submit("amt-b-bauamt", "other tenant");
  InboxFilter bau{.scope = "all", .login = "berta", .departments = {"bauamt"}};
  EXPECT_EQ(InboxCases("amt-a", bau), (std::vector<std::string>{b1, b2}));
  InboxFilter ord{.scope = "all", .login = "olaf", .departments = {"ordnungsamt"}};
  EXPECT_EQ(InboxCases("amt-a", ord), (std::vector<std::string>{o1}));
  InboxFilter both{.scope = "departments", .login = "lena", .departments = {"bauamt", "ordnungsamt"}};
  EXPECT_EQ(InboxCases("amt-a", both), (std::vector<std::string>{b1, o1, b2}));

  // Berta claims b2: it is hers, no longer "unassigned"; the case follows.
  std::string task = Tasks("amt-a", b2).at(0).task_id;
  ASSERT_TRUE(Assign("amt-a", task, "berta", "berta").ok());
  EXPECT_EQ(InboxCases("amt-a", {.scope = "mine", .login = "berta"}), (std::vector<std::string>{b2}));
  EXPECT_EQ(InboxCases("amt-a", {.scope = "unassigned", .login = "berta", .departments = {"bauamt"}}),
            (std::vector<std::string>{b1}));
  auto c = cases_->Get("amt-a", b2);
  EXPECT_EQ(c->status, "in_progress");
  EXPECT_EQ(c->assignee, std::optional<std::string>("berta"));
  // Someone else cannot claim it; a manager can take it over.
  EXPECT_EQ(Assign("amt-a", task, "olaf", "olaf").error().code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(Assign("amt-a", task, "olaf", "lena", true).ok());
  EXPECT_EQ(InboxCases("amt-a", {.scope = "mine", .login = "olaf"}), (std::vector<std::string>{b2}));
  // Unclaim: back to nobody, status stays in progress (the case was worked on).
  ASSERT_TRUE(Assign("amt-a", task, std::nullopt, "olaf").ok());
  EXPECT_EQ(cases_->Get("amt-a", b2)->assignee, std::nullopt);
  // One of "my" departments only; others refused.
  auto bad = cases_->Inbox("amt-a", {.scope = "all", .login = "olaf", .departments = {"ordnungsamt"},
                                     .department = "bauamt"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details().at(0).pointer, "/department");
  // Paging the inbox: two pages of one and one, then the end.
  auto p1 = cases_->Inbox("amt-a", {.scope = "departments", .departments = {"bauamt"}, .limit = 1});
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->items.size(), 1u);
  auto p2 = cases_->Inbox("amt-a", {.scope = "departments", .departments = {"bauamt"}, .cursor = p1->next_cursor,
                                    .limit = 1});
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_NE(p1->items[0].task.task_id, p2->items[0].task.task_id);
  EXPECT_EQ(p2->next_cursor, "");
}

TEST_P(CasesTest, ListFiltersSortsAndPagesStably) {
  std::vector<std::string> all;
  for (int i = 0; i < 7; ++i) all.push_back(Submit(i % 2 == 0 ? "amt-a-bauamt" : "amt-a-ordnungsamt", "P" + std::to_string(i)));
  // Newest first by default; pages of 3 joined are the whole list, even when
  // new cases arrive between the pages.
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto p = cases_->List("amt-a", {.cursor = cursor, .limit = 3});
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    for (auto& id : Ids(*p)) seen.push_back(id);
    cursor = p->next_cursor;
    if (pages++ == 0) Submit("amt-a-bauamt", "late arrival");  // newer than every page: not in this walk
  } while (!cursor.empty());
  std::vector<std::string> expected(all.rbegin(), all.rend());
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 3);

  auto bau = cases_->List("amt-a", {.department = "ordnungsamt", .descending = false});
  ASSERT_TRUE(bau.ok());
  EXPECT_EQ(Ids(*bau), (std::vector<std::string>{all[1], all[3], all[5]}));
  auto svc = cases_->List("amt-a", {.service = "amt-a-ordnungsamt", .sort = "number", .descending = false, .limit = 2});
  ASSERT_TRUE(svc.ok());
  EXPECT_EQ(Ids(*svc), (std::vector<std::string>{all[1], all[3]}));
  auto svc2 = cases_->List("amt-a", {.service = "amt-a-ordnungsamt", .sort = "number", .descending = false,
                                     .cursor = svc->next_cursor, .limit = 2});
  ASSERT_TRUE(svc2.ok());
  EXPECT_EQ(Ids(*svc2), (std::vector<std::string>{all[5]}));
  // Submitted range [case 2, case 4).
  auto c2 = cases_->Get("amt-a", all[2]);
  auto c4 = cases_->Get("amt-a", all[4]);
  auto range = cases_->List("amt-a", {.submitted_from = c2->submitted_at, .submitted_to = c4->submitted_at,
                                      .descending = false});
  EXPECT_EQ(Ids(*range), (std::vector<std::string>{all[2], all[3]}));
  // Status and assignee follow a claim; sort by due date works.
  ASSERT_TRUE(Assign("amt-a", Tasks("amt-a", all[3]).at(0).task_id, "olaf", "olaf").ok());
  EXPECT_EQ(Ids(*cases_->List("amt-a", {.status = "in_progress"})), (std::vector<std::string>{all[3]}));
  EXPECT_EQ(Ids(*cases_->List("amt-a", {.assignee = "olaf"})), (std::vector<std::string>{all[3]}));
  auto due = cases_->List("amt-a", {.sort = "due", .descending = false, .limit = 2});
  EXPECT_EQ(Ids(*due), (std::vector<std::string>{all[0], all[1]}));
  // Tenant isolation and bad parameters.
  EXPECT_TRUE(cases_->List("amt-b", {})->items.empty());
  auto bad = cases_->List("amt-a", {.status = "lost"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details().at(0).pointer, "/status");
  auto wrong_cursor = cases_->List("amt-a", {.sort = "number", .cursor = cursor.empty() ? svc->next_cursor : cursor});
  EXPECT_TRUE(wrong_cursor.ok());  // a number cursor for a number sort is fine
  auto mixed = cases_->List("amt-a", {.sort = "submitted", .cursor = svc->next_cursor});
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().details().at(0).pointer, "/cursor");
  EXPECT_FALSE(cases_->List("amt-a", {.cursor = "not-a-cursor!"}).ok());
}

TEST_P(CasesTest, HandOverMovesTheOpenTasksToTheNewDepartmentInOneTransaction) {
  std::string id = Submit("amt-a-bauamt", "Landed wrong");
  std::string task = Tasks("amt-a", id).at(0).task_id;
  ASSERT_TRUE(Assign("amt-a", task, "berta", "berta").ok());
  int64_t audit_before = Count("SELECT COUNT(*) FROM audit_log");
  // Refused: unknown department, no reason, same department — nothing changes.
  auto bad = Wait<Json>([&](auto cb) { cases_->HandOver("amt-a", id, "nirgendwo", "falsch", {"berta", "user:b"}, cb); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details().at(0).pointer, "/department");
  auto no_reason = Wait<Json>([&](auto cb) { cases_->HandOver("amt-a", id, "ordnungsamt", " ", {"berta", "user:b"}, cb); });
  EXPECT_EQ(no_reason.error().details().at(0).pointer, "/reason");
  auto same = Wait<Json>([&](auto cb) { cases_->HandOver("amt-a", id, "bauamt", "x", {"berta", "user:b"}, cb); });
  EXPECT_FALSE(same.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit_before);
  EXPECT_EQ(Tasks("amt-a", id).at(0).candidate_groups, std::vector<std::string>{"bauamt"});

  auto moved = Wait<Json>([&](auto cb) {
    cases_->HandOver("amt-a", id, "ordnungsamt", "Sondernutzung, nicht Bau", {"berta", "user:b"}, cb);
  });
  ASSERT_TRUE(moved.ok()) << moved.error().ToString();
  EXPECT_EQ((*moved)["tasksMoved"], 1);
  EXPECT_EQ((*moved)["from"], "bauamt");
  auto t = Tasks("amt-a", id).at(0);
  EXPECT_EQ(t.candidate_groups, std::vector<std::string>{"ordnungsamt"});
  EXPECT_EQ(t.assignee, std::nullopt);
  EXPECT_EQ(cases_->Get("amt-a", id)->department_id, "ordnungsamt");
  EXPECT_TRUE(InboxCases("amt-a", {.scope = "departments", .departments = {"bauamt"}}).empty());
  EXPECT_EQ(InboxCases("amt-a", {.scope = "departments", .departments = {"ordnungsamt"}}),
            std::vector<std::string>{id});
  auto detail = cases_->Detail("amt-a", id);
  ASSERT_EQ((*detail)["handovers"].size(), 1u);
  EXPECT_EQ((*detail)["handovers"][0]["reason"], "Sondernutzung, nicht Bau");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'cases.handed_over'"), 1);
  // The next task of the process goes to the new department too (responsibleDepartment changed).
  ASSERT_TRUE(Complete("amt-a", t.task_id, Json{{"ergebnis", "vollstaendig"}}, "olaf").ok());
  EXPECT_EQ(Tasks("amt-a", id).at(0).candidate_groups, std::vector<std::string>{"ordnungsamt"});
}

TEST_P(CasesTest, CompleteValidatesLikeIntakeAndChangesNothingOnInvalidData) {
  std::string id = Submit("amt-a-bauamt", "Form check");
  std::string task = Tasks("amt-a", id).at(0).task_id;
  int64_t history = Count("SELECT COUNT(*) FROM engine_history");
  int64_t audit = Count("SELECT COUNT(*) FROM audit_log");
  auto bad = Complete("amt-a", task, Json{{"ergebnis", "vielleicht"}, {"vermerk", std::string(30, 'x')}}, "berta");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), core::ErrorCode::kInvalidArgument);
  std::set<std::string> pointers;
  for (const auto& d : bad.error().details()) pointers.insert(d.pointer);
  EXPECT_EQ(pointers, (std::set<std::string>{"/ergebnis", "/vermerk"}));
  auto unknown = Complete("amt-a", task, Json{{"ergebnis", "fehlt"}, {"extra", 1}}, "berta");
  EXPECT_EQ(unknown.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_history"), history);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit);
  EXPECT_EQ(Tasks("amt-a", id).at(0).task_id, task);
  // Held by someone else: refused.
  ASSERT_TRUE(Assign("amt-a", task, "olaf", "olaf").ok());
  EXPECT_EQ(Complete("amt-a", task, Json{{"ergebnis", "fehlt"}}, "berta").error().code(),
            core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(Assign("amt-a", task, std::nullopt, "olaf").ok());
  auto ok = Complete("amt-a", task, Json{{"ergebnis", "vollstaendig"}, {"vermerk", "passt"}}, "berta");
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ((*ok)["caseStatus"], "in_progress");
  auto inst = engine_->GetInstance("amt-a", cases_->Get("amt-a", id)->instance_id);
  EXPECT_EQ(inst->variables["ergebnis"], "vollstaendig");
  // The second task has no form: any object; completing it closes the case.
  auto next = Tasks("amt-a", id).at(0);
  EXPECT_EQ(next.element_id, "entscheiden");
  auto done = Complete("amt-a", next.task_id, Json{{"bescheid", "genehmigt"}}, "berta");
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_EQ((*done)["caseStatus"], "closed");
  auto c = cases_->Get("amt-a", id);
  EXPECT_EQ(c->status, "closed");
  EXPECT_TRUE(c->closed_at.has_value());
  EXPECT_EQ(c->assignee, std::optional<std::string>("berta"));
  // Another tenant cannot complete (or see) the task.
  EXPECT_EQ(Complete("amt-b", next.task_id, Json::object(), "x").error().code(), core::ErrorCode::kNotFound);
}

TEST_P(CasesTest, FullTextFindsUmlautAndSharpSWords) {
  std::string a = Submit("amt-a-bauamt", "Jürgen Müller", "Zufahrt über die Straße blockiert", "Lindenstraße 4");
  std::string b = Submit("amt-a-bauamt", "Erika Schmidt", "Anträge für den Garten", "Gartenweg 1");
  std::string c = Submit("amt-a-ordnungsamt", "Hans Meier", "Plakate zur Wahl");
  Submit("amt-b-bauamt", "Jürgen Müller", "Straße in Tenant B");
  auto ids = [&](std::string_view q) {
    std::set<std::string> out;
    auto r = cases_->Search("amt-a", q);
    EXPECT_TRUE(r.ok()) << q << ": " << r.error().ToString();
    if (r.ok()) for (const auto& h : r->hits) out.insert(h.case_summary.case_id);
    return out;
  };
  EXPECT_EQ(ids("Müller"), std::set<std::string>{a});
  EXPECT_EQ(ids("Straße"), std::set<std::string>{a});
  EXPECT_EQ(ids("strasse"), std::set<std::string>{a});  // ß folded (SQLite) / Snowball ß→ss (PG)
  EXPECT_EQ(ids("Plakate Wahl"), std::set<std::string>{c});
  EXPECT_TRUE(ids("Bürgermeister").empty());
  if (GetParam() == store::Dialect::kSqlite) {
    EXPECT_EQ(ids("muller"), std::set<std::string>{a});           // diacritics removed
    EXPECT_EQ(ids("linden"), std::set<std::string>{a});           // prefix
  } else {
    EXPECT_EQ(ids("Antrag"), std::set<std::string>{b});           // German stemming: Anträge ~ Antrag
    EXPECT_EQ(ids("Plakat"), std::set<std::string>{c});
  }
  // The case list's text filter combines with other filters.
  auto list = cases_->List("amt-a", {.department = "bauamt", .q = "Müller"});
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(Ids(*list), std::vector<std::string>{a});
  // Other sources (documents, messages) add their text.
  ASSERT_TRUE(db_->writer().Run([&](store::Tx& tx) {
    return IndexTextInTx(tx, "amt-a", c, "document:1", "Lageplan Flurstück 17/3 Baugrube");
  }).ok());
  EXPECT_EQ(ids("Baugrube"), std::set<std::string>{c});
  ASSERT_TRUE(db_->writer().Run([&](store::Tx& tx) { return IndexTextInTx(tx, "amt-a", c, "document:1", ""); }).ok());
  EXPECT_TRUE(ids("Baugrube").empty());
  EXPECT_FALSE(cases_->Search("amt-a", "  ** ").ok());
}

TEST_P(CasesTest, SearchRanksOnlyTheNewestWindowAndSaysSo) {
  std::string oldest = Submit("amt-a-bauamt", "Zaunbauer Eins", "Zaun Zaun Zaun Zaun");  // best bm25, but oldest
  std::string mid = Submit("amt-a-bauamt", "Zweite Person", "Zaun");
  std::string newest = Submit("amt-a-ordnungsamt", "Dritte Person", "Zaun am Weg");
  Submit("amt-b-bauamt", "Andere Kommune", "Zaun");  // other tenant: never in the window
  auto run = [&](int window) {
    auto r = db_->Read([&](store::Tx& tx) { return internal::SearchCases(tx, "amt-a", "Zaun", 20, window); });
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : SearchResult{};
  };
  auto ids = [](const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.case_summary.case_id);
    return out;
  };
  // A window larger than the match set: every match ranked, the repeated word first.
  SearchResult all = run(10);
  EXPECT_TRUE(all.all_ranked);
  ASSERT_EQ(all.hits.size(), 3u);
  EXPECT_EQ(all.hits.front().case_summary.case_id, oldest);
  EXPECT_EQ((std::set<std::string>{mid, newest}), (std::set<std::string>{all.hits[1].case_summary.case_id,
                                                                          all.hits[2].case_summary.case_id}));
  // A window of 2: only the two newest of this tenant are ranked, and the result says so.
  SearchResult win = run(2);
  EXPECT_FALSE(win.all_ranked);
  EXPECT_EQ(win.window, 2);
  auto got = ids(win);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), (std::set<std::string>{mid, newest}));
  // Exactly the match set: complete.
  EXPECT_TRUE(run(4).all_ranked);
  // Through Cases: the default window holds all three.
  auto viaCases = cases_->Search("amt-a", "Zaun", 2);
  ASSERT_TRUE(viaCases.ok());
  EXPECT_TRUE(viaCases->all_ranked);
  EXPECT_EQ(viaCases->window, kSearchWindow);
  ASSERT_EQ(viaCases->hits.size(), 2u);  // limit applies after ranking
  EXPECT_EQ(viaCases->hits.front().case_summary.case_id, oldest);
}

TEST_P(CasesTest, ListWithTextWalksMatchesNewestFirstWithFiltersAndPages) {
  std::vector<std::string> bau;  // matching bauamt cases, oldest first
  std::string ordnung;
  for (int i = 0; i < 7; ++i) {
    if (i == 3) ordnung = Submit("amt-a-ordnungsamt", "Kaufmann " + std::to_string(i), "Kaufvertrag Grundstück");
    bau.push_back(Submit("amt-a-bauamt", "Kaufmann " + std::to_string(i), "Kaufvertrag Grundstück"));
    Submit("amt-a-bauamt", "Andere " + std::to_string(i), "Zaun");  // no match
  }
  Submit("amt-b-bauamt", "Kaufmann B", "Kaufvertrag Grundstück");  // other tenant
  // A second matching text of an older case (a document): listed once — on
  // SQLite at its newest matching text (the walk follows the text index), on
  // PostgreSQL at the case's place (the walk follows the time-ordered case id).
  ASSERT_TRUE(db_->writer().Run([&](store::Tx& tx) {
    return IndexTextInTx(tx, "amt-a", bau[1], "document:1", "Kaufvertrag Entwurf");
  }).ok());
  std::vector<std::string> expected{bau[1], bau[6], bau[5], bau[4], bau[3], bau[2], bau[0]};
  if (GetParam() == store::Dialect::kPostgres) expected = {bau[6], bau[5], bau[4], bau[3], bau[2], bau[1], bau[0]};
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto p = cases_->List("amt-a", {.department = "bauamt", .q = "Kaufvertrag", .cursor = cursor, .limit = 3});
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    EXPECT_LE(p->items.size(), 3u);
    for (auto& id : Ids(*p)) seen.push_back(id);
    cursor = p->next_cursor;
    if (pages++ == 0) Submit("amt-a-bauamt", "Kaufmann spät", "Kaufvertrag");  // newer than the walk: not in it
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 3);
  // Without the department filter the other department's match is in the walk too.
  auto all = cases_->List("amt-a", {.q = "Kaufvertrag Grundstück", .limit = 200});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> all_ids = Ids(*all);
  std::set<std::string> got(all_ids.begin(), all_ids.end());
  std::set<std::string> want(bau.begin(), bau.end());
  want.insert(ordnung);
  EXPECT_EQ(got, want);
  EXPECT_EQ(all_ids.size(), want.size());
  // Cursors do not cross: a plain list's cursor in a text walk and back are refused naming /cursor.
  auto plain = cases_->List("amt-a", {.limit = 1});
  ASSERT_TRUE(plain.ok());
  auto wrong = cases_->List("amt-a", {.q = "Kaufvertrag", .cursor = plain->next_cursor, .limit = 1});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong.error().ToString().find("/cursor"), std::string::npos);
  auto walk = cases_->List("amt-a", {.q = "Kaufvertrag", .limit = 1});
  ASSERT_TRUE(walk.ok());
  ASSERT_FALSE(walk->next_cursor.empty());
  EXPECT_FALSE(cases_->List("amt-a", {.cursor = walk->next_cursor, .limit = 1}).ok());
  if (GetParam() == store::Dialect::kSqlite) {
    // A half-typed word: no exact match, so the walk takes the words as prefixes.
    auto half = cases_->List("amt-a", {.department = "bauamt", .q = "Kaufver", .limit = 200});
    ASSERT_TRUE(half.ok());
    EXPECT_EQ(half->items.size(), bau.size() + 1);  // + the late arrival
  }
  // Other sort orders with q still filter by every match.
  auto by_number = cases_->List("amt-a", {.department = "bauamt", .q = "Kaufvertrag", .sort = "number",
                                          .descending = false, .limit = 200});
  ASSERT_TRUE(by_number.ok());
  EXPECT_EQ(Ids(*by_number).size(), bau.size() + 1);  // + the late arrival
}

TEST_P(CasesTest, SearchPagesThroughTheWindowThenTheOlderMatchesOnce) {
  std::vector<std::string> zaun;
  for (int i = 0; i < 9; ++i) {
    zaun.push_back(Submit(i % 2 == 0 ? "amt-a-bauamt" : "amt-a-ordnungsamt", "Person " + std::to_string(i),
                          i == 0 ? "Zaun Zaun Zaun Zaun" : "Zaun am Weg"));
    Submit("amt-a-bauamt", "Niemand " + std::to_string(i), "Garage");
  }
  Submit("amt-b-bauamt", "Andere Kommune", "Zaun");
  // The oldest case gets a newer matching text too: it must still come once.
  ASSERT_TRUE(db_->writer().Run([&](store::Tx& tx) {
    return IndexTextInTx(tx, "amt-a", zaun[0], "note:1", "Zaun neu gesetzt");
  }).ok());
  for (int window : {3, 4, 1000}) {
    cases_->set_search_window(window);
    for (int limit : {1, 2, 4}) {
      std::vector<std::string> seen;
      std::vector<double> ranks;
      std::string cursor;
      int pages = 0;
      bool ranked = true;
      do {
        auto r = cases_->Search("amt-a", "Zaun", limit, cursor);
        ASSERT_TRUE(r.ok()) << r.error().ToString();
        EXPECT_LE(static_cast<int>(r->hits.size()), limit);
        if (pages == 0) ranked = r->all_ranked;
        for (auto& h : r->hits) {
          seen.push_back(h.case_summary.case_id);
          ranks.push_back(h.rank);
        }
        cursor = r->next_cursor;
        if (pages++ == 0) Submit("amt-a-bauamt", "Spät", "Zaun");  // after page 1: not in later pages
      } while (!cursor.empty() && pages < 40);
      SCOPED_TRACE("window " + std::to_string(window) + " limit " + std::to_string(limit));
      EXPECT_EQ(ranked, window >= 11);
      std::set<std::string> unique(seen.begin(), seen.end());
      EXPECT_EQ(unique.size(), seen.size());  // no case twice
      EXPECT_EQ(unique, std::set<std::string>(zaun.begin(), zaun.end()));
      // Ranked hits (rank > 0) come before the walk (rank 0), best first.
      for (size_t i = 1; i < ranks.size(); ++i) EXPECT_LE(ranks[i], ranks[i - 1]);
      if (window >= 11) {
        EXPECT_EQ(seen.front(), zaun[0]);  // four times the word and a note
      }
      // Remove the late case again so every round sees the same data.
      auto late = cases_->Search("amt-a", "Spät", 5);
      ASSERT_TRUE(late.ok());
      for (auto& h : late->hits) {
        ASSERT_TRUE(db_->writer().Run([&](store::Tx& tx) {
          return IndexTextInTx(tx, "amt-a", h.case_summary.case_id, "case", "");
        }).ok());
      }
    }
  }
  cases_->set_search_window(kSearchWindow);
  EXPECT_FALSE(cases_->Search("amt-a", "Zaun", 2, "bm90LWEtY3Vyc29y").ok());
  auto list_cursor = cases_->List("amt-a", {.limit = 1});
  ASSERT_TRUE(list_cursor.ok());
  auto bad = cases_->Search("amt-a", "Zaun", 2, list_cursor->next_cursor);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().ToString().find("/cursor"), std::string::npos);
}

TEST_P(CasesTest, TimelineMergesHistoryAuditAndNotesInTimeOrder) {
  std::string id = Submit("amt-a-bauamt", "Timeline");
  std::string task = Tasks("amt-a", id).at(0).task_id;
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Assign("amt-a", task, "berta", "berta").ok());
  clock_.Advance(std::chrono::minutes(1));
  auto note = Wait<Note>([&](auto cb) { cases_->AddNote("amt-a", id, {"berta", "user:b"}, "Rückruf vereinbart", cb); });
  ASSERT_TRUE(note.ok()) << note.error().ToString();
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Complete("amt-a", task, Json{{"ergebnis", "vollstaendig"}}, "berta").ok());
  auto empty = Wait<Note>([&](auto cb) { cases_->AddNote("amt-a", id, {"berta", "user:b"}, "  ", cb); });
  EXPECT_EQ(empty.error().details().at(0).pointer, "/text");

  auto tl = cases_->Timeline("amt-a", id);
  ASSERT_TRUE(tl.ok()) << tl.error().ToString();
  std::vector<std::string> types;
  std::string prev;
  for (const auto& e : *tl) {
    std::string at = e["at"];
    EXPECT_LE(prev, at) << e.dump();
    prev = at;
    types.push_back(e["kind"].get<std::string>() + ":" + e["type"].get<std::string>());
  }
  auto pos = [&](const std::string& t) {
    return std::find(types.begin(), types.end(), t) - types.begin();
  };
  ASSERT_LT(pos("process:instance_started"), static_cast<long>(types.size()));
  ASSERT_LT(pos("audit:intake.case_submitted"), static_cast<long>(types.size()));
  EXPECT_LT(pos("audit:intake.case_submitted"), pos("audit:cases.task_claimed"));
  EXPECT_LT(pos("audit:cases.task_claimed"), pos("note:note"));
  EXPECT_LT(pos("note:note"), pos("audit:cases.task_completed"));
  EXPECT_LT(pos("note:note"), pos("process:user_task_completed"));
  auto notes = cases_->Notes("amt-a", id);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].text, "Rückruf vereinbart");
  EXPECT_EQ(cases_->Timeline("amt-b", id).error().code(), core::ErrorCode::kNotFound);
}

TEST_P(CasesTest, CitizenStatusFollowsTheCaseWithoutInternals) {
  std::string id = Submit("amt-a-bauamt", "Status Citizen");
  auto c = cases_->Get("amt-a", id);
  ASSERT_TRUE(c.ok());
  std::string code = intake::FormatTrackingCode(c->tracking_code);
  auto s = cases_->CitizenStatus("amt-a", code);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ((*s)["stage"], "received");
  EXPECT_EQ((*s)["trackingCode"], code);
  EXPECT_EQ((*s)["service"]["id"], "amt-a-bauamt");
  // Forgiving spelling, but only within the case's tenant.
  std::string lower = code;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(cases_->CitizenStatus("amt-a", lower).ok());
  EXPECT_EQ(cases_->CitizenStatus("amt-b", code).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(cases_->CitizenStatus("amt-a", "0000-0000-0000").error().code(), core::ErrorCode::kNotFound);

  std::string task = Tasks("amt-a", id).at(0).task_id;
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(Assign("amt-a", task, "berta", "berta").ok());
  auto note = Wait<Note>([&](auto cb) { cases_->AddNote("amt-a", id, {"berta", "user:berta"}, "Interner Vermerk", cb); });
  ASSERT_TRUE(note.ok());
  s = cases_->CitizenStatus("amt-a", code);
  EXPECT_EQ((*s)["stage"], "in_progress");
  EXPECT_EQ((*s)["stages"][1]["at"], core::FormatIso8601(clock_.Now()));
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(WaitStatus([&](auto cb) { cases_->SetStatus("amt-a", id, "waiting", {"berta", "user:berta"}, cb); }).ok());
  s = cases_->CitizenStatus("amt-a", code);
  EXPECT_EQ((*s)["stage"], "waiting");
  // No staff name, note or task name in what the citizen sees.
  std::string body = s->dump();
  for (const char* secret : {"berta", "Interner Vermerk", "Antrag prüfen", "Status Citizen"}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret;
  }
  ASSERT_TRUE(WaitStatus([&](auto cb) { cases_->SetStatus("amt-a", id, "in_progress", {"berta", "user:berta"}, cb); }).ok());
  ASSERT_TRUE(Complete("amt-a", task, Json{{"ergebnis", "vollstaendig"}}, "berta").ok());
  std::string last = Tasks("amt-a", id).at(0).task_id;
  ASSERT_TRUE(Assign("amt-a", last, "berta", "berta").ok());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Complete("amt-a", last, Json::object(), "berta").ok());
  s = cases_->CitizenStatus("amt-a", code);
  EXPECT_EQ((*s)["stage"], "completed");
  EXPECT_EQ((*s)["stages"].back()["at"], core::FormatIso8601(clock_.Now()));
}

AW_STORE_INSTANTIATE(CasesTest);

}  // namespace
}  // namespace amtsweg::cases
