// The staff workspace: inbox, task work, the E-Akte's cases, notes, timeline,
// hand-over and full-text search (cases/), under /api/v1/tenants/{tenant}.
//
//   GET  /inbox?scope=all|mine|departments|unassigned&department=&service=&cursor=&limit=
//   POST /inbox/tasks/{taskId}/claim | /unclaim | /assign {assignee, takeOver?} | /complete {data}
//   GET  /cases?status=&service=&department=&assignee=&submittedFrom=&submittedTo=&dueFrom=&dueTo=
//              &q=&sort=submitted|due|number&order=asc|desc&cursor=&limit=
//   GET  /cases/{caseId}     GET /cases/{caseId}/timeline    GET|POST /cases/{caseId}/notes
//   POST /cases/{caseId}/handover {department, reason}       POST /cases/{caseId}/status {status}
//   GET  /search?q=&limit=
//
// Who: reads and case writes need a case worker, manager or administrator
// (roles::Assigners); completing a task a case worker or administrator. A case
// worker works only on tasks of their departments (candidate groups) or
// assigned to them (403 otherwise); managers, administrators and API tokens
// may work on any task of the tenant and take tasks over from someone else.
// Writes answer after the commit (asynchronous routes).
#pragma once

#include <memory>

#include "auth/auth.h"
#include "cases/cases.h"
#include "http/router.h"

namespace amtsweg::api {

// `cases` and `accounts` are borrowed and outlive the server.
void RegisterCasesRoutes(http::Router& router, cases::Cases& cases, auth::Service& accounts);

}  // namespace amtsweg::api
