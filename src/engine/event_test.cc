// Scenario tests of BPMN event semantics — event sub-processes, signals,
// escalations, link events, event-based gateways — each on SQLite and PostgreSQL.
#include <chrono>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class EventScenario : public EngineTest {
 protected:
  // History events named `event` with their data, in order.
  std::vector<Json> EventData(const std::string& instance_id, std::string_view event) {
    auto h = engine_->History("t1", instance_id);
    EXPECT_TRUE(h.ok()) << h.error().ToString();
    std::vector<Json> out;
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == event) out.push_back(e.data);
      }
    }
    return out;
  }
  SignalResult Broadcast(std::string_view name, const Json& vars = Json::object(), const std::string& tenant = "t1") {
    auto r = engine_->BroadcastSignal(tenant, name, vars);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : SignalResult{-1, -1};
  }
  int Publish(std::string_view name, std::string_view key, const Json& vars = Json::object()) {
    auto r = engine_->PublishMessage("t1", name, key, vars);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? r->correlated : -1;
  }
  // Every instance id of process `process_id` in tenant t1 (started by signals).
  std::vector<std::string> InstancesOf(const std::string& process_id) {
    auto rows = db_->Read([&](store::Tx& tx) {
      return tx.Query("SELECT instance_id FROM engine_instances WHERE tenant_id = 't1' AND process_id = $1 "
                      "ORDER BY instance_id", {process_id});
    });
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const auto& r : *rows) out.push_back(r.Text(0));
    }
    return out;
  }
  int64_t Count(const std::string& sql) {
    auto row = db_->Read([&](store::Tx& tx) { return tx.QueryOne(sql, {}); });
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? (*row)->Int(0) : -1;
  }
};

const std::string kRoots = R"(
  <bpmn:message id="msg_cancel" name="cancel-request"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="msg_note" name="note"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="msg_paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
  <bpmn:error id="err_invalid" errorCode="INVALID"/>
  <bpmn:escalation id="esc_late" escalationCode="LATE"/>
  <bpmn:escalation id="esc_other" escalationCode="OTHER"/>
  <bpmn:signal id="sig_go" name="go"/>
  <bpmn:signal id="sig_stop" name="stop"/>
  <bpmn:signal id="sig_ready" name="ready"/>
)";

std::string Timer(std::string_view kind, std::string_view value) {
  return fmt::format(R"(<bpmn:timerEventDefinition><bpmn:{0}>{1}</bpmn:{0}></bpmn:timerEventDefinition>)", kind, value);
}

// An event sub-process `id` whose start `start_id` has `definition`, then a service task of `job` type.
std::string EventSub(std::string_view id, std::string_view definition, bool interrupting, std::string_view job) {
  return fmt::format(R"(
    <bpmn:subProcess id="{0}" triggeredByEvent="true">
      <bpmn:startEvent id="{0}_start" isInterrupting="{1}">{2}</bpmn:startEvent>
      {3}
      <bpmn:endEvent id="{0}_end"/>
      {4}{5}
    </bpmn:subProcess>)",
                     id, interrupting ? "true" : "false", definition, ServiceTask(std::string(id) + "_task", job),
                     Flow(std::string(id) + "_f1", std::string(id) + "_start", std::string(id) + "_task"),
                     Flow(std::string(id) + "_f2", std::string(id) + "_task", std::string(id) + "_end"));
}

// --- Event sub-processes ---------------------------------------------------------

