// Webhook subscriptions and their delivery log (administrators).
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "http/client.h"
#include "http/outbound.h"
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

// The sender the delivery loop uses: a POST with http::Fetch, 5 s to connect
// (TLS included), 10 s for the exchange, the answer body limited to 64 KiB.
// `options.policy` is the installation's outbound policy; null means the
// default one (https only, public addresses only). It is applied to the
// address connected to at every delivery; a refusal is recorded in the
// delivery log as the attempt's error.
postfach::WebhookSender HttpWebhookSender(http::FetchOptions options = {.connect_timeout = std::chrono::seconds(5),
                                                                        .timeout = std::chrono::seconds(10),
                                                                        .max_response_bytes = 64 * 1024});

// WebhookOptions::check_url for `policy` (resolving the host): the up-front
// check when a subscription is created. Null: the default policy.
std::function<core::Status(std::string_view)> WebhookUrlCheck(std::shared_ptr<const http::OutboundPolicy> policy);

}  // namespace amtsweg::api
