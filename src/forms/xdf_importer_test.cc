#include "forms/xdf_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "forms/schema.h"
#include "forms/validator.h"

namespace amtsweg::forms {
namespace {

using core::Json;

std::string V2(const std::string& body, const std::string& schema_extra = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2">
  <xdf:header><xdf:nachrichtID>m1</xdf:nachrichtID><xdf:erstellungszeitpunkt>2024-01-01T00:00:00Z</xdf:erstellungszeitpunkt></xdf:header>
  <xdf:stammdatenschema>
    <xdf:identifikation><xdf:id>S1</xdf:id><xdf:version>2.0</xdf:version></xdf:identifikation>
    <xdf:name>Plakatierung</xdf:name>
    <xdf:bezeichnungEingabe>Antrag Plakatierung</xdf:bezeichnungEingabe>
)" + schema_extra + body +
         R"(
  </xdf:stammdatenschema>
</xdf:xdatenfelder.stammdatenschema.0102>)";
}

std::string Field(const std::string& id, const std::string& feldart, const std::string& datentyp,
                  const std::string& extra = "") {
  return "<xdf:datenfeld><xdf:identifikation><xdf:id>" + id +
         "</xdf:id><xdf:version>1.0</xdf:version></xdf:identifikation><xdf:name>" + id +
         "</xdf:name><xdf:bezeichnungEingabe>Label " + id +
         "</xdf:bezeichnungEingabe><xdf:hilfetextEingabe>Hilfe</xdf:hilfetextEingabe>"
         "<xdf:feldart><code>" + feldart + "</code></xdf:feldart><xdf:datentyp><code>" + datentyp +
         "</code></xdf:datentyp>" + extra + "</xdf:datenfeld>";
}

std::string Struct(const std::string& count, const std::string& element) {
  return "<xdf:struktur><xdf:anzahl>" + count + "</xdf:anzahl><xdf:enthaelt>" + element +
         "</xdf:enthaelt></xdf:struktur>";
}

std::string Group(const std::string& id, const std::string& structs) {
  return "<xdf:datenfeldgruppe><xdf:identifikation><xdf:id>" + id +
         "</xdf:id><xdf:version>1.0</xdf:version></xdf:identifikation><xdf:name>" + id +
         "</xdf:name><xdf:bezeichnungEingabe>Gruppe " + id + "</xdf:bezeichnungEingabe>" + structs +
         "</xdf:datenfeldgruppe>";
}

const char* kGenericode = R"(<?xml version="1.0" encoding="UTF-8"?>
<gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">
 <gc:Identification><gc:ShortName>Art</gc:ShortName><gc:Version>2024-01-01</gc:Version>
  <gc:CanonicalUri>urn:de:test:art</gc:CanonicalUri><gc:CanonicalVersionUri>urn:de:test:art_2024-01-01</gc:CanonicalVersionUri></gc:Identification>
 <gc:ColumnSet>
  <gc:Column Id="schluessel"><gc:ShortName>s</gc:ShortName></gc:Column>
  <gc:Column Id="extra"><gc:ShortName>e</gc:ShortName></gc:Column>
  <gc:Column Id="bezeichnung"><gc:ShortName>b</gc:ShortName></gc:Column>
  <gc:Key Id="k1"><gc:ShortName>CodeKey</gc:ShortName><gc:ColumnRef Ref="schluessel"/></gc:Key>
  <gc:Key Id="k2"><gc:ShortName>NameKey</gc:ShortName><gc:ColumnRef Ref="bezeichnung"/></gc:Key>
 </gc:ColumnSet>
 <gc:SimpleCodeList>
  <gc:Row><gc:Value ColumnRef="schluessel"><gc:SimpleValue>01</gc:SimpleValue></gc:Value><gc:Value ColumnRef="bezeichnung"><gc:SimpleValue>Wahl</gc:SimpleValue></gc:Value></gc:Row>
  <gc:Row><gc:Value><gc:SimpleValue>02</gc:SimpleValue></gc:Value><gc:Value><gc:SimpleValue>x</gc:SimpleValue></gc:Value><gc:Value><gc:SimpleValue>Veranstaltung</gc:SimpleValue></gc:Value></gc:Row>
 </gc:SimpleCodeList>
</gc:CodeList>)";

