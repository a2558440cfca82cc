// Open data of a tenant: dataset definitions, their computation from cases
// and the engine's instances (aggregates only, small counts suppressed), the
// published CSV/JSON, and the engine process that recomputes them on a timer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"

namespace amtsweg::store {
class Database;
class Tx;
}  // namespace amtsweg::store
namespace amtsweg::engine {
class Engine;
}

namespace amtsweg::opendata {

// The job type of the publishing service task and the process id deployed per tenant.
inline constexpr std::string_view kJobType = "amtsweg:opendata-publish";
inline constexpr std::string_view kProcessId = "amtsweg-opendata-publish";

// What a dataset computes.
inline constexpr std::string_view kApplicationsMonthly = "applications-monthly";
inline constexpr std::string_view kProcessingTimes = "processing-times";
inline constexpr std::string_view kBacklog = "backlog";

struct DatasetDef {
  std::string id;  // slug, unique per tenant
  std::string kind;
  std::string title;
  std::string description;
  std::vector<std::string> keywords;
  std::string theme;  // EU data theme code, e.g. GOVE
};

struct Settings {
  int min_count = 5;  // counts 1..min_count-1 are suppressed
  std::string licence = "http://dcat-ap.de/def/licenses/dl-by-de/2.0";
  std::string contributor_id;  // http://dcat-ap.de/def/contributors/...
  std::string schedule = "R/P1D";
  std::string base_url;  // public address of this server; "" = from the request
  std::vector<DatasetDef> datasets;
};

// Parses and checks a definition body (API JSON, camelCase); every problem is
// a FieldError with its JSON pointer. Defaults fill absent optional fields.
core::Result<Settings> ParseSettings(const core::Json& body);
core::Json SettingsToJson(const Settings& s);
// The licence URIs accepted (open licences of the dcat-ap.de vocabulary).
const std::vector<std::string>& OpenLicences();

// One case as the computation sees it.
struct CaseFacts {
  std::string service_id;
  int64_t submitted_ms = 0;
  std::string state;  // engine instance: active | completed | terminated ("" when missing)
  std::optional<int64_t> ended_ms;
};
struct ServiceFacts {
  std::string id;
  std::string leika;
  std::string name;
};

// A computed dataset: columns and rows of scalar JSON values (null = suppressed or unknown).
struct Column {
  std::string name;
  std::string type;  // string | integer | number | boolean
  std::string description;
};
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<core::Json>> rows;
};

// Pure: computes dataset `kind` over `cases` at `now`. Rows are sorted by
// their key columns. Counts below `min_count` become null with
// suppressed=true, and so does every value derived from them.
core::Result<Table> Compute(std::string_view kind, const std::vector<CaseFacts>& cases,
                            const std::vector<ServiceFacts>& services, int min_count, core::Timestamp now);

// RFC 4180: header line, CRLF, fields quoted when needed; null = empty field.
std::string ToCsv(const Table& t);
// {"dataset","title","modified","minCount","columns":[...],"rows":[{col: value}]}
core::Json ToJson(const Table& t, const DatasetDef& def, int min_count, core::Timestamp modified);

// A stored computation.
struct Publication {
  std::string dataset_id;
  core::Timestamp issued;
  core::Timestamp modified;
  int64_t row_count = 0;
  std::string csv;
  std::string json;
};

// The tenant facts the catalogue needs.
struct TenantInfo {
  std::string id;
  std::string name;
  std::string type;  // Gemeinde | Amt | Stadt | Kreis
  std::string ars;
  std::string email;
  std::string web;
};

// Everything of one tenant the catalogue and the CKAN API show.
struct TenantCatalog {
  TenantInfo tenant;
  Settings settings;
  std::vector<Publication> publications;  // of the defined datasets that were computed
  const Publication* Find(std::string_view dataset_id) const;
};

// The BPMN process deployed per tenant: a timer start event with `cycle`, a
// service task of type kJobType with the header tenant=<tenant>.
std::string ScheduleBpmn(std::string_view tenant, std::string_view cycle);

class OpenData {
 public:
  OpenData(store::Database& db, engine::Engine& engine, core::Clock* clock = nullptr);

  // Stores the definition (replacing the previous one; publications of
  // removed datasets are dropped) and deploys the schedule process for the
  // tenant. kNotFound: unknown tenant; kInvalidArgument with FieldErrors.
  core::Result<Settings> Define(std::string_view tenant, const core::Json& body);
  // kNotFound when the tenant has no definition.
  core::Result<Settings> Get(std::string_view tenant);
  // Computes every dataset of the tenant now and stores the results; returns
  // how many datasets were published.
  core::Result<int> Publish(std::string_view tenant);

  // Reads for the public routes.
  core::Result<TenantCatalog> LoadCatalog(std::string_view tenant);
  // Every tenant with a definition, sorted by id.
  core::Result<std::vector<TenantCatalog>> LoadAll();

  // Registers the kJobType worker on the engine (the tenant comes from the job's header).
  void RegisterWorker();

 private:
  store::Database& db_;
  engine::Engine& engine_;
  core::Clock* clock_;
};

}  // namespace amtsweg::opendata
