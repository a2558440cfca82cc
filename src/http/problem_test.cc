#include "http/problem.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace amtsweg::http {
namespace {

using core::ErrorCode;

TEST(Problem, TableMapsEveryErrorCode) {
  struct Case {
    core::Error error;
    int status;
  };
  const Case cases[] = {
      {core::InvalidArgument("x"), 400},    {core::NotFound("x"), 404},       {core::AlreadyExists("x"), 409},
      {core::Conflict("x"), 409},           {core::FailedPrecondition("x"), 409},
      {core::PermissionDenied("x"), 403},   {core::Unauthenticated("x"), 401}, {core::ResourceExhausted("x"), 429},
      {core::Unavailable("x"), 503},        {core::DeadlineExceeded("x"), 504}, {core::Cancelled("x"), 503},
      {core::Unimplemented("x"), 501},      {core::Internal("x"), 500},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(StatusForError(c.error), c.status) << core::ErrorCodeName(c.error.code());
    EXPECT_NE(ReasonPhrase(c.status), "Unknown");
  }
  EXPECT_EQ(StatusForError(core::InvalidArgument("form", {{"/name", "required"}})), 422);
}

TEST(Problem, BodyFollowsRfc9457WithFieldErrors) {
  auto r = ProblemResponse(core::InvalidArgument("the form has errors", {{"/name", "required"}, {"/age", "too low"}}),
                           "/api/v1/services/s1/submissions");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
  auto j = core::ParseJson(r.body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["type"], "about:blank");
  EXPECT_EQ((*j)["title"], "Unprocessable Content");
  EXPECT_EQ((*j)["status"], 422);
  EXPECT_EQ((*j)["detail"], "the form has errors");
  EXPECT_EQ((*j)["instance"], "/api/v1/services/s1/submissions");
  EXPECT_EQ((*j)["code"], "invalid_argument");
  ASSERT_EQ((*j)["errors"].size(), 2u);
  EXPECT_EQ((*j)["errors"][1], (core::Json{{"pointer", "/age"}, {"detail", "too low"}}));
}

TEST(Problem, InternalErrorsHideTheirMessage) {
  auto r = ProblemResponse(core::Internal("pq: relation \"cases\" does not exist"), "/x", "req-1");
  auto j = core::ParseJson(r.body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["status"], 500);
  EXPECT_EQ(r.body.find("relation"), std::string::npos);
  EXPECT_NE((*j)["detail"].get<std::string>().find("req-1"), std::string::npos);
}

TEST(Problem, ServerProblemsHaveNoErrorsMember) {
  auto r = ProblemResponse(413, "payload_too_large", "too big", "/upload");
  auto j = core::ParseJson(r.body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["title"], "Content Too Large");
  EXPECT_EQ((*j)["code"], "payload_too_large");
  EXPECT_FALSE(j->contains("errors"));
}

// Clients parse these bodies: changes show up as a golden diff. Regenerate
// with AW_UPDATE_GOLDEN=1 and review.
TEST(Problem, BodiesMatchGoldenFile) {
  core::Json all = core::Json::array();
  for (const auto& r : {ProblemResponse(core::InvalidArgument("the form has errors", {{"/applicant/name", "required"}}),
                                        "/api/v1/services/s1/submissions"),
                        ProblemResponse(core::NotFound("case 42 does not exist"), "/api/v1/cases/42"),
                        ProblemResponse(core::Internal("db down"), "/api/v1/cases", "01890a5d-ac96-774b-bcce-b302099a8057"),
                        ProblemResponse(405, "method_not_allowed", "method PUT is not allowed here; allowed: GET, HEAD",
                                        "/api/v1/cases")}) {
    auto j = core::ParseJson(r.body);
    ASSERT_TRUE(j.ok());
    all.push_back(*j);
  }
  std::string rendered = core::DumpJson(all, 2) + "\n";
  std::string path = std::string(AW_HTTP_TESTDATA) + "/problem_golden.json";
  if (std::getenv("AW_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << rendered;
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " missing; run with AW_UPDATE_GOLDEN=1";
  std::string golden((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(rendered, golden);
}

}  // namespace
}  // namespace amtsweg::http
