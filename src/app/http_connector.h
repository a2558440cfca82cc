// The built-in HTTP JSON connector: an in-process job worker for service
// tasks of type `io.amtsweg:http-json:1` (shaped like Camunda's REST connector).
//
// Inputs, each read from the job's variables (e.g. created by input mappings)
// and else from its task headers (zeebe:taskHeaders, strings):
//   url            required, http://host[:port]/path?query
//   method         GET (default), POST, PUT, PATCH, DELETE, ...
//   headers        object of header name -> string (a header: its JSON text)
//   body           any JSON: sent as application/json unless a Content-Type
//                  header says otherwise, a string is then sent as it is
//   timeoutMs      connect and response timeout in ms (default 10000)
//   resultVariable where to put {status, headers, body}; body is parsed JSON
//                  when the response says application/json, else the text
//   retryBackoffMs pause before the next attempt after a failure (default 5000)
// A 2xx response completes the job. Anything else (non-2xx, timeout, refused
// connection, bad input) fails it with retries - 1 after the back-off; with
// no retries left the engine raises an incident naming the cause.
#pragma once

#include <string_view>

#include "engine/engine.h"

namespace amtsweg::app {

inline constexpr std::string_view kHttpJsonJobType = "io.amtsweg:http-json:1";

// What the worker does with one job (exposed for tests).
engine::JobResult RunHttpJsonJob(const engine::ActivatedJob& job);

// Registers the worker on `engine`.
void RegisterHttpConnector(engine::Engine& engine);

}  // namespace amtsweg::app
