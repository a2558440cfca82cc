// XDatenfelder conformance: every file of shared/conformance/xdatenfelder/
// listed in expected.tsv. `ok` files must import with the manifest's id,
// version and distinct field/group/rule counts, compile as a form, report the
// required fields for empty data and accept generated valid data; `error`
// files must be rejected with a diagnostic naming element, line and column.
// Data: $AMTSWEG_CONFORMANCE, else <source>/../shared/conformance.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "forms/schema.h"
#include "forms/validator.h"
#include "forms/xdf_importer.h"

namespace amtsweg::forms {
namespace {

namespace fs = std::filesystem;
using core::Json;

fs::path ConformanceDir() {
  if (const char* env = std::getenv("AMTSWEG_CONFORMANCE"); env && *env) return env;
  return fs::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, '\t')) out.push_back(cell);
  return out;
}

// Required, always-visible data paths of a schema for empty data: keyed
// fields with validate.required (not in lists), through groups with path.
// Lists with minItems > 0 report min_items at their own path.
void ExpectedForEmpty(const Json& comps, const std::string& prefix, std::set<std::string>* out) {
  for (const auto& c : comps) {
    std::string type = c.value("type", "");
    if (type == "group") {
      std::string p = c.contains("path") ? prefix + "/" + c["path"].get<std::string>() : prefix;
      ExpectedForEmpty(c["components"], p, out);
    } else if (type == "dynamiclist") {
      std::string min = c.contains("properties") ? c["properties"].value("minItems", "0") : "0";
      if (min != "0") out->insert(prefix + "/" + c["path"].get<std::string>() + " min_items");
    } else if (c.contains("validate") && c["validate"].value("required", false)) {
      out->insert(prefix + "/" + c["key"].get<std::string>() + " required");
    }
  }
}

// A string meeting minLength/maxLength/pattern, from a few candidates.
std::optional<std::string> SampleText(const Json& v) {
  int64_t min = v.value("minLength", 0), max = v.value("maxLength", 1000);
  std::vector<std::string> candidates = {"12345", "24837", "a@b.de", "info@amt-beispiel.de", "Muster",
                                         std::string(static_cast<size_t>(std::max<int64_t>(min, 1)), 'A')};
  for (const auto& s : candidates) {
    auto n = static_cast<int64_t>(s.size());
    if (n < min || n > max) continue;
    if (v.contains("pattern") && !std::regex_search(s, std::regex(v["pattern"].get<std::string>()))) continue;
    return s;
  }
  return std::nullopt;
}

// Valid data for the required fields of `comps`; options for valuesKey go to `context`.
Json Sample(const Json& comps, Json* context, std::string* problem) {
  Json out = Json::object();
  for (const auto& c : comps) {
    std::string type = c.value("type", "");
    if (type == "group") {
      Json sub = Sample(c["components"], context, problem);
      if (c.contains("path")) out[c["path"].get<std::string>()] = sub;
      else out.update(sub);
      continue;
    }
    if (type == "dynamiclist") {
      int n = std::stoi(c["properties"].value("minItems", "0"));
      Json items = Json::array();
      for (int i = 0; i < n; ++i) items.push_back(Sample(c["components"], context, problem));
      if (n > 0) out[c["path"].get<std::string>()] = items;
      continue;
    }
    Json v = c.value("validate", Json::object());
    if (!v.value("required", false)) continue;
    std::string key = c["key"];
    if (type == "textfield" || type == "textarea") {
      auto s = SampleText(v);
      if (!s) *problem = "no sample text for " + key;
      else out[key] = *s;
    } else if (type == "number") {
      out[key] = v.contains("min") ? v["min"] : Json(1);
    } else if (type == "datetime") {
      std::string sub = c.value("subtype", "date");
      out[key] = sub == "date" ? "2030-01-01" : sub == "time" ? "12:00" : "2030-01-01T12:00Z";
    } else if (type == "select" || type == "radio") {
      if (c.contains("values") && !c["values"].empty()) {
        out[key] = c["values"][0]["value"];
      } else if (c.contains("valuesKey")) {
        (*context)[c["valuesKey"].get<std::string>()] = Json::array({Json{{"label", "X"}, {"value", "x"}}});
        out[key] = "x";
      } else {
        *problem = "no option for " + key;
      }
    } else if (type == "checkbox") {
      out[key] = true;
    } else if (type == "filepicker") {
      out[key] = "files::sample";
    } else {
      *problem = "no sample for type " + type;
    }
  }
  return out;
}

