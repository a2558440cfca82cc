#include "catalog/catalog.h"

#include <regex>
#include <set>

#include <fmt/format.h>

#include "catalog/catalog_store.h"
#include "core/id.h"
#include "forms/utf8.h"
#include "store/migrations.h"

namespace amtsweg::catalog {

using core::Json;

namespace {

// Reads one JSON object strictly: every field is declared by the reader, the
// rest is an unknown field; each problem becomes a FieldError with its pointer.
class Reader {
 public:
  Reader(const Json* obj, std::string base, std::vector<core::FieldError>* errors)
      : obj_(obj), base_(std::move(base)), errors_(errors) {
    if (obj_ == nullptr || !obj_->is_object()) {
      Fail(base_, "must be a JSON object");
      obj_ = nullptr;
    }
  }

  std::string Ptr(std::string_view key) const { return base_ + "/" + std::string(key); }
  void Fail(std::string pointer, std::string message) { errors_->push_back({std::move(pointer), std::move(message)}); }

  const Json* Get(std::string_view key) {
    known_.insert(std::string(key));
    if (obj_ == nullptr) return nullptr;
    auto it = obj_->find(key);
    if (it == obj_->end() || it->is_null()) return nullptr;
    return &*it;
  }

  // A string of 1..max code points (trimmed must not be empty) when present.
  std::optional<std::string> String(std::string_view key, bool required, size_t max = 500) {
    const Json* v = Get(key);
    if (v == nullptr) {
      if (required && obj_ != nullptr) Fail(Ptr(key), "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      Fail(Ptr(key), "must be a string");
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (!forms::IsValidUtf8(s)) {
      Fail(Ptr(key), "is not valid UTF-8");
      return std::nullopt;
    }
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) {
      if (required) Fail(Ptr(key), "must not be empty");
      return std::nullopt;
    }
    if (forms::CodePointCount(s) > max) {
      Fail(Ptr(key), fmt::format("is longer than {} characters", max));
      return std::nullopt;
    }
    return s;
  }

  std::optional<int64_t> Int(std::string_view key, bool required, int64_t min, int64_t max) {
    const Json* v = Get(key);
    if (v == nullptr) {
      if (required && obj_ != nullptr) Fail(Ptr(key), "is required");
      return std::nullopt;
    }
    if (!v->is_number_integer()) {
      Fail(Ptr(key), "must be an integer");
      return std::nullopt;
    }
    int64_t i = v->get<int64_t>();
    if (i < min || i > max) {
      Fail(Ptr(key), fmt::format("must be between {} and {}", min, max));
      return std::nullopt;
    }
    return i;
  }

  std::optional<bool> Bool(std::string_view key) {
    const Json* v = Get(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) {
      Fail(Ptr(key), "must be true or false");
      return std::nullopt;
    }
    return v->get<bool>();
  }

  std::vector<std::string> StringList(std::string_view key, size_t max_items, size_t max_len) {
    std::vector<std::string> out;
    const Json* v = Get(key);
    if (v == nullptr) return out;
    if (!v->is_array()) {
      Fail(Ptr(key), "must be a list of strings");
      return out;
    }
    if (v->size() > max_items) {
      Fail(Ptr(key), fmt::format("has more than {} entries", max_items));
      return out;
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const Json& e = (*v)[i];
      std::string p = Ptr(key) + "/" + std::to_string(i);
      if (!e.is_string() || !forms::IsValidUtf8(e.get_ref<const std::string&>()) ||
          e.get_ref<const std::string&>().empty()) {
        Fail(p, "must be a non-empty string");
      } else if (forms::CodePointCount(e.get_ref<const std::string&>()) > max_len) {
        Fail(p, fmt::format("is longer than {} characters", max_len));
      } else {
        out.push_back(e.get<std::string>());
      }
    }
    return out;
  }

  // Reports every field the reader did not ask for.
  void RejectUnknown() {
    if (obj_ == nullptr) return;
    for (auto it = obj_->begin(); it != obj_->end(); ++it) {
      if (!known_.contains(it.key())) Fail(Ptr(forms::EscapePointerToken(it.key())), "is not a known field");
    }
  }

  bool present() const { return obj_ != nullptr; }

 private:
  const Json* obj_;
  std::string base_;
  std::vector<core::FieldError>* errors_;
  std::set<std::string, std::less<>> known_;
};

core::Status Finish(std::vector<core::FieldError> errors, std::string_view what) {
  if (errors.empty()) return core::OkStatus();
  const core::FieldError& first = errors.front();
  std::string message = fmt::format("invalid {}: {}{}", what, first.pointer.empty() ? "" : first.pointer + " ",
                                    first.message);
  return core::InvalidArgument(std::move(message), std::move(errors));
}

void Put(Json& out, const char* key, const std::optional<std::string>& v) {
  if (v) out[key] = *v;
}

bool IsEmail(const std::string& s) {
  static const std::regex re(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  return std::regex_match(s, re);
}

// Reads an optional nested object with string fields `keys`; returns the clean object.
Json ReadStrings(const Json* v, const std::string& ptr, std::vector<core::FieldError>* errors,
                 std::initializer_list<const char*> keys) {
  Json out = Json::object();
  if (v == nullptr) return out;
  Reader r(v, ptr, errors);
  for (const char* k : keys) Put(out, k, r.String(k, false));
  r.RejectUnknown();
  return out;
}

// The "id" of a new object (a slug), or the id fixed by the path (PUT), which
// the body may repeat but not contradict. Problems go to `r`.
std::string ReadSlugId(Reader& r, std::optional<std::string_view> fixed_id, std::string_view what) {
  auto id = r.String("id", !fixed_id, 63);
  if (fixed_id) {
    if (id && *id != *fixed_id) r.Fail("/id", fmt::format("does not match the {} in the path", what));
    return std::string(*fixed_id);
  }
  if (!id) return "";
  if (auto s = CheckSlug(*id); !s.ok()) r.Fail("/id", s.error().message());
  return *id;
}

struct TenantInput {
  std::string id, name, type, ars;
  Json doc;
};

core::Result<TenantInput> ParseTenant(const Json& body, std::optional<std::string_view> fixed_id) {
  std::vector<core::FieldError> errors;
  Reader r(&body, "", &errors);
  TenantInput t;
  t.id = ReadSlugId(r, fixed_id, "tenant");
  auto name = r.String("name", true, 200);
  auto type = r.String("type", true, 20);
  auto ars = r.String("ars", true, 20);
  std::optional<TenantType> tt;
  if (type) {
    tt = ParseTenantType(*type);
    if (!tt) r.Fail("/type", "must be one of Gemeinde, Amt, Stadt, Kreis");
  }
  if (ars && tt) {
    if (auto a = CheckArs(*ars, *tt); !a.ok()) r.Fail("/ars", a.error().message());
  }
  Json address = ReadStrings(r.Get("address"), "/address", &errors, {"street", "postalCode", "city"});
  if (address.contains("postalCode")) {
    const std::string& pc = address["postalCode"].get_ref<const std::string&>();
    if (pc.size() != 5 || pc.find_first_not_of("0123456789") != std::string::npos) {
      r.Fail("/address/postalCode", "a German postal code has 5 digits");
    }
  }
  Json contact = ReadStrings(r.Get("contact"), "/contact", &errors, {"email", "phone", "web"});
  if (contact.contains("email") && !IsEmail(contact["email"].get<std::string>())) {
    r.Fail("/contact/email", "is not an e-mail address");
  }
  Json portal = ReadStrings(r.Get("portal"), "/portal", &errors, {"primaryColor", "secondaryColor", "logoUrl"});
  static const std::regex colour(R"(^#[0-9A-Fa-f]{6}$)");
  for (const char* k : {"primaryColor", "secondaryColor"}) {
    if (portal.contains(k) && !std::regex_match(portal[k].get<std::string>(), colour)) {
      r.Fail(std::string("/portal/") + k, "must be a colour #RRGGBB");
    }
  }
  if (portal.contains("logoUrl")) {
    const std::string& u = portal["logoUrl"].get_ref<const std::string&>();
    if (!(u.starts_with("https://") || (u.starts_with("/") && !u.starts_with("//")))) {
      r.Fail("/portal/logoUrl", "must be an https:// URL or a path on this server");
    }
  }
  r.RejectUnknown();
  AW_TRY(Finish(std::move(errors), "tenant"));
  t.name = *name;
  t.type = *type;
  t.ars = *ars;
  t.doc = Json{{"id", t.id}, {"name", t.name}, {"type", t.type}, {"ars", t.ars},
               {"address", address}, {"contact", contact}, {"portal", portal}};
  return t;
}

struct DepartmentInput {
  std::string id, name;
  Json doc;
};

core::Result<DepartmentInput> ParseDepartment(const Json& body, std::optional<std::string_view> fixed_id) {
  std::vector<core::FieldError> errors;
  Reader r(&body, "", &errors);
  DepartmentInput d;
  d.id = ReadSlugId(r, fixed_id, "department");
  auto name = r.String("name", true, 200);
  auto groups = r.StringList("staffGroups", 100, 63);
  for (size_t i = 0; i < groups.size(); ++i) {
    if (auto s = CheckSlug(groups[i]); !s.ok()) r.Fail(fmt::format("/staffGroups/{}", i), s.error().message());
  }
  Json contact = ReadStrings(r.Get("contact"), "/contact", &errors, {"email", "phone", "room"});
  if (contact.contains("email") && !IsEmail(contact["email"].get<std::string>())) {
    r.Fail("/contact/email", "is not an e-mail address");
  }
  r.RejectUnknown();
  AW_TRY(Finish(std::move(errors), "department"));
  d.name = *name;
  d.doc = Json{{"id", d.id}, {"name", d.name}, {"staffGroups", groups}, {"contact", contact}};
  return d;
}

Json WithTimes(const internal::DocRow& row) {
  auto doc = core::ParseJson(row.doc);
  Json out = doc.ok() ? std::move(*doc) : Json::object();
  out["createdAt"] = core::FormatIso8601(core::FromUnixMillis(row.created_at));
  out["updatedAt"] = core::FormatIso8601(core::FromUnixMillis(row.updated_at));
  return out;
}

core::Status TenantMustExist(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto t, internal::SelectTenant(tx, tenant));
  if (!t) return core::NotFound(fmt::format("no tenant '{}'", tenant));
  return core::OkStatus();
}

core::Error AlreadyExistsOr(core::Error e, std::string what) {
  if (e.code() == core::ErrorCode::kAlreadyExists) return core::AlreadyExists(std::move(what));
  return e;
}

}  // namespace

bool IsRetentionPeriod(std::string_view s) {
  // P, then one or more of <digits>Y, <digits>M, <digits>W, <digits>D in this order.
  if (s.size() < 3 || s[0] != 'P') return false;
  std::string_view units = "YMWD";
  size_t next_unit = 0, i = 1;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start || i - start > 4 || i == s.size()) return false;
    size_t u = units.find(s[i], next_unit);
    if (u == std::string_view::npos) return false;
    next_unit = u + 1;
    ++i;
  }
  return true;
}

