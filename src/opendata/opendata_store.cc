#include "opendata/opendata_store.h"

namespace amtsweg::opendata::internal {
namespace {

std::string JsonText(const core::Json& j, std::string_view a, std::string_view b = {}) {
  if (!j.is_object() || !j.contains(a)) return "";
  const core::Json& v = j.at(std::string(a));
  if (b.empty()) return v.is_string() ? v.get<std::string>() : "";
  if (!v.is_object() || !v.contains(b) || !v.at(std::string(b)).is_string()) return "";
  return v.at(std::string(b)).get<std::string>();
}

}  // namespace

core::Result<std::optional<TenantInfo>> LoadTenant(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT name, type, ars, doc FROM catalog_tenants WHERE tenant_id = $1", {tenant}));
  if (!row) return std::optional<TenantInfo>();
  TenantInfo t{.id = tenant, .name = row->Text(0), .type = row->Text(1), .ars = row->Text(2), .email = "", .web = ""};
  auto doc = core::ParseJson(row->Text(3));
  if (doc.ok()) {
    t.email = JsonText(*doc, "contact", "email");
    t.web = JsonText(*doc, "contact", "web");
  }
  return std::optional<TenantInfo>(std::move(t));
}

core::Result<std::optional<Settings>> LoadSettings(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT doc FROM opendata_settings WHERE tenant_id = $1", {tenant}));
  if (!row) return std::optional<Settings>();
  AW_ASSIGN_OR_RETURN(core::Json doc, core::ParseJson(row->Text(0)));
  // The stored document is the whole definition as it was accepted.
  AW_ASSIGN_OR_RETURN(Settings s, ParseSettings(doc));
  return std::optional<Settings>(std::move(s));
}

core::Status SaveSettings(store::Tx& tx, const std::string& tenant, const Settings& s, int64_t now_ms) {
  std::string doc = SettingsToJson(s).dump();
  AW_TRY(tx.Exec(
      "INSERT INTO opendata_settings (tenant_id, doc, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (tenant_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
      {tenant, doc, now_ms}));
  AW_ASSIGN_OR_RETURN(auto old, tx.Query("SELECT dataset_id, created_at FROM opendata_datasets WHERE tenant_id = $1",
                                         {tenant}));
  AW_TRY(tx.Exec("DELETE FROM opendata_datasets WHERE tenant_id = $1", {tenant}));
  for (const auto& d : s.datasets) {
    int64_t created = now_ms;
    for (const auto& r : old) {
      if (r.Text(0) == d.id) created = r.Int(1);
    }
    core::Json ddoc{{"title", d.title}, {"description", d.description}, {"keywords", d.keywords}, {"theme", d.theme}};
    AW_TRY(tx.Exec(
        "INSERT INTO opendata_datasets (tenant_id, dataset_id, kind, doc, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {tenant, d.id, d.kind, ddoc.dump(), created, now_ms}));
  }
  AW_ASSIGN_OR_RETURN(auto pubs, tx.Query("SELECT dataset_id FROM opendata_publications WHERE tenant_id = $1", {tenant}));
  for (const auto& r : pubs) {
    bool kept = false;
    for (const auto& d : s.datasets) kept = kept || d.id == r.Text(0);
    if (!kept) {
      AW_TRY(tx.Exec("DELETE FROM opendata_publications WHERE tenant_id = $1 AND dataset_id = $2", {tenant, r.Text(0)}));
    }
  }
  return core::OkStatus();
}

core::Result<std::vector<std::string>> ListTenants(store::Tx& tx) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tenant_id FROM opendata_settings ORDER BY tenant_id"));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

core::Result<std::vector<CaseFacts>> LoadCases(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT c.service_id, c.submitted_at, i.state, i.ended_at FROM cases c "
                                          "LEFT JOIN engine_instances i ON i.tenant_id = c.tenant_id "
                                          "AND i.instance_id = c.instance_id WHERE c.tenant_id = $1",
                                          {tenant}));
  std::vector<CaseFacts> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    CaseFacts f{.service_id = r.Text(0), .submitted_ms = r.Int(1), .state = r.IsNull(2) ? "" : r.Text(2), .ended_ms = std::nullopt};
    if (!r.IsNull(3)) f.ended_ms = r.Int(3);
    out.push_back(std::move(f));
  }
  return out;
}

core::Result<std::vector<ServiceFacts>> LoadServices(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT service_id, leika, doc FROM catalog_services WHERE tenant_id = $1", {tenant}));
  std::vector<ServiceFacts> out;
  for (const auto& r : rows) {
    ServiceFacts s{.id = r.Text(0), .leika = r.Text(1), .name = ""};
    auto doc = core::ParseJson(r.Text(2));
    if (doc.ok()) s.name = JsonText(*doc, "name", "de");
    out.push_back(std::move(s));
  }
  return out;
}

core::Status SavePublication(store::Tx& tx, const std::string& tenant, const Publication& p) {
  int64_t at = core::ToUnixMillis(p.modified);
  AW_TRY(tx.Exec(
      "INSERT INTO opendata_publications (tenant_id, dataset_id, issued_at, modified_at, row_count, csv, json) "
      "VALUES ($1, $2, $3, $3, $4, $5, $6) ON CONFLICT (tenant_id, dataset_id) DO UPDATE SET "
      "modified_at = excluded.modified_at, row_count = excluded.row_count, csv = excluded.csv, json = excluded.json",
      {tenant, p.dataset_id, at, p.row_count, p.csv, p.json}));
  return core::OkStatus();
}

core::Result<std::vector<Publication>> LoadPublications(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT dataset_id, issued_at, modified_at, row_count, csv, json "
                                          "FROM opendata_publications WHERE tenant_id = $1 ORDER BY dataset_id",
                                          {tenant}));
  std::vector<Publication> out;
  for (const auto& r : rows) {
    out.push_back({.dataset_id = r.Text(0),
                   .issued = core::FromUnixMillis(r.Int(1)),
                   .modified = core::FromUnixMillis(r.Int(2)),
                   .row_count = r.Int(3),
                   .csv = r.Text(4),
                   .json = r.Text(5)});
  }
  return out;
}

}  // namespace amtsweg::opendata::internal
