#include "records/retention.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "records/records_test_util.h"

#include <fstream>

#include "core/hash.h"
#include "intake/attachment_store.h"
#include "postfach/postfach.h"

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

  // The history events of both cases, and how many of the ended case's carry data.
  auto instance_of = [&](const std::string& case_id) {
    auto id = db_->Read([&](store::Tx& tx) -> core::Result<std::string> {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id FROM cases WHERE case_id = $1", {case_id}));
      return row->Text(0);
    });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : std::string();
  };
  auto ended_history = engine_->History("amt-a", instance_of(ended));
  auto open_history = engine_->History("amt-a", instance_of(open));
  ASSERT_TRUE(ended_history.ok() && open_history.ok());
  int with_data = 0;
  for (const auto& e : *ended_history) with_data += e.data.is_null() ? 0 : 1;
  ASSERT_GT(with_data, 0);

  auto run = RunRetention(*records_, {.tenant = "amt-a"});
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  const Json& rep = (*run)[0];
  EXPECT_EQ(rep["counts"]["historyEvents"], with_data);
  // Events, element ids, keys and times stay; only their data is gone. The open case's history is unchanged.
  auto ended_after = engine_->History("amt-a", instance_of(ended));
  ASSERT_TRUE(ended_after.ok());
  ASSERT_EQ(ended_after->size(), ended_history->size());
  for (size_t i = 0; i < ended_after->size(); ++i) {
    EXPECT_EQ((*ended_after)[i].seq, (*ended_history)[i].seq);
    EXPECT_EQ((*ended_after)[i].at, (*ended_history)[i].at);
    EXPECT_EQ((*ended_after)[i].event, (*ended_history)[i].event);
    EXPECT_EQ((*ended_after)[i].element_id, (*ended_history)[i].element_id);
    EXPECT_EQ((*ended_after)[i].element_key, (*ended_history)[i].element_key);
    EXPECT_TRUE((*ended_after)[i].data.is_null()) << i;
  }
  auto open_after = engine_->History("amt-a", instance_of(open));
  ASSERT_TRUE(open_after.ok());
  ASSERT_EQ(open_after->size(), open_history->size());
  for (size_t i = 0; i < open_after->size(); ++i) EXPECT_EQ((*open_after)[i].data, (*open_history)[i].data) << i;
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
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_instances i JOIN cases c ON c.tenant_id = i.tenant_id AND "
                  "c.instance_id = i.instance_id WHERE c.case_id = '" + ended + "' AND i.vars <> '{}'"),
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

