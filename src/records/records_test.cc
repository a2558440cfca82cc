#include "records/records.h"

#include <gtest/gtest.h>

#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

using core::Json;
using testing::RecordsTest;

class DocumentsTest : public RecordsTest {};

TEST_P(DocumentsTest, IntakeAttachmentsComeFirstThenUploadsAndVersions) {
  std::string pdf = intake::testing::TinyPdf();
  std::string case_id = Submit("amt-a", "Jürgen Müller", pdf);
  ASSERT_FALSE(case_id.empty());

  auto docs = records_->ListDocuments("amt-a", case_id);
  ASSERT_TRUE(docs.ok()) << docs.error().ToString();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].document_id, "intake-0");
  ASSERT_EQ((*docs)[0].versions.size(), 1u);
  EXPECT_EQ((*docs)[0].versions[0].kind, "attachment");
  EXPECT_EQ((*docs)[0].versions[0].filename, "Lageplan.pdf");
  EXPECT_EQ((*docs)[0].versions[0].sha256, core::Sha256Hex(pdf));
  EXPECT_EQ((*docs)[0].versions[0].content_type, "application/pdf");

  std::string note = "Vermerk über den Ortstermin an der Straße – alles in Ordnung.\n";
  auto added = records_->AddDocumentSync(
      "amt-a", {.case_id = case_id, .title = "Vermerk Ortstermin", .filename = "vermerk.txt", .bytes = note,
                .actor = "user:u1"});
  ASSERT_TRUE(added.ok()) << added.error().ToString();
  EXPECT_EQ(added->version, 1);
  EXPECT_EQ(added->content_type, "text/plain");
  EXPECT_EQ(added->kind, "upload");
  EXPECT_EQ(added->created_by, "user:u1");

  // A new version of the citizen's site plan (a corrected PDF).
  std::string pdf2 = pdf + "% corrected\n";
  auto v2 = records_->AddDocumentSync("amt-a", {.case_id = case_id, .document_id = "intake-0",
                                                .filename = "Lageplan-korrigiert.pdf", .bytes = pdf2,
                                                .actor = "user:u1"});
  ASSERT_TRUE(v2.ok()) << v2.error().ToString();
  EXPECT_EQ(v2->version, 2);
  auto v3 = records_->AddDocumentSync("amt-a", {.case_id = case_id, .document_id = added->document_id,
                                                .filename = "vermerk.txt", .bytes = note + "Nachtrag.\n",
                                                .actor = "user:u2"});
  ASSERT_TRUE(v3.ok()) << v3.error().ToString();
  EXPECT_EQ(v3->version, 2);

  docs = records_->ListDocuments("amt-a", case_id);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].document_id, "intake-0");
  EXPECT_EQ((*docs)[0].versions.size(), 2u);
  EXPECT_EQ((*docs)[1].document_id, added->document_id);
  EXPECT_EQ((*docs)[1].versions.size(), 2u);

  auto read = records_->ReadVersion("amt-a", case_id, "intake-0", 2);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->second, pdf2);
  EXPECT_EQ(read->first.filename, "Lageplan-korrigiert.pdf");
  auto first = records_->ReadVersion("amt-a", case_id, "intake-0", 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->second, pdf);
  EXPECT_EQ(records_->ReadVersion("amt-a", case_id, "intake-0", 3).error().code(), core::ErrorCode::kNotFound);

  // One audit entry per change, naming the document and hash.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id = 'amt-a' AND action = 'records.document_added'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id = 'amt-a' AND action = 'records.version_added'"), 2);
  // The bytes are content-addressed on disk.
  EXPECT_TRUE(std::filesystem::exists(records_->files().PathOf("amt-a", core::Sha256Hex(pdf2))));
  // Intake's orphan sweep shares the file store and keeps the documents' files.
  auto swept = intake_->SweepOrphans("amt-a", std::chrono::seconds(0));
  ASSERT_TRUE(swept.ok()) << swept.error().ToString();
  EXPECT_EQ(*swept, 0);
  EXPECT_TRUE(records_->ReadVersion("amt-a", case_id, added->document_id, 2).ok());
  EXPECT_TRUE(records_->ReadVersion("amt-a", case_id, "intake-0", 2).ok());
}

TEST_P(DocumentsTest, RefusesBadUploadsNamingTheField) {
  std::string case_id = Submit("amt-a", "Erika Mustermann", "");
  ASSERT_FALSE(case_id.empty());
  auto elf = records_->AddDocumentSync(
      "amt-a", {.case_id = case_id, .filename = "plan.pdf", .bytes = intake::testing::ElfBytes()});
  ASSERT_FALSE(elf.ok());
  EXPECT_EQ(elf.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(elf.error().details().size(), 1u);
  EXPECT_EQ(elf.error().details()[0].pointer, "/file");
  EXPECT_NE(elf.error().details()[0].message.find("application/x-"), std::string::npos)
      << elf.error().details()[0].message;

  auto noname = records_->AddDocumentSync("amt-a", {.case_id = case_id, .filename = "a/b.txt", .bytes = "text"});
  ASSERT_FALSE(noname.ok());
  EXPECT_EQ(noname.error().details().at(0).pointer, "/filename");
  auto kind = records_->AddDocumentSync("amt-a", {.case_id = case_id, .kind = "geheim", .filename = "a.txt",
                                                  .bytes = "text"});
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().details().at(0).pointer, "/kind");
  auto empty = records_->AddDocumentSync("amt-a", {.case_id = case_id, .filename = "a.txt", .bytes = ""});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().details().at(0).pointer, "/file");

  Records small(*db_, *catalog_, *engine_, RecordsOptions{.files_dir = files_dir_, .max_file_bytes = 10});
  auto big = small.AddDocumentSync("amt-a", {.case_id = case_id, .filename = "a.txt", .bytes = "elf bytes!!"});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), core::ErrorCode::kResourceExhausted);

  // Another tenant's case, an unknown case, an unknown document: not found.
  auto other = records_->AddDocumentSync("amt-b", {.case_id = case_id, .filename = "a.txt", .bytes = "text"});
  EXPECT_EQ(other.error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(records_->ListDocuments("amt-b", case_id).error().code(), core::ErrorCode::kNotFound);
  auto nodoc = records_->AddDocumentSync(
      "amt-a", {.case_id = case_id, .document_id = "intake-7", .filename = "a.txt", .bytes = "text"});
  EXPECT_EQ(nodoc.error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents"), 0);
}

AW_STORE_INSTANTIATE(DocumentsTest);

}  // namespace
}  // namespace amtsweg::records
