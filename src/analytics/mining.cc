#include "analytics/mining.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/time.h"

namespace amtsweg::analytics {
namespace {

using core::Json;

const std::string& ActivityId(const Log& log, int a) {
  static const std::string kNone;
  return a < 0 ? kNone : log.activities[static_cast<size_t>(a)].id;
}

// Edges are keyed by (from + 1, to + 1) packed into one integer.
int64_t EdgeKey(int from, int to) { return (static_cast<int64_t>(from + 1) << 32) | static_cast<uint32_t>(to + 1); }

std::string Iso(int64_t ms) { return core::FormatIso8601(core::FromUnixMillis(ms), 3); }

}  // namespace

int Log::Intern(const std::string& id) {
  for (size_t i = 0; i < activities.size(); ++i) {
    if (activities[i].id == id) return static_cast<int>(i);
  }
  activities.push_back(ActivityInfo{id, "", ""});
  return static_cast<int>(activities.size() - 1);
}

Stats Summarize(std::vector<int64_t>& values) {
  Stats s;
  if (values.empty()) return s;
  s.count = static_cast<int64_t>(values.size());
  s.min_ms = values.front();
  s.max_ms = values.front();
  for (int64_t v : values) {
    s.sum_ms += v;
    s.min_ms = std::min(s.min_ms, v);
    s.max_ms = std::max(s.max_ms, v);
  }
  s.mean_ms = s.sum_ms / s.count;
  // Nearest rank without a full sort: select rank 90, then rank 50 left of it.
  auto rank = [&](int p) {
    size_t r = (values.size() * static_cast<size_t>(p) + 99) / 100;
    return r == 0 ? size_t{0} : r - 1;
  };
  size_t r90 = rank(90), r50 = rank(50);
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(r90), values.end());
  s.p90_ms = values[r90];
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(r50), values.begin() + static_cast<ptrdiff_t>(r90));
  s.p50_ms = r50 == r90 ? s.p90_ms : values[r50];
  return s;
}

Json StatsJson(const Stats& s) {
  return Json{{"count", s.count}, {"minMs", s.min_ms}, {"meanMs", s.mean_ms}, {"p50Ms", s.p50_ms},
              {"p90Ms", s.p90_ms}, {"maxMs", s.max_ms}, {"sumMs", s.sum_ms}};
}

// --- DFG -----------------------------------------------------------------------

Dfg ComputeDfg(const Log& log) {
  size_t n = log.activities.size();
  std::vector<int64_t> counts(n, 0), case_counts(n, 0), last_case(n, -1);
  std::vector<std::vector<int64_t>> durations(n);
  std::unordered_map<int64_t, size_t> edge_index;
  std::vector<DfgEdge> edges;
  std::vector<std::vector<int64_t>> edge_durations;
  auto add_edge = [&](int from, int to, int64_t duration, bool timed) {
    auto [it, inserted] = edge_index.emplace(EdgeKey(from, to), edges.size());
    if (inserted) {
      edges.push_back(DfgEdge{from, to, 0, {}});
      edge_durations.emplace_back();
    }
    edges[it->second].count++;
    if (timed) edge_durations[it->second].push_back(duration);
  };

  for (size_t c = 0; c < log.cases.size(); ++c) {
    const Case& cs = log.cases[c];
    const ActivityInstance* prev = nullptr;
    for (const ActivityInstance& e : cs.events) {
      auto a = static_cast<size_t>(e.activity);
      counts[a]++;
      if (last_case[a] != static_cast<int64_t>(c)) {
        last_case[a] = static_cast<int64_t>(c);
        case_counts[a]++;
      }
      if (e.end_ms >= 0) durations[a].push_back(e.end_ms - e.start_ms);
      if (prev == nullptr) {
        add_edge(-1, e.activity, e.start_ms - cs.start_ms, true);
      } else {
        int64_t gap = prev->end_ms < 0 ? 0 : std::max<int64_t>(0, e.start_ms - prev->end_ms);
        add_edge(prev->activity, e.activity, gap, true);
      }
      prev = &e;
    }
    if (prev != nullptr && cs.state == "completed") {
      add_edge(prev->activity, -1, prev->end_ms < 0 ? 0 : std::max<int64_t>(0, cs.end_ms - prev->end_ms), true);
    }
  }

  Dfg dfg;
  for (size_t a = 0; a < n; ++a) {
    if (counts[a] == 0) continue;
    dfg.nodes.push_back(DfgNode{static_cast<int>(a), counts[a], case_counts[a], Summarize(durations[a])});
  }
  for (size_t i = 0; i < edges.size(); ++i) edges[i].duration = Summarize(edge_durations[i]);
  dfg.edges = std::move(edges);
  std::sort(dfg.nodes.begin(), dfg.nodes.end(), [&](const DfgNode& x, const DfgNode& y) {
    if (x.count != y.count) return x.count > y.count;
    return ActivityId(log, x.activity) < ActivityId(log, y.activity);
  });
  std::sort(dfg.edges.begin(), dfg.edges.end(), [&](const DfgEdge& x, const DfgEdge& y) {
    if (x.count != y.count) return x.count > y.count;
    if (x.from != y.from) return ActivityId(log, x.from) < ActivityId(log, y.from);
    return ActivityId(log, x.to) < ActivityId(log, y.to);
  });
  return dfg;
}

