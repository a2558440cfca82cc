// Tx: the handle a read or write function gets to run SQL in its transaction.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/value.h"

namespace amtsweg::store {

namespace internal {
class Connection;
}

// A transaction in progress, lent to the function given to Database::Read or
// Writer::Write/Submit. Valid only during that call; do not keep it.
// Not thread-safe: use it from the thread that called the function.
//
// SQL uses $1..$n placeholders in both dialects; a placeholder may appear
// several times and in any order. Parameters are bound, never spliced into the
// SQL. Prepared statements are cached per connection by SQL text, so keep
// varying data out of the text. Exactly one statement per call.
//
// Errors (Exec, Query, QueryOne):
//   kInvalidArgument    wrong number of parameters, several statements, a placeholder other than $n
//   kAlreadyExists      unique or primary key violation
//   kFailedPrecondition other constraint violations; a write in a read transaction
//   kConflict           serialization failure or deadlock (retry the whole transaction)
//   kUnavailable        connection lost, database busy or full
//   kInternal           SQL errors (syntax, unknown table) and everything else
// After an error in a write command, return it (or another error): the writer
// rolls the command back to its savepoint. In PostgreSQL the transaction
// accepts no further statements after an error.
class Tx {
 public:
  explicit Tx(internal::Connection* conn) : conn_(conn) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  Dialect dialect() const;

  // Runs one statement; returns the number of rows it inserted, updated or deleted.
  core::Result<int64_t> Exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  core::Result<int64_t> Exec(std::string_view sql, std::span<const Value> params);

  // Runs one statement and returns all its rows.
  core::Result<std::vector<Row>> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  core::Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params);

  // Runs one statement and returns its first row, nullopt when it has none.
  // Further rows are not fetched.
  core::Result<std::optional<Row>> QueryOne(std::string_view sql, std::initializer_list<Value> params = {}) {
    return QueryOne(sql, std::span<const Value>(params.begin(), params.size()));
  }
  core::Result<std::optional<Row>> QueryOne(std::string_view sql, std::span<const Value> params);

  // For a process-local cache of what a write command read (e.g. the engine's
  // latest definition per process id): a number that stays the same as long
  // as nothing read before may have changed behind this process's back. It
  // changes when a batch or a command's savepoint is rolled back (a cached
  // value may come from writes that are gone) and when another connection or
  // process committed to the database since this connection's last
  // transaction. Writes by the process itself are the cache owner's to
  // invalidate. nullopt: no such guarantee (PostgreSQL, where other nodes
  // write unseen; read transactions) -- do not cache then.
  std::optional<uint64_t> CacheEpoch() const;

 private:
  internal::Connection* conn_;
};

namespace internal {
// The T of a core::Result<T>; used by the templates that accept functions
// returning either core::Status or core::Result<T>.
template <class R>
struct ResultValue;
template <class T>
struct ResultValue<core::Result<T>> {
  using type = T;
};
}  // namespace internal

}  // namespace amtsweg::store
