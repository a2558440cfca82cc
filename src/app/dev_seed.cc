// `amtsweg dev seed`: many cases through the REAL intake path, in process
// (Intake::Submit with many submissions in flight, so the store's writer
// groups them), with data generated from each service's own form: every
// field gets a valid value, names, streets and places vary (umlauts and ß
// included), filepickers get a small PDF. Used by `amtsweg bench cases`.
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/database.h"
#include "app/dev_seed.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "forms/schema.h"
#include "intake/intake.h"

namespace amtsweg::app {
namespace {

using core::Json;
using forms::Component;
using forms::ComponentType;

const char* const kFirst[] = {"Jürgen", "Anna", "Jörg", "Sören", "Käthe", "Lena", "Mehmet", "Özlem", "Björn", "Grete",
                              "Hans", "Maria", "Ünal", "Fritz", "Leonie", "Günther", "Agnieszka", "Ole", "Małgorzata", "Till"};
const char* const kLast[] = {"Müller", "Schmidt", "Weiß", "Groß", "Schäfer", "Öztürk", "Krüger", "Jäger", "Hoffmann",
                             "Becker", "Straßburger", "Köhler", "Lorenz", "Nießen", "Brandt", "Petersen", "Jansen", "Hölzl"};
const char* const kStreet[] = {"Hauptstraße", "Lindenstraße", "Dorfstraße", "Am Mühlenteich", "Schulweg",
                               "Kirchstraße", "Bahnhofstraße", "Große Straße", "Gartenweg", "Rosenstraße", "Süderstraße",
                               "Königsweg", "Fährstraße", "Alter Markt"};
const char* const kPlace[] = {"Musterdorf", "Beispielfelde", "Neuhof", "Großenbrode", "Süderlügum", "Ölixdorf"};
const char* const kWords[] = {"Zaun", "Carport", "Wahlplakat", "Straßenfest", "Leitungsbau", "Hausanschluss",
                              "Grundstück", "Kaufvertrag", "Gehweg", "Baugrube", "Flohmarkt", "Bürgerfest",
                              "Glasfaser", "Wasserleitung", "Einfahrt", "Grünfläche", "Sperrung", "Veranstaltung"};

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&a)[N]) {
  return a[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string Digits(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
  return s;
}

std::string Date(core::Timestamp base, int days) {
  return core::FormatIso8601(base + std::chrono::days(days), 0).substr(0, 10);
}

// A valid value for one keyed component, by type, validation and key.
Json Value(const Component& c, std::mt19937_64& rng, core::Timestamp now, const std::string& person,
           std::vector<intake::Upload>* files) {
  std::string key = c.key_path.empty() ? c.key : c.key_path.back();
  std::string lower;
  for (char ch : key) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  switch (c.type) {
    case ComponentType::kTextfield:
    case ComponentType::kTextarea: {
      std::string v;
      if (c.validation_type == forms::ValidationType::kEmail || lower.find("mail") != std::string::npos) {
        v = fmt::format("antrag{}@example.org", Digits(rng, 6));
      } else if (c.pattern == "^[0-9]{5}$") {
        v = "2" + Digits(rng, 4);
      } else if (!c.pattern.empty() && c.pattern.find("/[0-9]") != std::string::npos) {
        v = fmt::format("{}/{}", 1 + rng() % 300, 1 + rng() % 9);
      } else if (!c.pattern.empty()) {
        v = Digits(rng, 3);  // an unknown pattern: digits satisfy most of them
      } else if (lower.find("telefon") != std::string::npos || lower.find("phone") != std::string::npos) {
        v = "+49 4" + Digits(rng, 3) + " " + Digits(rng, 5);
      } else if (lower.find("strasse") != std::string::npos || lower == "anschrift") {
        v = fmt::format("{} {}", Pick(rng, kStreet), 1 + rng() % 120);
      } else if (lower == "ort" || lower.find("amtssitz") != std::string::npos || lower.find("grundbuch") != std::string::npos) {
        v = Pick(rng, kPlace);
      } else if (lower.find("name") != std::string::npos || lower.find("ansprech") != std::string::npos ||
                 lower.find("bauleiter") != std::string::npos || lower.find("kaeufer") != std::string::npos ||
                 lower.find("verkaeufer") != std::string::npos) {
        v = person;
      } else if (lower.find("firma") != std::string::npos) {
        v = fmt::format("{} {} GmbH", Pick(rng, kLast), Pick(rng, kWords));
      } else {
        v = fmt::format("{} {} {} {}", Pick(rng, kWords), Pick(rng, kWords), Pick(rng, kStreet), Pick(rng, kPlace));
      }
      if (c.max_length && static_cast<int64_t>(v.size()) > *c.max_length) {
        size_t n = static_cast<size_t>(*c.max_length);
        while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
        v.resize(n);
      }
      return v;
    }
    case ComponentType::kNumber: {
      int64_t lo = 1, hi = 100;
      if (c.min) lo = std::max<int64_t>(lo, static_cast<int64_t>(std::ceil(c.min->ToDouble())));
      if (c.max) hi = std::min<int64_t>(hi, static_cast<int64_t>(std::floor(c.max->ToDouble())));
      if (hi < lo) hi = lo;
      return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    }
    case ComponentType::kDatetime: {
      int from = lower.find("bis") != std::string::npos ? 40 : 10;
      return Date(now, from + static_cast<int>(rng() % 20));
    }
    case ComponentType::kCheckbox:
      return true;
    case ComponentType::kSelect:
    case ComponentType::kRadio:
      if (c.values.empty()) return nullptr;
      return c.values[rng() % c.values.size()].value;
    case ComponentType::kChecklist:
    case ComponentType::kTaglist:
      if (c.values.empty()) return Json::array();
      return Json::array({c.values[rng() % c.values.size()].value});
    case ComponentType::kFilepicker: {
      std::string ref = "files::" + key;
      files->push_back({ref, key + ".pdf", SeedPdf()});
      return ref;
    }
    default:
      return nullptr;
  }
}

void Fill(const std::vector<Component>& list, Json& into, std::mt19937_64& rng, core::Timestamp now,
          const std::string& person, std::vector<intake::Upload>* files) {
  for (const Component& c : list) {
    if (c.type == ComponentType::kGroup) {
      Json* target = &into;
      for (const auto& seg : c.path_segments) target = &(*target)[seg];
      if (!target->is_object()) *target = Json::object();
      Fill(c.components, *target, rng, now, person, files);
      continue;
    }
    if (c.type == ComponentType::kDynamicList) {
      Json items = Json::array();
      int n = 1 + static_cast<int>(rng() % 2);
      for (int i = 0; i < n; ++i) {
        Json item = Json::object();
        Fill(c.components, item, rng, now, person, files);
        items.push_back(std::move(item));
      }
      Json* target = &into;
      for (size_t i = 0; i + 1 < c.path_segments.size(); ++i) target = &(*target)[c.path_segments[i]];
      (*target)[c.path_segments.empty() ? c.key : c.path_segments.back()] = std::move(items);
      continue;
    }
    if (!forms::IsKeyed(c.type) || c.type == ComponentType::kExpression || c.key_path.empty()) continue;
    Json v = Value(c, rng, now, person, files);
    if (v.is_null()) continue;
    Json* target = &into;
    for (size_t i = 0; i + 1 < c.key_path.size(); ++i) target = &(*target)[c.key_path[i]];
    (*target)[c.key_path.back()] = std::move(v);
  }
}

}  // namespace

std::string SeedPdf() {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

core::Json SeedData(const forms::Form& form, uint64_t seed, core::Timestamp now, std::vector<intake::Upload>* files) {
  std::mt19937_64 rng(seed);
  std::string person = fmt::format("{} {}", Pick(rng, kFirst), Pick(rng, kLast));
  Json data = Json::object();
  Fill(form.components(), data, rng, now, person, files);
  return data;
}

core::Result<SeedReport> SeedCases(store::Database& db, const std::string& tenant, int64_t n,
                                   const std::filesystem::path& files_dir, int in_flight, std::FILE* progress) {
  catalog::Catalog catalog(db);
  engine::Engine engine(db);
  intake::Intake intake(db, catalog, engine, {.files_dir = files_dir, .on_case_created = cases::OnCaseCreated});
  AW_ASSIGN_OR_RETURN(Json services, catalog.ListServices(tenant));
  struct Svc {
    std::string id;
    std::shared_ptr<const forms::Form> form;
  };
  std::vector<Svc> svcs;
  for (const auto& s : services) {
    if (!s.value("published", false)) continue;
    AW_ASSIGN_OR_RETURN(catalog::Service full, catalog.FindService(s.value("id", "")));
    AW_ASSIGN_OR_RETURN(auto form, catalog.CompiledForm(tenant, full.form_id, full.form_version));
    svcs.push_back({full.id, form});
  }
  if (svcs.empty()) return core::FailedPrecondition(fmt::format("tenant '{}' has no published service", tenant));

  std::mutex mu;
  std::condition_variable cv;
  int64_t pending = 0, ok = 0, failed = 0;
  std::string first_error;
  auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  core::Timestamp now = core::SystemClock::Instance().Now();
  for (int64_t i = 0; i < n; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return pending < in_flight; });
      ++pending;
    }
    const Svc& s = svcs[static_cast<size_t>(i) % svcs.size()];
    intake::SubmitRequest r;
    r.service_id = s.id;
    r.data = SeedData(*s.form, static_cast<uint64_t>(i) * 7919 + 17, now, &r.files);
    intake.Submit(std::move(r), [&](core::Result<Json> out) {
      std::lock_guard lock(mu);
      --pending;
      if (out.ok()) {
        ++ok;
      } else {
        ++failed;
        if (first_error.empty()) first_error = out.error().ToString();
      }
      cv.notify_all();
    });
    auto t = std::chrono::steady_clock::now();
    if (progress != nullptr && t - last_report > std::chrono::seconds(5)) {
      last_report = t;
      double secs = std::chrono::duration<double>(t - t0).count();
      std::lock_guard lock(mu);
      std::fprintf(progress, "  %lld / %lld cases (%.0f/s)%s\n", static_cast<long long>(ok), static_cast<long long>(n),
                   static_cast<double>(ok) / secs, failed > 0 ? fmt::format(", {} failed", failed).c_str() : "");
      std::fflush(progress);
    }
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return pending == 0; });
  }
  SeedReport rep;
  rep.created = ok;
  rep.failed = failed;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rep.first_error = first_error;
  return rep;
}

int RunDevSeed(const CommonFlags& common, const DevSeedFlags& flags) {
  if (flags.cases < 0) {
    ReportError(core::InvalidArgument("--cases must not be negative"));
    return 1;
  }
  if (flags.tenant == "amt-musterland") {
    if (int rc = RunDemoSeed(common, flags.demo_dir); rc != 0) return rc;
  }
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  std::printf("seeding %lld cases into %s through the intake path (%d in flight)\n",
              static_cast<long long>(flags.cases), flags.tenant.c_str(), flags.in_flight);
  auto rep = SeedCases(*db, flags.tenant, flags.cases, cfg->storage.files_dir, flags.in_flight, stdout);
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!rep.ok()) {
    ReportError(rep.error());
    return 1;
  }
  std::printf("created %lld cases in %.1f s (%.0f cases/s), %lld failed%s%s\n", static_cast<long long>(rep->created),
              rep->seconds, static_cast<double>(rep->created) / std::max(rep->seconds, 1e-9),
              static_cast<long long>(rep->failed), rep->first_error.empty() ? "" : "; first error: ",
              rep->first_error.c_str());
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  return rep->failed == 0 ? 0 : 1;
}

}  // namespace amtsweg::app
