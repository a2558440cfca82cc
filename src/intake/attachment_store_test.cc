#include "intake/attachment_store.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "intake/codes.h"
#include "intake/intake_test_util.h"
#include "store/store_test_util.h"

namespace amtsweg::intake {
namespace {

namespace fs = std::filesystem;

class AttachmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aw-files-" + store::testing::RandomSuffix());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

TEST_F(AttachmentStoreTest, PutStoresBytesUnderTheirHashPerTenant) {
  AttachmentStore files(dir_);
  std::string bytes = testing::TinyPdf();
  std::string sha = Sha256Hex(bytes);
  ASSERT_TRUE(files.Put("amt-a", sha, bytes).ok());
  ASSERT_TRUE(files.Put("amt-a", sha, bytes).ok());  // the same content again: kept
  EXPECT_TRUE(fs::exists(dir_ / "amt-a" / sha.substr(0, 2) / sha));
  auto back = files.Get("amt-a", sha);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(files.Get("amt-b", sha).error().code(), core::ErrorCode::kNotFound);
  // No temporary files are left behind.
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".tmp-")) << e.path();
  }
}

TEST_F(AttachmentStoreTest, RefusesKeysThatAreNotSlugAndHash) {
  AttachmentStore files(dir_);
  EXPECT_FALSE(files.Put("../x", Sha256Hex("a"), "a").ok());
  EXPECT_FALSE(files.Put("amt-a", "../../etc", "a").ok());
}

TEST_F(AttachmentStoreTest, SweepRemovesOldUnreferencedFilesOnly) {
  AttachmentStore files(dir_);
  std::string kept = "referenced", orphan = "orphan", young = "young orphan";
  for (const auto& s : {kept, orphan, young}) ASSERT_TRUE(files.Put("amt-a", Sha256Hex(s), s).ok());
  auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
  fs::last_write_time(files.PathOf("amt-a", Sha256Hex(kept)), old);
  fs::last_write_time(files.PathOf("amt-a", Sha256Hex(orphan)), old);
  auto n = files.SweepOrphans("amt-a", std::chrono::hours(1),
                              [&](const std::string& sha) -> core::Result<bool> { return sha == Sha256Hex(kept); });
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(files.Get("amt-a", Sha256Hex(kept)).ok());
  EXPECT_FALSE(files.Get("amt-a", Sha256Hex(orphan)).ok());
  EXPECT_TRUE(files.Get("amt-a", Sha256Hex(young)).ok());
}

TEST(IntakeContentType, IsDetectedFromTheBytes) {
  EXPECT_EQ(*DetectContentType(testing::TinyPdf()), "application/pdf");
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
  EXPECT_EQ(*DetectContentType(png), "image/png");
  std::string elf = *DetectContentType(testing::ElfBytes());
  EXPECT_NE(elf, "application/pdf");
  EXPECT_NE(elf.find("application/x-"), std::string::npos) << elf;
}

}  // namespace
}  // namespace amtsweg::intake
