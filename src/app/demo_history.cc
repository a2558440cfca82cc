// Demo history: a few hundred applications run through the real intake,
// engine, workspace, Bescheid worker and postbox (DemoWorld) on a clock that
// starts months ago and moves forward, so the dashboards (throughput times,
// variants, backlog, trends) show what the running system produced. Case
// workers decide like an office would: mostly approvals, some refusals, some
// requests for documents (most answered in the postbox, some deadlines pass),
// pre-emption rights mostly waived, a few exercised or left to lapse. Cases
// that arrived lately stay open in the inboxes. Deterministic (seeded RNG).
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <queue>
#include <random>

#include <fmt/format.h>

#include "app/demo.h"
#include "app/demo_world.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "packages/installer.h"

namespace amtsweg::app {
namespace {

using core::Json;
using Clock = std::chrono::microseconds;

std::string Day(core::Timestamp t) { return core::FormatIso8601(t).substr(0, 10); }
core::Timestamp DaysAfter(core::Timestamp t, double days) {
  return t + std::chrono::microseconds(static_cast<int64_t>(days * 86400.0 * 1e6));
}

struct TenantInfo {
  std::string id, prefix;
  std::map<std::string, std::string> login_of_group;  // candidate group -> a case worker of it
  Json gebiete;                                        // areas with a pre-emption right
};

class History {
 public:
  History(DemoWorld& w, const HistoryOptions& o, std::vector<TenantInfo> tenants, core::Timestamp start,
          core::Timestamp end)
      : w_(w), o_(o), tenants_(std::move(tenants)), start_(start), end_(end), rng_(o.seed) {}

  core::Result<HistoryStats> Run() {
    // Arrivals: more in recent months (a service that is getting known), on working days.
    std::vector<core::Timestamp> arrivals;
    double span = std::chrono::duration<double>(end_ - start_).count() / 86400.0 - 3;
    while (static_cast<int>(arrivals.size()) < o_.cases) {
      double x = std::sqrt(Uniform(0, 1));  // density grows linearly over the period
      core::Timestamp t = DaysAfter(start_, x * span);
      int64_t day = std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
      int weekday = static_cast<int>((day + 3) % 7);  // 0 = Monday
      if (weekday >= 5 && Uniform(0, 1) < 0.85) continue;
      arrivals.push_back(t);
    }
    std::sort(arrivals.begin(), arrivals.end());
    for (size_t i = 0; i < arrivals.size(); ++i) {
      Schedule(arrivals[i], [this](int) { return Arrive(); }, -1);
    }
    while (!queue_.empty()) {
      Action a = queue_.top();
      queue_.pop();
      if (a.at > end_) break;
      AW_TRY(w_.AdvanceTo(a.at));
      AW_TRY(actions_[a.id](a.case_index));
      actions_.erase(a.id);
    }
    AW_TRY(w_.AdvanceTo(end_));
    HistoryStats stats;
    stats.submitted = static_cast<int>(cases_.size());
    for (const auto& c : cases_) {
      AW_ASSIGN_OR_RETURN(auto inst, w_.engine().GetInstance(c.tenant->id, c.receipt.instance_id));
      if (inst.state == "active") {
        ++stats.open;
      } else {
        ++stats.completed;
      }
    }
    return stats;
  }

 private:
  struct Case {
    const TenantInfo* tenant;
    std::string service;  // plakatierung | negativbescheinigung | aufgrabegenehmigung
    Receipt receipt;
    Json data;
    bool will_reply = true;     // answers a request for more information
    bool lets_lapse = false;    // Negativbescheinigung: nobody decides within the period
    int asked = 0;              // requests for information so far
    int polls = 0;
  };
  struct Action {
    core::Timestamp at;
    int64_t id;
    int case_index;
    bool operator<(const Action& o) const { return at != o.at ? at > o.at : id > o.id; }  // min-heap
  };

