#include "records/bescheid.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include <date/date.h>
#include <date/tz.h>

#include "audit/audit.h"
#include "core/hash.h"
#include "core/id.h"
#include "engine/look_ahead.h"
#include "intake/codes.h"
#include "records/pdf.h"
#include "records/records_store.h"

namespace amtsweg::records {

using core::Json;

namespace {

constexpr const char* kMonths[] = {"Januar", "Februar", "März",     "April",   "Mai",      "Juni",
                                   "Juli",   "August",  "September", "Oktober", "November", "Dezember"};

std::string DateOf(int y, unsigned m, unsigned d) { return fmt::format("{}. {} {}", d, kMonths[m - 1], y); }

// "2026-03-01", "2026-03-01T10:00:00Z" → "1. März 2026"; nullopt otherwise.
std::optional<std::string> GermanDateOfText(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  if (s.size() > 10) {
    // A date-time: its civil date in Germany.
    auto t = core::ParseIso8601(s);
    if (t.ok()) return GermanDate(*t);
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return DateOf(y, m, d);
}

// 1234.5 → "1.234,50" with `decimals` digits; thousands separated by dots.
std::string GermanNumber(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  std::string sign;
  if (!s.empty() && s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += '.';
    grouped += whole[i];
  }
  return sign + grouped + (frac.empty() ? "" : "," + frac);
}

std::string Plain(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "ja" : "nein";
  if (v.is_number_integer() || v.is_number_unsigned()) return GermanNumber(v.get<double>(), 0);
  if (v.is_number_float()) {
    double d = v.get<double>();
    std::string s = fmt::format("{}", d);  // shortest form
    size_t dot = s.find('.');
    int decimals = dot == std::string::npos || s.find('e') != std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
    return GermanNumber(d, std::min(decimals, 6));
  }
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) {
      std::string p = Plain(e);
      if (!p.empty()) parts.push_back(std::move(p));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
  }
  if (v.is_object()) {
    std::vector<std::string> parts;
    for (const auto& [k, e] : v.items()) {
      std::string p = Plain(e);
      if (!p.empty()) parts.push_back(std::move(p));
    }
    return fmt::format("{}", fmt::join(parts, " "));
  }
  return "";
}

const Json* Lookup(const Json& data, std::string_view path) {
  const Json* cur = &data;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return cur->is_null() ? nullptr : cur;
}

core::Result<std::vector<std::string>> Strings(const Json& doc, const char* key, bool required,
                                               std::vector<core::FieldError>& errors) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end()) {
    if (required) errors.push_back({std::string("/") + key, "is required (a list of strings)"});
    return out;
  }
  if (!it->is_array()) {
    errors.push_back({std::string("/") + key, "must be a list of strings"});
    return out;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      errors.push_back({fmt::format("/{}/{}", key, i), "must be a string"});
    } else {
      out.push_back((*it)[i].get<std::string>());
    }
  }
  if (required && out.empty() && errors.empty()) errors.push_back({std::string("/") + key, "must not be empty"});
  return out;
}

std::string String(const Json& doc, const char* key, bool required, std::vector<core::FieldError>& errors,
                   std::string fallback = "") {
  auto it = doc.find(key);
  if (it == doc.end()) {
    if (required) errors.push_back({std::string("/") + key, "is required"});
    return fallback;
  }
  if (!it->is_string()) {
    errors.push_back({std::string("/") + key, "must be a string"});
    return fallback;
  }
  if (required && it->get<std::string>().empty()) errors.push_back({std::string("/") + key, "must not be empty"});
  return it->get<std::string>();
}

}  // namespace

std::string GermanDate(core::Timestamp t) {
  try {
    auto zoned = date::make_zoned(date::locate_zone("Europe/Berlin"), t);
    auto local_days = date::floor<date::days>(zoned.get_local_time());
    date::year_month_day ymd{local_days};
    return DateOf(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  } catch (const std::exception&) {
    // No time zone database: the UTC date.
    date::year_month_day ymd{date::floor<date::days>(t)};
    return DateOf(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  }
}

std::string TypographicQuotes(std::string_view s) {
  std::string out;
  bool open = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"') {
      out += s[i];
      continue;
    }
    // An opening quote follows a space, a bracket or the start; otherwise it closes.
    bool at_word_start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '\n';
    if (open || at_word_start) {
      out += "\u201E";  // „
      open = false;
    } else {
      out += "\u201C";  // “
      open = true;
    }
  }
  return out;
}