core::Result<Service> ParseService(const Json& body) {
  std::vector<core::FieldError> errors;
  Reader r(&body, "", &errors);
  Service s;
  if (auto id = r.String("id", false, 63)) {
    if (auto st = CheckSlug(*id); !st.ok()) r.Fail("/id", st.error().message());
    s.id = *id;
  }
  if (auto leika = r.String("leika", true, 20)) {
    if (auto st = CheckLeika(*leika); !st.ok()) r.Fail("/leika", st.error().message());
    s.leika = *leika;
  }
  s.published = r.Bool("published").value_or(false);
  Json names = Json::object(), descriptions = Json::object();
  {
    Reader n(r.Get("name"), "/name", &errors);
    if (n.present()) {
      if (auto de = n.String("de", true, 300)) s.name_de = *de;
      if (auto en = n.String("en", false, 300)) s.name_en = *en;
      n.RejectUnknown();
    }
    names = Json{{"de", s.name_de}};
    if (!s.name_en.empty()) names["en"] = s.name_en;
  }
  if (const Json* d = r.Get("description")) {
    Reader dr(d, "/description", &errors);
    Put(descriptions, "de", dr.String("de", false, 20000));
    Put(descriptions, "en", dr.String("en", false, 20000));
    dr.RejectUnknown();
  }
  auto legal = r.String("legalBasis", false, 2000);
  auto fees = r.String("fees", false, 2000);
  auto documents = r.StringList("requiredDocuments", 100, 500);
  // Retention of the case file after the case ended (records/: DSGVO job).
  auto retention = r.String("retentionPeriod", false, 40);
  if (retention && !IsRetentionPeriod(*retention)) {
    r.Fail("/retentionPeriod", "an ISO 8601 duration of years, months, weeks and days, e.g. P10Y or P6M");
  }
  if (auto days = r.Int("processingTimeDays", true, 0, 3650)) s.processing_days = static_cast<int>(*days);
  {
    Reader f(r.Get("form"), "/form", &errors);
    if (f.present()) {
      if (auto id = f.String("id", true, 200)) s.form_id = *id;
      if (auto v = f.Int("version", true, 1, 1'000'000)) s.form_version = static_cast<int>(*v);
      f.RejectUnknown();
    }
  }
  {
    Reader p(r.Get("process"), "/process", &errors);
    if (p.present()) {
      if (auto id = p.String("id", true, 200)) s.process_id = *id;
      if (auto v = p.Int("version", false, 1, 1'000'000)) s.process_version = static_cast<int>(*v);
      p.RejectUnknown();
    }
  }
  {
    Reader resp(r.Get("responsibility"), "/responsibility", &errors);
    if (resp.present()) {
      auto dep = resp.String("department", false, 63);
      auto dec = resp.String("decision", false, 200);
      if (dep && dec) {
        resp.Fail("/responsibility", "names either a department or a decision, not both");
      } else if (dep) {
        s.responsibility = {Responsibility::Kind::kFixed, *dep, ""};
      } else if (dec) {
        s.responsibility = {Responsibility::Kind::kDecision, "", *dec};
      } else {
        resp.Fail("/responsibility", "needs a department or a decision");
      }
      resp.RejectUnknown();
    }
  }
  r.RejectUnknown();
  AW_TRY(Finish(std::move(errors), "service"));
  Json doc{{"id", s.id},
           {"leika", s.leika},
           {"published", s.published},
           {"name", names},
           {"description", descriptions},
           {"requiredDocuments", documents},
           {"processingTimeDays", s.processing_days},
           {"form", {{"id", s.form_id}, {"version", s.form_version}}},
           {"process", {{"id", s.process_id}}}};
  if (legal) doc["legalBasis"] = *legal;
  if (fees) doc["fees"] = *fees;
  if (retention) doc["retentionPeriod"] = *retention;
  if (s.process_version) doc["process"]["version"] = *s.process_version;
  doc["responsibility"] = s.responsibility.kind == Responsibility::Kind::kFixed
                              ? Json{{"department", s.responsibility.department_id}}
                              : Json{{"decision", s.responsibility.decision_id}};
  s.doc = std::move(doc);
  return s;
}