// --- Variants ------------------------------------------------------------------

std::vector<Variant> ComputeVariants(const Log& log) {
  std::map<std::vector<int>, size_t> index;
  std::vector<Variant> variants;
  std::vector<std::vector<int64_t>> throughput;
  std::vector<int> seq;
  for (const Case& cs : log.cases) {
    seq.clear();
    for (const ActivityInstance& e : cs.events) seq.push_back(e.activity);
    auto [it, inserted] = index.emplace(seq, variants.size());
    if (inserted) {
      variants.push_back(Variant{seq, 0, 0, {}});
      throughput.emplace_back();
    }
    Variant& v = variants[it->second];
    v.count++;
    if (cs.state == "completed") {
      v.completed++;
      throughput[it->second].push_back(cs.end_ms - cs.start_ms);
    }
  }
  for (size_t i = 0; i < variants.size(); ++i) variants[i].throughput = Summarize(throughput[i]);
  auto ids_less = [&](const std::vector<int>& x, const std::vector<int>& y) {
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), [&](int a, int b) {
      return ActivityId(log, a) < ActivityId(log, b);
    });
  };
  std::sort(variants.begin(), variants.end(), [&](const Variant& x, const Variant& y) {
    if (x.count != y.count) return x.count > y.count;
    return ids_less(x.activities, y.activities);
  });
  return variants;
}

// --- Durations -------------------------------------------------------------------

Durations ComputeDurations(const Log& log, int buckets) {
  Durations d;
  std::vector<int64_t> values;
  for (const Case& cs : log.cases) {
    d.cases++;
    if (cs.state == "completed") {
      d.completed++;
      values.push_back(cs.end_ms - cs.start_ms);
    } else if (cs.state == "terminated") {
      d.terminated++;
    } else {
      d.active++;
    }
  }
  d.throughput = Summarize(values);
  if (buckets > 0 && !values.empty()) {
    d.bucket_width_ms = std::max<int64_t>(1, (d.throughput.max_ms + buckets) / buckets);
    d.histogram.assign(static_cast<size_t>(buckets), 0);
    for (int64_t v : values) {
      auto b = static_cast<size_t>(std::min<int64_t>(v / d.bucket_width_ms, buckets - 1));
      d.histogram[b]++;
    }
  }
  return d;
}

// --- Activities --------------------------------------------------------------------

ActivityReport ComputeActivities(const Log& log, size_t max_breaches) {
  size_t n = log.activities.size();
  std::vector<ActivityStats> stats(n);
  std::vector<std::vector<int64_t>> dur(n), wait(n), work(n);
  ActivityReport r;
  std::vector<DeadlineBreach> breaches;
  for (const Case& cs : log.cases) {
    for (const ActivityInstance& e : cs.events) {
      auto a = static_cast<size_t>(e.activity);
      ActivityStats& s = stats[a];
      s.count++;
      if (e.end_ms < 0) {
        s.open++;
        continue;
      }
      if (e.terminated) s.terminated++;
      else s.completed++;
      dur[a].push_back(e.end_ms - e.start_ms);
      if (e.waiting_ms >= 0) wait[a].push_back(e.waiting_ms);
      if (e.working_ms >= 0) work[a].push_back(e.working_ms);
      if (e.due_ms && !e.terminated) {
        s.with_due++;
        if (e.end_ms > *e.due_ms) {
          s.breached++;
          breaches.push_back(DeadlineBreach{cs.id, e.activity, *e.due_ms, e.end_ms, e.resource});
        }
      }
    }
  }
  int64_t total_wait = 0, total_dur = 0;
  for (size_t a = 0; a < n; ++a) {
    stats[a].activity = static_cast<int>(a);
    stats[a].duration = Summarize(dur[a]);
    stats[a].waiting = Summarize(wait[a]);
    stats[a].working = Summarize(work[a]);
    total_wait += stats[a].waiting.sum_ms;
    total_dur += stats[a].duration.sum_ms;
  }
  for (auto& s : stats) {
    if (total_wait > 0) s.waiting_share = static_cast<double>(s.waiting.sum_ms) / static_cast<double>(total_wait);
    if (total_dur > 0) s.duration_share = static_cast<double>(s.duration.sum_ms) / static_cast<double>(total_dur);
  }
  std::erase_if(stats, [](const ActivityStats& s) { return s.count == 0; });
  std::sort(stats.begin(), stats.end(), [&](const ActivityStats& x, const ActivityStats& y) {
    if (x.count != y.count) return x.count > y.count;
    return ActivityId(log, x.activity) < ActivityId(log, y.activity);
  });
  for (size_t i = 0; i < stats.size(); ++i) {
    if (stats[i].waiting.sum_ms > 0 || stats[i].duration.sum_ms > 0) r.bottlenecks.push_back(static_cast<int>(i));
  }
  std::stable_sort(r.bottlenecks.begin(), r.bottlenecks.end(), [&](int x, int y) {
    const ActivityStats& a = stats[static_cast<size_t>(x)];
    const ActivityStats& b = stats[static_cast<size_t>(y)];
    bool a_split = a.waiting.count > 0, b_split = b.waiting.count > 0;
    if (a_split != b_split) return a_split;
    if (a_split) return a.waiting_share > b.waiting_share;
    return a.duration_share > b.duration_share;
  });
  r.activities = std::move(stats);
  r.breaches_total = static_cast<int64_t>(breaches.size());
  std::stable_sort(breaches.begin(), breaches.end(), [](const DeadlineBreach& x, const DeadlineBreach& y) {
    return x.end_ms - x.due_ms > y.end_ms - y.due_ms;
  });
  if (breaches.size() > max_breaches) breaches.resize(max_breaches);
  r.breaches = std::move(breaches);
  return r;
}

