// Scenario tests of call activities, each on SQLite and PostgreSQL.
#include <chrono>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;
using std::chrono::minutes;

class CallActivity : public EngineTest {
 protected:
  // The child instances the call activities of `parent` started, in order.
  std::vector<std::string> Children(const std::string& parent) {
    auto h = engine_->History("t1", parent);
    EXPECT_TRUE(h.ok()) << h.error().ToString();
    std::vector<std::string> out;
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == "child_instance_created") out.push_back(e.data["childInstanceId"].get<std::string>());
      }
    }
    return out;
  }
};

// A call activity `call` of `process_id` with `extra` extension elements and
// `boundary` events, between start and end.
std::string Caller(std::string_view process_id, std::string_view called, std::string_view extra = "",
                   std::string_view boundary = "", std::string_view roots = "") {
  return Model(process_id, fmt::format(R"(
    <bpmn:startEvent id="start"/>
    <bpmn:callActivity id="call"><bpmn:extensionElements>{}{}</bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="end"/>
    {}
    )", called, extra, boundary) + Flow("f1", "start", "call") + Flow("f2", "call", "end"), roots);
}

std::string CalledElement(std::string_view process, std::string_view attrs = "") {
  return fmt::format(R"(<zeebe:calledElement processId="{}" {}/>)", process, attrs);
}

const std::string kChildWithTask = Model("child", R"(
  <bpmn:startEvent id="c_start"/>
  )" + ServiceTask("c_work", "child_work") + R"(
  <bpmn:endEvent id="c_end"/>
  )" + Flow("c1", "c_start", "c_work") + Flow("c2", "c_work", "c_end"));

const std::string kErrorRoot = R"(<bpmn:error id="err_rejected" name="rejected" errorCode="REJECTED"/>)";

std::string WithErrorBoundary() {
  return R"(<bpmn:boundaryEvent id="on_rejected" attachedToRef="call"><bpmn:errorEventDefinition errorRef="err_rejected"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="rejected"/>)" + Flow("f3", "on_rejected", "rejected");
}

TEST_P(CallActivity, ChildGetsTheParentsVariablesAndItsResultFlowsBack) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child"),
                R"(<zeebe:ioMapping><zeebe:input source="=amount * 2" target="doubled"/></zeebe:ioMapping>)"));
  std::string id = Start("parent", {{"amount", 21}});
  auto children = Children(id);
  ASSERT_EQ(children.size(), 1u);
  InstanceInfo child = Instance(children[0]);
  EXPECT_EQ(child.process_id, "child");
  EXPECT_EQ(child.state, "active");
  EXPECT_EQ(child.variables["amount"], 21);
  EXPECT_EQ(child.variables["doubled"], 42);
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"call"});

  CompleteOne("child_work", {{"decision", "approved"}});
  EXPECT_EQ(Instance(children[0]).state, "completed");
  InstanceInfo parent = Instance(id);
  EXPECT_EQ(parent.state, "completed");
  EXPECT_EQ(parent.variables["decision"], "approved");
  // The input mapping was local to the call activity.
  EXPECT_FALSE(parent.variables.contains("doubled"));
  EXPECT_TRUE(Has(Events(id, "element_completed"), "call"));
}

TEST_P(CallActivity, UsesTheLatestVersionOfTheCalledProcess) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Model("child", R"(<bpmn:startEvent id="c_start"/><bpmn:endEvent id="c_end_v2"/>)" +
                            Flow("c1", "c_start", "c_end_v2")),
         "child.bpmn");
  Deploy(Caller("parent", CalledElement("child")));
  std::string id = Start("parent");
  ASSERT_EQ(Children(id).size(), 1u);
  EXPECT_EQ(Instance(Children(id)[0]).version, 2);
  // Version 2 ends at once: the parent went on in the same command.
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Activate("child_work").empty());
}

TEST_P(CallActivity, WithoutPropagationOnlyOutputMappingsReachTheParent) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child", R"(propagateAllChildVariables="false" propagateAllParentVariables="false")"),
                R"(<zeebe:ioMapping><zeebe:input source="=amount" target="limit"/>
                   <zeebe:output source="=decision" target="outcome"/></zeebe:ioMapping>)"));
  std::string id = Start("parent", {{"amount", 5}, {"secret", "x"}});
  auto children = Children(id);
  ASSERT_EQ(children.size(), 1u);
  InstanceInfo child = Instance(children[0]);
  EXPECT_EQ(child.variables, (Json{{"limit", 5}}));
  CompleteOne("child_work", {{"decision", "denied"}, {"noise", 1}});
  InstanceInfo parent = Instance(id);
  EXPECT_EQ(parent.state, "completed");
  EXPECT_EQ(parent.variables["outcome"], "denied");
  EXPECT_FALSE(parent.variables.contains("decision"));
  EXPECT_FALSE(parent.variables.contains("noise"));
}

