// Webhook subscriptions and their delivery log (administrators).
#pragma once

#include "http/client.h"
#include "http/router.h"
#include "postfach/webhooks.h"

namespace amtsweg::api {

// Registers on `router` (`webhooks` is borrowed and outlives the server), all
// for administrators of the tenant:
//   POST   /api/v1/tenants/{tenant}/webhooks              201 {id, url, eventTypes, secret (once), ...}
//   GET    /api/v1/tenants/{tenant}/webhooks
//   GET    /api/v1/tenants/{tenant}/webhooks/{webhookId}
//   DELETE /api/v1/tenants/{tenant}/webhooks/{webhookId}  204
//   GET    /api/v1/tenants/{tenant}/webhooks/{webhookId}/deliveries?before=&limit=
void RegisterWebhookRoutes(http::Router& router, postfach::Webhooks& webhooks);

// The sender the delivery loop uses: a POST with http::Fetch (http:// only),
// 10 s timeout, the answer body limited to 64 KiB.
postfach::WebhookSender HttpWebhookSender(http::FetchOptions options = {.connect_timeout = std::chrono::seconds(5),
                                                                        .timeout = std::chrono::seconds(10),
                                                                        .max_response_bytes = 64 * 1024});

}  // namespace amtsweg::api
