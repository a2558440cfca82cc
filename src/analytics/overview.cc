#include "analytics/overview.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "core/time.h"

namespace amtsweg::analytics {
namespace {

using core::Json;
using namespace std::chrono;

constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t DayMs(sys_days d) { return static_cast<int64_t>(d.time_since_epoch().count()) * kDayMs; }

sys_days DayOf(int64_t ms) { return sys_days{days{FloorDiv(ms, kDayMs)}}; }

std::string Label(int64_t start_ms, Interval interval) {
  sys_days d = DayOf(start_ms);
  if (interval == Interval::kMonth) {
    year_month_day ymd{d};
    return fmt::format("{:04}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  }
  // ISO week: the year of the week's Thursday; week 1 holds the year's first Thursday.
  sys_days thursday = d + days{3};
  year_month_day ymd{thursday};
  sys_days jan1 = sys_days{ymd.year() / January / 1};
  int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
  return fmt::format("{:04}-W{:02}", static_cast<int>(ymd.year()), week);
}

int64_t NextStart(int64_t start_ms, Interval interval) {
  if (interval == Interval::kWeek) return start_ms + 7 * kDayMs;
  year_month_day ymd{DayOf(start_ms)};
  year_month next = year_month{ymd.year(), ymd.month()} + months{1};
  return DayMs(sys_days{next / 1});
}

// Counters of one row of the dashboard (tenant, service or department).
struct Kpi {
  int64_t received = 0, completed = 0, terminated = 0, open = 0, overdue = 0, overdue_open = 0;
  std::vector<int64_t> open_age, throughput;
};

void Add(Kpi& k, const CaseFact& c, int processing_days, int64_t now) {
  ++k.received;
  int64_t limit = processing_days > 0 ? int64_t{processing_days} * kDayMs : -1;
  if (c.state == "completed" && c.end_ms >= 0) {
    ++k.completed;
    int64_t t = std::max<int64_t>(0, c.end_ms - c.submitted_ms);
    k.throughput.push_back(t);
    if (limit >= 0 && t > limit) ++k.overdue;
  } else if (c.state == "terminated") {
    ++k.terminated;
  } else {
    ++k.open;
    int64_t age = std::max<int64_t>(0, now - c.submitted_ms);
    k.open_age.push_back(age);
    if (limit >= 0 && age > limit) {
      ++k.overdue;
      ++k.overdue_open;
    }
  }
}

Json KpiJson(Kpi& k) {
  return Json{{"received", k.received},
              {"completed", k.completed},
              {"terminated", k.terminated},
              {"open", k.open},
              {"openAge", StatsJson(Summarize(k.open_age))},
              {"throughput", StatsJson(Summarize(k.throughput))},
              {"overdue", k.overdue},
              {"overdueOpen", k.overdue_open}};
}

}  // namespace

int64_t BucketStart(int64_t t_ms, Interval interval) {
  sys_days d = DayOf(t_ms);
  if (interval == Interval::kMonth) {
    year_month_day ymd{d};
    return DayMs(sys_days{ymd.year() / ymd.month() / 1});
  }
  weekday wd{d};
  int since_monday = static_cast<int>((wd.c_encoding() + 6) % 7);  // Monday 0 .. Sunday 6
  return DayMs(d - days{since_monday});
}

core::Result<std::vector<Bucket>> MakeBuckets(int64_t from_ms, int64_t to_ms, Interval interval, size_t max) {
  std::vector<Bucket> out;
  if (from_ms >= to_ms) return out;
  for (int64_t s = BucketStart(from_ms, interval); s < to_ms; s = NextStart(s, interval)) {
    if (out.size() == max) {
      core::Error e = core::InvalidArgument(fmt::format(
          "the period holds more than {} {}s: choose a longer interval or a shorter period", max,
          interval == Interval::kWeek ? "week" : "month"));
      e.AddDetail("interval", fmt::format("more than {} buckets", max));
      return e;
    }
    int64_t next = NextStart(s, interval);
    out.push_back(Bucket{s, next, Label(s, interval)});
  }
  return out;
}

core::Result<Json> OverviewJson(const OverviewFacts& facts, const OverviewOptions& o) {
  std::map<std::string, const ServiceInfo*> services;
  for (const auto& s : facts.services) services.emplace(s.id, &s);
  std::map<std::string, std::string> department_names;
  for (const auto& d : facts.departments) department_names.emplace(d.id, d.name);

  Kpi total;
  std::map<std::string, Kpi> by_service, by_department;
  int64_t first = o.now_ms;
  for (const CaseFact& c : facts.cases) {
    auto it = services.find(c.service_id);
    int days_promised = it == services.end() ? 0 : it->second->processing_days;
    Add(total, c, days_promised, o.now_ms);
    Add(by_service[c.service_id], c, days_promised, o.now_ms);
    Add(by_department[c.department_id], c, days_promised, o.now_ms);
    first = std::min(first, c.submitted_ms);
  }

  // Series: received and completed per bucket, the median throughput of the
  // cases completed in it, and the open backlog at its end (of the cases of the period).
  int64_t from = o.from_ms.value_or(first);
  int64_t to = std::min(o.to_ms.value_or(o.now_ms + 1), o.now_ms + 1);  // never into the future
  std::vector<Bucket> buckets;
  if (o.from_ms || !facts.cases.empty()) {
    AW_ASSIGN_OR_RETURN(buckets, MakeBuckets(from, std::max(from, to), o.interval, o.max_buckets));
  }
  std::vector<int64_t> received(buckets.size()), completed(buckets.size()), ended_in(buckets.size());
  std::vector<std::vector<int64_t>> tp(buckets.size());
  int64_t received_before = 0, ended_before = 0;
  auto index_of = [&](int64_t t) -> std::optional<size_t> {
    if (buckets.empty() || t < buckets.front().start_ms || t >= buckets.back().end_ms) return std::nullopt;
    auto it = std::upper_bound(buckets.begin(), buckets.end(), t,
                               [](int64_t v, const Bucket& b) { return v < b.start_ms; });
    return static_cast<size_t>(it - buckets.begin()) - 1;
  };
  for (const CaseFact& c : facts.cases) {
    if (auto i = index_of(c.submitted_ms)) ++received[*i];
    else if (!buckets.empty() && c.submitted_ms < buckets.front().start_ms) ++received_before;
    if (c.end_ms >= 0) {
      if (auto i = index_of(c.end_ms)) {
        ++ended_in[*i];
        if (c.state == "completed") {
          ++completed[*i];
          tp[*i].push_back(std::max<int64_t>(0, c.end_ms - c.submitted_ms));
        }
      } else if (!buckets.empty() && c.end_ms < buckets.front().start_ms) {
        ++ended_before;
      }
    }
  }
  Json series = Json::array();
  int64_t backlog = received_before - ended_before;
  for (size_t i = 0; i < buckets.size(); ++i) {
    backlog += received[i] - ended_in[i];
    Stats s = Summarize(tp[i]);
    series.push_back(Json{{"period", buckets[i].label},
                          {"start", core::FormatIso8601(core::FromUnixMillis(buckets[i].start_ms), 0)},
                          {"received", received[i]},
                          {"completed", completed[i]},
                          {"throughputP50Ms", s.count > 0 ? Json(s.p50_ms) : Json(nullptr)},
                          {"openAtEnd", backlog}});
  }

  Json out;
  out["interval"] = o.interval == Interval::kWeek ? "week" : "month";
  out["now"] = core::FormatIso8601(core::FromUnixMillis(o.now_ms));
  out["totals"] = KpiJson(total);
  Json service_rows = Json::array();
  for (auto& [id, k] : by_service) {
    Json row = KpiJson(k);
    row["serviceId"] = id;
    auto it = services.find(id);
    if (it != services.end()) {
      row["name"] = Json{{"de", it->second->name_de}, {"en", it->second->name_en}};
      row["processId"] = it->second->process_id;
      row["processingTimeDays"] = it->second->processing_days > 0 ? Json(it->second->processing_days) : Json(nullptr);
    } else {
      row["name"] = Json{{"de", id}, {"en", id}};
      row["processId"] = nullptr;
      row["processingTimeDays"] = nullptr;
    }
    service_rows.push_back(std::move(row));
  }
  Json department_rows = Json::array();
  for (auto& [id, k] : by_department) {
    Json row = KpiJson(k);
    row["departmentId"] = id;
    auto it = department_names.find(id);
    row["name"] = it != department_names.end() ? it->second : id;
    department_rows.push_back(std::move(row));
  }
  // Busiest first: by open backlog, then received, then id.
  auto by_load = [](const char* key) {
    return [key](const Json& a, const Json& b) {
      if (a["open"] != b["open"]) return a["open"].get<int64_t>() > b["open"].get<int64_t>();
      if (a["received"] != b["received"]) return a["received"].get<int64_t>() > b["received"].get<int64_t>();
      return a[key].get<std::string>() < b[key].get<std::string>();
    };
  };
  std::stable_sort(service_rows.begin(), service_rows.end(), by_load("serviceId"));
  std::stable_sort(department_rows.begin(), department_rows.end(), by_load("departmentId"));
  out["services"] = std::move(service_rows);
  out["departments"] = std::move(department_rows);
  out["series"] = std::move(series);

  Json fs = Json::array(), fd = Json::array();
  for (const auto& s : facts.services) {
    fs.push_back(Json{{"id", s.id}, {"name", {{"de", s.name_de}, {"en", s.name_en}}}, {"processId", s.process_id}});
  }
  for (const auto& d : facts.departments) fd.push_back(Json{{"id", d.id}, {"name", d.name}});
  out["filters"] = Json{{"services", std::move(fs)}, {"departments", std::move(fd)}};
  return out;
}

}  // namespace amtsweg::analytics
