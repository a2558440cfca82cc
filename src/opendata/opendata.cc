#include "opendata/opendata.h"

#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "catalog/keys.h"
#include "core/log.h"
#include "engine/engine.h"
#include "opendata/opendata_store.h"
#include "store/database.h"

namespace amtsweg::opendata {
namespace {

constexpr int64_t kDayMs = 86'400'000;

using core::FieldError;
using core::Json;

// Default title and description of each kind (German: the portal's language).
struct KindInfo {
  std::string_view kind;
  std::string_view title;
  std::string_view description;
};
constexpr KindInfo kKinds[] = {
    {kApplicationsMonthly, "Anträge pro Monat und Leistung",
     "Anzahl der online eingegangenen Anträge je Kalendermonat (UTC) und Verwaltungsleistung. Werte unter der "
     "Mindestfallzahl sind aus Datenschutzgründen unterdrückt."},
    {kProcessingTimes, "Bearbeitungsdauer je Leistung",
     "Anzahl abgeschlossener Verfahren und Bearbeitungsdauer vom Antragseingang bis zum Abschluss in Tagen "
     "(Median und 90. Perzentil) je Verwaltungsleistung. Werte unter der Mindestfallzahl sind unterdrückt."},
    {kBacklog, "Offene Anträge je Leistung",
     "Anzahl der offenen (noch nicht abgeschlossenen) Anträge und ihr medianes Alter in Tagen je "
     "Verwaltungsleistung zum Zeitpunkt der Berechnung. Werte unter der Mindestfallzahl sind unterdrückt."},
};
const KindInfo* FindKind(std::string_view kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

// EU data themes (publications.europa.eu/resource/authority/data-theme).
const std::set<std::string>& Themes() {
  static const std::set<std::string> t{"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
                                       "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"};
  return t;
}

bool IsString(const Json& j, const char* key) { return j.contains(key) && j.at(key).is_string(); }

// Nearest rank percentile of sorted values: the value at rank ceil(p/100*n).
double Percentile(const std::vector<double>& sorted, int p) {
  size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  if (rank < 1) rank = 1;
  return sorted[rank - 1];
}
Json Days(double ms) { return std::round(ms / kDayMs * 10.0) / 10.0; }

// The calendar month in Germany (Europe/Berlin), "2026-02": an application
// sent at 00:30 on 1 February counts in February, as the office counts it.
std::string Month(int64_t ms) {
  try {
    auto zoned = date::make_zoned(date::locate_zone("Europe/Berlin"), core::FromUnixMillis(ms));
    date::year_month_day ymd{date::floor<date::days>(zoned.get_local_time())};
    return fmt::format("{:04d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  } catch (const std::exception&) {
    // No time-zone database: UTC rather than nothing.
    return core::FormatIso8601(core::FromUnixMillis(ms), 0).substr(0, 7);
  }
}

std::string CsvField(const Json& v) {
  std::string s;
  if (v.is_null()) return "";
  if (v.is_string()) {
    s = v.get<std::string>();
  } else if (v.is_boolean()) {
    s = v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer()) {
    s = std::to_string(v.get<int64_t>());
  } else if (v.is_number()) {
    s = fmt::format("{:.1f}", v.get<double>());
  } else {
    s = v.dump();
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

const std::vector<std::string>& OpenLicences() {
  static const std::vector<std::string> l{
      "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
      "http://dcat-ap.de/def/licenses/cc-by/4.0",    "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
      "http://dcat-ap.de/def/licenses/cc-zero",      "http://dcat-ap.de/def/licenses/odbl",
      "http://dcat-ap.de/def/licenses/officialWork"};
  return l;
}

core::Result<Settings> ParseSettings(const Json& body) {
  if (!body.is_object()) return core::InvalidArgument("the body must be a JSON object", {{"", "must be an object"}});
  std::vector<FieldError> errs;
  Settings s;
  static const std::set<std::string> known{"minCount", "licence", "contributorId", "schedule", "baseUrl", "datasets"};
  for (const auto& [k, v] : body.items()) {
    if (!known.contains(k)) errs.push_back({"/" + k, "unknown field"});
  }
  if (body.contains("minCount")) {
    const Json& m = body.at("minCount");
    if (!m.is_number_integer() || m.get<int64_t>() < 1 || m.get<int64_t>() > 1000) {
      errs.push_back({"/minCount", "must be an integer from 1 to 1000"});
    } else {
      s.min_count = m.get<int>();
    }
  }
  if (body.contains("licence")) {
    if (!IsString(body, "licence") ||
        std::find(OpenLicences().begin(), OpenLicences().end(), body.at("licence").get<std::string>()) ==
            OpenLicences().end()) {
      errs.push_back({"/licence", "must be an open licence URI of http://dcat-ap.de/def/licenses/: " +
                                      fmt::format("{}", fmt::join(OpenLicences(), ", "))});
    } else {
      s.licence = body.at("licence").get<std::string>();
    }
  }
  constexpr std::string_view kContrib = "http://dcat-ap.de/def/contributors/";
  if (!IsString(body, "contributorId")) {
    errs.push_back({"/contributorId", "required: the GovData contributor id, an IRI under " + std::string(kContrib)});
  } else {
    s.contributor_id = body.at("contributorId").get<std::string>();
    std::string rest = s.contributor_id.substr(std::min(s.contributor_id.size(), kContrib.size()));
    if (!s.contributor_id.starts_with(kContrib) || rest.empty() ||
        rest.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
            std::string::npos) {
      errs.push_back({"/contributorId", "must be an IRI " + std::string(kContrib) + "<name>"});
    }
  }
  if (body.contains("schedule")) {
    if (!IsString(body, "schedule") || !body.at("schedule").get<std::string>().starts_with("R") ||
        body.at("schedule").get<std::string>().find_first_of("<>&\"'") != std::string::npos) {
      errs.push_back({"/schedule", "must be an ISO 8601 repeating interval such as R/P1D"});
    } else {
      s.schedule = body.at("schedule").get<std::string>();
    }
  }
  if (body.contains("baseUrl")) {
    std::string u = IsString(body, "baseUrl") ? body.at("baseUrl").get<std::string>() : "";
    if (!(u.starts_with("https://") || u.starts_with("http://")) || u.ends_with("/") ||
        u.find_first_of(" <>\"{}|\\^`") != std::string::npos) {
      errs.push_back({"/baseUrl", "must be an http(s) URL without a trailing slash"});
    } else {
      s.base_url = u;
    }
  }
  if (!body.contains("datasets") || !body.at("datasets").is_array()) {
    errs.push_back({"/datasets", "required: an array of dataset definitions"});
  } else {
    std::set<std::string> ids;
    const Json& ds = body.at("datasets");
    if (ds.size() > 50) errs.push_back({"/datasets", "at most 50 datasets"});
    for (size_t i = 0; i < ds.size(); ++i) {
      std::string p = "/datasets/" + std::to_string(i);
      const Json& d = ds[i];
      if (!d.is_object()) {
        errs.push_back({p, "must be an object"});
        continue;
      }
      static const std::set<std::string> dknown{"id", "kind", "title", "description", "keywords", "theme"};
      for (const auto& [k, v] : d.items()) {
        if (!dknown.contains(k)) errs.push_back({p + "/" + k, "unknown field"});
      }
      DatasetDef def;
      if (!IsString(d, "id") || !catalog::CheckSlug(d.at("id").get<std::string>()).ok()) {
        errs.push_back({p + "/id", "required: 2-63 characters of a-z, 0-9 and -"});
      } else {
        def.id = d.at("id").get<std::string>();
        if (!ids.insert(def.id).second) errs.push_back({p + "/id", "duplicate dataset id " + def.id});
      }
      const KindInfo* kind = IsString(d, "kind") ? FindKind(d.at("kind").get<std::string>()) : nullptr;
      if (kind == nullptr) {
        errs.push_back({p + "/kind", "required: one of applications-monthly, processing-times, backlog"});
      } else {
        def.kind = std::string(kind->kind);
        def.title = std::string(kind->title);
        def.description = std::string(kind->description);
      }
      for (const char* f : {"title", "description"}) {
        if (!d.contains(f)) continue;
        if (!IsString(d, f) || d.at(f).get<std::string>().empty() || d.at(f).get<std::string>().size() > 2000) {
          errs.push_back({p + "/" + f, "must be a non-empty string of at most 2000 bytes"});
        } else {
          (std::string_view(f) == "title" ? def.title : def.description) = d.at(f).get<std::string>();
        }
      }
      if (d.contains("keywords")) {
        const Json& kw = d.at("keywords");
        if (!kw.is_array() || kw.size() > 20) {
          errs.push_back({p + "/keywords", "must be an array of at most 20 strings"});
        } else {
          for (size_t k = 0; k < kw.size(); ++k) {
            if (!kw[k].is_string() || kw[k].get<std::string>().empty() || kw[k].get<std::string>().size() > 100) {
              errs.push_back({p + "/keywords/" + std::to_string(k), "must be a non-empty string of at most 100 bytes"});
            } else {
              def.keywords.push_back(kw[k].get<std::string>());
            }
          }
        }
      }
      def.theme = "GOVE";
      if (d.contains("theme")) {
        if (!IsString(d, "theme") || !Themes().contains(d.at("theme").get<std::string>())) {
          errs.push_back({p + "/theme", "must be an EU data theme code such as GOVE, SOCI, ECON"});
        } else {
          def.theme = d.at("theme").get<std::string>();
        }
      }
      s.datasets.push_back(std::move(def));
    }
  }
  if (!errs.empty()) return core::InvalidArgument("invalid open data definition", std::move(errs));
  return s;
}

Json SettingsToJson(const Settings& s) {
  Json ds = Json::array();
  for (const auto& d : s.datasets) {
    ds.push_back({{"id", d.id},
                  {"kind", d.kind},
                  {"title", d.title},
                  {"description", d.description},
                  {"keywords", d.keywords},
                  {"theme", d.theme}});
  }
  Json j{{"minCount", s.min_count},
         {"licence", s.licence},
         {"contributorId", s.contributor_id},
         {"schedule", s.schedule},
         {"datasets", ds}};
  if (!s.base_url.empty()) j["baseUrl"] = s.base_url;
  return j;
}

core::Result<Table> Compute(std::string_view kind, const std::vector<CaseFacts>& cases,
                            const std::vector<ServiceFacts>& services, int min_count, core::Timestamp now) {
  std::map<std::string, const ServiceFacts*> by_id;
  for (const auto& s : services) by_id[s.id] = &s;
  auto service_cols = [&](const std::string& id, std::vector<Json>& row) {
    auto it = by_id.find(id);
    row.push_back(id);
    row.push_back(it == by_id.end() ? Json() : Json(it->second->leika));
    row.push_back(it == by_id.end() ? Json() : Json(it->second->name));
  };
  const std::vector<Column> service_columns{
      {"serviceId", "string", "Kennung der Leistung"},
      {"leikaKey", "string", "LeiKa-Schlüssel der Leistung"},
      {"serviceName", "string", "Name der Leistung"}};
  // A count below the threshold (but not zero) is suppressed.
  auto suppressed = [&](size_t n) { return n > 0 && n < static_cast<size_t>(min_count); };
  Table t;
  int64_t now_ms = core::ToUnixMillis(now);
  if (kind == kApplicationsMonthly) {
    t.columns = {{"month", "string", "Kalendermonat des Antragseingangs (Ortszeit Deutschland), JJJJ-MM"}};
    t.columns.insert(t.columns.end(), service_columns.begin(), service_columns.end());
    t.columns.push_back({"applications", "integer", "Anzahl der Anträge; leer wenn unterdrückt"});
    t.columns.push_back({"suppressed", "boolean", "true: Anzahl unter der Mindestfallzahl unterdrückt"});
    std::map<std::pair<std::string, std::string>, size_t> counts;
    for (const auto& c : cases) ++counts[{Month(c.submitted_ms), c.service_id}];
    for (const auto& [key, n] : counts) {
      std::vector<Json> row{key.first};
      service_cols(key.second, row);
      bool s = suppressed(n);
      row.push_back(s ? Json() : Json(static_cast<int64_t>(n)));
      row.push_back(s);
      t.rows.push_back(std::move(row));
    }
    return t;
  }
  if (kind == kProcessingTimes || kind == kBacklog) {
    bool done = kind == kProcessingTimes;
    t.columns = service_columns;
    if (done) {
      t.columns.push_back({"completed", "integer", "Anzahl abgeschlossener Verfahren; leer wenn unterdrückt"});
      t.columns.push_back({"medianDays", "number", "Median der Bearbeitungsdauer in Tagen"});
      t.columns.push_back({"p90Days", "number", "90. Perzentil der Bearbeitungsdauer in Tagen"});
    } else {
      t.columns.push_back({"open", "integer", "Anzahl offener Anträge; leer wenn unterdrückt"});
      t.columns.push_back({"medianAgeDays", "number", "Medianes Alter der offenen Anträge in Tagen"});
    }
    t.columns.push_back({"suppressed", "boolean", "true: Anzahl unter der Mindestfallzahl unterdrückt"});
    std::map<std::string, std::vector<double>> values;  // ms per service
    for (const auto& c : cases) {
      if (done && c.state == "completed" && c.ended_ms) {
        values[c.service_id].push_back(static_cast<double>(std::max<int64_t>(0, *c.ended_ms - c.submitted_ms)));
      } else if (!done && c.state == "active") {
        values[c.service_id].push_back(static_cast<double>(std::max<int64_t>(0, now_ms - c.submitted_ms)));
      }
    }
    for (auto& [id, v] : values) {
      std::sort(v.begin(), v.end());
      std::vector<Json> row;
      service_cols(id, row);
      bool s = suppressed(v.size());
      row.push_back(s ? Json() : Json(static_cast<int64_t>(v.size())));
      row.push_back(s ? Json() : Days(Percentile(v, 50)));
      if (done) row.push_back(s ? Json() : Days(Percentile(v, 90)));
      row.push_back(s);
      t.rows.push_back(std::move(row));
    }
    return t;
  }
  return core::InvalidArgument("unknown dataset kind " + std::string(kind), {{"/kind", "unknown dataset kind"}});
}

std::string ToCsv(const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(t.columns[i].name);
  }
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

Json ToJson(const Table& t, const DatasetDef& def, int min_count, core::Timestamp modified) {
  Json cols = Json::array();
  for (const auto& c : t.columns) cols.push_back({{"name", c.name}, {"type", c.type}, {"description", c.description}});
  Json rows = Json::array();
  for (const auto& r : t.rows) {
    Json o = Json::object();
    for (size_t i = 0; i < r.size() && i < t.columns.size(); ++i) o[t.columns[i].name] = r[i];
    rows.push_back(std::move(o));
  }
  return Json{{"dataset", def.id},
              {"kind", def.kind},
              {"title", def.title},
              {"modified", core::FormatIso8601(modified, 0)},
              {"minCount", min_count},
              {"columns", cols},
              {"rows", rows}};
}

const Publication* TenantCatalog::Find(std::string_view dataset_id) const {
  for (const auto& p : publications) {
    if (p.dataset_id == dataset_id) return &p;
  }
  return nullptr;
}

std::string ScheduleBpmn(std::string_view tenant, std::string_view cycle) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs_opendata" targetNamespace="https://amtsweg.de/opendata">
  <bpmn:process id="{0}" name="Offene Daten veröffentlichen" isExecutable="true">
    <bpmn:startEvent id="schedule" name="Zeitplan">
      <bpmn:outgoing>f1</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeCycle>{2}</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:startEvent>
    <bpmn:serviceTask id="publish" name="Datensätze berechnen und veröffentlichen">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="{3}" retries="3"/>
        <zeebe:taskHeaders><zeebe:header key="tenant" value="{1}"/></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="schedule" targetRef="publish"/>
    <bpmn:sequenceFlow id="f2" sourceRef="publish" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
)",
                     kProcessId, tenant, cycle, kJobType);
}

OpenData::OpenData(store::Database& db, engine::Engine& engine, core::Clock* clock)
    : db_(db), engine_(engine), clock_(clock != nullptr ? clock : &core::SystemClock::Instance()) {}

core::Result<Settings> OpenData::Define(std::string_view tenant_sv, const Json& body) {
  std::string tenant(tenant_sv);
  AW_ASSIGN_OR_RETURN(Settings s, ParseSettings(body));
  AW_ASSIGN_OR_RETURN(auto info, db_.Read([&](store::Tx& tx) { return internal::LoadTenant(tx, tenant); }));
  if (!info) return core::NotFound("unknown tenant " + tenant);
  // Deploy first: a schedule the engine refuses must not leave a stored definition.
  // An unchanged file makes no new version, so defining twice is harmless.
  AW_TRY(engine_.Deploy(tenant, {{"amtsweg-opendata-publish.bpmn", ScheduleBpmn(tenant, s.schedule)}}));
  int64_t now = core::ToUnixMillis(clock_->Now());
  AW_TRY(db_.writer().Write([&](store::Tx& tx) { return internal::SaveSettings(tx, tenant, s, now); }));
  // The first computation at once; the schedule recomputes from then on.
  AW_TRY(Publish(tenant));
  return s;
}

core::Result<Settings> OpenData::Get(std::string_view tenant_sv) {
  std::string tenant(tenant_sv);
  AW_ASSIGN_OR_RETURN(auto s, db_.Read([&](store::Tx& tx) { return internal::LoadSettings(tx, tenant); }));
  if (!s) return core::NotFound("tenant " + tenant + " has no open data definition");
  return *s;
}

core::Result<int> OpenData::Publish(std::string_view tenant_sv) {
  std::string tenant(tenant_sv);
  struct Input {
    Settings settings;
    std::vector<CaseFacts> cases;
    std::vector<ServiceFacts> services;
  };
  // Read in one transaction (a consistent snapshot), compute outside of the writer, then write.
  AW_ASSIGN_OR_RETURN(Input in, db_.Read([&](store::Tx& tx) -> core::Result<Input> {
                        AW_ASSIGN_OR_RETURN(auto s, internal::LoadSettings(tx, tenant));
                        if (!s) return core::NotFound("tenant " + tenant + " has no open data definition");
                        AW_ASSIGN_OR_RETURN(auto cases, internal::LoadCases(tx, tenant));
                        AW_ASSIGN_OR_RETURN(auto services, internal::LoadServices(tx, tenant));
                        return Input{std::move(*s), std::move(cases), std::move(services)};
                      }));
  core::Timestamp now = std::chrono::floor<std::chrono::milliseconds>(clock_->Now());
  std::vector<Publication> pubs;
  for (const auto& d : in.settings.datasets) {
    AW_ASSIGN_OR_RETURN(Table t, Compute(d.kind, in.cases, in.services, in.settings.min_count, now));
    pubs.push_back({.dataset_id = d.id,
                    .issued = now,
                    .modified = now,
                    .row_count = static_cast<int64_t>(t.rows.size()),
                    .csv = ToCsv(t),
                    .json = ToJson(t, d, in.settings.min_count, now).dump()});
  }
  AW_TRY(db_.writer().Write([&](store::Tx& tx) -> core::Status {
    for (const auto& p : pubs) AW_TRY(internal::SavePublication(tx, tenant, p));
    return core::OkStatus();
  }));
  return static_cast<int>(pubs.size());
}

core::Result<TenantCatalog> OpenData::LoadCatalog(std::string_view tenant_sv) {
  std::string tenant(tenant_sv);
  return db_.Read([&](store::Tx& tx) -> core::Result<TenantCatalog> {
    AW_ASSIGN_OR_RETURN(auto info, internal::LoadTenant(tx, tenant));
    AW_ASSIGN_OR_RETURN(auto s, internal::LoadSettings(tx, tenant));
    if (!info || !s) return core::NotFound("tenant " + tenant + " publishes no open data");
    AW_ASSIGN_OR_RETURN(auto pubs, internal::LoadPublications(tx, tenant));
    return TenantCatalog{std::move(*info), std::move(*s), std::move(pubs)};
  });
}

core::Result<std::vector<TenantCatalog>> OpenData::LoadAll() {
  AW_ASSIGN_OR_RETURN(auto tenants, db_.Read([&](store::Tx& tx) { return internal::ListTenants(tx); }));
  std::vector<TenantCatalog> out;
  for (const auto& t : tenants) {
    auto c = LoadCatalog(t);
    if (c.ok()) {
      out.push_back(std::move(*c));
    } else if (c.error().code() != core::ErrorCode::kNotFound) {
      return c.error();
    }
  }
  return out;
}

void OpenData::RegisterWorker() {
  engine_.RegisterWorker(std::string(kJobType), [this](const engine::ActivatedJob& job) {
    engine::JobResult r;
    std::string tenant = job.headers.is_object() && job.headers.contains("tenant") &&
                                 job.headers.at("tenant").is_string()
                             ? job.headers.at("tenant").get<std::string>()
                             : "";
    if (tenant.empty()) {
      r.kind = engine::JobResult::Kind::kFail;
      r.message = "the job has no 'tenant' header";
      return r;
    }
    auto n = Publish(tenant);
    if (!n.ok()) {
      core::LogWarn("open data publication failed", {{"tenant", tenant}, {"error", n.error().ToString()}});
      r.kind = engine::JobResult::Kind::kFail;
      r.message = n.error().ToString();
      r.retry_backoff = std::chrono::minutes(5);
      return r;
    }
    r.variables = Json{{"publishedDatasets", *n}};
    return r;
  });
}

}  // namespace amtsweg::opendata
