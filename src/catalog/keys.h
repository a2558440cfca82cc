// Identifiers of the German administration, checked before they are stored:
// the Amtlicher Regionalschlüssel (ARS) of a tenant, the LeiKa key of a service,
// and the slugs Amtsweg uses as tenant and department ids. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::catalog {

enum class TenantType { kGemeinde, kAmt, kStadt, kKreis };

// "Gemeinde", "Amt", "Stadt", "Kreis".
const char* TenantTypeName(TenantType t);
std::optional<TenantType> ParseTenantType(std::string_view s);

// The parts of a 12-digit ARS: Land (2), Regierungsbezirk (1), Kreis (2),
// Gemeindeverband (4), Gemeinde (3).
struct Ars {
  std::string land, regierungsbezirk, kreis, verband, gemeinde;
};

// Checks `ars` for a tenant of `type`. Returns the parts, or a message saying
// what is wrong (for a FieldError):
//  - exactly 12 ASCII digits; Land 01-16;
//  - Kreis: Gemeindeverband 0000 and Gemeinde 000 (the Kreis level);
//  - Amt: a Gemeindeverband (not 0000) and Gemeinde 000;
//  - Gemeinde: a Gemeinde number (not 000);
//  - Stadt: a Gemeinde number, or the Kreis level (a kreisfreie Stadt such as
//    Kiel, 010020000000).
// The key is not looked up in the official list (no data is downloaded).
core::Result<Ars> CheckArs(std::string_view ars, TenantType type);

// A LeiKa key (Leistungsschlüssel): exactly 14 ASCII digits. kInvalidArgument otherwise.
core::Status CheckLeika(std::string_view key);

// Ids used in URLs (tenants, departments, services, forms): 2-63 of
// [a-z0-9-], starting with a letter or digit, no "--" at the start/end.
core::Status CheckSlug(std::string_view id);

}  // namespace amtsweg::catalog
