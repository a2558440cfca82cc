// XProzess import over every sample in the conformance folder: the BPMN
// model is extracted byte for byte and parses.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bpmn/importer.h"
#include "core/hash.h"
#include "packages/xprozess.h"

namespace amtsweg::packages {
namespace {

namespace fs = std::filesystem;

fs::path XProzessDir() {
  const char* env = std::getenv("AMTSWEG_CONFORMANCE");
  fs::path root = env != nullptr ? fs::path(env) : fs::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance";
  return root / "xprozess";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(XProzess, EverySampleYieldsItsBpmnModel) {
  fs::path dir = XProzessDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is absent: no XProzess samples to import";
  int samples = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".xprozess.xml")) continue;
    ++samples;
    SCOPED_TRACE(name);
    auto p = ParseXProzess(ReadFile(entry.path()));
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    EXPECT_EQ(name.substr(0, p->id.size()), p->id) << "the file is named after its process class";
    EXPECT_FALSE(p->name.empty());
    EXPECT_FALSE(p->version.empty());
    EXPECT_FALSE(p->legal_bases.empty());
    EXPECT_FALSE(p->bpmn.empty());
    fs::path expected = dir / (p->id + ".expected-bpmn.xml");
    if (fs::exists(expected)) {
      std::string want = ReadFile(expected);
      EXPECT_EQ(p->bpmn.size(), want.size());
      EXPECT_EQ(core::Sha256Hex(p->bpmn), core::Sha256Hex(want)) << "byte-identical extraction";
    }
    auto defs = bpmn::ImportBpmn(p->bpmn);
    ASSERT_TRUE(defs.ok()) << defs.error().ToString();
    EXPECT_FALSE((*defs)->processes.empty());
    // The PDFs (graphic, report) are named as not taken.
    EXPECT_EQ(p->skipped.size(), 2u);
  }
  if (samples == 0) GTEST_SKIP() << "no *.xprozess.xml in " << dir;
}

TEST(XProzess, NamesWhatIsWrong) {
  auto not_xml = ParseXProzess("no xml");
  ASSERT_FALSE(not_xml.ok());
  EXPECT_NE(not_xml.error().message().find("not XML"), std::string::npos);
  auto other = ParseXProzess(R"(<a xmlns="urn:x"/>)");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message().find("not an XProzess message"), std::string::npos);
  auto no_model = ParseXProzess(R"(<x:m xmlns:x="http://www.regierung-mv.de/xprozess/2"><x:prozesskatalog>
      <x:prozessklasse><x:id>99006028261000</x:id><x:name>P</x:name></x:prozessklasse></x:prozesskatalog></x:m>)");
  ASSERT_FALSE(no_model.ok());
  EXPECT_NE(no_model.error().message().find("no prozessmodelldatei"), std::string::npos);
  auto bad = ParseXProzess(R"(<x:m xmlns:x="http://www.regierung-mv.de/xprozess/2"><x:prozesskatalog>
      <x:prozessklasse><x:id>1</x:id><x:prozessmodelldatei><x:inhalt>%%%</x:inhalt></x:prozessmodelldatei>
      </x:prozessklasse></x:prozesskatalog></x:m>)");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("not base64"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::packages
