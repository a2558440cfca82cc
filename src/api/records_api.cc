#include "api/records_api.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>

#include "api/auth_api.h"
#include "api/json_body.h"
#include "api/multipart.h"
#include "api/roles.h"
#include "auth/secrets.h"
#include "records/bescheid.h"
#include "records/export.h"
#include "records/retention.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Response;

std::string ContentDisposition(std::string_view disposition, std::string_view filename) {
  std::string ascii, encoded;
  for (unsigned char c : filename) {
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' && c != '%';
    ascii += plain ? static_cast<char>(c) : '_';
    // RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
    bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    encoded += attr ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  if (ascii.empty()) ascii = "download";
  return fmt::format("{}; filename=\"{}\"; filename*=UTF-8''{}", disposition, ascii, encoded);
}

namespace {

std::string ActorOf(const Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  return p != nullptr ? p->Actor() : "system";
}

// The parts of an upload: "file" (with a file name), optional "title" and "kind".
core::Result<records::NewDocument> ReadUpload(const Request& req) {
  std::string_view ct = req.Header("Content-Type").value_or("");
  auto boundary = MultipartBoundary(ct);
  if (!boundary) return core::InvalidArgument("Content-Type must be multipart/form-data with a part \"file\"");
  AW_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.body, *boundary));
  records::NewDocument doc;
  bool have_file = false;
  for (auto& p : parts) {
    if (p.name == "file" && p.filename) {
      if (have_file) return core::InvalidArgument("invalid upload", {{"/file", "only one file per request"}});
      doc.filename = std::move(*p.filename);
      doc.bytes = std::move(p.body);
      have_file = true;
    } else if (p.name == "title" && !p.filename) {
      doc.title = std::move(p.body);
    } else if (p.name == "kind" && !p.filename) {
      doc.kind = std::move(p.body);
    } else {
      return core::InvalidArgument("invalid upload",
                                   {{"/" + p.name, "unknown part (expected \"file\", \"title\", \"kind\")"}});
    }
  }
  if (!have_file) return core::InvalidArgument("invalid upload", {{"/file", "the part \"file\" with a file is missing"}});
  if (doc.kind == "bescheid" || doc.kind == "attachment") {
    return core::InvalidArgument("invalid upload", {{"/kind", "upload or other (Bescheide are generated)"}});
  }
  doc.case_id = std::string(req.PathParam("caseId"));
  doc.actor = ActorOf(req);
  return doc;
}

// A rendered preview: inline, never cached or sniffed.
Response PreviewPdf(records::BescheidPreview p) {
  return Response::Bytes(std::move(p.pdf), "application/pdf")
      .WithHeader("Content-Disposition", ContentDisposition("inline", "vorschau-" + p.filename))
      .WithHeader("Cache-Control", "private, no-store")
      .WithHeader("X-Content-Type-Options", "nosniff");
}

// Headers of a response the case view shows in a frame of its own page.
Response Frameable(Response r) {
  return std::move(r)
      .WithHeader("X-Frame-Options", "SAMEORIGIN")
      .WithHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
}

// The body of the preview routes: {template, data}.
struct PreviewRequest {
  std::string vorlage;
  Json data;
};
core::Result<PreviewRequest> ParsePreviewRequest(Request& req) {
  AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
  if (!body.is_object()) return core::InvalidArgument("invalid body", {{"/", "a JSON object {template, data}"}});
  Json name = body.value("template", Json(nullptr));
  if (!name.is_string() || name.get<std::string>().empty()) {
    return core::InvalidArgument("invalid body", {{"/template", "the name of a Bescheid template"}});
  }
  return PreviewRequest{name.get<std::string>(), body.value("data", Json(nullptr))};
}

core::Result<records::BescheidPreview> RenderPreview(records::Records& rec, Request& req) {
  AW_ASSIGN_OR_RETURN(PreviewRequest p, ParsePreviewRequest(req));
  return records::PreviewBescheid(rec, req.PathParam("tenant"), req.PathParam("caseId"), p.vorlage, p.data);
}

Json UploadContent() {
  return Json{{"multipart/form-data",
               {{"schema",
                 {{"type", "object"},
                  {"required", Json::array({"file"})},
                  {"properties",
                   {{"file", {{"type", "string"}, {"format", "binary"}}},
                    {"title", {{"type", "string"}, {"maxLength", 300}}},
                    {"kind", {{"type", "string"}, {"enum", Json::array({"upload", "other"})}}}}}}}}}};
}

}  // namespace