// --- Open work -----------------------------------------------------------------------

OpenReport ComputeOpen(const Log& log, int64_t now_ms) {
  size_t n = log.activities.size();
  std::vector<std::vector<int64_t>> ages(n);
  std::vector<int64_t> oldest_start(n, INT64_MAX);
  std::vector<const std::string*> oldest_case(n, nullptr);
  std::vector<int64_t> case_ages;
  for (const Case& cs : log.cases) {
    if (cs.state != "active") continue;
    case_ages.push_back(std::max<int64_t>(0, now_ms - cs.start_ms));
    for (const ActivityInstance& e : cs.events) {
      if (e.end_ms >= 0) continue;
      auto a = static_cast<size_t>(e.activity);
      ages[a].push_back(std::max<int64_t>(0, now_ms - e.start_ms));
      if (e.start_ms < oldest_start[a]) {
        oldest_start[a] = e.start_ms;
        oldest_case[a] = &cs.id;
      }
    }
  }
  OpenReport r;
  r.open_cases = static_cast<int64_t>(case_ages.size());
  r.case_age = Summarize(case_ages);
  for (size_t a = 0; a < n; ++a) {
    if (ages[a].empty()) continue;
    OpenElement e;
    e.activity = static_cast<int>(a);
    e.open = static_cast<int64_t>(ages[a].size());
    e.age = Summarize(ages[a]);
    e.oldest_case = *oldest_case[a];
    r.elements.push_back(std::move(e));
  }
  std::sort(r.elements.begin(), r.elements.end(), [&](const OpenElement& x, const OpenElement& y) {
    if (x.open != y.open) return x.open > y.open;
    return ActivityId(log, x.activity) < ActivityId(log, y.activity);
  });

  std::map<std::string, std::pair<DepartmentBacklog, std::vector<int64_t>>> groups;
  static const std::vector<std::string> kNoGroup{""};
  for (const OpenTask& t : log.open_tasks) {
    for (const std::string& g : t.groups.empty() ? kNoGroup : t.groups) {
      auto& [b, ages] = groups[g];
      b.group = g;
      b.open++;
      if (!t.assigned) b.unassigned++;
      if (t.due_ms && *t.due_ms < now_ms) b.overdue++;
      ages.push_back(std::max<int64_t>(0, now_ms - t.created_ms));
    }
  }
  for (auto& [g, entry] : groups) {
    entry.first.age = Summarize(entry.second);
    r.departments.push_back(std::move(entry.first));
  }
  std::stable_sort(r.departments.begin(), r.departments.end(),
                   [](const DepartmentBacklog& x, const DepartmentBacklog& y) { return x.open > y.open; });
  return r;
}

// --- JSON ---------------------------------------------------------------------------

namespace {
Json ActivityRef(const Log& log, int a) {
  if (a < 0) return nullptr;
  const ActivityInfo& info = log.activities[static_cast<size_t>(a)];
  return Json{{"id", info.id}, {"name", info.name}, {"kind", info.kind}};
}
}  // namespace

