#include "store/tx.h"

#include "store/connection.h"

namespace amtsweg::store {

Dialect Tx::dialect() const { return conn_->dialect(); }

std::optional<uint64_t> Tx::CacheEpoch() const { return conn_->CacheEpoch(); }

core::Result<int64_t> Tx::Exec(std::string_view sql, std::span<const Value> params) {
  return conn_->Exec(sql, params);
}

core::Result<std::vector<Row>> Tx::Query(std::string_view sql, std::span<const Value> params) {
  std::vector<Row> rows;
  AW_TRY(conn_->Query(sql, params, 0, &rows));
  return rows;
}

core::Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, std::span<const Value> params) {
  std::vector<Row> rows;
  AW_TRY(conn_->Query(sql, params, 1, &rows));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace amtsweg::store