core::Result<std::string> Substitute(std::string_view text, const Json& data, SubstituteStats* stats) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return core::InvalidArgument(fmt::format("placeholder without closing }}}}: \"{}\"", text.substr(open, 40)));
    }
    std::string expr(text.substr(open + 2, close - open - 2));
    expr.erase(0, expr.find_first_not_of(' '));
    expr.erase(expr.find_last_not_of(' ') + 1);
    std::string filter;
    if (size_t bar = expr.find('|'); bar != std::string::npos) {
      filter = expr.substr(bar + 1);
      expr = expr.substr(0, bar);
    }
    bool optional = !expr.empty() && expr.back() == '?';
    if (optional) expr.pop_back();
    if (expr.empty()) return core::InvalidArgument("empty placeholder {{}}");
    const Json* v = Lookup(data, expr);
    if (stats != nullptr) {
      ++stats->placeholders;
      if (v == nullptr && optional) ++stats->empty_optional;
    }
    std::string value;
    if (v == nullptr) {
      if (!optional) {
        return core::InvalidArgument(fmt::format("the case data has no value for {{{{{}}}}}", expr));
      }
    } else if (filter.empty()) {
      value = Plain(*v);
    } else if (filter == "datum") {
      auto d = v->is_string() ? GermanDateOfText(v->get<std::string>()) : std::nullopt;
      if (!d) return core::InvalidArgument(fmt::format("{{{{{}|datum}}}}: {} is not a date", expr, v->dump()));
      value = *d;
    } else if (filter == "betrag") {
      if (!v->is_number()) return core::InvalidArgument(fmt::format("{{{{{}|betrag}}}}: not a number", expr));
      value = GermanNumber(v->get<double>(), 2) + " €";
    } else if (filter == "ja-nein") {
      value = v->is_boolean() ? (v->get<bool>() ? "ja" : "nein") : Plain(*v);
    } else {
      return core::InvalidArgument(fmt::format("unknown filter |{} (datum, betrag, ja-nein)", filter));
    }
    out += value;
    i = close + 2;
  }
  return out;
}

core::Result<BescheidTemplate> ParseTemplate(const Json& doc) {
  if (!doc.is_object()) return core::InvalidArgument("a Bescheid template must be a JSON object");
  std::vector<core::FieldError> errors;
  static const std::vector<std::string> known = {"title",          "subject", "addressee", "salutation",
                                                 "body",           "legalBasis", "rechtsbehelfsbelehrung",
                                                 "closing",        "signature"};
  for (const auto& [k, v] : doc.items()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) errors.push_back({"/" + k, "unknown field"});
  }
  BescheidTemplate t;
  t.title = String(doc, "title", true, errors);
  t.subject = String(doc, "subject", true, errors);
  t.addressee = *Strings(doc, "addressee", true, errors);
  t.salutation = String(doc, "salutation", false, errors, t.salutation);
  t.body = *Strings(doc, "body", true, errors);
  t.legal_basis = String(doc, "legalBasis", false, errors);
  t.rechtsbehelfsbelehrung = String(doc, "rechtsbehelfsbelehrung", false, errors);
  t.closing = String(doc, "closing", false, errors, t.closing);
  t.signature = String(doc, "signature", false, errors);
  if (!errors.empty()) return core::InvalidArgument("invalid Bescheid template", std::move(errors));
  return t;
}

