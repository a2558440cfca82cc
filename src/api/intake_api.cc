#include "api/intake_api.h"
#include "api/roles.h"

#include "api/json_body.h"
#include "api/multipart.h"
#include "intake/codes.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Response;

namespace {

// The parts of a submission: the form data and the files.
core::Result<intake::SubmitRequest> ReadSubmission(const Request& req) {
  intake::SubmitRequest out;
  std::string_view ct = req.Header("Content-Type").value_or("");
  std::string_view type = ct.substr(0, ct.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (http::EqualsIgnoreCase(type, "application/json")) {
    AW_ASSIGN_OR_RETURN(out.data, BoundedJson(req.body));
  } else if (auto boundary = MultipartBoundary(ct)) {
    AW_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.body, *boundary));
    bool have_data = false;
    for (auto& p : parts) {
      if (p.name == "data" && !p.filename) {
        if (have_data) return core::InvalidArgument("multipart: the part \"data\" appears twice");
        AW_ASSIGN_OR_RETURN(out.data, BoundedJson(p.body));
        have_data = true;
      } else if (p.filename) {
        out.files.push_back({std::move(p.name), std::move(*p.filename), std::move(p.body)});
      } else {
        return core::InvalidArgument("multipart: unknown part \"" + p.name + "\" (expected \"data\" and files)");
      }
    }
    if (!have_data) return core::InvalidArgument("multipart: the part \"data\" with the form data is missing");
  } else {
    return core::InvalidArgument("Content-Type must be application/json or multipart/form-data");
  }
  if (!out.data.is_object()) return core::InvalidArgument("the form data must be a JSON object");
  if (auto key = req.Header("Idempotency-Key")) {
    bool ok = !key->empty() && key->size() <= 255;
    for (char c : *key) ok = ok && c > 0x20 && c < 0x7f;
    if (!ok) return core::InvalidArgument("Idempotency-Key: 1-255 visible ASCII characters");
    out.idempotency_key = std::string(*key);
  }
  // What identifies "the same request" for the Idempotency-Key: the data and
  // each file's name and hash (not the multipart boundary, which a retry changes).
  // Only needed with a key (a serialisation and a hash per file saved otherwise).
  if (!out.idempotency_key.empty()) {
    std::string canonical = core::DumpJson(out.data);
    for (const auto& f : out.files) canonical += "\n" + f.ref + "\n" + f.filename + "\n" + intake::Sha256Hex(f.bytes);
    out.request_hash = intake::Sha256Hex(canonical);
  }
  out.language = forms::LanguageFromAcceptLanguage(req.Header("Accept-Language").value_or(""));
  out.service_id = std::string(req.PathParam("service"));
  return out;
}

}  // namespace

void RegisterIntakeRoutes(http::Router& router, intake::Intake& in) {
  const std::string tag = "portal";
  http::ParamDoc service{.name = "service", .description = "service id"};
  http::ParamDoc code{.name = "trackingCode", .description = "tracking code, e.g. 7K2M-9QXH-4T0B"};

  router.PostAsync(
      "/api/v1/services/{service}/submissions",
      [&in](Request& req, http::Responder respond) {
        auto sub = ReadSubmission(req);
        if (!sub.ok()) return respond(std::move(sub).error());
        in.Submit(std::move(*sub), [respond](core::Result<Json> r) {
          if (!r.ok()) return respond(std::move(r).error());
          std::string location = (*r).value("statusUrl", "");
          respond(Response::Json(*r, 201).WithHeader("Location", location));
        });
      },
      {.summary = "Submit an application (no account needed)",
       .description = "JSON form data, or multipart/form-data with a part \"data\" (JSON) and one part per file, "
                      "named like the file's reference in the data (a filepicker field's value). Validated against "
                      "the service's form (422 per field, German or English by Accept-Language); attachments "
                      "checked by content. One transaction creates the case and starts the process. "
                      "Idempotency-Key: a retry returns the same answer.",
       .tag = tag, .path_params = {service}, .success_status = 201,
       .public_route = true},
      {.max_body_bytes = kMaxSubmissionBytes});

  router.Get("/api/v1/submissions/{trackingCode}",
             [&in](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json s, in.Status(req.PathParam("trackingCode")));
               return Response::Json(s).WithHeader("Cache-Control", "no-store");
             },
             {.summary = "Status of a submission by tracking code", .tag = tag, .path_params = {code},
       .public_route = true});

  router.Get("/api/v1/submissions/{trackingCode}/receipt.pdf",
             [&in](Request& req) -> core::Result<Response> {
               std::string key = req.QueryParam("key").value_or("");
               AW_ASSIGN_OR_RETURN(std::string pdf, in.ReceiptPdf(req.PathParam("trackingCode"), key));
               return Response::Bytes(std::move(pdf), "application/pdf")
                   .WithHeader("Cache-Control", "private, no-store")
                   .WithHeader("Content-Disposition", "inline; filename=\"eingangsbestaetigung.pdf\"");
             },
             {.summary = "Receipt (PDF) of a submission",
              .description = "Needs the key from the submission's answer; a wrong key is 404.",
              .tag = tag, .path_params = {code},
              .query_params = {{.name = "key", .description = "receipt key", .required = true}},
              .success_content_type = "application/pdf",
       .public_route = true});

  router.Post("/api/v1/services/{service}/drafts",
              [&in](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                AW_ASSIGN_OR_RETURN(Json d, in.CreateDraft(req.PathParam("service"), body));
                return Response::Json(d, 201);
              },
              {.summary = "Save a draft; the answer has the resume token", .tag = tag, .path_params = {service},
               .success_status = 201,
       .public_route = true});
  http::ParamDoc token{.name = "token", .description = "resume token of a draft"};
  router.Get("/api/v1/drafts/{token}",
             [&in](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json d, in.GetDraft(req.PathParam("token")));
               return Response::Json(d).WithHeader("Cache-Control", "no-store");
             },
             {.summary = "Resume a draft", .tag = tag, .path_params = {token},
       .public_route = true});
  router.Put("/api/v1/drafts/{token}",
             [&in](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
               AW_ASSIGN_OR_RETURN(Json d, in.UpdateDraft(req.PathParam("token"), body));
               return Response::Json(d);
             },
             {.summary = "Save a draft again", .tag = tag, .path_params = {token},
       .public_route = true});
}

}  // namespace amtsweg::api
