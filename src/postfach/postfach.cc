#include "postfach/postfach.h"

#include <algorithm>
#include <cmath>

#include "audit/audit.h"
#include "core/hash.h"
#include "core/id.h"
#include "core/log.h"
#include "intake/codes.h"
#include "postfach/mail.h"
#include "postfach/postfach_store.h"

namespace amtsweg::postfach {

using core::Json;

struct Postfach::CaseRef {
  std::string tenant, case_id, case_number, tracking_code;
};

namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

core::Status StatusOf(core::Result<std::string> r) {
  if (!r.ok()) return std::move(r).error();
  return core::OkStatus();
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) >> 6) != 0x2 ? 1 : 0;
  return n;
}

std::optional<Json> TimeOrNull(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  return Json(core::FormatIso8601(core::FromUnixMillis(*ms)));
}

// The thread as JSON; `citizen_view` hides staff identities.
Json ThreadJson(const std::vector<internal::MessageRow>& messages,
                const std::vector<internal::AttachmentRow>& attachments, bool citizen_view) {
  Json items = Json::array();
  for (const auto& m : messages) {
    Json files = Json::array();
    for (const auto& a : attachments) {
      if (a.message_id != m.message_id) continue;
      files.push_back({{"idx", a.idx}, {"filename", a.filename}, {"contentType", a.content_type},
                       {"size", a.size}, {"sha256", a.sha256}});
    }
    Json item{{"id", m.message_id},
              {"direction", m.direction == "to_citizen" ? "toCitizen" : "toOffice"},
              {"subject", m.subject},
              {"text", m.body},
              {"createdAt", core::FormatIso8601(core::FromUnixMillis(m.created_at))},
              {"readByCitizenAt", TimeOrNull(m.read_by_citizen_at).value_or(Json())},
              {"readByOfficeAt", TimeOrNull(m.read_by_office_at).value_or(Json())},
              {"attachments", files}};
    if (!citizen_view) item["author"] = m.author;
    items.push_back(std::move(item));
  }
  return Json{{"items", items}};
}

Json MessageJson(const internal::MessageRow& m, const std::vector<StoredAttachment>& files, bool citizen_view) {
  std::vector<internal::AttachmentRow> rows;
  for (size_t i = 0; i < files.size(); ++i) {
    rows.push_back({m.message_id, static_cast<int64_t>(i), files[i].filename, files[i].content_type, files[i].size,
                    files[i].sha256});
  }
  return ThreadJson({m}, rows, citizen_view)["items"][0];
}

core::Status CheckText(std::string_view subject, std::string_view text, const Limits& limits) {
  std::vector<core::FieldError> errors;
  if (subject.empty()) errors.push_back({"/subject", "required"});
  else if (!ValidUtf8(subject)) errors.push_back({"/subject", "not valid UTF-8"});
  else if (Utf8Length(subject) > limits.max_subject_chars)
    errors.push_back({"/subject", "at most " + std::to_string(limits.max_subject_chars) + " characters"});
  else if (subject.find_first_of("\r\n") != std::string_view::npos) errors.push_back({"/subject", "must be one line"});
  if (text.empty()) errors.push_back({"/text", "required"});
  else if (!ValidUtf8(text)) errors.push_back({"/text", "not valid UTF-8"});
  else if (text.size() > limits.max_body_bytes)
    errors.push_back({"/text", "at most " + std::to_string(limits.max_body_bytes) + " bytes"});
  if (!errors.empty()) return core::InvalidArgument("invalid message", std::move(errors));
  return core::OkStatus();
}

std::string SafeFilename(std::string_view name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '/' || c == '\\' || c == '"' || u == 0x7f) continue;
    out += c;
  }
  if (out.size() > 200) out.resize(200);
  return out.empty() ? std::string("anhang") : out;
}

}  // namespace

Postfach::Postfach(store::Database& db, engine::Engine& engine, Options options)
    : db_(db),
      engine_(engine),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &core::SystemClock::Instance()),
      files_(options_.files_dir / kFilesSubdir) {}

