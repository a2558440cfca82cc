// StaticFiles: serves the built web app (web/dist) for GET/HEAD of non-API paths.
//
// - Content-Type by extension (ContentTypeFor), `X-Content-Type-Options: nosniff`
//   comes from the server.
// - ETag `"<size hex>-<mtime ns hex>"`; If-None-Match (list, weak comparison,
//   "*") answers 304.
// - Cache-Control: `public, max-age=31536000, immutable` under /assets/ (Vite
//   puts content-hashed names there); `no-cache` for everything else, so
//   index.html is revalidated on every load and a deploy is seen at once.
// - No escape from the root: a decoded ".." or "." segment, a NUL or backslash
//   is refused, and the resolved real path (symlinks followed) must lie inside
//   the real root; otherwise nothing is served (the server answers 404).
// - Precompressed files (like nginx's gzip_static/brotli_static): when the
//   client accepts br (or gzip) and `<file>.br` (or `.gz`) exists beside the
//   file and is not older than it, its bytes are sent with that
//   Content-Encoding, the original's Content-Type and an ETag of its own;
//   every answer says `Vary: Accept-Encoding`. The web build writes the twins
//   (web/scripts/compress.mjs), so nothing is compressed per request.
// - SPA fallback: a path that matches no file, is not under the API prefix or
//   /assets/ and whose last segment has no '.' gets index.html (client routes
//   like /portal/services/abc).
// - Route hints: when `route_hints` (route-hints.json, written by the web
//   build: web/scripts/route-hints.ts) lies in the root and a fallback path
//   matches one of its patterns, index.html goes out with `<link
//   rel="modulepreload|preload">` tags for that route inserted before
//   </head> (the route's lazy chunks, CSS and API data), so the browser
//   fetches them beside the entry bundle instead of one round trip after
//   another. Such an answer is not compressed (index.html is small) and has an
//   ETag of its own (`"…-h<hash>"`).
// - A CSP per area: the index.html answered for a path under a prefix of
//   `csp_by_prefix` carries that Content-Security-Policy (the server adds its
//   strict default only where a response has none); e.g. the designer, whose
//   bpmn.io editors set inline styles.
// - Files up to `max_cached_file_bytes` are kept in memory (shared, never
//   copied per response) and revalidated with one stat() per request, so a new
//   build is picked up without restart; bigger files are read per request.
//   Measured with wrk on 2 shared cores: a 100 kB file costs 35 µs of server
//   CPU per request from memory against 87 µs read per request.
//
// Thread-safety: Serve is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/response.h"

namespace amtsweg::http {

struct StaticFilesOptions {
  std::string api_prefix = "/api/";  // never answered with index.html
  std::string index = "index.html";
  uint64_t max_cached_file_bytes = 4u << 20;
  uint64_t max_cache_bytes = 64u << 20;  // beyond it, files are read per request
  std::string route_hints = "route-hints.json";  // below the root; empty: no route hints
  // The index.html of a path under one of these prefixes goes out with this
  // Content-Security-Policy instead of the server's default (first match).
  std::vector<std::pair<std::string, std::string>> csp_by_prefix{};
};

// One route of route-hints.json: {"routes": [{"pattern": "/:tenant/x",
// "hints": [{"href": "/api/v1/x/:tenant", "as": "fetch|modulepreload|style"}]}]}.
struct RouteHints {
  struct Hint {
    std::string href;  // ":name" segments are replaced by the matched path segment
    std::string as;
  };
  struct Route {
    std::vector<std::string> pattern;  // segments; ":name" matches any one non-empty segment
    std::vector<Hint> hints;
  };
  std::vector<Route> routes;
};

// kInvalidArgument naming the offending field (e.g. "routes[1].hints[0].as").
core::Result<RouteHints> ParseRouteHints(std::string_view json);

// The <link> tags for the decoded `path` from the first route whose pattern
// matches it (same number of segments, literals equal); empty when none does.
// Captured segments are percent-encoded as JavaScript's encodeURIComponent
// does, so the URLs equal the ones the app requests.
std::string RouteHintLinks(const RouteHints& hints, std::string_view path);

// "text/html; charset=utf-8" for "x/index.html"; "application/octet-stream" if unknown.
std::string_view ContentTypeFor(std::string_view path);

// Whether an Accept-Encoding value allows `coding` ("gzip", "br"; RFC 9110
// 12.5.3): a member naming it or "*" whose q is not 0, and none with q=0.
bool AcceptsCoding(std::string_view accept_encoding, std::string_view coding);

class StaticFiles {
 public:
  // kNotFound: `root` does not exist. kInvalidArgument: not a directory.
  static core::Result<std::unique_ptr<StaticFiles>> Open(std::string_view root, StaticFilesOptions options = {});

  // The answer for a GET/HEAD of the decoded `path` ("/assets/app.js") given
  // the request's If-None-Match value (may be empty): 200 with body, 304, or
  // nullopt when there is nothing to serve. `accept_encoding` is the request's
  // Accept-Encoding value (may be empty).
  std::optional<Response> Serve(std::string_view path, std::string_view if_none_match,
                                std::string_view accept_encoding = {}) const;

  const std::string& root() const { return root_; }

 private:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    uint64_t dev = 0;
    uint64_t ino = 0;
    std::string etag;
    std::shared_ptr<const std::string> content;
  };
  StaticFiles(std::string root, StaticFilesOptions options) : root_(std::move(root)), options_(std::move(options)) {}
  // The file at `rel` (no leading '/') as a cache entry; nullopt if absent or outside the root.
  std::optional<Entry> Load(const std::string& rel) const;
  Response Answer(const Entry& e, std::string_view rel, bool immutable, std::string_view if_none_match,
                  std::string_view accept_encoding) const;
  // index.html with the route's hints for `path`, or nullopt when there are none.
  std::optional<Response> HintedIndex(const Entry& index, std::string_view path, std::string_view if_none_match) const;

  std::string root_;  // real path, no trailing '/'
  StaticFilesOptions options_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Entry> cache_;  // GUARDED_BY(mu_), key: path below the root
  mutable uint64_t cache_bytes_ = 0;                      // GUARDED_BY(mu_)
  mutable std::string hints_etag_;                        // GUARDED_BY(mu_), of the file parsed into hints_
  mutable std::shared_ptr<const RouteHints> hints_;       // GUARDED_BY(mu_)
};

}  // namespace amtsweg::http