TEST_P(CallActivity, ErrorCaughtByABoundaryOnACallActivity) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child"), "", WithErrorBoundary(), kErrorRoot));
  std::string id = Start("parent");
  auto children = Children(id);
  ASSERT_EQ(children.size(), 1u);
  auto jobs = Activate("child_work");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "REJECTED", "no stamp", {{"why", "stamp missing"}}).ok());
  EXPECT_EQ(Instance(children[0]).state, "terminated");
  EXPECT_EQ(Events(children[0], "error_escalated"), std::vector<std::string>{"child"});
  InstanceInfo parent = Instance(id);
  EXPECT_EQ(parent.state, "completed");
  EXPECT_EQ(parent.variables["why"], "stamp missing");
  EXPECT_EQ(Events(id, "error_caught"), std::vector<std::string>{"on_rejected"});
  EXPECT_TRUE(Has(Events(id, "element_completed"), "rejected"));
  EXPECT_FALSE(Has(Events(id, "element_completed"), "end"));
  EXPECT_TRUE(Incidents(id).empty());
  EXPECT_TRUE(Incidents(children[0]).empty());
}

TEST_P(CallActivity, ErrorEndEventOfAChildThatEndsAtOnceIsCaughtInTheSameCommand) {
  Deploy(Model("child", R"(<bpmn:startEvent id="c_start"/>
    <bpmn:endEvent id="c_fail"><bpmn:errorEventDefinition errorRef="err_rejected"/></bpmn:endEvent>)" +
                            Flow("c1", "c_start", "c_fail"),
               kErrorRoot),
         "child.bpmn");
  Deploy(Caller("parent", CalledElement("child"), "", WithErrorBoundary(), kErrorRoot));
  std::string id = Start("parent");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "rejected"));
  ASSERT_EQ(Children(id).size(), 1u);
  EXPECT_EQ(Instance(Children(id)[0]).state, "terminated");
}

TEST_P(CallActivity, ErrorCaughtNowhereRaisesAnIncidentOnTheCallActivity) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child"), "", WithErrorBoundary(), kErrorRoot));
  std::string id = Start("parent");
  auto jobs = Activate("child_work");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "OTHER").ok());
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "unhandled_error");
  EXPECT_EQ(incidents[0].element_id, "call");
  EXPECT_EQ(Instance(Children(id)[0]).state, "terminated");
  // Resolving starts the called process again.
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  ASSERT_EQ(Children(id).size(), 2u);
  CompleteOne("child_work");
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(CallActivity, CancellingTheParentCancelsTheChild) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child")));
  std::string id = Start("parent");
  auto children = Children(id);
  ASSERT_EQ(children.size(), 1u);
  // Only the root instance can be cancelled.
  EXPECT_EQ(engine_->CancelInstance("t1", children[0]).error().code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(engine_->CancelInstance("t1", id).ok());
  EXPECT_EQ(Instance(id).state, "terminated");
  EXPECT_EQ(Instance(children[0]).state, "terminated");
  EXPECT_EQ(Events(children[0], "element_terminated"), std::vector<std::string>{"c_work"});
  EXPECT_TRUE(Activate("child_work").empty());
}

TEST_P(CallActivity, InterruptingTimerOnTheCallActivityCancelsTheChild) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("parent", CalledElement("child"), "",
                R"(<bpmn:boundaryEvent id="too_late" attachedToRef="call"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                   <bpmn:endEvent id="late"/>)" + Flow("f3", "too_late", "late")));
  std::string id = Start("parent");
  auto children = Children(id);
  ASSERT_EQ(children.size(), 1u);
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "late"));
  EXPECT_EQ(Instance(children[0]).state, "terminated");
  EXPECT_TRUE(Activate("child_work").empty());
}

TEST_P(CallActivity, MissingCalledProcessRaisesAnIncidentResolvedAfterDeploying) {
  Deploy(Caller("parent", CalledElement("=&quot;chi&quot; + &quot;ld&quot;")));
  std::string id = Start("parent");
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "called_element");
  EXPECT_EQ(incidents[0].element_id, "call");
  Deploy(kChildWithTask, "child.bpmn");
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  CompleteOne("child_work");
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(CallActivity, NestedCallsCompleteUpTheChain) {
  Deploy(kChildWithTask, "child.bpmn");
  Deploy(Caller("middle", CalledElement("child")), "middle.bpmn");
  Deploy(Caller("top", CalledElement("middle")), "top.bpmn");
  std::string id = Start("top", {{"n", 1}});
  ASSERT_EQ(Children(id).size(), 1u);
  std::string middle = Children(id)[0];
  ASSERT_EQ(Children(middle).size(), 1u);
  EXPECT_EQ(Instance(Children(middle)[0]).variables["n"], 1);
  CompleteOne("child_work", {{"m", 2}});
  EXPECT_EQ(Instance(middle).state, "completed");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["m"], 2);
}

TEST_P(CallActivity, AProcessCallingItselfStopsWithAnIncident) {
  Deploy(Caller("loop", CalledElement("loop")));
  std::string id = Start("loop");
  // The innermost call raises the incident; every level above waits.
  std::string inner = id;
  int depth = 0;
  while (!Children(inner).empty() && depth < 100) {
    inner = Children(inner)[0];
    ++depth;
  }
  EXPECT_EQ(depth, 32);
  auto incidents = Incidents(inner);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "called_element");
  ASSERT_TRUE(engine_->CancelInstance("t1", id).ok());
  EXPECT_EQ(Instance(inner).state, "terminated");
}

}  // namespace

AW_STORE_INSTANTIATE(CallActivity);

}  // namespace amtsweg::engine::testing
