// Server-side validation of a form submission against a compiled Form: what
// form-js checks in the browser (required, length, pattern, number range,
// decimals and increment, e-mail and phone, allowed values, dates), plus
// conditional visibility, groups with `path`, dynamic lists and computed
// fields. The browser is never trusted; this is the check that counts.
//
// The result is the CLEANED data: only keys of visible input fields, computed
// (expression) fields evaluated here (a client-sent value is replaced), hidden
// fields dropped even when sent. Keys that no component binds are errors by
// default (UnknownKeys::kReject) so nothing is accepted silently; kDrop drops
// them instead (for lenient intake of old drafts).
//
// Every violation carries its JSON pointer into `data` (`/applicant/name`,
// `/locations/2/street`), a stable code ("required", "max_length", ...) and the
// message in German and English, so the HTTP layer can answer 422 in the
// language of Accept-Language. Thread-safe: Validate only reads the Form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "feel/temporal.h"
#include "forms/schema.h"

namespace amtsweg::forms {

enum class Language { kGerman, kEnglish };

enum class UnknownKeys { kReject, kDrop };

struct ValidateOptions {
  Language language = Language::kGerman;  // language of core::Error details
  UnknownKeys unknown_keys = UnknownKeys::kReject;
  // Limits for untrusted data; exceeding one is a violation naming the limit.
  size_t max_depth = 32;             // JSON nesting of `data`
  size_t max_string_length = 10000;  // code points per string
  size_t max_list_items = 1000;      // per list (dynamic list, checklist, taglist)
  size_t max_pattern_input = 2000;   // longer strings are not run through a pattern
  // Per FEEL evaluation (loop iterations and calls). Form expressions are
  // small; the bound keeps hostile schemas from running long.
  int64_t feel_step_budget = 10000;
  // "Today" for disallowPassedDates; the layer is pure, so the caller passes
  // it. Without it the check is skipped and a note says so.
  std::optional<feel::Date> today;
  // Server-side input variables (process variables): options for `valuesKey`
  // come from here, never from the submitted data. Without an entry the
  // allowed-values check is skipped and a note says so.
  core::Json context = core::Json::object();
};

struct Violation {
  std::string pointer;  // JSON pointer into the submitted data
  std::string code;     // stable: "required", "min_length", "unknown_field", ...
  std::string message_de;
  std::string message_en;
  const std::string& Message(Language l) const {
    return l == Language::kEnglish ? message_en : message_de;
  }
};

struct ValidationOutcome {
  core::Json data = core::Json::object();  // cleaned data (meaningful when ok())
  std::vector<Violation> violations;
  std::vector<std::string> notes;  // checks that could not run (missing context, today)
  bool ok() const { return violations.empty(); }
};

// Validates `data` and returns violations, cleaned data and notes. Never fails
// otherwise; pure.
ValidationOutcome Check(const Form& form, const core::Json& data, const ValidateOptions& options);

// Cleaned data, or kInvalidArgument whose details hold one FieldError per
// violation (pointer + message in `options.language`); the message of the
// error itself is in that language too.
core::Result<core::Json> Validate(const Form& form, const core::Json& data,
                                  const ValidateOptions& options);

// core::Error (kInvalidArgument) for a failed outcome, details in `language`.
core::Error ToError(const ValidationOutcome& outcome, Language language);

// Picks the language from an Accept-Language header ("en-US,en;q=0.9,de;q=0.8"):
// the highest-weighted of de/en; German when neither is acceptable or absent.
Language LanguageFromAcceptLanguage(std::string_view header);

}  // namespace amtsweg::forms