core::Result<std::vector<StoredAttachment>> Postfach::PrepareAttachments(std::string_view tenant,
                                                                         const std::vector<NewAttachment>& files) {
  const Limits& lim = options_.limits;
  if (files.size() > lim.max_files) {
    return core::InvalidArgument("too many attachments",
                                 {{"/files", "at most " + std::to_string(lim.max_files) + " files"}});
  }
  std::vector<StoredAttachment> out;
  int64_t total = 0;
  std::vector<core::FieldError> errors;
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& f = files[i];
    std::string ptr = "/files/" + std::to_string(i);
    int64_t size = static_cast<int64_t>(f.bytes.size());
    if (size == 0) {
      errors.push_back({ptr, "the file \"" + SafeFilename(f.filename) + "\" is empty"});
      continue;
    }
    if (size > lim.max_file_bytes) {
      return core::ResourceExhausted("attachment \"" + SafeFilename(f.filename) + "\" is larger than " +
                                     std::to_string(lim.max_file_bytes) + " bytes");
    }
    total += size;
    AW_ASSIGN_OR_RETURN(std::string type, intake::DetectContentType(f.bytes));
    if (std::find(lim.allowed_types.begin(), lim.allowed_types.end(), type) == lim.allowed_types.end()) {
      errors.push_back({ptr, "the file \"" + SafeFilename(f.filename) + "\" is of type " + type +
                                 " (allowed: PDF, PNG, JPEG, TIFF, text, XML)"});
      continue;
    }
    out.push_back({SafeFilename(f.filename), type, size, core::Sha256Hex(f.bytes)});
  }
  if (total > lim.max_total_bytes) {
    return core::ResourceExhausted("attachments are larger than " + std::to_string(lim.max_total_bytes) +
                                   " bytes together");
  }
  if (!errors.empty()) return core::InvalidArgument("invalid attachments", std::move(errors));
  // Written (fsync'd) before the transaction that refers to them.
  for (size_t i = 0; i < files.size(); ++i) AW_TRY(files_.Put(tenant, out[i].sha256, files[i].bytes));
  return out;
}

core::Result<std::string> Postfach::PostOfficeMessageInTx(store::Tx& tx, std::string_view tenant,
                                                          std::string_view case_id, std::string_view message_id,
                                                          std::string_view actor, std::string_view subject,
                                                          std::string_view text,
                                                          const std::vector<StoredAttachment>& attachments,
                                                          core::Timestamp at, std::string_view origin) {
  AW_TRY(CheckText(subject, text, options_.limits));
  if (!origin.empty()) {
    AW_ASSIGN_OR_RETURN(auto existing, internal::MessageByOrigin(tx, tenant, origin));
    if (existing) return *existing;
  }
  AW_ASSIGN_OR_RETURN(auto c, internal::FindCase(tx, tenant, case_id));
  if (!c) return core::NotFound("no case " + std::string(case_id));
  int64_t now = core::ToUnixMillis(at);
  internal::MessageRow m{std::string(message_id), "to_citizen", std::string(subject), std::string(text),
                         std::string(actor), now, std::nullopt, std::nullopt};
  AW_TRY(internal::InsertMessage(tx, tenant, case_id, m, origin));
  for (size_t i = 0; i < attachments.size(); ++i) {
    const auto& a = attachments[i];
    AW_TRY(internal::InsertAttachment(tx, tenant, case_id,
                                      {m.message_id, static_cast<int64_t>(i), a.filename, a.content_type, a.size,
                                       a.sha256}));
  }
  AW_TRY(audit::Append(tx,
                       {.tenant = std::string(tenant), .actor = std::string(actor), .action = "postfach.message_sent",
                        .object_type = "case", .object_id = std::string(case_id),
                        .details = {{"messageId", m.message_id}, {"attachments", attachments.size()}}},
                       at));
  if (options_.mail_enabled) {
    AW_ASSIGN_OR_RETURN(std::string data_text, internal::CaseFormData(tx, tenant, case_id));
    auto data = core::ParseJson(data_text.empty() ? "{}" : data_text);
    std::string to = data.ok() ? FindEmail(*data) : std::string();
    if (!to.empty()) {
      AW_ASSIGN_OR_RETURN(std::string tenant_name, internal::TenantName(tx, tenant));
      std::string link = options_.public_url + "/portal/postfach/" + intake::FormatTrackingCode(c->tracking_code);
      Notification n = RenderNotification(tenant_name, c->case_number, FindName(*data), link);
      internal::MailRow mail{std::string(tenant), core::NewId(), std::string(case_id), m.message_id, to, n.subject,
                             n.body, "pending", 0, now, "", now, std::nullopt};
      AW_TRY(internal::InsertMail(tx, mail));
    }
  }
  // HOOK(cases): full-text index of the message text — wire cases::IndexTextInTx here.
  if (index_text_) AW_TRY(index_text_(tx, tenant, case_id, m.message_id, std::string(subject) + "\n" + std::string(text)));
  return m.message_id;
}

