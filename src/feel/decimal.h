// Decimal: a FEEL number, IEEE 754-2008 decimal128 (34 significant digits,
// round-half-even), backed by the Intel Decimal Floating-Point Math Library.
//
// FEEL numbers never go through `double`. Values are immutable and cheap to copy
// (16 bytes). Operations that have no finite result (division by zero, sqrt of a
// negative number, overflow) return std::nullopt; FEEL turns that into null.
// Thread-safe: no global rounding mode or flags are used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace amtsweg::feel {

class Decimal {
 public:
  enum class Rounding { kHalfEven, kHalfUp, kHalfDown, kUp, kDown, kFloor, kCeiling };

  Decimal();  // zero
  static Decimal FromInt(int64_t v);
  // Parses "12", "-1.5", ".5", "1e3", "1.2E-4". Rejects NaN/Infinity and junk.
  static std::optional<Decimal> Parse(std::string_view text);

  // Arithmetic; nullopt when the result is not a finite number.
  std::optional<Decimal> Add(const Decimal& o) const;
  std::optional<Decimal> Sub(const Decimal& o) const;
  std::optional<Decimal> Mul(const Decimal& o) const;
  std::optional<Decimal> Div(const Decimal& o) const;
  // Floored modulo as FEEL defines it: a - b*floor(a/b). nullopt for b = 0.
  std::optional<Decimal> Mod(const Decimal& o) const;
  std::optional<Decimal> Pow(const Decimal& exponent) const;
  std::optional<Decimal> Sqrt() const;
  std::optional<Decimal> Exp() const;
  std::optional<Decimal> Ln() const;
  Decimal Negate() const;
  Decimal Abs() const;

  // Rounds to `scale` digits after the point (negative scale rounds left of it).
  std::optional<Decimal> RoundTo(int64_t scale, Rounding mode) const;
  Decimal Floor() const;
  Decimal Ceiling() const;
  Decimal Truncate() const;

  bool IsZero() const;
  bool IsNegative() const;
  bool IsInteger() const;
  // nullopt if not an integer or out of int64 range.
  std::optional<int64_t> ToInt64() const;
  // Truncates toward zero; nullopt if out of range.
  std::optional<int64_t> TruncToInt64() const;
  double ToDouble() const;  // only for JSON export and float-only math

  // -1, 0, 1 by numeric value (1 == 1.0).
  int Compare(const Decimal& o) const;
  bool operator==(const Decimal& o) const { return Compare(o) == 0; }
  bool operator<(const Decimal& o) const { return Compare(o) < 0; }

  // Plain notation without exponent and without trailing fractional zeros:
  // "1.1", "-0.5", "100", "0.000001".
  std::string ToString() const;
  // Coefficient digits and exponent of the value with trailing zeros removed.
  void Decompose(bool* negative, std::string* digits, int* exponent) const;

 private:
  struct Bits {
    uint64_t w[2];
  };
  explicit Decimal(Bits b) : bits_(b) {}
  static std::optional<Decimal> Checked(Bits b);
  Bits bits_;
};

}  // namespace amtsweg::feel
