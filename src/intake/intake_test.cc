#include "intake/intake.h"

#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/catalog_test_util.h"
#include "intake/codes.h"
#include "intake/intake_test_util.h"
#include "intake/orphan_sweeper.h"
#include "store/store_test_util.h"

namespace amtsweg::intake {
namespace {

using core::Json;
namespace fs = std::filesystem;

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="aufgrabung" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Vollständigkeit prüfen">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

const char* kRouting = R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="routing"
             namespace="http://amtsweg.test/dmn">
  <inputData id="i_d" name="district"><variable name="district" typeRef="string"/></inputData>
  <decision id="routing" name="Zuständigkeit">
    <informationRequirement><requiredInput href="#i_d"/></informationRequirement>
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="in1" label="Ortsteil"><inputExpression typeRef="string"><text>district</text></inputExpression></input>
      <output id="o1" name="department" typeRef="string"/>
      <rule><inputEntry><text>"nord"</text></inputEntry><outputEntry><text>"tiefbau-nord"</text></outputEntry></rule>
      <rule><inputEntry><text>"sued"</text></inputEntry><outputEntry><text>"tiefbau-sued"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>)";

class IntakeTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-intake-files-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<Intake>(*db_, *catalog_, *engine_, IntakeOptions{.files_dir = files_dir_});

    ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant("amt-a")).ok());
    for (const char* d : {"tiefbau-nord", "tiefbau-sued"}) {
      ASSERT_TRUE(catalog_->CreateDepartment("amt-a", catalog::testing::SampleDepartment(d, d)).ok());
    }
    auto f = catalog_->AddFormVersion("amt-a", catalog::testing::SampleForm());
    ASSERT_TRUE(f.ok()) << f.error().ToString();
    auto dep = engine_->Deploy("amt-a", {{"aufgrabung.bpmn", kProcess}, {"routing.dmn", kRouting}});
    ASSERT_TRUE(dep.ok()) << dep.error().ToString();
    Json fixed = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau-nord"}});
    fixed["id"] = "aufgrabung-fix";
    ASSERT_TRUE(catalog_->CreateService("amt-a", fixed).ok());
    Json routed = catalog::testing::SampleService("aufgrabung", 1, {{"decision", "routing"}});
    routed["id"] = "aufgrabung-dmn";
    ASSERT_TRUE(catalog_->CreateService("amt-a", routed).ok());
  }
  void TearDown() override {
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  core::Result<Json> Submit(SubmitRequest r) {
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
    return f.get();
  }
  static SubmitRequest Request(const std::string& service, Json data) {
    SubmitRequest r;
    r.service_id = service;
    r.data = std::move(data);
    r.request_hash = Sha256Hex(core::DumpJson(r.data));
    return r;
  }
  int64_t Count(const std::string& table) { return ReadInt(*db_, "SELECT COUNT(*) FROM " + table); }
  size_t FilesOnDisk() {
    size_t n = 0;
    std::error_code ec;
    if (!fs::exists(files_dir_, ec)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(files_dir_)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }
  void ExpectNothingStored() {
    EXPECT_EQ(Count("cases"), 0);
    EXPECT_EQ(Count("intake_submissions"), 0);
    EXPECT_EQ(Count("intake_attachments"), 0);
    EXPECT_EQ(Count("audit_log"), 0);
    EXPECT_EQ(Count("engine_instances"), 0);
    EXPECT_EQ(FilesOnDisk(), 0u);
  }
  static bool HasPointer(const core::Error& e, std::string_view p) {
    for (const auto& d : e.details()) {
      if (d.pointer == p) return true;
    }
    return false;
  }

  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<Intake> intake_;
};

TEST_P(IntakeTest, SubmissionCreatesCaseDataAttachmentAuditAndTaskInOneGo) {
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "Jürgen Müller"}, {"district", "sued"},
                                               {"length", 12.5}, {"sitePlan", "files::plan"}, {"note", "Bitte rasch"}});
  r.files.push_back({"files::plan", "Lageplan.pdf", testing::TinyPdf()});
  auto out = Submit(std::move(r));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::string code = (*out)["trackingCode"];
  EXPECT_EQ(code.size(), 14u);
  EXPECT_TRUE(NormalizeTrackingCode(code).has_value());
  EXPECT_TRUE((*out)["caseNumber"].get<std::string>().ends_with("-000001")) << *out;
  EXPECT_EQ((*out)["attachments"][0]["sha256"], Sha256Hex(testing::TinyPdf()));

  EXPECT_EQ(Count("cases"), 1);
  EXPECT_EQ(Count("intake_submissions"), 1);
  EXPECT_EQ(Count("intake_attachments"), 1);
  EXPECT_EQ(Count("audit_log"), 1);
  auto stored = intake_->attachments().Get("amt-a", Sha256Hex(testing::TinyPdf()));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, testing::TinyPdf());

  // The process waits in the fixed department's inbox.
  auto tasks = engine_->ListUserTasks("amt-a");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].candidate_groups, std::vector<std::string>{"tiefbau-nord"});
  auto inst = engine_->GetInstance("amt-a", (*tasks)[0].instance_id);
  ASSERT_TRUE(inst.ok());
  EXPECT_EQ(inst->variables["applicant"], "Jürgen Müller");
  EXPECT_EQ(inst->variables["caseNumber"], (*out)["caseNumber"]);

  // Status: stage and time, no personal data.
  auto status = intake_->Status(code);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ((*status)["stage"], "received");
  EXPECT_EQ((*status)["expectedProcessingDays"], 14);
  EXPECT_EQ(core::DumpJson(*status).find("Müller"), std::string::npos);
  EXPECT_EQ(intake_->Status("0000-0000-0000").error().code(), core::ErrorCode::kNotFound);

  // Receipt: only with the key.
  std::string key = (*out)["receipt"]["key"];
  auto pdf = intake_->ReceiptPdf(code, key);
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_EQ(intake_->ReceiptPdf(code, "wrong").error().code(), core::ErrorCode::kNotFound);
}

