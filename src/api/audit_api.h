// Reading the audit trail over HTTP (administrators).
#pragma once

#include "http/router.h"

namespace amtsweg::store {
class Database;
}

namespace amtsweg::api {

// GET /api/v1/tenants/{tenant}/audit?after=SEQ&limit=N (administrator):
// `{items: [{seq, at, actor, action, objectType, objectId, details, hash}], next}`
// oldest first; `next` is the `after` of the following page, null at the end.
// limit 1..1000 (default 100). `db` is borrowed and outlives the router.
void RegisterAuditRoutes(http::Router& router, store::Database* db);

}  // namespace amtsweg::api