core::Result<RenderedBescheid> RenderBescheid(const BescheidTemplate& t, const BescheidInput& in) {
  Json data = in.data.is_object() ? in.data : Json::object();
  data["caseNumber"] = in.case_number;
  data["today"] = GermanDate(in.date);
  data["tenant"] = Json{{"name", in.letterhead.authority},
                        {"anschrift", fmt::format("{}, {} {}", in.letterhead.street, in.letterhead.postal_code,
                                                  in.letterhead.city)}};
  data["service"] = Json{{"name", in.service_name}};
  data["department"] = Json{{"name", in.letterhead.department}};
  auto sub = [&](std::string_view s) -> core::Result<std::string> {
    AW_ASSIGN_OR_RETURN(std::string v, Substitute(s, data));
    return TypographicQuotes(v);
  };
  // Paragraphs and address lines: nullopt when all placeholders are optional and empty.
  auto sub_line = [&](std::string_view s) -> core::Result<std::optional<std::string>> {
    SubstituteStats st;
    AW_ASSIGN_OR_RETURN(std::string v, Substitute(s, data, &st));
    if (st.placeholders > 0 && st.empty_optional == st.placeholders) return std::optional<std::string>();
    if (v.find_first_not_of(' ') == std::string::npos) return std::optional<std::string>();
    return std::optional<std::string>(TypographicQuotes(v));
  };
  RenderedBescheid out;
  AW_ASSIGN_OR_RETURN(out.title, sub(t.title));
  AW_ASSIGN_OR_RETURN(out.subject, sub(t.subject));
  std::vector<std::string> address;
  for (const auto& line : t.addressee) {
    AW_ASSIGN_OR_RETURN(auto l, sub_line(line));
    if (l) address.push_back(std::move(*l));
  }
  std::vector<std::string> body;
  for (const auto& p : t.body) {
    AW_ASSIGN_OR_RETURN(auto para, sub_line(p));
    if (para) body.push_back(std::move(*para));
  }
  AW_ASSIGN_OR_RETURN(std::string legal, sub(t.legal_basis));
  AW_ASSIGN_OR_RETURN(std::string remedy, sub(t.rechtsbehelfsbelehrung));
  AW_ASSIGN_OR_RETURN(std::string salutation, sub(t.salutation));
  AW_ASSIGN_OR_RETURN(std::string closing, sub(t.closing));
  std::string signature = t.signature.empty() ? "Im Auftrag\n" + in.letterhead.department : "";
  if (!t.signature.empty()) {
    AW_ASSIGN_OR_RETURN(signature, sub(t.signature));
  }

  const Letterhead& lh = in.letterhead;
  Pdf pdf;
  std::string text;
  auto para = [&](const std::string& s, double size = 10.5, bool bold = false) {
    pdf.Paragraph(s, size, bold);
    text += s + "\n";
  };
  // Letterhead: the authority left, its address and contact right.
  double top = Pdf::kTop;
  pdf.TextAt(lh.authority, Pdf::kLeft, top + 14, 16, true);
  if (!lh.department.empty()) pdf.TextAt(lh.department, Pdf::kLeft, top + 30, 10.5);
  double ry = top + 10;
  for (const std::string& l : {lh.authority, lh.street, (lh.postal_code + " " + lh.city),
                               lh.phone.empty() ? std::string() : "Telefon " + lh.phone,
                               lh.email.empty() ? std::string() : "E-Mail " + lh.email}) {
    if (l.find_first_not_of(' ') == std::string::npos) continue;
    pdf.RightAligned(l, ry, 8.5);
    ry += 12;
  }
  text += lh.authority + "\n" + lh.department + "\n";
  // Return address line and the addressee block (window of a DIN 5008 envelope).
  pdf.SetY(top + 95);
  std::string sender = fmt::format("{} · {} · {} {}", lh.authority, lh.street, lh.postal_code, lh.city);
  pdf.Paragraph(sender, 7);
  pdf.Gap(4);
  for (const auto& l : address) para(l, 10.5);
  // Reference and date on the right, level with the address.
  pdf.RightAligned("Aktenzeichen: " + in.case_number, top + 120, 9.5);
  pdf.RightAligned("Datum: " + GermanDate(in.date), top + 134, 9.5);
  text += "Aktenzeichen: " + in.case_number + "\nDatum: " + GermanDate(in.date) + "\n";
  pdf.SetY(std::max(pdf.y(), top + 200));
  para(out.title, 13, true);
  para(out.subject, 10.5, true);
  pdf.Gap(10);
  para(salutation);
  pdf.Gap(4);
  for (const auto& p : body) {
    para(p);
    pdf.Gap(6);
  }
  if (!legal.empty()) {
    para(legal, 9.5);
    pdf.Gap(6);
  }
  if (!remedy.empty()) {
    pdf.KeepTogether(60);
    para("Rechtsbehelfsbelehrung", 10.5, true);
    para(remedy, 9.5);
    pdf.Gap(6);
  }
  pdf.KeepTogether(50);
  para(closing);
  pdf.Gap(4);
  para(signature);
  pdf.Gap(8);
  para("Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig.", 8);
  pdf.SetFooter(fmt::format("{} · Aktenzeichen {}", lh.authority, in.case_number));
  AW_ASSIGN_OR_RETURN(out.pdf, pdf.Finish(out.title + " " + in.case_number));
  out.text = std::move(text);
  return out;
}

