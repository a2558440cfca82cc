#include "postfach/webhooks.h"

#include <sodium.h>

#include <cstring>

#include "audit/audit.h"
#include "core/hash.h"
#include "core/id.h"
#include "core/log.h"
#include "postfach/mail.h"
#include "postfach/postfach_store.h"

namespace amtsweg::postfach {
namespace {

using core::Json;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

core::Result<std::string> SecretKey(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (!secret.starts_with(kPrefix)) return core::InvalidArgument("webhook secret must start with whsec_");
  std::string_view b64 = secret.substr(kPrefix.size());
  std::string key(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), b64.data(), b64.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len == 0) {
    return core::InvalidArgument("webhook secret: not base64 after whsec_");
  }
  key.resize(len);
  return key;
}

std::string Hmac(std::string_view key, std::string_view content) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

Json SubscriptionJson(const internal::SubscriptionRow& s) {
  auto types = core::ParseJson(s.event_types);
  return Json{{"id", s.subscription_id},
              {"url", s.url},
              {"eventTypes", types.ok() ? *types : Json::array()},
              {"description", s.description},
              {"active", s.active},
              {"createdBy", s.created_by},
              {"createdAt", core::FormatIso8601(core::FromUnixMillis(s.created_at))}};
}

std::vector<std::string> Types(const std::string& json) {
  std::vector<std::string> out;
  auto j = core::ParseJson(json);
  if (j.ok() && j->is_array()) {
    for (const auto& t : *j) {
      if (t.is_string()) out.push_back(t.get<std::string>());
    }
  }
  return out;
}

bool ValidType(const std::string& t) {
  if (t == "*") return true;
  if (t.empty() || t.size() > 100) return false;
  std::string_view v = t;
  if (v.ends_with(".*")) v.remove_suffix(2);
  if (v.empty()) return false;
  for (char c : v) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
          c == '.' || c == '-'))
      return false;
  }
  return true;
}

}  // namespace

core::Result<std::string> SignWebhook(std::string_view secret, std::string_view id, int64_t timestamp_s,
                                      std::string_view body) {
  AW_ASSIGN_OR_RETURN(std::string key, SecretKey(secret));
  std::string content = std::string(id) + "." + std::to_string(timestamp_s) + "." + std::string(body);
  return "v1," + Base64(Hmac(key, content));
}

bool VerifyWebhook(std::string_view secret, std::string_view id, std::string_view timestamp, std::string_view body,
                   std::string_view signature_header) {
  auto key = SecretKey(secret);
  if (!key.ok()) return false;
  std::string content = std::string(id) + "." + std::string(timestamp) + "." + std::string(body);
  std::string expected = "v1," + Base64(Hmac(*key, content));
  bool ok = false;
  size_t pos = 0;
  while (pos <= signature_header.size()) {
    size_t sp = signature_header.find(' ', pos);
    std::string_view part = signature_header.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
    if (core::ConstantTimeEquals(part, expected)) ok = true;
    if (sp == std::string_view::npos) break;
    pos = sp + 1;
  }
  return ok;
}

std::string NewWebhookSecret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "whsec_" + Base64(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

bool EventMatches(const std::vector<std::string>& types, std::string_view action) {
  for (const auto& t : types) {
    if (t == "*" || t == action) return true;
    if (t.ends_with(".*") && action.starts_with(std::string_view(t).substr(0, t.size() - 1))) return true;
  }
  return false;
}

Webhooks::Webhooks(store::Database& db, WebhookOptions options)
    : db_(db), options_(options), clock_(options.clock != nullptr ? options.clock : &core::SystemClock::Instance()) {}

core::Result<Json> Webhooks::Create(std::string_view tenant, const Json& body, std::string_view actor) {
  if (!body.is_object()) return core::InvalidArgument("the body must be a JSON object");
  std::vector<core::FieldError> errors;
  std::string url = body.value("url", Json()).is_string() ? body["url"].get<std::string>() : std::string();
  if (url.empty()) {
    errors.push_back({"/url", "required: the receiver's https:// URL"});
  } else if (!(url.starts_with("https://") || url.starts_with("http://")) || url.size() > 2000 ||
             url.find_first_of(" \r\n") != std::string::npos) {
    errors.push_back({"/url", "must be an https:// URL (at most 2000 characters, no spaces)"});
  } else if (options_.check_url) {
    if (core::Status allowed = options_.check_url(url); !allowed.ok()) {
      errors.push_back({"/url", "webhook URL not allowed: " + allowed.error().message()});
    }
  }
  std::vector<std::string> types;
  const Json& jt = body.contains("eventTypes") ? body["eventTypes"] : Json();
  if (!jt.is_array() || jt.empty() || jt.size() > 50) {
    errors.push_back({"/eventTypes", "required: a list of 1 to 50 event types (\"*\", \"postfach.*\", an action)"});
  } else {
    for (size_t i = 0; i < jt.size(); ++i) {
      if (!jt[i].is_string() || !ValidType(jt[i].get<std::string>())) {
        errors.push_back({"/eventTypes/" + std::to_string(i), "not an event type (\"*\", \"<layer>.*\" or an action)"});
      } else {
        types.push_back(jt[i].get<std::string>());
      }
    }
  }
  std::string description = body.value("description", Json()).is_string() ? body["description"].get<std::string>() : "";
  if (description.size() > 500) errors.push_back({"/description", "at most 500 characters"});
  if (!errors.empty()) return core::InvalidArgument("invalid webhook subscription", std::move(errors));

  internal::SubscriptionRow s;
  s.tenant_id = std::string(tenant);
  s.subscription_id = core::NewId();
  s.url = url;
  s.event_types = core::DumpJson(Json(types));
  s.secret = NewWebhookSecret();
  s.description = description;
  s.created_by = std::string(actor);
  core::Timestamp now = clock_->Now();
  s.created_at = core::ToUnixMillis(now);
  AW_TRY(db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(s.cursor_seq, internal::AuditHead(tx, tenant));
    AW_TRY(internal::InsertSubscription(tx, s));
    AW_TRY(audit::Append(tx,
                         {.tenant = s.tenant_id, .actor = s.created_by, .action = "webhooks.subscription_created",
                          .object_type = "webhook", .object_id = s.subscription_id,
                          .details = {{"url", s.url}, {"eventTypes", types}}},
                         now));
    return core::OkStatus();
  }));
  Json out = SubscriptionJson(s);
  out["secret"] = s.secret;
  return out;
}

