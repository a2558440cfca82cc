#include "http/problem.h"

#include <string>

namespace amtsweg::http {
namespace {

using core::ErrorCode;

// THE table. Change a status here and nowhere else. kInvalidArgument with
// field details is 422 (see StatusForError); kFailedPrecondition is 409 and not
// 412 because 412 belongs to conditional request headers (If-Match), which a
// handler answers explicitly; kCancelled (the system shuts down or the caller
// gave up) is 503 so clients retry.
struct Mapping {
  ErrorCode code;
  int status;
};
constexpr Mapping kErrorStatus[] = {
    {ErrorCode::kInvalidArgument, 400},    {ErrorCode::kNotFound, 404},
    {ErrorCode::kAlreadyExists, 409},      {ErrorCode::kConflict, 409},
    {ErrorCode::kFailedPrecondition, 409}, {ErrorCode::kPermissionDenied, 403},
    {ErrorCode::kUnauthenticated, 401},    {ErrorCode::kResourceExhausted, 429},
    {ErrorCode::kUnavailable, 503},        {ErrorCode::kDeadlineExceeded, 504},
    {ErrorCode::kCancelled, 503},          {ErrorCode::kUnimplemented, 501},
    {ErrorCode::kInternal, 500},
};

Response MakeProblem(int status, std::string_view code, std::string_view detail, std::string_view instance,
                     const std::vector<core::FieldError>* details) {
  core::Json body = core::Json::object();
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(status);
  body["status"] = status;
  body["detail"] = detail;
  body["instance"] = instance;
  body["code"] = code;
  if (details != nullptr && !details->empty()) {
    core::Json errors = core::Json::array();
    for (const auto& d : *details) errors.push_back({{"pointer", d.pointer}, {"detail", d.message}});
    body["errors"] = std::move(errors);
  }
  return Response::Bytes(core::DumpJson(body), std::string(kProblemContentType), status);
}

}  // namespace

int StatusForError(const core::Error& error) {
  if (error.code() == ErrorCode::kInvalidArgument && !error.details().empty()) return 422;
  for (const auto& m : kErrorStatus) {
    if (m.code == error.code()) return m.status;
  }
  return 500;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

Response ProblemResponse(const core::Error& error, std::string_view instance, std::string_view request_id) {
  int status = StatusForError(error);
  if (error.code() == ErrorCode::kInternal) {
    std::string detail = "internal error";
    if (!request_id.empty()) {
      detail += "; the server log has the details under request id ";
      detail += request_id;
    }
    return MakeProblem(status, core::ErrorCodeName(error.code()), detail, instance, nullptr);
  }
  Response r = MakeProblem(status, core::ErrorCodeName(error.code()), error.message(), instance, &error.details());
  // RFC 9110 §15.5.2: a 401 names how to authenticate. Bearer, not Basic, so
  // browsers show no password dialog; the web app signs in with a session.
  if (status == 401) r.headers.Set("WWW-Authenticate", "Bearer realm=\"amtsweg\"");
  return r;
}

Response ProblemResponse(int status, std::string_view code, std::string_view detail, std::string_view instance) {
  return MakeProblem(status, code, detail, instance, nullptr);
}

}  // namespace amtsweg::http
