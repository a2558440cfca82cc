#include "postfach/mail.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <mutex>

#include "core/id.h"
#include "core/log.h"
#include "postfach/postfach_store.h"

namespace amtsweg::postfach {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// RFC 2047 encoded-word for non-ASCII header text (each word ≤ 75 characters;
// split at UTF-8 character boundaries).
std::string EncodeHeader(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = 0;
    // 45 bytes → 60 base64 characters, + 12 for "=?UTF-8?B?" and "?=".
    while (i + n < text.size()) {
      size_t len = 1;
      unsigned char c = static_cast<unsigned char>(text[i + n]);
      if (c >= 0xF0) len = 4;
      else if (c >= 0xE0) len = 3;
      else if (c >= 0xC0) len = 2;
      if (n + len > 45) break;
      n += len;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

// The address inside "Name <addr>" or the bare address.
std::string AddressOf(std::string_view s) {
  auto lt = s.find('<');
  auto gt = s.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) return std::string(s.substr(lt + 1, gt - lt - 1));
  return std::string(s);
}

bool PlausibleAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : a) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == 0x7f) return false;
  }
  return true;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string RfcDate(core::Timestamp t) {
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::once_flag curl_once;

struct Upload {
  std::string data;
  size_t pos = 0;
};

size_t ReadCallback(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t room = size * nitems;
  size_t n = std::min(room, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void FindEmailIn(const core::Json& j, std::string& out, int depth) {
  if (!out.empty() || depth > 16) return;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string key = Lower(k);
      if ((key == "email" || key == "e-mail" || key == "e_mail" || key == "mail") && v.is_string() &&
          PlausibleAddress(v.get<std::string>())) {
        out = v.get<std::string>();
        return;
      }
    }
    for (const auto& [k, v] : j.items()) FindEmailIn(v, out, depth + 1);
  } else if (j.is_array()) {
    for (const auto& v : j) FindEmailIn(v, out, depth + 1);
  }
}

}  // namespace

std::string FormatMail(const SmtpOptions& smtp, const Mail& mail, core::Timestamp date) {
  std::string b64 = Base64(mail.body);
  std::string wrapped;
  for (size_t i = 0; i < b64.size(); i += 76) wrapped += b64.substr(i, 76) + "\r\n";
  std::string msg;
  msg += "Date: " + RfcDate(date) + "\r\n";
  msg += "From: " + smtp.from + "\r\n";
  msg += "To: <" + mail.to + ">\r\n";
  msg += "Subject: " + EncodeHeader(mail.subject) + "\r\n";
  msg += "Message-ID: <" + mail.message_id + ">\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: text/plain; charset=UTF-8\r\n";
  msg += "Content-Transfer-Encoding: base64\r\n";
  msg += "Auto-Submitted: auto-generated\r\n";
  msg += "\r\n";
  msg += wrapped;
  return msg;
}

