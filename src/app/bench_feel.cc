// `amtsweg bench feel`: FEEL evaluations per second, compiled once and parsed
// every time, beside feelin (npm) on the same cases in the same command; and
// the 100-rule, 5-input UNIQUE decision table.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "app/commands.h"
#include "core/json.h"
#include "dmn/bench_models.h"
#include "dmn/engine.h"
#include "feel/evaluator.h"
#include "feel/json_value.h"

namespace amtsweg::app {
namespace {

using Clock = std::chrono::steady_clock;

struct Case {
  std::string name;
  bool unary = false;
  std::string expr;
  feel::ScopePtr scope;
  feel::Value input;  // unary only
};

// Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; evaluations per second.
template <class Fn>
double Rate(Fn&& fn, int ms) {
  for (int i = 0; i < 200; ++i) fn();
  long n = 0;
  auto start = Clock::now();
  auto deadline = start + std::chrono::milliseconds(ms);
  auto now = start;
  while (now < deadline) {
    for (int i = 0; i < 100; ++i) fn();
    n += 100;
    now = Clock::now();
  }
  return n / std::chrono::duration<double>(now - start).count();
}

core::Result<std::vector<Case>> LoadCases(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound(path + ": cannot read the bench cases");
  std::stringstream text;
  text << in.rdbuf();
  AW_ASSIGN_OR_RETURN(core::Json doc, core::ParseJson(text.str()));
  std::vector<Case> cases;
  for (const auto& c : doc["cases"]) {
    Case k;
    k.name = c["name"];
    k.unary = c["kind"] == "unary";
    k.expr = c["expr"];
    if (k.unary) {
      AW_ASSIGN_OR_RETURN(k.input, feel::JsonToValue(c["input"]));
      k.scope = std::make_shared<feel::Scope>();
    } else {
      AW_ASSIGN_OR_RETURN(feel::Context ctx, feel::JsonToContext(c["vars"]));
      k.scope = feel::ScopeOf(ctx);
    }
    cases.push_back(std::move(k));
  }
  return cases;
}

// Where bench/ is: the working directory (make bench runs in the repo) or the source tree.
std::filesystem::path BenchDir() {
  if (std::filesystem::exists("bench/feel/cases.json")) return "bench";
  return std::filesystem::path(AMTSWEG_SOURCE_DIR) / "bench";
}

// Runs bench/feelin/run.mjs; name -> evaluations per second. Empty when node or
// the package is missing (then the figure is reported as absent, not zero).
std::map<std::string, double> RunFeelin(const std::filesystem::path& bench, int ms, std::ostream& out) {
  std::map<std::string, double> rates;
  auto script = bench / "feelin" / "run.mjs";
  if (!std::filesystem::exists(bench / "feelin" / "node_modules" / "feelin")) {
    out << "# feelin not installed (run make setup: npm ci in bench/feelin); no side-by-side figures\n";
    return rates;
  }
  std::string cmd = fmt::format("node '{}' '{}' {} 2>&1", script.string(), (bench / "feel" / "cases.json").string(), ms);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return rates;
  char line[512];
  while (fgets(line, sizeof line, pipe)) {
    std::istringstream fields(line);
    std::string name;
    double rate = 0;
    if (fields >> name >> rate) rates[name] = rate;
    else out << "# feelin: " << line;
  }
  pclose(pipe);
  return rates;
}

}  // namespace

int BenchFeel(std::ostream& out) {
  constexpr int kMs = 700;
  auto bench = BenchDir();
  auto cases = LoadCases((bench / "feel" / "cases.json").string());
  if (!cases.ok()) {
    ReportError(cases.error());
    return 1;
  }
  struct Row {
    std::string name;
    double compiled = 0, parsed = 0;
  };
  std::vector<Row> rows;
  for (const auto& c : *cases) {
    Row row{c.name};
    feel::CompileOptions opts;
    if (c.unary) {
      auto compiled = feel::CompileUnaryTests(c.expr, opts);
      if (!compiled.ok()) {
        ReportError(compiled.error());
        return 1;
      }
      row.compiled = Rate([&] {
        feel::EvalState st;
        return compiled->Test(c.input, c.scope, st);
      }, kMs);
      row.parsed = Rate([&] {
        feel::EvalState st;
        return feel::CompileUnaryTests(c.expr, opts)->Test(c.input, c.scope, st);
      }, kMs);
    } else {
      auto compiled = feel::CompileExpression(c.expr, opts);
      if (!compiled.ok()) {
        ReportError(compiled.error());
        return 1;
      }
      feel::EvalState check;
      if (compiled->Evaluate(c.scope, check).is_null()) {
        std::fprintf(stderr, "amtsweg: bench case %s evaluates to null\n", c.name.c_str());
        return 1;
      }
      row.compiled = Rate([&] {
        feel::EvalState st;
        return compiled->Evaluate(c.scope, st);
      }, kMs);
      row.parsed = Rate([&] {
        feel::EvalState st;
        return feel::CompileExpression(c.expr, opts)->Evaluate(c.scope, st);
      }, kMs);
    }
    rows.push_back(row);
  }
  auto feelin = RunFeelin(bench, kMs, out);

  // The 100-rule, 5-input decision table with hit policy UNIQUE.
  auto engine = dmn::ImportDmn(dmn::HundredRuleTable("UNIQUE"));
  if (!engine.ok()) {
    ReportError(engine.error());
    return 1;
  }
  feel::Context in;
  in.Put("amount", feel::Value::Number(505));
  in.Put("kind", feel::Value::String("k1"));
  in.Put("age", feel::Value::Number(70));
  in.Put("district", feel::Value::String("Mitte"));
  in.Put("urgent", feel::Value::Bool(false));
  dmn::EvalResult first = (*engine)->EvaluateDecision("Fee", in);
  if (!first.ok || first.value.is_null()) {
    std::fprintf(stderr, "amtsweg: the 100-rule table gave no result\n");
    return 1;
  }
  double table = Rate([&] { return (*engine)->EvaluateDecision("Fee", in); }, 1500);
  out << fmt::format("dmn.table_100x5_unique 1 {:.3f} - {:.0f}\n", 1e6 / table, table);
  out << fmt::format("# 100 rules x 5 inputs, UNIQUE, one core: {:.0f} evaluations/s (target 200,000)\n\n", table);
  out << "# bench feel: evaluations per second, one thread; feelin parses on every call\n";
  out << "name runs median_us p99_us ops_per_s\n";
  for (const auto& r : rows) {
    out << fmt::format("feel.{}.compiled 1 {:.3f} - {:.0f}\n", r.name, 1e6 / r.compiled, r.compiled);
    out << fmt::format("feel.{}.parse_eval 1 {:.3f} - {:.0f}\n", r.name, 1e6 / r.parsed, r.parsed);
    if (feelin.count(r.name)) {
      out << fmt::format("feelin.{} 1 {:.3f} - {:.0f}\n", r.name, 1e6 / feelin[r.name], feelin[r.name]);
    }
  }
  out << "\n# case                  compiled/s  parse+eval/s    feelin/s  compiled:feelin  parse+eval:feelin\n";
  double log_c = 0, log_p = 0;
  int n = 0;
  for (const auto& r : rows) {
    auto f = feelin.find(r.name);
    if (f == feelin.end()) {
      out << fmt::format("  {:<22}{:>10.0f}{:>14.0f}{:>12}\n", r.name, r.compiled, r.parsed, "-");
      continue;
    }
    out << fmt::format("  {:<22}{:>10.0f}{:>14.0f}{:>12.0f}{:>16.1f}x{:>18.1f}x\n", r.name, r.compiled, r.parsed,
                       f->second, r.compiled / f->second, r.parsed / f->second);
    log_c += std::log(r.compiled / f->second);
    log_p += std::log(r.parsed / f->second);
    ++n;
  }
  if (n > 0) {
    out << fmt::format("  geometric mean: compiled {:.1f}x feelin (target 100x), parse+eval {:.1f}x feelin (target 20x)\n",
                       std::exp(log_c / n), std::exp(log_p / n));
  }
  out << "\n";

  return 0;
}

}  // namespace amtsweg::app
