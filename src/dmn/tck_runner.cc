#include "dmn/tck_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <pugixml.hpp>

#include "dmn/engine.h"
#include "dmn/importer.h"

namespace amtsweg::dmn {
namespace fs = std::filesystem;
using feel::Value;

namespace {

// Case folders a DMN 1.3 engine may skip (conformance/README.md).
const std::map<std::string, std::string>& SkipList() {
  static const std::map<std::string, std::string> kSkip = {
      {"0076-feel-external-java", "needs Java external functions"},
  };
  return kSkip;
}

std::string_view Local(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::vector<pugi::xml_node> Kids(const pugi::xml_node& n, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && Local(c) == local) out.push_back(c);
  }
  return out;
}

pugi::xml_node Kid(const pugi::xml_node& n, std::string_view local) {
  auto k = Kids(n, local);
  return k.empty() ? pugi::xml_node() : k[0];
}

// Attribute by local name (xsi:type, xsi:nil with any prefix).
pugi::xml_attribute AttrLocal(const pugi::xml_node& n, std::string_view local) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) return a;
  }
  return {};
}

bool ReadFile(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

Value ScalarValue(const pugi::xml_node& v) {
  if (std::string_view(AttrLocal(v, "nil").value()) == "true") return Value();
  std::string type = AttrLocal(v, "type").value();
  size_t colon = type.find(':');
  if (colon != std::string::npos) type = type.substr(colon + 1);
  std::string text = v.text().get();
  if (type != "string" && !type.empty()) {
    size_t a = text.find_first_not_of(" \t\r\n"), b = text.find_last_not_of(" \t\r\n");
    text = a == std::string::npos ? "" : text.substr(a, b - a + 1);
  }
  if (type == "decimal" || type == "double" || type == "integer" || type == "int" || type == "long" ||
      type == "float") {
    if (auto d = feel::Decimal::Parse(text)) return Value::Number(*d);
    return Value::String(text);
  }
  if (type == "boolean") return Value::Bool(text == "true");
  if (type == "date") {
    if (auto d = feel::ParseDate(text)) return Value::OfDate(*d);
  }
  if (type == "time") {
    if (auto t = feel::ParseTime(text)) return Value::OfTime(*t);
  }
  if (type == "dateTime") {
    if (auto t = feel::ParseDateTime(text)) return Value::OfDateTime(*t);
  }
  if (type == "duration") {
    if (auto d = feel::ParseYmDuration(text)) return Value::OfYm(*d);
    if (auto d = feel::ParseDtDuration(text)) return Value::OfDt(*d);
  }
  return Value::String(text);
}

// A value node: <value>, <list>, or <component>s.
Value NodeValue(const pugi::xml_node& n) {
  if (pugi::xml_node v = Kid(n, "value")) return ScalarValue(v);
  if (pugi::xml_node l = Kid(n, "list")) {
    if (std::string_view(AttrLocal(l, "nil").value()) == "true") return Value();
    feel::List items;
    for (const auto& item : Kids(l, "item")) items.push_back(NodeValue(item));
    return Value::OfList(std::move(items));
  }
  auto comps = Kids(n, "component");
  if (!comps.empty()) {
    feel::Context c;
    for (const auto& comp : comps) {
      if (std::string_view(AttrLocal(comp, "nil").value()) == "true") {
        c.Put(comp.attribute("name").value(), Value());
      } else {
        c.Put(comp.attribute("name").value(), NodeValue(comp));
      }
    }
    return Value::OfContext(std::move(c));
  }
  if (std::string_view(AttrLocal(n, "nil").value()) == "true") return Value();
  return Value();
}

// TCK equality: numbers by value (or, `tolerant`, within 1e-8), contexts by
// key set, lists in order.
bool Match(const Value& expected, const Value& actual, bool tolerant) {
  if (tolerant && expected.is_number() && actual.is_number()) {
    auto d = expected.as_number().Sub(actual.as_number());
    return d && d->Abs() < *feel::Decimal::Parse("0.00000001");
  }
  if (expected.is_null() || actual.is_null()) return expected.is_null() && actual.is_null();
  if (expected.is_list() && actual.is_list()) {
    const auto &a = expected.as_list(), &b = actual.as_list();
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Match(a[i], b[i], tolerant)) return false;
    }
    return true;
  }
  if (expected.is_context() && actual.is_context()) {
    const auto &a = expected.as_context(), &b = actual.as_context();
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.entries()) {
      const Value* w = b.Find(k);
      if (!w || !Match(v, *w, tolerant)) return false;
    }
    return true;
  }
  return feel::ValuesEqual(expected, actual);
}

