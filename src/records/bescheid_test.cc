#include "records/bescheid.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

using core::Json;
using testing::PdfText;
using testing::RecordsTest;

TEST(BescheidText, SubstitutesPathsFiltersAndOptionalValues) {
  Json data{{"antragsteller", {{"name", "Jürgen Müller"}, {"plz", "24999"}}},
            {"laenge", 12.5},
            {"anzahl", 1200},
            {"gebuehr", 1234.5},
            {"genehmigt", true},
            {"orte", {"Markt", "Hauptstraße"}},
            {"von", "2026-03-01"},
            {"wann", "2026-10-31T23:30:00Z"}};
  EXPECT_EQ(*Substitute("{{antragsteller.name}}, {{antragsteller.plz}}", data), "Jürgen Müller, 24999");
  EXPECT_EQ(*Substitute("{{laenge}} m, {{anzahl}} Stück", data), "12,5 m, 1.200 Stück");
  EXPECT_EQ(*Substitute("{{gebuehr|betrag}}", data), "1.234,50 €");
  EXPECT_EQ(*Substitute("{{genehmigt|ja-nein}} / {{orte}}", data), "ja / Markt, Hauptstraße");
  EXPECT_EQ(*Substitute("ab {{von|datum}}", data), "ab 1. März 2026");
  // 23:30 UTC on 31 October is already 1 November in Germany (CET, +1).
  EXPECT_EQ(*Substitute("{{wann|datum}}", data), "1. November 2026");
  EXPECT_EQ(*Substitute("[{{fehlt?}}]", data), "[]");
  SubstituteStats st;
  EXPECT_EQ(*Substitute("{{fehlt?}} {{laenge?}} {{antragsteller.plz}}", data, &st), " 12,5 24999");
  EXPECT_EQ(st.placeholders, 3);
  EXPECT_EQ(st.empty_optional, 1);
  auto missing = Substitute("Sehr geehrte/r {{antragsteller.vorname}}", data);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("{{antragsteller.vorname}}"), std::string::npos) << missing.error().message();
  EXPECT_FALSE(Substitute("{{laenge|rund}}", data).ok());
  EXPECT_FALSE(Substitute("{{laenge", data).ok());
  EXPECT_FALSE(Substitute("{{antragsteller.name|datum}}", data).ok());
}

TEST(BescheidText, GermanQuotesAndDates) {
  EXPECT_EQ(TypographicQuotes("Das Stichwort \"Straßenbau\" gilt."), "Das Stichwort \u201EStraßenbau\u201C gilt.");
  EXPECT_EQ(TypographicQuotes("\"a\" und \"b\""), "\u201Ea\u201C und \u201Eb\u201C");
  EXPECT_EQ(GermanDate(core::ParseIso8601("2026-05-03T22:30:00Z").value()), "4. Mai 2026");  // CEST
  EXPECT_EQ(GermanDate(core::ParseIso8601("2026-01-15T12:00:00Z").value()), "15. Januar 2026");
}

TEST(BescheidText, TemplateValidationNamesTheField) {
  Json t = testing::SampleTemplate();
  EXPECT_TRUE(ParseTemplate(t).ok());
  t.erase("body");
  t["adressat"] = "x";
  t["title"] = 3;
  auto r = ParseTemplate(t);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> pointers;
  for (const auto& d : r.error().details()) pointers.push_back(d.pointer);
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/body"), pointers.end());
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/adressat"), pointers.end());
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/title"), pointers.end());
}

