// Fuzz entry for everything in http/ that reads bytes from the network:
// Beast's request parser as the server drives it (ParseRequest: limits,
// target, %-decoding, Host), query parsing, router matching and the static
// path sanitiser (LLVMFuzzerTestOneInput, as DuckDB's test/ossfuzz). Built as a
// libFuzzer binary with clang (http_request_fuzz); fuzz_replay_test.cc runs the
// corpus and generated inputs in the normal suite.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/request.h"
#include "http/router.h"
#include "http/static_files.h"

namespace {

const amtsweg::http::Router& FuzzRouter() {
  using namespace amtsweg::http;
  static const Router* router = [] {
    auto* r = new Router;
    auto ok = [](Request&) -> amtsweg::core::Result<Response> { return Response::NoContent(); };
    r->Get("/", ok, {.summary = "root"});
    r->Get("/api/v1/cases/{id}", ok, {.summary = "case"});
    r->Get("/api/v1/cases/new", ok, {.summary = "new"});
    r->Post("/api/v1/cases/{id}/files/{file}", ok, {.summary = "file"});
    r->Delete("/api/v1/cases/{id}", ok, {.summary = "delete"});
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace amtsweg::http;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> params;

  auto request = ParseRequest(text, 4096, 65536);
  if (request.ok()) {
    (void)request->QueryParams();
    (void)request->QueryParam("q");
    std::string_view target = request->target;
    (void)FuzzRouter().Find(request->method, target.substr(0, target.find('?')), &params);
  }
  (void)PercentDecode(text);
  (void)PercentDecode(text, true);
  (void)FuzzRouter().Find("GET", text, &params);
  (void)ContentTypeFor(text);
  return 0;
}