core::Result<Json> Webhooks::List(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) { return internal::SelectSubscriptions(tx, tenant); }));
  Json items = Json::array();
  for (const auto& s : rows) items.push_back(SubscriptionJson(s));
  return Json{{"items", items}};
}

core::Result<Json> Webhooks::Get(std::string_view tenant, std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) { return internal::SelectSubscription(tx, tenant, id); }));
  if (!row) return core::NotFound("no webhook subscription " + std::string(id));
  return SubscriptionJson(*row);
}

core::Status Webhooks::Delete(std::string_view tenant, std::string_view id, std::string_view actor) {
  core::Timestamp now = clock_->Now();
  return db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(bool gone, internal::DeleteSubscription(tx, tenant, id));
    if (!gone) return core::NotFound("no webhook subscription " + std::string(id));
    AW_TRY(audit::Append(tx,
                         {.tenant = std::string(tenant), .actor = std::string(actor),
                          .action = "webhooks.subscription_deleted", .object_type = "webhook",
                          .object_id = std::string(id)},
                         now));
    return core::OkStatus();
  });
}

core::Result<Json> Webhooks::Deliveries(std::string_view tenant, std::string_view id, std::string_view before,
                                        int limit) {
  if (limit < 1 || limit > 1000) return core::InvalidArgument("limit must be from 1 to 1000");
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::DeliveryRow>> {
    AW_ASSIGN_OR_RETURN(auto sub, internal::SelectSubscription(tx, tenant, id));
    if (!sub) return core::NotFound("no webhook subscription " + std::string(id));
    return internal::SelectDeliveries(tx, tenant, id, before, limit);
  }));
  Json items = Json::array();
  auto opt_time = [](const std::optional<int64_t>& v) {
    return v ? Json(core::FormatIso8601(core::FromUnixMillis(*v))) : Json();
  };
  for (const auto& d : rows) {
    items.push_back({{"id", d.delivery_id},
                     {"eventType", d.event_type},
                     {"auditSeq", d.audit_seq},
                     {"status", d.status},
                     {"attempts", d.attempts},
                     {"responseStatus", d.response_status ? Json(*d.response_status) : Json()},
                     {"lastError", d.last_error},
                     {"nextAttemptAt", d.status == "pending" ? opt_time(d.next_attempt_at) : Json()},
                     {"createdAt", core::FormatIso8601(core::FromUnixMillis(d.created_at))},
                     {"deliveredAt", opt_time(d.delivered_at)}});
  }
  Json next = static_cast<int>(rows.size()) == limit ? Json(rows.back().delivery_id) : Json();
  return Json{{"items", items}, {"next", next}};
}

