// E-Akte document routes, the case export, Bescheid templates and retention
// reports (records/). Tenant in the path like the engine API.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"
#include "records/records.h"

namespace amtsweg::api {

// Registers on `router` (`records` is borrowed and outlives the server):
//   GET  /api/v1/tenants/{tenant}/cases/{caseId}/documents                 documents with their versions
//   POST /api/v1/tenants/{tenant}/cases/{caseId}/documents                 multipart: part "file" (+ "title",
//        "kind"); 201 the new version; answered after the commit (asynchronous)
//   POST /api/v1/tenants/{tenant}/cases/{caseId}/documents/{documentId}/versions   a new version, same parts
//   GET  /api/v1/tenants/{tenant}/cases/{caseId}/documents/{documentId}/versions/{version}/content
//   GET  /api/v1/tenants/{tenant}/cases/{caseId}/export.zip
//   GET  /api/v1/tenants/{tenant}/services/{service}/bescheid-templates
//   PUT  /api/v1/tenants/{tenant}/services/{service}/bescheid-templates/{name}
//   POST /api/v1/tenants/{tenant}/retention/runs?dryRun=true|false
//   GET  /api/v1/tenants/{tenant}/retention/reports
void RegisterRecordsRoutes(http::Router& router, records::Records& records);

// Content-Disposition for a download (RFC 6266; RFC 5987 filename* in UTF-8,
// an ASCII fallback with non-ASCII and quotes replaced by '_').
std::string ContentDisposition(std::string_view disposition, std::string_view filename);

// Largest upload body (file plus fields): 413 beyond.
inline constexpr uint64_t kMaxDocumentUploadBytes = 25 * 1024 * 1024;

}  // namespace amtsweg::api