Json DfgJson(const Log& log, const Dfg& dfg) {
  Json nodes = Json::array(), edges = Json::array();
  for (const DfgNode& n : dfg.nodes) {
    Json j = ActivityRef(log, n.activity);
    j["count"] = n.count;
    j["cases"] = n.cases;
    j["duration"] = StatsJson(n.duration);
    nodes.push_back(std::move(j));
  }
  for (const DfgEdge& e : dfg.edges) {
    edges.push_back(Json{{"from", e.from < 0 ? Json(nullptr) : Json(ActivityId(log, e.from))},
                         {"to", e.to < 0 ? Json(nullptr) : Json(ActivityId(log, e.to))},
                         {"count", e.count},
                         {"duration", StatsJson(e.duration)}});
  }
  return Json{{"processId", log.process_id}, {"cases", log.cases.size()}, {"nodes", std::move(nodes)},
              {"edges", std::move(edges)}};
}

Json VariantsJson(const Log& log, const std::vector<Variant>& variants, size_t limit) {
  Json list = Json::array();
  auto total = static_cast<double>(log.cases.size());
  for (size_t i = 0; i < variants.size() && i < limit; ++i) {
    const Variant& v = variants[i];
    Json acts = Json::array();
    for (int a : v.activities) acts.push_back(ActivityId(log, a));
    list.push_back(Json{{"activities", std::move(acts)},
                        {"count", v.count},
                        {"share", total > 0 ? static_cast<double>(v.count) / total : 0.0},
                        {"completed", v.completed},
                        {"throughput", StatsJson(v.throughput)}});
  }
  return Json{{"processId", log.process_id}, {"cases", log.cases.size()}, {"total", variants.size()},
              {"variants", std::move(list)}};
}

Json DurationsJson(const Durations& d) {
  return Json{{"cases", d.cases},         {"completed", d.completed},
              {"terminated", d.terminated}, {"active", d.active},
              {"throughput", StatsJson(d.throughput)},
              {"histogram", Json{{"bucketWidthMs", d.bucket_width_ms}, {"counts", d.histogram}}}};
}

Json ActivitiesJson(const Log& log, const ActivityReport& r) {
  Json acts = Json::array(), bottlenecks = Json::array(), breaches = Json::array();
  for (const ActivityStats& s : r.activities) {
    Json j = ActivityRef(log, s.activity);
    j["count"] = s.count;
    j["completed"] = s.completed;
    j["terminated"] = s.terminated;
    j["open"] = s.open;
    j["duration"] = StatsJson(s.duration);
    j["waiting"] = s.waiting.count > 0 ? StatsJson(s.waiting) : Json(nullptr);
    j["working"] = s.working.count > 0 ? StatsJson(s.working) : Json(nullptr);
    j["waitingShare"] = s.waiting_share;
    j["durationShare"] = s.duration_share;
    j["withDue"] = s.with_due;
    j["breached"] = s.breached;
    acts.push_back(std::move(j));
  }
  for (int i : r.bottlenecks) {
    const ActivityStats& s = r.activities[static_cast<size_t>(i)];
    bool split = s.waiting.count > 0;
    bottlenecks.push_back(Json{{"id", ActivityId(log, s.activity)},
                               {"basis", split ? "waiting" : "duration"},
                               {"share", split ? s.waiting_share : s.duration_share},
                               {"meanMs", split ? s.waiting.mean_ms : s.duration.mean_ms}});
  }
  for (const DeadlineBreach& b : r.breaches) {
    breaches.push_back(Json{{"caseId", b.case_id},
                            {"activity", ActivityId(log, b.activity)},
                            {"due", Iso(b.due_ms)},
                            {"completed", Iso(b.end_ms)},
                            {"overdueMs", b.end_ms - b.due_ms},
                            {"resource", b.resource.empty() ? Json(nullptr) : Json(b.resource)}});
  }
  return Json{{"processId", log.process_id}, {"activities", std::move(acts)}, {"bottlenecks", std::move(bottlenecks)},
              {"deadlineBreaches", Json{{"total", r.breaches_total}, {"items", std::move(breaches)}}}};
}

Json OpenJson(const Log& log, const OpenReport& r) {
  Json elements = Json::array();
  for (const OpenElement& e : r.elements) {
    Json j = ActivityRef(log, e.activity);
    j["open"] = e.open;
    j["age"] = StatsJson(e.age);
    j["oldestCaseId"] = e.oldest_case;
    elements.push_back(std::move(j));
  }
  Json departments = Json::array();
  for (const DepartmentBacklog& d : r.departments) {
    departments.push_back(Json{{"group", d.group.empty() ? Json(nullptr) : Json(d.group)},
                               {"open", d.open},
                               {"unassigned", d.unassigned},
                               {"overdue", d.overdue},
                               {"age", StatsJson(d.age)}});
  }
  return Json{{"processId", log.process_id}, {"openCases", r.open_cases}, {"caseAge", StatsJson(r.case_age)},
              {"elements", std::move(elements)}, {"departments", std::move(departments)}};
}

}  // namespace amtsweg::analytics
