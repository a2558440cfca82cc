// Commands on model files: `dmn eval`, `dmn-tck`, `forms import-xdf`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "core/json.h"
#include "dmn/engine.h"
#include "dmn/tck_runner.h"
#include "feel/json_value.h"
#include "forms/xdf_importer.h"

namespace amtsweg::app {
namespace {

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(path + ": cannot read file");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

int RunDmnEval(const std::string& model_file, const std::string& decision, const std::string& input) {
  auto xml = ReadFile(model_file);
  if (!xml.ok()) {
    ReportError(xml.error());
    return 1;
  }
  // Other .dmn files beside the model are available to its <import>s.
  std::vector<std::string> imported;
  std::error_code ec;
  auto main_path = std::filesystem::weakly_canonical(model_file, ec);
  for (const auto& entry : std::filesystem::directory_iterator(main_path.parent_path(), ec)) {
    if (entry.path().extension() != ".dmn" || entry.path() == main_path) continue;
    if (auto other = ReadFile(entry.path().string()); other.ok()) imported.push_back(std::move(*other));
  }
  auto engine = dmn::ImportDmn(*xml, imported);
  if (!engine.ok()) {
    core::Error e = std::move(engine).error();
    e.WithContext(model_file);
    ReportError(e);
    return 1;
  }
  auto json = core::ParseJson(input);
  if (!json.ok()) {
    core::Error e = std::move(json).error();
    e.WithContext("--input");
    ReportError(e);
    return 1;
  }
  auto ctx = feel::JsonToContext(*json, [&](const std::string& name) { return (*engine)->InputType(name); });
  if (!ctx.ok()) {
    core::Error e = std::move(ctx).error();
    e.WithContext("--input");
    ReportError(e);
    return 1;
  }
  dmn::EvalResult r = (*engine)->EvaluateDecision(decision, *ctx);
  for (const auto& m : r.messages) std::fprintf(stderr, "%s: %s\n", model_file.c_str(), m.c_str());
  if (!r.ok) return 1;
  std::printf("%s\n", core::DumpJson(feel::ValueToJson(r.value), 2).c_str());
  return 0;
}

int RunDmnTck(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) {
    std::fprintf(stderr, "amtsweg: %s: not a directory\n", dir.c_str());
    return 1;
  }
  dmn::TckSummary s = dmn::RunTck(dir, std::cout);
  std::cout.flush();
  return s.failed == 0 ? 0 : 1;
}

int RunFormsImportXdf(const std::string& file, const std::vector<std::string>& code_list_files,
                      const std::optional<std::string>& report_file) {
  auto xml = ReadFile(file);
  if (!xml.ok()) {
    ReportError(xml.error());
    return 1;
  }
  forms::XdfImportOptions options;
  for (const auto& cl : code_list_files) {
    auto text = ReadFile(cl);
    if (!text.ok()) {
      ReportError(text.error());
      return 1;
    }
    auto list = forms::ParseGenericode(*text);
    if (!list.ok()) {
      core::Error e = std::move(list).error();
      e.WithContext(cl);
      ReportError(e);
      return 1;
    }
    options.code_lists.push_back(std::move(*list));
  }
  auto imported = forms::ImportXDatenfelder(*xml, options);
  if (!imported.ok()) {
    core::Error e = std::move(imported).error();
    e.WithContext(file);  // the message names "line L, column C: <element>"
    ReportError(e);
    return 1;
  }
  std::printf("%s\n", core::DumpJson(imported->schema, 2).c_str());
  const auto& rep = imported->report;
  std::fprintf(stderr, "%s: %s %s version %s: %zu fields, %zu groups, %zu rules (%zu not executable), %zu warnings\n",
               file.c_str(), rep.standard.c_str(), rep.id.c_str(), rep.version.c_str(), rep.distinct_fields,
               rep.distinct_groups, rep.distinct_rules, rep.rules_not_executable.size(), rep.warnings.size());
  for (const auto& cl : rep.code_lists) {
    if (!cl.resolved) {
      std::fprintf(stderr, "%s: code list %s (%s) not resolved: pass it with --code-list\n", file.c_str(),
                   cl.canonical_uri.c_str(), cl.version.c_str());
    }
  }
  for (const auto& w : rep.warnings) std::fprintf(stderr, "%s: warning: %s\n", file.c_str(), w.c_str());
  if (report_file) {
    std::ofstream out(*report_file);
    out << core::DumpJson(rep.ToJson(), 2) << "\n";
    if (!out) {
      ReportError(core::Unavailable(*report_file + ": cannot write report"));
      return 1;
    }
  }
  return 0;
}

}  // namespace amtsweg::app
