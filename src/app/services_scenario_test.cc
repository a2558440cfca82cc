// Every path of the three demo services, end to end and in-process, on
// SQLite and PostgreSQL: the demo seed installs them in Amt Musterland and
// imports them as packages into Gemeinde Beispielstadt (its own parameters);
// then, with the real components wired as `serve` wires them (DemoWorld):
// the citizen submits through intake, the engine runs the process on a
// manual clock (deadlines pass by moving it and firing due timers), the
// Bescheid worker writes the PDF and delivers it to the postbox, the postbox
// worker sends requests for information, case workers claim and complete
// tasks through the workspace (form validation), the citizen answers in the
// postbox. Every scenario runs in both municipalities (Musterland/…,
// Beispielstadt/…); expectations (fees, deadlines, departments) are computed
// here from the parameters of the municipality, never copied from outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/demo.h"
#include "app/demo_world.h"
#include "core/json.h"
#include "core/time.h"
#include "records/bescheid.h"
#include "records/records_test_util.h"
#include "store/store_test_util.h"

namespace amtsweg::app {
namespace {

using core::Json;
namespace fs = std::filesystem;

const fs::path kDemo = fs::path(AMTSWEG_SOURCE_DIR) / "demo" / "services";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

core::Timestamp At(const std::string& iso) { return core::ParseIso8601(iso).value(); }
std::string Day(core::Timestamp t) { return core::FormatIso8601(t).substr(0, 10); }
core::Timestamp Plus(core::Timestamp t, int days) { return t + std::chrono::days(days); }

// The amount as the Bescheid's `betrag` filter writes it: "1.234,50 €".
std::string Euro(double v) {
  long cents = std::lround(v * 100);
  std::string whole = std::to_string(cents / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += '.';
    grouped += whole[i];
  }
  return fmt::format("{},{:02d} €", grouped, cents % 100);
}

// The clock of every scenario starts here (a Monday, before the summer time).
const core::Timestamp kT0 = At("2027-03-01T08:00:00Z");

class ScenarioTest : public store::testing::StoreTest {
 public:
  virtual bool InB() const = 0;

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-scenario-files-" + store::testing::RandomSuffix());
    core::Config cfg;
    cfg.storage.files_dir = files_dir_.string();
    auto seeded = SeedDemoTenants(*db_, cfg, kDemo, {.users = false, .open_data = false});
    ASSERT_TRUE(seeded.ok()) << seeded.error().ToString();
    world_ = std::make_unique<DemoWorld>(*db_, files_dir_, kT0);
    Json b = core::ParseJson(ReadFile(kDemo.parent_path() / "beispielstadt.json")).value();
    for (const char* dir : {"plakatierung", "negativbescheinigung", "aufgrabegenehmigung"}) {
      // What the process runs with: A's values, in B overridden by B's (the
      // declarations' defaults are A's values).
      Json values = core::ParseJson(ReadFile(kDemo / dir / "parameters.json")).value()["values"];
      if (InB()) values.update(b["services"][dir]);
      params_[dir] = values;
    }
  }
  void TearDown() override {
    world_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  std::string tenant() const { return InB() ? kDemoTenantB : kDemoTenantA; }
  std::string Service(const std::string& dir) const { return (InB() ? "gemeinde-beispielstadt-" : "musterland-") + dir; }
  const Json& Params(const std::string& dir) { return params_[dir]; }
  double Num(const std::string& dir, const std::string& name) { return Params(dir)[name].get<double>(); }
  std::string Dept(const std::string& dir, const std::string& name) { return Params(dir)[name].get<std::string>(); }
  DemoWorld& w() { return *world_; }

  Receipt Submit(const std::string& dir, const Json& data, std::vector<intake::Upload> files = {}) {
    auto r = w().Submit(Service(dir), data, std::move(files));
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : Receipt{};
  }
  void AdvanceTo(core::Timestamp t) {
    auto r = w().AdvanceTo(t);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  std::vector<engine::UserTask> Tasks(const Receipt& r) {
    auto t = w().Tasks(tenant(), r.instance_id);
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? *t : std::vector<engine::UserTask>{};
  }
  std::vector<std::string> TaskElements(const Receipt& r) {
    std::vector<std::string> out;
    for (const auto& t : Tasks(r)) out.push_back(t.element_id);
    return out;
  }
  // The one open task of element `element`, which must be offered to `group`.
  std::string Task(const Receipt& r, const std::string& element, const std::string& group) {
    for (const auto& t : Tasks(r)) {
      if (t.element_id != element) continue;
      EXPECT_EQ(t.candidate_groups, std::vector<std::string>{group}) << element;
      task_receipts_[t.task_id] = r;
      return t.task_id;
    }
    auto inst = Instance(r);
    std::string incidents;
    if (auto i = w().engine().ListIncidents(tenant(), r.instance_id); i.ok()) {
      for (const auto& x : *i) incidents += x.element_id + ": " + x.message + "; ";
    }
    ADD_FAILURE() << "no open task " << element << "; open: " << fmt::format("{}", fmt::join(TaskElements(r), ", "))
                  << "; instance " << inst.state << " at " << fmt::format("{}", fmt::join(inst.active_elements, ", "))
                  << "; incidents: " << incidents;
    return "";
  }
  // Completes the task as `login` would in the workspace. Every completion
  // also checks the workspace's Bescheid look-ahead against what really
  // happens: the Bescheid records::ExpectBescheid names for these values
  // beforehand is the next one the process sends, and none is sent when it
  // names none (and the way was clear).
  Json Complete(const std::string& task_id, const Json& data, const std::string& login = "sachbearbeitung") {
    auto receipt = task_receipts_.find(task_id);
    std::optional<records::ExpectedBescheid> expected;
    size_t before = 0;
    if (receipt != task_receipts_.end()) {
      auto e = records::ExpectBescheid(w().records(), tenant(), receipt->second.case_id, task_id, data);
      EXPECT_TRUE(e.ok()) << e.error().ToString();
      if (e.ok()) expected = *e;
      before = Bescheide(receipt->second).size();
    }
    auto out = w().CompleteTask(tenant(), task_id, data, login);
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    if (expected && out.ok()) {
      auto after = Bescheide(receipt->second);
      if (!expected->vorlage.empty()) {
        ++look_aheads_checked_;
        EXPECT_GT(after.size(), before) << "expected Bescheid " << expected->vorlage << " was not sent";
        if (after.size() > before) {
          EXPECT_EQ(after[before].vorlage, expected->vorlage);
        }
      } else if (expected->undetermined.empty()) {
        EXPECT_EQ(after.size(), before) << "a Bescheid was sent that the look-ahead did not expect: "
                                        << after.back().vorlage;
      }
    }
    return out.ok() ? *out : Json();
  }
  int look_aheads_checked() const { return look_aheads_checked_; }
  engine::InstanceInfo Instance(const Receipt& r) {
    auto i = w().engine().GetInstance(tenant(), r.instance_id);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    return i.ok() ? *i : engine::InstanceInfo{};
  }
  // Element ids with `event` in the instance's history (e.g. element_completed).
  std::multiset<std::string> Elements(const Receipt& r, const std::string& event = "element_completed") {
    std::multiset<std::string> out;
    auto h = w().engine().History(tenant(), r.instance_id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == event) out.insert(e.element_id);
      }
    }
    return out;
  }
  std::string CaseStatus(const Receipt& r) {
    auto c = w().cases().Get(tenant(), r.case_id);
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->status : "";
  }
  struct Bescheid {
    std::string vorlage, text;
  };
  // The case's Bescheid documents, oldest first (ids are time-ordered): template (from the file
  // name bescheid-<vorlage>-<case number>.pdf) and the PDF's text.
  std::vector<Bescheid> Bescheide(const Receipt& r) {
    std::vector<Bescheid> out;
    auto docs = w().records().ListDocuments(tenant(), r.case_id);
    EXPECT_TRUE(docs.ok());
    if (!docs.ok()) return out;
    for (const auto& d : *docs) {
      const auto& v = d.versions.back();
      if (v.kind != "bescheid") continue;
      std::string prefix = "bescheid-", suffix = "-" + r.case_number + ".pdf";
      EXPECT_TRUE(v.filename.starts_with(prefix) && v.filename.ends_with(suffix)) << v.filename;
      auto bytes = w().records().ReadVersion(tenant(), r.case_id, d.document_id, v.version);
      EXPECT_TRUE(bytes.ok());
      out.push_back({v.filename.substr(prefix.size(), v.filename.size() - prefix.size() - suffix.size()),
                     bytes.ok() ? records::testing::PdfText(bytes->second) : ""});
    }
    return out;
  }
  // Checks that the case has exactly one Bescheid, of template `vorlage`, whose text contains each
  // of `phrases`; returns its text ("" when there is not exactly one).
  std::string OnlyBescheid(const Receipt& r, const std::string& vorlage, const std::vector<std::string>& phrases = {}) {
    auto b = Bescheide(r);
    EXPECT_EQ(b.size(), 1u);
    if (b.size() != 1) return "";
    EXPECT_EQ(b[0].vorlage, vorlage);
    for (const auto& p : phrases) EXPECT_NE(b[0].text.find(p), std::string::npos) << p << "\n---\n" << b[0].text;
    return b[0].text;
  }
  std::vector<std::string> Vorlagen(const Receipt& r) {
    std::vector<std::string> out;
    for (const auto& b : Bescheide(r)) out.push_back(b.vorlage);
    return out;
  }
  // What the citizen sees in the postbox, oldest first.
  Json Postbox(const Receipt& r) {
    auto m = w().postfach().ListForCitizen(r.tracking_code, r.key);
    EXPECT_TRUE(m.ok()) << m.error().ToString();
    return m.ok() ? (*m)["items"] : Json::array();
  }
  void Reply(const Receipt& r, const std::string& text) {
    auto out = w().Reply(r, "Nachreichung", text);
    ASSERT_TRUE(out.ok()) << out.error().ToString();
  }

