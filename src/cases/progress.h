// cases/: the progress of a case as its applicant may see it.
//
// Pure (no I/O): from the case row, its audit entries and the end of its
// process instance, the citizen's stages with their dates. Only stage names
// and dates come out — no staff names, notes, task names or document titles.
#pragma once
#include <optional>
#include <string>
#include <vector>
#include "core/json.h"
#include "core/time.h"

namespace amtsweg::cases {

// One audit entry of the case (object_type "case").
struct ProgressEvent {
  core::Timestamp at{};
  std::string action{};   // cases.task_claimed, records.document_added, …
  core::Json details{};   // the entry's details (object or null)
};

struct ProgressInput {
  std::string status{};                        // the case's status (received | in_progress | waiting | closed)
  core::Timestamp submitted_at{};
  std::vector<ProgressEvent> events{};         // oldest first
  std::string instance_state{};                // active | completed | terminated ("" unknown)
  std::optional<core::Timestamp> instance_ended_at{};
};

// {stage, stages: [{stage, at|null, state: done|current|upcoming}], decidedAt?, postbox: bool}
//   stage: received | in_progress | waiting | decided | completed | closed
//   - in_progress from the first task claimed/assigned/completed or status change by staff;
//   - waiting while the office waits for the applicant (status set by hand), dated by that change;
//   - decided when a Bescheid was stored (records.document_added, kind "bescheid");
//   - completed when the process ended normally, closed when it was terminated.
// `postbox` is true when the office sent the applicant a message (postfach.message_sent).
core::Json CitizenProgress(const ProgressInput& in);

}  // namespace amtsweg::cases
