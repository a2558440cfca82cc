#include "core/result.h"

#include <cstdio>
#include <cstdlib>

namespace amtsweg::core {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kDeadlineExceeded: return "deadline_exceeded";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kUnimplemented: return "unimplemented";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

Error& Error::WithContext(std::string_view context) {
  message_ = std::string(context) + ": " + message_;
  return *this;
}

Error& Error::AddDetail(std::string pointer, std::string message) {
  details_.push_back({std::move(pointer), std::move(message)});
  return *this;
}

std::string Error::ToString() const {
  std::string out = ErrorCodeName(code_);
  out += ": ";
  out += message_;
  if (!details_.empty()) {
    out += " [";
    for (size_t i = 0; i < details_.size(); ++i) {
      if (i) out += "; ";
      out += details_[i].pointer + ": " + details_[i].message;
    }
    out += "]";
  }
  return out;
}

Error InvalidArgument(std::string m, std::vector<FieldError> d) {
  return Error(ErrorCode::kInvalidArgument, std::move(m), std::move(d));
}
Error NotFound(std::string m) { return Error(ErrorCode::kNotFound, std::move(m)); }
Error AlreadyExists(std::string m) { return Error(ErrorCode::kAlreadyExists, std::move(m)); }
Error Conflict(std::string m) { return Error(ErrorCode::kConflict, std::move(m)); }
Error FailedPrecondition(std::string m) { return Error(ErrorCode::kFailedPrecondition, std::move(m)); }
Error PermissionDenied(std::string m) { return Error(ErrorCode::kPermissionDenied, std::move(m)); }
Error Unauthenticated(std::string m) { return Error(ErrorCode::kUnauthenticated, std::move(m)); }
Error ResourceExhausted(std::string m) { return Error(ErrorCode::kResourceExhausted, std::move(m)); }
Error Unavailable(std::string m) { return Error(ErrorCode::kUnavailable, std::move(m)); }
Error DeadlineExceeded(std::string m) { return Error(ErrorCode::kDeadlineExceeded, std::move(m)); }
Error Cancelled(std::string m) { return Error(ErrorCode::kCancelled, std::move(m)); }
Error Unimplemented(std::string m) { return Error(ErrorCode::kUnimplemented, std::move(m)); }
Error Internal(std::string m) { return Error(ErrorCode::kInternal, std::move(m)); }

namespace internal {
void AssertFailed(const char* cond, const char* what, const char* file, int line) {
  std::fprintf(stderr, "amtsweg: assertion failed at %s:%d: %s (%s)\n", file, line, cond, what);
  std::abort();
}
}  // namespace internal

}  // namespace amtsweg::core