 private:
  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<DemoWorld> world_;
  std::map<std::string, Json> params_;
  std::map<std::string, Receipt> task_receipts_;
  int look_aheads_checked_ = 0;
};

class Musterland : public ScenarioTest {
 public:
  bool InB() const override { return false; }
};
class Beispielstadt : public ScenarioTest {
 public:
  bool InB() const override { return true; }
};

// One scenario, run in both municipalities.
#define SCENARIO(Name)                              \
  void Name(ScenarioTest& s);                       \
  TEST_P(Musterland, Name) { Name(*this); }         \
  TEST_P(Beispielstadt, Name) { Name(*this); }      \
  void Name(ScenarioTest& s)

// ---------------------------------------------------------------- Plakatierung

const std::string kPlakatVon = "2027-03-20", kPlakatBis = "2027-03-29";  // 10 days, both counted
constexpr int kPlakatTage = 10;

Json PosterApplication(const std::string& zweck, int anzahl) {
  Json d = {{"antragsteller",
             {{"name", "Heimatverein Musterdorf e. V."}, {"strasse", "Dorfstraße 3"}, {"plz", "24999"},
              {"ort", "Musterdorf"}, {"email", "vorstand@heimatverein.example"}, {"telefon", "+49 4600 1234"}}},
            {"zweck", zweck},
            {"veranstaltung", "Frühlingsfest am Markt"},
            {"zeitraum", {{"von", kPlakatVon}, {"bis", kPlakatBis}}},
            {"plakate", {{"anzahl", anzahl}, {"groesse", "A1"}}},
            {"standorte", {{{"strasse", "Dorfstraße"}, {"anzahl", anzahl / 2}}, {{"strasse", "Am Markt"}, {"anzahl", anzahl - anzahl / 2}}}},
            {"verantwortlich", {{"name", "Jürgen Jäger"}, {"telefon", "+49 170 1234567"}}},
            {"bestaetigung", true}};
  return d;
}

// The fee of the service's statute: rate per poster and day, at least the minimum fee.
double PosterFee(ScenarioTest& s, int anzahl, int tage) {
  return std::max(s.Num("plakatierung", "mindestgebuehr"), anzahl * tage * s.Num("plakatierung", "satzProPlakatUndTag"));
}

// Submitted and approved: permit with the fee, delivered to the postbox.
Receipt ApprovedPosters(ScenarioTest& s, const std::string& zweck, int anzahl) {
  Receipt r = s.Submit("plakatierung", PosterApplication(zweck, anzahl));
  std::string task = s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle"));
  Json out = s.Complete(task, {{"entscheidung", "genehmigen"}, {"auflagen", "Nicht an Bäumen befestigen."}});
  EXPECT_EQ(out["caseStatus"], "in_progress");
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"erlaubnis"});
  return r;
}

