// `package diff` over two versions of the demo Plakatierung with known
// changes: the diff must report exactly those, in domain terms.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "packages/diff.h"

namespace amtsweg::packages {
namespace {

using core::Json;

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(AMTSWEG_SOURCE_DIR) + "/demo/services/plakatierung/" + rel, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

Package Version(const std::string& version, const std::string& bpmn, const std::string& dmn, const std::string& form,
                int fee_default, const std::string& template_text) {
  Package p;
  p.manifest.name = "plakatierung";
  p.manifest.version = version;
  p.manifest.leika = "99107004017000";
  p.manifest.process_id = "plakatierung";
  p.manifest.form_id = "plakatierung";
  p.manifest.service = {{"name", {{"de", "Plakatierung"}}}};
  p.manifest.parameters = {{"mindestgebuehr", "number", fee_default, true, "Mindestgebühr", "Minimum fee", false},
                           {"nachreichfristTage", "integer", 14, false, "Frist", "Deadline", false}};
  p.files = {{"bpmn/plakatierung.bpmn", bpmn},
             {"dmn/plakatierung.dmn", dmn},
             {"forms/plakatierung.form", form},
             {"templates/erlaubnis.txt", template_text}};
  return p;
}

TEST(Diff, ReportsExactlyTheKnownChanges) {
  std::string bpmn = Read("plakatierung.bpmn"), dmn = Read("plakatierung.dmn"), form = Read("plakatierung.form");
  ASSERT_FALSE(bpmn.empty());
  Package a = Version("1", bpmn, dmn, form, 25, "Hiermit erlauben wir ...");
  std::string bpmn2 = ReplaceOnce(bpmn, R"(id="pruefen" name="Antrag prüfen")", R"(id="pruefen" name="Antrag fachlich prüfen")");
  bpmn2 = ReplaceOnce(bpmn2, "</bpmn:process>", R"(<bpmn:manualTask id="aushang" name="Aushang im Rathaus"/></bpmn:process>)");
  std::string dmn2 = ReplaceOnce(dmn, R"(<rule id="r_gemeinnuetzig">
        <inputEntry><text>"gemeinnuetzig"</text></inputEntry>
        <outputEntry><text>true</text></outputEntry>)",
                                 R"(<rule id="r_gemeinnuetzig">
        <inputEntry><text>"gemeinnuetzig"</text></inputEntry>
        <outputEntry><text>false</text></outputEntry>)");
  std::string form2 = ReplaceOnce(form, R"("label": "Name oder Organisation")", R"("label": "Name der Organisation")");
  Package b = Version("2", bpmn2, dmn2, form2, 30, "Hiermit erteilen wir ...");

  std::vector<Change> changes = DiffPackages(a, b);
  std::vector<Change> expected = {
      {"package", "", "changed", "version", R"("1" → "2")"},
      {"parameter", "", "changed", "mindestgebuehr", "default: 25 → 30"},
      {"process", "bpmn/plakatierung.bpmn", "changed", R"(userTask pruefen "Antrag fachlich prüfen")",
       R"(name: "Antrag prüfen" → "Antrag fachlich prüfen")"},
      {"process", "bpmn/plakatierung.bpmn", "added", R"(manualTask aushang "Aushang im Rathaus")", ""},
      {"decision", "dmn/plakatierung.dmn", "changed", "decision plakatierung_befreiung rule 2 (r_gemeinnuetzig)",
       R"(output 1: "true" → "false")"},
      {"form", "forms/plakatierung.form", "changed", R"(textfield antragsteller.name "Name der Organisation")",
       R"(label: "Name oder Organisation" → "Name der Organisation")"},
  };
  ASSERT_EQ(changes.size(), expected.size() + 1) << FormatChanges(changes);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(changes[i], expected[i]) << FormatChanges(changes);
  EXPECT_EQ(changes.back().file, "templates/erlaubnis.txt");
  EXPECT_EQ(changes.back().kind, "changed");
  EXPECT_NE(changes.back().detail.find("content changed"), std::string::npos);

  std::string text = FormatChanges(changes);
  EXPECT_NE(text.find("decision dmn/plakatierung.dmn:\n  changed  decision plakatierung_befreiung rule 2"),
            std::string::npos)
      << text;
  EXPECT_EQ(FormatChanges(DiffPackages(a, a)), "no changes\n");
}

TEST(Diff, RemovedElementsRulesFieldsAndParameters) {
  std::string bpmn = Read("plakatierung.bpmn"), dmn = Read("plakatierung.dmn"), form = Read("plakatierung.form");
  Package a = Version("1", bpmn, dmn, form, 25, "x");
  Package b = a;
  b.manifest.parameters.pop_back();
  // Drop the third rule of the exemption table (no id: matched by position).
  std::string no_ids = ReplaceOnce(dmn, R"(<rule id="r_sonst">)", "<rule>");
  a.files[1].data = no_ids;
  size_t start = no_ids.find("<rule>");
  size_t end = no_ids.find("</rule>", start) + 7;
  b.files[1].data = no_ids.substr(0, start) + no_ids.substr(end);
  auto changes = DiffPackages(a, b);
  ASSERT_EQ(changes.size(), 2u) << FormatChanges(changes);
  EXPECT_EQ(changes[0], (Change{"parameter", "", "removed", "nachreichfristTage", ""}));
  EXPECT_EQ(changes[1].kind, "removed");
  EXPECT_EQ(changes[1].subject, "decision plakatierung_befreiung rule 3");
  // Form fields: removing one is named with its key and label.
  Json f = Json::parse(form);
  Json f2 = f;
  f2["components"].erase(f2["components"].begin() + 1);  // the applicant group and its fields
  auto form_changes = DiffForm("forms/plakatierung.form", form, f2.dump());
  ASSERT_FALSE(form_changes.empty());
  EXPECT_EQ(form_changes[0].kind, "removed");
  EXPECT_EQ(form_changes[0].subject, R"(group antragsteller "Antragsteller")");
  for (const auto& c : form_changes) EXPECT_EQ(c.kind, "removed") << c.subject;
}

}  // namespace
}  // namespace amtsweg::packages
