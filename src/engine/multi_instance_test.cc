// Scenario tests of multi-instance activities, each on SQLite and PostgreSQL.
#include <chrono>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;

class MultiInstance : public EngineTest {};

// <multiInstanceLoopCharacteristics> with zeebe:loopCharacteristics `attrs` and `inner` elements.
std::string Loop(bool sequential, std::string_view attrs, std::string_view inner = "") {
  return fmt::format(R"(<bpmn:multiInstanceLoopCharacteristics isSequential="{}"><bpmn:extensionElements><zeebe:loopCharacteristics {}/></bpmn:extensionElements>{}</bpmn:multiInstanceLoopCharacteristics>)",
                     sequential ? "true" : "false", attrs, inner);
}

// start -> service task "each" (job type "each") with `loop` -> end, plus `more`.
std::string EachModel(std::string_view loop, std::string_view more = "") {
  return Model("multi", fmt::format(R"(
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="each"/></bpmn:extensionElements>{}</bpmn:serviceTask>
    <bpmn:endEvent id="end"/>
    {}
    )", loop, more) + Flow("f1", "start", "each") + Flow("f2", "each", "end"),
               R"(<bpmn:error id="err_stop" name="stop" errorCode="STOP"/>)");
}

const char* kCollect = R"(inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result")";

TEST_P(MultiInstance, ParallelInstancesGetTheirItemAndCollectOutputsInOrder) {
  Deploy(EachModel(Loop(false, kCollect)));
  std::string id = Start("multi", {{"items", {1, 2, 3}}});
  auto jobs = Activate("each");
  ASSERT_EQ(jobs.size(), 3u);
  std::vector<int> seen;
  for (const auto& j : jobs) {
    seen.push_back(j.variables["item"].get<int>());
    EXPECT_EQ(j.variables["loopCounter"], j.variables["item"]);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  // Completed in reverse order: the collection still follows the input order.
  for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) {
    EXPECT_EQ(Instance(id).state, "active");
    ASSERT_TRUE(engine_->CompleteJob("t1", it->job_id, {{"result", it->variables["item"].get<int>() * 10}}).ok());
  }
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_EQ(done.variables["results"], (Json{10, 20, 30}));
  EXPECT_EQ(Events(id, "element_completed"),
            (std::vector<std::string>{"start", "each", "each", "each", "each", "end"}));
}

TEST_P(MultiInstance, SequentialInstancesRunOneAfterAnother) {
  Deploy(EachModel(Loop(true, kCollect)));
  std::string id = Start("multi", {{"items", {"a", "b"}}});
  for (std::string item : {"a", "b"}) {
    auto jobs = Activate("each");
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].variables["item"], item);
    ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"result", item + "!"}}).ok());
  }
  EXPECT_TRUE(Activate("each").empty());
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_EQ(done.variables["results"], (Json{"a!", "b!"}));
}

TEST_P(MultiInstance, LoopCardinalityWithACompletionConditionEndsEarly) {
  Deploy(EachModel(Loop(false, "", R"(<bpmn:loopCardinality>3</bpmn:loopCardinality><bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>)")));
  std::string id = Start("multi");
  auto jobs = Activate("each");
  ASSERT_EQ(jobs.size(), 3u);
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id).ok());
  EXPECT_EQ(Instance(id).state, "active");
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[1].job_id).ok());
  EXPECT_EQ(Instance(id).state, "completed");
  // The third instance was terminated with its job.
  EXPECT_EQ(engine_->CompleteJob("t1", jobs[2].job_id).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Events(id, "element_terminated"), std::vector<std::string>{"each"});
}

TEST_P(MultiInstance, EmptyCollectionCompletesAtOnce) {
  Deploy(EachModel(Loop(false, kCollect)));
  std::string id = Start("multi", {{"items", Json::array()}});
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_EQ(done.variables["results"], Json::array());
}

TEST_P(MultiInstance, InputCollectionThatIsNotAListRaisesAnIncident) {
  Deploy(EachModel(Loop(false, kCollect)));
  std::string id = Start("multi", {{"items", 7}});
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "expression");
  EXPECT_EQ(incidents[0].element_id, "each");
  ASSERT_TRUE(engine_->SetVariables("t1", id, {{"items", {4}}}).ok());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  CompleteOne("each", {{"result", 40}});
  EXPECT_EQ(Instance(id).variables["results"], (Json{40}));
}

