// Job push to in-process workers (Engine::RegisterWorker, TakePushedJobs),
// on SQLite and PostgreSQL.
#include <chrono>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;
using std::chrono::seconds;

class JobPush : public EngineTest {
 protected:
  std::vector<ActivatedJob> Take(int max = 10) { return engine_->TakePushedJobs("t1", max, std::chrono::milliseconds(0)); }
};

const std::string kTwoTasks = Model("two_tasks", R"(
  <bpmn:startEvent id="start"/>
  )" + ServiceTask("a", "push") + ServiceTask("b", "push") + R"(
  <bpmn:endEvent id="end"/>
  )" + Flow("f1", "start", "a") + Flow("f2", "a", "b") + Flow("f3", "b", "end"));

JobResult Complete(const ActivatedJob& job) {
  JobResult r;
  r.variables = {{"done_" + job.element_id, true}};
  return r;
}

TEST_P(JobPush, JobsOfARegisteredTypeAreCreatedLockedAndHandedToTheWorker) {
  Deploy(kTwoTasks);
  engine_->RegisterWorker("push", Complete, seconds(30));
  std::string id = Start("two_tasks", {{"n", 7}});
  EXPECT_TRUE(Activate("push").empty()) << "the pushed job is locked for the in-process worker";
  auto jobs = Take();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].element_id, "a");
  EXPECT_EQ(jobs[0].type, "push");
  EXPECT_EQ(jobs[0].instance_id, id);
  EXPECT_EQ(jobs[0].retries, 3);
  EXPECT_EQ(jobs[0].variables, (Json{{"n", 7}}));
  EXPECT_EQ(jobs[0].deadline, T0() + seconds(30));
  EXPECT_TRUE(Take().empty()) << "a pushed job is handed out once";

  // The completion command pushes the next job.
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"x", 1}}).ok());
  jobs = Take();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].element_id, "b");
  EXPECT_EQ(jobs[0].variables, (Json{{"n", 7}, {"x", 1}}));

  // The worker never completes it: once the lock runs out any worker may activate it.
  clock_.Advance(seconds(29));
  EXPECT_TRUE(Activate("push").empty());
  clock_.Advance(seconds(2));
  auto activated = Activate("push");
  ASSERT_EQ(activated.size(), 1u);
  EXPECT_EQ(activated[0].job_id, jobs[0].job_id);
  ASSERT_TRUE(engine_->CompleteJob("t1", activated[0].job_id).ok());
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(JobPush, AQueuedJobWhoseLockRanOutIsNotHandedOut) {
  Deploy(kTwoTasks);
  engine_->RegisterWorker("push", Complete, seconds(30));
  Start("two_tasks");
  clock_.Advance(seconds(30));
  EXPECT_TRUE(Take().empty()) << "its lock ran out: another worker may hold it by now";
  EXPECT_EQ(Activate("push").size(), 1u);
}

TEST_P(JobPush, RunWorkersTakesPushedJobs) {
  Deploy(kTwoTasks);
  engine_->RegisterWorker("push", Complete, seconds(30));
  std::string id = Start("two_tasks");
  auto n = engine_->RunWorkers("t1", 10);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1);
  n = engine_->RunWorkers("t1", 10);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1) << "b was pushed by the completion of a";
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables["done_a"], true);
  EXPECT_EQ(info.variables["done_b"], true);
}

TEST_P(JobPush, NoPushWithoutALockTimeoutOrForOtherTypes) {
  Deploy(kTwoTasks);
  engine_->RegisterWorker("push", Complete, seconds(0));
  engine_->RegisterWorker("other", Complete, seconds(30));
  Start("two_tasks");
  EXPECT_TRUE(Take().empty());
  EXPECT_EQ(Activate("push").size(), 1u);
}

TEST_P(JobPush, AJobWhoseElementEndsInTheSameCommandIsNotPushed) {
  Deploy(Model("fork_stop", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    )" + ServiceTask("a", "push") + R"(
    <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
    )" + Flow("f1", "start", "fork") + Flow("f2", "fork", "a") + Flow("f3", "fork", "stop")));
  engine_->RegisterWorker("push", Complete, seconds(30));
  std::string id = Start("fork_stop");
  EXPECT_NE(Instance(id).state, "active");
  EXPECT_TRUE(Take().empty());
}

AW_STORE_INSTANTIATE(JobPush);

}  // namespace
}  // namespace amtsweg::engine::testing