Catalog::Catalog(store::Database& db, core::Clock* clock)
    : db_(db), clock_(clock != nullptr ? clock : &core::SystemClock::Instance()) {}

// --- Tenants ---------------------------------------------------------------------

core::Result<Json> Catalog::CreateTenant(const Json& body) {
  AW_ASSIGN_OR_RETURN(auto t, ParseTenant(body, std::nullopt));
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(t.doc);
  auto s = db_.writer().Run([&](store::Tx& tx) { return internal::InsertTenant(tx, t.id, t.name, t.type, t.ars, doc, now); });
  if (!s.ok()) return AlreadyExistsOr(std::move(s).error(), fmt::format("tenant '{}' exists", t.id));
  return GetTenant(t.id);
}

core::Result<Json> Catalog::UpdateTenant(std::string_view tenant, const Json& body) {
  AW_ASSIGN_OR_RETURN(auto t, ParseTenant(body, tenant));
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(t.doc);
  AW_ASSIGN_OR_RETURN(bool changed, db_.writer().Write([&](store::Tx& tx) {
    return internal::UpdateTenant(tx, t.id, t.name, t.type, t.ars, doc, now);
  }));
  if (!changed) return core::NotFound(fmt::format("no tenant '{}'", tenant));
  return GetTenant(tenant);
}