// The hard one: tokens parked in three parallel branches (user task, job,
// timer) when an interrupting event sub-process starts.
TEST_P(EventScenario, InterruptingEventSubProcessTerminatesEveryParallelBranch) {
  Deploy(Model("order", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="review"/>
    <bpmn:intermediateCatchEvent id="wait">)" + Timer("timeDuration", "PT1H") + R"(</bpmn:intermediateCatchEvent>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    )" + ServiceTask("ship", "ship") +
               EventSub("on_cancel", R"(<bpmn:messageEventDefinition messageRef="msg_cancel"/>)", true, "refund") +
               Flow("f1", "start", "fork") + Flow("f2", "fork", "review") + Flow("f3", "fork", "ship") +
               Flow("f4", "fork", "wait") + Flow("f5", "review", "join") + Flow("f6", "ship", "join") +
               Flow("f7", "wait", "join") + Flow("f8", "join", "end"),
           kRoots));
  std::string id = Start("order", {{"orderId", "O-1"}});
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"review", "ship", "wait"}));
  // One branch reaches the join first: its token waits there and must go too.
  CompleteOne("ship");
  EXPECT_EQ(Publish("cancel-request", "O-1", {{"reason", "customer"}}), 1);
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "active");
  EXPECT_EQ(info.active_elements, (std::vector<std::string>{"on_cancel", "on_cancel_task"}));
  EXPECT_EQ(info.variables["reason"], "customer");
  EXPECT_TRUE(Tasks(id).empty());
  auto terminated = Events(id, "element_terminated");
  EXPECT_TRUE(Has(terminated, "review"));
  EXPECT_TRUE(Has(terminated, "wait"));
  EXPECT_EQ(EventData(id, "event_subprocess_triggered").size(), 1u);
  // The timer of the terminated branch is gone; the start cannot fire again.
  clock_.Advance(hours(2));
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Publish("cancel-request", "O-1"), 0);
  // The process completes when the event sub-process completes.
  CompleteOne("refund");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_FALSE(Has(Events(id, "element_completed"), "end"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_subscriptions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_timers"), 0);
}

TEST_P(EventScenario, NonInterruptingMessageEventSubProcessFiresTwice) {
  Deploy(Model("notes", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="work"/>
    <bpmn:endEvent id="end"/>
    )" + EventSub("on_note", R"(<bpmn:messageEventDefinition messageRef="msg_note"/>)", false, "note") +
               Flow("f1", "start", "work") + Flow("f2", "work", "end"),
           kRoots));
  std::string id = Start("notes", {{"orderId", "N-1"}});
  EXPECT_EQ(Publish("note", "N-1", {{"n", 1}}), 1);
  EXPECT_EQ(Publish("note", "N-1", {{"n", 2}}), 1);
  auto notes = Activate("note");
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].element_key, notes[1].element_key) << "two event sub-process instances";
  auto triggered = EventData(id, "event_subprocess_triggered");
  ASSERT_EQ(triggered.size(), 2u);
  EXPECT_EQ(triggered[0]["interrupting"], false);
  ASSERT_EQ(Tasks(id).size(), 1u) << "the user task goes on";
  ASSERT_TRUE(engine_->CompleteUserTask("t1", Tasks(id)[0].task_id).ok());
  // Two event sub-process instances still run: the process waits for them.
  EXPECT_EQ(Instance(id).state, "active");
  ASSERT_TRUE(engine_->CompleteJob("t1", notes[0].job_id).ok());
  EXPECT_EQ(Instance(id).state, "active");
  ASSERT_TRUE(engine_->CompleteJob("t1", notes[1].job_id).ok());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Publish("note", "N-1"), 0) << "the subscription closed with the process";
}

