// `amtsweg package keygen | export | import | trust | diff | import-xprozess`:
// signed process packages (src/packages/README.md).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fmt/format.h>

#include "app/build_info.h"
#include "app/commands.h"
#include "app/database.h"
#include "app/wiring.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "engine/engine.h"
#include "packages/diff.h"
#include "packages/installer.h"
#include "packages/package.h"
#include "packages/xprozess.h"
#include "records/records.h"

namespace amtsweg::app {
namespace {

using core::Json;
namespace fs = std::filesystem;

core::Result<std::string> ReadWhole(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(fmt::format("{} {}: cannot read file", what, path));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Writes `data` to a new file `path` (refuses to overwrite) with `mode`.
core::Status WriteNew(const std::string& path, const std::string& data, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return core::FailedPrecondition(fmt::format("{}: cannot create ({}; an existing file is not overwritten)", path,
                                                std::strerror(errno)));
  }
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      return core::Internal(fmt::format("{}: write failed", path));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return core::Internal(fmt::format("{}: write failed", path));
  return core::OkStatus();
}

// Opens and migrates the database, starts its writer, runs `fn`, stops.
int WithDatabase(const CommonFlags& common, const std::function<core::Status(store::Database&)>& fn) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  core::Status result = fn(*db);
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!result.ok()) {
    ReportError(result.error());
    return 1;
  }
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  return 0;
}

void ReportWith(core::Error e, const std::string& context) {
  e.WithContext(context);
  ReportError(e);
}

std::string ValueText(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void PrintPlan(const Json& plan, bool dry_run) {
  const Json& pkg = plan["package"];
  std::printf("%s package %s version %s (LeiKa %s), signed by key %s", dry_run ? "Would install" : "Installing",
              pkg["name"].get<std::string>().c_str(), pkg["version"].get<std::string>().c_str(),
              pkg["leika"].get<std::string>().c_str(), pkg["signer"].get<std::string>().c_str());
  if (pkg.contains("publisher") && pkg["publisher"].contains("name")) {
    std::printf(" of %s", pkg["publisher"]["name"].get<std::string>().c_str());
  }
  std::printf("\n  into tenant %s as service %s (%s)\n", plan["tenant"].get<std::string>().c_str(),
              plan["service"]["id"].get<std::string>().c_str(),
              plan["service"]["exists"].get<bool>() ? "a new version of the existing service" : "new service");
  if (!plan["previous"].is_null()) {
    std::printf("  previously installed: version %s (process version %lld); running instances keep it\n",
                plan["previous"]["version"].get<std::string>().c_str(),
                static_cast<long long>(plan["previous"]["processVersion"].get<int64_t>()));
  }
  std::printf("  process %s, responsible department %s\n", plan["process"].get<std::string>().c_str(),
              plan["responsibleDepartment"].get<std::string>().c_str());
  std::printf("  parameters:\n");
  for (const auto& p : plan["parameters"]) {
    std::printf("    %-26s %-10s = %-30s (%s) %s\n", p["name"].get<std::string>().c_str(),
                p["type"].get<std::string>().c_str(), ValueText(p["value"]).c_str(),
                p["source"].get<std::string>().c_str(), p["description"].get<std::string>().c_str());
  }
  std::printf("  files:\n");
  for (const auto& f : plan["files"]) {
    std::printf("    %-40s sha256 %s\n", f["path"].get<std::string>().c_str(),
                f["sha256"].get<std::string>().substr(0, 16).c_str());
  }
}

}  // namespace

int RunPackageKeygen(const std::string& out) {
  packages::KeyPair kp = packages::GenerateKeyPair();
  if (auto s = WriteNew(out + ".key", packages::FormatSecretKeyFile(kp.secret), 0600); !s.ok()) {
    ReportError(s.error());
    return 1;
  }
  if (auto s = WriteNew(out + ".pub", packages::FormatPublicKeyFile(kp.public_key), 0644); !s.ok()) {
    ReportError(s.error());
    return 1;
  }
  std::printf("key %s: secret key %s.key (keep it private), public key %s.pub (give it to the importers)\n",
              kp.public_key.id.c_str(), out.c_str(), out.c_str());
  return 0;
}

