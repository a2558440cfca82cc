// Test support: sample catalogue objects in the API's JSON shape.
#pragma once

#include <string>

#include "core/json.h"

namespace amtsweg::catalog::testing {

inline core::Json SampleTenant(const std::string& id = "amt-musterland") {
  return core::Json{{"id", id},
                    {"name", "Amt Musterland"},
                    {"type", "Amt"},
                    {"ars", "010595988000"},
                    {"address", {{"street", "Marktstraße 1"}, {"postalCode", "24986"}, {"city", "Satrup"}}},
                    {"contact", {{"email", "info@amt-musterland.de"}, {"phone", "+49 4633 1234"}}},
                    {"portal", {{"primaryColor", "#004B87"}, {"logoUrl", "/assets/logo.svg"}}}};
}

inline core::Json SampleDepartment(const std::string& id, const std::string& name) {
  return core::Json{{"id", id}, {"name", name}, {"staffGroups", {id + "-team"}}};
}

// A small form: name, district (select), an optional attachment, a hidden note.
inline core::Json SampleForm(const std::string& id = "aufgrabung") {
  return core::Json::parse(R"js({
    "id": ")js" + id + R"js(", "type": "default", "schemaVersion": 16,
    "components": [
      {"id": "f_name", "type": "textfield", "key": "applicant", "label": "Antragsteller", "validate": {"required": true, "maxLength": 100}},
      {"id": "f_district", "type": "select", "key": "district", "label": "Ortsteil", "validate": {"required": true},
       "values": [{"label": "Nord", "value": "nord"}, {"label": "Süd", "value": "sued"}]},
      {"id": "f_length", "type": "number", "key": "length", "label": "Länge (m)", "validate": {"min": 0, "max": 1000}},
      {"id": "f_plan", "type": "filepicker", "key": "sitePlan", "label": "Lageplan", "accept": ".pdf,image/png"},
      {"id": "f_secret", "type": "textfield", "key": "note", "label": "Notiz", "conditional": {"hide": "=district = \"nord\""}}
    ]})js");
}

inline core::Json SampleService(const std::string& form_id, int form_version, const core::Json& responsibility) {
  return core::Json{{"leika", "99108011000000"},
                    {"published", true},
                    {"name", {{"de", "Aufgrabegenehmigung beantragen"}, {"en", "Apply for an excavation permit"}}},
                    {"description", {{"de", "Für Arbeiten im Straßenraum."}}},
                    {"legalBasis", "§ 21 StrWG"},
                    {"fees", "nach Sondernutzungsgebührensatzung"},
                    {"requiredDocuments", {"Lageplan"}},
                    {"processingTimeDays", 14},
                    {"form", {{"id", form_id}, {"version", form_version}}},
                    {"process", {{"id", "aufgrabung"}}},
                    {"responsibility", responsibility}};
}

}  // namespace amtsweg::catalog::testing
