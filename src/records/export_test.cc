#include "records/export.h"

#include <zip.h>

#include <map>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

using core::Json;
using testing::RecordsTest;

// Reads every entry of a ZIP with libzip.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  EXPECT_NE(za, nullptr) << zip_error_strerror(&err);
  if (za == nullptr) {
    zip_source_free(src);
    return out;
  }
  zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st);
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    std::string data(st.size, '\0');
    zip_int64_t got = zip_fread(f, data.data(), st.size);
    EXPECT_EQ(got, static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    out[st.name] = std::move(data);
  }
  zip_close(za);
  zip_error_fini(&err);
  return out;
}

class ExportTest : public RecordsTest {};

TEST_P(ExportTest, ZipHoldsSummaryEveryVersionAndCaseJsonWithHashes) {
  std::string pdf = intake::testing::TinyPdf();
  std::string case_id = Submit("amt-a", "Jürgen Müller", pdf);
  ASSERT_FALSE(case_id.empty());
  auto note = records_->AddDocumentSync("amt-a", {.case_id = case_id, .title = "Vermerk", .filename = "vermerk.txt",
                                                  .bytes = "Ortstermin: Gehweg schmal.\n", .actor = "user:u1"});
  ASSERT_TRUE(note.ok());
  auto v2 = records_->AddDocumentSync("amt-a", {.case_id = case_id, .document_id = note->document_id,
                                                .filename = "vermerk.txt", .bytes = "Ortstermin: Gehweg 1,2 m.\n",
                                                .actor = "user:u1"});
  ASSERT_TRUE(v2.ok());

  auto zip = ExportCase(*records_, "amt-a", case_id);
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  auto entries = Unzip(*zip);
  ASSERT_TRUE(entries.count("case.json"));
  ASSERT_TRUE(entries.count("zusammenfassung.pdf"));
  Json cj = Json::parse(entries["case.json"]);
  EXPECT_EQ(cj["case"]["caseId"], case_id);
  EXPECT_EQ(cj["case"]["caseNumber"], "2026-000001");
  EXPECT_EQ(cj["formData"]["applicant"], "Jürgen Müller");
  EXPECT_EQ(cj["process"]["state"], "active");
  EXPECT_FALSE(cj["history"].empty());
  ASSERT_EQ(cj["documents"].size(), 3u);  // the site plan, the note in two versions
  for (const auto& d : cj["documents"]) {
    std::string path = d["path"];
    ASSERT_TRUE(entries.count(path)) << path;
    EXPECT_EQ(core::Sha256Hex(entries[path]), d["sha256"].get<std::string>()) << path;
    EXPECT_EQ(static_cast<int64_t>(entries[path].size()), d["size"].get<int64_t>());
  }
  EXPECT_EQ(entries["dokumente/intake-0/v1-Lageplan.pdf"], pdf);
  EXPECT_EQ(entries[fmt::format("dokumente/{}/v2-vermerk.txt", note->document_id)], "Ortstermin: Gehweg 1,2 m.\n");
  EXPECT_EQ(entries.size(), 5u);

  std::string summary = testing::PdfText(entries["zusammenfassung.pdf"]);
  const std::string sha = core::Sha256Hex(pdf);
  for (const std::string& expected : {std::string("Aktenauszug 2026-000001"), std::string("Amt Musterland"),
                                      std::string("applicant: Jürgen Müller"), std::string("Vermerk"), sha,
                                      std::string("Seite 1 von")}) {
    EXPECT_NE(summary.find(expected), std::string::npos) << "missing: " << expected << "\n" << summary;
  }

  EXPECT_EQ(ExportCase(*records_, "amt-b", case_id).error().code(), core::ErrorCode::kNotFound);
}

TEST_P(ExportTest, AlteredFileIsReportedNotExported) {
  std::string pdf = intake::testing::TinyPdf();
  std::string case_id = Submit("amt-a", "Jürgen Müller", pdf);
  ASSERT_FALSE(case_id.empty());
  {
    FILE* f = std::fopen(records_->files().PathOf("amt-a", core::Sha256Hex(pdf)).c_str(), "ab");
    std::fputs("tampered", f);
    std::fclose(f);
  }
  auto zip = ExportCase(*records_, "amt-a", case_id);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code(), core::ErrorCode::kInternal);
  EXPECT_NE(zip.error().message().find("SHA-256"), std::string::npos);
}

AW_STORE_INSTANTIATE(ExportTest);

}  // namespace
}  // namespace amtsweg::records
