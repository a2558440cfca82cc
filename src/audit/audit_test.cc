#include "audit/audit.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::audit {
namespace {

using store::testing::StoreTest;

class AuditTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
  }

  // Appends `n` entries for `tenant`, each in its own command.
  void AppendN(const std::string& tenant, int n) {
    for (int i = 0; i < n; ++i) {
      Entry e{.tenant = tenant, .actor = "user:u1", .action = "test.did_something", .object_type = "thing",
              .object_id = "t" + std::to_string(i), .details = {{"i", i}, {"text", "Straße"}}};
      auto seq = db_->writer().Write([&](store::Tx& tx) { return Append(tx, e, clock_now_); });
      ASSERT_TRUE(seq.ok()) << seq.error().ToString();
    }
  }

  void Exec(const std::string& sql, std::initializer_list<store::Value> params) {
    std::vector<store::Value> p(params);
    auto s = db_->writer().Write([&](store::Tx& tx) { return tx.Exec(sql, std::span<const store::Value>(p)); });
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  ChainReport VerifyOne(const std::string& tenant) {
    auto r = Verify(*db_, tenant);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok() || r->size() != 1) return {};
    return r->front();
  }

  std::unique_ptr<store::Database> db_;
  core::Timestamp clock_now_ = core::FromUnixMillis(1'780'000'000'000);
};

TEST_P(AuditTest, AppendsAGaplessChainPerTenant) {
  AppendN("amt-a", 3);
  AppendN("amt-b", 2);
  auto a = db_->Read([&](store::Tx& tx) { return List(tx, "amt-a", 0, 100); });
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].seq, 1);
  EXPECT_EQ((*a)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ((*a)[1].prev_hash, (*a)[0].hash);
  EXPECT_EQ((*a)[2].prev_hash, (*a)[1].hash);
  EXPECT_EQ((*a)[2].details, R"({"i":2,"text":"Straße"})");
  auto all = Verify(*db_, std::nullopt);
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].tenant, "amt-a");
  EXPECT_TRUE((*all)[0].intact);
  EXPECT_EQ((*all)[0].entries, 3);
  EXPECT_EQ((*all)[1].entries, 2);
  EXPECT_TRUE((*all)[1].intact);
}

TEST_P(AuditTest, EntryRollsBackWithTheChangeItRecords) {
  AppendN("amt-a", 1);
  auto s = db_->writer().Write([&](store::Tx& tx) -> core::Status {
    AW_TRY(Append(tx, {.tenant = "amt-a", .actor = "cli", .action = "test.failed"}, clock_now_));
    return core::FailedPrecondition("the change itself failed");
  });
  ASSERT_FALSE(s.ok());
  AppendN("amt-a", 1);
  ChainReport r = VerifyOne("amt-a");
  EXPECT_TRUE(r.intact) << r.problem;
  EXPECT_EQ(r.entries, 2);
}

TEST_P(AuditTest, VerifyNamesTheAlteredEntry) {
  AppendN("amt-a", 5);
  AppendN("amt-b", 5);
  Exec("UPDATE audit_log SET details = $3 WHERE tenant_id = $1 AND seq = $2", {"amt-a", 3, R"({"i":99})"});
  ChainReport r = VerifyOne("amt-a");
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_NE(r.problem.find("entry 3 was altered"), std::string::npos) << r.problem;
  EXPECT_TRUE(VerifyOne("amt-b").intact);
}

TEST_P(AuditTest, VerifyNamesAnEntryRewrittenTogetherWithItsHash) {
  AppendN("amt-a", 5);
  auto rows = db_->Read([&](store::Tx& tx) { return List(tx, "amt-a", 0, 10); });
  ASSERT_TRUE(rows.ok());
  StoredEntry forged = (*rows)[1];  // seq 2
  forged.actor = "user:somebody-else";
  forged.hash = EntryHash(forged);
  Exec("UPDATE audit_log SET actor = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2",
       {"amt-a", 2, forged.actor, forged.hash});
  ChainReport r = VerifyOne("amt-a");
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 2) << r.problem;
}

TEST_P(AuditTest, VerifyNamesTheRemovedEntry) {
  AppendN("amt-a", 5);
  Exec("DELETE FROM audit_log WHERE tenant_id = $1 AND seq = $2", {"amt-a", 4});
  ChainReport r = VerifyOne("amt-a");
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_NE(r.problem.find("entry 4 was removed"), std::string::npos) << r.problem;
}

TEST_P(AuditTest, VerifyNoticesEntriesRemovedFromTheEnd) {
  AppendN("amt-a", 5);
  Exec("DELETE FROM audit_log WHERE tenant_id = $1 AND seq >= $2", {"amt-a", 4});
  ChainReport r = VerifyOne("amt-a");
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 4) << r.problem;
}

TEST_P(AuditTest, RefusesEntriesWithoutActorOrAction) {
  auto s = db_->writer().Write(
      [&](store::Tx& tx) { return Append(tx, {.tenant = "amt-a", .actor = "", .action = "x"}, clock_now_); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message().find("actor"), std::string::npos);
}

AW_STORE_INSTANTIATE(AuditTest);

}  // namespace
}  // namespace amtsweg::audit
