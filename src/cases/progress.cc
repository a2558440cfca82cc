#include "cases/progress.h"

namespace amtsweg::cases {

using core::Json;

namespace {

Json At(const std::optional<core::Timestamp>& t) {
  return t ? Json(core::FormatIso8601(*t)) : Json(nullptr);
}

bool IsWork(const ProgressEvent& e) {
  return e.action == "cases.task_claimed" || e.action == "cases.task_assigned" ||
         e.action == "cases.task_completed" || e.action == "cases.handed_over" ||
         e.action == "cases.status_changed";
}

}  // namespace

Json CitizenProgress(const ProgressInput& in) {
  std::optional<core::Timestamp> working, waiting, decided;
  bool postbox = false;
  for (const ProgressEvent& e : in.events) {
    if (!working && IsWork(e)) working = e.at;
    if (e.action == "cases.status_changed") {
      std::string to = e.details.is_object() ? e.details.value("to", "") : "";
      if (to == "waiting") waiting = e.at;
    }
    if (!decided && (e.action == "records.document_added" || e.action == "records.version_added") &&
        e.details.is_object() && e.details.value("kind", "") == "bescheid") {
      decided = e.at;
    }
    if (e.action == "postfach.message_sent") postbox = true;
  }
  bool is_ended = in.instance_state == "completed" || in.instance_state == "terminated";
  std::optional<core::Timestamp> ended = is_ended ? in.instance_ended_at : std::nullopt;
  // A decision or an end implies the work started, even when no task was claimed by hand.
  if (!working && decided) working = decided;
  if (!working && is_ended) working = ended;

  std::string stage = "received";
  if (working) stage = "in_progress";
  if (in.status == "waiting" && !decided && !is_ended) stage = "waiting";
  if (decided) stage = "decided";
  if (in.instance_state == "completed") stage = "completed";
  if (in.instance_state == "terminated") stage = "closed";

  // The stages in their order; "waiting" only while the case waits (or is shown current).
  struct Step {
    const char* name;
    std::optional<core::Timestamp> at;
  };
  std::vector<Step> steps{{"received", in.submitted_at}, {"in_progress", working}};
  if (stage == "waiting") steps.push_back({"waiting", waiting});
  steps.push_back({"decided", decided});
  steps.push_back({stage == "closed" ? "closed" : "completed", is_ended ? ended : std::nullopt});
  Json stages = Json::array();
  bool past = true;
  for (const Step& s : steps) {
    std::string state = past ? (s.name == stage ? "current" : "done") : "upcoming";
    if (s.name == stage) past = false;
    // A stage skipped on the way (a refusal without a stored Bescheid): done, without a date.
    stages.push_back(Json{{"stage", s.name}, {"at", state == "upcoming" ? Json(nullptr) : At(s.at)},
                          {"state", state}});
  }
  Json out{{"stage", stage}, {"stages", std::move(stages)}, {"postbox", postbox}};
  if (decided) out["decidedAt"] = core::FormatIso8601(*decided);
  return out;
}

}  // namespace amtsweg::cases
