#include "store/migrations.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::store {
namespace {

using testing::StoreTest;

class MigrationsTest : public StoreTest {
 protected:
  // The embedded migrations of the backend, plus `extra`.
  std::vector<Migration> With(std::vector<Migration> extra) {
    auto base = EmbeddedMigrations(GetParam());
    EXPECT_TRUE(base.ok());
    std::vector<Migration> all = base.ok() ? *base : std::vector<Migration>{};
    for (auto& m : extra) all.push_back(std::move(m));
    return all;
  }
  std::unique_ptr<Database> OpenWith(std::vector<Migration> migrations) {
    Options o = MakeOptions();
    o.migrations = std::move(migrations);
    return Open(o, /*migrate_and_start=*/false);
  }
  bool TableExists(Database& db, const std::string& table) {
    std::string sql = GetParam() == Dialect::kSqlite
                          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"
                          : "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '" + table + "'";
    return ReadInt(db, sql) == 1;
  }
};
AW_STORE_INSTANTIATE(MigrationsTest);

TEST(StoreMigrations, EmbeddedSetsAreValidForBothDialects) {
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    auto m = EmbeddedMigrations(d);
    ASSERT_TRUE(m.ok()) << m.error().ToString();
    ASSERT_FALSE(m->empty());
    EXPECT_EQ((*m)[0].version, 1);
    EXPECT_EQ((*m)[0].name, "0001_init.sql");
    EXPECT_NE((*m)[0].sql.find("CREATE TABLE kv"), std::string::npos);
  }
}

TEST(StoreMigrations, RejectsBadNamesAndRepeatedVersions) {
  std::vector<Migration> bad{{0, "1_init.sql", ""}};
  EXPECT_FALSE(internal::ValidateMigrations(bad).ok());
  std::vector<Migration> twice{{0, "0002_b.sql", ""}, {0, "0002_a.sql", ""}};
  auto s = internal::ValidateMigrations(twice);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("0002_a.sql"), std::string::npos);
  std::vector<Migration> unsorted{{0, "0003_c.sql", ""}, {0, "0001_a.sql", ""}};
  ASSERT_TRUE(internal::ValidateMigrations(unsorted).ok());
  EXPECT_EQ(unsorted[0].version, 1);
}

TEST(StoreMigrations, ChecksumIsSha256Hex) {
  EXPECT_EQ(MigrationChecksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_P(MigrationsTest, MigrateAppliesThenSecondMigrateIsANoOp) {
  auto db = Open(MakeOptions(), /*migrate_and_start=*/false);
  ASSERT_NE(db, nullptr);
  auto before = db->Migrations();
  ASSERT_TRUE(before.ok()) << before.error().ToString();
  EXPECT_FALSE(before->up_to_date());
  EXPECT_TRUE(before->applied.empty());

  auto first = db->Migrate();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), before->pending.size());
  EXPECT_EQ((*first)[0].name, "0001_init.sql");
  EXPECT_FALSE((*first)[0].applied_at.empty());
  EXPECT_TRUE(TableExists(*db, "kv"));

  auto second = db->Migrate();
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_TRUE(second->empty());
  auto after = db->Migrations();
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  EXPECT_TRUE(after->up_to_date());
  EXPECT_EQ(after->applied, *first);
}

TEST_P(MigrationsTest, AppliesOnlyWhatIsNewInVersionOrder) {
  {
    auto db = OpenWith(With({}));
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Migrate().ok());
  }
  // Given out of order on purpose: 9003 needs 9002's table. (Test migrations
  // use 9xxx so they never collide with the real ones.)
  auto db = OpenWith(With({{0, "9003_fill.sql", "INSERT INTO extra (x) VALUES (3);"},
                           {0, "9002_extra.sql", "CREATE TABLE extra (x INTEGER);"}}));
  ASSERT_NE(db, nullptr);
  auto status = db->Migrations();
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  ASSERT_EQ(status->pending.size(), 2u);
  EXPECT_EQ(status->pending[0].name, "9002_extra.sql");
  auto applied = db->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  ASSERT_EQ(applied->size(), 2u);
  EXPECT_EQ((*applied)[0].version, 9002);
  EXPECT_EQ((*applied)[1].version, 9003);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(EmbeddedMigrations(GetParam())->size()) + 2);
  EXPECT_EQ(ReadInt(*db, "SELECT x FROM extra"), 3);
}

TEST_P(MigrationsTest, ChangedChecksumOfAnAppliedMigrationIsAnErrorNamingTheFile) {
  {
    auto db = OpenWith(With({{0, "9002_extra.sql", "CREATE TABLE extra (x INTEGER);"}}));
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Migrate().ok());
  }
  auto db = OpenWith(With({{0, "9002_extra.sql", "CREATE TABLE extra (x INTEGER, y TEXT);"}}));
  ASSERT_NE(db, nullptr);
  auto m = db->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(m.error().message().find("9002_extra.sql"), std::string::npos) << m.error().message();
  auto status = db->Migrations();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("9002_extra.sql"), std::string::npos);
}

TEST_P(MigrationsTest, FailingMigrationIsRolledBackTogetherWithItsRow) {
  auto db = OpenWith(With({{0, "9002_broken.sql", "CREATE TABLE half (x INTEGER);\nSELECT * FROM no_such_table;"}}));
  ASSERT_NE(db, nullptr);
  auto m = db->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("9002_broken.sql"), std::string::npos) << m.error().message();
  EXPECT_FALSE(TableExists(*db, "half"));
  EXPECT_TRUE(TableExists(*db, "kv"));  // the ones before stay applied
  auto status = db->Migrations();
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  ASSERT_EQ(status->pending.size(), 1u);
  EXPECT_EQ(status->pending[0].name, "9002_broken.sql");
}

TEST_P(MigrationsTest, DatabaseNewerThanTheBinaryIsRefused) {
  {
    auto db = OpenWith(With({{0, "9002_future.sql", "CREATE TABLE future (x INTEGER);"}}));
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Migrate().ok());
  }
  auto db = OpenWith(With({}));
  ASSERT_NE(db, nullptr);
  auto m = db->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(m.error().message().find("9002_future.sql"), std::string::npos) << m.error().message();
}

}  // namespace
}  // namespace amtsweg::store
