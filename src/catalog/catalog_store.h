// SQL of the catalogue (catalog/ only). Every statement is keyed by tenant,
// except the global lookups of a service by its id. Rows carry their JSON
// document as text; catalog.cc maps it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/tx.h"

namespace amtsweg::catalog::internal {

struct DocRow {
  std::string tenant_id;
  std::string id;
  std::string doc;  // JSON text
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// kind: "tenant" | "department" | "service". Insert: kAlreadyExists on a used key.
core::Status InsertTenant(store::Tx& tx, const std::string& id, const std::string& name, const std::string& type,
                          const std::string& ars, const std::string& doc, int64_t now);
core::Result<bool> UpdateTenant(store::Tx& tx, const std::string& id, const std::string& name,
                                const std::string& type, const std::string& ars, const std::string& doc, int64_t now);
core::Result<std::optional<DocRow>> SelectTenant(store::Tx& tx, std::string_view id);
core::Result<std::vector<DocRow>> SelectTenants(store::Tx& tx);

core::Status InsertDepartment(store::Tx& tx, std::string_view tenant, const std::string& id, const std::string& name,
                              const std::string& doc, int64_t now);
core::Result<bool> UpdateDepartment(store::Tx& tx, std::string_view tenant, std::string_view id,
                                    const std::string& name, const std::string& doc, int64_t now);
core::Result<std::optional<DocRow>> SelectDepartment(store::Tx& tx, std::string_view tenant, std::string_view id);
core::Result<std::vector<DocRow>> SelectDepartments(store::Tx& tx, std::string_view tenant);

core::Status InsertService(store::Tx& tx, std::string_view tenant, const std::string& id, const std::string& leika,
                           bool published, const std::string& doc, int64_t now);
core::Result<bool> UpdateService(store::Tx& tx, std::string_view tenant, std::string_view id, const std::string& leika,
                                 bool published, const std::string& doc, int64_t now);
core::Result<std::optional<DocRow>> SelectService(store::Tx& tx, std::string_view tenant, std::string_view id);
// By the globally unique id, any tenant.
core::Result<std::optional<DocRow>> SelectServiceById(store::Tx& tx, std::string_view id);
core::Result<std::vector<DocRow>> SelectServices(store::Tx& tx, std::string_view tenant);

struct FormRow {
  int version = 0;
  std::string checksum;
  std::string schema;
  int64_t created_at = 0;
};
core::Result<std::optional<FormRow>> SelectLatestForm(store::Tx& tx, std::string_view tenant, std::string_view form_id);
core::Result<std::optional<FormRow>> SelectForm(store::Tx& tx, std::string_view tenant, std::string_view form_id,
                                                int version);
core::Status InsertForm(store::Tx& tx, std::string_view tenant, const std::string& form_id, int version,
                        const std::string& checksum, const std::string& schema, int64_t now);
// (form_id, latest version, created_at) per form.
struct FormSummary {
  std::string form_id;
  int version = 0;
  int64_t created_at = 0;
};
core::Result<std::vector<FormSummary>> SelectForms(store::Tx& tx, std::string_view tenant);
// Every version of one form (form_id, version, created_at), newest first.
core::Result<std::vector<FormSummary>> SelectFormVersions(store::Tx& tx, std::string_view tenant,
                                                          std::string_view form_id);

}  // namespace amtsweg::catalog::internal