TEST(Genericode, ReadsKeysColumnsAndPositionalValues) {
  auto cl = ParseGenericode(kGenericode);
  ASSERT_TRUE(cl.ok()) << cl.error().ToString();
  EXPECT_EQ(cl->canonical_uri, "urn:de:test:art");
  EXPECT_EQ(cl->version, "2024-01-01");
  EXPECT_EQ(cl->code_column, "schluessel");
  EXPECT_EQ(cl->label_column, "bezeichnung");
  ASSERT_EQ(cl->rows.size(), 2u);
  EXPECT_EQ(cl->rows[0].code, "01");
  EXPECT_EQ(cl->rows[0].label, "Wahl");
  EXPECT_EQ(cl->rows[1].label, "Veranstaltung");
}

TEST(Genericode, RejectsOtherDocuments) {
  auto r = ParseGenericode("<x/>");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("line 1"), std::string::npos);
  EXPECT_FALSE(ParseGenericode("<gc:CodeList xmlns:gc=\"http://docs.oasis-open.org/codelist/ns/genericode/1.0/\"/>").ok());
}

TEST(XdfImporter, MapsFieldTypesAndConstraints) {
  std::string body =
      Struct("1:1", Field("F1", "input", "text", R"(<xdf:praezisierung>{"minLength":"2","maxLength":"40","pattern":"[A-Z].*"}</xdf:praezisierung>)")) +
      Struct("0:1", Field("F2", "input", "num_int", R"(<xdf:praezisierung>{"minValue":"1","maxValue":"31"}</xdf:praezisierung>)")) +
      Struct("0:1", Field("F3", "input", "num_currency")) + Struct("1:1", Field("F4", "input", "date")) +
      Struct("0:1", Field("F5", "input", "bool")) + Struct("0:1", Field("F6", "input", "file")) +
      Struct("1:1", Field("F7", "label", "text", "<xdf:inhalt>Bitte beachten</xdf:inhalt>")) +
      Struct("1:1", Field("F8", "hidden", "text", "<xdf:inhalt>K\"1</xdf:inhalt>")) +
      Struct("0:1", Field("F9", "locked", "text", "<xdf:inhalt>fest</xdf:inhalt>")) +
      Struct("0:1", Field("F10", "input", "text", R"(<xdf:praezisierung>{"maxLength":"1000"}</xdf:praezisierung>)"));
  auto r = ImportXDatenfelder(V2(body));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Json& comps = r->schema["components"];
  ASSERT_EQ(comps.size(), 11u);  // title + 10 fields
  EXPECT_EQ(comps[0]["type"], "text");
  const Json& f1 = comps[1];
  EXPECT_EQ(f1["type"], "textfield");
  EXPECT_EQ(f1["key"], "F1");
  EXPECT_EQ(f1["label"], "Label F1");
  EXPECT_EQ(f1["description"], "Hilfe");
  EXPECT_EQ(f1["validate"], Json::parse(R"({"required":true,"minLength":2,"maxLength":40,"pattern":"^(?:[A-Z].*)$"})"));
  EXPECT_EQ(f1["properties"]["fimId"], "F1");
  EXPECT_EQ(f1["properties"]["fimVersion"], "1.0");
  EXPECT_EQ(comps[2]["type"], "number");
  EXPECT_EQ(comps[2]["decimalDigits"], 0);
  EXPECT_EQ(comps[2]["validate"], Json::parse(R"({"min":1,"max":31})"));
  EXPECT_EQ(comps[3]["decimalDigits"], 2);
  EXPECT_EQ(comps[4]["type"], "datetime");
  EXPECT_EQ(comps[4]["subtype"], "date");
  EXPECT_EQ(comps[5]["type"], "checkbox");
  EXPECT_EQ(comps[6]["type"], "filepicker");
  EXPECT_EQ(comps[7]["type"], "text");
  EXPECT_EQ(comps[7]["text"], "Bitte beachten");
  EXPECT_EQ(comps[8]["type"], "expression");
  EXPECT_EQ(comps[8]["expression"], "=\"K\\\"1\"");
  EXPECT_EQ(comps[9]["disabled"], true);
  EXPECT_EQ(comps[9]["defaultValue"], "fest");
  EXPECT_EQ(comps[10]["type"], "textarea");
  EXPECT_EQ(r->schema["fim"]["id"], "S1");
  EXPECT_EQ(r->schema["fim"]["version"], "2.0");
  EXPECT_EQ(r->report.distinct_fields, 10u);

  // The imported form compiles and validates; the hidden field is computed.
  auto form = CompileForm(r->schema);
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  auto empty = Check(**form, Json::object(), {});
  std::vector<std::string> pointers;
  for (const auto& v : empty.violations) pointers.push_back(v.pointer + " " + v.code);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/F1 required", "/F4 required"}));
  auto ok = Check(**form, Json::parse(R"({"F1":"Abc","F4":"2024-05-01","F2":31})"), {});
  ASSERT_TRUE(ok.ok()) << ok.violations[0].pointer << " " << ok.violations[0].code;
  EXPECT_EQ(ok.data["F8"], "K\"1");
  EXPECT_FALSE(Check(**form, Json::parse(R"({"F1":"abc","F4":"2024-05-01","F2":32})"), {}).ok());
}

