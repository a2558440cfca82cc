// Values, rows and the SQL dialect: what goes into and comes out of a statement.
//
// Value is one SQL value (NULL, 64-bit integer, double, UTF-8 text or bytes).
// Row is one result row: its values and the column names of its result.
// Both are plain values: copyable, movable, not synchronised (like std::string).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace amtsweg::store {

enum class Dialect { kSqlite, kPostgres };

// "sqlite" or "postgres", for logs, bench output and test names.
const char* DialectName(Dialect d);

using Bytes = std::vector<uint8_t>;

class Value {
 public:
  enum class Type { kNull, kInt, kReal, kText, kBlob };

  Value() = default;  // NULL
  Value(std::nullptr_t) {}                                              // NOLINT: implicit by design
  template <std::integral I>
  Value(I v) : v_(static_cast<int64_t>(v)) {}                           // NOLINT (bool becomes 0/1)
  template <std::floating_point F>
  Value(F v) : v_(static_cast<double>(v)) {}                            // NOLINT
  Value(const char* s) { if (s != nullptr) v_ = std::string(s); }       // NOLINT: nullptr -> NULL
  Value(std::string s) : v_(std::move(s)) {}                            // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}                     // NOLINT
  Value(Bytes b) : v_(std::move(b)) {}                                  // NOLINT
  static Value Blob(std::span<const uint8_t> bytes) { return Value(Bytes(bytes.begin(), bytes.end())); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return v_.index() == 0; }

  // Typed access without conversion; nullptr when the value has another type.
  const int64_t* if_int() const { return std::get_if<int64_t>(&v_); }
  const double* if_real() const { return std::get_if<double>(&v_); }
  const std::string* if_text() const { return std::get_if<std::string>(&v_); }
  const Bytes* if_blob() const { return std::get_if<Bytes>(&v_); }

  // Converting access, SQLite's rules (sqlite3_column_int64 etc.): NULL gives
  // 0 / 0.0 / "" / empty; a real truncates toward zero; text is parsed as a
  // number (0 when it is not one); numbers print in shortest round-trip form;
  // text and blob convert bytewise into each other.
  int64_t AsInt() const;
  double AsReal() const;
  std::string AsText() const;
  Bytes AsBlob() const;

  // Equal when type and content are equal (1 != 1.0; NULL == NULL here).
  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, int64_t, double, std::string, Bytes> v_;
};

// One row of a result. Getters convert as Value's As*() do. A column index
// out of range is a programmer error (AW_ASSERT).
class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values);

  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return at(i).is_null(); }
  int64_t Int(size_t i) const { return at(i).AsInt(); }
  double Real(size_t i) const { return at(i).AsReal(); }
  std::string Text(size_t i) const { return at(i).AsText(); }
  Bytes Blob(size_t i) const { return at(i).AsBlob(); }
  const Value& at(size_t i) const;

  // Column names as the database reports them (lower case for unquoted
  // identifiers in PostgreSQL), shared by all rows of one result.
  const std::string& name(size_t i) const;
  // Index of the first column named `name`, or nullopt.
  std::optional<size_t> Index(std::string_view name) const;

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<Value> values_;
};

}  // namespace amtsweg::store