// ---- staff ----

core::Result<Json> Postfach::Thread(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto msgs, internal::SelectMessages(tx, tenant, case_id));
  AW_ASSIGN_OR_RETURN(auto atts, internal::SelectAttachments(tx, tenant, case_id));
  return ThreadJson(msgs, atts, false);
}

core::Result<Json> Postfach::ListForStaff(std::string_view tenant, std::string_view case_id) {
  return db_.Read([&](store::Tx& tx) -> core::Result<Json> {
    AW_ASSIGN_OR_RETURN(auto c, internal::FindCase(tx, tenant, case_id));
    if (!c) return core::NotFound("no case " + std::string(case_id));
    AW_ASSIGN_OR_RETURN(Json t, Thread(tx, tenant, case_id));
    t["caseId"] = c->case_id;
    t["caseNumber"] = c->case_number;
    return t;
  });
}

void Postfach::PostForStaff(std::string tenant, std::string case_id, std::string actor, std::string subject,
                            std::string text, std::vector<NewAttachment> files,
                            std::function<void(core::Result<Json>)> done) {
  if (auto s = CheckText(subject, text, options_.limits); !s.ok()) return done(std::move(s).error());
  auto exists = db_.Read([&](store::Tx& tx) { return internal::FindCase(tx, tenant, case_id); });
  if (!exists.ok()) return done(std::move(exists).error());
  if (!*exists) return done(core::NotFound("no case " + case_id));
  auto stored = PrepareAttachments(tenant, files);
  if (!stored.ok()) return done(std::move(stored).error());
  struct State {
    std::string tenant, case_id, actor, subject, text, message_id;
    std::vector<StoredAttachment> files;
    core::Timestamp at;
  };
  auto st = std::make_shared<State>(State{std::move(tenant), std::move(case_id), std::move(actor), std::move(subject),
                                          std::move(text), core::NewId(), std::move(*stored), Now()});
  db_.writer().Submit(
      [this, st](store::Tx& tx) -> core::Status {
        return StatusOf(PostOfficeMessageInTx(tx, st->tenant, st->case_id, st->message_id, st->actor, st->subject,
                                              st->text, st->files, st->at));
      },
      [st, done = std::move(done)](core::Status s) {
        if (!s.ok()) return done(std::move(s).error());
        internal::MessageRow m{st->message_id, "to_citizen", st->subject, st->text, st->actor,
                               core::ToUnixMillis(st->at), std::nullopt, std::nullopt};
        done(MessageJson(m, st->files, false));
      });
}

