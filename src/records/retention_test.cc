#include "records/retention.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

using core::Json;
using testing::RecordsTest;

class RetentionTest : public RecordsTest {};

TEST_P(RetentionTest, RemovesPersonalDataOfExpiredCasesAndKeepsASkeleton) {
  std::string pdf = intake::testing::TinyPdf();
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  std::string ended = Submit("amt-a", "Jürgen Müller", pdf);
  ASSERT_FALSE(ended.empty());
  std::string own_note = "Nur in diesem Fall.\n";
  ASSERT_TRUE(records_->AddDocumentSync("amt-a", {.case_id = ended, .filename = "n.txt", .bytes = own_note}).ok());
  ASSERT_EQ(*RunBescheidJobs(*records_), 1);  // the Bescheid completes the process: the case ends now
  // A second case with the same site plan stays open (its Bescheid job is not run).
  std::string open = Submit("amt-a", "Erika Mustermann", pdf);
  ASSERT_FALSE(open.empty());
  auto docs = records_->ListDocuments("amt-a", ended);
  ASSERT_EQ(docs->size(), 3u);  // site plan, note, Bescheid
  std::string bescheid_sha = (*docs)[2].versions[0].sha256;

  // Half a year later nothing has expired (P1Y).
  clock_->Advance(std::chrono::hours(24 * 182));
  auto early = RunRetention(*records_, {.tenant = "amt-a"});
  ASSERT_TRUE(early.ok()) << early.error().ToString();
  EXPECT_EQ((*early)[0]["counts"]["cases"], 0);

  clock_->Advance(std::chrono::hours(24 * 184));
  // A dry run reports and changes nothing.
  auto dry = RunRetention(*records_, {.dry_run = true, .tenant = "amt-a"});
  ASSERT_TRUE(dry.ok()) << dry.error().ToString();
  EXPECT_EQ((*dry)[0]["counts"]["cases"], 1);
  EXPECT_EQ((*dry)[0]["counts"]["documentVersions"], 3);
  EXPECT_EQ((*dry)[0]["counts"]["files"], 2);  // the note and the Bescheid; the site plan is shared
  EXPECT_EQ(Count("SELECT COUNT(*) FROM intake_submissions"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_retention_reports"), 1);  // the early run's (nothing removed)

  auto run = RunRetention(*records_, {.tenant = "amt-a"});
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  const Json& rep = (*run)[0];
  EXPECT_EQ(rep["counts"]["cases"], 1);
  EXPECT_EQ(rep["counts"]["formData"], 1);
  EXPECT_EQ(rep["counts"]["documentVersions"], 3);
  EXPECT_EQ(rep["counts"]["files"], 2);
  EXPECT_GE(rep["counts"]["variableScopes"].get<int>(), 1);
  EXPECT_EQ(rep["cases"][0]["caseId"], ended);

  // The expired case: no form data, documents, files, variables; skeleton kept.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM intake_submissions WHERE case_id = '" + ended + "'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM intake_attachments WHERE case_id = '" + ended + "'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents WHERE case_id = '" + ended + "'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cases WHERE case_id = '" + ended + "' AND stage = 'anonymised'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_variables v JOIN cases c ON c.tenant_id = v.tenant_id AND "
                  "c.instance_id = v.instance_id WHERE c.case_id = '" + ended + "' AND v.vars <> '{}'"),
            0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM engine_history h JOIN cases c ON c.tenant_id = h.tenant_id AND "
                  "c.instance_id = h.instance_id WHERE c.case_id = '" + ended + "'"),
            0);
  EXPECT_FALSE(std::filesystem::exists(records_->files().PathOf("amt-a", core::Sha256Hex(own_note))));
  EXPECT_FALSE(std::filesystem::exists(records_->files().PathOf("amt-a", bescheid_sha)));
  // The open case and its shared file are untouched.
  EXPECT_TRUE(std::filesystem::exists(records_->files().PathOf("amt-a", core::Sha256Hex(pdf))));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM intake_submissions WHERE case_id = '" + open + "'"), 1);
  auto open_docs = records_->ListDocuments("amt-a", open);
  ASSERT_EQ(open_docs->size(), 1u);
  EXPECT_TRUE(records_->ReadVersion("amt-a", open, "intake-0", 1).ok());

  // Stored report and audit entry.
  auto reports = ListRetentionReports(*records_, "amt-a");
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);  // newest first
  EXPECT_EQ((*reports)[0]["reportId"], rep["reportId"]);
  EXPECT_EQ((*reports)[1]["counts"]["cases"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id = 'amt-a' AND action = 'records.retention_ran'"), 2);
  auto chain = audit::Verify(*db_, std::string("amt-a"));
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE((*chain)[0].intact);

  // Running again removes nothing more; the other tenant was not touched.
  auto again = RunRetention(*records_, {});
  ASSERT_TRUE(again.ok());
  for (const auto& r : *again) EXPECT_EQ(r["counts"]["cases"], 0) << r;
}

TEST_P(RetentionTest, ServicesWithoutPeriodAreKeptAndListed) {
  Json svc = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau"}});
  svc["id"] = "ohne-frist";
  ASSERT_TRUE(catalog_->CreateService("amt-a", svc).ok());
  auto rep = RunRetention(*records_, {.dry_run = true, .tenant = "amt-a"});
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ((*rep)[0]["keptServices"], Json::array({"ohne-frist"}));
  svc["id"] = "falsche-frist";
  svc["retentionPeriod"] = "10 Jahre";
  auto bad = catalog_->CreateService("amt-a", svc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details().at(0).pointer, "/retentionPeriod");
}

AW_STORE_INSTANTIATE(RetentionTest);

}  // namespace
}  // namespace amtsweg::records