SCENARIO(PlakatierungApprovedWithFeeThenRemovalChecked) {
  const int anzahl = 40;
  Receipt r = s.Submit("plakatierung", PosterApplication("gewerblich", anzahl));
  ASSERT_FALSE(r.instance_id.empty());
  EXPECT_EQ(s.CaseStatus(r), "received");
  Json bewertung = s.Instance(r).variables["bewertung"];
  double fee = PosterFee(s, anzahl, kPlakatTage);
  EXPECT_NEAR(bewertung["gebuehr"].get<double>(), fee, 0.001) << bewertung.dump();
  EXPECT_EQ(bewertung["tage"], kPlakatTage);
  EXPECT_EQ(bewertung["befreit"], false);
  EXPECT_TRUE(bewertung["hinweise"].empty()) << bewertung.dump();
  std::string task = s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle"));
  s.Complete(task, {{"entscheidung", "genehmigen"}, {"auflagen", "Nicht an Bäumen befestigen."}});
  s.OnlyBescheid(r, "erlaubnis",
                 {"Die Gebühr für diese Erlaubnis beträgt " + Euro(fee), "Nicht an Bäumen befestigen.", r.case_number});
  Json box = s.Postbox(r);
  ASSERT_EQ(box.size(), 1u) << box.dump();
  ASSERT_EQ(box[0]["attachments"].size(), 1u) << box.dump();
  EXPECT_EQ(box[0]["attachments"][0]["filename"], "bescheid-erlaubnis-" + r.case_number + ".pdf");
  EXPECT_EQ(s.CaseStatus(r), "in_progress");  // the removal is still to be checked

  // The removal deadline: entfernungsfristTage days after the period; the
  // check is due the morning after.
  int frist = static_cast<int>(s.Num("plakatierung", "entfernungsfristTage"));
  core::Timestamp bis = At(kPlakatBis + "T00:00:00Z");
  s.AdvanceTo(Plus(bis, frist) + std::chrono::hours(20));
  EXPECT_TRUE(s.Tasks(r).empty());
  s.AdvanceTo(Plus(bis, frist + 1) + std::chrono::hours(12));
  std::string check = s.Task(r, "kontrolle", s.Dept("plakatierung", "zustaendigeStelle"));
  Json done = s.Complete(check, {{"entfernt", true}});
  EXPECT_EQ(done["instanceState"], "completed");
  EXPECT_EQ(done["caseStatus"], "closed");
  EXPECT_EQ(s.Elements(r).count("ende"), 1u);
  EXPECT_EQ(s.Vorlagen(r).size(), 1u);  // no reminder
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

SCENARIO(PlakatierungPostersLeftUpGetReminderBescheid) {
  Receipt r = ApprovedPosters(s, "gewerblich", 30);
  int frist = static_cast<int>(s.Num("plakatierung", "entfernungsfristTage"));
  s.AdvanceTo(Plus(At(kPlakatBis + "T00:00:00Z"), frist + 1) + std::chrono::hours(12));
  std::string check = s.Task(r, "kontrolle", s.Dept("plakatierung", "zustaendigeStelle"));
  s.Complete(check, {{"entfernt", false}, {"bemerkung", "Am Markt hängen noch fünf Plakate."}});
  EXPECT_EQ(s.Elements(r).count("ende_mahnung"), 1u);
  auto bescheide = s.Bescheide(r);
  ASSERT_EQ(bescheide.size(), 2u);
  EXPECT_EQ(bescheide[1].vorlage, "aufforderung-entfernung");
  EXPECT_NE(bescheide[1].text.find("Am Markt hängen noch fünf Plakate."), std::string::npos) << bescheide[1].text;
  EXPECT_EQ(s.Postbox(r).size(), 2u);
  EXPECT_EQ(s.Instance(r).state, "completed");
  EXPECT_EQ(s.CaseStatus(r), "closed");  // closed by the Bescheid's job, not by a task
}

SCENARIO(PlakatierungNonProfitEventIsFeeExempt) {
  Receipt r = ApprovedPosters(s, "gemeinnuetzig", 60);
  Json bewertung = s.Instance(r).variables["bewertung"];
  EXPECT_EQ(bewertung["befreit"], true);
  EXPECT_EQ(bewertung["gebuehr"], 0);
  EXPECT_NE(s.Bescheide(r)[0].text.find("beträgt " + Euro(0)), std::string::npos) << s.Bescheide(r)[0].text;
}

SCENARIO(PlakatierungRefused) {
  Receipt r = s.Submit("plakatierung", PosterApplication("gewerblich", 20));
  std::string task = s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle"));
  s.Complete(task, {{"entscheidung", "ablehnen"}, {"begruendung", "Im Zeitraum ist der Markt wegen Bauarbeiten gesperrt."}});
  EXPECT_EQ(s.Elements(r).count("ende_abgelehnt"), 1u);
  s.OnlyBescheid(r, "ablehnung", {"wegen Bauarbeiten gesperrt"});
  EXPECT_EQ(s.Postbox(r).size(), 1u);
  EXPECT_TRUE(s.Tasks(r).empty());
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

// Asks for details: a postbox message (no Bescheid) naming what is missing and the deadline.
Receipt PostersWithDetailsRequested(ScenarioTest& s) {
  Receipt r = s.Submit("plakatierung", PosterApplication("gewerblich", 20));
  std::string task = s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle"));
  s.Complete(task, {{"entscheidung", "nachfragen"}, {"nachforderung", "Bitte nennen Sie die genauen Laternenmasten."}});
  Json box = s.Postbox(r);
  EXPECT_EQ(box.size(), 1u) << box.dump();
  if (box.size() == 1u) {
    std::string text = box[0]["text"];
    EXPECT_NE(text.find("Bitte nennen Sie die genauen Laternenmasten."), std::string::npos) << text;
    int frist = static_cast<int>(s.Num("plakatierung", "nachreichfristTage"));
    EXPECT_NE(text.find(fmt::format("innerhalb von {} Tagen", frist)), std::string::npos) << text;
    EXPECT_TRUE(box[0]["attachments"].empty());
  }
  EXPECT_TRUE(s.Bescheide(r).empty());
  EXPECT_TRUE(s.Tasks(r).empty());
  return r;
}

SCENARIO(PlakatierungDetailsRequestedCitizenRepliesThenApproved) {
  Receipt r = PostersWithDetailsRequested(s);
  s.AdvanceTo(kT0 + std::chrono::days(2));
  s.Reply(r, "Masten 4, 7 und 12 in der Dorfstraße.");
  EXPECT_EQ(s.Elements(r).count("nachgereicht"), 1u);
  std::string task = s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle"));
  s.Complete(task, {{"entscheidung", "genehmigen"}});
  EXPECT_EQ(s.Elements(r, "element_activated").count("pruefen"), 2u);
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"erlaubnis"});
  // The deadline of the request was removed with the reply: nothing more fires before the removal check.
  s.AdvanceTo(kT0 + std::chrono::days(16));
  EXPECT_EQ(s.Elements(r).count("frist"), 0u);
  EXPECT_EQ(s.Vorlagen(r).size(), 1u);
}