int RunPackageExport(const CommonFlags& common, const PackageFlags& flags) {
  auto key_text = ReadWhole(flags.key, "--key");
  if (!key_text.ok()) {
    ReportError(key_text.error());
    return 1;
  }
  auto key = packages::ParseSecretKeyFile(*key_text);
  if (!key.ok()) {
    ReportWith(key.error(), flags.key);
    return 1;
  }
  packages::ExportRequest req{.tenant = flags.tenant, .service_id = flags.service, .version = flags.version};
  if (!flags.templates.empty()) {
    std::error_code ec;
    if (!fs::is_directory(flags.templates, ec)) {
      ReportError(core::NotFound("--templates " + flags.templates + ": not a folder"));
      return 1;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(flags.templates)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto text = ReadWhole(f.string(), "template");
      if (!text.ok()) {
        ReportError(text.error());
        return 1;
      }
      req.extra_files.push_back({"templates/" + fs::relative(f, flags.templates).generic_string(), *text});
    }
  }
  return WithDatabase(common, [&](store::Database& db) -> core::Status {
    catalog::Catalog cat(db);
    engine::Engine engine(db);
    packages::Installer inst(db, engine, cat);
    AW_ASSIGN_OR_RETURN(std::string zip, inst.Export(req, *key));
    AW_TRY(WriteNew(flags.out, zip, 0644));
    std::printf("exported service %s of tenant %s to %s (%zu bytes), signed by key %s\n", flags.service.c_str(),
                flags.tenant.c_str(), flags.out.c_str(), zip.size(), key->public_key.id.c_str());
    return core::OkStatus();
  });
}

int RunPackageTrust(const CommonFlags& common, const PackageFlags& flags) {
  auto text = ReadWhole(flags.file, "public key");
  if (!text.ok()) {
    ReportError(text.error());
    return 1;
  }
  auto key = packages::ParsePublicKeyFile(*text);
  if (!key.ok()) {
    ReportWith(key.error(), flags.file);
    return 1;
  }
  return WithDatabase(common, [&](store::Database& db) -> core::Status {
    catalog::Catalog cat(db);
    engine::Engine engine(db);
    packages::Installer inst(db, engine, cat);
    AW_TRY(inst.TrustKey(flags.tenant, *key, flags.label.empty() ? flags.file : flags.label));
    std::printf("tenant %s now trusts packages signed by key %s\n", flags.tenant.c_str(), key->id.c_str());
    return core::OkStatus();
  });
}

int RunPackageImport(const CommonFlags& common, const PackageFlags& flags) {
  auto archive = ReadWhole(flags.file, "package");
  if (!archive.ok()) {
    ReportError(archive.error());
    return 1;
  }
  Json params = Json::object();
  if (!flags.params.empty()) {
    auto text = ReadWhole(flags.params, "--params");
    if (!text.ok()) {
      ReportError(text.error());
      return 1;
    }
    auto parsed = core::ParseJson(*text);
    if (!parsed.ok() || !parsed->is_object()) {
      ReportError(core::InvalidArgument(flags.params + ": parameter values must be a JSON object by name" +
                                        (parsed.ok() ? "" : " (" + parsed.error().message() + ")")));
      return 1;
    }
    params = std::move(*parsed);
  }
  std::vector<packages::PublicKey> extra;
  for (const auto& t : flags.trust) {
    auto text = ReadWhole(t, "--trust");
    if (!text.ok()) {
      ReportError(text.error());
      return 1;
    }
    auto key = packages::ParsePublicKeyFile(*text);
    if (!key.ok()) {
      ReportWith(key.error(), t);
      return 1;
    }
    extra.push_back(*key);
  }
  return WithDatabase(common, [&](store::Database& db) -> core::Status {
    catalog::Catalog cat(db);
    engine::Engine engine(db);
    packages::Installer inst(db, engine, cat);
    AW_ASSIGN_OR_RETURN(auto trusted, inst.TrustedKeys(flags.tenant));
    trusted.insert(trusted.end(), extra.begin(), extra.end());
    AW_ASSIGN_OR_RETURN(packages::Package pkg, packages::OpenPackage(*archive, flags.file, trusted, true, kVersion));
    packages::ImportRequest req{.tenant = flags.tenant, .service_id = flags.service_id, .parameters = params};
    if (flags.dry_run) {
      AW_ASSIGN_OR_RETURN(Json plan, inst.Plan(pkg, req));
      PrintPlan(plan, true);
      std::printf("dry run: nothing was installed\n");
      return core::OkStatus();
    }
    AW_ASSIGN_OR_RETURN(Json done, inst.Install(pkg, req));
    PrintPlan(done, false);
    // The Bescheid templates the package carries go to the installed service.
    records::Records records(db, cat, engine, {});
    AW_ASSIGN_OR_RETURN(int templates,
                        InstallPackageTemplates(records, flags.tenant, done["service"]["id"].get<std::string>(), pkg));
    if (templates > 0) std::printf("Bescheid templates installed: %d\n", templates);
    std::printf("installed: deployment %s, process version %lld, form version %lld\n",
                done["installed"]["deploymentId"].get<std::string>().c_str(),
                static_cast<long long>(done["installed"]["processVersion"].get<int64_t>()),
                static_cast<long long>(done["installed"]["formVersion"].get<int64_t>()));
    return core::OkStatus();
  });
}