void RegisterRecordsRoutes(http::Router& router, records::Records& rec) {
  const std::string tag = "records";
  http::ParamDoc tenant{.name = "tenant", .description = "tenant id"};
  http::ParamDoc case_id{.name = "caseId", .description = "case id"};
  http::ParamDoc document{.name = "documentId", .description = "document id ('intake-<n>' for the citizen's files)"};
  http::ParamDoc version{.name = "version", .description = "version number, 1 ..."};
  http::ParamDoc service{.name = "service", .description = "service id"};
  const std::string base = "/api/v1/tenants/{tenant}/cases/{caseId}/documents";

  router.Get(
      base,
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(auto docs, rec.ListDocuments(req.PathParam("tenant"), req.PathParam("caseId")));
        Json items = Json::array();
        for (const auto& d : docs) items.push_back(records::ToJson(d));
        return Response::Json(Json{{"items", items}}).WithHeader("Cache-Control", "private, no-store");
      },
      {.summary = "Documents of a case with their versions",
       .description = "The citizen's attachments first (documentId 'intake-<n>'), then uploads and Bescheide.",
       .tag = tag, .path_params = {tenant, case_id}, .roles = roles::Assigners()});

  auto upload = [&rec](Request& req, http::Responder respond) {
    auto doc = ReadUpload(req);
    if (!doc.ok()) return respond(std::move(doc).error());
    doc->document_id = std::string(req.PathParam("documentId"));  // "" for a new document
    rec.AddDocument(std::string(req.PathParam("tenant")), std::move(*doc),
                    [respond](core::Result<records::DocumentVersion> v) {
                      if (!v.ok()) return respond(std::move(v).error());
                      respond(Response::Json(records::ToJson(*v), 201));
                    });
  };
  router.PostAsync(base, upload,
                   {.summary = "Upload a document to a case",
                    .description = "multipart/form-data: \"file\" (type detected from the bytes: PDF, PNG, JPEG, "
                                   "TIFF, text, XML; at most 20 MiB), optional \"title\" and \"kind\" (upload, "
                                   "other). Audited.",
                    .tag = tag, .path_params = {tenant, case_id}, .success_status = 201,
                    .request_content = UploadContent(), .roles = roles::CaseWorkers()},
                   {.max_body_bytes = kMaxDocumentUploadBytes});
  router.PostAsync(base + "/{documentId}/versions", upload,
                   {.summary = "Upload a new version of a document",
                    .tag = tag, .path_params = {tenant, case_id, document}, .success_status = 201,
                    .request_content = UploadContent(), .roles = roles::CaseWorkers()},
                   {.max_body_bytes = kMaxDocumentUploadBytes});

  router.Get(
      base + "/{documentId}/versions/{version}/content",
      [&rec](Request& req) -> core::Result<Response> {
        std::string vtext(req.PathParam("version"));
        int64_t v = 0;
        bool ok = !vtext.empty() && vtext.size() < 10;
        for (char c : vtext) ok = ok && c >= '0' && c <= '9';
        if (ok) v = std::stoll(vtext);
        if (!ok || v < 1) return core::InvalidArgument("invalid version", {{"/version", "a number from 1"}});
        AW_ASSIGN_OR_RETURN(auto pair, rec.ReadVersion(req.PathParam("tenant"), req.PathParam("caseId"),
                                                       req.PathParam("documentId"), v));
        // ?disposition=inline: shown in the case view's preview (an <iframe>/<img>) instead of saved.
        std::string disposition(req.QueryParam("disposition").value_or("attachment"));
        if (disposition != "attachment" && disposition != "inline") {
          return core::InvalidArgument("invalid query", {{"/disposition", "attachment or inline"}});
        }
        Response r = Response::Bytes(std::move(pair.second), pair.first.content_type)
                         .WithHeader("Content-Disposition", ContentDisposition(disposition, pair.first.filename))
                         .WithHeader("Cache-Control", "private, no-store")
                         .WithHeader("X-Content-Type-Options", "nosniff")
                         .WithHeader("Digest", "sha-256=" + pair.first.sha256);
        if (disposition == "inline") return Frameable(std::move(r));
        return r;
      },
      {.summary = "Download one version of a document",
       .description = "The bytes as stored, with the detected Content-Type and the file name (RFC 6266/5987).",
       .tag = tag, .path_params = {tenant, case_id, document, version},
       .query_params = {{.name = "disposition", .description = "attachment (default) or inline (for a preview)"}},
       .success_content_type = "application/octet-stream", .roles = roles::Assigners()});

  // Bescheid preview: what the process would send, rendered and not stored.
  router.Get(
      "/api/v1/tenants/{tenant}/cases/{caseId}/bescheid-templates",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json list, records::CaseTemplates(rec, req.PathParam("tenant"), req.PathParam("caseId")));
        return Response::Json(Json{{"items", list}});
      },
      {.summary = "Bescheid templates of the case's service (name, title)", .tag = tag,
       .path_params = {tenant, case_id}, .roles = roles::CaseWorkers()});
  router.Post(
      "/api/v1/tenants/{tenant}/cases/{caseId}/bescheid-preview",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(records::BescheidPreview p, RenderPreview(rec, req));
        return PreviewPdf(std::move(p));
      },
      {.summary = "Preview a Bescheid (PDF) without storing it",
       .description = "JSON {template, data}: renders the template of the case's service with the case's process "
                      "variables and `data` (the deciding task's form values) laid over them, exactly as the "
                      "process would send it — nothing is stored, delivered or audited. 404: unknown case or "
                      "template; 422 /data: a value the template needs is missing.",
       .tag = tag, .path_params = {tenant, case_id},
       .request_schema = Json{{"type", "object"},
                              {"required", Json::array({"template"})},
                              {"properties", {{"template", {{"type", "string"}}}, {"data", {{"type", "object"}}}}}},
       .success_content_type = "application/pdf", .roles = roles::CaseWorkers()});
  router.Post(
      "/api/v1/tenants/{tenant}/cases/{caseId}/bescheid-preview/expected",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        if (!body.is_object()) return core::InvalidArgument("invalid body", {{"/", "a JSON object {taskId, data}"}});
        Json task = body.value("taskId", Json(nullptr));
        if (!task.is_string() || task.get<std::string>().empty()) {
          return core::InvalidArgument("invalid body", {{"/taskId", "the id of the open task being completed"}});
        }
        AW_ASSIGN_OR_RETURN(records::ExpectedBescheid e,
                            records::ExpectBescheid(rec, req.PathParam("tenant"), req.PathParam("caseId"),
                                                    task.get<std::string>(), body.value("data", Json(nullptr))));
        Json out{{"template", e.vorlage.empty() ? Json(nullptr) : Json(e.vorlage)},
                 {"title", e.title},
                 {"elementId", e.element_id},
                 {"elementName", e.element_name},
                 {"undetermined", e.undetermined.empty() ? Json(nullptr) : Json(e.undetermined)},
                 {"waits", e.waits}};
        return Response::Json(out).WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Which Bescheid completing a task would send",
       .description = "JSON {taskId, data}: follows the case's process model from the open task, with `data` (the "
                      "task's form values) laid over the process variables and the gateways' FEEL conditions "
                      "evaluated as the engine would, to the first task of type amtsweg:bescheid. Answers {template "
                      "(its `vorlage` header, null when none is reached), title, elementId, elementName, "
                      "undetermined (why the way is not clear yet, e.g. a field the gateway needs is empty), waits "
                      "(where the process waits next)}. Nothing is written. 404: unknown case, or the task is not "
                      "an open task of this case.",
       .tag = tag, .path_params = {tenant, case_id},
       .request_schema = Json{{"type", "object"},
                              {"required", Json::array({"taskId"})},
                              {"properties", {{"taskId", {{"type", "string"}}}, {"data", {{"type", "object"}}}}}},
       .roles = roles::CaseWorkers()});
  // The same as a link for a frame: POST renders it and keeps what it
  // rendered for 10 minutes, GET …/{token} renders it again, inline and
  // frameable by the case view (on whichever node answers).
  router.PostAsync(
      "/api/v1/tenants/{tenant}/cases/{caseId}/bescheid-preview/links",
      [&rec](Request& req, http::Responder respond) {
        auto p = ParsePreviewRequest(req);
        if (!p.ok()) return respond(std::move(p).error());
        std::string tenant(req.PathParam("tenant")), case_id(req.PathParam("caseId"));
        records::CreatePreviewLink(
            rec, tenant, case_id, std::move(p->vorlage), std::move(p->data),
            [respond, tenant, case_id](core::Result<records::PreviewLink> link) {
              if (!link.ok()) return respond(std::move(link).error());
              Json out{{"title", link->title},
                       {"filename", link->filename},
                       {"url", fmt::format("/api/v1/tenants/{}/cases/{}/bescheid-preview/{}", tenant, case_id,
                                           link->token)}};
              respond(Response::Json(out, 201).WithHeader("Cache-Control", "no-store"));
            });
      },
      {.summary = "Preview a Bescheid as a link (for a frame)",
       .description = "Like POST …/bescheid-preview, but answers {url, title, filename}; GET url sends the PDF "
                      "inline for 10 minutes (on any node: the link keeps the template and the values, and the "
                      "PDF is rendered again). Nothing is stored in the case.",
       .tag = tag, .path_params = {tenant, case_id},
       .request_schema = Json{{"type", "object"},
                              {"required", Json::array({"template"})},
                              {"properties", {{"template", {{"type", "string"}}}, {"data", {{"type", "object"}}}}}},
       .success_status = 201, .roles = roles::CaseWorkers()});
  router.Get(
      "/api/v1/tenants/{tenant}/cases/{caseId}/bescheid-preview/{token}",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(records::BescheidPreview p, records::OpenPreviewLink(rec, req.PathParam("tenant"),
                                                                                 req.PathParam("caseId"),
                                                                                 req.PathParam("token")));
        return Frameable(PreviewPdf(std::move(p)));
      },
      {.summary = "A rendered Bescheid preview (PDF, inline)", .tag = tag,
       .path_params = {tenant, case_id, {.name = "token", .description = "from POST …/bescheid-preview/links"}},
       .success_content_type = "application/pdf", .roles = roles::CaseWorkers()});

  router.Get(
      "/api/v1/tenants/{tenant}/cases/{caseId}/export.zip",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(std::string zip, records::ExportCase(rec, req.PathParam("tenant"), req.PathParam("caseId")));
        return Response::Bytes(std::move(zip), "application/zip")
            .WithHeader("Content-Disposition",
                        ContentDisposition("attachment", "akte-" + std::string(req.PathParam("caseId")) + ".zip"))
            .WithHeader("Cache-Control", "private, no-store");
      },
      {.summary = "Export a case as ZIP",
       .description = "zusammenfassung.pdf, case.json (case, form data, process, documents with SHA-256, history) "
                      "and every document version under dokumente/.",
       .tag = tag, .path_params = {tenant, case_id}, .success_content_type = "application/zip",
       .roles = roles::Assigners()});

  router.Get(
      "/api/v1/tenants/{tenant}/services/{service}/bescheid-templates",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json list, records::ListTemplates(rec, req.PathParam("tenant"), req.PathParam("service")));
        return Response::Json(Json{{"items", list}});
      },
      {.summary = "Bescheid templates of a service", .tag = tag, .path_params = {tenant, service},
       .roles = roles::Designers()});
  router.Put(
      "/api/v1/tenants/{tenant}/services/{service}/bescheid-templates/{name}",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_TRY(records::PutTemplate(rec, req.PathParam("tenant"), req.PathParam("service"), req.PathParam("name"),
                                    body, ActorOf(req)));
        return Response::Json(Json{{"name", std::string(req.PathParam("name"))}, {"template", body}});
      },
      {.summary = "Create or replace a Bescheid template",
       .description = "JSON: title, subject, addressee[], body[], optional salutation, legalBasis, "
                      "rechtsbehelfsbelehrung, closing, signature; {{path}} placeholders (src/records/README.md).",
       .tag = tag,
       .path_params = {tenant, service, {.name = "name", .description = "template name (BPMN task header vorlage)"}},
       .roles = roles::Designers()});

  router.Post(
      "/api/v1/tenants/{tenant}/retention/runs",
      [&rec](Request& req) -> core::Result<Response> {
        std::string dry = req.QueryParam("dryRun").value_or("false");
        if (dry != "true" && dry != "false") {
          return core::InvalidArgument("invalid query", {{"/dryRun", "true or false"}});
        }
        AW_ASSIGN_OR_RETURN(Json reports, records::RunRetention(rec, {.dry_run = dry == "true",
                                                                      .tenant = std::string(req.PathParam("tenant")),
                                                                      .actor = ActorOf(req)}));
        return Response::Json(reports.at(0));
      },
      {.summary = "Run the retention job for the tenant now",
       .description = "Removes the personal data of cases whose service's retentionPeriod has passed since the "
                      "case ended; dryRun=true only reports.",
       .tag = tag, .path_params = {tenant},
       .query_params = {{.name = "dryRun", .description = "true: report only"}},
       .roles = roles::Administrators()});
  router.Get(
      "/api/v1/tenants/{tenant}/retention/reports",
      [&rec](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json list, records::ListRetentionReports(rec, req.PathParam("tenant")));
        return Response::Json(Json{{"items", list}});
      },
      {.summary = "Reports of the retention job, newest first", .tag = tag, .path_params = {tenant},
       .roles = roles::Administrators()});
}

}  // namespace amtsweg::api