bool Same(const Value& expected, const Value& actual) { return Match(expected, actual, false); }
// Equal up to numbers differing by less than 1e-8.
bool Close(const Value& expected, const Value& actual) { return Match(expected, actual, true); }

struct CaseRunner {
  std::ostream& report;
  TckSummary& sum;
  std::string level;

  void Count(bool pass, const std::string& where, const Value& exp, const Value& got,
             const std::vector<std::string>& msgs) {
    TckCounts& lc = sum.per_level[level];
    if (pass) {
      if (exp.is_null()) ++sum.passed_expecting_null;
      ++sum.passed;
      ++lc.passed;
      return;
    }
    ++sum.failed;
    ++lc.failed;
    bool close = Close(exp, got);
    if (close) ++sum.within_tolerance;
    report << "FAIL " << where << ": expected " << exp.DebugString() << ", got " << got.DebugString();
    if (close) report << " (within 1e-8)";
    for (size_t i = 0; i < msgs.size() && i < 3; ++i) report << " | " << msgs[i];
    report << "\n";
  }

  void RunFolder(const fs::path& folder) {
    std::string name = folder.filename().string();
    std::vector<fs::path> tests, models;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      std::string f = e.path().filename().string();
      if (f.size() > 4 && f.substr(f.size() - 4) == ".xml" && f.find("-test-") != std::string::npos)
        tests.push_back(e.path());
      if (f.size() > 4 && f.substr(f.size() - 4) == ".dmn") models.push_back(e.path());
    }
    std::sort(tests.begin(), tests.end());
    if (auto it = SkipList().find(name); it != SkipList().end()) {
      int n = 0;
      for (const auto& t : tests) n += CountResults(t);
      sum.skipped += n;
      sum.per_level[level].skipped += n;
      report << "SKIP " << level << "/" << name << " (" << n << " results): " << it->second << "\n";
      return;
    }
    for (const auto& t : tests) RunTestFile(folder, name, t, models);
  }

  int CountResults(const fs::path& t) {
    pugi::xml_document doc;
    if (!doc.load_file(t.c_str())) return 0;
    int n = 0;
    for (const auto& tc : Kids(doc.document_element(), "testCase")) n += static_cast<int>(Kids(tc, "resultNode").size());
    return n;
  }

  void RunTestFile(const fs::path& folder, const std::string& case_name, const fs::path& t,
                   const std::vector<fs::path>& models) {
    pugi::xml_document doc;
    pugi::xml_node root;
    // Keep whitespace-only text: a string value may be " ".
    if (doc.load_file(t.c_str(), pugi::parse_default | pugi::parse_ws_pcdata)) root = doc.document_element();
    std::string model_name = Kid(root, "modelName").text().get();
    std::string main_xml;
    std::vector<std::string> others;
    bool main_ok = !model_name.empty() && ReadFile(folder / model_name, &main_xml);
    for (const auto& m : models) {
      if (m.filename().string() == model_name) continue;
      std::string x;
      if (ReadFile(m, &x)) others.push_back(std::move(x));
    }
    std::unique_ptr<Engine> engine;
    std::string load_error;
    if (main_ok) {
      auto e = ImportDmn(main_xml, others);
      if (e.ok()) engine = std::move(*e);
      else load_error = e.error().message();
    } else {
      load_error = "cannot read model '" + model_name + "'";
    }
    for (const auto& tc : Kids(root, "testCase")) {
      std::string id = tc.attribute("id").value();
      std::string type = tc.attribute("type").value();
      std::string invocable = tc.attribute("invocableName").value();
      feel::Context inputs;
      for (const auto& in : Kids(tc, "inputNode")) {
        std::string ns = in.attribute("namespace").value();
        Value v = NodeValue(in);
        if (!ns.empty() && engine && ns != engine->main().namespace_) {
          std::string prefix;
          for (const auto& imp : engine->main().imports) {
            if (imp.namespace_ == ns) prefix = imp.name;
          }
          if (!prefix.empty()) {
            const Value* existing = inputs.Find(prefix);
            feel::Context c = existing && existing->is_context() ? existing->as_context() : feel::Context();
            c.Put(in.attribute("name").value(), v);
            inputs.Put(prefix, Value::OfContext(std::move(c)));
            continue;
          }
        }
        inputs.Put(in.attribute("name").value(), v);
      }
      EvalResult service_result;
      bool service_done = false;
      for (const auto& rn : Kids(tc, "resultNode")) {
        std::string rname = rn.attribute("name").value();
        bool error_result = std::string_view(rn.attribute("errorResult").value()) == "true";
        Value expected = NodeValue(Kid(rn, "expected"));
        std::string where = level + "/" + case_name + "/" + id + "/" + rname;
        if (!engine) {
          Count(false, where, expected, Value(), {load_error});
          continue;
        }
        EvalResult r;
        if (type == "decisionService") {
          if (!service_done) {
            service_result = engine->EvaluateService(invocable, inputs);
            service_done = true;
          }
          r = service_result;
          if (r.value.is_context()) {
            const Value* v = r.value.as_context().Find(rname);
            r.value = v ? *v : Value();
          }
        } else {
          r = engine->EvaluateDecision(rname, inputs);
        }
        bool pass = error_result ? r.value.is_null() : (r.ok || !r.value.is_null()) && Same(expected, r.value);
        if (!error_result && !r.ok && expected.is_null() && r.value.is_null()) pass = true;
        Count(pass, where, expected, r.value, r.messages);
      }
    }
  }
};