SCENARIO(PlakatierungDetailsNotSuppliedInTimeRefused) {
  Receipt r = PostersWithDetailsRequested(s);
  int frist = static_cast<int>(s.Num("plakatierung", "nachreichfristTage"));
  s.AdvanceTo(kT0 + std::chrono::days(frist) - std::chrono::hours(1));
  EXPECT_TRUE(s.Bescheide(r).empty());
  EXPECT_EQ(s.Instance(r).active_elements, std::vector<std::string>{"warten"});
  s.AdvanceTo(kT0 + std::chrono::days(frist) + std::chrono::hours(1));
  EXPECT_EQ(s.Elements(r).count("frist"), 1u);
  EXPECT_EQ(s.Elements(r).count("ende_unv"), 1u);
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"ablehnung-unvollstaendig"});
  EXPECT_NE(s.Bescheide(r)[0].text.find("Laternenmasten"), std::string::npos) << s.Bescheide(r)[0].text;
  EXPECT_EQ(s.Postbox(r).size(), 2u);
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

SCENARIO(PlakatierungElectionPostersRuleAndExemption) {
  int weeks = static_cast<int>(s.Num("plakatierung", "wahlwerbungWochenVorWahl"));
  // Election day one week after the allowed window begins: the posters start too early.
  Json early = PosterApplication("wahlwerbung", 80);
  early["veranstaltung"] = "Kommunalwahl";
  early["wahltag"] = Day(Plus(At(kPlakatVon + "T00:00:00Z"), weeks * 7 + 7));
  Receipt r = s.Submit("plakatierung", early);
  Json bewertung = s.Instance(r).variables["bewertung"];
  std::string hinweis = fmt::format("Wahlwerbung beginnt früher als {} Wochen vor der Wahl.", weeks);
  EXPECT_EQ(bewertung["hinweise"], Json::array({hinweis})) << bewertung.dump();
  EXPECT_EQ(bewertung["befreit"], true);
  EXPECT_EQ(bewertung["gebuehr"], 0);
  s.Complete(s.Task(r, "pruefen", s.Dept("plakatierung", "zustaendigeStelle")),
             {{"entscheidung", "ablehnen"}, {"begruendung", hinweis}});
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"ablehnung"});
  // Inside the window: no remark, permit free of charge.
  Json in_time = early;
  in_time["wahltag"] = Day(Plus(At(kPlakatVon + "T00:00:00Z"), weeks * 7));
  Receipt ok = s.Submit("plakatierung", in_time);
  EXPECT_TRUE(s.Instance(ok).variables["bewertung"]["hinweise"].empty());
}

