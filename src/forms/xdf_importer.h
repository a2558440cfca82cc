// FIM XDatenfelder import: turns an XDatenfelder 2.0 Stammdatenschema message
// (`xdatenfelder.stammdatenschema.0102`, urn:xoev-de:fim:standard:xdatenfelder_2)
// or an XDatenfelder 3.0 Datenfeldgruppe message (`xdatenfelder.datenfeldgruppe.0103`,
// urn:xoev-de:fim:standard:xdatenfelder_3.0.0) into a form-js schema plus an
// ImportReport. Pure: takes XML text and already-loaded genericode texts.
//
// Mapping (details in forms/README.md):
//   datenfeldgruppe 1:1        -> group with path = FIM id
//   datenfeldgruppe 0:1, n:m   -> dynamiclist (properties.minItems/maxItems)
//   datenfeld 1:1 / 0:1        -> field with key = FIM id, validate.required = min >= 1
//   datenfeld with max > 1     -> dynamiclist holding the field
//   feldart/datentyp           -> textfield, number, datetime, checkbox, select, filepicker,
//                                 text (label), expression (hidden), disabled textfield (locked)
//   praezisierung              -> validate.minLength/maxLength/pattern/min/max
//   codelisteReferenz          -> select values from the genericode list (CanonicalUri + Version)
//   regel                      -> not executable: listed in the report and in the schema's
//                                 `fim.rules`, never dropped
// FIM ids and versions are kept in each component's `properties` (fimId,
// fimVersion) and in the schema's `fim` object.
//
// Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace amtsweg::forms {

// One genericode 1.0 code list (gc:CodeList).
struct CodeList {
  std::string short_name;
  std::string canonical_uri;
  std::string version;
  std::string canonical_version_uri;
  std::string code_column;   // column of the first key (gc:Key), else the first column
  std::string label_column;  // the next key's column, else the next column
  struct Row {
    std::string code;
    std::string label;
  };
  std::vector<Row> rows;
};

// Parses a genericode code list. kInvalidArgument ("line L, column C: ...")
// when it is not well-formed XML, not a gc:CodeList, or lacks CanonicalUri/Version.
core::Result<CodeList> ParseGenericode(std::string_view xml);

struct XdfImportOptions {
  std::vector<CodeList> code_lists;  // resolved by canonical URI + version
  size_t max_bytes = 32 * 1024 * 1024;
  size_t max_depth = 64;  // XML element nesting
};

struct CodeListReference {
  std::string element;  // "F60000227:1.1" of the field that refers to it
  std::string list_id;  // xdf:codelisteReferenz/xdf:identifikation/xdf:id
  std::string canonical_uri;
  std::string version;
  bool resolved = false;
  size_t rows = 0;
};

struct RuleReport {
  std::string id, version, name;
  std::string text;    // definition (xdf2) or freitextRegel (xdf3)
  std::string script;  // xdf2 script / xdf3 skript, as given
  std::vector<std::string> attached_to;  // "G00000082:1.3", ...
};

struct ImportReport {
  std::string standard;  // "xdf2" or "xdf3"
  std::string root_element;
  std::string id, version, name;
  // Distinct id:version pairs of datenfeld, datenfeldgruppe and regel elements
  // anywhere in the message (for xdf3 the root datenfeldgruppe counts).
  size_t distinct_fields = 0, distinct_groups = 0, distinct_rules = 0;
  size_t code_list_reference_elements = 0;
  std::vector<RuleReport> rules_not_executable;
  std::vector<CodeListReference> code_lists;
  std::vector<std::string> warnings;
  core::Json ToJson() const;
};

struct XdfImport {
  core::Json schema;  // form-js schema ("type": "default")
  ImportReport report;
};

// kInvalidArgument with "line L, column C: <xdf:name>: ..." when the message
// is malformed: unknown namespace or root, unexpected element, duplicate
// value, missing or empty identification, invalid codes. The detail pointer
// is "L:C" of the offending element. kResourceExhausted when limits are hit.
core::Result<XdfImport> ImportXDatenfelder(std::string_view xml, const XdfImportOptions& options = {});

}  // namespace amtsweg::forms