TEST_P(EventScenario, TimerEventSubProcessInsideAnEmbeddedSubProcess) {
  Deploy(Model("nested", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="s_start"/>
      <bpmn:userTask id="answer"/>
      <bpmn:endEvent id="s_end"/>
      )" + Flow("s1", "s_start", "answer") + Flow("s2", "answer", "s_end") +
               EventSub("remind", Timer("timeDuration", "PT1H"), true, "escalate") + R"(
    </bpmn:subProcess>
    )" + ServiceTask("after", "after") + R"(<bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "sub") + Flow("f2", "sub", "after") + Flow("f3", "after", "end"),
           kRoots));
  // Answered in time: the timer goes with the sub-process.
  std::string quick = Start("nested");
  ASSERT_EQ(Tasks(quick).size(), 1u);
  ASSERT_TRUE(engine_->CompleteUserTask("t1", Tasks(quick)[0].task_id).ok());
  EXPECT_EQ(Instance(quick).active_elements, std::vector<std::string>{"after"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_timers"), 0);
  CompleteOne("after");
  // Not answered: the event sub-process interrupts, then the flow goes on after the sub-process.
  std::string slow = Start("nested");
  clock_.Advance(minutes(61));
  EXPECT_EQ(Fire(), 1);
  EXPECT_TRUE(Tasks(slow).empty());
  EXPECT_EQ(Instance(slow).active_elements, (std::vector<std::string>{"sub", "remind", "remind_task"}));
  CompleteOne("escalate");
  EXPECT_EQ(Instance(slow).active_elements, std::vector<std::string>{"after"});
  CompleteOne("after");
  EXPECT_EQ(Instance(slow).state, "completed");
}

TEST_P(EventScenario, NonInterruptingTimerCycleEventSubProcessOfTheProcess) {
  Deploy(Model("cycle", R"(
    <bpmn:startEvent id="start"/><bpmn:userTask id="work"/><bpmn:endEvent id="end"/>
    )" + EventSub("tick", Timer("timeCycle", "R2/PT10M"), false, "tick") + Flow("f1", "start", "work") +
               Flow("f2", "work", "end"),
           kRoots));
  std::string id = Start("cycle");
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(minutes(10));
    EXPECT_EQ(Fire(), i < 2 ? 1 : 0) << "tick " << i + 1;
  }
  EXPECT_EQ(EventData(id, "event_subprocess_triggered").size(), 2u);
  auto ticks = Activate("tick");
  ASSERT_EQ(ticks.size(), 2u);
  for (const auto& job : ticks) ASSERT_TRUE(engine_->CompleteJob("t1", job.job_id).ok());
  ASSERT_TRUE(engine_->CompleteUserTask("t1", Tasks(id)[0].task_id).ok());
  EXPECT_EQ(Instance(id).state, "completed");
}

// Errors are caught by the nearest catch up the scopes: the error event
// sub-process inside the sub-process before the boundary event on it.
TEST_P(EventScenario, ErrorEventSubProcessCatchesBeforeTheBoundaryOfTheEnclosingScope) {
  Deploy(Model("check", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="s_start"/>
      )" + ServiceTask("validate", "validate") + R"(
      <bpmn:endEvent id="s_end"/>
      )" + Flow("s1", "s_start", "validate") + Flow("s2", "validate", "s_end") +
               EventSub("on_invalid", R"(<bpmn:errorEventDefinition errorRef="err_invalid"/>)", true, "repair") + R"(
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="any_error" attachedToRef="sub"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
    <bpmn:endEvent id="end"/><bpmn:endEvent id="failed"/>
    )" + Flow("f1", "start", "sub") + Flow("f2", "sub", "end") + Flow("f3", "any_error", "failed"),
           kRoots));
  std::string a = Start("check");
  auto jobs = Activate("validate");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "INVALID", "", {{"why", "stamp"}}).ok());
  EXPECT_EQ(Instance(a).active_elements, (std::vector<std::string>{"sub", "on_invalid", "on_invalid_task"}));
  EXPECT_EQ(Instance(a).variables["why"], "stamp");
  CompleteOne("repair");
  EXPECT_EQ(Instance(a).state, "completed");
  EXPECT_TRUE(Has(Events(a, "element_completed"), "end"));
  // Another code: the event sub-process does not match, the boundary does.
  std::string b = Start("check");
  jobs = Activate("validate");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "OTHER").ok());
  EXPECT_EQ(Instance(b).state, "completed");
  EXPECT_TRUE(Has(Events(b, "element_completed"), "failed"));
  EXPECT_EQ(Events(b, "event_subprocess_triggered").size(), 0u);
}