void Walk(const fs::path& dir, CaseRunner& runner, int depth) {
  std::error_code ec;
  std::vector<fs::path> subdirs;
  bool has_tests = false;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) subdirs.push_back(e.path());
    std::string f = e.path().filename().string();
    if (f.find("-test-") != std::string::npos && f.size() > 4 && f.substr(f.size() - 4) == ".xml")
      has_tests = true;
  }
  if (has_tests) {
    std::string saved = runner.level;
    if (runner.level.empty()) runner.level = dir.parent_path().filename().string();
    runner.RunFolder(dir);
    runner.level = saved;
    return;
  }
  if (depth > 4) return;
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& s : subdirs) {
    std::string saved = runner.level;
    std::string n = s.filename().string();
    if (n.rfind("compliance-level", 0) == 0) runner.level = n;
    Walk(s, runner, depth + 1);
    runner.level = saved;
  }
}

}  // namespace

TckSummary RunTck(const std::string& dir, std::ostream& report) {
  TckSummary sum;
  CaseRunner runner{report, sum, ""};
  Walk(fs::path(dir), runner, 0);
  for (const auto& [level, c] : sum.per_level) {
    report << level << ": " << c.passed << " passed, " << c.failed << " failed, " << c.skipped
           << " skipped\n";
  }
  report << sum.passed_expecting_null << " of the passed results expected null (mostly errorResult cases)\n";
  report << sum.within_tolerance << " of the failures are numbers within 1e-8 of the expected value\n";
  report << sum.passed << " passed, " << sum.failed << " failed, " << sum.skipped << " skipped\n";
  return sum;
}

}  // namespace amtsweg::dmn