core::Status PutTemplate(Records& r, std::string_view tenant, std::string_view service_id, std::string_view name,
                         const Json& doc, std::string_view actor) {
  bool ok_name = !name.empty() && name.size() <= 100;
  for (char c : name) ok_name = ok_name && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok_name) return core::InvalidArgument("invalid template", {{"/name", "1-100 of a-z, 0-9 and -"}});
  AW_TRY(ParseTemplate(doc));
  AW_TRY(r.catalog().GetService(tenant, service_id));
  std::string text = core::DumpJson(doc);
  int64_t now = core::ToUnixMillis(r.Now());
  return r.db().writer().Write([&](store::Tx& tx) -> core::Status {
    AW_TRY(internal::UpsertTemplate(tx, tenant, service_id, name, text, now));
    AW_TRY(audit::Append(tx,
                         {.tenant = std::string(tenant),
                          .actor = std::string(actor),
                          .action = "records.template_saved",
                          .object_type = "service",
                          .object_id = std::string(service_id),
                          .details = Json{{"name", std::string(name)}, {"sha256", core::Sha256Hex(text)}}},
                         r.Now()));
    return core::OkStatus();
  });
}

core::Result<Json> ListTemplates(Records& r, std::string_view tenant, std::string_view service_id) {
  AW_TRY(r.catalog().GetService(tenant, service_id));
  AW_ASSIGN_OR_RETURN(auto rows, r.db().Read([&](store::Tx& tx) {
    return internal::SelectTemplates(tx, tenant, service_id);
  }));
  Json out = Json::array();
  for (auto& [name, doc] : rows) {
    AW_ASSIGN_OR_RETURN(Json d, core::ParseJson(doc));
    out.push_back(Json{{"name", name}, {"template", std::move(d)}});
  }
  return out;
}