// The municipality's own limits (hoechstdauerTage, hoechstzahlPlakate): 18 days and 120 posters are
// within Musterland's limits (21, 150) and beyond Beispielstadt's (14, 100).
SCENARIO(PlakatierungLimitsAreTheMunicipalitys) {
  const int tage = 18, anzahl = 120;
  Json data = PosterApplication("gewerblich", anzahl);
  data["zeitraum"]["bis"] = Day(Plus(At(kPlakatVon + "T00:00:00Z"), tage - 1));
  Receipt r = s.Submit("plakatierung", data);
  Json bewertung = s.Instance(r).variables["bewertung"];
  Json expected = Json::array();
  int max_anzahl = static_cast<int>(s.Num("plakatierung", "hoechstzahlPlakate"));
  int max_tage = static_cast<int>(s.Num("plakatierung", "hoechstdauerTage"));
  if (anzahl > max_anzahl) expected.push_back(fmt::format("Mehr als {} Plakate beantragt.", max_anzahl));
  if (tage > max_tage) expected.push_back(fmt::format("Dauer über {} Tage.", max_tage));
  EXPECT_EQ(bewertung["hinweise"], expected) << bewertung.dump();
  EXPECT_EQ(s.InB(), !expected.empty());
  EXPECT_NEAR(bewertung["gebuehr"].get<double>(), PosterFee(s, anzahl, tage), 0.001) << bewertung.dump();
}

// ------------------------------------------------------ Negativbescheinigung

const std::string kEingang = "2027-03-01";  // the contract reached the office (the clock's first day)

// A parcel of the first area the municipality lists (flurstuecke "Flur/Flurstück"), or one outside every area.
Json SaleApplication(ScenarioTest& s, bool in_area) {
  Json parcel = {{"flur", 9}, {"flurstueck", "999"}};
  std::string gemarkung = s.Params("negativbescheinigung")["gebiete"][0]["gemarkung"];
  if (in_area) {
    std::string f = s.Params("negativbescheinigung")["gebiete"][0]["flurstuecke"][0];
    parcel = {{"flur", std::stoi(f.substr(0, f.find('/')))}, {"flurstueck", f.substr(f.find('/') + 1)}};
  }
  return Json{{"notar", {{"name", "Dr. Nora Notar"}, {"amtssitz", "Schleswig"}, {"email", "notar@kanzlei.example"},
                         {"telefon", "+49 4621 999"}}},
              {"vertrag", {{"urNr", "123/2027"}, {"datum", "2027-02-20"}, {"eingangAmt", kEingang},
                           {"verkaeufer", "Erika Muster"}, {"kaeufer", "Max Beispiel"}}},
              {"grundstueck", {{"gemarkung", gemarkung}, {"flurstuecke", Json::array({parcel})},
                               {"grundbuchVon", gemarkung}, {"blatt", "1234"}, {"anschrift", "Hauptstraße 5"},
                               {"flaeche", 812}}},
              {"vertragsdatei", "files::vertrag"}};
}

Receipt SubmitSale(ScenarioTest& s, bool in_area) {
  return s.Submit("negativbescheinigung", SaleApplication(s, in_area),
                  {{"files::vertrag", "Kaufvertrag.pdf", DemoPdf("Kaufvertrag UR-Nr. 123/2027")}});
}

SCENARIO(NegativbescheinigungNoRightCertificateAtOnce) {
  Receipt r = SubmitSale(s, false);
  EXPECT_EQ(s.Instance(r).variables["vorkaufsrecht"]["besteht"], false);
  EXPECT_TRUE(s.Tasks(r).empty());
  EXPECT_EQ(s.Elements(r).count("ende_zeugnis"), 1u);
  s.OnlyBescheid(r, "negativzeugnis",
                 {"Vorkaufsrecht nach den §§ 24 bis 28 des Baugesetzbuchs (BauGB) nicht zu", "UR-Nr. 123/2027"});
  EXPECT_EQ(s.Postbox(r).size(), 1u);
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

Receipt SaleWithRight(ScenarioTest& s) {
  Receipt r = SubmitSale(s, true);
  Json v = s.Instance(r).variables["vorkaufsrecht"];
  EXPECT_EQ(v["besteht"], true) << v.dump();
  EXPECT_EQ(v["gebiete"], Json::array({s.Params("negativbescheinigung")["gebiete"][0]["name"]})) << v.dump();
  EXPECT_TRUE(s.Bescheide(r).empty());
  return r;
}

SCENARIO(NegativbescheinigungRightNotExercisedCertificate) {
  Receipt r = SaleWithRight(s);
  std::string task = s.Task(r, "ausuebung", s.Dept("negativbescheinigung", "zustaendigeStelle"));
  s.Complete(task, {{"ausueben", false}, {"begruendung", "Das Wohl der Allgemeinheit rechtfertigt die Ausübung nicht."}});
  EXPECT_EQ(s.Elements(r).count("ende_nicht"), 1u);
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"nichtausuebung"});
  EXPECT_EQ(s.Postbox(r).size(), 1u);
  EXPECT_EQ(s.CaseStatus(r), "closed");
  // The deadline's timers went with the task.
  s.AdvanceTo(At("2027-07-01T12:00:00Z"));
  EXPECT_EQ(s.Vorlagen(r).size(), 1u);
  EXPECT_EQ(s.Elements(r).count("eskalation"), 0u);
}

