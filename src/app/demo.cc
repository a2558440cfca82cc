// `amtsweg demo seed`: creates the demo municipality "Amt Musterland" with
// its departments, staff accounts and the three services of demo/services
// (BPMN, DMN and forms deployed through the engine and the catalogue, exactly
// as an administration would). Idempotent: an existing Amt Musterland is left
// as it is.
//
// Then the second municipality, Gemeinde Beispielstadt (demo/beispielstadt.json):
// Amt Musterland's three services are exported as signed packages (a key made
// for the seed) and imported there with Beispielstadt's own parameters (fees,
// deadlines, departments, contacts), as `amtsweg package export/import` does.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/build_info.h"
#include "app/commands.h"
#include "app/demo.h"
#include "app/wiring.h"
#include "app/database.h"
#include "auth/auth.h"
#include "auth/secrets.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "engine/engine.h"
#include "opendata/opendata.h"
#include "packages/installer.h"
#include "records/bescheid.h"
#include "records/records.h"

namespace amtsweg::app {
namespace {

using core::Json;
namespace fs = std::filesystem;

constexpr const char* kTenant = kDemoTenantA;

core::Result<std::string> ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return core::NotFound(p.string() + ": cannot read file");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct DemoService {
  const char* dir;
  const char* form;  // the citizen's application form
  const char* department;
  const char* leika;  // illustrative 14-digit keys: set the official LeiKa key in the catalogue
  const char* name_de;
  const char* name_en;
  const char* description_de;
  const char* description_en;
  const char* legal_basis;
  const char* fees;
  std::vector<std::string> documents;
  int days;
};

const std::vector<DemoService>& Services() {
  static const std::vector<DemoService> services = {
      {"plakatierung", "plakatierung", "ordnungsamt", "99107004017000", "Plakatierung (Sondernutzung)",
       "Poster permit (special use of roads)",
       "Erlaubnis, Plakate an öffentlichen Straßen aufzuhängen – etwa Wahlwerbung oder Hinweise auf Veranstaltungen.",
       "Permission to put up posters on public roads, for example election advertising or event notices.",
       "§ 21 Straßen- und Wegegesetz Schleswig-Holstein (StrWG); § 8 Bundesfernstraßengesetz",
       "0,10 € je Plakat und Tag, mindestens 25 €; Wahlwerbung und gemeinnützige Veranstaltungen gebührenfrei",
       {"Liste der Standorte"}, 10},
      {"negativbescheinigung", "negativbescheinigung", "bauamt", "99090001001000",
       "Negativbescheinigung nach § 28 BauGB (Vorkaufsrecht)", "Certificate on the municipal pre-emption right (§ 28 BauGB)",
       "Bescheinigung für das Grundbuchamt, dass die Gemeinde ein Vorkaufsrecht nicht hat oder nicht ausübt.",
       "Certificate for the land registry that the municipality has no pre-emption right or does not exercise it.",
       "§§ 24, 25, 28 Baugesetzbuch (BauGB)", "nach der Verwaltungsgebührensatzung",
       {"Kaufvertrag (PDF)"}, 5},
      {"aufgrabegenehmigung", "aufgrabegenehmigung", "tiefbau", "99107012001000", "Aufgrabegenehmigung",
       "Street excavation permit",
       "Genehmigung, eine öffentliche Straße, einen Gehweg oder eine Grünfläche aufzugraben, mit verkehrsrechtlicher Anordnung.",
       "Permission to dig up a public road, footway or green area, including the traffic order.",
       "§ 21 StrWG; § 45 Abs. 6 StVO; ZTV A-StB 12", "nach Fläche und Dauer (Sondernutzungsgebührensatzung)",
       {"Lageplan", "Verkehrszeichenplan nach RSA 21 (bei Verkehrsbeschränkungen)"}, 14},
  };
  return services;
}

// How long a case file is kept after the case ended (a parameter of each
// municipality's filing rules): poster permits briefly, excavation permits
// beyond the five-year warranty, pre-emption certificates (land) for ten years.
std::string RetentionOf(const std::string& service) {
  if (service == "plakatierung") return "P2Y";
  if (service == "aufgrabegenehmigung") return "P6Y";
  return "P10Y";
}

struct DemoUser {
  const char* login;
  const char* name;
  std::vector<std::string> roles;
  std::vector<std::string> departments;
};

core::Status Seed(store::Database& db, const core::Config& cfg, const fs::path& dir, const SeedOptions& opts,
                  bool* created) {
  catalog::Catalog cat(db);
  if (cat.GetTenant(kTenant).ok()) {
    std::printf("Amt Musterland exists already; nothing to do\n");
    return core::OkStatus();
  }
  *created = true;
  AW_TRY(cat.CreateTenant(Json{
      {"id", kTenant},
      {"name", "Amt Musterland"},
      {"type", "Amt"},
      {"ars", "010595988000"},
      {"address", {{"street", "Amtsplatz 1"}, {"postalCode", "24999"}, {"city", "Musterdorf"}}},
      {"contact", {{"email", "post@amt-musterland.example"}, {"phone", "+49 4600 12345-0"}}},
      {"portal", {{"primaryColor", "#00507a"}}}}));
  for (auto [id, name] : std::vector<std::pair<const char*, const char*>>{{"ordnungsamt", "Ordnungsamt"},
                                                                          {"bauamt", "Bauamt"},
                                                                          {"tiefbau", "Tiefbau"},
                                                                          {"verkehrsbehoerde", "Straßenverkehrsbehörde"},
                                                                          {"amtsleitung", "Amtsleitung"}}) {
    AW_TRY(cat.CreateDepartment(kTenant, Json{{"id", id}, {"name", name}, {"staffGroups", Json::array({id})}}));
  }
  engine::Engine engine(db);
  for (const DemoService& s : Services()) {
    std::vector<engine::Resource> resources;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir / s.dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    int form_version = 0;
    for (const fs::path& f : files) {
      std::string ext = f.extension().string();
      if (ext != ".bpmn" && ext != ".dmn" && ext != ".form") continue;
      AW_ASSIGN_OR_RETURN(std::string text, ReadText(f));
      if (ext == ".form") {
        AW_ASSIGN_OR_RETURN(Json schema, core::ParseJson(text));
        AW_ASSIGN_OR_RETURN(Json stored, cat.AddFormVersion(kTenant, schema));
        if (f.stem() == s.form) form_version = stored.value("version", 0);
      }
      resources.push_back({f.filename().string(), std::move(text)});
    }
    AW_TRY(engine.Deploy(kTenant, resources));
    Json docs = Json::array();
    for (const auto& d : s.documents) docs.push_back(d);
    AW_TRY(cat.CreateService(kTenant, Json{{"id", std::string("musterland-") + s.dir},
                                           {"leika", s.leika},
                                           {"published", true},
                                           {"name", {{"de", s.name_de}, {"en", s.name_en}}},
                                           {"description", {{"de", s.description_de}, {"en", s.description_en}}},
                                           {"legalBasis", s.legal_basis},
                                           {"fees", s.fees},
                                           {"requiredDocuments", docs},
                                           {"processingTimeDays", s.days},
                                           {"form", {{"id", s.form}, {"version", form_version}}},
                                           {"process", {{"id", s.dir}}},
                                           {"responsibility", {{"department", s.department}}},
                                           {"retentionPeriod", RetentionOf(s.dir)}}));
    // Bescheid templates: demo/services/<service>/bescheide/<vorlage>.json.
    records::Records records(db, cat, engine, {.files_dir = cfg.storage.files_dir});
    std::vector<fs::path> templates;
    if (fs::is_directory(dir / s.dir / "bescheide")) {
      for (const auto& entry : fs::directory_iterator(dir / s.dir / "bescheide")) {
        if (entry.path().extension() == ".json") templates.push_back(entry.path());
      }
    }
    std::sort(templates.begin(), templates.end());
    for (const fs::path& f : templates) {
      AW_ASSIGN_OR_RETURN(std::string text, ReadText(f));
      AW_ASSIGN_OR_RETURN(Json doc, core::ParseJson(text));
      core::Status put = records::PutTemplate(records, kTenant, std::string("musterland-") + s.dir,
                                              f.stem().string(), doc, "cli");
      if (!put.ok()) {
        core::Error e = std::move(put).error();
        e.WithContext(f.string());
        return e;
      }
    }
  }
  // Open data: the three statistics datasets, recomputed daily by the engine's timer.
  opendata::OpenData open_data(db, engine);
  if (opts.open_data) AW_TRY(open_data.Define(
      kTenant,
      Json{{"minCount", 5},
           {"licence", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"},
           {"contributorId", "http://dcat-ap.de/def/contributors/schleswigHolstein"},
           {"datasets",
            {{{"id", "antraege-monatlich"}, {"kind", "applications-monthly"}, {"keywords", {"Anträge", "Verwaltung"}}},
             {{"id", "bearbeitungsdauer"}, {"kind", "processing-times"}, {"keywords", {"Bearbeitungsdauer"}}},
             {{"id", "offene-antraege"}, {"kind", "backlog"}, {"keywords", {"Rückstand"}}}}}}));
  if (!opts.users) return core::OkStatus();
  auth::Service accounts(db, cfg.auth, core::SystemClock::Instance());
  const std::vector<DemoUser> users = {
      {"admin", "Anna Admin", {"administrator"}, {}},
      {"ordnung", "Olaf Ordnung", {"case_worker"}, {"ordnungsamt"}},
      {"bau", "Berta Bau", {"case_worker"}, {"bauamt", "tiefbau"}},
      {"verkehr", "Viktor Verkehr", {"case_worker"}, {"verkehrsbehoerde"}},
      {"leitung", "Lena Leitung", {"manager"}, {"amtsleitung", "ordnungsamt", "bauamt", "tiefbau"}},
      {"design", "Dora Design", {"process_designer"}, {}},
  };
  std::printf("Amt Musterland created: 5 departments, 3 services. Staff accounts (passwords shown once):\n");
  for (const DemoUser& u : users) {
    std::string password = auth::RandomSecret(12);
    AW_TRY(accounts.CreateUser(kTenant, "cli",
                               {.login = u.login,
                                .display_name = u.name,
                                .email = std::string(u.login) + "@amt-musterland.example",
                                .password = password,
                                .roles = u.roles,
                                .departments = u.departments}));
    std::printf("  %-8s %-16s %s\n", u.login, u.roles.front().c_str(), password.c_str());
  }
  std::printf("Open data: /api/v1/opendata/amt-musterland/catalog.ttl   CKAN: /api/3/action/package_list\n");
  std::printf("Portal: /amt-musterland   Workspace: /arbeitsplatz/amt-musterland   Designer: /designer/amt-musterland\n");
  return core::OkStatus();
}

// The parameter declarations of Amt Musterland's services (demo/services/<dir>/parameters.json),
// what its packages carry. Declared once; an existing declaration is left as it is.
core::Status DeclareMusterlandParameters(store::Database& db, const fs::path& dir) {
  catalog::Catalog cat(db);
  engine::Engine engine(db);
  packages::Installer inst(db, engine, cat);
  for (const DemoService& s : Services()) {
    std::string service_id = std::string("musterland-") + s.dir;
    if (inst.ServiceParameters(kTenant, service_id).ok()) continue;
    fs::path file = dir / s.dir / "parameters.json";
    AW_ASSIGN_OR_RETURN(std::string text, ReadText(file));
    AW_ASSIGN_OR_RETURN(Json decl, core::ParseJson(text));
    std::vector<packages::ParameterDecl> decls;
    for (size_t i = 0; i < decl["parameters"].size(); ++i) {
      auto d = packages::ParameterDeclFromJson(decl["parameters"][i], "/parameters/" + std::to_string(i));
      if (!d.ok()) {
        core::Error e = std::move(d).error();
        e.WithContext(file.string());
        return e;
      }
      decls.push_back(std::move(*d));
    }
    const Json& b = decl["parameterBinding"];
    packages::Manifest::Binding binding{b.value("file", ""), b.value("element", ""), b.value("variable", "params")};
    AW_TRY(inst.DeclareParameters(kTenant, service_id, decl.value("name", s.dir), decls, binding, decl["values"]));
  }
  return core::OkStatus();
}

core::Status SeedBeispielstadt(store::Database& db, const core::Config& cfg, const fs::path& dir,
                               const SeedOptions& opts) {
  fs::path services = dir.has_filename() ? dir : dir.parent_path();  // "demo/services/" too
  fs::path file = services.parent_path() / "beispielstadt.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    std::printf("no %s: Gemeinde Beispielstadt skipped\n", file.string().c_str());
    return core::OkStatus();
  }
  AW_ASSIGN_OR_RETURN(std::string text, ReadText(file));
  AW_ASSIGN_OR_RETURN(Json demo, core::ParseJson(text));
  const std::string tenant = demo["tenant"]["id"].get<std::string>();
  catalog::Catalog cat(db);
  if (cat.GetTenant(tenant).ok()) {
    std::printf("Gemeinde Beispielstadt exists already; nothing to do\n");
    return core::OkStatus();
  }
  AW_TRY(DeclareMusterlandParameters(db, dir));
  AW_TRY(cat.CreateTenant(demo["tenant"]));
  for (const Json& d : demo["departments"]) AW_TRY(cat.CreateDepartment(tenant, d));
  engine::Engine engine(db);
  packages::Installer inst(db, engine, cat);
  // Amt Musterland signs; Beispielstadt trusts that key.
  packages::KeyPair key = packages::GenerateKeyPair();
  AW_TRY(inst.TrustKey(tenant, key.public_key, "Amt Musterland (demo seed)"));
  AW_ASSIGN_OR_RETURN(auto trusted, inst.TrustedKeys(tenant));
  for (const DemoService& s : Services()) {
    packages::ExportRequest req{.tenant = kTenant, .service_id = std::string("musterland-") + s.dir};
    fs::path templates = dir / s.dir / "bescheide";
    if (fs::is_directory(templates, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(templates)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        AW_ASSIGN_OR_RETURN(std::string t, ReadText(f));
        req.extra_files.push_back({"templates/" + f.filename().string(), std::move(t)});
      }
    }
    AW_ASSIGN_OR_RETURN(std::string zip, inst.Export(req, key.secret));
    std::string label = std::string(s.dir) + ".zip";
    AW_ASSIGN_OR_RETURN(packages::Package pkg, packages::OpenPackage(zip, label, trusted, true, kVersion));
    AW_ASSIGN_OR_RETURN(Json done, inst.Install(pkg, {.tenant = tenant, .service_id = "", .parameters = demo["services"][s.dir]}));
    records::Records records(db, cat, engine, {.files_dir = cfg.storage.files_dir});
    AW_TRY(InstallPackageTemplates(records, tenant, done["service"]["id"].get<std::string>(), pkg));
    std::printf("  imported package %s version %s as service %s (process version %d)\n", pkg.manifest.name.c_str(),
                pkg.manifest.version.c_str(), done["service"]["id"].get<std::string>().c_str(),
                done["installed"]["processVersion"].get<int>());
  }
  if (!opts.users) return core::OkStatus();
  auth::Service accounts(db, cfg.auth, core::SystemClock::Instance());
  std::printf("Gemeinde Beispielstadt created: %zu departments, 3 services imported as packages from Amt Musterland "
              "(key %s). Staff accounts (passwords shown once):\n",
              demo["departments"].size(), key.public_key.id.c_str());
  for (const Json& u : demo["users"]) {
    std::string password = auth::RandomSecret(12);
    std::string login = u["login"].get<std::string>();
    AW_TRY(accounts.CreateUser(tenant, "cli",
                               {.login = login,
                                .display_name = u["name"].get<std::string>(),
                                .email = login + "@beispielstadt.example",
                                .password = password,
                                .roles = u["roles"].get<std::vector<std::string>>(),
                                .departments = u["departments"].get<std::vector<std::string>>()}));
    std::printf("  %-16s %-16s %s\n", login.c_str(), u["roles"][0].get<std::string>().c_str(), password.c_str());
  }
  std::printf("Portal: /%s   Workspace: /arbeitsplatz/%s\n", tenant.c_str(), tenant.c_str());
  return core::OkStatus();
}

}  // namespace

core::Status SeedDemoTenants(store::Database& db, const core::Config& cfg, const fs::path& dir,
                             const SeedOptions& options) {
  bool created = false;
  AW_TRY(Seed(db, cfg, dir, options, &created));
  return SeedBeispielstadt(db, cfg, dir, options);
}

int RunDemoSeed(const CommonFlags& common, const std::string& dir, int history) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  if (!fs::is_directory(fs::path(dir) / "plakatierung")) {
    ReportError(core::NotFound(dir + ": no demo services here (expected demo/services/<service>/)"));
    return 1;
  }
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  // A database seeded by an older version keeps its older demo (forms and
  // processes are never replaced by the seed); its history may then not fit.
  const bool seeded_before = catalog::Catalog(*db).GetTenant(kTenant).ok();
  core::Status seeded = SeedDemoTenants(*db, *cfg, dir);
  if (seeded.ok() && history > 0) {
    auto began = std::chrono::steady_clock::now();
    auto h = SeedDemoHistory(*db, {.cases = history, .files_dir = cfg->storage.files_dir});
    if (!h.ok() && seeded_before) {
      // Not fatal there: the municipalities are usable (`make run` serves them).
      std::printf("demo history: stopped (%s); this database holds the demo of an older version, "
                  "so its history does not fit. Remove the database to seed the current demo afresh.\n",
                  h.error().ToString().c_str());
    } else if (!h.ok()) {
      seeded = std::move(h).error();
    } else if (h->skipped) {
      std::printf("demo history: the demo municipalities have cases already; nothing added\n");
    } else {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
      std::printf("demo history: %d applications of the last %d days run through the engine in %.1f s "
                  "(%d ended, %d open)\n",
                  h->submitted, HistoryOptions{}.days, secs, h->completed, h->open);
    }
  }
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!seeded.ok()) {
    core::Error e = std::move(seeded).error();
    e.WithContext("demo seed");
    ReportError(e);
    return 1;
  }
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  return 0;
}

}  // namespace amtsweg::app