core::Result<Json> Catalog::GetTenant(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectTenant(tx, tenant); }));
  if (!row) return core::NotFound(fmt::format("no tenant '{}'", tenant));
  return WithTimes(*row);
}

core::Result<Json> Catalog::ListTenants() {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) { return internal::SelectTenants(tx); }));
  Json out = Json::array();
  for (const auto& r : rows) out.push_back(WithTimes(r));
  return out;
}

// --- Departments -------------------------------------------------------------------

core::Result<Json> Catalog::CreateDepartment(std::string_view tenant, const Json& body) {
  AW_ASSIGN_OR_RETURN(auto d, ParseDepartment(body, std::nullopt));
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(d.doc);
  auto s = db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(TenantMustExist(tx, tenant));
    return internal::InsertDepartment(tx, tenant, d.id, d.name, doc, now);
  });
  if (!s.ok()) return AlreadyExistsOr(std::move(s).error(), fmt::format("department '{}' exists", d.id));
  return GetDepartment(tenant, d.id);
}

core::Result<Json> Catalog::UpdateDepartment(std::string_view tenant, std::string_view id, const Json& body) {
  AW_ASSIGN_OR_RETURN(auto d, ParseDepartment(body, id));
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(d.doc);
  AW_ASSIGN_OR_RETURN(bool changed, db_.writer().Write([&](store::Tx& tx) {
    return internal::UpdateDepartment(tx, tenant, id, d.name, doc, now);
  }));
  if (!changed) return core::NotFound(fmt::format("no department '{}' in tenant '{}'", id, tenant));
  return GetDepartment(tenant, id);
}

