// Server: HTTP/1.1 on Boost.Beast + Asio (kept out of this header: pimpl).
//
// Per connection: keep-alive and pipelining; limits answered with
// problem+json and then the connection is closed:
//   400 malformed request (bad request line, header syntax, %-escape in path)
//   408 request not complete within read_timeout after its first byte (slowloris)
//   413 body over the limit: Content-Length checked before the body is read,
//       chunked bodies while they are read
//   431 request line + header fields over max_header_bytes
//   503 beyond max_connections: the connection is accepted, answered at once
//       with 503 + Retry-After and closed (a clear answer instead of a hanging
//       SYN backlog; counted in amtsweg_http_connections_rejected_total)
// An idle keep-alive connection is closed silently after idle_timeout, a new
// connection that sends nothing within read_timeout and a response the client
// does not read within write_timeout likewise. HTTP/1.1 without Host is 400;
// Content-Length together with chunked framing is 400 (request smuggling).
// `Expect: 100-continue` is answered with 100 before the body is read.
//
// Every response carries X-Request-Id (a valid incoming one — 1..128 chars of
// [A-Za-z0-9._:-] — or a new UUIDv7), Date, and the security headers below
// unless the handler set its own:
//   Content-Security-Policy: default-src 'self'; frame-ancestors 'none';
//       base-uri 'self'; object-src 'none'
//     everything (scripts, styles, images, fetch) from our own origin only, no
//     inline script or style, no framing (clickjacking), no <base> hijack, no
//     plugins. The web app is built to need nothing else.
//   X-Content-Type-Options: nosniff, X-Frame-Options: DENY (old browsers),
//   Referrer-Policy: no-referrer (paths may carry case ids; nothing leaks to
//     other sites).
//
// Metrics (Prometheus, into the registry given to Start):
//   amtsweg_http_requests_total{method,route,status}   route = pattern, "static",
//       "unmatched" or "none" (request never parsed) — never the raw path
//   amtsweg_http_request_duration_seconds{route}      handler + serialisation
//   amtsweg_http_requests_in_flight, amtsweg_http_open_connections,
//   amtsweg_http_connections_rejected_total
// Access log: one core::LogInfo("request", ...) per response with method, path,
// route, status, bytes, duration_ms, request_id, remote (off: Options::access_log).
//
// Thread-safety: Start, port, Wait and Stop are thread-safe. Stop must not be
// called from a handler (it waits for handlers to finish).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/metrics.h"
#include "core/result.h"
#include "http/router.h"
#include "http/static_files.h"

namespace amtsweg::http {

struct Options {
  std::string address = "127.0.0.1";  // the app decides whether to listen on 0.0.0.0
  uint16_t port = 8080;                // 0: an ephemeral port, see Server::port()
  int threads = 0;                     // 0: hardware concurrency, at least 2
  size_t max_header_bytes = 16 * 1024;
  uint64_t max_body_bytes = 10 * 1024 * 1024;  // RouteOptions::max_body_bytes overrides per route
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  int max_connections = 10'000;
  std::string static_dir{};  // empty: no static files (unknown paths are 404)
  StaticFilesOptions static_options{};
  bool access_log = true;
};

class Server {
 public:
  // Binds, listens and starts `options.threads` threads serving `router`.
  // `router` and `metrics` are borrowed and must outlive the server; the
  // router must not change any more. kInvalidArgument: bad address.
  // kUnavailable: cannot bind/listen (port in use, permissions).
  // kNotFound/kInvalidArgument: static_dir missing or not a directory.
  static core::Result<std::unique_ptr<Server>> Start(Options options, const Router& router,
                                                     core::metrics::Registry& metrics);

  // Stops with a zero drain timeout if Stop was not called.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one when Options::port was 0).
  uint16_t port() const;

  // Blocks until Stop has completed (from another thread, e.g. the app's
  // signal handler thread).
  void Wait();

  // Graceful shutdown, idempotent: stops accepting (new connections are
  // refused), closes idle keep-alive connections, lets requests being read or
  // handled finish and be answered (with Connection: close), and returns when
  // every connection is gone or after `drain_timeout`, when the rest are
  // closed hard. Then the threads are joined. Concurrent callers all return
  // after the shutdown.
  void Stop(std::chrono::milliseconds drain_timeout = std::chrono::seconds(10));

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace amtsweg::http
