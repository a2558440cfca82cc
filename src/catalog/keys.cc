#include "catalog/keys.h"

#include <algorithm>

namespace amtsweg::catalog {
namespace {

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const char* TenantTypeName(TenantType t) {
  switch (t) {
    case TenantType::kGemeinde: return "Gemeinde";
    case TenantType::kAmt: return "Amt";
    case TenantType::kStadt: return "Stadt";
    case TenantType::kKreis: return "Kreis";
  }
  return "Gemeinde";
}

std::optional<TenantType> ParseTenantType(std::string_view s) {
  for (TenantType t : {TenantType::kGemeinde, TenantType::kAmt, TenantType::kStadt, TenantType::kKreis}) {
    if (s == TenantTypeName(t)) return t;
  }
  return std::nullopt;
}

core::Result<Ars> CheckArs(std::string_view ars, TenantType type) {
  if (ars.size() != 12 || !AllDigits(ars)) {
    return core::InvalidArgument("an ARS has exactly 12 digits (Land 2, Regierungsbezirk 1, Kreis 2, "
                                 "Gemeindeverband 4, Gemeinde 3)");
  }
  Ars a{std::string(ars.substr(0, 2)), std::string(ars.substr(2, 1)), std::string(ars.substr(3, 2)),
        std::string(ars.substr(5, 4)), std::string(ars.substr(9, 3))};
  int land = std::stoi(a.land);
  if (land < 1 || land > 16) return core::InvalidArgument("ARS Land " + a.land + " is not 01-16");
  bool kreis_level = a.verband == "0000" && a.gemeinde == "000";
  switch (type) {
    case TenantType::kKreis:
      if (!kreis_level) return core::InvalidArgument("the ARS of a Kreis ends in 0000000 (no Gemeindeverband, no Gemeinde)");
      break;
    case TenantType::kAmt:
      if (a.verband == "0000" || a.gemeinde != "000") {
        return core::InvalidArgument("the ARS of an Amt names a Gemeindeverband (not 0000) and Gemeinde 000");
      }
      break;
    case TenantType::kGemeinde:
      if (a.gemeinde == "000") return core::InvalidArgument("the ARS of a Gemeinde names a Gemeinde (not 000)");
      break;
    case TenantType::kStadt:
      if (a.gemeinde == "000" && !kreis_level) {
        return core::InvalidArgument("the ARS of a Stadt names a Gemeinde (not 000), or is kreisfrei (ends in 0000000)");
      }
      break;
  }
  return a;
}

core::Status CheckLeika(std::string_view key) {
  if (key.size() != 14 || !AllDigits(key)) return core::InvalidArgument("a LeiKa key has exactly 14 digits");
  return core::OkStatus();
}

core::Status CheckSlug(std::string_view id) {
  if (id.size() < 2 || id.size() > 63) return core::InvalidArgument("an id has 2 to 63 characters");
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return core::InvalidArgument("an id has only lower-case letters a-z, digits and '-'");
    }
  }
  if (id.front() == '-' || id.back() == '-') return core::InvalidArgument("an id does not start or end with '-'");
  return core::OkStatus();
}

}  // namespace amtsweg::catalog