namespace {

struct Prepared {
  NewDocument doc;
  RenderedBescheid rendered;
  std::string sha, new_id, case_number;
  core::Timestamp now;
};

struct RenderedForCase {
  RenderedBescheid rendered;
  internal::CaseRow c;
};

// The case row, or NotFound.
core::Result<internal::CaseRow> ReadCase(Records& r, const std::string& tenant, const std::string& case_id) {
  AW_ASSIGN_OR_RETURN(auto c, r.db().Read([&](store::Tx& tx) { return internal::SelectCase(tx, tenant, case_id); }));
  if (!c) return core::NotFound(fmt::format("no case {}", case_id));
  return std::move(*c);
}

// Service, template, tenant letterhead and the rendering for case `c`; nothing stored.
core::Result<RenderedForCase> RenderForCase(Records& r, const std::string& tenant, internal::CaseRow c_row,
                                            const std::string& vorlage, const Json& data) {
  const internal::CaseRow* c = &c_row;
  AW_ASSIGN_OR_RETURN(auto doc_text, r.db().Read([&](store::Tx& tx) {
    return internal::SelectTemplate(tx, tenant, c->service_id, vorlage);
  }));
  if (!doc_text) {
    return core::NotFound(fmt::format("service {} has no Bescheid template \"{}\"", c->service_id, vorlage));
  }
  AW_ASSIGN_OR_RETURN(Json tdoc, core::ParseJson(*doc_text));
  AW_ASSIGN_OR_RETURN(BescheidTemplate t, ParseTemplate(tdoc));
  AW_ASSIGN_OR_RETURN(Json tenant_doc, r.catalog().GetTenant(tenant));
  AW_ASSIGN_OR_RETURN(Json service_doc, r.catalog().GetService(tenant, c->service_id));
  BescheidInput in;
  in.letterhead.authority = tenant_doc.value("name", tenant);
  Json addr = tenant_doc.value("address", Json::object());
  in.letterhead.street = addr.value("street", "");
  in.letterhead.postal_code = addr.value("postalCode", "");
  in.letterhead.city = addr.value("city", "");
  Json contact = tenant_doc.value("contact", Json::object());
  in.letterhead.email = contact.value("email", "");
  in.letterhead.phone = contact.value("phone", "");
  if (auto dep = r.catalog().GetDepartment(tenant, c->department_id); dep.ok()) {
    in.letterhead.department = dep->value("name", c->department_id);
  }
  in.case_number = c->case_number;
  in.service_name = service_doc.value("name", Json::object()).value("de", c->service_id);
  in.date = r.Now();
  in.data = data;
  auto rendered = RenderBescheid(t, in);
  if (!rendered.ok()) {
    core::Error e = std::move(rendered).error();
    return core::InvalidArgument(fmt::format("Bescheid template \"{}\" of service {}: {}", vorlage, c->service_id,
                                             e.message()));
  }
  return RenderedForCase{std::move(*rendered), std::move(c_row)};
}

// Everything before the writer command: the rendering and the file.
core::Result<Prepared> Prepare(Records& r, const std::string& tenant, const std::string& case_id,
                               const std::string& vorlage, const Json& data, const std::string& actor) {
  AW_ASSIGN_OR_RETURN(internal::CaseRow row, ReadCase(r, tenant, case_id));
  AW_ASSIGN_OR_RETURN(RenderedForCase rc, RenderForCase(r, tenant, std::move(row), vorlage, data));
  const internal::CaseRow* c = &rc.c;
  Prepared p;
  p.rendered = std::move(rc.rendered);
  p.sha = core::Sha256Hex(p.rendered.pdf);
  AW_TRY(r.files().Put(tenant, p.sha, p.rendered.pdf));
  p.new_id = core::NewId();
  p.now = r.Now();
  p.case_number = c->case_number;
  p.doc.case_id = case_id;
  p.doc.kind = "bescheid";
  p.doc.title = p.rendered.title;
  p.doc.filename = BescheidFileName(vorlage, c->case_number);
  p.doc.bytes = p.rendered.pdf;
  p.doc.actor = actor;
  return p;
}

// Stores the version, indexes its text, delivers it (inside the caller's command).
core::Status StoreInTx(Records& r, store::Tx& tx, const std::string& tenant, const Prepared& p,
                       DocumentVersion* out) {
  AW_ASSIGN_OR_RETURN(DocumentVersion v,
                      r.InsertVersionInTx(tx, tenant, p.doc, p.sha, "application/pdf", p.new_id, p.now));
  // Full-text search of the Bescheid's text (cases::IndexTextInTx, wired at merge).
  if (IndexHook index = r.index_hook()) AW_TRY(index(tx, tenant, p.doc.case_id, v.document_id, p.rendered.text));
  if (DeliveryHook deliver = r.delivery_hook()) {
    AW_TRY(deliver(tx, BescheidDelivery{tenant, p.doc.case_id, p.case_number, v.document_id, v.version,
                                        p.rendered.title, p.rendered.subject, v.filename, v.sha256, v.size}));
  }
  *out = std::move(v);
  return core::OkStatus();
}

}  // namespace

core::Result<DocumentVersion> GenerateBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                               std::string_view vorlage, const Json& data, std::string_view actor) {
  std::string t(tenant);
  AW_ASSIGN_OR_RETURN(Prepared p, Prepare(r, t, std::string(case_id), std::string(vorlage), data, std::string(actor)));
  DocumentVersion v;
  AW_TRY(r.db().writer().Write([&](store::Tx& tx) { return StoreInTx(r, tx, t, p, &v); }));
  return v;
}

