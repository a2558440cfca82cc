// Result<T> and Error: how every fallible function in Amtsweg reports failure.
//
// No exception crosses a layer boundary. Code that calls a throwing library
// (nlohmann-json, libpqxx, Beast, toml++) catches where it calls and returns an
// Error. The HTTP layer maps ErrorCode to a status and an RFC 9457 body in one
// table (http/problem.cc); nothing else writes error bodies.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace amtsweg::core {

// Pick the code by what the caller should do next (absl/status/status.h).
enum class ErrorCode {
  kInvalidArgument,     // bad input; fix the request (HTTP 400, or 422 with field errors)
  kNotFound,            // the addressed thing does not exist (404)
  kAlreadyExists,       // creating something that exists (409)
  kConflict,            // concurrent modification, version mismatch (409)
  kFailedPrecondition,  // valid input, wrong state of the system (409/412)
  kPermissionDenied,    // authenticated but not allowed (403)
  kUnauthenticated,     // no or bad credentials (401)
  kResourceExhausted,   // a limit was hit: size, rate, quota (413/429)
  kUnavailable,         // transient: retry later (503)
  kDeadlineExceeded,    // took too long (504 / 408)
  kCancelled,           // the caller gave up or the system shuts down
  kUnimplemented,       // recognised but deliberately not supported (501)
  kInternal,            // a bug or broken invariant (500)
};

// Stable lower-case name of a code ("invalid_argument"), used in logs and problem types.
const char* ErrorCodeName(ErrorCode code);

// One problem with one field of the input; `pointer` is a JSON pointer (RFC 6901)
// into the request body, or for files "path:line" style locations.
struct FieldError {
  std::string pointer;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

class Error {
 public:
  Error(ErrorCode code, std::string message, std::vector<FieldError> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& details() const { return details_; }

  // Prepends context: "reading amtsweg.toml: " + message. Returns *this for chaining.
  Error& WithContext(std::string_view context);
  Error& AddDetail(std::string pointer, std::string message);

  // "invalid_argument: message [pointer: message; ...]" for logs and CLI output.
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::vector<FieldError> details_;
};

// Short constructors: return core::NotFound("no such case");
Error InvalidArgument(std::string message, std::vector<FieldError> details = {});
Error NotFound(std::string message);
Error AlreadyExists(std::string message);
Error Conflict(std::string message);
Error FailedPrecondition(std::string message);
Error PermissionDenied(std::string message);
Error Unauthenticated(std::string message);
Error ResourceExhausted(std::string message);
Error Unavailable(std::string message);
Error DeadlineExceeded(std::string message);
Error Cancelled(std::string message);
Error Unimplemented(std::string message);
Error Internal(std::string message);

// Either a T or an Error. Read with *r / r-> only after r.ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}                                // NOLINT: implicit by design
  Result(T&& value) : v_(std::move(value)) {}                          // NOLINT
  Result(Error error) : v_(std::move(error)) {}                        // NOLINT
  template <typename U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Result<T>>)
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for functions with nothing to return.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;
inline Status OkStatus() { return {}; }

namespace internal {
inline Error&& TakeError(Status&& s) { return std::move(s).error(); }
template <typename T>
Error&& TakeError(Result<T>&& r) { return std::move(r).error(); }
}  // namespace internal

}  // namespace amtsweg::core

#define AW_CONCAT_INNER_(a, b) a##b
#define AW_CONCAT_(a, b) AW_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Status or Result) from the enclosing function.
#define AW_TRY(expr)                                                              \
  do {                                                                            \
    auto aw_try_result_ = (expr);                                                 \
    if (!aw_try_result_.ok())                                                     \
      return ::amtsweg::core::internal::TakeError(std::move(aw_try_result_));     \
  } while (false)

// AW_ASSIGN_OR_RETURN(auto x, MakeX()); declares x or returns the error.
#define AW_ASSIGN_OR_RETURN(lhs, expr) \
  AW_ASSIGN_OR_RETURN_IMPL_(AW_CONCAT_(aw_result_, __LINE__), lhs, expr)
#define AW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                 \
  auto tmp = (expr);                                              \
  if (!tmp.ok()) return std::move(tmp).error();                   \
  lhs = std::move(tmp).value()

// Programmer errors only, never user input. Active in every build: a broken
// invariant in an administration's case data must stop loudly, not corrupt.
#define AW_ASSERT(cond, what)                                                   \
  do {                                                                          \
    if (!(cond)) ::amtsweg::core::internal::AssertFailed(#cond, what, __FILE__, __LINE__); \
  } while (false)

namespace amtsweg::core::internal {
[[noreturn]] void AssertFailed(const char* cond, const char* what, const char* file, int line);
}  // namespace amtsweg::core::internal
