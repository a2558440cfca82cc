// Replays the fuzz corpus (testdata/fuzz_corpus/) through the same checks as
// importer_fuzz.cc: no crash, and an imported model survives the round trip.
// Each crash found by the fuzzer becomes a file there.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bpmn/exporter.h"
#include "bpmn/importer.h"
#include "bpmn/lint.h"

namespace amtsweg::bpmn {
namespace {

namespace fs = std::filesystem;

TEST(BpmnFuzzCorpus, ReplaysWithoutCrashAndRoundTrips) {
  fs::path dir = fs::path(AMTSWEG_BPMN_TESTDATA) / "fuzz_corpus";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  int files = 0;
  int imported = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    ++files;
    auto d = ImportBpmn(ss.str());
    if (!d.ok()) {
      // Refusals must say something a user can act on.
      EXPECT_FALSE(d.error().message().empty()) << e.path();
      continue;
    }
    ++imported;
    (void)Lint(**d);
    (void)CheckExecutable(**d);
    auto again = ImportBpmn(ExportBpmn(**d));
    ASSERT_TRUE(again.ok()) << e.path();
    EXPECT_TRUE(**again == **d) << e.path();
  }
  std::cout << "fuzz corpus: " << files << " files, " << imported << " imported\n";
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace amtsweg::bpmn
