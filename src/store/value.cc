#include "store/value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/result.h"

namespace amtsweg::store {

const char* DialectName(Dialect d) {
  switch (d) {
    case Dialect::kSqlite: return "sqlite";
    case Dialect::kPostgres: return "postgres";
  }
  return "unknown";
}

namespace {

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  return s;
}

double ParseReal(std::string_view s) {
  s = TrimSpace(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc()) return 0.0;
  return d;
}

int64_t ParseInt(std::string_view s) {
  s = TrimSpace(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t i = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  // "12.5" or "1e3": fall back to the real reading and truncate, as SQLite does.
  if (ec == std::errc() && (ptr == s.data() + s.size() || (*ptr != '.' && *ptr != 'e' && *ptr != 'E'))) {
    return i;
  }
  double d = ParseReal(s);
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

std::string RealToText(double d) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  if (ec != std::errc()) return "0";
  return std::string(buf, ptr);
}

}  // namespace

int64_t Value::AsInt() const {
  switch (type()) {
    case Type::kNull: return 0;
    case Type::kInt: return std::get<int64_t>(v_);
    case Type::kReal: {
      double d = std::get<double>(v_);
      if (std::isnan(d)) return 0;
      if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
      if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(d);
    }
    case Type::kText: return ParseInt(std::get<std::string>(v_));
    case Type::kBlob: {
      const Bytes& b = std::get<Bytes>(v_);
      return ParseInt(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    }
  }
  return 0;
}

double Value::AsReal() const {
  switch (type()) {
    case Type::kNull: return 0.0;
    case Type::kInt: return static_cast<double>(std::get<int64_t>(v_));
    case Type::kReal: return std::get<double>(v_);
    case Type::kText: return ParseReal(std::get<std::string>(v_));
    case Type::kBlob: {
      const Bytes& b = std::get<Bytes>(v_);
      return ParseReal(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    }
  }
  return 0.0;
}

std::string Value::AsText() const {
  switch (type()) {
    case Type::kNull: return {};
    case Type::kInt: return std::to_string(std::get<int64_t>(v_));
    case Type::kReal: return RealToText(std::get<double>(v_));
    case Type::kText: return std::get<std::string>(v_);
    case Type::kBlob: {
      const Bytes& b = std::get<Bytes>(v_);
      return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
  }
  return {};
}

Bytes Value::AsBlob() const {
  switch (type()) {
    case Type::kNull: return {};
    case Type::kBlob: return std::get<Bytes>(v_);
    default: {
      std::string s = AsText();
      return Bytes(s.begin(), s.end());
    }
  }
}

Row::Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
    : names_(std::move(names)), values_(std::move(values)) {}

const Value& Row::at(size_t i) const {
  AW_ASSERT(i < values_.size(), "row column index out of range");
  return values_[i];
}

const std::string& Row::name(size_t i) const {
  AW_ASSERT(names_ != nullptr && i < names_->size(), "row column index out of range");
  return (*names_)[i];
}

std::optional<size_t> Row::Index(std::string_view name) const {
  if (names_ == nullptr) return std::nullopt;
  for (size_t i = 0; i < names_->size(); ++i) {
    if ((*names_)[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace amtsweg::store
