#include "postfach/postfach_store.h"

namespace amtsweg::postfach::internal {
namespace {

std::optional<int64_t> OptInt(const store::Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return r.Int(i);
}
store::Value OrNull(const std::optional<int64_t>& v) { return v ? store::Value(*v) : store::Value(); }

MessageRow ToMessage(const store::Row& r) {
  return MessageRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), OptInt(r, 6), OptInt(r, 7)};
}
constexpr const char* kMessageColumns =
    "message_id, direction, subject, body, author, created_at, read_by_citizen_at, read_by_office_at";

MailRow ToMail(const store::Row& r) {
  return MailRow{r.Text(0), r.Text(1), r.Text(2),  r.Text(3), r.Text(4),  r.Text(5), r.Text(6),
                 r.Text(7), r.Int(8),  r.Int(9),   r.Text(10), r.Int(11), OptInt(r, 12)};
}
constexpr const char* kMailColumns =
    "tenant_id, mail_id, case_id, message_id, recipient, subject, body, status, attempts, next_attempt_at, "
    "last_error, created_at, sent_at";

SubscriptionRow ToSubscription(const store::Row& r) {
  return SubscriptionRow{r.Text(0), r.Text(1),   r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                         r.Int(6) != 0, r.Int(7), r.Text(8), r.Int(9)};
}
constexpr const char* kSubscriptionColumns =
    "tenant_id, subscription_id, url, event_types, secret, description, active, cursor_seq, created_by, created_at";

DeliveryRow ToDelivery(const store::Row& r) {
  return DeliveryRow{r.Text(0), r.Text(1), r.Text(2),    r.Int(3),   r.Text(4), r.Text(5),     r.Text(6),
                     r.Int(7),  r.Int(8),  OptInt(r, 9), r.Text(10), r.Int(11), OptInt(r, 12)};
}
constexpr const char* kDeliveryColumns =
    "tenant_id, subscription_id, delivery_id, audit_seq, event_type, payload, status, attempts, next_attempt_at, "
    "response_status, last_error, created_at, delivered_at";

std::string Sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string s(a);
  s += b;
  s += c;
  return s;
}

}  // namespace

core::Result<std::optional<CaseRow>> FindCaseByTrackingCode(store::Tx& tx, std::string_view code) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT tenant_id, case_id, case_number, tracking_code, receipt_secret "
                                          "FROM cases WHERE tracking_code = $1",
                                          {code}));
  if (!r) return std::optional<CaseRow>();
  return std::optional<CaseRow>(CaseRow{r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4)});
}

core::Result<std::optional<CaseRow>> FindCase(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT tenant_id, case_id, case_number, tracking_code, receipt_secret "
                                          "FROM cases WHERE tenant_id = $1 AND case_id = $2",
                                          {tenant, case_id}));
  if (!r) return std::optional<CaseRow>();
  return std::optional<CaseRow>(CaseRow{r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4)});
}

core::Result<std::string> CaseFormData(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT data FROM intake_submissions WHERE tenant_id = $1 AND case_id = $2",
                                          {tenant, case_id}));
  return r ? r->Text(0) : std::string();
}

core::Result<std::string> TenantName(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT name FROM catalog_tenants WHERE tenant_id = $1", {tenant}));
  return r ? r->Text(0) : std::string();
}

core::Result<std::optional<std::string>> MessageByOrigin(store::Tx& tx, std::string_view tenant,
                                                         std::string_view origin) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT message_id FROM postfach_messages WHERE tenant_id = $1 AND origin = $2",
                                          {tenant, origin}));
  if (!r) return std::optional<std::string>();
  return std::optional<std::string>(r->Text(0));
}

core::Status InsertMessage(store::Tx& tx, std::string_view tenant, std::string_view case_id, const MessageRow& m,
                           std::string_view origin) {
  AW_TRY(tx.Exec("INSERT INTO postfach_messages (tenant_id, case_id, message_id, direction, subject, body, author, "
                 "origin, created_at, read_by_citizen_at, read_by_office_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL)",
                 {tenant, case_id, m.message_id, m.direction, m.subject, m.body, m.author,
                  origin.empty() ? store::Value() : store::Value(origin), m.created_at}));
  return core::OkStatus();
}

core::Status InsertAttachment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              const AttachmentRow& a) {
  AW_TRY(tx.Exec("INSERT INTO postfach_attachments (tenant_id, case_id, message_id, idx, filename, content_type, "
                 "size, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                 {tenant, case_id, a.message_id, a.idx, a.filename, a.content_type, a.size, a.sha256}));
  return core::OkStatus();
}

core::Result<std::vector<MessageRow>> SelectMessages(store::Tx& tx, std::string_view tenant,
                                                     std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kMessageColumns,
                                              " FROM postfach_messages WHERE tenant_id = $1 AND case_id = $2 "
                                              "ORDER BY message_id"),
                                          {tenant, case_id}));
  std::vector<MessageRow> out;
  for (const auto& r : rows) out.push_back(ToMessage(r));
  return out;
}