// Issue 7's "nothing left behind": the other layers' traces of an expired
// case go too (search rows, applicant columns, notes, hand-over reasons,
// postbox messages with their files, mail, webhook payloads), the report names
// each, the audit chain stays intact, and another case's traces stay.
TEST_P(RetentionTest, RemovesTheTracesOtherLayersKeptOfTheCase) {
  std::string pdf = intake::testing::TinyPdf();
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  std::string ended = Submit("amt-a", "Jürgen Müller", pdf);
  ASSERT_EQ(*RunBescheidJobs(*records_), 1);
  std::string open = Submit("amt-a", "Erika Mustermann", pdf);
  intake::AttachmentStore postbox(files_dir_ / postfach::kFilesSubdir);
  const std::string shared_bytes = "Bitte Lageplan nachreichen";  // attached in both cases' threads
  const std::string own_bytes = "Ausweiskopie Jürgen Müller";
  auto write_file = [&](const std::string& bytes) {
    auto path = postbox.PathOf("amt-a", core::Sha256Hex(bytes));
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  };
  auto shared_path = write_file(shared_bytes);
  auto own_path = write_file(own_bytes);
  // Traces as the cases/ and postfach/ layers write them.
  auto traces = [&](const std::string& case_id, bool with_own) {
    return db_->writer().Run([&](store::Tx& tx) -> core::Status {
      std::vector<store::Value> k{store::Value("amt-a"), store::Value(case_id)};
      AW_TRY(tx.Exec("UPDATE cases SET applicant_name = 'Jürgen Müller', applicant_email = 'jm@example.org' "
                     "WHERE tenant_id = $1 AND case_id = $2", k));
      AW_TRY(tx.Exec("INSERT INTO case_texts (tenant_id, case_id, source, text) VALUES ($1, $2, 'case', "
                     "'Jürgen Müller Lindenstrasse 4')", k));
      AW_TRY(tx.Exec("INSERT INTO case_notes (tenant_id, case_id, note_id, author, actor, text, created_at) "
                     "VALUES ($1, $2, 'n1', 'berta', 'user:b', 'Herr Müller ruft zurück', 1)", k));
      AW_TRY(tx.Exec("INSERT INTO case_handovers (tenant_id, case_id, handover_id, from_department, to_department, "
                     "reason, actor, tasks_moved, at) VALUES ($1, $2, 'h1', 'tiefbau', 'bauamt', "
                     "'Herr Müller baut privat', 'user:b', 1, 1)", k));
      AW_TRY(tx.Exec("INSERT INTO postfach_messages (tenant_id, case_id, message_id, direction, subject, body, author, "
                     "created_at) VALUES ($1, $2, 'm1', 'to_office', 'Rückfrage', 'Mein Ausweis anbei', 'citizen', 1)",
                     k));
      AW_TRY(tx.Exec("INSERT INTO postfach_attachments (tenant_id, case_id, message_id, idx, filename, content_type, "
                     "size, sha256) VALUES ($1, $2, 'm1', 0, 'hinweis.txt', 'text/plain', 1, $3)",
                     {"amt-a", case_id, core::Sha256Hex(shared_bytes)}));
      if (with_own) {
        AW_TRY(tx.Exec("INSERT INTO postfach_attachments (tenant_id, case_id, message_id, idx, filename, "
                       "content_type, size, sha256) VALUES ($1, $2, 'm1', 1, 'ausweis.txt', 'text/plain', 1, $3)",
                       {"amt-a", case_id, core::Sha256Hex(own_bytes)}));
      }
      AW_TRY(tx.Exec("INSERT INTO postfach_mail_outbox (tenant_id, mail_id, case_id, message_id, recipient, subject, "
                     "body, status, attempts, next_attempt_at, last_error, created_at) VALUES ($1, $2 || '-mail', "
                     "$2, 'm1', 'jm@example.org', 'Neue Nachricht', 'Hallo Herr Müller', 'sent', 1, 0, '', 1)", k));
      AW_TRY(tx.Exec("INSERT INTO records_preview_links (tenant_id, token_hash, case_id, template, data, expires_at) "
                     "VALUES ($1, $2 || '-link', $2, 'erlaubnis', '{\"begruendung\": \"Herr Müller\"}', 1)", k));
      // A webhook delivery of the case's submission event, with its details.
      AW_ASSIGN_OR_RETURN(auto seq, tx.QueryOne("SELECT MIN(seq) FROM audit_log WHERE tenant_id = $1 AND "
                                                "object_type = 'case' AND object_id = $2", k));
      AW_TRY(tx.Exec("INSERT INTO webhook_deliveries (tenant_id, subscription_id, delivery_id, audit_seq, event_type, "
                     "payload, status, attempts, next_attempt_at, last_error, created_at) VALUES ($1, 's1', "
                     "'msg_' || $2, $3, 'intake.case_submitted', $4, 'delivered', 1, 0, '', 1)",
                     {"amt-a", case_id, seq->Int(0),
                      core::DumpJson(Json{{"type", "intake.case_submitted"}, {"timestamp", "2026-03-02T09:00:00Z"},
                                          {"data", {{"caseId", case_id}, {"actor", "anonymous"},
                                                    {"details", {{"note", "Müller"}}}}}})}));
      return core::OkStatus();
    });
  };
  ASSERT_TRUE(traces(ended, true).ok());
  ASSERT_TRUE(traces(open, false).ok());
  clock_->Advance(std::chrono::hours(24 * 367));

  auto dry = RunRetention(*records_, {.dry_run = true, .tenant = "amt-a"});
  ASSERT_TRUE(dry.ok()) << dry.error().ToString();
  const Json& planned = (*dry)[0]["counts"]["alsoRemoved"];
  EXPECT_EQ(planned["searchTexts"], 1);
  EXPECT_EQ(planned["messages"], 1);
  EXPECT_EQ(planned["messageFiles"], 1);  // the shared one stays
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages"), 2);  // the dry run changed nothing

  auto run = RunRetention(*records_, {.tenant = "amt-a"});
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  const Json& rep = (*run)[0];
  ASSERT_EQ(rep["cases"].size(), 1u);
  const Json& also = rep["cases"][0]["alsoRemoved"];
  EXPECT_EQ(also["searchTexts"], 1);
  EXPECT_EQ(also["applicantFields"], 1);
  EXPECT_EQ(also["notes"], 1);
  EXPECT_EQ(also["handoverReasons"], 1);
  EXPECT_EQ(also["messages"], 1);
  EXPECT_EQ(also["messageAttachments"], 2);
  EXPECT_EQ(also["messageFiles"], 1);
  EXPECT_EQ(also["mails"], 1);
  EXPECT_EQ(also["webhookPayloads"], 1);
  EXPECT_EQ(also["previewLinks"], 1);
  EXPECT_GE(rep["cases"][0]["auditEntriesKept"].get<int>(), 1);
  EXPECT_TRUE(rep.contains("kept") && rep["kept"].contains("auditEntries"));
  EXPECT_EQ(rep["counts"]["alsoRemoved"], also);

  auto of = [&](const std::string& table, const std::string& case_id, const std::string& extra = "") {
    return Count("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = 'amt-a' AND case_id = '" + case_id + "'" +
                 extra);
  };
  for (const char* t : {"case_texts", "case_notes", "postfach_messages", "postfach_attachments",
                        "postfach_mail_outbox", "records_preview_links"}) {
    EXPECT_EQ(of(t, ended), 0) << t;
    EXPECT_EQ(of(t, open), 1) << t << " of the open case";
  }
  EXPECT_EQ(of("case_handovers", ended, " AND reason = ''"), 1);
  EXPECT_EQ(of("cases", ended, " AND applicant_name = '' AND applicant_email = ''"), 1);
  EXPECT_EQ(of("cases", open, " AND applicant_name = 'Jürgen Müller'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'msg_" + ended +
                  "' AND payload LIKE '%Müller%'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'msg_" + ended +
                  "' AND payload LIKE '%" + ended + "%'"), 1);  // the event itself stays known
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'msg_" + open +
                  "' AND payload LIKE '%Müller%'"), 1);
  if (GetParam() == store::Dialect::kSqlite) {  // the FTS5 index follows its content table
    EXPECT_EQ(Count("SELECT COUNT(*) FROM cases_fts WHERE cases_fts MATCH 'lindenstrasse'"), 1);
  } else {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM case_texts WHERE tsv @@ to_tsquery('german', 'lindenstrasse')"), 1);
  }
  EXPECT_FALSE(std::filesystem::exists(own_path));
  EXPECT_TRUE(std::filesystem::exists(shared_path));
  auto chain = audit::Verify(*db_, std::string("amt-a"));
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->size(), 1u);
  EXPECT_TRUE((*chain)[0].intact) << (*chain)[0].problem;
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
