#include "feel/decimal.h"

#include <cstring>
#include <string>

extern "C" {
#include <bid_conf.h>
#include <bid_functions.h>
}

namespace amtsweg::feel {
namespace {

constexpr _IDEC_round kNearestEven = BID_ROUNDING_TO_NEAREST;

BID_UINT128 ToBid(const uint64_t (&w)[2]) {
  BID_UINT128 r;
  std::memcpy(&r, w, sizeof(r));
  return r;
}

template <typename Bits>
Bits FromBid(BID_UINT128 v) {
  Bits b;
  std::memcpy(&b.w, &v, sizeof(b.w));
  return b;
}

bool IsFinite(BID_UINT128 v) { return bid128_isFinite(v) != 0; }

}  // namespace

Decimal::Decimal() : bits_(FromBid<Bits>(bid128_from_int32(0))) {}

Decimal Decimal::FromInt(int64_t v) { return Decimal(FromBid<Bits>(bid128_from_int64(v))); }

std::optional<Decimal> Decimal::Checked(Bits b) {
  if (!IsFinite(ToBid(b.w))) return std::nullopt;
  return Decimal(b);
}

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  // Validate the grammar ourselves: the library accepts "Inf", "NaN" and
  // silently stops at junk.
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  std::string buf(text);
  _IDEC_flags flags = 0;
  BID_UINT128 v = bid128_from_string(buf.data(), kNearestEven, &flags);
  return Checked(FromBid<Bits>(v));
}

std::optional<Decimal> Decimal::Add(const Decimal& o) const {
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_add(ToBid(bits_.w), ToBid(o.bits_.w), kNearestEven, &f)));
}
std::optional<Decimal> Decimal::Sub(const Decimal& o) const {
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_sub(ToBid(bits_.w), ToBid(o.bits_.w), kNearestEven, &f)));
}
std::optional<Decimal> Decimal::Mul(const Decimal& o) const {
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_mul(ToBid(bits_.w), ToBid(o.bits_.w), kNearestEven, &f)));
}
std::optional<Decimal> Decimal::Div(const Decimal& o) const {
  if (o.IsZero()) return std::nullopt;
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_div(ToBid(bits_.w), ToBid(o.bits_.w), kNearestEven, &f)));
}

std::optional<Decimal> Decimal::Mod(const Decimal& o) const {
  if (o.IsZero()) return std::nullopt;
  auto q = Div(o);
  if (!q) return std::nullopt;
  auto p = o.Mul(q->Floor());
  if (!p) return std::nullopt;
  return Sub(*p);
}

std::optional<Decimal> Decimal::Pow(const Decimal& e) const {
  auto n = e.ToInt64();
  if (n && *n > -100000 && *n < 100000) {
    // Exact-as-possible square-and-multiply: 34-digit rounding per step, like
    // BigDecimal.pow with DECIMAL128.
    int64_t k = *n < 0 ? -*n : *n;
    Decimal result = FromInt(1), base = *this;
    while (k > 0) {
      if (k & 1) {
        auto r = result.Mul(base);
        if (!r) return std::nullopt;
        result = *r;
      }
      k >>= 1;
      if (k > 0) {
        auto b = base.Mul(base);
        if (!b) return std::nullopt;
        base = *b;
      }
    }
    if (*n < 0) return FromInt(1).Div(result);
    return result;
  }
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_pow(ToBid(bits_.w), ToBid(e.bits_.w), kNearestEven, &f)));
}

std::optional<Decimal> Decimal::Sqrt() const {
  if (IsNegative()) return std::nullopt;
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_sqrt(ToBid(bits_.w), kNearestEven, &f)));
}
std::optional<Decimal> Decimal::Exp() const {
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_exp(ToBid(bits_.w), kNearestEven, &f)));
}
std::optional<Decimal> Decimal::Ln() const {
  if (IsNegative() || IsZero()) return std::nullopt;
  _IDEC_flags f = 0;
  return Checked(FromBid<Bits>(bid128_log(ToBid(bits_.w), kNearestEven, &f)));
}