core::Result<std::optional<MessageRow>> SelectMessage(store::Tx& tx, std::string_view tenant,
                                                      std::string_view case_id, std::string_view message_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne(Sql("SELECT ", kMessageColumns,
                                              " FROM postfach_messages WHERE tenant_id = $1 AND case_id = $2 "
                                              "AND message_id = $3"),
                                          {tenant, case_id, message_id}));
  if (!r) return std::optional<MessageRow>();
  return std::optional<MessageRow>(ToMessage(*r));
}

core::Result<std::vector<AttachmentRow>> SelectAttachments(store::Tx& tx, std::string_view tenant,
                                                           std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT message_id, idx, filename, content_type, size, sha256 "
                                          "FROM postfach_attachments WHERE tenant_id = $1 AND case_id = $2 "
                                          "ORDER BY message_id, idx",
                                          {tenant, case_id}));
  std::vector<AttachmentRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5)});
  return out;
}

core::Result<bool> MarkRead(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                            std::string_view message_id, std::string_view side, int64_t at) {
  std::string_view sql =
      side == "citizen"
          ? "UPDATE postfach_messages SET read_by_citizen_at = $4 WHERE tenant_id = $1 AND case_id = $2 "
            "AND message_id = $3 AND direction = 'to_citizen' AND read_by_citizen_at IS NULL"
          : "UPDATE postfach_messages SET read_by_office_at = $4 WHERE tenant_id = $1 AND case_id = $2 "
            "AND message_id = $3 AND direction = 'to_office' AND read_by_office_at IS NULL";
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec(sql, {tenant, case_id, message_id, at}));
  return n > 0;
}

core::Result<bool> AttachmentReferenced(store::Tx& tx, std::string_view tenant, std::string_view sha256) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT 1 FROM postfach_attachments WHERE tenant_id = $1 AND sha256 = $2 "
                                          "LIMIT 1",
                                          {tenant, sha256}));
  return r.has_value();
}

core::Status InsertMail(store::Tx& tx, const MailRow& m) {
  AW_TRY(tx.Exec("INSERT INTO postfach_mail_outbox (tenant_id, mail_id, case_id, message_id, recipient, subject, "
                 "body, status, attempts, next_attempt_at, last_error, created_at, sent_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL)",
                 {m.tenant_id, m.mail_id, m.case_id, m.message_id, m.recipient, m.subject, m.body, m.status,
                  m.attempts, m.next_attempt_at, m.last_error, m.created_at}));
  return core::OkStatus();
}

core::Result<std::vector<MailRow>> DueMails(store::Tx& tx, int64_t now, int limit) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kMailColumns,
                                              " FROM postfach_mail_outbox WHERE status = 'pending' AND "
                                              "next_attempt_at <= $1 ORDER BY next_attempt_at, mail_id LIMIT $2"),
                                          {now, int64_t{limit}}));
  std::vector<MailRow> out;
  for (const auto& r : rows) out.push_back(ToMail(r));
  return out;
}

core::Result<bool> ClaimMail(store::Tx& tx, std::string_view tenant, std::string_view mail_id, int64_t now,
                             int64_t lease_until) {
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE postfach_mail_outbox SET next_attempt_at = $4 WHERE tenant_id = $1 "
                                         "AND mail_id = $2 AND status = 'pending' AND next_attempt_at <= $3",
                                         {tenant, mail_id, now, lease_until}));
  return n > 0;
}

core::Status UpdateMail(store::Tx& tx, std::string_view tenant, std::string_view mail_id, std::string_view status,
                        int64_t attempts, int64_t next_attempt_at, std::string_view last_error,
                        std::optional<int64_t> sent_at) {
  AW_TRY(tx.Exec("UPDATE postfach_mail_outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_error = $6, "
                 "sent_at = $7 WHERE tenant_id = $1 AND mail_id = $2",
                 {tenant, mail_id, status, attempts, next_attempt_at, last_error, OrNull(sent_at)}));
  return core::OkStatus();
}

core::Result<std::vector<MailRow>> MailsOfCase(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kMailColumns,
                                              " FROM postfach_mail_outbox WHERE tenant_id = $1 AND case_id = $2 "
                                              "ORDER BY mail_id"),
                                          {tenant, case_id}));
  std::vector<MailRow> out;
  for (const auto& r : rows) out.push_back(ToMail(r));
  return out;
}

core::Status InsertSubscription(store::Tx& tx, const SubscriptionRow& s) {
  AW_TRY(tx.Exec("INSERT INTO webhook_subscriptions (tenant_id, subscription_id, url, event_types, secret, "
                 "description, active, cursor_seq, created_by, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {s.tenant_id, s.subscription_id, s.url, s.event_types, s.secret, s.description,
                  int64_t{s.active ? 1 : 0}, s.cursor_seq, s.created_by, s.created_at}));
  return core::OkStatus();
}

core::Result<std::vector<SubscriptionRow>> SelectSubscriptions(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kSubscriptionColumns,
                                              " FROM webhook_subscriptions WHERE tenant_id = $1 "
                                              "ORDER BY subscription_id"),
                                          {tenant}));
  std::vector<SubscriptionRow> out;
  for (const auto& r : rows) out.push_back(ToSubscription(r));
  return out;
}