core::Result<Json> Postfach::MarkReadByOffice(std::string_view tenant, std::string_view case_id,
                                              std::string_view message_id, std::string_view actor) {
  core::Timestamp at = Now();
  return db_.writer().Write([&](store::Tx& tx) -> core::Result<Json> {
    AW_ASSIGN_OR_RETURN(auto m, internal::SelectMessage(tx, tenant, case_id, message_id));
    if (!m) return core::NotFound("no message " + std::string(message_id) + " in case " + std::string(case_id));
    if (m->direction != "to_office") {
      return core::FailedPrecondition("the office reads only the citizen's messages; this one went to the citizen");
    }
    AW_ASSIGN_OR_RETURN(bool changed, internal::MarkRead(tx, tenant, case_id, message_id, "office",
                                                         core::ToUnixMillis(at)));
    if (changed) {
      AW_TRY(audit::Append(tx,
                           {.tenant = std::string(tenant), .actor = std::string(actor), .action = "postfach.message_read",
                            .object_type = "case", .object_id = std::string(case_id),
                            .details = {{"messageId", std::string(message_id)}, {"by", "office"}}},
                           at));
    }
    AW_ASSIGN_OR_RETURN(auto again, internal::SelectMessage(tx, tenant, case_id, message_id));
    return Json{{"id", again->message_id},
                {"readByOfficeAt", TimeOrNull(again->read_by_office_at).value_or(Json())}};
  });
}

core::Result<Postfach::File> Postfach::StaffAttachment(std::string_view tenant, std::string_view case_id,
                                                       std::string_view message_id, int64_t idx) {
  AW_ASSIGN_OR_RETURN(auto atts, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::AttachmentRow>> {
    AW_ASSIGN_OR_RETURN(auto m, internal::SelectMessage(tx, tenant, case_id, message_id));
    if (!m) return core::NotFound("no message " + std::string(message_id));
    return internal::SelectAttachments(tx, tenant, case_id);
  }));
  for (const auto& a : atts) {
    if (a.message_id == message_id && a.idx == idx) {
      AW_ASSIGN_OR_RETURN(std::string bytes, files_.Get(tenant, a.sha256));
      return File{a.filename, a.content_type, std::move(bytes)};
    }
  }
  return core::NotFound("no attachment " + std::to_string(idx) + " of message " + std::string(message_id));
}

// ---- citizen ----

core::Result<Postfach::CaseRef> Postfach::CitizenCase(store::Tx& tx, std::string_view tracking_code,
                                                      std::string_view key) {
  // One answer for every way of being wrong: unknown or malformed code, wrong key.
  auto not_found = [] { return core::NotFound("no Postfach for this tracking code and key"); };
  auto code = intake::NormalizeTrackingCode(tracking_code);
  if (!code || key.empty() || key.size() > 200) return not_found();
  AW_ASSIGN_OR_RETURN(auto c, internal::FindCaseByTrackingCode(tx, *code));
  // Hash the key even for an unknown code, so both take the same time.
  std::string hash = core::Sha256Hex(key);
  if (!c || !core::ConstantTimeEquals(hash, c->receipt_secret_hash)) return not_found();
  return CaseRef{c->tenant_id, c->case_id, c->case_number, c->tracking_code};
}

core::Result<Json> Postfach::ListForCitizen(std::string_view tracking_code, std::string_view key) {
  return db_.Read([&](store::Tx& tx) -> core::Result<Json> {
    AW_ASSIGN_OR_RETURN(CaseRef c, CitizenCase(tx, tracking_code, key));
    AW_ASSIGN_OR_RETURN(auto msgs, internal::SelectMessages(tx, c.tenant, c.case_id));
    AW_ASSIGN_OR_RETURN(auto atts, internal::SelectAttachments(tx, c.tenant, c.case_id));
    Json t = ThreadJson(msgs, atts, true);
    t["trackingCode"] = intake::FormatTrackingCode(c.tracking_code);
    t["caseNumber"] = c.case_number;
    AW_ASSIGN_OR_RETURN(std::string authority, internal::TenantName(tx, c.tenant));
    t["authority"] = authority;
    return t;
  });
}

