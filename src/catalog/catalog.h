// The catalogue of a tenant: the tenant itself (municipality), its
// departments and staff groups, its services and versioned form schemas.
//
//   catalog::Catalog cat(db);
//   AW_ASSIGN_OR_RETURN(auto t, cat.CreateTenant(json));   // validates, stores
//   AW_ASSIGN_OR_RETURN(auto s, cat.FindService(id));      // public lookup by global id
//
// Every object comes in and goes out as JSON in the API's shape (camelCase);
// input is checked strictly: unknown fields, wrong types, an invalid ARS or
// LeiKa key are kInvalidArgument with one FieldError per problem (JSON
// pointer into the input). Writes go through the store's writer (one command
// each); reads through a read snapshot.
//
// Thread-safety: all methods are thread-safe. Compiled forms are cached (form
// versions are immutable).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/keys.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "forms/schema.h"
#include "store/database.h"

namespace amtsweg::catalog {

struct Responsibility {
  enum class Kind { kFixed, kDecision } kind = Kind::kFixed;
  std::string department_id;  // kFixed
  std::string decision_id;    // kDecision: a DMN decision deployed for the tenant; its result is a department id
};

// What intake needs of a service (the full JSON is in `doc`).
struct Service {
  std::string tenant_id;
  std::string id;
  std::string leika;
  bool published = false;
  std::string name_de, name_en;
  int processing_days = 0;  // expected processing time
  std::string form_id;
  int form_version = 0;
  std::string process_id;
  std::optional<int> process_version;  // latest when absent
  Responsibility responsibility;
  core::Json doc;  // the API representation
};

struct FormVersion {
  std::string tenant_id;
  std::string form_id;
  int version = 0;
  core::Json schema;
  core::Timestamp created;
};

class Catalog {
 public:
  // `db` is borrowed, migrated, its writer started; `clock` null: system clock.
  explicit Catalog(store::Database& db, core::Clock* clock = nullptr);

  // Tenants. Create: kAlreadyExists for a used id. Update replaces everything
  // but the id (the body's id, if any, must match). kNotFound for unknown ids.
  core::Result<core::Json> CreateTenant(const core::Json& body);
  core::Result<core::Json> UpdateTenant(std::string_view tenant, const core::Json& body);
  core::Result<core::Json> GetTenant(std::string_view tenant);
  core::Result<core::Json> ListTenants();

  // Departments of a tenant (kNotFound for an unknown tenant).
  core::Result<core::Json> CreateDepartment(std::string_view tenant, const core::Json& body);
  core::Result<core::Json> UpdateDepartment(std::string_view tenant, std::string_view id, const core::Json& body);
  core::Result<core::Json> GetDepartment(std::string_view tenant, std::string_view id);
  core::Result<core::Json> ListDepartments(std::string_view tenant);
  // True when the department exists (inside a write command).
  static core::Result<bool> DepartmentExists(store::Tx& tx, std::string_view tenant, std::string_view id);

  // Services. The form version and a fixed department must exist
  // (kInvalidArgument naming the field otherwise); an id, when not given, is
  // generated (UUIDv7); service ids are unique across tenants (kAlreadyExists).
  core::Result<core::Json> CreateService(std::string_view tenant, const core::Json& body);
  core::Result<core::Json> UpdateService(std::string_view tenant, std::string_view id, const core::Json& body);
  core::Result<core::Json> GetService(std::string_view tenant, std::string_view id);
  core::Result<core::Json> ListServices(std::string_view tenant);
  // The service with global id `id`, of any tenant. kNotFound.
  core::Result<Service> FindService(std::string_view id);

  // Stores `schema` (form-js JSON with a string "id") as the next version of
  // its form, unless it equals the latest version (then that is returned).
  // kInvalidArgument: the schema does not compile (forms::CompileForm's details).
  core::Result<core::Json> AddFormVersion(std::string_view tenant, const core::Json& schema);
  core::Result<FormVersion> GetForm(std::string_view tenant, std::string_view form_id, int version);
  // Latest version of every form: [{id, version, createdAt}].
  core::Result<core::Json> ListForms(std::string_view tenant);
  // Every version of one form, newest first: [{version, createdAt}]. kNotFound
  // when the form has no version (or the tenant does not exist).
  core::Result<core::Json> ListFormVersions(std::string_view tenant, std::string_view form_id);
  // The compiled form (cached; versions are immutable). kNotFound.
  core::Result<std::shared_ptr<const forms::Form>> CompiledForm(std::string_view tenant, std::string_view form_id,
                                                                int version);

  // The same inside the caller's write command (store::Writer; re-runnable):
  // AddFormVersion without its own command; PutServiceInTx creates the
  // service `body["id"]` or replaces it (true: created). Errors as
  // AddFormVersion / CreateService.
  static core::Result<core::Json> AddFormVersionInTx(store::Tx& tx, std::string_view tenant, const core::Json& schema,
                                                     core::Timestamp now);
  static core::Result<bool> PutServiceInTx(store::Tx& tx, std::string_view tenant, const core::Json& body,
                                           core::Timestamp now);

 private:
  core::Timestamp Now() const { return clock_->Now(); }
  store::Database& db_;
  core::Clock* clock_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const forms::Form>, std::less<>> forms_;  // GUARDED_BY(mu_)
};

// "P10Y", "P6M", "P1Y6M", "P30D": the retention period of a service's case files.
bool IsRetentionPeriod(std::string_view s);

// Parses the body of a service (validation only, no store): for tests and the designer.
core::Result<Service> ParseService(const core::Json& body);

}  // namespace amtsweg::catalog