TEST_P(IntakeTest, CaseNumbersCountUpWithoutGapsAfterAFailedSubmission) {
  ASSERT_TRUE(Submit(Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}})).ok());
  // A submission that fails inside the transaction (its service points to a process that is not
  // deployed) must not use up a number.
  Json broken = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau-nord"}});
  broken["id"] = "broken";
  broken["process"] = {{"id", "not-deployed"}};
  ASSERT_TRUE(catalog_->CreateService("amt-a", broken).ok());
  auto failed = Submit(Request("broken", {{"applicant", "B"}, {"district", "nord"}}));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), core::ErrorCode::kNotFound);
  auto second = Submit(Request("aufgrabung-fix", {{"applicant", "C"}, {"district", "nord"}}));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_TRUE((*second)["caseNumber"].get<std::string>().ends_with("-000002")) << *second;
  EXPECT_EQ(Count("cases"), 2);
}

TEST_P(IntakeTest, RoutingDecisionSendsTwoDistrictsToTwoDepartments) {
  auto nord = Submit(Request("aufgrabung-dmn", {{"applicant", "Nord GmbH"}, {"district", "nord"}}));
  auto sued = Submit(Request("aufgrabung-dmn", {{"applicant", "Süd GmbH"}, {"district", "sued"}}));
  ASSERT_TRUE(nord.ok()) << nord.error().ToString();
  ASSERT_TRUE(sued.ok()) << sued.error().ToString();
  auto tasks = engine_->ListUserTasks("amt-a");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 2u);
  std::map<std::string, std::string> group_by_applicant;
  for (const auto& t : *tasks) {
    auto inst = engine_->GetInstance("amt-a", t.instance_id);
    ASSERT_TRUE(inst.ok());
    ASSERT_EQ(t.candidate_groups.size(), 1u);
    group_by_applicant[inst->variables["applicant"]] = t.candidate_groups[0];
  }
  EXPECT_EQ(group_by_applicant["Nord GmbH"], "tiefbau-nord");
  EXPECT_EQ(group_by_applicant["Süd GmbH"], "tiefbau-sued");
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM cases WHERE department_id = 'tiefbau-sued'"), 1);
}

TEST_P(IntakeTest, IdempotencyKeyReturnsTheSameAnswerAndNeverASecondCase) {
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}});
  r.idempotency_key = "key-1";
  auto first = Submit(r);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto again = Submit(r);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*first, *again);
  EXPECT_EQ(Count("cases"), 1);
  EXPECT_EQ(Count("engine_instances"), 1);

  SubmitRequest other = Request("aufgrabung-fix", {{"applicant", "B"}, {"district", "nord"}});
  other.idempotency_key = "key-1";
  auto reused = Submit(other);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(reused.error().details().empty());
  EXPECT_EQ(Count("cases"), 1);
}