TEST_P(EventScenario, ErrorEndEventIsCaughtByAnEventSubProcessOfTheProcess) {
  Deploy(Model("fail", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="wait"/>
    <bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err_invalid"/></bpmn:endEvent>
    <bpmn:endEvent id="end"/>
    )" + EventSub("on_error", R"(<bpmn:errorEventDefinition/>)", true, "cleanup") + Flow("f1", "start", "fork") +
               Flow("f2", "fork", "wait") + Flow("f3", "fork", "boom") + Flow("f4", "wait", "end"),
           kRoots));
  std::string id = Start("fail");
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"on_error", "on_error_task"}));
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_EQ(EventData(id, "error_caught").size(), 1u);
  CompleteOne("cleanup");
  EXPECT_EQ(Instance(id).state, "completed");
}

// --- Signals -------------------------------------------------------------------------

TEST_P(EventScenario, SignalReachesCatchesBoundariesEventSubProcessesAndStartEvents) {
  Deploy(Model("waiter", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait_go"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "wait_go") + Flow("f2", "wait_go", "end"), kRoots), "waiter.bpmn");
  Deploy(Model("worker", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="work"/>
    <bpmn:boundaryEvent id="on_go" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="on_stop" attachedToRef="work"><bpmn:signalEventDefinition signalRef="sig_stop"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="end"/><bpmn:endEvent id="noted"/><bpmn:endEvent id="stopped"/>
    )" + EventSub("esp_go", R"(<bpmn:signalEventDefinition signalRef="sig_go"/>)", false, "esp_go") +
               Flow("f1", "start", "work") + Flow("f2", "work", "end") + Flow("f3", "on_go", "noted") +
               Flow("f4", "on_stop", "stopped"),
           kRoots), "worker.bpmn");
  Deploy(Model("started", R"(
    <bpmn:startEvent id="none"/>
    <bpmn:startEvent id="by_go"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:startEvent>
    <bpmn:userTask id="task"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "none", "task") + Flow("f2", "by_go", "task") + Flow("f3", "task", "end"), kRoots), "started.bpmn");
  std::string waiter = Start("waiter");
  std::string worker = Start("worker");
  EXPECT_TRUE(InstancesOf("started").empty());
  SignalResult r = Broadcast("go", {{"level", 3}});
  EXPECT_EQ(r.triggered_catch_events, 3);  // catch, non-interrupting boundary, event sub-process start
  EXPECT_EQ(r.started_instances, 1);
  EXPECT_EQ(Instance(waiter).state, "completed");
  EXPECT_EQ(Instance(waiter).variables["level"], 3);
  InstanceInfo w = Instance(worker);
  EXPECT_EQ(w.active_elements, (std::vector<std::string>{"work", "esp_go", "esp_go_task"}));
  EXPECT_TRUE(Has(Events(worker, "element_completed"), "noted"));
  auto started = InstancesOf("started");
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(Instance(started[0]).variables["level"], 3);
  EXPECT_EQ(Instance(started[0]).active_elements, std::vector<std::string>{"task"});
  // Signals stay in their tenant.
  r = Broadcast("go", Json::object(), "t2");
  EXPECT_EQ(r.triggered_catch_events + r.started_instances, 0);
  // Interrupting boundary: the task is withdrawn.
  r = Broadcast("stop");
  EXPECT_EQ(r.triggered_catch_events, 1);
  EXPECT_EQ(r.started_instances, 0);
  EXPECT_TRUE(Tasks(worker).empty());
  EXPECT_EQ(Instance(worker).active_elements, (std::vector<std::string>{"esp_go", "esp_go_task"}));
  CompleteOne("esp_go");
  EXPECT_EQ(Instance(worker).state, "completed");
  EXPECT_EQ(engine_->BroadcastSignal("t1", "").error().code(), core::ErrorCode::kInvalidArgument);
}

