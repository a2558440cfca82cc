// REST API v1 of the BPMN engine, under /api/v1/tenants/{tenant}/...
//
// Resources modelled on Camunda 8's REST API: deployments, process
// definitions (with the deployed XML), process instances (start, get, list
// with cursor pagination, cancel, variables, history), user tasks (list,
// get, assign, unassign, complete), jobs for external workers (activate,
// complete, fail, throw error, update retries), message publication and
// incidents (list, resolve). Every call is scoped to the tenant in the path;
// authentication and authorisation come later.
//
// Durable commands that callers issue in bulk (start an instance, complete a
// job or a user task, publish a message) answer asynchronously from the
// store writer's callback, so no server thread waits for an fsync.
//
// Errors are problem+json (http/problem.h): 400 malformed JSON or a bad field
// (the detail names it), 404 unknown definition/instance/task/job/incident of
// that tenant, 409 wrong state (task assigned to someone else, job not
// activated, instance not active), 422 a model refused at deployment (one
// `errors` entry per element: pointer = element id). See src/api/README.md.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"

namespace amtsweg::engine {
class Engine;
}

namespace amtsweg::api {

// Registers every engine route on `router`. `engine` is borrowed and must
// outlive the server.
void RegisterEngineRoutes(http::Router& router, engine::Engine& engine);

// The opaque page cursor for the last id of a page, and back. Decode:
// kInvalidArgument naming `cursor` for anything this API did not issue.
std::string EncodeCursor(std::string_view last_id);
core::Result<std::string> DecodeCursor(std::string_view cursor);

}  // namespace amtsweg::api