void Postfach::PostForCitizen(std::string tracking_code, std::string key, std::string subject, std::string text,
                              std::vector<NewAttachment> files, std::function<void(core::Result<Json>)> done) {
  auto c = db_.Read([&](store::Tx& tx) { return CitizenCase(tx, tracking_code, key); });
  if (!c.ok()) return done(std::move(c).error());
  if (auto s = CheckText(subject, text, options_.limits); !s.ok()) return done(std::move(s).error());
  auto stored = PrepareAttachments(c->tenant, files);
  if (!stored.ok()) return done(std::move(stored).error());
  struct State {
    CaseRef c;
    std::string subject, text, message_id;
    std::vector<StoredAttachment> files;
    core::Timestamp at;
  };
  auto st = std::make_shared<State>(
      State{std::move(*c), std::move(subject), std::move(text), core::NewId(), std::move(*stored), Now()});
  db_.writer().Submit(
      [this, st](store::Tx& tx) -> core::Status {
        const CaseRef& cr = st->c;
        int64_t now = core::ToUnixMillis(st->at);
        internal::MessageRow m{st->message_id, "to_office", st->subject, st->text, "citizen", now,
                               std::nullopt, std::nullopt};
        AW_TRY(internal::InsertMessage(tx, cr.tenant, cr.case_id, m, {}));
        for (size_t i = 0; i < st->files.size(); ++i) {
          const auto& a = st->files[i];
          AW_TRY(internal::InsertAttachment(tx, cr.tenant, cr.case_id,
                                            {m.message_id, static_cast<int64_t>(i), a.filename, a.content_type,
                                             a.size, a.sha256}));
        }
        AW_TRY(audit::Append(tx,
                             {.tenant = cr.tenant, .actor = "anonymous", .action = "postfach.reply_received",
                              .object_type = "case", .object_id = cr.case_id,
                              .details = {{"messageId", m.message_id}, {"attachments", st->files.size()}}},
                             st->at));
        // A waiting "Angaben nachgereicht" continues in this same transaction.
        if (!options_.reply_message_name.empty()) {
          AW_ASSIGN_OR_RETURN(engine::PublishResult pr,
                              engine_.PublishMessageInTx(tx, cr.tenant, options_.reply_message_name, cr.case_id,
                                                         Json{{"postfachNachricht", m.message_id}}));
          (void)pr;
        }
        // HOOK(cases): full-text index of the citizen's message — wire cases::IndexTextInTx here.
        if (index_text_) AW_TRY(index_text_(tx, cr.tenant, cr.case_id, m.message_id, st->subject + "\n" + st->text));
        return core::OkStatus();
      },
      [st, done = std::move(done)](core::Status s) {
        if (!s.ok()) return done(std::move(s).error());
        internal::MessageRow m{st->message_id, "to_office", st->subject, st->text, "citizen",
                               core::ToUnixMillis(st->at), std::nullopt, std::nullopt};
        done(MessageJson(m, st->files, true));
      });
}

core::Result<Json> Postfach::MarkReadByCitizen(std::string_view tracking_code, std::string_view key,
                                               std::string_view message_id) {
  AW_ASSIGN_OR_RETURN(CaseRef c, db_.Read([&](store::Tx& tx) { return CitizenCase(tx, tracking_code, key); }));
  core::Timestamp at = Now();
  return db_.writer().Write([&](store::Tx& tx) -> core::Result<Json> {
    AW_ASSIGN_OR_RETURN(auto m, internal::SelectMessage(tx, c.tenant, c.case_id, message_id));
    if (!m) return core::NotFound("no message " + std::string(message_id));
    if (m->direction != "to_citizen") {
      return core::FailedPrecondition("only messages from the office can be marked read by the citizen");
    }
    AW_ASSIGN_OR_RETURN(bool changed, internal::MarkRead(tx, c.tenant, c.case_id, message_id, "citizen",
                                                         core::ToUnixMillis(at)));
    if (changed) {
      AW_TRY(audit::Append(tx,
                           {.tenant = c.tenant, .actor = "anonymous", .action = "postfach.message_read",
                            .object_type = "case", .object_id = c.case_id,
                            .details = {{"messageId", std::string(message_id)}, {"by", "citizen"}}},
                           at));
    }
    AW_ASSIGN_OR_RETURN(auto again, internal::SelectMessage(tx, c.tenant, c.case_id, message_id));
    return Json{{"id", again->message_id},
                {"readByCitizenAt", TimeOrNull(again->read_by_citizen_at).value_or(Json())}};
  });
}

