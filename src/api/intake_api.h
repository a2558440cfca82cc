// Citizen routes: submissions, their status and receipt, drafts.
#pragma once

#include "http/router.h"
#include "intake/intake.h"

namespace amtsweg::api {

// Registers on `router` (`intake` is borrowed and outlives the server):
//   POST /api/v1/services/{service}/submissions   201 {trackingCode, caseNumber, receipt, ...}
//        application/json (the form data) or multipart/form-data (part "data"
//        with the JSON, one part per file named like its reference in the data);
//        Idempotency-Key header; Accept-Language de/en for 422 messages.
//        Answered from the store writer's commit callback (asynchronous route).
//   GET  /api/v1/submissions/{trackingCode}             stage and expected time, no personal data
//   GET  /api/v1/submissions/{trackingCode}/receipt.pdf?key=...
//   POST /api/v1/services/{service}/drafts              201 {token, resumeUrl, expiresAt}
//   GET/PUT /api/v1/drafts/{token}
void RegisterIntakeRoutes(http::Router& router, intake::Intake& intake);

// Largest submission body (JSON plus files), in bytes: 413 beyond.
inline constexpr uint64_t kMaxSubmissionBytes = 25 * 1024 * 1024;

}  // namespace amtsweg::api