core::Status SendMail(const SmtpOptions& smtp, const Mail& mail, core::Timestamp date) {
  if (smtp.host.empty()) return core::InvalidArgument("smtp.host: not configured");
  if (HasLineBreak(smtp.from) || !PlausibleAddress(AddressOf(smtp.from)))
    return core::InvalidArgument("smtp.from: not an e-mail address");
  if (HasLineBreak(mail.to) || !PlausibleAddress(mail.to)) return core::InvalidArgument("recipient: not an e-mail address");
  if (HasLineBreak(mail.subject)) return core::InvalidArgument("subject: must be one line");
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return core::Internal("curl_easy_init failed");
  Upload up{FormatMail(smtp, mail, date), 0};
  std::string url = "smtp://" + smtp.host + ":" + std::to_string(smtp.port);
  std::string from = "<" + AddressOf(smtp.from) + ">";
  std::string to = "<" + mail.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadCallback);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(smtp.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(smtp.timeout.count(), 10'000)));
  if (smtp.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!smtp.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, smtp.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    std::string why = errbuf[0] != 0 ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    return core::Unavailable("smtp " + smtp.host + ":" + std::to_string(smtp.port) + ": " + why);
  }
  return core::OkStatus();
}

Notification RenderNotification(std::string_view tenant_name, std::string_view case_number,
                                std::string_view greeting_name, std::string_view link) {
  Notification n;
  n.subject = "Neue Nachricht in Ihrem Postfach – Vorgang " + std::string(case_number);
  std::string greeting = greeting_name.empty() ? "Guten Tag," : "Guten Tag " + std::string(greeting_name) + ",";
  std::string from = tenant_name.empty() ? std::string("Ihre Verwaltung") : std::string(tenant_name);
  n.body = greeting + "\n\n" + from + " hat Ihnen zu Ihrem Vorgang " + std::string(case_number) +
           " eine neue Nachricht in Ihr Postfach gestellt.\n\n"
           "Sie lesen sie hier, zusammen mit dem Schlüssel aus Ihrer Eingangsbestätigung:\n" +
           std::string(link) +
           "\n\nAus Gründen des Datenschutzes enthält diese E-Mail den Inhalt der Nachricht nicht.\n"
           "Bitte antworten Sie nicht auf diese E-Mail; nutzen Sie das Postfach.\n\n"
           "Mit freundlichen Grüßen\n" +
           from + "\n";
  return n;
}

std::string FindEmail(const core::Json& form_data) {
  std::string out;
  FindEmailIn(form_data, out, 0);
  return out;
}

std::string FindName(const core::Json& form_data) {
  if (!form_data.is_object()) return {};
  for (const char* k : {"name", "applicant"}) {
    auto it = form_data.find(k);
    if (it != form_data.end() && it->is_string()) {
      std::string s = it->get<std::string>();
      if (!s.empty() && s.size() <= 200 && !HasLineBreak(s)) return s;
    }
  }
  return {};
}

std::chrono::milliseconds Backoff(int64_t attempts, std::chrono::milliseconds first, std::chrono::milliseconds max) {
  if (attempts <= 1) return std::min(first, max);
  int64_t ms = first.count();
  for (int64_t i = 1; i < attempts && ms < max.count(); ++i) ms *= 2;
  return std::chrono::milliseconds(std::min(ms, max.count()));
}

MailDelivery::MailDelivery(store::Database& db, SmtpOptions smtp, MailDeliveryOptions options)
    : db_(db),
      smtp_(std::move(smtp)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : &core::SystemClock::Instance()) {}

core::Result<int> MailDelivery::RunOnce() {
  if (smtp_.host.empty()) return 0;
  core::Timestamp now = clock_->Now();
  int64_t now_ms = core::ToUnixMillis(now);
  AW_ASSIGN_OR_RETURN(auto due, db_.Read([&](store::Tx& tx) { return internal::DueMails(tx, now_ms, options_.batch); }));
  int sent = 0;
  for (const auto& m : due) {
    // Claim it (another node may run the same loop), then send outside any transaction.
    int64_t lease_until = now_ms + options_.lease.count();
    AW_ASSIGN_OR_RETURN(bool mine, db_.writer().Write([&](store::Tx& tx) {
      return internal::ClaimMail(tx, m.tenant_id, m.mail_id, now_ms, lease_until);
    }));
    if (!mine) continue;
    core::Status s = SendMail(smtp_, {m.recipient, m.subject, m.body, m.mail_id + "@amtsweg"}, now);
    int64_t attempts = m.attempts + 1;
    core::Status recorded;
    if (s.ok()) {
      ++sent;
      recorded = db_.writer().Run([&](store::Tx& tx) {
        return internal::UpdateMail(tx, m.tenant_id, m.mail_id, "sent", attempts, now_ms, "", now_ms);
      });
    } else {
      bool give_up = attempts >= options_.max_attempts;
      int64_t next = now_ms + Backoff(attempts, options_.first_backoff, options_.max_backoff).count();
      core::LogWarn("mail not sent", {{"tenant", m.tenant_id}, {"mail", m.mail_id},
                                      {"attempt", std::to_string(attempts)}, {"error", s.error().message()}});
      recorded = db_.writer().Run([&](store::Tx& tx) {
        return internal::UpdateMail(tx, m.tenant_id, m.mail_id, give_up ? "failed" : "pending", attempts, next,
                                    s.error().message(), std::nullopt);
      });
    }
    AW_TRY(recorded);
  }
  return sent;
}

}  // namespace amtsweg::postfach