SCENARIO(NegativbescheinigungRightExercisedAfterCouncilDecision) {
  Receipt r = SaleWithRight(s);
  std::string dept = s.Dept("negativbescheinigung", "zustaendigeStelle");
  s.Complete(s.Task(r, "ausuebung", dept), {{"ausueben", true}, {"begruendung", "Fläche für die Schulerweiterung."}});
  EXPECT_TRUE(s.Bescheide(r).empty());
  s.Complete(s.Task(r, "beschluss", dept), Json::object());
  EXPECT_EQ(s.Elements(r).count("ende_ausgeuebt"), 1u);
  s.OnlyBescheid(r, "ausuebung", {"Fläche für die Schulerweiterung."});
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

// § 28 Abs. 2 BauGB: three months from the notification (1 March: until 1 June 24:00, § 188 Abs. 2 BGB);
// after two months the head of office is told (non-interrupting), when the right lapses the certificate is issued.
SCENARIO(NegativbescheinigungTwoMonthsEscalateThreeMonthsLapse) {
  Receipt r = SaleWithRight(s);
  std::string dept = s.Dept("negativbescheinigung", "zustaendigeStelle");
  s.AdvanceTo(At("2027-04-30T12:00:00Z"));
  EXPECT_EQ(s.TaskElements(r), std::vector<std::string>{"ausuebung"});
  s.AdvanceTo(At("2027-05-01T12:00:00Z"));
  auto open = s.TaskElements(r);
  EXPECT_EQ(std::set<std::string>(open.begin(), open.end()), (std::set<std::string>{"ausuebung", "amtsleitung"}));
  s.Complete(s.Task(r, "amtsleitung", s.Dept("negativbescheinigung", "leitung")), Json::object(), "leitung");
  EXPECT_EQ(s.Elements(r).count("ende_info"), 1u);
  EXPECT_EQ(s.Instance(r).state, "active");
  // The last day of the period: the right can still be exercised.
  s.AdvanceTo(At("2027-06-01T20:00:00Z"));
  EXPECT_EQ(s.TaskElements(r), std::vector<std::string>{"ausuebung"});
  EXPECT_TRUE(s.Bescheide(r).empty());
  // The next day it has lapsed: the certificate of non-exercise, the task is gone.
  s.AdvanceTo(At("2027-06-02T08:00:00Z"));
  EXPECT_EQ(s.Elements(r).count("erloschen"), 1u);
  EXPECT_EQ(s.Elements(r, "element_terminated").count("ausuebung"), 1u);
  EXPECT_TRUE(s.Tasks(r).empty());
  EXPECT_EQ(s.Vorlagen(r), std::vector<std::string>{"nichtausuebung"});
  EXPECT_EQ(s.Elements(r).count("ende_nicht"), 1u);
  EXPECT_EQ(s.CaseStatus(r), "closed");
  (void)dept;
}

// ------------------------------------------------------ Aufgrabegenehmigung

Json DigApplication(const std::string& oberflaeche, const std::string& beschraenkung, double laenge, double breite) {
  return Json{{"antragsteller", {{"firma", "Stadtwerke Nord GmbH"}, {"ansprechpartner", "Petra Plan"},
                                 {"strasse", "Werkstraße 1"}, {"plz", "24837"}, {"ort", "Schleswig"},
                                 {"email", "netz@stadtwerke.example"}, {"telefon", "+49 4621 800"}}},
              {"ausfuehrung", {{"firma", "Tiefbau Hansen KG"}, {"bauleiter", "Hans Hansen"},
                               {"bauleiterTelefon", "+49 171 5550"}}},
              {"baustelle", {{"ortsteil", "musterdorf"}, {"strasse", "Dorfstraße"}, {"hausnummerVon", "12"}}},
              {"arbeiten", {{"art", "hausanschluss"}, {"beschreibung", "Gasanschluss für Neubau"},
                            {"oberflaeche", oberflaeche}, {"laenge", laenge}, {"breite", breite}, {"tiefe", 1.2}}},
              {"zeitraum", {{"von", "2027-04-05"}, {"bis", "2027-04-14"}}},  // 10 days
              {"verkehr", {{"beschraenkung", beschraenkung}}},
              {"lageplan", "files::lageplan"},
              {"beschilderungsplan", beschraenkung == "keine" ? Json(nullptr) : Json("files::schilder")},
              {"bestaetigung", true}};
}

Receipt SubmitDig(ScenarioTest& s, const std::string& oberflaeche, const std::string& beschraenkung, double laenge,
                  double breite) {
  std::vector<intake::Upload> files = {{"files::lageplan", "Lageplan.pdf", DemoPdf("Lageplan Dorfstrasse 12")}};
  if (beschraenkung != "keine") files.push_back({"files::schilder", "RSA.pdf", DemoPdf("Verkehrszeichenplan")});
  Json data = DigApplication(oberflaeche, beschraenkung, laenge, breite);
  if (beschraenkung == "keine") data.erase("beschilderungsplan");
  return s.Submit("aufgrabegenehmigung", data, std::move(files));
}

constexpr int kDigTage = 10;

std::string SatzName(const std::string& oberflaeche) {
  if (oberflaeche == "asphalt") return "satzAsphalt";
  if (oberflaeche == "pflaster") return "satzPflaster";
  if (oberflaeche == "gehweg") return "satzGehweg";
  return "satzGruenflaeche";
}

// Complete, both reviews (the join waits for the second), approved.
void ReviewAndApprove(ScenarioTest& s, const Receipt& r) {
  std::string zust = s.Dept("aufgrabegenehmigung", "zustaendigeStelle");
  std::string verkehr = s.Dept("aufgrabegenehmigung", "verkehrsbehoerde");
  s.Complete(s.Task(r, "vollstaendigkeit", zust), {{"vollstaendig", true}});
  auto open = s.TaskElements(r);
  EXPECT_EQ(std::set<std::string>(open.begin(), open.end()), (std::set<std::string>{"tiefbau", "verkehr"}));
  s.Complete(s.Task(r, "tiefbau", zust), {{"auflagenTiefbau", "Asphalt in zwei Lagen einbauen."}});
  EXPECT_EQ(s.TaskElements(r), std::vector<std::string>{"verkehr"});  // the join waits for the traffic order
  s.Complete(s.Task(r, "verkehr", verkehr),
             {{"anordnung", "Halbseitige Sperrung mit Ampel nach RSA 21."}, {"beschilderungsplanGeprueft", true}},
             "verkehr");
  std::string decide = s.Task(r, "entscheiden", zust);
  // The model's condition is `genehmigt = true` with the refusal as default flow: an unticked
  // decision is a refusal, and the look-ahead says so, as the engine would decide.
  auto blank = records::ExpectBescheid(s.w().records(), s.tenant(), r.case_id, decide, Json::object());
  ASSERT_TRUE(blank.ok()) << blank.error().ToString();
  EXPECT_EQ(blank->vorlage, "ablehnung");
  EXPECT_EQ(blank->element_id, "bescheid_ablehnung");
  auto grant = records::ExpectBescheid(s.w().records(), s.tenant(), r.case_id, decide, {{"genehmigt", true}});
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->vorlage, "genehmigung");
  EXPECT_EQ(grant->waits, (std::vector<std::string>{"eventBasedGateway warten_fertig"}));
  int checked = s.look_aheads_checked();
  s.Complete(decide, {{"genehmigt", true}});
  EXPECT_EQ(s.look_aheads_checked(), checked + 1);  // Complete compared "genehmigung" with the letter sent
}