core::Result<Postfach::File> Postfach::CitizenAttachment(std::string_view tracking_code, std::string_view key,
                                                         std::string_view message_id, int64_t idx) {
  AW_ASSIGN_OR_RETURN(CaseRef c, db_.Read([&](store::Tx& tx) { return CitizenCase(tx, tracking_code, key); }));
  return StaffAttachment(c.tenant, c.case_id, message_id, idx);
}

// ---- the job worker ----

core::Result<int> Postfach::RunJobs(int max_jobs) {
  AW_ASSIGN_OR_RETURN(auto tenants, engine_.TenantsWithAvailableJobs({kJobType}));
  int completed = 0;
  for (const auto& tenant : tenants) {
    AW_ASSIGN_OR_RETURN(auto jobs, engine_.ActivateJobs(tenant, kJobType, "amtsweg-postfach", max_jobs,
                                                        std::chrono::seconds(60)));
    for (const auto& job : jobs) {
      auto fail = [&](const std::string& why) -> core::Status {
        core::LogWarn("postfach job failed", {{"tenant", tenant}, {"job", job.job_id}, {"error", why}});
        return engine_.FailJob(tenant, job.job_id, static_cast<int>(std::max<int64_t>(job.retries - 1, 0)), why,
                               std::chrono::seconds(30));
      };
      std::string vorlage = job.headers.is_object() && job.headers.contains("vorlage") &&
                                    job.headers["vorlage"].is_string()
                                ? job.headers["vorlage"].get<std::string>()
                                : std::string();
      std::string case_id = job.variables.is_object() && job.variables.contains("caseId") &&
                                    job.variables["caseId"].is_string()
                                ? job.variables["caseId"].get<std::string>()
                                : std::string();
      if (vorlage.empty()) {
        AW_TRY(fail("task header \"vorlage\" is missing (templates: nachforderung, sachstand)"));
        continue;
      }
      if (case_id.empty()) {
        AW_TRY(fail("process variable \"caseId\" is missing: the process was not started by a submission"));
        continue;
      }
      auto rendered = RenderTemplate(vorlage, job.variables);
      if (!rendered.ok()) {
        AW_TRY(fail(rendered.error().message()));
        continue;
      }
      std::string message_id = core::NewId();
      core::Timestamp at = Now();
      core::Status s = engine_.CompleteJobWith(
          tenant, job.job_id, Json{{"postfachNachricht", message_id}}, [&](store::Tx& tx) -> core::Status {
            return StatusOf(PostOfficeMessageInTx(tx, tenant, case_id, message_id, "system", rendered->subject,
                                                  rendered->text, {}, at, "job:" + job.job_id));
          });
      if (!s.ok()) {
        if (s.error().code() == core::ErrorCode::kNotFound || s.error().code() == core::ErrorCode::kInvalidArgument) {
          AW_TRY(fail(s.error().message()));
          continue;
        }
        return std::move(s).error();
      }
      ++completed;
    }
  }
  return completed;
}

// ---- templates ----

namespace {

// The value at a dotted path ("params.nachreichfristTage") as text; "" when absent.
std::string Lookup(const Json& vars, std::string_view path) {
  const Json* cur = &vars;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string part(path.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos));
    if (!cur->is_object() || !cur->contains(part)) return {};
    cur = &(*cur)[part];
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_number_integer()) return std::to_string(cur->get<int64_t>());
  if (cur->is_number()) {
    double d = cur->get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
    return core::DumpJson(*cur);
  }
  if (cur->is_boolean()) return cur->get<bool>() ? "ja" : "nein";
  return {};
}