core::Result<std::optional<SubscriptionRow>> SelectSubscription(store::Tx& tx, std::string_view tenant,
                                                                std::string_view id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne(Sql("SELECT ", kSubscriptionColumns,
                                              " FROM webhook_subscriptions WHERE tenant_id = $1 AND "
                                              "subscription_id = $2"),
                                          {tenant, id}));
  if (!r) return std::optional<SubscriptionRow>();
  return std::optional<SubscriptionRow>(ToSubscription(*r));
}

core::Result<std::optional<SubscriptionRow>> LockSubscription(store::Tx& tx, std::string_view tenant,
                                                              std::string_view id) {
  std::string sql = Sql("SELECT ", kSubscriptionColumns,
                        " FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2");
  if (tx.dialect() == store::Dialect::kPostgres) sql += " FOR UPDATE";
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, {tenant, id}));
  if (!r) return std::optional<SubscriptionRow>();
  return std::optional<SubscriptionRow>(ToSubscription(*r));
}

core::Result<bool> DeleteSubscription(store::Tx& tx, std::string_view tenant, std::string_view id) {
  AW_TRY(tx.Exec("DELETE FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2", {tenant, id}));
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM webhook_subscriptions WHERE tenant_id = $1 AND "
                                         "subscription_id = $2",
                                         {tenant, id}));
  return n > 0;
}

core::Result<std::vector<SubscriptionRow>> ActiveSubscriptions(store::Tx& tx) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kSubscriptionColumns,
                                              " FROM webhook_subscriptions WHERE active = 1 "
                                              "ORDER BY tenant_id, subscription_id")));
  std::vector<SubscriptionRow> out;
  for (const auto& r : rows) out.push_back(ToSubscription(r));
  return out;
}

core::Status SetCursor(store::Tx& tx, std::string_view tenant, std::string_view id, int64_t seq) {
  AW_TRY(tx.Exec("UPDATE webhook_subscriptions SET cursor_seq = $3 WHERE tenant_id = $1 AND subscription_id = $2",
                 {tenant, id, seq}));
  return core::OkStatus();
}

core::Result<int64_t> AuditHead(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT seq FROM audit_heads WHERE tenant_id = $1", {tenant}));
  return r ? r->Int(0) : int64_t{0};
}

core::Status InsertDelivery(store::Tx& tx, const DeliveryRow& d) {
  AW_TRY(tx.Exec("INSERT INTO webhook_deliveries (tenant_id, subscription_id, delivery_id, audit_seq, event_type, "
                 "payload, status, attempts, next_attempt_at, response_status, last_error, created_at, delivered_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, '', $10, NULL)",
                 {d.tenant_id, d.subscription_id, d.delivery_id, d.audit_seq, d.event_type, d.payload, d.status,
                  d.attempts, d.next_attempt_at, d.created_at}));
  return core::OkStatus();
}

core::Result<std::vector<DeliveryRow>> DueDeliveries(store::Tx& tx, int64_t now, int limit) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kDeliveryColumns,
                                              " FROM webhook_deliveries WHERE status = 'pending' AND "
                                              "next_attempt_at <= $1 ORDER BY next_attempt_at, delivery_id LIMIT $2"),
                                          {now, int64_t{limit}}));
  std::vector<DeliveryRow> out;
  for (const auto& r : rows) out.push_back(ToDelivery(r));
  return out;
}

core::Result<bool> ClaimDelivery(store::Tx& tx, std::string_view tenant, std::string_view id, int64_t now,
                                 int64_t lease_until) {
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE webhook_deliveries SET next_attempt_at = $4 WHERE tenant_id = $1 "
                                         "AND delivery_id = $2 AND status = 'pending' AND next_attempt_at <= $3",
                                         {tenant, id, now, lease_until}));
  return n > 0;
}

core::Status UpdateDelivery(store::Tx& tx, std::string_view tenant, std::string_view id, std::string_view status,
                            int64_t attempts, int64_t next_attempt_at, std::optional<int64_t> response_status,
                            std::string_view last_error, std::optional<int64_t> delivered_at) {
  AW_TRY(tx.Exec("UPDATE webhook_deliveries SET status = $3, attempts = $4, next_attempt_at = $5, "
                 "response_status = $6, last_error = $7, delivered_at = $8 WHERE tenant_id = $1 AND delivery_id = $2",
                 {tenant, id, status, attempts, next_attempt_at, OrNull(response_status), last_error,
                  OrNull(delivered_at)}));
  return core::OkStatus();
}

core::Result<std::vector<DeliveryRow>> SelectDeliveries(store::Tx& tx, std::string_view tenant,
                                                        std::string_view subscription_id, std::string_view before,
                                                        int limit) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(Sql("SELECT ", kDeliveryColumns,
                                              " FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2 "
                                              "AND ($3 = '' OR delivery_id < $3) ORDER BY delivery_id DESC LIMIT $4"),
                                          {tenant, subscription_id, before, int64_t{limit}}));
  std::vector<DeliveryRow> out;
  for (const auto& r : rows) out.push_back(ToDelivery(r));
  return out;
}

}  // namespace amtsweg::postfach::internal