Decimal Decimal::Negate() const { return Decimal(FromBid<Bits>(bid128_negate(ToBid(bits_.w)))); }
Decimal Decimal::Abs() const { return Decimal(FromBid<Bits>(bid128_abs(ToBid(bits_.w)))); }

Decimal Decimal::Floor() const {
  _IDEC_flags f = 0;
  return Decimal(FromBid<Bits>(bid128_round_integral_negative(ToBid(bits_.w), &f)));
}
Decimal Decimal::Ceiling() const {
  _IDEC_flags f = 0;
  return Decimal(FromBid<Bits>(bid128_round_integral_positive(ToBid(bits_.w), &f)));
}
Decimal Decimal::Truncate() const {
  _IDEC_flags f = 0;
  return Decimal(FromBid<Bits>(bid128_round_integral_zero(ToBid(bits_.w), &f)));
}

std::optional<Decimal> Decimal::RoundTo(int64_t scale, Rounding mode) const {
  // Beyond the representable exponent range rounding changes nothing (or
  // everything, to zero).
  if (scale > 6000) return *this;
  if (scale < -6000) return Decimal();
  // Shift so the rounding position is the units digit, round to integral,
  // shift back; exact because scalbn only changes the exponent.
  _IDEC_flags f = 0;
  BID_UINT128 x = ToBid(bits_.w);
  BID_UINT128 shifted = bid128_scalbn(x, static_cast<int>(scale), kNearestEven, &f);
  BID_UINT128 r;
  switch (mode) {
    case Rounding::kHalfEven: r = bid128_round_integral_nearest_even(shifted, &f); break;
    case Rounding::kHalfUp: r = bid128_round_integral_nearest_away(shifted, &f); break;
    case Rounding::kUp:
      r = bid128_isSigned(shifted) ? bid128_round_integral_negative(shifted, &f)
                                   : bid128_round_integral_positive(shifted, &f);
      break;
    case Rounding::kDown: r = bid128_round_integral_zero(shifted, &f); break;
    case Rounding::kFloor: r = bid128_round_integral_negative(shifted, &f); break;
    case Rounding::kCeiling: r = bid128_round_integral_positive(shifted, &f); break;
    case Rounding::kHalfDown: {
      BID_UINT128 t = bid128_round_integral_zero(shifted, &f);
      BID_UINT128 diff = bid128_abs(bid128_sub(shifted, t, kNearestEven, &f));
      BID_UINT128 half = bid128_from_string(const_cast<char*>("0.5"), kNearestEven, &f);
      if (bid128_quiet_greater(diff, half, &f)) {
        r = bid128_round_integral_nearest_away(shifted, &f);
      } else {
        r = t;
      }
      break;
    }
    default: r = shifted;
  }
  BID_UINT128 back = bid128_scalbn(r, static_cast<int>(-scale), kNearestEven, &f);
  auto d = Checked(FromBid<Bits>(back));
  if (!d) return std::nullopt;
  // Give the result the requested scale (e.g. round(1, 2) -> 1.00) when it fits.
  if (scale >= 0 && scale < 34) {
    BID_UINT128 q = bid128_scalbn(bid128_from_int32(1), static_cast<int>(-scale), kNearestEven, &f);
    _IDEC_flags qf = 0;
    BID_UINT128 quant = bid128_quantize(back, q, kNearestEven, &qf);
    if (!(qf & BID_INVALID_EXCEPTION) && IsFinite(quant)) return Decimal(FromBid<Bits>(quant));
  }
  return d;
}

bool Decimal::IsZero() const { return bid128_isZero(ToBid(bits_.w)) != 0; }
bool Decimal::IsNegative() const { return !IsZero() && bid128_isSigned(ToBid(bits_.w)) != 0; }
bool Decimal::IsInteger() const { return Compare(Truncate()) == 0; }

std::optional<int64_t> Decimal::ToInt64() const {
  if (!IsInteger()) return std::nullopt;
  return TruncToInt64();
}