core::Result<Json> Catalog::GetDepartment(std::string_view tenant, std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectDepartment(tx, tenant, id); }));
  if (!row) return core::NotFound(fmt::format("no department '{}' in tenant '{}'", id, tenant));
  return WithTimes(*row);
}

core::Result<Json> Catalog::ListDepartments(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::DocRow>> {
    AW_TRY(TenantMustExist(tx, tenant));
    return internal::SelectDepartments(tx, tenant);
  }));
  Json out = Json::array();
  for (const auto& r : rows) out.push_back(WithTimes(r));
  return out;
}

core::Result<bool> Catalog::DepartmentExists(store::Tx& tx, std::string_view tenant, std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto row, internal::SelectDepartment(tx, tenant, id));
  return row.has_value();
}

// --- Services ----------------------------------------------------------------------

namespace {

// References a service makes that the catalogue can check in the same transaction.
core::Status CheckServiceRefs(store::Tx& tx, std::string_view tenant, const Service& s) {
  std::vector<core::FieldError> errors;
  AW_ASSIGN_OR_RETURN(auto form, internal::SelectForm(tx, tenant, s.form_id, s.form_version));
  if (!form) errors.push_back({"/form", fmt::format("no version {} of form '{}'", s.form_version, s.form_id)});
  if (s.responsibility.kind == Responsibility::Kind::kFixed) {
    AW_ASSIGN_OR_RETURN(auto dep, internal::SelectDepartment(tx, tenant, s.responsibility.department_id));
    if (!dep) errors.push_back({"/responsibility/department", fmt::format("no department '{}'",
                                                                          s.responsibility.department_id)});
  }
  return Finish(std::move(errors), "service");
}

core::Result<Service> ServiceFromRow(const internal::DocRow& row) {
  auto doc = core::ParseJson(row.doc);
  if (!doc.ok()) return core::Internal("stored service JSON is corrupt: " + doc.error().message());
  auto s = ParseService(*doc);
  if (!s.ok()) return core::Internal("stored service does not parse: " + s.error().message());
  s->tenant_id = row.tenant_id;
  s->doc["tenant"] = row.tenant_id;
  s->doc["createdAt"] = core::FormatIso8601(core::FromUnixMillis(row.created_at));
  s->doc["updatedAt"] = core::FormatIso8601(core::FromUnixMillis(row.updated_at));
  return s;
}

}  // namespace

