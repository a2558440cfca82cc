// `amtsweg demo seed`: creates the demo municipality "Amt Musterland" with
// its departments, staff accounts and the three services of demo/services
// (BPMN, DMN and forms deployed through the engine and the catalogue, exactly
// as an administration would). Idempotent: an existing Amt Musterland is left
// as it is.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "app/database.h"
#include "auth/auth.h"
#include "auth/secrets.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "engine/engine.h"
#include "records/bescheid.h"
#include "records/records.h"

namespace amtsweg::app {
namespace {

using core::Json;
namespace fs = std::filesystem;

constexpr const char* kTenant = "amt-musterland";

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

core::Status Seed(store::Database& db, const core::Config& cfg, const fs::path& dir, bool* created) {
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
  std::printf("Portal: /amt-musterland   Workspace: /arbeitsplatz/amt-musterland   Designer: /designer/amt-musterland\n");
  return core::OkStatus();
}

}  // namespace

int RunDemoSeed(const CommonFlags& common, const std::string& dir) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  if (!fs::is_directory(fs::path(dir) / "plakatierung")) {
    ReportError(core::NotFound(dir + ": no demo services here (expected demo/services/<service>/)"));
    return 1;
  }
  auto opened = OpenAndMigrate(cfg->database, nullptr);
  if (!opened.ok()) {
    ReportError(opened.error());
    return 1;
  }
  auto& db = opened->db;
  if (auto s = db->writer().Start(); !s.ok()) {
    ReportError(s.error());
    return 1;
  }
  bool created = false;
  core::Status seeded = Seed(*db, *cfg, dir, &created);
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
