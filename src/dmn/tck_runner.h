// Runner for the DMN TCK (https://github.com/dmn-tck/tck) test-case folders:
// test-support code, the one place in dmn/ that reads files.
#pragma once

#include <map>
#include <ostream>
#include <string>

namespace amtsweg::dmn {

struct TckCounts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

struct TckSummary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::map<std::string, TckCounts> per_level;  // "compliance-level-3" -> counts
  // Failed results whose numbers differ from the expected ones by less than
  // 1e-8 (the tolerance of the upstream Drools TCK runner). Informational:
  // they still count as failed, since our rule is exact decimal equality.
  int within_tolerance = 0;
  // Passed results whose expected value is null (most are errorResult="true",
  // where any failure to produce a value passes). Informational.
  int passed_expecting_null = 0;
};

// Runs every case folder under `dir` (the TCK root, one level folder or one
// case folder). Counts per <resultNode>. Writes one line per failure,
// "<level>/<case>/<testCase id>/<resultNode name>: expected ..., got ...",
// one "SKIP <case>: reason" line per skipped case folder, a per-level line,
// a line counting failures within 1e-8, and finally "N passed, M failed, K skipped". Never throws; unreadable files
// count their result nodes as failed.
TckSummary RunTck(const std::string& dir, std::ostream& report);

}  // namespace amtsweg::dmn