core::Result<Json> Catalog::CreateService(std::string_view tenant, const Json& body) {
  AW_ASSIGN_OR_RETURN(Service s, ParseService(body));
  if (s.id.empty()) {
    s.id = core::NewId();
    s.doc["id"] = s.id;
  }
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(s.doc);
  auto st = db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(TenantMustExist(tx, tenant));
    AW_TRY(CheckServiceRefs(tx, tenant, s));
    return internal::InsertService(tx, tenant, s.id, s.leika, s.published, doc, now);
  });
  if (!st.ok()) return AlreadyExistsOr(std::move(st).error(), fmt::format("service id '{}' is taken", s.id));
  return GetService(tenant, s.id);
}

core::Result<Json> Catalog::UpdateService(std::string_view tenant, std::string_view id, const Json& body) {
  AW_ASSIGN_OR_RETURN(Service s, ParseService(body));
  if (!s.id.empty() && s.id != id) {
    return core::InvalidArgument("invalid service: /id does not match the service in the path",
                                 {{"/id", "does not match the service in the path"}});
  }
  s.id = std::string(id);
  s.doc["id"] = s.id;
  int64_t now = core::ToUnixMillis(Now());
  std::string doc = core::DumpJson(s.doc);
  AW_ASSIGN_OR_RETURN(bool changed, db_.writer().Write([&](store::Tx& tx) -> core::Result<bool> {
    AW_TRY(CheckServiceRefs(tx, tenant, s));
    return internal::UpdateService(tx, tenant, id, s.leika, s.published, doc, now);
  }));
  if (!changed) return core::NotFound(fmt::format("no service '{}' in tenant '{}'", id, tenant));
  return GetService(tenant, id);
}

core::Result<Json> Catalog::GetService(std::string_view tenant, std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectService(tx, tenant, id); }));
  if (!row) return core::NotFound(fmt::format("no service '{}' in tenant '{}'", id, tenant));
  AW_ASSIGN_OR_RETURN(Service s, ServiceFromRow(*row));
  return s.doc;
}

core::Result<Json> Catalog::ListServices(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::DocRow>> {
    AW_TRY(TenantMustExist(tx, tenant));
    return internal::SelectServices(tx, tenant);
  }));
  Json out = Json::array();
  for (const auto& r : rows) {
    AW_ASSIGN_OR_RETURN(Service s, ServiceFromRow(r));
    out.push_back(std::move(s.doc));
  }
  return out;
}

core::Result<Service> Catalog::FindService(std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectServiceById(tx, id); }));
  if (!row) return core::NotFound(fmt::format("no service '{}'", id));
  return ServiceFromRow(*row);
}

// --- Forms -------------------------------------------------------------------------

core::Result<Json> Catalog::AddFormVersion(std::string_view tenant, const Json& schema) {
  AW_ASSIGN_OR_RETURN(auto form, forms::CompileForm(schema));
  std::string form_id = form->id();
  if (form_id.empty()) {
    return core::InvalidArgument("invalid form: /id is required", {{"/id", "a form schema needs a string \"id\""}});
  }
  if (form_id.size() > 200) return core::InvalidArgument("invalid form: /id is too long", {{"/id", "at most 200 characters"}});
  std::string text = core::DumpJson(schema);
  std::string checksum = store::MigrationChecksum(text);
  int64_t now = core::ToUnixMillis(Now());
  AW_ASSIGN_OR_RETURN(int version, db_.writer().Write([&](store::Tx& tx) -> core::Result<int> {
    AW_TRY(TenantMustExist(tx, tenant));
    AW_ASSIGN_OR_RETURN(auto latest, internal::SelectLatestForm(tx, tenant, form_id));
    if (latest && latest->checksum == checksum) return latest->version;
    int v = latest ? latest->version + 1 : 1;
    AW_TRY(internal::InsertForm(tx, tenant, form_id, v, checksum, text, now));
    return v;
  }));
  return Json{{"id", form_id}, {"version", version}};
}

core::Result<FormVersion> Catalog::GetForm(std::string_view tenant, std::string_view form_id, int version) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectForm(tx, tenant, form_id, version); }));
  if (!row) return core::NotFound(fmt::format("no version {} of form '{}'", version, form_id));
  AW_ASSIGN_OR_RETURN(Json schema, core::ParseJson(row->schema));
  return FormVersion{std::string(tenant), std::string(form_id), row->version, std::move(schema),
                     core::FromUnixMillis(row->created_at)};
}