std::string BescheidFileName(std::string_view vorlage, std::string_view case_number) {
  return fmt::format("bescheid-{}-{}.pdf", vorlage, case_number);
}

core::Result<BescheidPreview> PreviewBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view vorlage, const Json& overrides) {
  if (vorlage.empty()) return core::InvalidArgument("no template", {{"/template", "name a Bescheid template"}});
  if (!overrides.is_null() && !overrides.is_object()) {
    return core::InvalidArgument("invalid data", {{"/data", "must be an object (the decision's form values)"}});
  }
  std::string t(tenant), id(case_id), name(vorlage);
  AW_ASSIGN_OR_RETURN(internal::CaseRow row, ReadCase(r, t, id));
  // The values the worker would see: the process variables, with the form's
  // current values laid over them (a task's completion sets them the same way).
  Json vars = Json::object();
  if (auto inst = r.engine().GetInstance(t, row.instance_id); inst.ok() && inst->variables.is_object()) {
    vars = inst->variables;
  }
  if (overrides.is_object()) vars.merge_patch(overrides);
  auto rc = RenderForCase(r, t, std::move(row), name, vars);
  if (!rc.ok()) {
    core::Error e = std::move(rc).error();
    if (e.code() == core::ErrorCode::kNotFound) return e;
    return core::InvalidArgument(e.message(), {{"/data", e.message()}});
  }
  return BescheidPreview{rc->rendered.title, BescheidFileName(name, rc->c.case_number), std::move(rc->rendered.pdf)};
}

void CreatePreviewLink(Records& r, std::string tenant, std::string case_id, std::string vorlage, Json overrides,
                       std::function<void(core::Result<PreviewLink>)> done) {
  auto rendered = PreviewBescheid(r, tenant, case_id, vorlage, overrides);
  if (!rendered.ok()) return done(std::move(rendered).error());
  auto link = std::make_shared<PreviewLink>(
      PreviewLink{intake::NewSecret(16), std::move(rendered->title), std::move(rendered->filename)});
  std::string hash = core::Sha256Hex(link->token);
  std::string data = core::DumpJson(overrides.is_object() ? overrides : Json::object());
  int64_t now = core::ToUnixMillis(r.Now());
  int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(kPreviewLinkTtl).count();
  r.db().writer().Submit(
      [tenant, case_id, vorlage, hash, data, now, expires](store::Tx& tx) -> core::Status {
        AW_TRY(tx.Exec("DELETE FROM records_preview_links WHERE tenant_id = $1 AND expires_at < $2", {tenant, now}));
        AW_TRY(tx.Exec("INSERT INTO records_preview_links (tenant_id, token_hash, case_id, template, data, expires_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6)",
                       {tenant, hash, case_id, vorlage, data, expires}));
        return core::OkStatus();
      },
      [link, done = std::move(done)](core::Status s) {
        if (!s.ok()) return done(std::move(s).error());
        done(std::move(*link));
      });
}

core::Result<BescheidPreview> OpenPreviewLink(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view token) {
  std::string hash = core::Sha256Hex(token);
  int64_t now = core::ToUnixMillis(r.Now());
  AW_ASSIGN_OR_RETURN(auto row, r.db().Read([&](store::Tx& tx) {
    return tx.QueryOne("SELECT template, data FROM records_preview_links WHERE tenant_id = $1 AND token_hash = $2 "
                       "AND case_id = $3 AND expires_at >= $4",
                       {tenant, hash, case_id, now});
  }));
  if (!row) return core::NotFound("no such preview (they are kept for 10 minutes)");
  AW_ASSIGN_OR_RETURN(Json data, core::ParseJson(row->Text(1)));
  return PreviewBescheid(r, tenant, case_id, row->Text(0), data);
}