TEST(BescheidPdf, LetterheadDateBodyRemedyAndPageNumbersAreText) {
  auto t = ParseTemplate(testing::SampleTemplate());
  ASSERT_TRUE(t.ok());
  // A long body so that the letter needs a second page.
  for (int i = 0; i < 12; ++i) {
    t->body.push_back("Weitere Auflage Nr. " + std::to_string(i + 1) +
                      ": Die Oberfläche ist nach ZTV A-StB 12 wiederherzustellen; Gehwegplatten sind "
                      "gleichwertig zu ersetzen, Baumwurzeln sind zu schützen und Schäden unverzüglich zu melden.");
  }
  BescheidInput in;
  in.letterhead = {"Amt Musterland", "Tiefbau", "Amtsplatz 1", "24999", "Musterdorf", "post@amt-musterland.example",
                   "+49 4600 12345-0"};
  in.case_number = "2026-000042";
  in.service_name = "Aufgrabegenehmigung";
  in.date = core::ParseIso8601("2026-11-27T10:00:00Z").value();
  in.data = Json{{"applicant", "Jürgen Müller"}, {"street", "Große Straße 5"}, {"district", "Süderbrarup"},
                 {"length", 12.5}};
  auto out = RenderBescheid(*t, in);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->title, "Sondernutzungserlaubnis");
  std::string text = PdfText(out->pdf);
  for (const char* expected :
       {"Amt Musterland", "Amtsplatz 1", "24999 Musterdorf", "post@amt-musterland.example", "Jürgen Müller",
        "Große Straße 5", "Aktenzeichen: 2026-000042", "Datum: 27. November 2026", "Sondernutzungserlaubnis",
        "Aufgrabung im Ortsteil Süderbrarup, Aktenzeichen 2026-000042", "Länge von 12,5 m",
        "\u201EStraßenbau\u201C", "§ 21 Straßen- und Wegegesetz", "Rechtsbehelfsbelehrung",
        "innerhalb eines Monats", "beim Amt Musterland", "Mit freundlichen Grüßen", "Seite 1 von 2",
        "Seite 2 von 2"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  // The paragraph with only the optional, empty {{auflagen?}} is left out.
  EXPECT_EQ(text.find("Auflagen:"), std::string::npos) << text;
  EXPECT_EQ(text.find("{{"), std::string::npos);
}

class BescheidWorkerTest : public RecordsTest {
 protected:
  engine::InstanceInfo Instance(const std::string& tenant, const std::string& case_id) {
    auto inst_id = db_->Read([&](store::Tx& tx) -> core::Result<std::string> {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id FROM cases WHERE tenant_id = $1 AND case_id = $2",
                                                {tenant, case_id}));
      return row->Text(0);
    });
    auto info = engine_->GetInstance(tenant, *inst_id);
    EXPECT_TRUE(info.ok());
    return info.ok() ? *info : engine::InstanceInfo{};
  }
};

TEST_P(BescheidWorkerTest, WorkerRendersStoresDeliversAndCompletesTheJob) {
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  std::vector<BescheidDelivery> delivered;
  records_->SetDeliveryHook([&delivered](store::Tx& tx, const BescheidDelivery& d) -> core::Status {
    // The hook runs inside the command: the document row is visible to it.
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT kind FROM records_documents WHERE tenant_id = $1 AND "
                                              "document_id = $2",
                                              {d.tenant, d.document_id}));
    if (!row || row->Text(0) != "bescheid") return core::Internal("document not visible to the hook");
    delivered.push_back(d);
    return core::OkStatus();
  });
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  ASSERT_FALSE(case_id.empty());
  EXPECT_EQ(Instance("amt-a", case_id).state, "active");

  auto handled = RunBescheidJobs(*records_);
  ASSERT_TRUE(handled.ok()) << handled.error().ToString();
  EXPECT_EQ(*handled, 1);
  engine::InstanceInfo inst = Instance("amt-a", case_id);
  EXPECT_EQ(inst.state, "completed");

  auto docs = records_->ListDocuments("amt-a", case_id);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  const DocumentVersion& v = (*docs)[0].versions.at(0);
  EXPECT_EQ(v.kind, "bescheid");
  EXPECT_EQ(v.content_type, "application/pdf");
  EXPECT_EQ(v.created_by, "system");
  EXPECT_EQ(v.filename, "bescheid-erlaubnis-2026-000001.pdf");
  EXPECT_EQ(inst.variables.value("bescheidDocumentId", ""), v.document_id);
  ASSERT_EQ(delivered.size(), 1u);  // replays overwrite, they do not add (one run here)
  EXPECT_EQ(delivered[0].document_id, v.document_id);
  EXPECT_EQ(delivered[0].case_number, "2026-000001");

  auto bytes = records_->ReadVersion("amt-a", case_id, v.document_id, 1);
  ASSERT_TRUE(bytes.ok());
  std::string text = PdfText(bytes->second);
  // Letterhead from the tenant record (catalog SampleTenant), data from the case.
  for (const char* expected : {"Amt Musterland", "Marktstraße 1", "24986 Satrup", "info@amt-musterland.de",
                               "Jürgen Müller", "Aktenzeichen: 2026-000001", "Datum: 2. März 2026",
                               "Ortsteil sued", "12,5 m", "Tiefbau", "Seite 1 von 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id = 'amt-a' AND action = 'records.document_added'"), 1);
  // Nothing left to do.
  EXPECT_EQ(*RunBescheidJobs(*records_), 0);
}

