#include "api/cases_api.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "api/auth_api.h"
#include "api/json_body.h"
#include "api/roles.h"
#include "api/schema.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Responder;
using http::Response;

namespace {

constexpr std::string_view kPrefix = "/api/v1/tenants/{tenant}";
std::string Path(std::string_view rest) { return std::string(kPrefix) + std::string(rest); }

core::Error BadParam(const std::string& name, const std::string& what) {
  return core::InvalidArgument(fmt::format("{}: {}", name, what), {{"/" + name, what}});
}

std::string Q(const Request& req, std::string_view name) { return std::string(req.QueryParam(name).value_or("")); }

core::Result<int> Limit(const Request& req, int def, int max) {
  auto v = req.QueryParam("limit");
  if (!v) return def;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > max) {
    return BadParam("limit", fmt::format("must be an integer between 1 and {}", max));
  }
  return n;
}

core::Result<std::optional<core::Timestamp>> Time(const Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::optional<core::Timestamp>();
  std::string text(*v);
  if (text.size() == 10) text += "T00:00:00Z";  // a date: midnight UTC
  auto t = core::ParseIso8601(text);
  if (!t.ok()) return BadParam(std::string(name), "must be an ISO 8601 date or date-time");
  return std::optional<core::Timestamp>(*t);
}

// Who calls, with the departments of a signed-in user.
struct Caller {
  std::string tenant;
  cases::Actor actor;
  std::vector<std::string> departments;
  bool privileged = false;  // administrator, manager or API token: any task of the tenant
};

core::Result<Caller> CallerOf(const Request& req, auth::Service& accounts) {
  const auth::Principal* p = PrincipalOf(req);
  if (p == nullptr) return core::Unauthenticated("sign in first");
  Caller c;
  c.tenant = p->tenant;
  c.actor = {p->name, p->Actor()};
  c.privileged = p->kind == auth::Principal::Kind::kApiToken || p->HasRole(auth::kAdministrator) ||
                 p->HasRole(auth::kManager);
  if (p->kind == auth::Principal::Kind::kSession) {
    AW_ASSIGN_OR_RETURN(auth::User u, accounts.GetUser(p->tenant, p->id));
    c.departments = std::move(u.departments);
  }
  return c;
}

// A case worker works on tasks of their departments or assigned to them.
core::Status MayWork(const Caller& c, const engine::UserTask& t) {
  if (c.privileged) return core::OkStatus();
  if (t.assignee && *t.assignee == c.actor.login) return core::OkStatus();
  for (const auto& g : t.candidate_groups) {
    if (std::find(c.departments.begin(), c.departments.end(), g) != c.departments.end()) return core::OkStatus();
  }
  return core::PermissionDenied("this task belongs to a department you are not a member of");
}

Json TaskItem(const cases::InboxItem& i) {
  Json j = cases::ToJson(i.task);
  j["case"] = i.case_summary ? cases::ToJson(*i.case_summary) : Json(nullptr);
  return j;
}

Json Page(Json items, const std::string& next) {
  return {{"items", std::move(items)}, {"nextCursor", next.empty() ? Json(nullptr) : Json(next)}};
}

// --- OpenAPI schemas ---
using schema::ArrayOf;
using schema::Nullable;
using schema::Obj;
using schema::S;
Json CaseSchema() {
  return Obj({{"id", S("string")},
              {"caseNumber", S("string", "per tenant and year, e.g. 2026-000042")},
              {"trackingCode", S("string")},
              {"serviceId", S("string")},
              {"departmentId", S("string")},
              {"instanceId", S("string")},
              {"status", S("string", "received | in_progress | waiting | closed")},
              {"applicant", Obj({{"name", S("string")}, {"email", S("string")}})},
              {"assignee", Nullable("string")},
              {"submittedAt", S("string")},
              {"updatedAt", S("string")},
              {"dueAt", Nullable("string")},
              {"closedAt", Nullable("string")}});
}
Json TaskSchema() {
  return Obj({{"id", S("string")},
              {"name", S("string")},
              {"elementId", S("string")},
              {"instanceId", S("string")},
              {"assignee", Nullable("string")},
              {"candidateGroups", ArrayOf(S("string"))},
              {"formKey", S("string")},
              {"createdAt", S("string")},
              {"dueAt", Nullable("string")},
              {"case", {{"oneOf", Json::array({CaseSchema(), Json{{"type", "null"}}})}}}});
}
Json PageSchema(Json item) { return Obj({{"items", ArrayOf(std::move(item))}, {"nextCursor", Nullable("string")}}); }