TEST(XdfImporter, MultiplicityBecomesGroupsAndDynamicLists) {
  std::string body = Struct("1:1", Group("G1", Struct("1:1", Field("F1", "input", "text")))) +
                     Struct("0:1", Group("G2", Struct("1:1", Field("F2", "input", "text")))) +
                     Struct("2:5", Field("F3", "input", "text")) +
                     Struct("1:*", Group("G3", Struct("0:1", Field("F4", "input", "text"))));
  auto r = ImportXDatenfelder(V2(body));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Json& c = r->schema["components"];
  EXPECT_EQ(c[1]["type"], "group");
  EXPECT_EQ(c[1]["path"], "G1");
  EXPECT_EQ(c[2]["type"], "dynamiclist");
  EXPECT_EQ(c[2]["properties"]["minItems"], "0");
  EXPECT_EQ(c[2]["properties"]["maxItems"], "1");
  EXPECT_EQ(c[3]["type"], "dynamiclist");
  EXPECT_EQ(c[3]["path"], "F3");
  EXPECT_EQ(c[3]["properties"]["minItems"], "2");
  EXPECT_EQ(c[3]["properties"]["maxItems"], "5");
  EXPECT_EQ(c[3]["components"][0]["key"], "F3");
  EXPECT_FALSE(c[4]["properties"].contains("maxItems"));
  auto form = CompileForm(r->schema);
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  std::vector<std::string> got;
  for (const auto& v : Check(**form, Json::object(), {}).violations) got.push_back(v.pointer + " " + v.code);
  EXPECT_EQ(got, (std::vector<std::string>{"/G1/F1 required", "/F3 min_items", "/G3 min_items"}));
  // An optional group, when given, enforces what is mandatory inside it.
  got.clear();
  for (const auto& v : Check(**form, Json::parse(R"({"G1":{"F1":"a"},"G2":[{}],"F3":[{"F3":"x"},{"F3":"y"}],"G3":[{}]})"), {}).violations) {
    got.push_back(v.pointer + " " + v.code);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"/G2/0/F2 required"}));
}

