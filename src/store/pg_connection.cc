// PostgreSQL implementation of internal::Connection on libpqxx 6.4.
//
// libpqxx throws; every entry point here catches and maps to core::Error, so
// no exception leaves store/. Parameters travel in text format (bytea as
// "\x.." hex text), which keeps one code path for every type; the server
// infers parameter types from the statement.
#include <charconv>
#include <cmath>
#include <functional>
#include <string>
#include <unordered_map>

#include <pqxx/pqxx>

#include "core/log.h"
#include "store/connection.h"

namespace amtsweg::store::internal {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Maps the exception in flight to an Error; call only inside a catch block.
core::Error CurrentPgError(std::string_view sql) {
  auto with_sql = [&](std::string msg) {
    // pqxx messages end in a newline and may repeat the query; keep the first line.
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
    std::string out = "postgres: " + msg;
    if (!sql.empty()) out += " (in: " + SqlSnippet(sql) + ")";
    return out;
  };
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    return core::AlreadyExists(with_sql(e.what()));
  } catch (const pqxx::integrity_constraint_violation& e) {
    return core::FailedPrecondition(with_sql(e.what()));
  } catch (const pqxx::serialization_failure& e) {
    return core::Conflict(with_sql(e.what()));
  } catch (const pqxx::deadlock_detected& e) {
    return core::Conflict(with_sql(e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    return core::Unavailable(with_sql(std::string("commit outcome unknown: ") + e.what()));
  } catch (const pqxx::broken_connection& e) {
    return core::Unavailable(with_sql(e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    std::string msg = with_sql(e.what());
    if (state.starts_with("08")) return core::Unavailable(std::move(msg));          // connection exception
    if (state == "25006") return core::FailedPrecondition(std::move(msg));          // read-only transaction
    if (state.starts_with("22")) return core::InvalidArgument(std::move(msg));      // data exception
    if (state == "57014") return core::Cancelled(std::move(msg));                   // query cancelled
    if (state.starts_with("53")) return core::ResourceExhausted(std::move(msg));    // insufficient resources
    if (state == "55P03" || state.starts_with("57P")) return core::Unavailable(std::move(msg));
    if (state == "40001" || state == "40P01") return core::Conflict(std::move(msg));
    return core::Internal(std::move(msg));
  } catch (const pqxx::transaction_rollback& e) {
    return core::Conflict(with_sql(e.what()));
  } catch (const pqxx::usage_error& e) {
    return core::Internal(with_sql(e.what()));
  } catch (const std::bad_alloc&) {
    return core::ResourceExhausted("postgres: out of memory");
  } catch (const std::exception& e) {
    return core::Internal(with_sql(e.what()));
  } catch (...) {
    return core::Internal(with_sql("unknown exception"));
  }
}

// PostgreSQL type oids (src/include/catalog/pg_type.dat); stable across versions.
constexpr pqxx::oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
                    kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701;

double ParsePgReal(std::string_view s) {
  if (s == "NaN") return std::nan("");
  if (s == "Infinity") return HUGE_VAL;
  if (s == "-Infinity") return -HUGE_VAL;
  double d = 0;
  std::from_chars(s.data(), s.data() + s.size(), d);
  return d;
}

// Transactions are plain SQL (BEGIN, SAVEPOINT, COMMIT) on a pqxx::nontransaction:
// pqxx 6's transaction classes begin lazily and exec_prepared() does not
// activate them, so statements would silently run outside the transaction.
class PgConnection final : public Connection {
 public:
  explicit PgConnection(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}
  ~PgConnection() override {
    Rollback();
    try {
      conn_->disconnect();
    } catch (...) {
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  core::Status Begin(TxKind kind) override {
    if (nt_ != nullptr) return core::Internal("postgres: transaction already open");
    try {
      nt_ = std::make_unique<pqxx::nontransaction>(*conn_);
      // REPEATABLE READ for reads: every statement of one Read sees the same snapshot, as in SQLite.
      nt_->exec(kind == TxKind::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" : "BEGIN");
      aborted_ = false;
      release_pending_ = false;
      return core::OkStatus();
    } catch (...) {
      core::Error e = CurrentPgError("BEGIN");
      nt_.reset();
      return e;
    }
  }

  core::Status Commit() override {
    if (nt_ == nullptr) return core::Internal("postgres: no transaction to commit");
    if (aborted_) {
      // PostgreSQL would answer COMMIT with a silent ROLLBACK here.
      Rollback();
      return core::Internal("postgres: transaction aborted by an earlier SQL error; rolled back");
    }
    try {
      nt_->exec("COMMIT");
      nt_.reset();
      return core::OkStatus();
    } catch (const pqxx::broken_connection&) {
      nt_.reset();
      return core::Unavailable("postgres: connection lost during COMMIT; the outcome is unknown");
    } catch (...) {
      core::Error e = CurrentPgError("COMMIT");
      Rollback();
      return e;
    }
  }

  void Rollback() noexcept override {
    if (nt_ == nullptr) return;
    try {
      nt_->exec("ROLLBACK");
    } catch (...) {
      core::Error e = CurrentPgError("ROLLBACK");
      core::LogWarn("postgres rollback failed", {{"error", e.message()}});
    }
    nt_.reset();
  }

  bool InTransaction() const override { return nt_ != nullptr; }
  bool Aborted() const override { return aborted_; }

  core::Status Savepoint() override {
    if (nt_ == nullptr) return core::Internal("postgres: savepoint outside a transaction");
    // The previous command's RELEASE rides along with this SAVEPOINT: one round trip less per command.
    return Simple(release_pending_ ? "RELEASE SAVEPOINT aw_cmd; SAVEPOINT aw_cmd" : "SAVEPOINT aw_cmd");
  }

  core::Status ReleaseSavepoint() override {
    if (nt_ == nullptr) return core::Internal("postgres: no savepoint to release");
    if (aborted_) return core::Internal("postgres: cannot release a savepoint after an SQL error");
    // Deferred to the next SAVEPOINT; COMMIT releases it anyway.
    release_pending_ = true;
    return core::OkStatus();
  }

  core::Status RollbackToSavepoint() override {
    if (nt_ == nullptr) return core::Internal("postgres: no savepoint to roll back to");
    core::Status s = Simple("ROLLBACK TO SAVEPOINT aw_cmd; RELEASE SAVEPOINT aw_cmd");
    if (s.ok()) aborted_ = false;
    return s;
  }

  core::Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    pqxx::result r;
    AW_TRY(Run(sql, params, &r));
    return static_cast<int64_t>(r.affected_rows());
  }

  core::Status Query(std::string_view sql, std::span<const Value> params, size_t max_rows,
                     std::vector<Row>* out) override {
    pqxx::result r;
    AW_TRY(Run(sql, params, &r));
    try {
      const int ncol = r.columns();
      auto names = std::make_shared<std::vector<std::string>>();
      std::vector<pqxx::oid> types;
      for (int i = 0; i < ncol; ++i) {
        names->emplace_back(r.column_name(i));
        types.push_back(r.column_type(i));
      }
      size_t n = 0;
      for (const auto& row : r) {
        if (max_rows != 0 && n == max_rows) break;
        std::vector<Value> values;
        values.reserve(ncol);
        for (int i = 0; i < ncol; ++i) {
          const pqxx::field f = row[i];
          if (f.is_null()) {
            values.emplace_back();
            continue;
          }
          std::string_view text(f.c_str(), f.size());
          switch (types[i]) {
            case kInt2Oid:
            case kInt4Oid:
            case kInt8Oid:
            case kOidOid: {
              int64_t v = 0;
              std::from_chars(text.data(), text.data() + text.size(), v);
              values.emplace_back(v);
              break;
            }
            case kFloat4Oid:
            case kFloat8Oid: values.emplace_back(ParsePgReal(text)); break;
            case kBoolOid: values.emplace_back(int64_t{text == "t" ? 1 : 0}); break;
            case kByteaOid: {
              pqxx::binarystring b(f);
              values.emplace_back(Bytes(b.data(), b.data() + b.size()));
              break;
            }
            default: values.emplace_back(std::string(text)); break;
          }
        }
        out->emplace_back(names, std::move(values));
        ++n;
      }
      return core::OkStatus();
    } catch (...) {
      return CurrentPgError(sql);
    }
  }

  core::Status ExecScript(std::string_view sql) override {
    if (nt_ == nullptr) return core::Internal("postgres: statement outside a transaction");
    try {
      nt_->exec(std::string(sql));
      return core::OkStatus();
    } catch (...) {
      aborted_ = true;
      return CurrentPgError({});
    }
  }

 private:
  core::Status Simple(const char* sql) {
    try {
      nt_->exec(sql);
      release_pending_ = false;
      return core::OkStatus();
    } catch (...) {
      aborted_ = true;
      return CurrentPgError(sql);
    }
  }

  core::Status Run(std::string_view sql, std::span<const Value> params, pqxx::result* out) {
    if (nt_ == nullptr) return core::Internal("postgres: statement outside a transaction");
    // Text form of each parameter; `storage` is reserved up front so c_str() pointers stay put.
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> ptrs;
    ptrs.reserve(params.size());
    for (const Value& v : params) {
      switch (v.type()) {
        case Value::Type::kNull: ptrs.push_back(nullptr); break;
        case Value::Type::kText: ptrs.push_back(v.if_text()->c_str()); break;
        case Value::Type::kInt: {
          storage.push_back(std::to_string(*v.if_int()));
          ptrs.push_back(storage.back().c_str());
          break;
        }
        case Value::Type::kReal: {
          double d = *v.if_real();
          if (std::isnan(d)) {
            storage.emplace_back("NaN");
          } else if (std::isinf(d)) {
            storage.emplace_back(d > 0 ? "Infinity" : "-Infinity");
          } else {
            char buf[64];
            auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), d);
            storage.emplace_back(buf, p);
          }
          ptrs.push_back(storage.back().c_str());
          break;
        }
        case Value::Type::kBlob: {
          static constexpr char kHex[] = "0123456789abcdef";
          const Bytes& b = *v.if_blob();
          std::string s = "\\x";
          s.reserve(2 + 2 * b.size());
          for (uint8_t c : b) {
            s += kHex[c >> 4];
            s += kHex[c & 15];
          }
          storage.push_back(std::move(s));
          ptrs.push_back(storage.back().c_str());
          break;
        }
      }
    }
    const std::string* name = nullptr;
    bool fresh = false;
    try {
      if (auto it = prepared_.find(sql); it != prepared_.end()) {
        name = &it->second;
      } else if (prepared_.size() < kStatementCacheLimit) {
        std::string n = "aw_s" + std::to_string(++next_statement_);
        conn_->prepare(n, std::string(sql));
        name = &prepared_.emplace(std::string(sql), std::move(n)).first->second;
        fresh = true;
      }
      if (name != nullptr) {
        *out = nt_->exec_prepared(*name, pqxx::prepare::make_dynamic_params(ptrs));
      } else {
        *out = nt_->exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(ptrs));
      }
      return core::OkStatus();
    } catch (...) {
      aborted_ = true;  // PostgreSQL ignores everything but a rollback after an error
      core::Error e = CurrentPgError(sql);
      if (fresh) Forget(sql);
      if (e.message().find("bind message supplies") != std::string::npos) {
        return core::InvalidArgument(e.message());
      }
      return e;
    }
  }

  // Drops a statement whose first use failed (often a table that does not
  // exist yet), so a later call prepares it afresh.
  void Forget(std::string_view sql) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) return;
    try {
      conn_->unprepare(it->second);
    } catch (...) {
    }
    prepared_.erase(it);
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::nontransaction> nt_;  // set while a transaction is open
  bool aborted_ = false;                      // an SQL error since BEGIN or the last rollback to savepoint
  bool release_pending_ = false;              // the current savepoint is released at the next SAVEPOINT
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> prepared_;
  uint64_t next_statement_ = 0;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& url) {
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    return std::unique_ptr<Connection>(std::make_unique<PgConnection>(std::move(conn)));
  } catch (...) {
    return CurrentPgError({}).WithContext("connecting to PostgreSQL");
  }
}

}  // namespace amtsweg::store::internal
