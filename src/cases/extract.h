// Pure helpers of cases/: what the E-Akte takes from a submission (applicant,
// search text) and how text is folded for the SQLite full-text index.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "forms/schema.h"

namespace amtsweg::cases {

struct Applicant {
  std::string name;
  std::string email;
};

// The applicant of a submission, found generically:
//  - e-mail: the first filled field the form declares as e-mail (validate.validationType
//    "email"); without one, the first field whose key ends in "email"/"mail".
//  - name: the first filled text field whose last key segment is one of name, fullName,
//    antragsteller, ansprechpartner, firma, companyName (in that order of preference
//    among the fields found), or vorname/firstName + nachname/familienname/lastName.
// Fields under a dynamic list are not considered. Empty strings when not found.
Applicant ExtractApplicant(const forms::Form* form, const core::Json& data);

// Every string and number in `data` (depth first, object keys in order), joined
// by spaces, at most `max_bytes` (cut at a UTF-8 boundary): the case's search text.
std::string SearchText(const core::Json& data, size_t max_bytes = 16 * 1024);

// What the SQLite index stores and searches: ß and ẞ become "ss"/"SS" (the
// unicode61 tokenizer removes diacritics, ä → a, but leaves ß alone).
std::string FoldForSearch(std::string_view text);

// A user's search words as a safe FTS5 query: every word (letters/digits) quoted,
// folded, as a prefix ("stra"*), all required. Empty when there is no word.
// `prefix` false: every word as an exact token ("strasse"); true: as a prefix ("strasse"*).
std::string Fts5Query(std::string_view text, bool prefix = true);

}  // namespace amtsweg::cases
