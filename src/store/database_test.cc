#include "store/database.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::store {
namespace {

using testing::StoreTest;

class DatabaseTest : public StoreTest {};
AW_STORE_INSTANTIATE(DatabaseTest);

TEST(DatabaseOpen, RejectsUnknownUrlSchemeWithoutEchoingIt) {
  Options o;
  o.url = "mysql://root:secret@localhost/db";
  auto db = Database::Open(o);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message().find("secret"), std::string::npos);
}

TEST(DatabaseOpen, UnreachablePostgresIsUnavailable) {
  Options o;
  o.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  auto db = Database::Open(o);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code(), core::ErrorCode::kUnavailable) << db.error().ToString();
}

TEST_P(DatabaseTest, PingSucceedsOnOpenDatabase) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto s = db->Ping();
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(db->dialect(), GetParam());
}

TEST_P(DatabaseTest, BindsEveryValueTypeByPlaceholderNumber) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  const bool pg = GetParam() == Dialect::kPostgres;
  const Bytes blob{0x00, 0x01, 0x7f, 0x80, 0xff, 0x00};
  auto w = db->writer().Write([&](Tx& tx) -> core::Result<int64_t> {
    AW_TRY(tx.Exec(pg ? "CREATE TABLE typed (i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA, n TEXT, e BYTEA)"
                      : "CREATE TABLE typed (i INTEGER, r REAL, t TEXT, b BLOB, n TEXT, e BLOB)"));
    // $2 is bound before $1 in the text; each value goes by its number, not its position.
    return tx.Exec("INSERT INTO typed (r, i, b, t, n, e) VALUES ($2, $1, $4, $3, $5, $6)",
                   {std::numeric_limits<int64_t>::min(), 0.1, "Grüße, Straße 1 – ok", blob, nullptr, Bytes{}});
  });
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(*w, 1);

  auto row = db->Read([&](Tx& tx) -> core::Result<std::optional<Row>> {
    return tx.QueryOne("SELECT i, r, t, b, n, e FROM typed WHERE i = $1 AND t = $2",
                       {std::numeric_limits<int64_t>::min(), "Grüße, Straße 1 – ok"});
  });
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  ASSERT_TRUE(row->has_value());
  const Row& r = **row;
  ASSERT_NE(r.at(0).if_int(), nullptr);
  EXPECT_EQ(*r.at(0).if_int(), std::numeric_limits<int64_t>::min());
  ASSERT_NE(r.at(1).if_real(), nullptr);
  EXPECT_EQ(*r.at(1).if_real(), 0.1);
  EXPECT_EQ(r.at(2), Value("Grüße, Straße 1 – ok"));
  EXPECT_EQ(r.at(3), Value(blob));
  EXPECT_TRUE(r.IsNull(4));
  EXPECT_EQ(r.at(5), Value(Bytes{}));
  EXPECT_EQ(r.name(2), "t");
}

TEST_P(DatabaseTest, RepeatedPlaceholderBindsTheSameValue) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto r = db->Read([](Tx& tx) -> core::Result<std::optional<Row>> {
    return tx.QueryOne("SELECT $1 || '-' || $1 || '-' || $2", {"a", "b"});
  });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->Text(0), "a-a-b");
}

TEST_P(DatabaseTest, WrongParameterCountIsInvalidArgument) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto s = db->Read([](Tx& tx) -> core::Status {
    AW_TRY(tx.Query("SELECT key FROM kv WHERE tenant_id = $1 AND key = $2", {"only-one"}));
    return core::OkStatus();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kInvalidArgument) << s.error().ToString();
}

TEST_P(DatabaseTest, QueryReturnsRowsAndQueryOneNulloptWhenEmpty) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto w = db->writer().Write([](Tx& tx) -> core::Status {
    for (int i = 0; i < 3; ++i) AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t1", "k" + std::to_string(i), i}));
    AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t2", "k0", "other tenant"}));
    return core::OkStatus();
  });
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  auto rows = db->Read([](Tx& tx) { return tx.Query("SELECT key, value FROM kv WHERE tenant_id = $1 ORDER BY key", {"t1"}); });
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].Text(0), "k2");
  EXPECT_EQ((*rows)[2].Int(1), 2);
  EXPECT_EQ((*rows)[0].Index("value"), 1u);
  auto none = db->Read([](Tx& tx) { return tx.QueryOne("SELECT key FROM kv WHERE tenant_id = $1", {"t3"}); });
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(none->has_value());
}

TEST_P(DatabaseTest, DuplicateKeyIsAlreadyExists) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto insert = [](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t", "k", "v"}));
    return core::OkStatus();
  };
  ASSERT_TRUE(db->writer().Write(insert).ok());
  auto s = db->writer().Write(insert);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kAlreadyExists) << s.error().ToString();
}

TEST_P(DatabaseTest, ReadTransactionRejectsWrites) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto s = db->Read([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t", "k", "v"}));
    return core::OkStatus();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kFailedPrecondition) << s.error().ToString();
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 0);
}

