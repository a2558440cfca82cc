// Postfach routes: the message thread of a case, for staff and for the citizen.
#pragma once

#include "http/router.h"
#include "postfach/postfach.h"

namespace amtsweg::api {

// Registers on `router` (`postfach` is borrowed and outlives the server):
// staff (tenant in the path; read: administrators, case workers, managers;
// write: administrators and case workers):
//   GET  /api/v1/tenants/{tenant}/cases/{caseId}/messages
//   POST /api/v1/tenants/{tenant}/cases/{caseId}/messages            201; JSON {subject, text} or
//        multipart/form-data (part "data" with that JSON, one part per file)
//   POST /api/v1/tenants/{tenant}/cases/{caseId}/messages/{messageId}/read
//   GET  /api/v1/tenants/{tenant}/cases/{caseId}/messages/{messageId}/attachments/{idx}
// citizen (public; tracking code plus the receipt key in header X-Postfach-Key
// or query parameter `key`; a wrong code or key is 404, never saying which):
//   GET  /api/v1/postfach/{trackingCode}/messages
//   POST /api/v1/postfach/{trackingCode}/messages                    201; as above
//   POST /api/v1/postfach/{trackingCode}/messages/{messageId}/read
//   GET  /api/v1/postfach/{trackingCode}/messages/{messageId}/attachments/{idx}
void RegisterPostfachRoutes(http::Router& router, postfach::Postfach& postfach);

// Largest message body (JSON plus files): 413 beyond.
inline constexpr uint64_t kMaxMessageBytes = 25 * 1024 * 1024;

}  // namespace amtsweg::api
