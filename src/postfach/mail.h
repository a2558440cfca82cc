// E-mail notification: "a message is waiting in your Postfach".
//
// Postfach writes one row to postfach_mail_outbox in the transaction of the
// message (so a mail exists exactly when the message committed). The
// delivery loop (MailDelivery::RunOnce, called periodically by app/) claims
// due rows, sends each over SMTP with libcurl (STARTTLS, AUTH optional) and
// records the outcome: sent, or the next attempt after an exponential
// back-off, or failed after `max_attempts`. A crash between sending and
// recording sends that mail again (at least once).
//
// The mail carries no message content and no personal data beyond the
// greeting: the tenant, the case number and the link to the Postfach.
// Passwords are never logged.
//
// Thread-safety: SendMail is a free function; RunOnce may be called from one
// thread per MailDelivery (several processes share the work safely).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace amtsweg::postfach {

struct SmtpOptions {
  std::string host{};   // empty: mail is off
  int port = 25;
  std::string from{};   // "Amt Musterland <postfach@amt-musterland.de>" or a bare address
  bool starttls = false;  // require STARTTLS
  std::string user{};       // empty: no AUTH
  std::string password{};
  std::chrono::milliseconds timeout{30'000};
};

struct Mail {
  std::string to;
  std::string subject;  // UTF-8, encoded as RFC 2047 on the wire
  std::string body;     // UTF-8 text, sent base64 encoded
  std::string message_id;  // without <>, e.g. "<mail id>@amtsweg"
};

// The RFC 5322 message (headers and base64 body) SendMail transmits.
std::string FormatMail(const SmtpOptions& smtp, const Mail& mail, core::Timestamp date);

// Sends one mail. kInvalidArgument: no host, bad addresses (CR/LF, no '@').
// kUnavailable: connection, TLS, AUTH or SMTP refusal (the message names curl's error).
core::Status SendMail(const SmtpOptions& smtp, const Mail& mail, core::Timestamp date);

// The notification text for a new message (greeting, tenant, case number, link).
struct Notification {
  std::string subject, body;
};
Notification RenderNotification(std::string_view tenant_name, std::string_view case_number,
                                std::string_view greeting_name, std::string_view link);
// The citizen's e-mail address in form data: the first string value of a
// key named "email" (any depth; also "eMail", "e-mail", case-insensitive)
// that looks like an address. "" when none.
std::string FindEmail(const core::Json& form_data);
// The applicant's name for the greeting ("name" or "applicant" at top level), "" when none.
std::string FindName(const core::Json& form_data);

struct MailDeliveryOptions {
  int batch = 20;
  int max_attempts = 8;
  std::chrono::milliseconds first_backoff{30'000};   // then doubled per attempt
  std::chrono::milliseconds max_backoff{6 * 3600'000};
  std::chrono::milliseconds lease{5 * 60'000};       // a claimed mail is not taken by another node for this long
  core::Clock* clock = nullptr;
};

class MailDelivery {
 public:
  MailDelivery(store::Database& db, SmtpOptions smtp, MailDeliveryOptions options);
  // Sends the mails due now. Returns how many were sent successfully.
  core::Result<int> RunOnce();

 private:
  store::Database& db_;
  SmtpOptions smtp_;
  MailDeliveryOptions options_;
  core::Clock* clock_;
};

// Back-off before attempt `attempts + 1` after `attempts` failed ones:
// first * 2^(attempts-1), capped.
std::chrono::milliseconds Backoff(int64_t attempts, std::chrono::milliseconds first, std::chrono::milliseconds max);

}  // namespace amtsweg::postfach