int RunPackageDiff(const PackageFlags& flags) {
  std::vector<packages::Package> pkgs;
  for (const std::string& f : {flags.file, flags.file_b}) {
    auto archive = ReadWhole(f, "package");
    if (!archive.ok()) {
      ReportError(archive.error());
      return 1;
    }
    // Integrity only (the signature must match its own key); trust is the importer's matter.
    auto pkg = packages::OpenPackage(*archive, f, {}, false, "999999");
    if (!pkg.ok()) {
      ReportError(pkg.error());
      return 1;
    }
    pkgs.push_back(std::move(*pkg));
  }
  auto changes = packages::DiffPackages(pkgs[0], pkgs[1]);
  if (flags.json) {
    std::printf("%s\n", core::DumpJson(packages::ChangesToJson(changes), 2).c_str());
  } else {
    std::printf("%s %s → %s %s (signed by %s → %s)\n", pkgs[0].manifest.name.c_str(), pkgs[0].manifest.version.c_str(),
                pkgs[1].manifest.name.c_str(), pkgs[1].manifest.version.c_str(), pkgs[0].key_id.c_str(),
                pkgs[1].key_id.c_str());
    std::fputs(packages::FormatChanges(changes).c_str(), stdout);
  }
  return 0;
}

int RunPackageImportXProzess(const CommonFlags& common, const PackageFlags& flags) {
  auto text = ReadWhole(flags.file, "XProzess");
  if (!text.ok()) {
    ReportError(text.error());
    return 1;
  }
  auto p = packages::ParseXProzess(*text);
  if (!p.ok()) {
    ReportWith(p.error(), flags.file);
    return 1;
  }
  return WithDatabase(common, [&](store::Database& db) -> core::Status {
    catalog::Catalog cat(db);
    engine::Engine engine(db);
    packages::Installer inst(db, engine, cat);
    auto report = inst.ImportXProzess(flags.tenant, *p, flags.dry_run);
    if (!report.ok()) {
      core::Error e = std::move(report).error();
      e.WithContext(flags.file);
      return e;
    }
    const Json& r = *report;
    std::printf("XProzess process class %s version %s: %s\n", p->id.c_str(), p->version.c_str(), p->name.c_str());
    for (const auto& l : p->legal_bases) std::printf("  legal basis: %s\n", l.c_str());
    std::printf("  model: %s (%zu bytes), %zu process(es):\n", p->bpmn_file.c_str(), p->bpmn.size(),
                r["processes"].size());
    bool executable = false;
    for (const auto& proc : r["processes"]) {
      executable = executable || proc["executable"].get<bool>();
      std::printf("    %s \"%s\": %d elements, %d flows, %s\n", proc["id"].get<std::string>().c_str(),
                  proc["name"].get<std::string>().c_str(), proc["elements"].get<int>(), proc["flows"].get<int>(),
                  proc["executable"].get<bool>() ? "executable" : "not executable (a reference model)");
    }
    std::printf("  to make it executable: %d lint errors, %d warnings (", r["lint"]["errors"].get<int>(),
                r["lint"]["warnings"].get<int>());
    bool first = true;
    for (auto it = r["lint"]["byCode"].begin(); it != r["lint"]["byCode"].end(); ++it) {
      std::printf("%s%s %d", first ? "" : ", ", it.key().c_str(), it.value().get<int>());
      first = false;
    }
    std::printf(")\n");
    for (const auto& s : p->skipped) std::printf("  not taken: %s\n", s.c_str());
    if (flags.dry_run) {
      std::printf("dry run: nothing was stored\n");
    } else if (executable) {
      std::printf("deployed as %s and stored as reference model %s %s of tenant %s\n",
                  r["deployment"]["id"].get<std::string>().c_str(), p->id.c_str(), p->version.c_str(),
                  flags.tenant.c_str());
    } else {
      std::printf("stored as reference model %s %s of tenant %s (no executable process: model one from it in the "
                  "designer)\n", p->id.c_str(), p->version.c_str(), flags.tenant.c_str());
    }
    return core::OkStatus();
  });
}

}  // namespace amtsweg::app
