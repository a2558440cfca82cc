// `amtsweg bench cases`: the workspace's reads at scale (issue 7's figures):
// inbox pages, filtered case lists and full-text search, p50/p95, on SQLite
// (a file: --db sqlite:PATH is reused, so seeding happens once) and with --pg
// on PostgreSQL. Cases come from `dev seed`'s path: the real intake, in bulk.
// The queries run in process through cases::Cases (the handlers' code minus
// HTTP and JSON), each timed alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <ostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/database.h"
#include "app/dev_seed.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "engine/engine.h"

namespace amtsweg::app {
namespace {

constexpr const char* kTenant = "amt-musterland";

struct Stat {
  double p50 = 0, p95 = 0;
  size_t rows = 0;
};

Stat Measure(int reps, const std::function<size_t()>& fn) {
  std::vector<double> ms;
  size_t rows = 0;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    rows = fn();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], rows};
}

int64_t CountCases(store::Database& db) {
  auto n = db.Read([&](store::Tx& tx) -> core::Result<int64_t> {
    AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*) FROM cases WHERE tenant_id = $1", {kTenant}));
    return r ? (*r).Int(0) : 0;
  });
  return n.ok() ? *n : 0;
}

int RunOne(const std::string& url, int64_t want, const std::string& label, std::ostream& out) {
  CommonFlags common;
  common.db_url = url;
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  std::filesystem::path files = std::filesystem::temp_directory_path() / "amtsweg-bench-cases-files";
  cfg->storage.files_dir = files.string();
  {
    auto opened = OpenAndMigrate(cfg->database, nullptr);
    if (!opened.ok()) {
      ReportError(opened.error());
      return 1;
    }
    catalog::Catalog probe(*opened->db);
    bool have_tenant = probe.GetTenant(kTenant).ok();
    opened->db->Close();
    if (!have_tenant) {
      if (int rc = RunDemoSeed(common, "demo/services"); rc != 0) {
        std::fprintf(stderr, "amtsweg: bench cases needs demo/services (run it from the source folder)\n");
        return rc;
      }
    }
  }
  auto opened = OpenAndMigrate(cfg->database, nullptr);
  if (!opened.ok()) {
    ReportError(opened.error());
    return 1;
  }
  auto& db = *opened->db;
  if (auto s = db.writer().Start(); !s.ok()) {
    ReportError(s.error());
    return 1;
  }
  int64_t have = CountCases(db);
  if (have < want) {
    out << fmt::format("# {}: {} cases present, seeding {} more through intake\n", label, have, want - have);
    out.flush();
    auto rep = SeedCases(db, kTenant, want - have, files, 512, stderr);
    if (!rep.ok()) {
      ReportError(rep.error());
      return 1;
    }
    out << fmt::format("cases.{}.seed_rate {:.0f} cases/s ({} created in {:.0f} s, {} failed)\n", label,
                       static_cast<double>(rep->created) / std::max(rep->seconds, 1e-9), rep->created, rep->seconds,
                       rep->failed);
    have = CountCases(db);
  } else {
    out << fmt::format("# {}: reusing {} cases\n", label, have);
  }
  engine::Engine engine(db);
  catalog::Catalog catalog(db);
  cases::Cases cs(db, engine, catalog);
  const int reps = 200;
  auto line = [&](const std::string& name, const Stat& s) {
    out << fmt::format("cases.{}.{} p50 {:.2f} ms p95 {:.2f} ms ({} rows, {} cases)\n", label, name, s.p50, s.p95,
                       s.rows, have);
    out.flush();
  };
  // Inbox of a case worker of two departments (Berta: bauamt + tiefbau), first page and 20 pages deep.
  cases::InboxFilter inbox{.scope = "all", .login = "bau", .departments = {"bauamt", "tiefbau"}, .limit = 50};
  line("inbox_first_page", Measure(reps, [&] { return cs.Inbox(kTenant, inbox).value().items.size(); }));
  std::string cursor;
  {
    cases::InboxFilter f = inbox;
    for (int i = 0; i < 20; ++i) {
      auto p = cs.Inbox(kTenant, f);
      if (!p.ok() || p->next_cursor.empty()) break;
      f.cursor = cursor = p->next_cursor;
    }
  }
  cases::InboxFilter deep = inbox;
  deep.cursor = cursor;
  line("inbox_page_21", Measure(reps, [&] { return cs.Inbox(kTenant, deep).value().items.size(); }));
  cases::InboxFilter unassigned{.scope = "unassigned", .login = "ordnung", .departments = {"ordnungsamt"},
                                .service = "musterland-plakatierung", .limit = 50};
  line("inbox_unassigned_by_service", Measure(reps, [&] { return cs.Inbox(kTenant, unassigned).value().items.size(); }));
  // Case lists.
  auto list = [&](const std::string& name, cases::CaseFilter f) {
    line(name, Measure(reps, [&] { return cs.List(kTenant, f).value().items.size(); }));
  };
  list("list_newest", {.limit = 50});
  list("list_status_received", {.status = "received", .limit = 50});
  list("list_department_service", {.service = "musterland-aufgrabegenehmigung", .department = "tiefbau", .limit = 50});
  list("list_due_sorted", {.sort = "due", .descending = false, .limit = 50});
  list("list_number_asc", {.sort = "number", .descending = false, .limit = 50});
  core::Timestamp now = core::SystemClock::Instance().Now();
  list("list_due_range", {.due_from = now + std::chrono::days(6), .due_to = now + std::chrono::days(9), .sort = "due",
                          .limit = 50});
  {
    cases::CaseFilter f{.department = "ordnungsamt", .limit = 50};
    for (int i = 0; i < 20; ++i) {
      auto p = cs.List(kTenant, f);
      if (!p.ok() || p->next_cursor.empty()) break;
      f.cursor = p->next_cursor;
    }
    list("list_department_page_21", f);
  }
  list("list_text_and_department", {.department = "bauamt", .q = "Kaufvertrag Müller", .limit = 50});
  {
    // The text walk 20 pages deep (cursor: the newest-first walk's position).
    cases::CaseFilter f{.department = "bauamt", .q = "Kaufvertrag Müller", .limit = 50};
    for (int i = 0; i < 20; ++i) {
      auto p = cs.List(kTenant, f);
      if (!p.ok() || p->next_cursor.empty()) break;
      f.cursor = p->next_cursor;
    }
    list("list_text_and_department_page_21", f);
  }
  list("list_text_common_word", {.status = "received", .q = "strasse", .limit = 50});
  // Full-text search: a rare name, a common word, a street with ß, two words.
  for (const char* q : {"Straßburger", "Zaun", "strasse", "Glasfaser Neuhof", "Öztürk Fährstraße"}) {
    std::string name = "search_" + std::string(q);
    for (char& ch : name) {
      if (ch == ' ') ch = '_';
    }
    line(name, Measure(reps / 2, [&] { return cs.Search(kTenant, q, 20).value().hits.size(); }));
  }
  // Search pages: the second page of the ranked window, and the first page
  // beyond it (the newest-first walk under the window), 100 hits a page.
  {
    auto first = cs.Search(kTenant, "strasse", 20);
    if (first.ok() && !first->next_cursor.empty()) {
      std::string c2 = first->next_cursor;
      line("search_strasse_page_2",
           Measure(reps / 2, [&] { return cs.Search(kTenant, "strasse", 20, c2).value().hits.size(); }));
    }
    std::string cursor;
    for (int i = 0; i < 30; ++i) {
      auto p = cs.Search(kTenant, "strasse", 100, cursor);
      if (!p.ok() || p->next_cursor.empty()) {
        cursor.clear();
        break;
      }
      cursor = p->next_cursor;
      if (!p->hits.empty() && p->hits.back().rank == 0) break;  // the walk has begun
    }
    if (!cursor.empty()) {
      line("search_strasse_beyond_window",
           Measure(reps / 2, [&] { return cs.Search(kTenant, "strasse", 100, cursor).value().hits.size(); }));
    }
  }
  core::Status stopped = db.writer().Stop();
  db.Close();
  return stopped.ok() ? 0 : 1;
}

}  // namespace

int BenchCases(const BenchFlags& flags, std::ostream& out) {
  int64_t want = flags.cases.value_or(1'000'000);
  out << "# bench cases: inbox pages, case lists and full-text search at " << want
      << " cases (in process, no HTTP; 200 runs each, search 100)\n";
  std::string sqlite = flags.db_url.value_or(
      "sqlite:" + (std::filesystem::temp_directory_path() / "amtsweg-bench-cases.db").string());
  int rc = RunOne(sqlite, want, "sqlite", out);
  if (flags.pg_url) rc |= RunOne(*flags.pg_url, want, "postgres", out);
  return rc;
}

}  // namespace amtsweg::app