TEST_P(IntakeTest, ConcurrentRetriesWithOneKeyMakeOneCase) {
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}});
  r.idempotency_key = "key-2";
  std::vector<std::promise<core::Result<Json>>> ps(8);
  for (auto& p : ps) intake_->Submit(r, [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
  std::set<std::string> codes;
  for (auto& p : ps) {
    auto out = p.get_future().get();
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    codes.insert((*out)["trackingCode"].get<std::string>());
  }
  EXPECT_EQ(codes.size(), 1u);
  EXPECT_EQ(Count("cases"), 1);
}

TEST_P(IntakeTest, InvalidDataIsRefusedPerFieldInTheRequestedLanguageAndNothingIsStored) {
  SubmitRequest r = Request("aufgrabung-fix", {{"district", "west"}, {"length", 5000}, {"colour", "red"}});
  r.language = forms::Language::kEnglish;
  auto out = Submit(std::move(r));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasPointer(out.error(), "/applicant")) << out.error().ToString();
  EXPECT_TRUE(HasPointer(out.error(), "/district")) << out.error().ToString();
  EXPECT_TRUE(HasPointer(out.error(), "/length")) << out.error().ToString();
  EXPECT_TRUE(HasPointer(out.error(), "/colour")) << out.error().ToString();
  ExpectNothingStored();
}

TEST_P(IntakeTest, ExecutableDisguisedAsPdfIsRefusedAndNotWritten) {
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}, {"sitePlan", "files::plan"}});
  r.files.push_back({"files::plan", "Lageplan.pdf", testing::ElfBytes()});
  auto out = Submit(std::move(r));
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(HasPointer(out.error(), "/files/files::plan")) << out.error().ToString();
  ExpectNothingStored();
}

TEST_P(IntakeTest, MissingAndUnreferencedFilesAreRefused) {
  auto missing = Submit(Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}, {"sitePlan", "files::x"}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(HasPointer(missing.error(), "/sitePlan")) << missing.error().ToString();

  SubmitRequest extra = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}});
  extra.files.push_back({"files::stray", "x.pdf", testing::TinyPdf()});
  auto stray = Submit(std::move(extra));
  ASSERT_FALSE(stray.ok());
  EXPECT_TRUE(HasPointer(stray.error(), "/files/files::stray")) << stray.error().ToString();
  ExpectNothingStored();
}

TEST_P(IntakeTest, HiddenFieldIsNotStored) {
  // "note" is hidden when district = "nord".
  auto out = Submit(Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}, {"note", "geheim"}}));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  auto data = db_->Read([&](store::Tx& tx) -> core::Result<std::string> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT data FROM intake_submissions"));
    return row ? row->Text(0) : std::string();
  });
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->find("geheim"), std::string::npos) << *data;
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_variables WHERE vars LIKE '%geheim%'"), 0);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_instances WHERE vars LIKE '%geheim%'"), 0);
}

TEST_P(IntakeTest, UnpublishedOrUnknownServiceIsNotFound) {
  EXPECT_EQ(Submit(Request("nope", Json::object())).error().code(), core::ErrorCode::kNotFound);
  Json hidden = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau-nord"}});
  hidden["published"] = false;
  hidden["id"] = "draft-service";
  ASSERT_TRUE(catalog_->CreateService("amt-a", hidden).ok());
  EXPECT_EQ(Submit(Request("draft-service", {{"applicant", "A"}, {"district", "nord"}})).error().code(),
            core::ErrorCode::kNotFound);
}

TEST_P(IntakeTest, DraftIsSavedResumedAndUpdated) {
  auto d = intake_->CreateDraft("aufgrabung-fix", {{"applicant", "Jürgen"}});
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  std::string token = (*d)["token"];
  auto got = intake_->GetDraft(token);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["applicant"], "Jürgen");
  EXPECT_EQ((*got)["serviceId"], "aufgrabung-fix");
  auto upd = intake_->UpdateDraft(token, {{"applicant", "Jürgen"}, {"district", "sued"}});
  ASSERT_TRUE(upd.ok()) << upd.error().ToString();
  EXPECT_EQ((*upd)["data"]["district"], "sued");
  EXPECT_EQ(intake_->GetDraft("not-a-token").error().code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(intake_->CreateDraft("aufgrabung-fix", Json::array()).ok());
  // The database holds only the token's hash.
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM intake_drafts WHERE token_hash = '" + token + "'"), 0);
}

