// The built-in HTTP JSON connector: an in-process job worker for service
// tasks of type `io.amtsweg:http-json:1` (shaped like Camunda's REST connector).
//
// Inputs, each read from the job's variables (e.g. created by input mappings)
// and else from its task headers (zeebe:taskHeaders, strings):
//   url            required, https://host[:port]/path?query (http:// only
//                  when the installation allows it: [outbound] allow_http)
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
//
// Destinations pass the installation's outbound policy (http/outbound.h, the
// `[outbound]` configuration): by default https only and no loopback, private,
// link-local (cloud metadata) or other non-public address, checked on the
// address actually connected to. A refused URL fails the job like any other
// error; the incident's text names the reason and the setting that allows it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "http/outbound.h"

namespace amtsweg::app {

inline constexpr std::string_view kHttpJsonJobType = "io.amtsweg:http-json:1";

struct HttpConnectorOptions {
  // The SSRF guard; never null (the default: https only, public addresses only).
  std::shared_ptr<const http::OutboundPolicy> policy = std::make_shared<http::OutboundPolicy>();
  std::string ca_file{};  // further trusted CAs ([outbound] ca_file)
};

// What the worker does with one job (exposed for tests).
engine::JobResult RunHttpJsonJob(const engine::ActivatedJob& job, const HttpConnectorOptions& options = {});

// Registers the worker on `engine`.
void RegisterHttpConnector(engine::Engine& engine, HttpConnectorOptions options = {});

}  // namespace amtsweg::app
