// `amtsweg package ...` with the real binary on a seeded demo database:
// keygen, export, an untrusted import refused, a dry run, an import with
// parameters, a tampered archive refused, diff, and XProzess.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/process_test_util.h"
#include "packages/zip.h"

namespace amtsweg::app {
namespace {

using testutil::RunAmtsweg;
namespace fs = std::filesystem;

const std::string kDemoDir = std::string(AMTSWEG_SOURCE_DIR) + "/demo/services";

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PackageCli, ExportImportDiffAndRefusals) {
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "demo.db").string();
  ASSERT_EQ(RunAmtsweg({"demo", "seed", "--history", "0", "--db", db, "--dir", kDemoDir}).exit_code, 0);
  std::string key = (dir.path() / "musterland").string();
  auto keygen = RunAmtsweg({"package", "keygen", "--out", key});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.out;
  EXPECT_EQ(fs::status(key + ".key").permissions() & fs::perms::others_read, fs::perms::none);
  EXPECT_NE(RunAmtsweg({"package", "keygen", "--out", key}).exit_code, 0) << "never overwrites a key";

  std::string v1 = (dir.path() / "v1.zip").string(), v2 = (dir.path() / "v2.zip").string();
  auto exported = RunAmtsweg({"package", "export", "musterland-aufgrabegenehmigung", "--tenant", "amt-musterland",
                              "--db", db, "--out", v1, "--key", key + ".key"});
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  ASSERT_EQ(RunAmtsweg({"package", "export", "musterland-aufgrabegenehmigung", "--tenant", "amt-musterland", "--db",
                        db, "--out", v2, "--key", key + ".key", "--version", "2", "--templates",
                        kDemoDir + "/aufgrabegenehmigung/bescheide"})
                .exit_code,
            0);

  // A new tenant-less key: not trusted by Beispielstadt.
  fs::path params = dir.path() / "params.json";
  WriteFile(params, R"({"zustaendigeStelle": "strassen", "verkehrsbehoerde": "verkehrsaufsicht",
    "kontaktEmail": "tiefbau@beispielstadt.example", "gebuehrenText": "nach Satzung", "satzAsphalt": 0.7, "satzPflaster": 0.5,
    "satzGehweg": 0.4, "satzGruenflaeche": 0.2})");
  auto untrusted = RunAmtsweg({"package", "import", v1, "--tenant", "gemeinde-beispielstadt", "--db", db, "--params",
                               params.string()});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.out.find("which is not trusted here"), std::string::npos) << untrusted.out;
  // Trusted, but a required parameter is missing.
  auto missing = RunAmtsweg({"package", "import", v1, "--tenant", "gemeinde-beispielstadt", "--db", db, "--params",
                             params.string(), "--trust", key + ".pub", "--dry-run"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("required parameter 'mindestgebuehr'"), std::string::npos) << missing.out;

  WriteFile(params, R"({"zustaendigeStelle": "strassen", "verkehrsbehoerde": "verkehrsaufsicht",
    "kontaktEmail": "tiefbau@beispielstadt.example", "gebuehrenText": "nach Satzung", "satzAsphalt": 0.7, "satzPflaster": 0.5,
    "satzGehweg": 0.4, "satzGruenflaeche": 0.2, "mindestgebuehr": 75})");
  auto dry = RunAmtsweg({"package", "import", v1, "--tenant", "gemeinde-beispielstadt", "--db", db, "--params",
                         params.string(), "--trust", key + ".pub", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out;
  EXPECT_NE(dry.out.find("Would install package aufgrabegenehmigung version 1"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("mindestgebuehr"), std::string::npos);
  EXPECT_NE(dry.out.find("(given)"), std::string::npos);
  EXPECT_NE(dry.out.find("previously installed: version 1"), std::string::npos) << "the demo seed installed it";
  EXPECT_NE(dry.out.find("nothing was installed"), std::string::npos);

  ASSERT_EQ(RunAmtsweg({"package", "trust", key + ".pub", "--tenant", "gemeinde-beispielstadt", "--db", db}).exit_code,
            0);
  auto done = RunAmtsweg({"package", "import", v2, "--tenant", "gemeinde-beispielstadt", "--db", db, "--params",
                          params.string()});
  ASSERT_EQ(done.exit_code, 0) << done.out;
  EXPECT_NE(done.out.find("process version 2"), std::string::npos) << done.out;
  // The Bescheid templates the package carries are the imported service's (4 in demo/services/.../bescheide).
  EXPECT_NE(done.out.find("Bescheid templates installed: 4"), std::string::npos) << done.out;

  // One byte of the DMN changed: refused, naming the file.
  auto entries = packages::ReadZip(ReadFile(v1));
  ASSERT_TRUE(entries.ok());
  for (auto& e : *entries) {
    if (e.name.starts_with("dmn/")) e.data[e.data.size() / 2] ^= 0x01;
  }
  fs::path bad = dir.path() / "bad.zip";
  WriteFile(bad, *packages::WriteZip(*entries));
  auto tampered = RunAmtsweg({"package", "import", bad.string(), "--tenant", "gemeinde-beispielstadt", "--db", db,
                              "--params", params.string()});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.out.find("dmn/aufgrabung.dmn: SHA-256 does not match"), std::string::npos) << tampered.out;

  auto diff = RunAmtsweg({"package", "diff", v1, v2});
  ASSERT_EQ(diff.exit_code, 0) << diff.out;
  EXPECT_NE(diff.out.find("changed  version: \"1\" → \"2\""), std::string::npos) << diff.out;
  auto same = RunAmtsweg({"package", "diff", v1, v1, "--json"});
  ASSERT_EQ(same.exit_code, 0);
  EXPECT_NE(same.out.find("[]"), std::string::npos) << same.out;
}

TEST(PackageCli, ImportsAnXProzessSampleAsReferenceModel) {
  const char* env = std::getenv("AMTSWEG_CONFORMANCE");
  fs::path xdir = (env != nullptr ? fs::path(env) : fs::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance") /
                  "xprozess";
  fs::path sample;
  if (fs::is_directory(xdir)) {
    for (const auto& e : fs::directory_iterator(xdir)) {
      if (e.path().filename().string().ends_with(".xprozess.xml")) sample = e.path();
    }
  }
  if (sample.empty()) GTEST_SKIP() << xdir << " has no XProzess sample";
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "demo.db").string();
  ASSERT_EQ(RunAmtsweg({"demo", "seed", "--history", "0", "--db", db, "--dir", kDemoDir}).exit_code, 0);
  auto out = RunAmtsweg({"package", "import-xprozess", sample.string(), "--tenant", "amt-musterland", "--db", db});
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("stored as reference model"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("not taken: visualisierungsdatei"), std::string::npos) << out.out;
  auto verify = RunAmtsweg({"audit", "verify", "--db", db});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

}  // namespace
}  // namespace amtsweg::app