TEST_P(IntakeTest, SweepKeepsReferencedFilesAndRemovesOrphans) {
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}, {"sitePlan", "files::plan"}});
  r.files.push_back({"files::plan", "Lageplan.pdf", testing::TinyPdf()});
  ASSERT_TRUE(Submit(std::move(r)).ok());
  std::string orphan = "%PDF-1.4\norphan\n%%EOF\n";
  ASSERT_TRUE(intake_->attachments().Put("amt-a", Sha256Hex(orphan), orphan).ok());
  auto n = intake_->SweepOrphans("amt-a", std::chrono::seconds(0));
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(intake_->attachments().Get("amt-a", Sha256Hex(testing::TinyPdf())).ok());
  EXPECT_FALSE(intake_->attachments().Get("amt-a", Sha256Hex(orphan)).ok());
}

// The scheduled sweep (orphan_sweeper.h) across tenants, on an injected clock:
// an orphan older than the minimum age goes, a referenced file and a young
// orphan stay; the thread sweeps again on its own once the young one is old.
TEST_P(IntakeTest, ScheduledSweepRemovesOldOrphansOnlyAcrossTenants) {
  core::ManualClock clock(core::SystemClock::Instance().Now());
  Intake timed(*db_, *catalog_, *engine_, IntakeOptions{.files_dir = files_dir_, .clock = &clock});
  SubmitRequest r = Request("aufgrabung-fix", {{"applicant", "A"}, {"district", "nord"}, {"sitePlan", "files::plan"}});
  r.files.push_back({"files::plan", "Lageplan.pdf", testing::TinyPdf()});
  std::promise<core::Result<Json>> p;
  timed.Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
  auto submitted = p.get_future().get();
  ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
  std::string referenced = testing::TinyPdf();
  std::string old_a = "%PDF-1.4\nold orphan of amt-a\n%%EOF\n", old_b = "%PDF-1.4\nold orphan of amt-b\n%%EOF\n";
  std::string young = "%PDF-1.4\nyoung orphan\n%%EOF\n";
  ASSERT_TRUE(timed.attachments().Put("amt-a", Sha256Hex(old_a), old_a).ok());
  ASSERT_TRUE(timed.attachments().Put("amt-b", Sha256Hex(old_b), old_b).ok());
  clock.Advance(std::chrono::hours(2));
  ASSERT_TRUE(timed.attachments().Put("amt-a", Sha256Hex(young), young).ok());
  auto present = [&](const char* tenant, const std::string& bytes) {
    return fs::exists(timed.attachments().PathOf(tenant, Sha256Hex(bytes)));
  };

  core::metrics::Registry metrics;
  OrphanSweeper sweeper(timed, {.interval = std::chrono::hours(1), .min_age = std::chrono::hours(1)}, &metrics);
  auto report = sweeper.RunOnce();
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->tenants, 2);
  EXPECT_EQ(report->removed, 2);
  EXPECT_EQ(report->failed, 0);
  EXPECT_TRUE(present("amt-a", referenced));
  EXPECT_TRUE(present("amt-a", young));
  EXPECT_FALSE(present("amt-a", old_a));
  EXPECT_FALSE(present("amt-b", old_b));
  EXPECT_NE(metrics.Render().find("amtsweg_intake_orphans_removed_total 2"), std::string::npos) << metrics.Render();

  // On a schedule: the thread sweeps by itself; once the young orphan is old
  // too it goes, and the referenced file (now hours old) still stays.
  clock.Advance(std::chrono::hours(2));
  OrphanSweeper scheduled(timed, {.interval = std::chrono::seconds(0), .min_age = std::chrono::hours(1)}, nullptr);
  scheduled.Start();  // interval zero: never started
  EXPECT_EQ(scheduled.runs(), 0);
  OrphanSweeper ticking(timed, {.interval = std::chrono::seconds(1), .min_age = std::chrono::hours(1)}, nullptr);
  ticking.Start();
  for (int i = 0; i < 600 && ticking.runs() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ticking.Stop();
  ASSERT_GE(ticking.runs(), 1);
  EXPECT_FALSE(present("amt-a", young));
  EXPECT_TRUE(present("amt-a", referenced));
}

AW_STORE_INSTANTIATE(IntakeTest);

}  // namespace
}  // namespace amtsweg::intake