core::Result<int> Webhooks::Dispatch() {
  AW_ASSIGN_OR_RETURN(auto subs, db_.Read([&](store::Tx& tx) { return internal::ActiveSubscriptions(tx); }));
  int queued_total = 0;
  for (const auto& sub : subs) {
    std::vector<std::string> types = Types(sub.event_types);
    int64_t now = core::ToUnixMillis(clock_->Now());
    int queued = 0;
    AW_TRY(db_.writer().Run([&](store::Tx& tx) -> core::Status {
      queued = 0;
      // Re-read (and lock) the cursor inside the command: another node may have moved it.
      AW_ASSIGN_OR_RETURN(auto cur, internal::LockSubscription(tx, sub.tenant_id, sub.subscription_id));
      if (!cur || !cur->active) return core::OkStatus();
      AW_ASSIGN_OR_RETURN(auto entries, audit::List(tx, sub.tenant_id, cur->cursor_seq, 500));
      if (entries.empty()) return core::OkStatus();
      for (const auto& e : entries) {
        if (e.object_type != "case" || !EventMatches(types, e.action)) continue;
        auto details = core::ParseJson(e.details);
        std::string id = "msg_" + core::NewId();
        Json payload{{"type", e.action},
                     {"timestamp", core::FormatIso8601(e.at)},
                     {"data", {{"tenant", e.tenant},
                               {"auditSeq", e.seq},
                               {"caseId", e.object_id},
                               {"actor", e.actor},
                               {"details", details.ok() ? *details : Json::object()}}}};
        internal::DeliveryRow d;
        d.tenant_id = sub.tenant_id;
        d.subscription_id = sub.subscription_id;
        d.delivery_id = id;
        d.audit_seq = e.seq;
        d.event_type = e.action;
        d.payload = core::DumpJson(payload);
        d.status = "pending";
        d.next_attempt_at = now;
        d.created_at = now;
        AW_TRY(internal::InsertDelivery(tx, d));
        ++queued;
      }
      return internal::SetCursor(tx, sub.tenant_id, sub.subscription_id, entries.back().seq);
    }));
    queued_total += queued;
  }
  return queued_total;
}

core::Result<int> Webhooks::Deliver(const WebhookSender& sender) {
  core::Timestamp now_t = clock_->Now();
  int64_t now = core::ToUnixMillis(now_t);
  AW_ASSIGN_OR_RETURN(auto due, db_.Read([&](store::Tx& tx) { return internal::DueDeliveries(tx, now, options_.batch); }));
  // Secrets and URLs per subscription, read once per round.
  std::map<std::pair<std::string, std::string>, internal::SubscriptionRow> subs;
  int delivered = 0;
  for (const auto& d : due) {
    auto key = std::make_pair(d.tenant_id, d.subscription_id);
    if (!subs.count(key)) {
      AW_ASSIGN_OR_RETURN(auto s, db_.Read([&](store::Tx& tx) {
        return internal::SelectSubscription(tx, d.tenant_id, d.subscription_id);
      }));
      if (!s) continue;  // deleted meanwhile (its deliveries went with it)
      subs[key] = *s;
    }
    const auto& sub = subs[key];
    int64_t lease_until = now + options_.lease.count();
    AW_ASSIGN_OR_RETURN(bool mine, db_.writer().Write([&](store::Tx& tx) {
      return internal::ClaimDelivery(tx, d.tenant_id, d.delivery_id, now, lease_until);
    }));
    if (!mine) continue;
    int64_t ts = now / 1000;
    WebhookRequest req{sub.url, {}, d.payload};
    auto sig = SignWebhook(sub.secret, d.delivery_id, ts, d.payload);
    core::Result<int> status = core::Internal("not sent");
    if (!sig.ok()) {
      status = std::move(sig).error();
    } else {
      req.headers = {{"Content-Type", "application/json"},
                     {"User-Agent", "Amtsweg-Webhooks/1"},
                     {"webhook-id", d.delivery_id},
                     {"webhook-timestamp", std::to_string(ts)},
                     {"webhook-signature", *sig}};
      status = sender(req);
    }
    int64_t attempts = d.attempts + 1;
    bool ok = status.ok() && *status >= 200 && *status < 300;
    std::optional<int64_t> code = status.ok() ? std::optional<int64_t>(*status) : std::nullopt;
    std::string err = ok ? "" : status.ok() ? "HTTP " + std::to_string(*status) : status.error().message();
    std::string state = ok ? "delivered" : attempts >= options_.max_attempts ? "failed" : "pending";
    int64_t next = ok ? now : now + Backoff(attempts, options_.first_backoff, options_.max_backoff).count();
    if (!ok) {
      core::LogWarn("webhook not delivered", {{"tenant", d.tenant_id}, {"delivery", d.delivery_id},
                                              {"attempt", std::to_string(attempts)}, {"error", err}});
    }
    AW_TRY(db_.writer().Run([&](store::Tx& tx) {
      return internal::UpdateDelivery(tx, d.tenant_id, d.delivery_id, state, attempts, next, code, err,
                                      ok ? std::optional<int64_t>(now) : std::nullopt);
    }));
    if (ok) ++delivered;
  }
  return delivered;
}

}  // namespace amtsweg::postfach