TEST_P(EventScenario, SignalStartRegistrationsFollowTheLatestVersion) {
  auto model = [](std::string_view signal) {
    return Model("on_signal", fmt::format(R"(
      <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="{}"/></bpmn:startEvent>
      <bpmn:userTask id="task"/><bpmn:endEvent id="end"/>)", signal) +
                                   Flow("f1", "start", "task") + Flow("f2", "task", "end"),
                 kRoots);
  };
  Deploy(model("sig_go"));
  EXPECT_EQ(Broadcast("go").started_instances, 1);
  Deploy(model("sig_stop"));
  EXPECT_EQ(Broadcast("go").started_instances, 0);
  EXPECT_EQ(Broadcast("stop").started_instances, 1);
  auto ids = InstancesOf("on_signal");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(Instance(ids[0]).version, 1);
  EXPECT_EQ(Instance(ids[1]).version, 2);
}

TEST_P(EventScenario, SignalThrowAndEndEventBroadcastInTheThrowersCommand) {
  Deploy(Model("thrower", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("prepare", "prepare") + R"(
    <bpmn:intermediateThrowEvent id="say_ready"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=batch" target="batchId"/></zeebe:ioMapping></bpmn:extensionElements><bpmn:signalEventDefinition signalRef="sig_ready"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="wait_go"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:signalEventDefinition signalRef="sig_stop"/></bpmn:endEvent>
    )" + Flow("f1", "start", "prepare") + Flow("f2", "prepare", "say_ready") + Flow("f3", "say_ready", "wait_go") +
               Flow("f4", "wait_go", "end"),
           kRoots), "thrower.bpmn");
  Deploy(Model("listener", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait_ready"><bpmn:signalEventDefinition signalRef="sig_ready"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateThrowEvent id="say_go"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="wait_stop"><bpmn:signalEventDefinition signalRef="sig_stop"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "wait_ready") + Flow("f2", "wait_ready", "say_go") + Flow("f3", "say_go", "wait_stop") +
               Flow("f4", "wait_stop", "end"),
           kRoots), "listener.bpmn");
  std::string listener = Start("listener");
  std::string thrower = Start("thrower", {{"batch", "B-7"}});
  // One job completion: thrower says ready -> listener says go -> thrower ends with stop -> listener ends.
  CompleteOne("prepare");
  EXPECT_EQ(Instance(thrower).state, "completed");
  EXPECT_EQ(Instance(listener).state, "completed");
  EXPECT_EQ(Instance(listener).variables["batchId"], "B-7") << "the throw's local variables travel with the signal";
  EXPECT_EQ(Events(thrower, "signal_broadcast"), (std::vector<std::string>{"say_ready", "end"}));
  EXPECT_EQ(Events(listener, "signal_received"), (std::vector<std::string>{"wait_ready", "wait_stop"}));
}

TEST_P(EventScenario, ASignalStartEventThatThrowsItsOwnSignalStopsWithAnError) {
  Deploy(Model("echo", R"(
    <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:startEvent>
    <bpmn:endEvent id="end"><bpmn:signalEventDefinition signalRef="sig_go"/></bpmn:endEvent>
    )" + Flow("f1", "start", "end"), kRoots));
  auto r = engine_->BroadcastSignal("t1", "go");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kFailedPrecondition) << r.error().ToString();
  EXPECT_TRUE(InstancesOf("echo").empty()) << "the failed command left nothing behind";
}

// --- Escalations ---------------------------------------------------------------------

TEST_P(EventScenario, EscalationBoundariesOnASubProcessByCodeAndCatchAll) {
  Deploy(Model("esc", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="s_start"/>
      <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:intermediateThrowEvent>
      )" + ServiceTask("work", "work") + R"(
      <bpmn:endEvent id="s_end"><bpmn:escalationEventDefinition escalationRef="esc_other"/></bpmn:endEvent>
      )" + Flow("s1", "s_start", "late") + Flow("s2", "late", "work") + Flow("s3", "work", "s_end") + R"(
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="on_late" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="on_any" attachedToRef="sub"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>
    )" + ServiceTask("notify", "notify") + R"(
    <bpmn:endEvent id="end"/><bpmn:endEvent id="notified"/><bpmn:endEvent id="aborted"/>
    )" + Flow("f1", "start", "sub") + Flow("f2", "sub", "end") + Flow("f3", "on_late", "notify") +
               Flow("f4", "notify", "notified") + Flow("f5", "on_any", "aborted"),
           kRoots));
  std::string id = Start("esc");
  // LATE: the non-interrupting boundary by code; the thrower goes on.
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"sub", "notify", "work"}));
  EXPECT_EQ(Events(id, "escalation_caught"), std::vector<std::string>{"on_late"});
  CompleteOne("notify");
  // OTHER from the end event: only the interrupting catch-all matches.
  CompleteOne("work");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "aborted"));
  EXPECT_FALSE(Has(Events(id, "element_completed"), "end"));
  EXPECT_TRUE(Has(Events(id, "element_terminated"), "sub"));
}

