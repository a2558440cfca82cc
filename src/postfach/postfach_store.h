// SQL of postfach/ (migration 0012): messages, attachments, the mail outbox,
// webhook subscriptions and deliveries. Keyed by tenant, except the lookup by
// tracking code (globally unique: the citizen has only it) and the scans of
// due mails/deliveries across tenants (the delivery loops serve every tenant).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/tx.h"

namespace amtsweg::postfach::internal {

struct CaseRow {
  std::string tenant_id, case_id, case_number, tracking_code, receipt_secret_hash;
};
core::Result<std::optional<CaseRow>> FindCaseByTrackingCode(store::Tx& tx, std::string_view code);
core::Result<std::optional<CaseRow>> FindCase(store::Tx& tx, std::string_view tenant, std::string_view case_id);
// The form data of the case (JSON text), "" when none.
core::Result<std::string> CaseFormData(store::Tx& tx, std::string_view tenant, std::string_view case_id);
// The tenant's display name, "" when unknown.
core::Result<std::string> TenantName(store::Tx& tx, std::string_view tenant);

struct MessageRow {
  std::string message_id, direction, subject, body, author;
  int64_t created_at = 0;
  std::optional<int64_t> read_by_citizen_at, read_by_office_at;
};
struct AttachmentRow {
  std::string message_id;
  int64_t idx = 0;
  std::string filename, content_type;
  int64_t size = 0;
  std::string sha256;
};

// The message id of `origin` when one was written, else nullopt.
core::Result<std::optional<std::string>> MessageByOrigin(store::Tx& tx, std::string_view tenant,
                                                         std::string_view origin);
core::Status InsertMessage(store::Tx& tx, std::string_view tenant, std::string_view case_id, const MessageRow& m,
                           std::string_view origin);
core::Status InsertAttachment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              const AttachmentRow& a);
core::Result<std::vector<MessageRow>> SelectMessages(store::Tx& tx, std::string_view tenant,
                                                     std::string_view case_id);
core::Result<std::optional<MessageRow>> SelectMessage(store::Tx& tx, std::string_view tenant,
                                                      std::string_view case_id, std::string_view message_id);
core::Result<std::vector<AttachmentRow>> SelectAttachments(store::Tx& tx, std::string_view tenant,
                                                           std::string_view case_id);
// side: "citizen" or "office". True when this call set it (it was unread).
core::Result<bool> MarkRead(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                            std::string_view message_id, std::string_view side, int64_t at);
core::Result<bool> AttachmentReferenced(store::Tx& tx, std::string_view tenant, std::string_view sha256);

// ---- mail outbox ----
struct MailRow {
  std::string tenant_id, mail_id, case_id, message_id, recipient, subject, body, status;
  int64_t attempts = 0, next_attempt_at = 0;
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
};
core::Status InsertMail(store::Tx& tx, const MailRow& m);
// Pending mails due at `now`, any tenant, oldest first.
core::Result<std::vector<MailRow>> DueMails(store::Tx& tx, int64_t now, int limit);
// Moves next_attempt_at of a due pending mail to `lease_until`; false when
// another node claimed it first.
core::Result<bool> ClaimMail(store::Tx& tx, std::string_view tenant, std::string_view mail_id, int64_t now,
                             int64_t lease_until);
core::Status UpdateMail(store::Tx& tx, std::string_view tenant, std::string_view mail_id, std::string_view status,
                        int64_t attempts, int64_t next_attempt_at, std::string_view last_error,
                        std::optional<int64_t> sent_at);
core::Result<std::vector<MailRow>> MailsOfCase(store::Tx& tx, std::string_view tenant, std::string_view case_id);

// ---- webhooks ----
struct SubscriptionRow {
  std::string tenant_id, subscription_id, url, event_types, secret, description;
  bool active = true;
  int64_t cursor_seq = 0;
  std::string created_by;
  int64_t created_at = 0;
};
core::Status InsertSubscription(store::Tx& tx, const SubscriptionRow& s);
core::Result<std::vector<SubscriptionRow>> SelectSubscriptions(store::Tx& tx, std::string_view tenant);
core::Result<std::optional<SubscriptionRow>> SelectSubscription(store::Tx& tx, std::string_view tenant,
                                                                std::string_view id);
// The same, locking the row on PostgreSQL (FOR UPDATE) so that two processes
// dispatching the same subscription take turns; SQLite has one writer.
core::Result<std::optional<SubscriptionRow>> LockSubscription(store::Tx& tx, std::string_view tenant,
                                                              std::string_view id);
core::Result<bool> DeleteSubscription(store::Tx& tx, std::string_view tenant, std::string_view id);
// Active subscriptions of every tenant (the dispatcher).
core::Result<std::vector<SubscriptionRow>> ActiveSubscriptions(store::Tx& tx);
core::Status SetCursor(store::Tx& tx, std::string_view tenant, std::string_view id, int64_t seq);
// The last audit seq of the tenant (0 when none).
core::Result<int64_t> AuditHead(store::Tx& tx, std::string_view tenant);

struct DeliveryRow {
  std::string tenant_id, subscription_id, delivery_id;
  int64_t audit_seq = 0;
  std::string event_type, payload, status;
  int64_t attempts = 0, next_attempt_at = 0;
  std::optional<int64_t> response_status;
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
};
core::Status InsertDelivery(store::Tx& tx, const DeliveryRow& d);
core::Result<std::vector<DeliveryRow>> DueDeliveries(store::Tx& tx, int64_t now, int limit);
core::Result<bool> ClaimDelivery(store::Tx& tx, std::string_view tenant, std::string_view id, int64_t now,
                                 int64_t lease_until);
core::Status UpdateDelivery(store::Tx& tx, std::string_view tenant, std::string_view id, std::string_view status,
                            int64_t attempts, int64_t next_attempt_at, std::optional<int64_t> response_status,
                            std::string_view last_error, std::optional<int64_t> delivered_at);
// Deliveries of a subscription, newest first, before `before` ("" : from the newest).
core::Result<std::vector<DeliveryRow>> SelectDeliveries(store::Tx& tx, std::string_view tenant,
                                                        std::string_view subscription_id, std::string_view before,
                                                        int limit);

}  // namespace amtsweg::postfach::internal