SCENARIO(AufgrabeApprovedAfterBothReviewsThenAcceptanceWarrantyAndRelease) {
  const double laenge = 10, breite = 1.5, flaeche = laenge * breite;
  Receipt r = SubmitDig(s, "asphalt", "halbseitig", laenge, breite);
  std::string zust = s.Dept("aufgrabegenehmigung", "zustaendigeStelle");
  Json bewertung = s.Instance(r).variables["bewertung"];
  double fee = std::max(s.Num("aufgrabegenehmigung", "mindestgebuehr"),
                        flaeche * kDigTage * s.Num("aufgrabegenehmigung", "satzAsphalt"));
  double security = flaeche > s.Num("aufgrabegenehmigung", "kautionsfreiBisM2")
                        ? flaeche * s.Num("aufgrabegenehmigung", "kautionProM2")
                        : 0;
  EXPECT_NEAR(bewertung["gebuehr"].get<double>(), fee, 0.001) << bewertung.dump();
  EXPECT_NEAR(bewertung["sicherheitsleistung"].get<double>(), security, 0.001) << bewertung.dump();
  EXPECT_EQ(bewertung["verkehrsrechtliche_anordnung"], true);
  ReviewAndApprove(s, r);
  s.OnlyBescheid(r, "genehmigung",
                 {"Die Verwaltungsgebühr für diese Genehmigung beträgt " + Euro(fee),
                  "Sicherheitsleistung für die Wiederherstellung der Oberfläche von " + Euro(security),
                  "Asphalt in zwei Lagen einbauen.", "Halbseitige Sperrung mit Ampel nach RSA 21."});
  EXPECT_EQ(s.CaseStatus(r), "in_progress");

  // The company reports completion (the message the process waits for); the surface is accepted.
  s.AdvanceTo(At("2027-04-15T09:00:00Z"));
  auto pub = s.w().engine().PublishMessage(s.tenant(), "fertigstellung-angezeigt", r.case_id);
  ASSERT_TRUE(pub.ok() && pub->correlated == 1);
  s.Complete(s.Task(r, "abnahme", zust), {{"abgenommen", true}, {"abnahmedatum", "2027-04-15"}});
  // The inspection is due two months before the warranty ends (gewaehrleistungJahre after acceptance).
  int jahre = static_cast<int>(s.Num("aufgrabegenehmigung", "gewaehrleistungJahre"));
  std::string due_month = fmt::format("{}-02-15", 2027 + jahre);  // 15 April + jahre years - 2 months
  s.AdvanceTo(At(due_month + "T00:00:00Z") - std::chrono::days(2));
  EXPECT_TRUE(s.Tasks(r).empty());
  s.AdvanceTo(At(due_month + "T12:00:00Z"));
  s.Complete(s.Task(r, "begehung", zust), Json::object());
  EXPECT_EQ(s.Elements(r).count("ende"), 1u);
  auto bescheide = s.Bescheide(r);
  ASSERT_EQ(bescheide.size(), 2u);
  EXPECT_EQ(bescheide[1].vorlage, "freigabe-sicherheitsleistung");
  EXPECT_NE(bescheide[1].text.find("Sicherheitsleistung von " + Euro(security) + " hiermit frei"), std::string::npos)
      << bescheide[1].text;
  EXPECT_NE(bescheide[1].text.find("15. April 2027"), std::string::npos) << bescheide[1].text;
  EXPECT_EQ(s.Postbox(r).size(), 2u);
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

SCENARIO(AufgrabeGreenAreaWithoutTrafficImpactOnlyTiefbauThenRefused) {
  const double laenge = 4, breite = 0.5;
  Receipt r = SubmitDig(s, "gruenflaeche", "keine", laenge, breite);
  std::string zust = s.Dept("aufgrabegenehmigung", "zustaendigeStelle");
  Json bewertung = s.Instance(r).variables["bewertung"];
  double fee = std::max(s.Num("aufgrabegenehmigung", "mindestgebuehr"),
                        laenge * breite * kDigTage * s.Num("aufgrabegenehmigung", SatzName("gruenflaeche")));
  EXPECT_NEAR(bewertung["gebuehr"].get<double>(), fee, 0.001) << bewertung.dump();
  EXPECT_EQ(bewertung["sicherheitsleistung"], 0);  // green areas: no deposit
  EXPECT_EQ(bewertung["verkehrsrechtliche_anordnung"], false);
  s.Complete(s.Task(r, "vollstaendigkeit", zust), {{"vollstaendig", true}});
  EXPECT_EQ(s.TaskElements(r), std::vector<std::string>{"tiefbau"});
  s.Complete(s.Task(r, "tiefbau", zust), {{"auflagenTiefbau", "Wurzelschutz beachten."}});
  s.Complete(s.Task(r, "entscheiden", zust),
             {{"genehmigt", false}, {"begruendung", "Die Fläche ist ein geschütztes Biotop."}});
  EXPECT_EQ(s.Elements(r).count("ende_abgelehnt"), 1u);
  EXPECT_EQ(s.Elements(r, "element_activated").count("verkehr"), 0u);
  s.OnlyBescheid(r, "ablehnung", {"geschütztes Biotop"});
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

// No completion notice: a week after the works' period (14 April) Tiefbau follows up; the works are
// not finished, so the process waits for the notice again, which then leads to the acceptance.
SCENARIO(AufgrabeNoCompletionNoticeTiefbauFollowsUp) {
  Receipt r = SubmitDig(s, "asphalt", "halbseitig", 5, 1);
  ReviewAndApprove(s, r);
  std::string zust = s.Dept("aufgrabegenehmigung", "zustaendigeStelle");
  s.AdvanceTo(At("2027-04-20T20:00:00Z"));
  EXPECT_TRUE(s.Tasks(r).empty());
  s.AdvanceTo(At("2027-04-21T12:00:00Z"));
  s.Complete(s.Task(r, "nachfassen", zust), {{"fertiggestellt", false}, {"bemerkungNachfassen", "Bauleiter: noch eine Woche."}});
  EXPECT_EQ(s.Instance(r).active_elements, std::vector<std::string>{"fertig_spaet"});
  auto pub = s.w().engine().PublishMessage(s.tenant(), "fertigstellung-angezeigt", r.case_id);
  ASSERT_TRUE(pub.ok() && pub->correlated == 1);
  ASSERT_TRUE(s.w().Drain().ok());
  EXPECT_EQ(s.TaskElements(r), std::vector<std::string>{"abnahme"});
  EXPECT_EQ(s.Elements(r).count("fertig"), 0u);
}

Receipt DigWithDocumentsRequested(ScenarioTest& s) {
  Receipt r = SubmitDig(s, "pflaster", "gehweg", 3, 1);
  s.Complete(s.Task(r, "vollstaendigkeit", s.Dept("aufgrabegenehmigung", "zustaendigeStelle")),
             {{"vollstaendig", false}, {"nachforderung", "Es fehlt der Leitungsplan des Versorgers."}});
  Json box = s.Postbox(r);
  EXPECT_EQ(box.size(), 1u);
  if (box.size() == 1u) {
    EXPECT_NE(box[0]["text"].get<std::string>().find("Es fehlt der Leitungsplan des Versorgers."), std::string::npos);
    int frist = static_cast<int>(s.Num("aufgrabegenehmigung", "nachreichfristTage"));
    EXPECT_NE(box[0]["text"].get<std::string>().find(fmt::format("innerhalb von {} Tagen", frist)), std::string::npos)
        << box[0]["text"];
  }
  EXPECT_TRUE(s.Tasks(r).empty());
  return r;
}

SCENARIO(AufgrabeDocumentsRequestedSuppliedContinues) {
  Receipt r = DigWithDocumentsRequested(s);
  s.AdvanceTo(kT0 + std::chrono::days(3));
  s.Reply(r, "Der Leitungsplan liegt bei.");
  EXPECT_EQ(s.Elements(r).count("nachgereicht"), 1u);
  std::string zust = s.Dept("aufgrabegenehmigung", "zustaendigeStelle");
  s.Complete(s.Task(r, "vollstaendigkeit", zust), {{"vollstaendig", true}});
  auto open = s.TaskElements(r);
  EXPECT_EQ(std::set<std::string>(open.begin(), open.end()), (std::set<std::string>{"tiefbau", "verkehr"}));
}

SCENARIO(AufgrabeDocumentsNotSuppliedInTimeRefused) {
  Receipt r = DigWithDocumentsRequested(s);
  int frist = static_cast<int>(s.Num("aufgrabegenehmigung", "nachreichfristTage"));
  s.AdvanceTo(kT0 + std::chrono::days(frist) - std::chrono::hours(1));
  EXPECT_TRUE(s.Bescheide(r).empty());
  s.AdvanceTo(kT0 + std::chrono::days(frist) + std::chrono::hours(1));
  EXPECT_EQ(s.Elements(r).count("ende_abgelehnt_unv"), 1u);
  s.OnlyBescheid(r, "ablehnung-unvollstaendig", {"Leitungsplan des Versorgers"});
  EXPECT_EQ(s.CaseStatus(r), "closed");
}

AW_STORE_INSTANTIATE(Musterland);
AW_STORE_INSTANTIATE(Beispielstadt);

}  // namespace
}  // namespace amtsweg::app