  double Uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
  int Int(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng_); }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  template <class T>
  T Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))]; }

  void Schedule(core::Timestamp at, std::function<core::Status(int)> fn, int case_index) {
    int64_t id = next_id_++;
    actions_[id] = std::move(fn);
    queue_.push({at, id, case_index});
  }
  // The next look at a case: a few working hours or days later, during office hours.
  core::Timestamp Later(double min_days, double max_days) {
    core::Timestamp t = DaysAfter(w_.clock().Now(), Uniform(min_days, max_days));
    auto day = std::chrono::floor<std::chrono::days>(t);
    return day + std::chrono::hours(Int(7, 14)) + std::chrono::minutes(Int(0, 59));
  }
  void Poll(int idx, double min_days, double max_days) {
    Schedule(Later(min_days, max_days), [this](int i) { return Work(i); }, idx);
  }

  core::Status Arrive() {
    Case c;
    c.tenant = &tenants_[Chance(0.6) ? 0 : 1];
    double s = Uniform(0, 1);
    c.service = s < 0.5 ? "plakatierung" : s < 0.72 ? "negativbescheinigung" : "aufgrabegenehmigung";
    std::vector<intake::Upload> files;
    if (c.service == "plakatierung") {
      c.data = PosterData();
    } else if (c.service == "negativbescheinigung") {
      c.data = SaleData(*c.tenant, &c.lets_lapse);
      files.push_back({"files::vertrag", "Kaufvertrag.pdf", DemoPdf("Kaufvertrag " + c.data["vertrag"]["urNr"].get<std::string>())});
    } else {
      c.data = DigData();
      files.push_back({"files::lageplan", "Lageplan.pdf", DemoPdf("Lageplan")});
      if (c.data.contains("beschilderungsplan")) files.push_back({"files::schilder", "RSA.pdf", DemoPdf("Verkehrszeichenplan")});
    }
    c.will_reply = Chance(0.7);
    AW_ASSIGN_OR_RETURN(c.receipt, w_.Submit(c.tenant->prefix + c.service, c.data, std::move(files)));
    cases_.push_back(std::move(c));
    int idx = static_cast<int>(cases_.size()) - 1;
    if (!cases_.back().lets_lapse) Poll(idx, 0.5, 6);
    return core::OkStatus();
  }

  // A case worker looks at the case: completes its open tasks, or the
  // applicant acts on what the process waits for.
  core::Status Work(int idx) {
    Case& c = cases_[static_cast<size_t>(idx)];
    if (++c.polls > 40) return core::OkStatus();
    AW_ASSIGN_OR_RETURN(auto inst, w_.engine().GetInstance(c.tenant->id, c.receipt.instance_id));
    if (inst.state != "active") return core::OkStatus();
    AW_ASSIGN_OR_RETURN(auto tasks, w_.Tasks(c.tenant->id, c.receipt.instance_id));
    bool acted = false;
    for (const auto& t : tasks) {
      if (t.element_id == "ausuebung" && c.lets_lapse) continue;  // the office lets the period run out
      std::string group = t.candidate_groups.empty() ? "" : t.candidate_groups.front();
      auto login = c.tenant->login_of_group.find(group);
      AW_TRY(w_.CompleteTask(c.tenant->id, t.task_id, Decide(c, t.element_id),
                             login != c.tenant->login_of_group.end() ? login->second : "sachbearbeitung"));
      acted = true;
      break;  // one task per visit; parallel reviews are done by different people on different days
    }
    double min_days = 1, max_days = 8;
    if (!acted) {
      const auto& active = inst.active_elements;
      auto waits = [&](const char* e) { return std::find(active.begin(), active.end(), e) != active.end(); };
      if (waits("gewaehrleistung")) return core::OkStatus();  // five years: the timer will bring the inspection
      min_days = 4;  // waiting for a timer or the applicant: look again less often
      max_days = 14;
      if (waits("warten") && c.will_reply) {
        AW_TRY(w_.Reply(c.receipt, "Nachreichung", "Anbei die fehlenden Angaben."));
        c.will_reply = Chance(0.5);  // asked again: maybe not
      } else if (waits("warten_fertig") || waits("fertig_spaet")) {
        // The company reports completion a few days after the period of the works.
        core::Timestamp done = core::ParseIso8601(c.data["zeitraum"]["bis"].get<std::string>() + "T12:00:00Z").value();
        if (w_.clock().Now() >= done) {
          AW_TRY(w_.engine().PublishMessage(c.tenant->id, "fertigstellung-angezeigt", c.receipt.case_id));
          AW_TRY(w_.Drain());
        }
      }
    }
    Poll(idx, min_days, max_days);
    return core::OkStatus();
  }

  Json Decide(Case& c, const std::string& element) {
    if (element == "pruefen") {
      double r = Uniform(0, 1);
      if (c.asked == 0 && r > 0.84) {
        ++c.asked;
        return {{"entscheidung", "nachfragen"},
                {"nachforderung", Pick<std::string>({"Bitte nennen Sie die genauen Standorte (Laternenmasten).",
                                                     "Bitte benennen Sie eine verantwortliche Person mit Telefonnummer.",
                                                     "Bitte reichen Sie ein Muster des Plakats nach."})}};
      }
      if (r > 0.72 || !c.data["plakate"].is_object()) {
        return {{"entscheidung", "ablehnen"},
                {"begruendung", Pick<std::string>({"Im beantragten Zeitraum ist die Ortsdurchfahrt gesperrt.",
                                                   "Die Zahl der Plakate übersteigt die Höchstzahl.",
                                                   "Wahlwerbung ist erst sechs Wochen vor der Wahl zulässig."})}};
      }
      return {{"entscheidung", "genehmigen"}, {"auflagen", Chance(0.4) ? "Nicht an Bäumen befestigen." : ""}};
    }
    if (element == "kontrolle") {
      bool removed = Chance(0.85);
      return {{"entfernt", removed}, {"bemerkung", removed ? "" : "Am Markt hängen noch Plakate."}};
    }
    if (element == "ausuebung") {
      bool exercise = Chance(0.1);
      return {{"ausueben", exercise},
              {"begruendung", exercise ? "Die Fläche wird für die Erweiterung der Schule benötigt."
                                       : "Das Wohl der Allgemeinheit rechtfertigt die Ausübung nicht."}};
    }
    if (element == "vollstaendigkeit") {
      if (c.asked == 0 && Chance(0.25)) {
        ++c.asked;
        return {{"vollstaendig", false},
                {"nachforderung", Pick<std::string>({"Es fehlt der Verkehrszeichenplan nach RSA 21.",
                                                     "Bitte reichen Sie einen Lageplan im Maßstab 1:500 nach."})}};
      }
      return {{"vollstaendig", true}};
    }
    if (element == "tiefbau") {
      return {{"auflagenTiefbau", Pick<std::string>({"Asphalt in zwei Lagen einbauen.", "Pflaster im Verband wiederherstellen.",
                                                     "Wurzelschutz beachten."})}};
    }
    if (element == "verkehr") {
      return {{"anordnung", "Absicherung nach RSA 21, Regelplan B I/2."}, {"beschilderungsplanGeprueft", true}};
    }
    if (element == "entscheiden") {
      bool ok = Chance(0.88);
      return {{"genehmigt", ok}, {"begruendung", ok ? "" : "Die Straße wurde erst vor zwei Jahren grundhaft erneuert."}};
    }
    if (element == "nachfassen") {
      bool done = Chance(0.6);
      return {{"fertiggestellt", done}, {"bemerkungNachfassen", done ? "Vor Ort festgestellt." : "Bauleiter angerufen."}};
    }
    if (element == "abnahme") return {{"abgenommen", true}, {"abnahmedatum", Day(w_.clock().Now())}};
    return Json::object();  // beschluss, amtsleitung, begehung: no form
  }

  Json Applicant() {
    static const std::vector<std::string> names = {"Heimatverein Musterdorf e. V.", "Sportverein Blau-Weiß e. V.",
                                                   "Zirkus Roncalli GmbH", "Kulturkreis Nord e. V.",
                                                   "Autohaus Petersen KG", "Freiwillige Feuerwehr Neuhof"};
    return {{"name", Pick(names)}, {"strasse", fmt::format("Dorfstraße {}", Int(1, 80))}, {"plz", "24999"},
            {"ort", "Musterdorf"}, {"email", fmt::format("kontakt{}@verein.example", Int(1, 999))},
            {"telefon", "+49 4600 1234"}};
  }

  Json PosterData() {
    core::Timestamp von = DaysAfter(w_.clock().Now(), Int(7, 30));
    int tage = Int(5, 18);
    double z = Uniform(0, 1);
    std::string zweck = z < 0.45 ? "gewerblich" : z < 0.75 ? "gemeinnuetzig" : z < 0.9 ? "wahlwerbung" : "sonstiges";
    int anzahl = Int(10, 120);
    Json d = {{"antragsteller", Applicant()},
              {"zweck", zweck},
              {"veranstaltung", zweck == "wahlwerbung" ? "Kommunalwahl" : Pick<std::string>({"Frühlingsfest", "Flohmarkt",
                                                                                                 "Konzert im Park", "Zirkusgastspiel"})},
              {"zeitraum", {{"von", Day(von)}, {"bis", Day(DaysAfter(von, tage - 1))}}},
              {"plakate", {{"anzahl", anzahl}, {"groesse", Pick<std::string>({"A1", "A2", "A0"})}}},
              {"standorte", {{{"strasse", "Dorfstraße"}, {"anzahl", anzahl / 2}}, {{"strasse", "Am Markt"}, {"anzahl", anzahl - anzahl / 2}}}},
              {"verantwortlich", {{"name", "Jürgen Jäger"}, {"telefon", "+49 170 1234567"}}},
              {"bestaetigung", true}};
    if (zweck == "wahlwerbung") d["wahltag"] = Day(DaysAfter(von, Int(20, 50)));
    return d;
  }

  Json SaleData(const TenantInfo& t, bool* lets_lapse) {
    Json parcel = {{"flur", Int(1, 12)}, {"flurstueck", std::to_string(Int(100, 400))}};
    std::string gemarkung = t.gebiete.empty() ? "Musterdorf" : t.gebiete[0]["gemarkung"].get<std::string>();
    *lets_lapse = false;
    if (!t.gebiete.empty() && Chance(0.3)) {
      const Json& g = t.gebiete[static_cast<size_t>(Int(0, static_cast<int>(t.gebiete.size()) - 1))];
      gemarkung = g["gemarkung"];
      std::string f = g["flurstuecke"][static_cast<size_t>(Int(0, static_cast<int>(g["flurstuecke"].size()) - 1))];
      parcel = {{"flur", std::stoi(f.substr(0, f.find('/')))}, {"flurstueck", f.substr(f.find('/') + 1)}};
      *lets_lapse = Chance(0.12);
    }
    core::Timestamp now = w_.clock().Now();
    return {{"notar", {{"name", Pick<std::string>({"Dr. Nora Notar", "Hans Hansen", "Karin Kruse"})}, {"amtssitz", "Schleswig"},
                       {"email", "notariat@kanzlei.example"}, {"telefon", "+49 4621 999"}}},
            {"vertrag", {{"urNr", fmt::format("{}/{}", Int(10, 999), Day(now).substr(0, 4))},
                         {"datum", Day(DaysAfter(now, -Int(3, 20)))}, {"eingangAmt", Day(now)},
                         {"verkaeufer", "Erika Muster"}, {"kaeufer", "Max Beispiel"}}},
            {"grundstueck", {{"gemarkung", gemarkung}, {"flurstuecke", Json::array({parcel})}, {"grundbuchVon", gemarkung},
                             {"blatt", std::to_string(Int(100, 3000))}, {"anschrift", fmt::format("Hauptstraße {}", Int(1, 90))},
                             {"flaeche", Int(300, 2500)}}},
            {"vertragsdatei", "files::vertrag"}};
  }

  Json DigData() {
    core::Timestamp von = DaysAfter(w_.clock().Now(), Int(10, 30));
    std::string surface = Pick<std::string>({"asphalt", "asphalt", "pflaster", "gehweg", "gruenflaeche"});
    std::string limit = surface == "gruenflaeche" ? Pick<std::string>({"keine", "keine", "gehweg"})
                                                  : Pick<std::string>({"gehweg", "halbseitig", "halbseitig", "vollsperrung"});
    Json d = {{"antragsteller", {{"firma", Pick<std::string>({"Stadtwerke Nord GmbH", "Glasfaser Nord GmbH", "Wasserverband Treene"})},
                                 {"ansprechpartner", "Petra Plan"}, {"strasse", "Werkstraße 1"}, {"plz", "24837"},
                                 {"ort", "Schleswig"}, {"email", "netz@versorger.example"}, {"telefon", "+49 4621 800"}}},
              {"ausfuehrung", {{"firma", "Tiefbau Hansen KG"}, {"bauleiter", "Hans Hansen"}, {"bauleiterTelefon", "+49 171 5550"}}},
              {"baustelle", {{"ortsteil", Pick<std::string>({"musterdorf", "beispielfelde", "neuhof"})},
                             {"strasse", Pick<std::string>({"Dorfstraße", "Am Markt", "Kirchweg", "Hauptstraße"})},
                             {"hausnummerVon", std::to_string(Int(1, 60))}}},
              {"arbeiten", {{"art", Pick<std::string>({"hausanschluss", "leitungsbau", "reparatur"})},
                            {"beschreibung", "Hausanschluss"}, {"oberflaeche", surface},
                            {"laenge", Int(2, 60)}, {"breite", Int(5, 20) / 10.0}, {"tiefe", 1.2}}},
              {"zeitraum", {{"von", Day(von)}, {"bis", Day(DaysAfter(von, Int(2, 20)))}}},
              {"verkehr", {{"beschraenkung", limit}}},
              {"lageplan", "files::lageplan"},
              {"bestaetigung", true}};
    if (limit != "keine") d["beschilderungsplan"] = "files::schilder";
    return d;
  }

  DemoWorld& w_;
  HistoryOptions o_;
  std::vector<TenantInfo> tenants_;
  core::Timestamp start_, end_;
  std::mt19937_64 rng_;
  std::priority_queue<Action> queue_;
  std::map<int64_t, std::function<core::Status(int)>> actions_;
  int64_t next_id_ = 0;
  std::vector<Case> cases_;
};

}  // namespace