TEST(XdfImporter, RulesAreReportedNeverDropped) {
  std::string rule = "<xdf:regel><xdf:identifikation><xdf:id>R1</xdf:id><xdf:version>1.0</xdf:version></xdf:identifikation>"
                     "<xdf:name>Pflicht wenn</xdf:name><xdf:definition>Wenn A, dann B.</xdf:definition>"
                     "<xdf:script>function script() {}</xdf:script></xdf:regel>";
  auto r = ImportXDatenfelder(V2(Struct("1:1", Group("G1", rule + Struct("1:1", Field("F1", "input", "text")))), rule));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->report.rules_not_executable.size(), 1u);
  const auto& rr = r->report.rules_not_executable[0];
  EXPECT_EQ(rr.id, "R1");
  EXPECT_EQ(rr.text, "Wenn A, dann B.");
  EXPECT_EQ(rr.attached_to, (std::vector<std::string>{"G1:1.0", "S1:2.0"}));
  EXPECT_EQ(r->report.distinct_rules, 1u);
  EXPECT_EQ(r->schema["fim"]["rules"][0]["id"], "R1");
  bool warned = false;
  for (const auto& w : r->report.warnings) warned |= w.find("R1:1.0") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(XdfImporter, ResolvesCodeListsByCanonicalUriAndVersion) {
  auto cl = ParseGenericode(kGenericode);
  ASSERT_TRUE(cl.ok());
  auto ref = [](const std::string& version) {
    return "<xdf:codelisteReferenz><xdf:identifikation><xdf:id>C1</xdf:id></xdf:identifikation>"
           "<xdf:genericodeIdentification><xdf:canonicalIdentification>urn:de:test:art</xdf:canonicalIdentification>"
           "<xdf:version>" + version + "</xdf:version></xdf:genericodeIdentification></xdf:codelisteReferenz>";
  };
  XdfImportOptions o;
  o.code_lists.push_back(*cl);
  auto r = ImportXDatenfelder(V2(Struct("1:1", Field("F1", "select", "text", ref("2024-01-01"))) +
                                 Struct("0:1", Field("F2", "select", "text", ref("1999")))), o);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->report.code_lists.size(), 2u);
  EXPECT_TRUE(r->report.code_lists[0].resolved);
  EXPECT_EQ(r->report.code_lists[0].rows, 2u);
  EXPECT_FALSE(r->report.code_lists[1].resolved);
  const Json& c = r->schema["components"];
  EXPECT_EQ(c[1]["values"], Json::parse(R"([{"label":"Wahl","value":"01"},{"label":"Veranstaltung","value":"02"}])"));
  EXPECT_EQ(c[2]["valuesKey"], "codelist_C1");
  auto form = CompileForm(r->schema);
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  EXPECT_TRUE(Check(**form, Json::parse(R"({"F1":"02"})"), {}).ok());
  EXPECT_FALSE(Check(**form, Json::parse(R"({"F1":"03"})"), {}).ok());
}

TEST(XdfImporter, ErrorsNameElementLineAndColumn) {
  std::string xml = V2("", "<xdf:name>zweimal</xdf:name>\n");
  auto r = ImportXDatenfelder(xml);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("<xdf:name>"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("duplicate"), std::string::npos);
  EXPECT_NE(r.error().message().find("line 8, column 1"), std::string::npos) << r.error().message();
  ASSERT_EQ(r.error().details().size(), 1u);
  EXPECT_EQ(r.error().details()[0].pointer, "8:1");
}

TEST(XdfImporter, RejectsBadInput) {
  EXPECT_FALSE(ImportXDatenfelder("").ok());
  EXPECT_FALSE(ImportXDatenfelder("<a>").ok());
  EXPECT_FALSE(ImportXDatenfelder(V2(Struct("1:1", Field("F1", "slider", "text")))).ok());
  EXPECT_FALSE(ImportXDatenfelder(V2(Struct("1:1", Field("F1", "input", "blob")))).ok());
  EXPECT_FALSE(ImportXDatenfelder(V2(Struct("3:2", Field("F1", "input", "text")))).ok());
  EXPECT_FALSE(ImportXDatenfelder(V2(Struct("x", Field("F1", "input", "text")))).ok());
  EXPECT_FALSE(ImportXDatenfelder(V2("<xdf:unbekannt/>")).ok());
  EXPECT_FALSE(ImportXDatenfelder(V2("<other:x xmlns:other=\"urn:x\"/>")).ok());
  auto utf8 = ImportXDatenfelder(V2("", "<xdf:beschreibung>\xff</xdf:beschreibung>"));
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().message().find("UTF-8"), std::string::npos);
  std::string deep = V2("", "<xdf:beschreibung>" + std::string() + "</xdf:beschreibung>");
  XdfImportOptions small;
  small.max_depth = 2;
  EXPECT_FALSE(ImportXDatenfelder(deep, small).ok());
  small = {};
  small.max_bytes = 100;
  EXPECT_EQ(ImportXDatenfelder(deep, small).error().code(), core::ErrorCode::kResourceExhausted);
}

TEST(XdfImporter, ReportToJsonListsEverything) {
  auto r = ImportXDatenfelder(V2(Struct("1:1", Field("F1", "input", "text"))));
  ASSERT_TRUE(r.ok());
  Json j = r->report.ToJson();
  EXPECT_EQ(j["standard"], "xdf2");
  EXPECT_EQ(j["id"], "S1");
  EXPECT_EQ(j["distinctFields"], 1);
  EXPECT_TRUE(j["warnings"].is_array());
}

}  // namespace
}  // namespace amtsweg::forms