std::optional<int64_t> Decimal::TruncToInt64() const {
  _IDEC_flags f = 0;
  BID_SINT64 v = bid128_to_int64_int(ToBid(bits_.w), &f);
  if (f & BID_INVALID_EXCEPTION) return std::nullopt;
  return v;
}

double Decimal::ToDouble() const {
  _IDEC_flags f = 0;
  return bid128_to_binary64(ToBid(bits_.w), kNearestEven, &f);
}

namespace {

// Fast path for the common case: both finite, coefficient in the usual
// encoding (steering bits not 11), same exponent. Then the order is the order
// of the signed coefficients. Returns false when it does not apply.
bool FastCompare(const uint64_t (&a)[2], const uint64_t (&b)[2], int* out) {
  constexpr uint64_t kSteer = 0x6000000000000000ull;
  if ((a[1] & kSteer) == kSteer || (b[1] & kSteer) == kSteer) return false;
  constexpr uint64_t kExpMask = 0x7FFE000000000000ull;
  if ((a[1] & kExpMask) != (b[1] & kExpMask)) return false;
  constexpr uint64_t kCoefHigh = 0x0001FFFFFFFFFFFFull;
  unsigned __int128 ca = (static_cast<unsigned __int128>(a[1] & kCoefHigh) << 64) | a[0];
  unsigned __int128 cb = (static_cast<unsigned __int128>(b[1] & kCoefHigh) << 64) | b[0];
  bool na = (a[1] >> 63) != 0 && ca != 0, nb = (b[1] >> 63) != 0 && cb != 0;
  if (na != nb) {
    *out = na ? -1 : 1;
    return true;
  }
  int c = ca < cb ? -1 : (ca > cb ? 1 : 0);
  *out = na ? -c : c;
  return true;
}

}  // namespace

int Decimal::Compare(const Decimal& o) const {
  int fast;
  if (FastCompare(bits_.w, o.bits_.w, &fast)) return fast;
  _IDEC_flags f = 0;
  if (bid128_quiet_equal(ToBid(bits_.w), ToBid(o.bits_.w), &f)) return 0;
  return bid128_quiet_less(ToBid(bits_.w), ToBid(o.bits_.w), &f) ? -1 : 1;
}

void Decimal::Decompose(bool* negative, std::string* digits, int* exponent) const {
  char buf[64];
  _IDEC_flags f = 0;
  bid128_to_string(buf, ToBid(bits_.w), &f);
  // Library format: [+-]<digits>E[+-]<exp>
  const char* p = buf;
  *negative = (*p == '-');
  if (*p == '+' || *p == '-') ++p;
  digits->clear();
  while (*p >= '0' && *p <= '9') digits->push_back(*p++);
  int exp = 0;
  if (*p == 'E') exp = std::atoi(p + 1);
  size_t first = digits->find_first_not_of('0');
  if (first == std::string::npos) {
    digits->assign(1, '0');
    *negative = false;
    *exponent = 0;
    return;
  }
  digits->erase(0, first);
  while (digits->size() > 1 && digits->back() == '0') {
    digits->pop_back();
    ++exp;
  }
  *exponent = exp;
}

std::string Decimal::ToString() const {
  bool neg;
  std::string digits;
  int exp;
  Decompose(&neg, &digits, &exp);
  std::string out;
  out.reserve(digits.size() + 48);
  if (neg) out.push_back('-');
  if (exp >= 0) {
    out.append(digits);
    if (digits != "0") out.append(static_cast<size_t>(exp), '0');
    return out;
  }
  int point = static_cast<int>(digits.size()) + exp;  // digits before the point
  if (point > 0) {
    out.append(digits, 0, static_cast<size_t>(point));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(point), std::string::npos);
  } else {
    out.push_back('0');
    out.push_back('.');
    out.append(static_cast<size_t>(-point), '0');
    out.append(digits);
  }
  return out;
}

}  // namespace amtsweg::feel