TEST_P(MultiInstance, MultiInstanceWithABoundaryTimer) {
  Deploy(EachModel(Loop(false, kCollect), R"(
    <bpmn:boundaryEvent id="too_late" attachedToRef="each"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:endEvent id="late"/>)" + Flow("f3", "too_late", "late")));
  std::string id = Start("multi", {{"items", {1, 2, 3}}});
  auto jobs = Activate("each");
  ASSERT_EQ(jobs.size(), 3u);
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"result", 1}}).ok());
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(Fire(), 1);  // one timer for the body, not one per inner instance
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "late"));
  EXPECT_FALSE(Has(Events(id, "element_completed"), "end"));
  // Both waiting inner instances and the body were terminated.
  EXPECT_EQ(Events(id, "element_terminated"), (std::vector<std::string>{"each", "each", "each"}));
  EXPECT_EQ(engine_->CompleteJob("t1", jobs[1].job_id).error().code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(done.variables.contains("results"));
}

TEST_P(MultiInstance, ErrorOfOneInnerInstanceIsCaughtOnTheBody) {
  Deploy(EachModel(Loop(false, kCollect), R"(
    <bpmn:boundaryEvent id="stopped" attachedToRef="each"><bpmn:errorEventDefinition errorRef="err_stop"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="halt"/>)" + Flow("f3", "stopped", "halt")));
  std::string id = Start("multi", {{"items", {1, 2}}});
  auto jobs = Activate("each");
  ASSERT_EQ(jobs.size(), 2u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "STOP").ok());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "halt"));
  EXPECT_TRUE(Activate("each").empty());
}

TEST_P(MultiInstance, SubProcessRunsOncePerItemWithItsOwnVariables) {
  Deploy(Model("multi_sub", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="per_doc">
      )" + Loop(false, R"(inputCollection="=docs" inputElement="doc" outputCollection="checked" outputElement="=ok")") + R"(
      <bpmn:startEvent id="s_start"/>
      )" + ServiceTask("check", "check", R"(<zeebe:ioMapping><zeebe:output source="=valid" target="ok"/></zeebe:ioMapping>)") + R"(
      <bpmn:endEvent id="s_end"/>
      )" + Flow("s1", "s_start", "check") + Flow("s2", "check", "s_end") + R"(
    </bpmn:subProcess>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "per_doc") + Flow("f2", "per_doc", "end")));
  std::string id = Start("multi_sub", {{"docs", {"id.pdf", "bill.pdf"}}});
  auto jobs = Activate("check");
  ASSERT_EQ(jobs.size(), 2u);
  for (const auto& j : jobs) {
    bool valid = j.variables["doc"] == "id.pdf";
    ASSERT_TRUE(engine_->CompleteJob("t1", j.job_id, {{"valid", valid}}).ok());
  }
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_EQ(done.variables["checked"], (Json{true, false}));
  EXPECT_FALSE(done.variables.contains("doc"));
}

TEST_P(MultiInstance, CallActivityStartsOneChildPerItem) {
  Deploy(Model("child", R"(<bpmn:startEvent id="c_start"/>)" + ServiceTask("c_work", "child_work") +
                            R"(<bpmn:endEvent id="c_end"/>)" + Flow("c1", "c_start", "c_work") +
                            Flow("c2", "c_work", "c_end")),
         "child.bpmn");
  Deploy(Model("multi_call", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child"/></bpmn:extensionElements>
      )" + Loop(false, R"(inputCollection="=people" inputElement="person" outputCollection="answers" outputElement="=answer")") + R"(
    </bpmn:callActivity>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "call") + Flow("f2", "call", "end")));
  std::string id = Start("multi_call", {{"people", {"ana", "ben"}}});
  auto jobs = Activate("child_work");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_NE(jobs[0].instance_id, jobs[1].instance_id);
  for (const auto& j : jobs) {
    ASSERT_TRUE(engine_->CompleteJob("t1", j.job_id, {{"answer", "hi " + j.variables["person"].get<std::string>()}}).ok());
  }
  InstanceInfo done = Instance(id);
  EXPECT_EQ(done.state, "completed");
  EXPECT_EQ(done.variables["answers"], (Json{"hi ana", "hi ben"}));
}

}  // namespace

AW_STORE_INSTANTIATE(MultiInstance);

}  // namespace amtsweg::engine::testing
