#include "api/webhooks_api.h"

#include <charconv>

#include "api/auth_api.h"
#include "api/json_body.h"
#include "api/roles.h"
#include "auth/auth.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Response;

namespace {

std::string Actor(const Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  return p != nullptr ? p->Actor() : std::string("anonymous");
}

core::Result<int> Limit(const Request& r) {
  auto v = r.QueryParam("limit");
  if (!v) return 100;
  int out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < 1 || out > 1000) {
    return core::InvalidArgument("query parameter limit must be an integer from 1 to 1000");
  }
  return out;
}

}  // namespace

void RegisterWebhookRoutes(http::Router& router, postfach::Webhooks& hooks) {
  const std::string tag = "webhooks";
  http::ParamDoc tenant{.name = "tenant", .description = "tenant id"};
  http::ParamDoc id{.name = "webhookId", .description = "subscription id"};
  const std::string base = "/api/v1/tenants/{tenant}/webhooks";

  router.Post(base,
              [&hooks](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                AW_ASSIGN_OR_RETURN(Json s, hooks.Create(req.PathParam("tenant"), body, Actor(req)));
                return Response::Json(s, 201).WithHeader("Cache-Control", "no-store");
              },
              {.summary = "Subscribe a receiver to case events",
               .description = "Body {url, eventTypes, description?}: url is the receiver (https://; the installation's "
                              "[outbound] policy decides whether http:// and non-public addresses are allowed — "
                              "a refused URL is a 422 naming /url and the reason), eventTypes a "
                              "list of \"*\", \"<layer>.*\" or audit actions of cases (intake.case_submitted, "
                              "postfach.message_sent, postfach.reply_received, postfach.message_read, ...). The "
                              "answer holds the signing secret (whsec_...) — shown only here. Deliveries are signed "
                              "after Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).",
               .tag = tag, .path_params = {tenant},
               .request_schema = Json{{"type", "object"},
                                      {"required", {"url", "eventTypes"}},
                                      {"properties", {{"url", {{"type", "string"}}},
                                                      {"eventTypes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                                      {"description", {{"type", "string"}}}}}},
               .success_status = 201, .roles = roles::Administrators()});

  router.Get(base,
             [&hooks](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json s, hooks.List(req.PathParam("tenant")));
               return Response::Json(s);
             },
             {.summary = "List webhook subscriptions (without secrets)", .tag = tag, .path_params = {tenant},
              .roles = roles::Administrators()});

  router.Get(base + "/{webhookId}",
             [&hooks](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json s, hooks.Get(req.PathParam("tenant"), req.PathParam("webhookId")));
               return Response::Json(s);
             },
             {.summary = "One webhook subscription (without its secret)", .tag = tag, .path_params = {tenant, id},
              .roles = roles::Administrators()});

  router.Delete(base + "/{webhookId}",
                [&hooks](Request& req) -> core::Result<Response> {
                  AW_TRY(hooks.Delete(req.PathParam("tenant"), req.PathParam("webhookId"), Actor(req)));
                  return Response::NoContent();
                },
                {.summary = "Delete a webhook subscription and its delivery log", .tag = tag,
                 .path_params = {tenant, id}, .success_status = 204, .roles = roles::Administrators()});

  router.Get(base + "/{webhookId}/deliveries",
             [&hooks](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(int limit, Limit(req));
               AW_ASSIGN_OR_RETURN(Json d, hooks.Deliveries(req.PathParam("tenant"), req.PathParam("webhookId"),
                                                            req.QueryParam("before").value_or(""), limit));
               return Response::Json(d).WithHeader("Cache-Control", "no-store");
             },
             {.summary = "The delivery log of a subscription, newest first",
              .description = "Each delivery: event type, audit sequence number, status (pending, delivered, "
                             "failed), attempts, last response status and error, next attempt.",
              .tag = tag, .path_params = {tenant, id},
              .query_params = {{.name = "before", .description = "a delivery id: continue after it"},
                               {.name = "limit", .description = "1 to 1000, default 100", .type = "integer"}},
              .roles = roles::Administrators()});
}

postfach::WebhookSender HttpWebhookSender(http::FetchOptions options) {
  if (!options.policy) options.policy = std::make_shared<http::OutboundPolicy>();
  return [options](const postfach::WebhookRequest& req) -> core::Result<int> {
    http::FetchRequest f;
    f.method = "POST";
    f.url = req.url;
    for (const auto& [k, v] : req.headers) f.headers.Add(k, v);
    f.body = req.body;
    AW_ASSIGN_OR_RETURN(http::FetchResponse r, http::Fetch(f, options));
    return r.status;
  };
}

std::function<core::Status(std::string_view)> WebhookUrlCheck(std::shared_ptr<const http::OutboundPolicy> policy) {
  if (!policy) policy = std::make_shared<http::OutboundPolicy>();
  return [policy](std::string_view url) { return policy->CheckUrlResolved(url); };
}

}  // namespace amtsweg::api