TEST_P(EventScenario, UncaughtEscalationIsRecordedAndTheInstanceGoesOn) {
  Deploy(Model("loose", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:intermediateThrowEvent>
    <bpmn:userTask id="work"/><bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "late") + Flow("f2", "late", "work") + Flow("f3", "work", "end"),
           kRoots));
  std::string id = Start("loose");
  auto missed = EventData(id, "escalation_not_caught");
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0]["escalationCode"], "LATE");
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"work"});
  EXPECT_TRUE(Incidents(id).empty());
}

TEST_P(EventScenario, EscalationEventSubProcessesByCodeInterruptingAndNot) {
  Deploy(Model("esc_esp", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:intermediateThrowEvent>
    )" + ServiceTask("work", "work") + R"(
    <bpmn:endEvent id="end"><bpmn:escalationEventDefinition escalationRef="esc_other"/></bpmn:endEvent>
    )" + EventSub("on_late", R"(<bpmn:escalationEventDefinition escalationRef="esc_late"/>)", false, "remind") +
               EventSub("on_other", R"(<bpmn:escalationEventDefinition escalationRef="esc_other"/>)", true, "abort") +
               Flow("f1", "start", "late") + Flow("f2", "late", "work") + Flow("f3", "work", "end"),
           kRoots));
  std::string id = Start("esc_esp");
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"on_late", "work", "on_late_task"}));
  // The end event's escalation interrupts: the running non-interrupting one is terminated too.
  CompleteOne("work");
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"on_other", "on_other_task"}));
  EXPECT_TRUE(Has(Events(id, "element_terminated"), "on_late"));
  EXPECT_TRUE(Activate("remind").empty());
  CompleteOne("abort");
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(EventScenario, EscalationFromACalledProcessIsCaughtOnTheCallActivity) {
  Deploy(Model("child", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("child_work", "child_work") + R"(
    <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:intermediateThrowEvent>
    <bpmn:userTask id="child_wait"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "child_work") + Flow("f2", "child_work", "late") + Flow("f3", "late", "child_wait") +
               Flow("f4", "child_wait", "end"),
           kRoots), "child.bpmn");
  Deploy(Model("parent", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:boundaryEvent id="on_late" attachedToRef="call"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="end"/><bpmn:endEvent id="escalated"/>
    )" + Flow("f1", "start", "call") + Flow("f2", "call", "end") + Flow("f3", "on_late", "escalated"),
           kRoots), "parent.bpmn");
  std::string parent = Start("parent");
  auto h = engine_->History("t1", parent);
  ASSERT_TRUE(h.ok());
  std::string child;
  for (const auto& e : *h) {
    if (e.event == "child_instance_created") child = e.data["childInstanceId"].get<std::string>();
  }
  ASSERT_FALSE(child.empty());
  CompleteOne("child_work");
  EXPECT_EQ(Instance(parent).state, "completed");
  EXPECT_TRUE(Has(Events(parent, "element_completed"), "escalated"));
  EXPECT_EQ(Instance(child).state, "terminated") << "the interrupting boundary cancelled the child";
  EXPECT_EQ(Events(child, "escalation_propagated"), std::vector<std::string>{"late"});
  EXPECT_TRUE(Tasks(child).empty());
}