http::ParamDoc TenantParam() { return {.name = "tenant", .description = "tenant id"}; }
http::ParamDoc CaseParam() { return {.name = "caseId", .description = "case id"}; }
http::ParamDoc TaskParam() { return {.name = "taskId", .description = "user task id"}; }
std::vector<http::ParamDoc> PageParams() {
  return {{.name = "cursor", .description = "nextCursor of the previous page"},
          {.name = "limit", .description = "page size, 1-200 (default 50)", .type = "integer"}};
}

// Runs `fn` and answers its error if it fails before handing off to the writer.
template <class F>
void Guard(Responder& respond, F&& fn) {
  core::Status s = fn();
  if (!s.ok()) respond(std::move(s).error());
}

}  // namespace

void RegisterCasesRoutes(http::Router& router, cases::Cases& cs, auth::Service& accounts) {
  const std::string tag = "workspace";

  // --- Inbox ---
  router.Get(
      Path("/inbox"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        cases::InboxFilter f;
        f.scope = req.QueryParam("scope").value_or("all");
        f.login = c.actor.login;
        f.departments = c.departments;
        f.department = Q(req, "department");
        if (c.privileged && !f.department.empty() &&
            std::find(f.departments.begin(), f.departments.end(), f.department) == f.departments.end()) {
          f.departments.push_back(f.department);  // managers and tokens may look into any department
        }
        f.service = Q(req, "service");
        f.cursor = Q(req, "cursor");
        AW_ASSIGN_OR_RETURN(f.limit, Limit(req, 50, 200));
        AW_ASSIGN_OR_RETURN(auto page, cs.Inbox(c.tenant, f));
        Json items = Json::array();
        for (const auto& i : page.items) items.push_back(TaskItem(i));
        return Response::Json(Page(std::move(items), page.next_cursor));
      },
      [&] {
        http::RouteDoc d{
            .summary = "Inbox: open user tasks of the caller and of their departments",
            .description = "Oldest first (creation time), with the case summary of each task. scope: all (assigned to "
                           "me + my departments' tasks), mine, departments, unassigned (my departments, nobody holds "
                           "it). department narrows to one of my departments (managers, administrators and API "
                           "tokens may name any).",
            .tag = tag,
            .operation_id = "getInbox",
            .path_params = {TenantParam()},
            .query_params = {{.name = "scope", .description = "all | mine | departments | unassigned"},
                             {.name = "department", .description = "one department"},
                             {.name = "service", .description = "tasks of cases of this service"}},
            .response_schema = PageSchema(TaskSchema()),
            .roles = roles::Assigners()};
        for (auto& p : PageParams()) d.query_params.push_back(p);
        return d;
      }());

  auto task_write = [&](const std::string& suffix, const std::string& summary, const std::string& description,
                        const std::string& op, std::optional<Json> schema,
                        std::function<core::Status(Request&, const Caller&, const engine::UserTask&, Responder)> act,
                        std::vector<std::string> route_roles) {
    router.PostAsync(
        Path("/inbox/tasks/{taskId}/" + suffix),
        [&cs, &accounts, act](Request& req, Responder respond) {
          Guard(respond, [&]() -> core::Status {
            AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
            AW_ASSIGN_OR_RETURN(engine::UserTask t, cs.Task(c.tenant, req.PathParam("taskId")));
            AW_TRY(MayWork(c, t));
            return act(req, c, t, respond);
          });
        },
        {.summary = summary,
         .description = description,
         .tag = tag,
         .operation_id = op,
         .path_params = {TenantParam(), TaskParam()},
         .request_schema = std::move(schema),
         .response_schema = op == "completeInboxTask"
                                ? std::optional<Json>(Obj({{"caseStatus", Nullable("string")},
                                                           {"instanceState", S("string")}}))
                                : std::nullopt,
         .success_status = op == "completeInboxTask" ? 200 : 204,
         .roles = std::move(route_roles)});
  };
  auto no_content = [](Responder respond) {
    return [respond](core::Status s) {
      if (!s.ok()) return respond(std::move(s).error());
      respond(Response::NoContent());
    };
  };

  task_write(
      "claim", "Claim a task", "Assigns the task to the caller; 409 when someone else holds it.", "claimInboxTask",
      std::nullopt,
      [&cs, no_content](Request&, const Caller& c, const engine::UserTask& t, Responder respond) {
        cs.AssignTask(c.tenant, t.task_id, c.actor.login, false, c.actor, no_content(respond));
        return core::OkStatus();
      },
      roles::Assigners());
  task_write(
      "unclaim", "Give a task back", "Removes the assignee (the caller's own task, or any for managers).",
      "unclaimInboxTask", std::nullopt,
      [&cs, no_content](Request&, const Caller& c, const engine::UserTask& t, Responder respond) -> core::Status {
        if (t.assignee && *t.assignee != c.actor.login && !c.privileged) {
          return core::PermissionDenied("only the assignee or a manager can give this task back");
        }
        cs.AssignTask(c.tenant, t.task_id, std::nullopt, true, c.actor, no_content(respond));
        return core::OkStatus();
      },
      roles::Assigners());
  task_write(
      "assign", "Assign a task to a user of the tenant",
      "assignee: the login of an active user of the tenant (422 otherwise). takeOver: also when someone else holds "
      "the task (managers and administrators only).",
      "assignInboxTask", Obj({{"assignee", S("string")}, {"takeOver", S("boolean")}}, {"assignee"}),
      [&cs, &accounts, no_content](Request& req, const Caller& c, const engine::UserTask& t,
                                   Responder respond) -> core::Status {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        if (!body.is_object()) return BadParam("body", "must be a JSON object");
        auto a = body.find("assignee");
        if (a == body.end() || !a->is_string() || a->get<std::string>().empty()) {
          return core::InvalidArgument("assignee is required", {{"/assignee", "is required (a login)"}});
        }
        bool take_over = false;
        if (auto it = body.find("takeOver"); it != body.end()) {
          if (!it->is_boolean()) return core::InvalidArgument("takeOver", {{"/takeOver", "must be true or false"}});
          take_over = it->get<bool>();
        }
        if (take_over && !c.privileged) return core::PermissionDenied("only managers and administrators take over tasks");
        std::string login = a->get<std::string>();
        AW_ASSIGN_OR_RETURN(auto users, accounts.ListUsers(c.tenant));
        bool found = false;
        for (const auto& u : users) found = found || (u.login == login && u.active);
        if (!found) {
          return core::InvalidArgument("assignee: no active user " + login,
                                       {{"/assignee", "is not an active user of this tenant"}});
        }
        cs.AssignTask(c.tenant, t.task_id, login, take_over, c.actor, no_content(respond));
        return core::OkStatus();
      },
      roles::Assigners());
  task_write(
      "complete", "Complete a task with form data",
      "data is validated against the task's form (formKey → the tenant's catalogue form, latest version) exactly "
      "like a submission: 422 with one entry per field, German or English by Accept-Language; nothing changes then. "
      "Completes in one transaction with the case update and the audit entry.",
      "completeInboxTask", Obj({{"data", {{"type", "object"}, {"additionalProperties", true}}}}),
      [&cs](Request& req, const Caller& c, const engine::UserTask& t, Responder respond) -> core::Status {
        Json data = Json::object();
        if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          if (!body.is_object()) return BadParam("body", "must be a JSON object");
          if (auto it = body.find("data"); it != body.end() && !it->is_null()) {
            if (!it->is_object()) return core::InvalidArgument("data", {{"/data", "must be a JSON object"}});
            data = *it;
          }
        }
        auto lang = forms::LanguageFromAcceptLanguage(req.Header("Accept-Language").value_or(""));
        cs.CompleteTask(c.tenant, t.task_id, std::move(data), lang, c.actor, [respond](core::Result<Json> r) {
          if (!r.ok()) return respond(std::move(r).error());
          respond(Response::Json(*r));
        });
        return core::OkStatus();
      },
      roles::CaseWorkers());

  // --- Cases ---
  router.Get(
      Path("/cases"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        cases::CaseFilter f;
        f.status = Q(req, "status");
        f.service = Q(req, "service");
        f.department = Q(req, "department");
        f.assignee = Q(req, "assignee");
        AW_ASSIGN_OR_RETURN(f.submitted_from, Time(req, "submittedFrom"));
        AW_ASSIGN_OR_RETURN(f.submitted_to, Time(req, "submittedTo"));
        AW_ASSIGN_OR_RETURN(f.due_from, Time(req, "dueFrom"));
        AW_ASSIGN_OR_RETURN(f.due_to, Time(req, "dueTo"));
        f.q = Q(req, "q");
        if (f.q.size() > 500) return BadParam("q", "is longer than 500 bytes");
        f.sort = req.QueryParam("sort").value_or("submitted");
        std::string order = req.QueryParam("order").value_or("desc");
        if (order != "asc" && order != "desc") return BadParam("order", "must be asc or desc");
        f.descending = order == "desc";
        f.cursor = Q(req, "cursor");
        AW_ASSIGN_OR_RETURN(f.limit, Limit(req, 50, 200));
        AW_ASSIGN_OR_RETURN(auto page, cs.List(c.tenant, f));
        Json items = Json::array();
        for (const auto& x : page.items) items.push_back(cases::ToJson(x));
        return Response::Json(Page(std::move(items), page.next_cursor));
      },
      [&] {
        http::RouteDoc d{
            .summary = "List cases",
            .description = "Every given filter must match; ranges are [from, to) in ISO 8601 (a date means midnight "
                           "UTC). q: full-text words, all required. Keyset pagination: stable while new cases "
                           "arrive. With q and the default order (submitted, desc) the list walks the matches "
                           "newest first with the other filters applied in the walk (a page costs the walk to "
                           "it, not every match): SQLite orders by the newest matching text of a case (a note or "
                           "document that matches brings the case up), PostgreSQL by the case's creation.",
            .tag = tag,
            .operation_id = "listCases",
            .path_params = {TenantParam()},
            .query_params = {{.name = "status", .description = "received | in_progress | waiting | closed"},
                             {.name = "service", .description = "service id"},
                             {.name = "department", .description = "department id"},
                             {.name = "assignee", .description = "login"},
                             {.name = "submittedFrom"},
                             {.name = "submittedTo"},
                             {.name = "dueFrom"},
                             {.name = "dueTo"},
                             {.name = "q", .description = "full-text search words"},
                             {.name = "sort", .description = "submitted (default) | due | number"},
                             {.name = "order", .description = "desc (default) | asc"}},
            .response_schema = PageSchema(CaseSchema()),
            .roles = roles::Assigners()};
        for (auto& p : PageParams()) d.query_params.push_back(p);
        return d;
      }());

  router.Get(
      Path("/cases/{caseId}"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        AW_ASSIGN_OR_RETURN(Json d, cs.Detail(c.tenant, req.PathParam("caseId")));
        return Response::Json(d);
      },
      {.summary = "A case (E-Akte)",
       .description = "The case with its service, department, process instance state, open tasks and hand-overs.",
       .tag = tag,
       .operation_id = "getCase",
       .path_params = {TenantParam(), CaseParam()},
       .response_schema = CaseSchema(),
       .roles = roles::Assigners()});

  // The citizen's view of a case: public like the submission status (the
  // tracking code is the key), stages and dates only.
  router.Get(
      Path("/submissions/{trackingCode}/progress"),
      [&cs](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Json p, cs.CitizenStatus(req.PathParam("tenant"), req.PathParam("trackingCode")));
        return Response::Json(p).WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Progress of a submission as its applicant sees it",
       .description = "By tracking code within the tenant (404 for another tenant's code). stage: received | "
                      "in_progress | waiting (the office waits for the applicant) | decided (a Bescheid was sent) | "
                      "completed | closed; stages lists each with its date and state (done | current | upcoming); "
                      "postbox: the office has sent a message. No names, notes or task names.",
       .tag = tag,
       .operation_id = "getSubmissionProgress",
       .path_params = {TenantParam(), {.name = "trackingCode", .description = "tracking code, e.g. 7K2M-9QXH-4T0B"}},
       .response_schema = Obj({{"trackingCode", S("string")},
                               {"stage", S("string")},
                               {"stages", ArrayOf(Obj({{"stage", S("string")},
                                                       {"at", {{"type", {"string", "null"}}}},
                                                       {"state", S("string")}}))},
                               {"postbox", S("boolean")},
                               {"decidedAt", S("string")},
                               {"submittedAt", S("string")},
                               {"expectedBy", S("string")},
                               {"expectedProcessingDays", S("integer")},
                               {"service", {{"type", "object"}}}}),
       .public_route = true});

  router.Get(
      Path("/cases/{caseId}/timeline"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        AW_ASSIGN_OR_RETURN(Json t, cs.Timeline(c.tenant, req.PathParam("caseId")));
        return Response::Json(Json{{"items", std::move(t)}});
      },
      {.summary = "Timeline of a case",
       .description = "Process history (without variable values), the case's audit entries and its notes, oldest "
                      "first. kind: process | audit | note.",
       .tag = tag,
       .operation_id = "getCaseTimeline",
       .path_params = {TenantParam(), CaseParam()},
       .response_schema = Obj({{"items", ArrayOf(Obj({{"at", S("string")},
                                                      {"kind", S("string")},
                                                      {"type", S("string")},
                                                      {"element", S("string")},
                                                      {"actor", S("string")},
                                                      {"details", {{"type", "object"}}}}))}}),
       .roles = roles::Assigners()});

  router.Get(
      Path("/cases/{caseId}/notes"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        AW_ASSIGN_OR_RETURN(auto notes, cs.Notes(c.tenant, req.PathParam("caseId")));
        Json items = Json::array();
        for (const auto& n : notes) items.push_back(cases::ToJson(n));
        return Response::Json(Json{{"items", std::move(items)}});
      },
      {.summary = "Notes of a case",
       .tag = tag,
       .operation_id = "listCaseNotes",
       .path_params = {TenantParam(), CaseParam()},
       .response_schema = Obj({{"items", ArrayOf(Obj({{"id", S("string")},
                                                      {"author", S("string")},
                                                      {"text", S("string")},
                                                      {"createdAt", S("string")}}))}}),
       .roles = roles::Assigners()});

  router.PostAsync(
      Path("/cases/{caseId}/notes"),
      [&cs, &accounts](Request& req, Responder respond) {
        Guard(respond, [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          auto it = body.is_object() ? body.find("text") : body.end();
          if (!body.is_object() || it == body.end() || !it->is_string()) {
            return core::InvalidArgument("text is required", {{"/text", "is required (a string)"}});
          }
          cs.AddNote(c.tenant, std::string(req.PathParam("caseId")), c.actor, it->get<std::string>(),
                     [respond](core::Result<cases::Note> n) {
                       if (!n.ok()) return respond(std::move(n).error());
                       respond(Response::Json(cases::ToJson(*n), 201));
                     });
          return core::OkStatus();
        });
      },
      {.summary = "Add a note to a case",
       .tag = tag,
       .operation_id = "addCaseNote",
       .path_params = {TenantParam(), CaseParam()},
       .request_schema = Obj({{"text", S("string", "1-10,000 bytes")}}, {"text"}),
       .response_schema = Obj({{"id", S("string")}, {"author", S("string")}, {"text", S("string")},
                               {"createdAt", S("string")}}),
       .success_status = 201,
       .roles = roles::Assigners()});

  router.PostAsync(
      Path("/cases/{caseId}/handover"),
      [&cs, &accounts](Request& req, Responder respond) {
        Guard(respond, [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          if (!body.is_object()) return BadParam("body", "must be a JSON object");
          std::vector<core::FieldError> errors;
          auto str = [&](const char* k) -> std::string {
            auto it = body.find(k);
            if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
              errors.push_back({std::string("/") + k, "is required (a non-empty string)"});
              return "";
            }
            return it->get<std::string>();
          };
          std::string dept = str("department");
          std::string reason = str("reason");
          if (!errors.empty()) return core::InvalidArgument("hand-over needs department and reason", errors);
          cs.HandOver(c.tenant, std::string(req.PathParam("caseId")), dept, reason, c.actor,
                      [respond](core::Result<Json> r) {
                        if (!r.ok()) return respond(std::move(r).error());
                        respond(Response::Json(*r));
                      });
          return core::OkStatus();
        });
      },
      {.summary = "Hand a case to another department",
       .description = "In one transaction: the case's department, the candidate groups of its open tasks that named "
                      "the old department (their assignee cleared), the process variable responsibleDepartment, a "
                      "hand-over row with the reason and an audit entry. 409 for a closed case.",
       .tag = tag,
       .operation_id = "handOverCase",
       .path_params = {TenantParam(), CaseParam()},
       .request_schema = Obj({{"department", S("string")}, {"reason", S("string")}}, {"department", "reason"}),
       .response_schema = Obj({{"handoverId", S("string")}, {"from", S("string")}, {"to", S("string")},
                               {"tasksMoved", S("integer")}}),
       .roles = roles::Assigners()});

  router.PostAsync(
      Path("/cases/{caseId}/status"),
      [&cs, &accounts](Request& req, Responder respond) {
        Guard(respond, [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          auto it = body.is_object() ? body.find("status") : body.end();
          if (!body.is_object() || it == body.end() || !it->is_string()) {
            return core::InvalidArgument("status is required", {{"/status", "is required: in_progress or waiting"}});
          }
          cs.SetStatus(c.tenant, std::string(req.PathParam("caseId")), it->get<std::string>(), c.actor,
                       [respond](core::Status s) {
                         if (!s.ok()) return respond(std::move(s).error());
                         respond(Response::NoContent());
                       });
          return core::OkStatus();
        });
      },
      {.summary = "Set a case's status by hand",
       .description = "in_progress or waiting (e.g. for documents from the applicant); a case closes when its "
                      "process ends.",
       .tag = tag,
       .operation_id = "setCaseStatus",
       .path_params = {TenantParam(), CaseParam()},
       .request_schema = Obj({{"status", S("string", "in_progress | waiting")}}, {"status"}),
       .success_status = 204,
       .roles = roles::Assigners()});

  router.Get(
      Path("/search"),
      [&cs, &accounts](Request& req) -> core::Result<Response> {
        AW_ASSIGN_OR_RETURN(Caller c, CallerOf(req, accounts));
        AW_ASSIGN_OR_RETURN(int limit, Limit(req, 20, 100));
        AW_ASSIGN_OR_RETURN(auto found, cs.Search(c.tenant, Q(req, "q"), limit, Q(req, "cursor")));
        Json items = Json::array();
        for (const auto& h : found.hits) {
          Json j = cases::ToJson(h.case_summary);
          j["rank"] = h.rank;
          items.push_back(std::move(j));
        }
        return Response::Json(Json{{"items", std::move(items)},
                                   {"ranked", found.all_ranked ? "allMatches" : "newestMatches"},
                                   {"rankWindow", found.window},
                                   {"nextCursor", found.next_cursor.empty() ? Json(nullptr)
                                                                            : Json(found.next_cursor)}});
      },
      {.summary = "Full-text search over cases",
       .description = "Words of the submitted data, case number, tracking code, notes and (when the document and "
                      "message layers add them) documents and messages. SQLite: FTS5, diacritics removed, ß = ss, "
                      "words as prefixes; PostgreSQL: the 'german' text search configuration (stemming). Best "
                      "matches first, ranked among the newest rankWindow matching texts: when more texts match "
                      "(a common word), ranked is 'newestMatches'. Otherwise ranked is 'allMatches'. Paging: "
                      "nextCursor (null on the last page) continues in the ranked order; when ranked is "
                      "'newestMatches' the pages after the ranked cases go on with the older matches, newest "
                      "first (rank 0). Each case comes once; the first page fixes the set (texts indexed later "
                      "are not in later pages). When more than rankWindow texts match, SQLite matches the words "
                      "exactly (not as prefixes) on every page.",
       .tag = tag,
       .operation_id = "searchCases",
       .path_params = {TenantParam()},
       .query_params = {{.name = "q", .description = "search words", .required = true},
                        {.name = "limit", .description = "1-100 (default 20)", .type = "integer"},
                        {.name = "cursor", .description = "nextCursor of the previous page (same q)"}},
       .response_schema = Obj({{"items", ArrayOf(CaseSchema())},
                               {"ranked", S("string", "allMatches | newestMatches (more matched than rankWindow)")},
                               {"rankWindow", S("integer", "how many of the newest matching texts were ranked")},
                               {"nextCursor", Nullable("string")}}),
       .roles = roles::Assigners()});
}

}  // namespace amtsweg::api
