// FEEL operators on values (DMN 1.3 §10.3.2.3 semantics tables): arithmetic on
// numbers, strings, temporal values and durations. An invalid combination
// yields null and a warning in `st`.
#pragma once

#include "feel/value.h"

namespace amtsweg::feel {

Value OpAdd(const Value& a, const Value& b, EvalState& st);
Value OpSub(const Value& a, const Value& b, EvalState& st);
Value OpMul(const Value& a, const Value& b, EvalState& st);
Value OpDiv(const Value& a, const Value& b, EvalState& st);
Value OpPow(const Value& a, const Value& b, EvalState& st);
Value OpNeg(const Value& a, EvalState& st);

// date and time from a date (midnight, local).
DateTime DateToDateTime(const Date& d);
// Adds months to a date-time, clamping the day to the month's end.
DateTime AddMonths(const DateTime& dt, int64_t months);
// Adds a days-and-time duration to a date-time.
DateTime AddNanos(const DateTime& dt, Int128 nanos);

// Duration helpers with decimals.
std::optional<Decimal> DtToSeconds(const DtDuration& d);
std::optional<DtDuration> SecondsToDt(const Decimal& secs);

}  // namespace amtsweg::feel
