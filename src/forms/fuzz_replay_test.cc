// Replays fuzz_corpus/validator/* and fuzz_corpus/xdf/* through the bodies of
// the libFuzzer entries (validator_fuzz.cc, xdf_importer_fuzz.cc), plus
// deterministic mutations of valid inputs: no crash, no hang, no exception,
// and the properties the entries check. Each crash the fuzzer finds becomes a
// corpus file here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "forms/fuzz_entries.h"

namespace amtsweg::forms {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Replay(const fs::path& dir, int (*fn)(const uint8_t*, size_t)) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string s = Read(e.path());
    EXPECT_EQ(fn(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0) << e.path();
    ++n;
  }
  return n;
}

// Truncations and byte flips of `seed`, the way a fuzzer starts.
void Mutate(const std::string& seed, int (*fn)(const uint8_t*, size_t), int rounds) {
  std::mt19937 rng(20260601);
  for (size_t cut = 0; cut < seed.size(); cut += std::max<size_t>(1, seed.size() / 97)) {
    EXPECT_EQ(fn(reinterpret_cast<const uint8_t*>(seed.data()), cut), 0);
  }
  const char kBytes[] = "<>/\"'{}[]:,0\\\xff\xc3\n=.-";
  for (int i = 0; i < rounds; ++i) {
    std::string s = seed;
    for (int k = 0; k < 4; ++k) s[rng() % s.size()] = kBytes[rng() % (sizeof(kBytes) - 1)];
    EXPECT_EQ(fn(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0);
  }
}

TEST(FormsFuzzReplay, ValidatorCorpus) {
  fs::path dir = fs::path(AW_FORMS_SOURCE_DIR) / "fuzz_corpus" / "validator";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  EXPECT_GT(Replay(dir, FuzzValidatorOne), 0);
}

TEST(FormsFuzzReplay, XdfImporterCorpus) {
  fs::path dir = fs::path(AW_FORMS_SOURCE_DIR) / "fuzz_corpus" / "xdf";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  EXPECT_GT(Replay(dir, FuzzXdfImporterOne), 0);
}

TEST(FormsFuzzReplay, MutatedInputsNeverCrash) {
  fs::path dir = fs::path(AW_FORMS_SOURCE_DIR) / "fuzz_corpus";
  Mutate(Read(dir / "validator" / "fixed_schema_valid.json"), FuzzValidatorOne, 400);
  Mutate(Read(dir / "validator" / "schema_and_data.bin"), FuzzValidatorOne, 400);
  Mutate(Read(dir / "xdf" / "v2_small.xml"), FuzzXdfImporterOne, 300);
  Mutate(Read(dir / "xdf" / "v3_small.xml"), FuzzXdfImporterOne, 300);
}

}  // namespace
}  // namespace amtsweg::forms
