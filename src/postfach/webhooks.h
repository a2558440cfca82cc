// Signed webhooks on case events, driven by the audit log.
//
// A subscription (per tenant: URL, event types, secret) has a cursor over the
// tenant's audit_log sequence numbers. Dispatch (one writer command per
// subscription) reads the entries after the cursor, turns every case event
// (object type "case") whose action matches the subscription's event types
// into a delivery row and moves the cursor — in one transaction, so after a
// restart nothing is missed and nothing is queued twice. Audit appends lock
// the tenant's chain head until they commit, so sequence numbers become
// visible in order and the cursor never passes an entry still in flight.
//
// Deliver claims due deliveries (a lease on next_attempt_at, so several
// processes share the work), POSTs each with `sender` and records status,
// attempts, response code and the next attempt (exponential back-off; failed
// after max_attempts). 2xx is delivered. At least once: a crash between the
// POST and the record sends it again with the same webhook-id.
//
// Signing follows the Standard Webhooks specification: headers webhook-id
// (msg_<uuid>), webhook-timestamp (Unix seconds) and webhook-signature
// "v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>", the secret being
// "whsec_" + base64 of 32 random bytes (libsodium crypto_auth_hmacsha256).
//
// postfach/ is below http/: the app passes the sender (http::Fetch with the
// installation's outbound policy, which re-checks the destination at every
// delivery) and `check_url`, the same policy for the up-front check when a
// subscription is created.
// Thread-safety: all methods are thread-safe; Dispatch/Deliver may run on one
// thread per process.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace amtsweg::postfach {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
// Sends one POST; returns the HTTP status (any), or an error when no answer came.
using WebhookSender = std::function<core::Result<int>(const WebhookRequest&)>;

struct WebhookOptions {
  int batch = 50;
  int max_attempts = 10;
  std::chrono::milliseconds first_backoff{10'000};  // doubled per failed attempt
  std::chrono::milliseconds max_backoff{12 * 3600'000};
  std::chrono::milliseconds lease{2 * 60'000};
  core::Clock* clock = nullptr;
  // Is the receiver's URL an allowed destination (the outbound policy, with
  // the host resolved)? Its error message becomes the /url detail of a 422.
  // Unset: the URL's form is checked only.
  std::function<core::Status(std::string_view url)> check_url{};
};

// Standard Webhooks signature of `body` ("v1,<base64>"). kInvalidArgument: a
// secret that is not "whsec_<base64>".
core::Result<std::string> SignWebhook(std::string_view secret, std::string_view id, int64_t timestamp_s,
                                      std::string_view body);
// Verifies a webhook-signature header (space-separated "v1,<sig>" entries)
// for the given id, timestamp and body (constant-time). For receivers and tests.
bool VerifyWebhook(std::string_view secret, std::string_view id, std::string_view timestamp,
                   std::string_view body, std::string_view signature_header);
// A new secret: "whsec_" + base64 of 32 random bytes.
std::string NewWebhookSecret();
// Does `action` match one of `types`? "*" matches every case event,
// "postfach.*" every action starting with "postfach.", else exact.
bool EventMatches(const std::vector<std::string>& types, std::string_view action);

class Webhooks {
 public:
  Webhooks(store::Database& db, WebhookOptions options);

  // {id, url, eventTypes, description, active, createdAt, secret} — the secret
  // only in this answer. Events from now on (the cursor starts at the audit head).
  // kInvalidArgument with details: /url (http:// or https://, and allowed by
  // `check_url`), /eventTypes
  // (non-empty list of "*", "<layer>.*" or actions).
  core::Result<core::Json> Create(std::string_view tenant, const core::Json& body, std::string_view actor);
  core::Result<core::Json> List(std::string_view tenant);
  core::Result<core::Json> Get(std::string_view tenant, std::string_view id);
  core::Status Delete(std::string_view tenant, std::string_view id, std::string_view actor);
  // {items: [{id, eventType, auditSeq, status, attempts, responseStatus,
  //  lastError, nextAttemptAt, createdAt, deliveredAt}], next}, newest first.
  core::Result<core::Json> Deliveries(std::string_view tenant, std::string_view id, std::string_view before,
                                      int limit);

  // Turns new audit entries into deliveries. Returns how many were queued.
  core::Result<int> Dispatch();
  // Sends due deliveries with `sender`. Returns how many were delivered (2xx).
  core::Result<int> Deliver(const WebhookSender& sender);

 private:
  store::Database& db_;
  WebhookOptions options_;
  core::Clock* clock_;
};

}  // namespace amtsweg::postfach
