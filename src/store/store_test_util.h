// Test support: the fixture that runs one suite against SQLite and PostgreSQL.
//
// SQLite: a fresh file in a temporary folder per test. PostgreSQL: the URL in
// AMTSWEG_TEST_PG_URL (skipped when unset), a fresh schema per test, selected
// with libpq's options=-csearch_path, dropped afterwards.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/metrics.h"
#include "store/database.h"

namespace amtsweg::store::testing {

inline std::string PgBaseUrl() {
  const char* url = std::getenv("AMTSWEG_TEST_PG_URL");
  return url != nullptr ? std::string(url) : std::string();
}

inline std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s += kChars[rng() % 36];
  return s;
}

class StoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::kPostgres) {
      base_url_ = PgBaseUrl();
      if (base_url_.empty()) GTEST_SKIP() << "AMTSWEG_TEST_PG_URL is not set; PostgreSQL variant skipped";
      schema_ = "t_" + RandomSuffix();
      PgExec("CREATE SCHEMA " + schema_);
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("aw-store-test-" + RandomSuffix());
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "amtsweg.db").string();
    }
  }

  void TearDown() override {
    if (!schema_.empty()) PgExec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  void PgExec(const std::string& sql) {
    try {
      pqxx::connection c(base_url_);
      pqxx::nontransaction tx(c);
      tx.exec(sql);
    } catch (const std::exception& e) {
      FAIL() << "PostgreSQL setup failed: " << e.what();
    }
  }

  Options MakeOptions() {
    Options o;
    o.url = url_;
    o.metrics = &metrics_;
    o.read_pool_size = 2;
    o.pg_pool_size = 2;
    return o;
  }

  // Opens (and by default migrates and starts) a database with `o`.
  std::unique_ptr<Database> Open(const Options& o, bool migrate_and_start = true) {
    auto db = Database::Open(o);
    EXPECT_TRUE(db.ok()) << db.error().ToString();
    if (!db.ok()) return nullptr;
    if (migrate_and_start) {
      auto m = (*db)->Migrate();
      EXPECT_TRUE(m.ok()) << m.error().ToString();
      auto s = (*db)->writer().Start();
      EXPECT_TRUE(s.ok()) << s.error().ToString();
    }
    return std::move(*db);
  }
  std::unique_ptr<Database> Open() { return Open(MakeOptions()); }

  // A single integer from `sql` through a read transaction; -1 on error.
  static int64_t ReadInt(Database& db, std::string_view sql) {
    auto r = db.Read([&](Tx& tx) -> core::Result<int64_t> {
      AW_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql));
      if (!row.has_value()) return core::NotFound("no row");
      return row->Int(0);
    });
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : -1;
  }

  std::string url_;
  std::string base_url_;
  std::string schema_;
  std::filesystem::path dir_;
  core::metrics::Registry metrics_;
};

inline std::string BackendName(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
}

#define AW_STORE_INSTANTIATE(Suite)                                                                       \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                               \
                           ::testing::Values(::amtsweg::store::Dialect::kSqlite,                          \
                                             ::amtsweg::store::Dialect::kPostgres),                       \
                           ::amtsweg::store::testing::BackendName)

}  // namespace amtsweg::store::testing
