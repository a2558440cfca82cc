// RFC 9457 problem details: the only place where errors become HTTP.
//
// One table (problem.cc) maps core::ErrorCode to a status. The body is
//   {"type":"about:blank","title":<reason phrase>,"status":N,"detail":<message>,
//    "instance":<request path>,"code":<ErrorCodeName or server code>,
//    "errors":[{"pointer":"/field","detail":"..."}]}   (only with field details)
// with Content-Type application/problem+json. `type` stays "about:blank"
// (no problem-type URIs are published yet), so `title` is the status phrase;
// the extension member `code` is the stable machine-readable discriminator.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "core/result.h"
#include "http/response.h"

namespace amtsweg::http {

// The status for `error`: kInvalidArgument is 422 when it carries field
// details and 400 without; the rest is the table in problem.cc.
int StatusForError(const core::Error& error);

// The standard reason phrase ("Not Found"); "Unknown" for unlisted codes.
std::string_view ReasonPhrase(int status);

// The problem response for a handler's `error`. `instance` is the request path.
// kInternal errors do not reveal their message (it may hold SQL or paths):
// the detail refers to the request id, and the caller logs the real message.
Response ProblemResponse(const core::Error& error, std::string_view instance,
                         std::string_view request_id = {});

// A problem the server itself raises (404 no route, 405, 408, 413, 431, 400,
// 503): `code` is a stable snake_case name such as "method_not_allowed".
Response ProblemResponse(int status, std::string_view code, std::string_view detail,
                         std::string_view instance);

inline constexpr std::string_view kProblemContentType = "application/problem+json";

}  // namespace amtsweg::http