TEST_P(EventScenario, NonInterruptingEscalationFromAChildThatStartsOnTheSameCommand) {
  // The child throws while the call activity starts it, so the escalation
  // comes back with the child's first run rather than through a later command.
  Deploy(Model("child", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:intermediateThrowEvent>
    <bpmn:userTask id="child_wait"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "late") + Flow("f2", "late", "child_wait") + Flow("f3", "child_wait", "end"),
           kRoots), "child.bpmn");
  Deploy(Model("parent", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:boundaryEvent id="on_late" attachedToRef="call" cancelActivity="false"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>
    )" + ServiceTask("notify", "notify") + R"(
    <bpmn:endEvent id="end"/><bpmn:endEvent id="notified"/>
    )" + Flow("f1", "start", "call") + Flow("f2", "call", "end") + Flow("f3", "on_late", "notify") +
               Flow("f4", "notify", "notified"),
           kRoots), "parent.bpmn");
  std::string parent = Start("parent");
  EXPECT_EQ(Instance(parent).active_elements, (std::vector<std::string>{"call", "notify"}));
  EXPECT_EQ(Events(parent, "escalation_caught"), std::vector<std::string>{"on_late"});
  CompleteOne("notify");
  auto tasks = engine_->ListUserTasks("t1");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u) << "the child goes on";
  ASSERT_TRUE(engine_->CompleteUserTask("t1", (*tasks)[0].task_id).ok());
  EXPECT_EQ(Instance(parent).state, "completed");
  EXPECT_TRUE(Has(Events(parent, "element_completed"), "end"));
}

TEST_P(EventScenario, SignalEventSubProcessInsideASubProcessKeepsItsBoundary) {
  Deploy(Model("inner_signal", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="s_start"/>
      <bpmn:userTask id="work"/>
      <bpmn:endEvent id="s_end"/>
      )" + Flow("s1", "s_start", "work") + Flow("s2", "work", "s_end") +
               EventSub("on_stop", R"(<bpmn:signalEventDefinition signalRef="sig_stop"/>)", true, "wrap_up") + R"(
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="deadline" attachedToRef="sub">)" + Timer("timeDuration", "PT1H") + R"(</bpmn:boundaryEvent>
    <bpmn:endEvent id="end"/><bpmn:endEvent id="too_late"/>
    )" + Flow("f1", "start", "sub") + Flow("f2", "sub", "end") + Flow("f3", "deadline", "too_late"),
           kRoots));
  std::string id = Start("inner_signal");
  EXPECT_EQ(Broadcast("stop").triggered_catch_events, 1);
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"sub", "on_stop", "on_stop_task"}));
  EXPECT_EQ(Broadcast("stop").triggered_catch_events, 0) << "the interrupting start closed";
  // The boundary timer of the sub-process still runs and ends it.
  clock_.Advance(minutes(61));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "too_late"));
  EXPECT_TRUE(Activate("wrap_up").empty());
}

// --- Links and event-based gateways --------------------------------------------------

TEST_P(EventScenario, LinkThrowContinuesAtTheCatchOfTheSameName) {
  Deploy(Model("links", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="goto_b"><bpmn:linkEventDefinition name="B"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="from_a"><bpmn:linkEventDefinition name="A"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="from_b"><bpmn:linkEventDefinition name="B"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end_a"/>
    )" + ServiceTask("work", "work") + Flow("f1", "start", "goto_b") + Flow("f2", "from_a", "end_a") +
               Flow("f3", "from_b", "work") + Flow("f4", "work", "end_a")));
  std::string id = Start("links");
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"work"});
  EXPECT_EQ(Events(id, "element_completed"), (std::vector<std::string>{"start", "goto_b", "from_b"}));
  CompleteOne("work");
  EXPECT_EQ(Instance(id).state, "completed");
  // A throw without a catch of its name is refused, naming the throw.
  auto d = engine_->Deploy("t1", {{"bad.bpmn", Model("bad_link", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="goto_x"><bpmn:linkEventDefinition name="X"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="from_y"><bpmn:linkEventDefinition name="Y"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "goto_x") + Flow("f2", "from_y", "end"))}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_FALSE(d.error().details().empty());
  EXPECT_EQ(d.error().details()[0].pointer, "goto_x") << d.error().ToString();
}