TEST_P(DatabaseTest, SeveralStatementsInOneCallAreRejected) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto s = db->writer().Write([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv VALUES ('t', 'a', 'v'); INSERT INTO kv VALUES ('t', 'b', 'v')"));
    return core::OkStatus();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 0);
}

TEST_P(DatabaseTest, ExhaustedPoolTimesOutInsteadOfHanging) {
  Options o = MakeOptions();
  o.read_pool_size = 1;
  o.pg_pool_size = 1;
  o.pool_timeout = std::chrono::milliseconds(100);
  auto db = Open(o);
  ASSERT_NE(db, nullptr);
  std::promise<void> holding, release;
  auto released = release.get_future().share();
  std::thread holder([&] {
    auto s = db->Read([&](Tx&) -> core::Status {
      holding.set_value();
      released.wait();
      return core::OkStatus();
    });
    EXPECT_TRUE(s.ok());
  });
  holding.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  auto s = db->Ping();
  auto waited = std::chrono::steady_clock::now() - start;
  release.set_value();
  holder.join();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kUnavailable) << s.error().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  EXPECT_EQ(metrics_.Counter("amtsweg_store_pool_timeouts_total", "", {{"pool", "read"}}).Value(), 1);
  EXPECT_TRUE(db->Ping().ok());  // the connection came back
  EXPECT_EQ(metrics_.Gauge("amtsweg_store_pool_connections", "", {{"pool", "read"}, {"state", "idle"}}).Value(), 1);
}

TEST_P(DatabaseTest, BackupCopiesSqliteAndExplainsPgDumpForPostgres) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->writer().Write([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t", "k", "kept"}));
    return core::OkStatus();
  }).ok());
  if (GetParam() == Dialect::kPostgres) {
    auto s = db->Backup("/tmp/never-written.db");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), core::ErrorCode::kUnimplemented);
    EXPECT_NE(s.error().message().find("pg_dump"), std::string::npos) << s.error().message();
    return;
  }
  std::string path = (dir_ / "backup.db").string();
  auto s = db->Backup(path);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Options o;
  o.url = "sqlite:" + path;
  auto copy = Database::Open(o);
  ASSERT_TRUE(copy.ok()) << copy.error().ToString();
  auto status = (*copy)->Migrations();
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_TRUE(status->up_to_date());
  auto v = (*copy)->Read([](Tx& tx) { return tx.QueryOne("SELECT value FROM kv WHERE tenant_id = $1 AND key = $2", {"t", "k"}); });
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->Text(0), "kept");
}

// SQLite: the WAL is checkpointed on the checkpoint thread (or, when that
// falls far behind, on the writer), restarted from its beginning, and every
// committed row is there after a reopen.
TEST_P(DatabaseTest, SqliteWalIsCheckpointedOffTheWriterAndStaysBounded) {
  if (GetParam() == Dialect::kPostgres) GTEST_SKIP() << "SQLite only";
  Options o = MakeOptions();
  o.wal_checkpoint_pages = 8;  // inline on the writer from 128 pages
  auto db = Open(o);
  ASSERT_NE(db, nullptr);
  const std::string filler(3000, 'x');  // about one page per row
  constexpr int kBatches = 200;
  constexpr int kRowsPerBatch = 10;
  std::uintmax_t max_wal = 0;
  const std::filesystem::path wal = dir_ / "amtsweg.db-wal";
  for (int b = 0; b < kBatches; ++b) {
    auto w = db->writer().Write([&](Tx& tx) -> core::Status {
      for (int r = 0; r < kRowsPerBatch; ++r) {
        AW_TRY(tx.Exec("INSERT INTO kv VALUES ($1, $2, $3)", {"t", "k" + std::to_string(b * kRowsPerBatch + r), filler}));
      }
      return core::OkStatus();
    });
    ASSERT_TRUE(w.ok()) << w.error().ToString();
    std::error_code ec;
    max_wal = std::max(max_wal, std::filesystem::file_size(wal, ec));
  }
  // 2,000 pages were committed; without checkpoints the WAL would hold them all.
  EXPECT_LT(max_wal, 400u * 4096u) << "the WAL was not restarted";
  auto& on_thread = metrics_.Counter("amtsweg_store_wal_checkpoints_total", "", {{"on", "thread"}});
  auto& on_writer = metrics_.Counter("amtsweg_store_wal_checkpoints_total", "", {{"on", "writer"}});
  // The thread runs on its own: wait for its first checkpoint (generous bound, not a timing check).
  for (int i = 0; i < 3000 && on_thread.Value() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(on_thread.Value(), 0) << "writer checkpoints: " << on_writer.Value();
  db->Close();
  auto again = Open(MakeOptions());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(ReadInt(*again, "SELECT COUNT(*) FROM kv"), kBatches * kRowsPerBatch);
}

TEST_P(DatabaseTest, CallsAfterCloseAreUnavailable) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  db->Close();
  auto p = db->Ping();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code(), core::ErrorCode::kUnavailable);
  auto w = db->writer().Write([](Tx&) { return core::OkStatus(); });
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code(), core::ErrorCode::kUnavailable);
  auto m = db->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace amtsweg::store
