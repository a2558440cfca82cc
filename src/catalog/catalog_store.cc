#include "catalog/catalog_store.h"

namespace amtsweg::catalog::internal {
namespace {

DocRow ToDocRow(const store::Row& r) {
  return DocRow{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)};
}

core::Result<std::optional<DocRow>> One(core::Result<std::optional<store::Row>> r) {
  if (!r.ok()) return std::move(r).error();
  if (!*r) return std::optional<DocRow>();
  return std::optional<DocRow>(ToDocRow(**r));
}

core::Result<std::vector<DocRow>> Many(core::Result<std::vector<store::Row>> r) {
  if (!r.ok()) return std::move(r).error();
  std::vector<DocRow> out;
  out.reserve(r->size());
  for (const auto& row : *r) out.push_back(ToDocRow(row));
  return out;
}

core::Result<bool> Changed(core::Result<int64_t> n) {
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

}  // namespace

core::Status InsertTenant(store::Tx& tx, const std::string& id, const std::string& name, const std::string& type,
                          const std::string& ars, const std::string& doc, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO catalog_tenants (tenant_id, name, type, ars, doc, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $6)",
                 {id, name, type, ars, doc, now}));
  return core::OkStatus();
}

core::Result<bool> UpdateTenant(store::Tx& tx, const std::string& id, const std::string& name,
                                const std::string& type, const std::string& ars, const std::string& doc, int64_t now) {
  return Changed(tx.Exec("UPDATE catalog_tenants SET name = $2, type = $3, ars = $4, doc = $5, updated_at = $6 "
                         "WHERE tenant_id = $1",
                         {id, name, type, ars, doc, now}));
}

core::Result<std::optional<DocRow>> SelectTenant(store::Tx& tx, std::string_view id) {
  return One(tx.QueryOne("SELECT tenant_id, tenant_id, doc, created_at, updated_at FROM catalog_tenants "
                         "WHERE tenant_id = $1",
                         {id}));
}

core::Result<std::vector<DocRow>> SelectTenants(store::Tx& tx) {
  // The list of tenants is the one query that spans tenants by nature.
  return Many(tx.Query("SELECT tenant_id, tenant_id, doc, created_at, updated_at FROM catalog_tenants "
                       "ORDER BY tenant_id"));
}

core::Status InsertDepartment(store::Tx& tx, std::string_view tenant, const std::string& id, const std::string& name,
                              const std::string& doc, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO catalog_departments (tenant_id, department_id, name, doc, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $5)",
                 {tenant, id, name, doc, now}));
  return core::OkStatus();
}

core::Result<bool> UpdateDepartment(store::Tx& tx, std::string_view tenant, std::string_view id,
                                    const std::string& name, const std::string& doc, int64_t now) {
  return Changed(tx.Exec("UPDATE catalog_departments SET name = $3, doc = $4, updated_at = $5 "
                         "WHERE tenant_id = $1 AND department_id = $2",
                         {tenant, id, name, doc, now}));
}

core::Result<std::optional<DocRow>> SelectDepartment(store::Tx& tx, std::string_view tenant, std::string_view id) {
  return One(tx.QueryOne("SELECT tenant_id, department_id, doc, created_at, updated_at FROM catalog_departments "
                         "WHERE tenant_id = $1 AND department_id = $2",
                         {tenant, id}));
}

core::Result<std::vector<DocRow>> SelectDepartments(store::Tx& tx, std::string_view tenant) {
  return Many(tx.Query("SELECT tenant_id, department_id, doc, created_at, updated_at FROM catalog_departments "
                       "WHERE tenant_id = $1 ORDER BY department_id",
                       {tenant}));
}

core::Status InsertService(store::Tx& tx, std::string_view tenant, const std::string& id, const std::string& leika,
                           bool published, const std::string& doc, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO catalog_services (tenant_id, service_id, leika, published, doc, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $6)",
                 {tenant, id, leika, int64_t{published ? 1 : 0}, doc, now}));
  return core::OkStatus();
}

core::Result<bool> UpdateService(store::Tx& tx, std::string_view tenant, std::string_view id, const std::string& leika,
                                 bool published, const std::string& doc, int64_t now) {
  return Changed(tx.Exec("UPDATE catalog_services SET leika = $3, published = $4, doc = $5, updated_at = $6 "
                         "WHERE tenant_id = $1 AND service_id = $2",
                         {tenant, id, leika, int64_t{published ? 1 : 0}, doc, now}));
}

core::Result<std::optional<DocRow>> SelectService(store::Tx& tx, std::string_view tenant, std::string_view id) {
  return One(tx.QueryOne("SELECT tenant_id, service_id, doc, created_at, updated_at FROM catalog_services "
                         "WHERE tenant_id = $1 AND service_id = $2",
                         {tenant, id}));
}

core::Result<std::optional<DocRow>> SelectServiceById(store::Tx& tx, std::string_view id) {
  return One(tx.QueryOne("SELECT tenant_id, service_id, doc, created_at, updated_at FROM catalog_services "
                         "WHERE service_id = $1",
                         {id}));
}

core::Result<std::vector<DocRow>> SelectServices(store::Tx& tx, std::string_view tenant) {
  return Many(tx.Query("SELECT tenant_id, service_id, doc, created_at, updated_at FROM catalog_services "
                       "WHERE tenant_id = $1 ORDER BY service_id",
                       {tenant}));
}

core::Result<std::optional<FormRow>> SelectLatestForm(store::Tx& tx, std::string_view tenant, std::string_view form_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT version, checksum, schema, created_at FROM catalog_forms "
                                          "WHERE tenant_id = $1 AND form_id = $2 ORDER BY version DESC LIMIT 1",
                                          {tenant, form_id}));
  if (!r) return std::optional<FormRow>();
  return std::optional<FormRow>(FormRow{static_cast<int>(r->Int(0)), r->Text(1), r->Text(2), r->Int(3)});
}

core::Result<std::optional<FormRow>> SelectForm(store::Tx& tx, std::string_view tenant, std::string_view form_id,
                                                int version) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT version, checksum, schema, created_at FROM catalog_forms "
                                          "WHERE tenant_id = $1 AND form_id = $2 AND version = $3",
                                          {tenant, form_id, int64_t{version}}));
  if (!r) return std::optional<FormRow>();
  return std::optional<FormRow>(FormRow{static_cast<int>(r->Int(0)), r->Text(1), r->Text(2), r->Int(3)});
}

core::Status InsertForm(store::Tx& tx, std::string_view tenant, const std::string& form_id, int version,
                        const std::string& checksum, const std::string& schema, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO catalog_forms (tenant_id, form_id, version, checksum, schema, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {tenant, form_id, int64_t{version}, checksum, schema, now}));
  return core::OkStatus();
}

core::Result<std::vector<FormSummary>> SelectForms(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT form_id, MAX(version), MAX(created_at) FROM catalog_forms "
                                          "WHERE tenant_id = $1 GROUP BY form_id ORDER BY form_id",
                                          {tenant}));
  std::vector<FormSummary> out;
  for (const auto& r : rows) out.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Int(2)});
  return out;
}

core::Result<std::vector<FormSummary>> SelectFormVersions(store::Tx& tx, std::string_view tenant,
                                                          std::string_view form_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT form_id, version, created_at FROM catalog_forms "
                                          "WHERE tenant_id = $1 AND form_id = $2 ORDER BY version DESC",
                                          {tenant, form_id}));
  std::vector<FormSummary> out;
  for (const auto& r : rows) out.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Int(2)});
  return out;
}

}  // namespace amtsweg::catalog::internal