TEST_P(BescheidWorkerTest, MissingTemplateOrValueRaisesAnIncidentNamingIt) {
  std::string case_id = Submit("amt-a", "Erika Mustermann", "");
  ASSERT_FALSE(case_id.empty());
  auto handled = RunBescheidJobs(*records_);
  ASSERT_TRUE(handled.ok()) << handled.error().ToString();
  EXPECT_EQ(*handled, 1);
  auto incidents = engine_->ListIncidents("amt-a");
  ASSERT_TRUE(incidents.ok());
  ASSERT_EQ(incidents->size(), 1u);
  EXPECT_NE((*incidents)[0].message.find("no Bescheid template \"erlaubnis\""), std::string::npos)
      << (*incidents)[0].message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents"), 0);

  // A template that needs a value the case does not have.
  Json t = testing::SampleTemplate();
  t["body"].push_back("Die Sicherheitsleistung beträgt {{sicherheitsleistung|betrag}}.");
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", t).ok());
  std::string case2 = Submit("amt-a", "Max Mustermann", "");
  ASSERT_TRUE(RunBescheidJobs(*records_).ok());
  incidents = engine_->ListIncidents("amt-a");
  ASSERT_EQ(incidents->size(), 2u);
  bool named = false;
  for (const auto& i : *incidents) named = named || i.message.find("{{sicherheitsleistung}}") != std::string::npos;
  EXPECT_TRUE(named);
  EXPECT_EQ(Instance("amt-a", case2).state, "active");
}

TEST_P(BescheidWorkerTest, PreviewRendersWithTheFormValuesAndStoresNothing) {
  Json t = testing::SampleTemplate();
  t["body"].push_back("Begründung: {{begruendung}}");
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", t).ok());
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  ASSERT_FALSE(case_id.empty());
  int64_t audit = Count("SELECT COUNT(*) FROM audit_log");
  int64_t history = Count("SELECT COUNT(*) FROM engine_history");

  // The decision's form values (not yet in the process) fill the template.
  auto p = PreviewBescheid(*records_, "amt-a", case_id, "erlaubnis",
                           Json{{"begruendung", "Die Leitungstrasse ist frei."}, {"auflagen", "Nachtruhe beachten."}});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->title, "Sondernutzungserlaubnis");
  EXPECT_EQ(p->filename, "bescheid-erlaubnis-2026-000001.pdf");
  std::string text = PdfText(p->pdf);
  for (const char* expected : {"Amt Musterland", "Jürgen Müller", "Aktenzeichen: 2026-000001", "Ortsteil sued",
                               "Begründung: Die Leitungstrasse ist frei.", "Auflagen: Nachtruhe beachten."}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  // Nothing stored, audited or moved: no document, no file, the job still waits.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM records_documents"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_history"), history);
  EXPECT_EQ(Instance("amt-a", case_id).state, "active");
  EXPECT_FALSE(Instance("amt-a", case_id).variables.contains("begruendung"));

  // Without the value the template needs: 422 naming the placeholder.
  auto missing = PreviewBescheid(*records_, "amt-a", case_id, "erlaubnis", Json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().details().at(0).pointer, "/data");
  EXPECT_NE(missing.error().message().find("{{begruendung}}"), std::string::npos) << missing.error().message();
  // Unknown template, another tenant's case, a bad data value.
  EXPECT_EQ(PreviewBescheid(*records_, "amt-a", case_id, "gibtsnicht", Json::object()).error().code(),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(PreviewBescheid(*records_, "amt-b", case_id, "erlaubnis", Json::object()).error().code(),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(PreviewBescheid(*records_, "amt-a", case_id, "erlaubnis", Json::array()).error().details().at(0).pointer,
            "/data");
  auto names = CaseTemplates(*records_, "amt-a", case_id);
  ASSERT_TRUE(names.ok()) << names.error().ToString();
  ASSERT_EQ(names->size(), 1u);
  EXPECT_EQ((*names)[0]["name"], "erlaubnis");
  EXPECT_EQ((*names)[0]["title"], "Sondernutzungserlaubnis");
  EXPECT_EQ(CaseTemplates(*records_, "amt-b", case_id).error().code(), core::ErrorCode::kNotFound);
}

TEST_P(BescheidWorkerTest, TemplatesAreValidatedAndPerService) {
  Json bad = testing::SampleTemplate();
  bad.erase("subject");
  auto s = PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details().at(0).pointer, "/subject");
  EXPECT_EQ(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "Erlaubnis!", testing::SampleTemplate()).error().code(),
            core::ErrorCode::kInvalidArgument);
  // The other tenant's service is not found.
  EXPECT_EQ(PutTemplate(*records_, "amt-a", "aufgrabung-amt-b", "erlaubnis", testing::SampleTemplate()).error().code(),
            core::ErrorCode::kNotFound);
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  auto list = ListTemplates(*records_, "amt-a", "aufgrabung-amt-a");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0]["name"], "erlaubnis");
  EXPECT_EQ(ListTemplates(*records_, "amt-b", "aufgrabung-amt-b")->size(), 0u);
}

AW_STORE_INSTANTIATE(BescheidWorkerTest);

}  // namespace
}  // namespace amtsweg::records
