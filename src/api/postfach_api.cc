#include "api/postfach_api.h"

#include <charconv>

#include "api/auth_api.h"
#include "api/json_body.h"
#include "api/multipart.h"
#include "api/roles.h"
#include "auth/auth.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Response;

namespace {

struct NewMessage {
  std::string subject, text;
  std::vector<postfach::NewAttachment> files;
};

// {subject, text} as JSON, or multipart with a part "data" (that JSON) and file parts.
core::Result<NewMessage> ReadMessage(const Request& req) {
  NewMessage out;
  Json data;
  std::string_view ct = req.Header("Content-Type").value_or("");
  std::string_view type = ct.substr(0, ct.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (http::EqualsIgnoreCase(type, "application/json")) {
    AW_ASSIGN_OR_RETURN(data, BoundedJson(req.body));
  } else if (auto boundary = MultipartBoundary(ct)) {
    AW_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.body, *boundary));
    bool have_data = false;
    for (auto& p : parts) {
      if (p.name == "data" && !p.filename) {
        if (have_data) return core::InvalidArgument("multipart: the part \"data\" appears twice");
        AW_ASSIGN_OR_RETURN(data, BoundedJson(p.body));
        have_data = true;
      } else if (p.filename) {
        out.files.push_back({std::move(*p.filename), std::move(p.body)});
      } else {
        return core::InvalidArgument("multipart: unknown part \"" + p.name + "\" (expected \"data\" and files)");
      }
    }
    if (!have_data) return core::InvalidArgument("multipart: the part \"data\" with subject and text is missing");
  } else {
    return core::InvalidArgument("Content-Type must be application/json or multipart/form-data");
  }
  if (!data.is_object()) return core::InvalidArgument("the message must be a JSON object {subject, text}");
  std::vector<core::FieldError> errors;
  for (const auto& [k, v] : data.items()) {
    if (k != "subject" && k != "text") errors.push_back({"/" + k, "unknown field (expected subject and text)"});
    else if (!v.is_string()) errors.push_back({"/" + k, "must be a string"});
  }
  if (!errors.empty()) return core::InvalidArgument("invalid message", std::move(errors));
  out.subject = data.value("subject", "");
  out.text = data.value("text", "");
  return out;
}

core::Result<int64_t> Index(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return core::NotFound("no such attachment");
  return v;
}

std::string Key(const Request& req) {
  if (auto h = req.Header("X-Postfach-Key")) return std::string(*h);
  return req.QueryParam("key").value_or("");
}

std::string Actor(const Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  return p != nullptr ? p->Actor() : std::string("anonymous");
}

Response FileResponse(postfach::Postfach::File f) {
  std::string name;
  for (char c : f.filename) name += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  return Response::Bytes(std::move(f.bytes), f.content_type)
      .WithHeader("Cache-Control", "private, no-store")
      .WithHeader("X-Content-Type-Options", "nosniff")
      .WithHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
}

Json MessageBodySchema() {
  return Json{{"type", "object"},
              {"required", {"subject", "text"}},
              {"additionalProperties", false},
              {"properties", {{"subject", {{"type", "string"}, {"maxLength", 200}}}, {"text", {{"type", "string"}}}}}};
}

}  // namespace