// Replaces {{path}} and {{path|fallback}} with variables.
std::string Fill(std::string_view tpl, const Json& vars) {
  std::string out;
  size_t i = 0;
  while (i < tpl.size()) {
    size_t open = tpl.find("{{", i);
    if (open == std::string_view::npos) {
      out += tpl.substr(i);
      break;
    }
    size_t close = tpl.find("}}", open);
    if (close == std::string_view::npos) {
      out += tpl.substr(i);
      break;
    }
    out += tpl.substr(i, open - i);
    std::string_view inner = tpl.substr(open + 2, close - open - 2);
    std::string_view fallback;
    if (auto bar = inner.find('|'); bar != std::string_view::npos) {
      fallback = inner.substr(bar + 1);
      inner = inner.substr(0, bar);
    }
    std::string v = Lookup(vars, inner);
    out += v.empty() ? std::string(fallback) : v;
    i = close + 2;
  }
  return out;
}

struct Template {
  const char* name;
  const char* subject;
  const char* text;
};

// German texts for the `vorlage` headers of amtsweg:postfach-nachricht tasks
// (the demo's Plakatierung uses "nachforderung").
constexpr Template kTemplates[] = {
    {"nachforderung", "Bitte reichen Sie Angaben nach – Vorgang {{caseNumber|ohne Nummer}}",
     "Guten Tag,\n\n"
     "vielen Dank für Ihren Antrag (Vorgang {{caseNumber|ohne Nummer}}). Damit wir ihn abschließend "
     "bearbeiten können, benötigen wir noch folgende Angaben oder Unterlagen:\n\n"
     "{{nachforderung|Die fehlenden Angaben nennt Ihnen die Sachbearbeitung auf Nachfrage.}}\n\n"
     "Bitte reichen Sie diese innerhalb von {{params.nachreichfristTage|14}} Tagen nach. Antworten Sie dazu "
     "einfach auf diese Nachricht in Ihrem Postfach und fügen Sie Unterlagen als Anhang bei (PDF, PNG, JPEG "
     "oder TIFF).\n\n"
     "Gehen die Angaben nicht innerhalb der Frist ein, müssen wir über Ihren Antrag nach Aktenlage entscheiden; "
     "er kann dann wegen fehlender Angaben abgelehnt werden.\n\n"
     "Mit freundlichen Grüßen\n"
     "Ihre Verwaltung"},
    {"sachstand", "Sachstand zu Ihrem Antrag – Vorgang {{caseNumber|ohne Nummer}}",
     "Guten Tag,\n\n"
     "Ihr Antrag (Vorgang {{caseNumber|ohne Nummer}}) ist bei uns in Bearbeitung. "
     "{{sachstand|Wir melden uns, sobald eine Entscheidung vorliegt.}}\n\n"
     "Sie müssen derzeit nichts weiter tun. Rückfragen stellen Sie bitte über Ihr Postfach.\n\n"
     "Mit freundlichen Grüßen\n"
     "Ihre Verwaltung"},
};

}  // namespace

core::Result<RenderedMessage> RenderTemplate(std::string_view name, const Json& variables) {
  for (const auto& t : kTemplates) {
    if (name == t.name) return RenderedMessage{Fill(t.subject, variables), Fill(t.text, variables)};
  }
  std::string known;
  for (const auto& t : kTemplates) known += std::string(known.empty() ? "" : ", ") + t.name;
  return core::NotFound("no Postfach template \"" + std::string(name) + "\" (known: " + known + ")");
}

std::vector<std::string> TemplateNames() {
  std::vector<std::string> out;
  for (const auto& t : kTemplates) out.push_back(t.name);
  return out;
}

}  // namespace amtsweg::postfach
