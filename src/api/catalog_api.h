// Catalogue routes: tenants, departments, services, forms (administration),
// and the public view of one service.
#pragma once

#include "catalog/catalog.h"
#include "http/router.h"

namespace amtsweg::api {

// Registers on `router` (`catalog` is borrowed and outlives the server):
//   POST/GET  /api/v1/tenants                                 create (201) / list
//   GET/PUT   /api/v1/tenants/{tenant}
//   POST/GET  /api/v1/tenants/{tenant}/departments
//   GET/PUT   /api/v1/tenants/{tenant}/departments/{department}
//   POST/GET  /api/v1/tenants/{tenant}/services
//   GET/PUT   /api/v1/tenants/{tenant}/services/{service}
//   POST/GET  /api/v1/tenants/{tenant}/forms                  new version of a form-js schema / latest versions
//   GET       /api/v1/tenants/{tenant}/forms/{form}/versions/{version}
//   GET       /api/v1/services/{service}                      public: a published service and its form schema
// Request bodies are JSON (bounded depth and size); errors are problem+json
// with one entry per field for 422.
void RegisterCatalogRoutes(http::Router& router, catalog::Catalog& catalog);

}  // namespace amtsweg::api