void RegisterPostfachRoutes(http::Router& router, postfach::Postfach& pf) {
  const std::string tag = "postfach";
  http::ParamDoc tenant{.name = "tenant", .description = "tenant id"};
  http::ParamDoc case_id{.name = "caseId", .description = "case id"};
  http::ParamDoc message{.name = "messageId", .description = "message id"};
  http::ParamDoc idx{.name = "idx", .description = "attachment index (0, 1, ...)"};
  http::ParamDoc code{.name = "trackingCode", .description = "tracking code, e.g. 7K2M-9QXH-4T0B"};
  http::ParamDoc key{.name = "key", .description = "receipt key (or header X-Postfach-Key)"};
  const std::string staff = "/api/v1/tenants/{tenant}/cases/{caseId}/messages";
  const std::string citizen = "/api/v1/postfach/{trackingCode}/messages";

  router.Get(staff,
             [&pf](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json t, pf.ListForStaff(req.PathParam("tenant"), req.PathParam("caseId")));
               return Response::Json(t).WithHeader("Cache-Control", "no-store");
             },
             {.summary = "The message thread of a case (office and citizen), oldest first",
              .tag = tag, .path_params = {tenant, case_id}, .roles = roles::Assigners()});

  router.PostAsync(
      staff,
      [&pf](Request& req, http::Responder respond) {
        auto m = ReadMessage(req);
        if (!m.ok()) return respond(std::move(m).error());
        pf.PostForStaff(std::string(req.PathParam("tenant")), std::string(req.PathParam("caseId")), Actor(req),
                        std::move(m->subject), std::move(m->text), std::move(m->files),
                        [respond](core::Result<Json> r) {
                          if (!r.ok()) return respond(std::move(r).error());
                          respond(Response::Json(*r, 201));
                        });
      },
      {.summary = "Send a message to the citizen",
       .description = "JSON {subject, text}, or multipart/form-data with a part \"data\" (that JSON) and one part "
                      "per file. Files are checked by content (PDF, PNG, JPEG, TIFF, text, XML; 10 MiB each, 20 MiB "
                      "together, at most 10). The citizen is told by e-mail that a message is waiting when the "
                      "case's form data has an address and SMTP is configured.",
       .tag = tag, .path_params = {tenant, case_id}, .request_schema = MessageBodySchema(), .success_status = 201,
       .roles = roles::CaseWorkers()},
      {.max_body_bytes = kMaxMessageBytes});

  router.Post(staff + "/{messageId}/read",
              [&pf](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json r, pf.MarkReadByOffice(req.PathParam("tenant"), req.PathParam("caseId"),
                                                                req.PathParam("messageId"), Actor(req)));
                return Response::Json(r);
              },
              {.summary = "Mark a citizen's message read by the office", .tag = tag,
               .path_params = {tenant, case_id, message}, .roles = roles::Assigners()});

  router.Get(staff + "/{messageId}/attachments/{idx}",
             [&pf](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(int64_t i, Index(req.PathParam("idx")));
               AW_ASSIGN_OR_RETURN(auto f, pf.StaffAttachment(req.PathParam("tenant"), req.PathParam("caseId"),
                                                              req.PathParam("messageId"), i));
               return FileResponse(std::move(f));
             },
             {.summary = "Download an attachment of a message", .tag = tag,
              .path_params = {tenant, case_id, message, idx}, .success_content_type = "application/octet-stream",
              .roles = roles::Assigners()});

  router.Get(citizen,
             [&pf](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json t, pf.ListForCitizen(req.PathParam("trackingCode"), Key(req)));
               return Response::Json(t).WithHeader("Cache-Control", "private, no-store");
             },
             {.summary = "The citizen's Postfach of a case (no account: tracking code and receipt key)",
              .description = "A wrong tracking code or key is 404, without saying which.", .tag = tag,
              .path_params = {code}, .query_params = {key}, .public_route = true});

  router.PostAsync(
      citizen,
      [&pf](Request& req, http::Responder respond) {
        auto m = ReadMessage(req);
        if (!m.ok()) return respond(std::move(m).error());
        pf.PostForCitizen(std::string(req.PathParam("trackingCode")), Key(req), std::move(m->subject),
                          std::move(m->text), std::move(m->files), [respond](core::Result<Json> r) {
                            if (!r.ok()) return respond(std::move(r).error());
                            respond(Response::Json(*r, 201));
                          });
      },
      {.summary = "Reply to the office from the Postfach",
       .description = "As the staff route; the reply continues a process waiting for \"angaben-nachgereicht\" "
                      "(correlation key: the case id) in the same transaction.",
       .tag = tag, .path_params = {code}, .query_params = {key}, .request_schema = MessageBodySchema(),
       .success_status = 201, .public_route = true},
      {.max_body_bytes = kMaxMessageBytes});

  router.Post(citizen + "/{messageId}/read",
              [&pf](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json r, pf.MarkReadByCitizen(req.PathParam("trackingCode"), Key(req),
                                                                 req.PathParam("messageId")));
                return Response::Json(r);
              },
              {.summary = "Mark a message from the office read", .tag = tag, .path_params = {code, message},
               .query_params = {key}, .public_route = true});

  router.Get(citizen + "/{messageId}/attachments/{idx}",
             [&pf](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(int64_t i, Index(req.PathParam("idx")));
               AW_ASSIGN_OR_RETURN(auto f, pf.CitizenAttachment(req.PathParam("trackingCode"), Key(req),
                                                                req.PathParam("messageId"), i));
               return FileResponse(std::move(f));
             },
             {.summary = "Download an attachment from the Postfach", .tag = tag, .path_params = {code, message, idx},
              .query_params = {key}, .success_content_type = "application/octet-stream", .public_route = true});
}

}  // namespace amtsweg::api