const std::string kGateway = Model("race", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:eventBasedGateway id="gw"/>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="timeout">)" + Timer("timeDuration", "P7D") + R"(</bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="stopped"><bpmn:signalEventDefinition signalRef="sig_stop"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end_paid"/><bpmn:endEvent id="end_timeout"/><bpmn:endEvent id="end_stopped"/>
    )" + Flow("f1", "start", "gw") + Flow("f2", "gw", "paid") + Flow("f3", "gw", "timeout") + Flow("f4", "gw", "stopped") +
                                       Flow("f5", "paid", "end_paid") + Flow("f6", "timeout", "end_timeout") +
                                       Flow("f7", "stopped", "end_stopped"),
                                   kRoots);

TEST_P(EventScenario, EventBasedGatewayMessageWins) {
  Deploy(kGateway);
  std::string id = Start("race", {{"orderId", "P-1"}});
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"gw"});
  EXPECT_EQ(Publish("paid", "P-1", {{"amount", 5}}), 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["amount"], 5);
  EXPECT_TRUE(Has(Events(id, "element_completed"), "end_paid"));
  // The timer and the signal subscription went in the same command.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_timers"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_subscriptions"), 0);
  clock_.Advance(hours(24 * 8));
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Broadcast("stop").triggered_catch_events, 0);
}

TEST_P(EventScenario, EventBasedGatewayTimerWinsAndSignalWins) {
  Deploy(kGateway);
  std::string a = Start("race", {{"orderId", "P-2"}});
  clock_.Advance(hours(24 * 7));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(a).state, "completed");
  EXPECT_TRUE(Has(Events(a, "element_completed"), "end_timeout"));
  EXPECT_EQ(Publish("paid", "P-2"), 0);
  std::string b = Start("race", {{"orderId", "P-3"}});
  EXPECT_EQ(Broadcast("stop").triggered_catch_events, 1);
  EXPECT_EQ(Instance(b).state, "completed");
  EXPECT_TRUE(Has(Events(b, "element_completed"), "end_stopped"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_timers"), 0);
  EXPECT_EQ(Publish("paid", "P-3"), 0);
}

TEST_P(EventScenario, EventBasedGatewayWithAReceiveTaskTakesABufferedMessageAtOnce) {
  Deploy(Model("race2", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:eventBasedGateway id="gw"/>
    <bpmn:intermediateCatchEvent id="timeout">)" + Timer("timeDuration", "P1D") + R"(</bpmn:intermediateCatchEvent>
    <bpmn:receiveTask id="receive" messageRef="msg_paid"/>
    <bpmn:endEvent id="end_timeout"/><bpmn:endEvent id="end_paid"/>
    )" + Flow("f1", "start", "gw") + Flow("f2", "gw", "timeout") + Flow("f3", "gw", "receive") +
               Flow("f4", "timeout", "end_timeout") + Flow("f5", "receive", "end_paid"),
           kRoots));
  auto r = engine_->PublishMessage("t1", "paid", "Q-1", {{"amount", 7}}, minutes(5));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->buffered);
  std::string id = Start("race2", {{"orderId", "Q-1"}});
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["amount"], 7);
  EXPECT_TRUE(Has(Events(id, "element_completed"), "end_paid"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM engine_timers"), 0) << "the gateway's timer went in the same command";
  std::string waiting = Start("race2", {{"orderId", "Q-2"}});
  EXPECT_EQ(Instance(waiting).active_elements, std::vector<std::string>{"gw"});
  EXPECT_EQ(Publish("paid", "Q-2"), 1);
  EXPECT_EQ(Instance(waiting).state, "completed");
}

}  // namespace

AW_STORE_INSTANTIATE(EventScenario);

}  // namespace amtsweg::engine::testing
