// What changed between two versions of a package, in domain terms: the
// package's own fields and texts, parameters, BPMN elements (by id, with
// their names), decision rules (by decision and rule index, with their
// annotations), form fields (by key, with their labels) and other files.
// Pure: two opened packages in, a list of changes out.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "packages/package.h"

namespace amtsweg::packages {

struct Change {
  std::string area;     // package | parameter | process | decision | form | file
  std::string file;     // the file in the package ("" for package and parameter)
  std::string kind;     // added | removed | changed
  std::string subject;  // userTask pruefen "Antrag prüfen"; decision d rule 3 (id) "annotation"; field x "Label"
  std::string detail;   // what changed, e.g. name: "a" → "b"; empty for added/removed
  bool operator==(const Change&) const = default;
};

std::vector<Change> DiffPackages(const Package& a, const Package& b);

// The same for two single files of one kind (by the path's extension).
std::vector<Change> DiffBpmn(const std::string& file, const std::string& a, const std::string& b);
std::vector<Change> DiffDmn(const std::string& file, const std::string& a, const std::string& b);
std::vector<Change> DiffForm(const std::string& file, const std::string& a, const std::string& b);

// One line per change, grouped as the list is ordered.
std::string FormatChanges(const std::vector<Change>& changes);
core::Json ChangesToJson(const std::vector<Change>& changes);

}  // namespace amtsweg::packages
