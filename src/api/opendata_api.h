// Open data routes: the tenant's dataset definition (administrators), the
// public downloads and DCAT-AP.de catalogue, and a read-only subset of the
// CKAN action API v3 for harvesters and CKAN clients.
#pragma once

#include <memory>

#include "http/router.h"

namespace amtsweg::opendata {
class OpenData;
}

namespace amtsweg::api {

// Registers on `router` (the handlers share `od`):
//   GET  /api/v1/tenants/{tenant}/opendata              definition and publications (administrators, analysts)
//   PUT  /api/v1/tenants/{tenant}/opendata              define datasets, deploy the schedule, publish (administrators)
//   POST /api/v1/tenants/{tenant}/opendata/publication  recompute every dataset now (administrators)
//   GET  /api/v1/opendata/{tenant}/datasets/{id}.csv | {id}.json   the data (public)
//   GET  /api/v1/opendata/{tenant}/datasets/{id}        303 to the catalogue (the dataset's IRI)
//   GET  /api/v1/opendata/{tenant}/catalog[.ttl|.jsonld]  DCAT-AP.de (public; /catalog negotiates by Accept)
//   GET  /api/3/action/{package_list,package_show,package_search,organization_list,resource_show}
//        CKAN 2.10 response shapes {help, success, result} / {help, success:false, error{__type, message}}
void RegisterOpenDataRoutes(http::Router& router, std::shared_ptr<opendata::OpenData> od);

}  // namespace amtsweg::api