TEST(XdfConformance, ManifestFiles) {
  fs::path root = ConformanceDir() / "xdatenfelder";
  fs::path manifest = root / "expected.tsv";
  if (!fs::exists(manifest)) GTEST_SKIP() << "conformance data not found at " << manifest;

  XdfImportOptions options;
  for (const auto& e : fs::directory_iterator(root / "codelists")) {
    auto cl = ParseGenericode(ReadFile(e.path()));
    ASSERT_TRUE(cl.ok()) << e.path() << ": " << cl.error().ToString();
    options.code_lists.push_back(*cl);
  }

  std::ifstream in(manifest);
  std::string line;
  int passed = 0, failed = 0, ok_files = 0, error_files = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = SplitTabs(line);
    ASSERT_GE(cols.size(), 9u) << line;
    const std::string& file = cols[0];
    SCOPED_TRACE(file);
    int failures_before = ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
    auto result = ImportXDatenfelder(ReadFile(root / file), options);
    if (cols[1] == "error") {
      ++error_files;
      EXPECT_FALSE(result.ok()) << "must be rejected";
      if (!result.ok()) {
        const std::string& msg = result.error().message();
        EXPECT_TRUE(std::regex_search(msg, std::regex("^line [0-9]+, column [0-9]+: <[^>]+>: ")))
            << msg;
        std::cout << "  " << file << " rejected: " << msg << "\n";
      }
    } else {
      ++ok_files;
      ASSERT_TRUE(result.ok()) << result.error().ToString();
      const ImportReport& rep = result->report;
      EXPECT_EQ(rep.root_element, cols[2]);
      EXPECT_EQ(rep.id, cols[3]);
      EXPECT_EQ(rep.version, cols[4]);
      EXPECT_EQ(std::to_string(rep.distinct_fields), cols[5]);
      EXPECT_EQ(std::to_string(rep.distinct_groups), cols[6]);
      EXPECT_EQ(std::to_string(rep.distinct_rules), cols[7]);
      EXPECT_EQ(std::to_string(rep.code_list_reference_elements), cols[8]);
      EXPECT_EQ(rep.rules_not_executable.size(), rep.distinct_rules) << "every rule is reported";
      // conformance/README: the code lists of S00000094 resolve against codelists/.
      if (rep.id == "S00000094") {
        EXPECT_EQ(std::to_string(rep.code_lists.size()), cols[8]);
        for (const auto& c : rep.code_lists) EXPECT_TRUE(c.resolved) << c.canonical_uri << " " << c.version;
      }

      auto form = CompileForm(result->schema);
      ASSERT_TRUE(form.ok()) << form.error().ToString();
      std::set<std::string> expected, got;
      ExpectedForEmpty(result->schema["components"], "", &expected);
      for (const auto& v : Check(**form, Json::object(), {}).violations) got.insert(v.pointer + " " + v.code);
      EXPECT_EQ(got, expected);

      ValidateOptions vo;
      std::string problem;
      Json sample = Sample(result->schema["components"], &vo.context, &problem);
      EXPECT_EQ(problem, "");
      auto checked = Check(**form, sample, vo);
      EXPECT_TRUE(checked.ok()) << core::DumpJson(sample) << "\n"
                                << (checked.ok() ? "" : checked.violations[0].pointer + " " + checked.violations[0].code);
      std::cout << "  " << file << " imported: " << rep.distinct_fields << " fields, " << rep.distinct_groups
                << " groups, " << rep.distinct_rules << " rules, " << rep.code_lists.size()
                << " code list refs, " << (*form)->component_count() << " components, "
                << expected.size() << " required-for-empty\n";
    }
    int failures_after = ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
    (failures_after == failures_before ? passed : failed)++;
  }
  std::cout << "xdatenfelder: " << passed << " passed, " << failed << " failed (" << ok_files << " ok, "
            << error_files << " error files)\n";
  EXPECT_GT(ok_files, 0);
  EXPECT_GT(error_files, 0);
}

}  // namespace
}  // namespace amtsweg::forms