core::Result<ExpectedBescheid> ExpectBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view task_id, const Json& data) {
  if (!data.is_null() && !data.is_object()) {
    return core::InvalidArgument("invalid data", {{"/data", "must be an object (the task's form values)"}});
  }
  std::string t(tenant);
  AW_ASSIGN_OR_RETURN(internal::CaseRow row, ReadCase(r, t, std::string(case_id)));
  auto task = r.engine().GetUserTask(t, task_id);
  if (!task.ok() || task->instance_id != row.instance_id) {
    return core::NotFound(fmt::format("no open task {} in case {}", task_id, case_id));
  }
  AW_ASSIGN_OR_RETURN(engine::LookAhead la, engine::LookAheadFromUserTask(r.engine(), r.db(), t, *task,
                                                                            data.is_object() ? data : Json::object()));
  ExpectedBescheid out;
  out.waits = la.waits;
  for (const engine::LookAheadTask& step : la.tasks) {
    if (step.type != kBescheidJobType) continue;
    out.vorlage = step.headers.value("vorlage", "");
    out.element_id = step.element_id;
    out.element_name = step.name;
    break;
  }
  if (out.vorlage.empty()) {
    out.undetermined = la.undetermined;
    return out;
  }
  AW_ASSIGN_OR_RETURN(Json list, ListTemplates(r, t, row.service_id));
  for (const Json& item : list) {
    if (item.value("name", "") == out.vorlage) out.title = item.value("template", Json::object()).value("title", "");
  }
  return out;
}

core::Result<Json> CaseTemplates(Records& r, std::string_view tenant, std::string_view case_id) {
  std::string t(tenant);
  AW_ASSIGN_OR_RETURN(internal::CaseRow c, ReadCase(r, t, std::string(case_id)));
  AW_ASSIGN_OR_RETURN(Json list, ListTemplates(r, t, c.service_id));
  Json out = Json::array();
  for (const Json& item : list) {
    out.push_back(Json{{"name", item.value("name", "")},
                       {"title", item.value("template", Json::object()).value("title", "")}});
  }
  return out;
}

core::Result<int> RunBescheidJobs(Records& r, int max_jobs) {
  engine::Engine& eng = r.engine();
  AW_ASSIGN_OR_RETURN(auto tenants, eng.TenantsWithAvailableJobs({std::string(kBescheidJobType)}));
  int handled = 0;
  for (const std::string& tenant : tenants) {
    AW_ASSIGN_OR_RETURN(auto jobs, eng.ActivateJobs(tenant, kBescheidJobType, "records-bescheid", max_jobs,
                                                    std::chrono::minutes(2)));
    for (const engine::ActivatedJob& job : jobs) {
      ++handled;
      std::string vorlage = job.headers.is_object() ? job.headers.value("vorlage", "") : "";
      std::string case_id = job.variables.is_object() ? job.variables.value("caseId", "") : "";
      core::Result<Prepared> p = core::InvalidArgument("");
      if (vorlage.empty()) {
        p = core::InvalidArgument(fmt::format("task {} has no task header \"vorlage\"", job.element_id));
      } else if (case_id.empty()) {
        p = core::InvalidArgument("the process has no variable caseId (not started by intake)");
      } else {
        p = Prepare(r, tenant, case_id, vorlage, job.variables, "system");
      }
      if (!p.ok()) {
        // No retries: a missing template or value does not fix itself. The
        // incident carries the message; resolving it (after fixing the
        // template) runs the job again.
        AW_TRY(eng.FailJob(tenant, job.job_id, 0, "Bescheid: " + p.error().message()));
        continue;
      }
      auto prepared = std::make_shared<Prepared>(std::move(*p));
      auto version = std::make_shared<DocumentVersion>();
      Json vars = Json{{"bescheidDocumentId", prepared->new_id}};
      core::Status s = eng.CompleteJobWith(tenant, job.job_id, vars, [&r, tenant, prepared, version](store::Tx& tx) {
        return StoreInTx(r, tx, tenant, *prepared, version.get());
      });
      if (!s.ok()) {
        AW_TRY(eng.FailJob(tenant, job.job_id, static_cast<int>(std::max<int64_t>(job.retries - 1, 0)),
                           "Bescheid could not be stored: " + s.error().message(), std::chrono::seconds(30)));
      }
    }
  }
  return handled;
}

}  // namespace amtsweg::records
