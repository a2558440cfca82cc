// Test support for records/: a tenant with a service whose process sends a
// Bescheid (`amtsweg:bescheid`, header vorlage) and ends; cases created by
// the real intake path.
#pragma once

#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>

#include <gtest/gtest.h>

#include "catalog/catalog_test_util.h"
#include "core/hash.h"
#include "intake/intake.h"
#include "intake/intake_test_util.h"
#include "records/bescheid.h"
#include "records/records.h"
#include "store/store_test_util.h"

namespace amtsweg::records::testing {

inline const char* kBescheidProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="aufgrabung" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:sendTask id="bescheid" name="Bescheid senden">
    <bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:bescheid" retries="3"/>
      <zeebe:taskHeaders><zeebe:header key="vorlage" value="erlaubnis"/></zeebe:taskHeaders></bpmn:extensionElements>
  </bpmn:sendTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="bescheid"/>
  <bpmn:sequenceFlow id="f2" sourceRef="bescheid" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

inline core::Json SampleTemplate() {
  return core::Json::parse(R"js({
    "title": "Sondernutzungserlaubnis",
    "subject": "Aufgrabung im Ortsteil {{district}}, Aktenzeichen {{caseNumber}}",
    "addressee": ["{{applicant}}", "{{street?}}", "24999 Musterdorf"],
    "body": [
      "auf Ihren Antrag erteilen wir Ihnen die Erlaubnis, im Ortsteil {{district}} auf einer Länge von {{length}} m aufzugraben.",
      "Auflagen: {{auflagen?}}",
      "Das Stichwort lautet \"Straßenbau\"."
    ],
    "legalBasis": "Rechtsgrundlage: § 21 Straßen- und Wegegesetz Schleswig-Holstein (StrWG).",
    "rechtsbehelfsbelehrung": "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift beim {{tenant.name}}."
  })js");
}

class RecordsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = std::filesystem::temp_directory_path() / ("aw-records-files-" + store::testing::RandomSuffix());
    clock_ = std::make_unique<core::ManualClock>(core::ParseIso8601("2026-03-02T09:00:00Z").value());
    catalog_ = std::make_unique<catalog::Catalog>(*db_, clock_.get());
    engine_ = std::make_unique<engine::Engine>(*db_, engine::EngineOptions{.clock = clock_.get()});
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_,
                                               intake::IntakeOptions{.files_dir = files_dir_, .clock = clock_.get()});
    records_ = std::make_unique<Records>(*db_, *catalog_, *engine_,
                                         RecordsOptions{.files_dir = files_dir_, .clock = clock_.get()});
    for (const char* t : {"amt-a", "amt-b"}) {
      ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant(t)).ok());
      ASSERT_TRUE(catalog_->CreateDepartment(t, catalog::testing::SampleDepartment("tiefbau", "Tiefbau")).ok());
      auto f = catalog_->AddFormVersion(t, catalog::testing::SampleForm());
      ASSERT_TRUE(f.ok()) << f.error().ToString();
      auto dep = engine_->Deploy(t, {{"aufgrabung.bpmn", kBescheidProcess}});
      ASSERT_TRUE(dep.ok()) << dep.error().ToString();
      core::Json svc = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau"}});
      svc["id"] = std::string("aufgrabung-") + t;
      svc["retentionPeriod"] = "P1Y";
      auto s = catalog_->CreateService(t, svc);
      ASSERT_TRUE(s.ok()) << s.error().ToString();
    }
  }
  void TearDown() override {
    records_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) std::filesystem::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  // A case by the real intake path; returns its id.
  std::string Submit(const std::string& tenant, const std::string& applicant, const std::string& pdf) {
    intake::SubmitRequest r;
    r.service_id = "aufgrabung-" + tenant;
    r.data = core::Json{{"applicant", applicant}, {"district", "sued"}, {"length", 12.5}, {"note", "Bitte rasch"}};
    if (!pdf.empty()) {
      r.data["sitePlan"] = "files::plan";
      r.files.push_back({"files::plan", "Lageplan.pdf", pdf});
    }
    r.request_hash = core::Sha256Hex(core::DumpJson(r.data) + applicant);
    std::promise<core::Result<core::Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<core::Json> out) { p.set_value(std::move(out)); });
    auto out = f.get();
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    if (!out.ok()) return "";
    return CaseIdOf(tenant, (*out)["caseNumber"].get<std::string>());
  }
  std::string CaseIdOf(const std::string& tenant, const std::string& number) {
    auto id = db_->Read([&](store::Tx& tx) -> core::Result<std::string> {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT case_id FROM cases WHERE tenant_id = $1 AND case_number = $2",
                                                {tenant, number}));
      if (!row) return core::NotFound("case");
      return row->Text(0);
    });
    return id.ok() ? *id : "";
  }
  int64_t Count(const std::string& sql) {
    auto n = db_->Read([&](store::Tx& tx) -> core::Result<int64_t> {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    EXPECT_TRUE(n.ok()) << sql;
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<store::Database> db_;
  std::filesystem::path files_dir_;
  std::unique_ptr<core::ManualClock> clock_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<Records> records_;
};

// pdftotext (poppler-utils) of `pdf` with every run of white space (line and
// page breaks included) folded into one space; empty on failure.
inline std::string PdfText(const std::string& pdf) {
  auto dir = std::filesystem::temp_directory_path() / ("aw-pdf-" + store::testing::RandomSuffix());
  std::filesystem::create_directories(dir);
  {
    FILE* f = std::fopen((dir / "in.pdf").c_str(), "wb");
    std::fwrite(pdf.data(), 1, pdf.size(), f);
    std::fclose(f);
  }
  std::string cmd = "pdftotext -enc UTF-8 " + (dir / "in.pdf").string() + " " + (dir / "out.txt").string();
  std::string text;
  if (std::system(cmd.c_str()) == 0) {
    FILE* f = std::fopen((dir / "out.txt").c_str(), "rb");
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  // Lines and pages wrap where the layout decides: compare words, not lines.
  std::string words;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\f' || c == '\r' || c == '\t';
    if (space) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += c;
    }
  }
  return words;
}

}  // namespace amtsweg::records::testing