core::Result<HistoryStats> SeedDemoHistory(store::Database& db, const HistoryOptions& options) {
  HistoryStats stats;
  if (options.cases <= 0) return stats;
  core::Timestamp end = options.end.value_or(core::SystemClock::Instance().Now());
  core::Timestamp start = end - std::chrono::days(options.days);
  DemoWorld w(db, options.files_dir, start);
  for (const char* t : {kDemoTenantA, kDemoTenantB}) {
    AW_ASSIGN_OR_RETURN(auto page, w.cases().List(t, cases::CaseFilter{}));
    if (!page.items.empty()) {
      stats.skipped = true;
      return stats;
    }
  }
  packages::Installer inst(db, w.engine(), w.catalog());
  std::vector<TenantInfo> tenants = {
      {kDemoTenantA, "musterland-",
       {{"ordnungsamt", "ordnung"}, {"bauamt", "bau"}, {"tiefbau", "bau"}, {"verkehrsbehoerde", "verkehr"},
        {"amtsleitung", "leitung"}},
       Json::array()},
      {kDemoTenantB, std::string(kDemoTenantB) + "-",
       {{"buergerbuero", "buergerbuero"}, {"bauverwaltung", "bauverwaltung"}, {"strassen", "bauverwaltung"},
        {"verkehrsaufsicht", "verkehrsaufsicht"}, {"buergermeister", "buergermeisterin"}},
       Json::array()}};
  for (auto& t : tenants) {
    auto params = inst.ServiceParameters(t.id, t.prefix + "negativbescheinigung");
    if (params.ok()) t.gebiete = (*params)["values"].value("gebiete", Json::array());
  }
  History h(w, options, std::move(tenants), start, end);
  return h.Run();
}

}  // namespace amtsweg::app
