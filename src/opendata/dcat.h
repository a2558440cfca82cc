// The DCAT-AP.de catalogue of a tenant's published datasets, and the CKAN
// action API's package/resource/organization dicts of the same (pure).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "opendata/opendata.h"

namespace amtsweg::opendata {

// Stable URLs under `base` (scheme://host[:port], no trailing slash).
std::string CatalogUrl(std::string_view base, std::string_view tenant);
std::string DatasetUrl(std::string_view base, std::string_view tenant, std::string_view dataset);
std::string DownloadUrl(std::string_view base, std::string_view tenant, std::string_view dataset,
                        std::string_view format);  // format: csv | json

// politicalGeocodingURI and -LevelURI of a tenant from its ARS and type.
struct Geocoding {
  std::string uri;
  std::string level;
};
Geocoding GeocodingOf(const TenantInfo& t);

// DCAT-AP.de 3.0: a dcat:Catalog with a dcat:Dataset per published dataset,
// each with a CSV and a JSON dcat:Distribution. Both serialisations carry the
// same triples.
std::string ToTurtle(const TenantCatalog& c, std::string_view base);
core::Json ToJsonLd(const TenantCatalog& c, std::string_view base);

// CKAN action API v3 (2.10) dicts.
std::string CkanPackageName(std::string_view tenant, std::string_view dataset);
core::Json CkanOrganization(const TenantCatalog& c);
core::Json CkanPackage(const TenantCatalog& c, const DatasetDef& d, const Publication& p, std::string_view base);
// Deterministic UUID-shaped id of `key` (from its SHA-256): CKAN clients expect UUIDs.
std::string CkanId(std::string_view key);

}  // namespace amtsweg::opendata