core::Result<Json> Catalog::ListForms(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::FormSummary>> {
    AW_TRY(TenantMustExist(tx, tenant));
    return internal::SelectForms(tx, tenant);
  }));
  Json out = Json::array();
  for (const auto& r : rows) {
    out.push_back({{"id", r.form_id}, {"latestVersion", r.version},
                   {"updatedAt", core::FormatIso8601(core::FromUnixMillis(r.created_at))}});
  }
  return out;
}

core::Result<Json> Catalog::ListFormVersions(std::string_view tenant, std::string_view form_id) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::FormSummary>> {
    AW_TRY(TenantMustExist(tx, tenant));
    return internal::SelectFormVersions(tx, tenant, form_id);
  }));
  if (rows.empty()) return core::NotFound(fmt::format("no form '{}'", form_id));
  Json out = Json::array();
  for (const auto& r : rows) {
    out.push_back({{"version", r.version}, {"createdAt", core::FormatIso8601(core::FromUnixMillis(r.created_at))}});
  }
  return out;
}

core::Result<std::shared_ptr<const forms::Form>> Catalog::CompiledForm(std::string_view tenant,
                                                                       std::string_view form_id, int version) {
  std::string key = fmt::format("{}/{}/{}", tenant, form_id, version);
  {
    std::lock_guard lock(mu_);
    if (auto it = forms_.find(key); it != forms_.end()) return it->second;
  }
  AW_ASSIGN_OR_RETURN(FormVersion fv, GetForm(tenant, form_id, version));
  AW_ASSIGN_OR_RETURN(auto compiled, forms::CompileForm(fv.schema));
  std::shared_ptr<const forms::Form> shared(std::move(compiled));
  std::lock_guard lock(mu_);
  forms_.emplace(key, shared);
  return shared;
}

// --- Inside a caller's write command (packages: one transaction per install) ------

core::Result<Json> Catalog::AddFormVersionInTx(store::Tx& tx, std::string_view tenant, const Json& schema,
                                               core::Timestamp now) {
  AW_ASSIGN_OR_RETURN(auto form, forms::CompileForm(schema));
  std::string form_id = form->id();
  if (form_id.empty()) {
    return core::InvalidArgument("invalid form: /id is required", {{"/id", "a form schema needs a string \"id\""}});
  }
  if (form_id.size() > 200) return core::InvalidArgument("invalid form: /id is too long", {{"/id", "at most 200 characters"}});
  std::string text = core::DumpJson(schema);
  std::string checksum = store::MigrationChecksum(text);
  AW_TRY(TenantMustExist(tx, tenant));
  AW_ASSIGN_OR_RETURN(auto latest, internal::SelectLatestForm(tx, tenant, form_id));
  if (latest && latest->checksum == checksum) return Json{{"id", form_id}, {"version", latest->version}};
  int v = latest ? latest->version + 1 : 1;
  AW_TRY(internal::InsertForm(tx, tenant, form_id, v, checksum, text, core::ToUnixMillis(now)));
  return Json{{"id", form_id}, {"version", v}};
}

core::Result<bool> Catalog::PutServiceInTx(store::Tx& tx, std::string_view tenant, const Json& body,
                                           core::Timestamp now) {
  AW_ASSIGN_OR_RETURN(Service s, ParseService(body));
  if (s.id.empty()) return core::InvalidArgument("invalid service: /id is required", {{"/id", "required here"}});
  int64_t now_ms = core::ToUnixMillis(now);
  std::string doc = core::DumpJson(s.doc);
  AW_TRY(TenantMustExist(tx, tenant));
  AW_TRY(CheckServiceRefs(tx, tenant, s));
  AW_ASSIGN_OR_RETURN(auto existing, internal::SelectService(tx, tenant, s.id));
  if (existing) {
    AW_TRY(internal::UpdateService(tx, tenant, s.id, s.leika, s.published, doc, now_ms));
    return false;
  }
  auto st = internal::InsertService(tx, tenant, s.id, s.leika, s.published, doc, now_ms);
  if (!st.ok()) return AlreadyExistsOr(std::move(st).error(), fmt::format("service id '{}' is taken", s.id));
  return true;
}

}  // namespace amtsweg::catalog
