#include "cases/progress.h"

#include <gtest/gtest.h>

namespace amtsweg::cases {
namespace {

using core::Json;

core::Timestamp T(int64_t minutes) { return core::FromUnixMillis(1767258000000 + minutes * 60'000); }
std::string Iso(int64_t minutes) { return core::FormatIso8601(T(minutes)); }

// "stage@at:state" per step, for compact comparisons.
std::vector<std::string> Steps(const Json& p) {
  std::vector<std::string> out;
  for (const auto& s : p["stages"]) {
    out.push_back(s["stage"].get<std::string>() + "@" + (s["at"].is_null() ? "-" : s["at"].get<std::string>()) +
                  ":" + s["state"].get<std::string>());
  }
  return out;
}

TEST(CitizenProgress, JustReceived) {
  Json p = CitizenProgress({.status = "received", .submitted_at = T(0), .instance_state = "active"});
  EXPECT_EQ(p["stage"], "received");
  EXPECT_EQ(Steps(p), (std::vector<std::string>{"received@" + Iso(0) + ":current", "in_progress@-:upcoming",
                                                "decided@-:upcoming", "completed@-:upcoming"}));
  EXPECT_EQ(p["postbox"], false);
  EXPECT_FALSE(p.contains("decidedAt"));
}

TEST(CitizenProgress, ClaimedThenWaitingForTheApplicant) {
  ProgressInput in{.status = "waiting", .submitted_at = T(0), .instance_state = "active"};
  in.events = {{T(1), "intake.case_submitted", Json::object()},
               {T(5), "cases.note_added", Json{{"noteId", "n"}}},  // not work the citizen sees
               {T(7), "cases.task_claimed", Json{{"taskId", "t"}}},
               {T(9), "cases.status_changed", Json{{"from", "in_progress"}, {"to", "waiting"}}}};
  Json p = CitizenProgress(in);
  EXPECT_EQ(p["stage"], "waiting");
  EXPECT_EQ(Steps(p), (std::vector<std::string>{"received@" + Iso(0) + ":done", "in_progress@" + Iso(7) + ":done",
                                                "waiting@" + Iso(9) + ":current", "decided@-:upcoming",
                                                "completed@-:upcoming"}));
  // Back to work: the waiting step is gone again.
  in.status = "in_progress";
  in.events.push_back({T(12), "cases.status_changed", Json{{"from", "waiting"}, {"to", "in_progress"}}});
  p = CitizenProgress(in);
  EXPECT_EQ(p["stage"], "in_progress");
  EXPECT_EQ(p["stages"].size(), 4u);
}

TEST(CitizenProgress, BescheidStoredMeansDecidedWhileTheProcessGoesOn) {
  ProgressInput in{.status = "in_progress", .submitted_at = T(0), .instance_state = "active"};
  in.events = {{T(3), "cases.task_completed", Json{{"taskId", "t"}}},
               {T(4), "records.document_added", Json{{"kind", "upload"}}},
               {T(8), "records.document_added", Json{{"kind", "bescheid"}, {"filename", "bescheid-genehmigung.pdf"}}},
               {T(8), "postfach.message_sent", Json{{"messageId", "m"}}}};
  Json p = CitizenProgress(in);
  EXPECT_EQ(p["stage"], "decided");
  EXPECT_EQ(p["decidedAt"], Iso(8));
  EXPECT_EQ(p["postbox"], true);
  EXPECT_EQ(Steps(p), (std::vector<std::string>{"received@" + Iso(0) + ":done", "in_progress@" + Iso(3) + ":done",
                                                "decided@" + Iso(8) + ":current", "completed@-:upcoming"}));
  // Nothing of the entries' details (file names, ids) reaches the answer.
  EXPECT_EQ(p.dump().find("bescheid-genehmigung"), std::string::npos);
}

TEST(CitizenProgress, EndedProcessIsCompletedOrClosed) {
  ProgressInput in{.status = "in_progress", .submitted_at = T(0), .instance_state = "completed",
                   .instance_ended_at = T(20)};
  in.events = {{T(2), "records.document_added", Json{{"kind", "bescheid"}}}};
  Json p = CitizenProgress(in);
  EXPECT_EQ(p["stage"], "completed");
  // No task claimed by hand: the work started with the decision at the latest.
  EXPECT_EQ(Steps(p), (std::vector<std::string>{"received@" + Iso(0) + ":done", "in_progress@" + Iso(2) + ":done",
                                                "decided@" + Iso(2) + ":done", "completed@" + Iso(20) + ":current"}));
  in.instance_state = "terminated";
  in.events.clear();
  p = CitizenProgress(in);
  EXPECT_EQ(p["stage"], "closed");
  EXPECT_EQ(Steps(p), (std::vector<std::string>{"received@" + Iso(0) + ":done", "in_progress@" + Iso(20) + ":done",
                                                "decided@-:done", "closed@" + Iso(20) + ":current"}));
}

}  // namespace
}  // namespace amtsweg::cases
