// Scenario tests of the engine, each on SQLite and PostgreSQL.
#include <chrono>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class EngineScenario : public EngineTest {};

const std::string kOneTask = Model("one_task", R"(
  <bpmn:startEvent id="start"/>
  )" + ServiceTask("work", "work") + R"(
  <bpmn:endEvent id="end"/>
  )" + Flow("f1", "start", "work") + Flow("f2", "work", "end"));

TEST_P(EngineScenario, DeploymentVersionsAndReusesAnUnchangedFile) {
  auto first = engine_->Deploy("t1", {{"a.bpmn", kOneTask}});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->definitions.size(), 1u);
  EXPECT_EQ(first->definitions[0].version, 1);
  auto same = engine_->Deploy("t1", {{"a.bpmn", kOneTask}});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->definitions[0].version, 1);
  EXPECT_FALSE(same->definitions[0].is_new);
  std::string changed = kOneTask;
  changed.replace(changed.find("id=\"end\""), 8, "id=\"done\"");
  changed.replace(changed.find("targetRef=\"end\""), 15, "targetRef=\"done\"");
  auto second = engine_->Deploy("t1", {{"a.bpmn", changed}});
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->definitions[0].version, 2);
  // Another tenant starts its own numbering.
  auto other = engine_->Deploy("t2", {{"a.bpmn", changed}});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->definitions[0].version, 1);
  // Start latest and a given version.
  auto latest = engine_->StartInstance("t1", "one_task");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(Instance(*latest).version, 2);
  auto v1 = engine_->StartInstance("t1", "one_task", Json::object(), 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(Instance(*v1).version, 1);
  EXPECT_EQ(engine_->StartInstance("t1", "one_task", Json::object(), 7).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(engine_->StartInstance("t3", "one_task").error().code(), core::ErrorCode::kNotFound);
}

// The latest version is kept in memory on SQLite (Engine::FindProcess): a new
// deployment and a rolled-back one must both show at the next start.
TEST_P(EngineScenario, StartTakesTheLatestVersionAfterEachDeploymentAndNotARolledBackOne) {
  auto version_of = [&](const std::string& xml) {
    auto d = engine_->Deploy("t1", {{"a.bpmn", xml}});
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return d.ok() ? d->definitions[0].version : 0;
  };
  auto renamed_end = [&](const std::string& name) {
    std::string x = kOneTask;
    x.replace(x.find("id=\"end\""), 8, "id=\"" + name + "\"");
    x.replace(x.find("targetRef=\"end\""), 15, "targetRef=\"" + name + "\"");
    return x;
  };
  ASSERT_EQ(version_of(kOneTask), 1);
  EXPECT_EQ(Instance(Start("one_task")).version, 1);
  EXPECT_EQ(Instance(Start("one_task")).version, 1);
  ASSERT_EQ(version_of(renamed_end("done")), 2);
  EXPECT_EQ(Instance(Start("one_task")).version, 2);
  // Version 3 is deployed and started in one command that then fails: both are rolled back.
  std::string started_inside;
  core::Status failed = db_->writer().Run([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(Deployment d, engine_->DeployInTx(tx, "t1", {{"a.bpmn", renamed_end("finished")}}));
    EXPECT_EQ(d.definitions[0].version, 3);
    AW_ASSIGN_OR_RETURN(started_inside, engine_->StartInstanceInTx(tx, "t1", "one_task", Json::object()));
    return core::Internal("fails on purpose");
  });
  ASSERT_FALSE(failed.ok());
  ASSERT_FALSE(started_inside.empty());
  EXPECT_EQ(engine_->GetInstance("t1", started_inside).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Instance(Start("one_task")).version, 2);
  // Another engine on the same database deploys: this one sees it too.
  Engine other(*db_, EngineOptions{&clock_});
  auto d4 = other.Deploy("t1", {{"a.bpmn", renamed_end("over")}});
  ASSERT_TRUE(d4.ok()) << d4.error().ToString();
  EXPECT_EQ(d4->definitions[0].version, 3);
  EXPECT_EQ(Instance(Start("one_task")).version, 3);
}

TEST_P(EngineScenario, DeploymentStoresDmnAndFormsWithVersions) {
  const std::string dmn = R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="http://amtsweg.de/dmn">
  <decision id="fee" name="fee"><literalExpression><text>42</text></literalExpression></decision>
</definitions>)";
  auto d = engine_->Deploy("t1", {{"p.bpmn", kOneTask}, {"fee.dmn", dmn}, {"f.form", R"({"id":"antrag","components":[]})"}});
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ(d->definitions.size(), 3u);
  EXPECT_EQ(d->definitions[1].kind, "decision");
  EXPECT_EQ(d->definitions[1].id, "fee");
  EXPECT_EQ(d->definitions[2].kind, "form");
  EXPECT_EQ(d->definitions[2].id, "antrag");
  auto bad = engine_->Deploy("t1", {{"f.form", R"({"components":[]})"}});
  EXPECT_EQ(bad.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(engine_->Deploy("t1", {{"x.txt", "hello"}}).error().code(), core::ErrorCode::kInvalidArgument);
}

TEST_P(EngineScenario, RefusesElementsItDoesNotExecuteNamingThem) {
  auto d = engine_->Deploy("t1", {{"c.bpmn", Model("calls", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:complexGateway id="call_it"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="wait2"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
    )" + Flow("f1", "start", "call_it") + Flow("f2", "call_it", "wait") + Flow("f3", "wait", "end") +
                                                   Flow("f4", "call_it", "wait2") + Flow("f5", "wait2", "end2"))}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), core::ErrorCode::kUnimplemented) << d.error().ToString();
  ASSERT_FALSE(d.error().details().empty());
  EXPECT_EQ(d.error().details()[0].pointer, "call_it");
  EXPECT_NE(d.error().message().find("call_it"), std::string::npos);
  // Nothing of a refused deployment is stored.
  EXPECT_EQ(engine_->StartInstance("t1", "calls").error().code(), core::ErrorCode::kNotFound);
}

TEST_P(EngineScenario, RefusesFeelSyntaxErrorsAtDeployment) {
  auto d = engine_->Deploy("t1", {{"x.bpmn", Model("bad", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="gw" default="f3"/>
    <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
    )" + Flow("f1", "start", "gw") + Flow("f2", "gw", "a", "=x &gt;&gt; (") + Flow("f3", "gw", "b"))}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.error().details()[0].pointer, "f2");
}

TEST_P(EngineScenario, NoneStartToEndCompletesInOneCommandWithHistory) {
  Deploy(Model("straight", R"(
    <bpmn:startEvent id="start"/><bpmn:task id="t"/><bpmn:manualTask id="m"/><bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "t") + Flow("f2", "t", "m") + Flow("f3", "m", "end")));
  std::string id = Start("straight", {{"a", 1}});
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables, (Json{{"a", 1}}));
  EXPECT_TRUE(info.active_elements.empty());
  EXPECT_EQ(Events(id, "element_completed"), (std::vector<std::string>{"start", "t", "m", "end"}));
  auto h = engine_->History("t1", id);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->front().event, "instance_started");
  EXPECT_EQ(h->back().event, "instance_completed");
  for (size_t i = 1; i < h->size(); ++i) EXPECT_EQ((*h)[i].seq, (*h)[i - 1].seq + 1);
  EXPECT_EQ(h->front().at, T0());
}

TEST_P(EngineScenario, ServiceTaskJobCarriesVariablesAndHeadersAndPropagatesResults) {
  Deploy(Model("svc", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("work", "calc", R"(<zeebe:taskHeaders><zeebe:header key="mode" value="fast"/></zeebe:taskHeaders>)") + R"(
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "work") + Flow("f2", "work", "end")));
  std::string id = Start("svc", {{"amount", 10}});
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"work"});
  auto jobs = Activate("calc");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].variables, (Json{{"amount", 10}}));
  EXPECT_EQ(jobs[0].headers, (Json{{"mode", "fast"}}));
  EXPECT_EQ(jobs[0].retries, 3);
  EXPECT_EQ(jobs[0].element_id, "work");
  EXPECT_TRUE(Activate("calc").empty()) << "an activated job is locked";
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"result", 20}}).ok());
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables, (Json{{"amount", 10}, {"result", 20}}));
  EXPECT_EQ(engine_->CompleteJob("t1", jobs[0].job_id).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Events(id, "job_completed"), std::vector<std::string>{"work"});
}

TEST_P(EngineScenario, JobLockRunsOutAndTheJobCanBeActivatedAgain) {
  Deploy(kOneTask);
  Start("one_task");
  auto first = Activate("work", 10, seconds(30));
  ASSERT_EQ(first.size(), 1u);
  clock_.Advance(seconds(29));
  EXPECT_TRUE(Activate("work").empty());
  clock_.Advance(seconds(2));
  auto second = Activate("work");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].job_id, first[0].job_id);
}

TEST_P(EngineScenario, FailedJobRetriesAfterBackoffThenRaisesAnIncidentThatCanBeResolved) {
  Deploy(kOneTask);
  std::string id = Start("one_task");
  auto jobs = Activate("work");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->FailJob("t1", jobs[0].job_id, 1, "mail server down", seconds(10)).ok());
  EXPECT_TRUE(Activate("work").empty()) << "back-off not over";
  clock_.Advance(seconds(10));
  jobs = Activate("work");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].retries, 1);
  ASSERT_TRUE(engine_->FailJob("t1", jobs[0].job_id, 0, "still down").ok());
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "job_no_retries");
  EXPECT_EQ(incidents[0].message, "still down");
  EXPECT_EQ(incidents[0].element_id, "work");
  clock_.Advance(minutes(10));
  EXPECT_TRUE(Activate("work").empty()) << "a job without retries is not activatable";
  EXPECT_EQ(engine_->ResolveIncident("t1", incidents[0].incident_id).error().code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(engine_->UpdateJobRetries("t1", jobs[0].job_id, 2).ok());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  EXPECT_TRUE(Incidents(id).empty());
  CompleteOne("work");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Events(id, "incident_raised"), std::vector<std::string>{"work"});
  EXPECT_EQ(Events(id, "incident_resolved"), std::vector<std::string>{"work"});
}

TEST_P(EngineScenario, InProcessWorkersCompleteFailAndThrow) {
  Deploy(kOneTask);
  std::string a = Start("one_task", {{"n", 1}});
  std::string b = Start("one_task", {{"n", 2}});
  engine_->RegisterWorker("work", [](const ActivatedJob& job) {
    JobResult r;
    if (job.variables.value("n", 0) == 2) {
      r.kind = JobResult::Kind::kFail;
      r.message = "n is 2";
    } else {
      r.variables = {{"done", true}};
    }
    return r;
  });
  auto n = engine_->RunWorkers("t1", 10);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Instance(a).state, "completed");
  EXPECT_EQ(Instance(a).variables["done"], true);
  EXPECT_EQ(Instance(b).state, "active");
}

TEST_P(EngineScenario, UserTaskAssignmentClaimAndCompletion) {
  Deploy(Model("approve", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check" name="Antrag prüfen">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="bauamt, ordnungsamt"/>
        <zeebe:taskSchedule dueDate="=due" followUpDate="2026-01-06T08:00:00Z"/>
        <zeebe:formDefinition formKey="antrag-form"/>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "check") + Flow("f2", "check", "end")));
  std::string id = Start("approve", {{"due", "2026-01-10T12:00:00Z"}});
  auto tasks = Tasks(id);
  ASSERT_EQ(tasks.size(), 1u);
  const UserTask& t = tasks[0];
  EXPECT_EQ(t.name, "Antrag prüfen");
  EXPECT_FALSE(t.assignee.has_value());
  EXPECT_EQ(t.candidate_groups, (std::vector<std::string>{"bauamt", "ordnungsamt"}));
  ASSERT_TRUE(t.due.has_value());
  EXPECT_EQ(*t.due, *core::ParseIso8601("2026-01-10T12:00:00Z"));
  EXPECT_EQ(*t.follow_up, *core::ParseIso8601("2026-01-06T08:00:00Z"));
  EXPECT_EQ(t.form_key, "antrag-form");
  ASSERT_TRUE(engine_->ClaimUserTask("t1", t.task_id, "anna").ok());
  EXPECT_EQ(engine_->ClaimUserTask("t1", t.task_id, "bert").error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*Tasks(id)[0].assignee, "anna");
  ASSERT_TRUE(engine_->CompleteUserTask("t1", t.task_id, {{"approved", true}}).ok());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["approved"], true);
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_EQ(Events(id, "user_task_assigned"), std::vector<std::string>{"check"});
  EXPECT_EQ(Events(id, "user_task_completed"), std::vector<std::string>{"check"});
}

TEST_P(EngineScenario, UserTaskAssigneeFromFeel) {
  Deploy(Model("assigned", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=clerk"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "check") + Flow("f2", "check", "end")));
  std::string id = Start("assigned", {{"clerk", "carla"}});
  auto tasks = Tasks(id);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].assignee.value_or(""), "carla");
}

TEST_P(EngineScenario, ScriptTaskEvaluatesFeelIntoItsResultVariable) {
  Deploy(Model("script", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:scriptTask id="calc"><bpmn:extensionElements><zeebe:script expression="=amount * 2 + 1" resultVariable="total"/></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "calc") + Flow("f2", "calc", "end")));
  std::string id = Start("script", {{"amount", 20}});
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["total"], 41);
}

const std::string kExclusive = Model("xor", R"(
  <bpmn:startEvent id="start"/>
  <bpmn:exclusiveGateway id="gw" default="f_default"/>
  <bpmn:endEvent id="big"/><bpmn:endEvent id="small"/><bpmn:endEvent id="other"/>
  )" + Flow("f1", "start", "gw") + Flow("f_big", "gw", "big", "=amount &gt; 100") +
                                     Flow("f_small", "gw", "small", "=amount &lt;= 100 and amount &gt; 0") +
                                     Flow("f_default", "gw", "other"));

TEST_P(EngineScenario, ExclusiveGatewayTakesTheFirstTrueConditionElseTheDefault) {
  Deploy(kExclusive);
  EXPECT_TRUE(Has(Events(Start("xor", {{"amount", 500}}), "element_completed"), "big"));
  EXPECT_TRUE(Has(Events(Start("xor", {{"amount", 5}}), "element_completed"), "small"));
  std::string d = Start("xor", {{"amount", -1}});
  EXPECT_TRUE(Has(Events(d, "element_completed"), "other"));
  EXPECT_FALSE(Has(Events(d, "element_completed"), "big"));
}

TEST_P(EngineScenario, ConditionErrorRaisesAnIncidentResolvedAfterFixingTheVariable) {
  Deploy(Model("xor2", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="gw"/>
    <bpmn:endEvent id="big"/><bpmn:endEvent id="small"/>
    )" + Flow("f1", "start", "gw") + Flow("f_big", "gw", "big", "=amount &gt; 100") +
             Flow("f_small", "gw", "small", "=amount &lt;= 100")));
  std::string id = Start("xor2");
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "expression");
  EXPECT_EQ(incidents[0].element_id, "gw");
  EXPECT_EQ(Instance(id).state, "active");
  // Resolving without a fix raises a new incident.
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  ASSERT_TRUE(engine_->SetVariables("t1", id, {{"amount", 7}}).ok());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  EXPECT_TRUE(Incidents(id).empty());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "small"));
}

TEST_P(EngineScenario, ParallelGatewayForksAndJoinsAllBranches) {
  Deploy(Model("and", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    )" + ServiceTask("a", "a") + ServiceTask("b", "b") + R"(
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "fork") + Flow("f2", "fork", "a") + Flow("f3", "fork", "b") +
             Flow("f4", "a", "join") + Flow("f5", "b", "join") + Flow("f6", "join", "end")));
  std::string id = Start("and");
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"a", "b"}));
  CompleteOne("a", {{"x", 1}});
  EXPECT_EQ(Instance(id).state, "active");
  EXPECT_TRUE(Events(id, "element_completed").size() < 6 && !Has(Events(id, "element_completed"), "join"));
  CompleteOne("b", {{"y", 2}});
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables, (Json{{"x", 1}, {"y", 2}}));
  auto completed = Events(id, "element_completed");
  EXPECT_EQ(completed.back(), "end");
  EXPECT_EQ(std::count(completed.begin(), completed.end(), "join"), 1);
}

const std::string kInclusive = Model("or", R"(
  <bpmn:startEvent id="start"/>
  <bpmn:inclusiveGateway id="fork" default="f_c"/>
  )" + ServiceTask("a", "a") + ServiceTask("b", "b") + ServiceTask("c", "c") + R"(
  <bpmn:inclusiveGateway id="join"/>
  <bpmn:endEvent id="end"/>
  )" + Flow("f1", "start", "fork") + Flow("f_a", "fork", "a", "=wantA") + Flow("f_b", "fork", "b", "=wantB") +
                                    Flow("f_c", "fork", "c") + Flow("ja", "a", "join") + Flow("jb", "b", "join") +
                                    Flow("jc", "c", "join") + Flow("f_end", "join", "end"));

TEST_P(EngineScenario, InclusiveGatewayForksTrueBranchesAndJoinsOnlyThose) {
  Deploy(kInclusive);
  std::string id = Start("or", {{"wantA", true}, {"wantB", true}});
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"a", "b"}));
  CompleteOne("a");
  EXPECT_EQ(Instance(id).state, "active") << "b can still reach the join";
  CompleteOne("b");
  EXPECT_EQ(Instance(id).state, "completed");
  // Only the default flow.
  std::string d = Start("or", {{"wantA", false}, {"wantB", false}});
  EXPECT_EQ(Instance(d).active_elements, std::vector<std::string>{"c"});
  CompleteOne("c");
  EXPECT_EQ(Instance(d).state, "completed");
}

// The hard one: a boundary event cancels one branch of an inclusive fork and
// leads around the join; the join must then fire with the remaining token.
TEST_P(EngineScenario, InclusiveJoinFiresAfterABoundaryEventCancelledAToken) {
  Deploy(Model("or_boundary", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:inclusiveGateway id="fork"/>
    )" + ServiceTask("a", "a") + ServiceTask("b", "b") + R"(
    <bpmn:boundaryEvent id="b_timeout" attachedToRef="b"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:inclusiveGateway id="join"/>
    <bpmn:endEvent id="end"/>
    <bpmn:endEvent id="escalated"/>
    )" + Flow("f1", "start", "fork") + Flow("f_a", "fork", "a", "=true") + Flow("f_b", "fork", "b", "=true") +
             Flow("ja", "a", "join") + Flow("jb", "b", "join") + Flow("f_end", "join", "end") +
             Flow("f_esc", "b_timeout", "escalated")));
  std::string id = Start("or_boundary");
  CompleteOne("a");
  EXPECT_EQ(Instance(id).state, "active");
  EXPECT_FALSE(Has(Events(id, "element_completed"), "join")) << "b may still arrive";
  clock_.Advance(minutes(61));
  EXPECT_EQ(Fire(), 1);
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  auto completed = Events(id, "element_completed");
  EXPECT_TRUE(Has(completed, "join"));
  EXPECT_TRUE(Has(completed, "end"));
  EXPECT_TRUE(Has(completed, "escalated"));
  EXPECT_EQ(Events(id, "element_terminated"), std::vector<std::string>{"b"});
  EXPECT_TRUE(Activate("b").empty()) << "the cancelled task's job is gone";
}

TEST_P(EngineScenario, InputAndOutputMappingsScopeVariables) {
  Deploy(Model("io", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("work", "io", R"(<zeebe:ioMapping><zeebe:input source="=order.total" target="sum"/><zeebe:output source="=price * 2" target="doubled"/></zeebe:ioMapping>)") + R"(
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "work") + Flow("f2", "work", "end")));
  std::string id = Start("io", {{"order", {{"total", 12}}}});
  auto jobs = Activate("io");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].variables["sum"], 12);
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"price", 4}}).ok());
  Json vars = Instance(id).variables;
  EXPECT_EQ(vars["doubled"], 8);
  EXPECT_FALSE(vars.contains("price")) << "with output mappings job variables stay local";
  EXPECT_FALSE(vars.contains("sum")) << "input mappings are local to the task";
}

TEST_P(EngineScenario, InputMappingErrorRaisesAnIncident) {
  Deploy(Model("io_bad", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("work", "io", R"(<zeebe:ioMapping><zeebe:input source="=missing.field" target="x"/></zeebe:ioMapping>)") + R"(
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "work") + Flow("f2", "work", "end")));
  std::string id = Start("io_bad");
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].element_id, "work");
  EXPECT_TRUE(Activate("io").empty());
  ASSERT_TRUE(engine_->SetVariables("t1", id, {{"missing", {{"field", 3}}}}).ok());
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  auto jobs = Activate("io");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].variables["x"], 3);
}

TEST_P(EngineScenario, TimerCatchFiresOnceWhenDue) {
  Deploy(Model("timer_wait", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT15M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "wait") + Flow("f2", "wait", "end")));
  std::string id = Start("timer_wait");
  clock_.Advance(minutes(14));
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Instance(id).state, "active");
  clock_.Advance(minutes(1));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Events(id, "timer_fired"), std::vector<std::string>{"wait"});
}

TEST_P(EngineScenario, TimerDateFromFeel) {
  Deploy(Model("date", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>=deadline</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "wait") + Flow("f2", "wait", "end")));
  std::string id = Start("date", {{"deadline", "2026-01-07T00:00:00Z"}});
  clock_.Set(*core::ParseIso8601("2026-01-06T23:59:59Z"));
  EXPECT_EQ(Fire(), 0);
  clock_.Set(*core::ParseIso8601("2026-01-07T00:00:00Z"));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(EngineScenario, InterruptingTimerBoundaryCancelsTheUserTask) {
  Deploy(Model("deadline", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review"/>
    <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:endEvent id="done"/><bpmn:endEvent id="expired"/>
    )" + Flow("f1", "start", "review") + Flow("f2", "review", "done") + Flow("f3", "late", "expired")));
  std::string id = Start("deadline");
  ASSERT_EQ(Tasks(id).size(), 1u);
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_TRUE(Has(Events(id, "element_completed"), "expired"));
  EXPECT_EQ(Events(id, "element_terminated"), std::vector<std::string>{"review"});
}

TEST_P(EngineScenario, NonInterruptingTimerCycleFiresRepeatedlyWhileTheTaskWaits) {
  Deploy(Model("reminder", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review"/>
    <bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    )" + ServiceTask("mail", "mail") + R"(
    <bpmn:endEvent id="done"/><bpmn:endEvent id="mailed"/>
    )" + Flow("f1", "start", "review") + Flow("f2", "review", "done") + Flow("f3", "remind", "mail") +
             Flow("f4", "mail", "mailed")));
  std::string id = Start("reminder");
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(std::chrono::hours(1));
    EXPECT_EQ(Fire(), i < 2 ? 1 : 0) << "hour " << i + 1;
  }
  EXPECT_EQ(Activate("mail").size(), 2u);
  ASSERT_EQ(Tasks(id).size(), 1u) << "the task stays";
  ASSERT_TRUE(engine_->CompleteUserTask("t1", Tasks(id)[0].task_id).ok());
  EXPECT_EQ(Instance(id).state, "active") << "the reminder mails are still running";
}

const std::string kMessageRoots = R"(
  <bpmn:message id="msg_paid" name="payment-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>)";

TEST_P(EngineScenario, MessageCatchCorrelatesByNameAndKey) {
  Deploy(Model("pay", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "paid") + Flow("f2", "paid", "end"), kMessageRoots));
  std::string a = Start("pay", {{"orderId", "A-1"}});
  std::string b = Start("pay", {{"orderId", "B-2"}});
  auto r = engine_->PublishMessage("t1", "payment-received", "B-2", {{"amount", 99}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->correlated, 1);
  EXPECT_FALSE(r->buffered);
  EXPECT_EQ(Instance(a).state, "active");
  EXPECT_EQ(Instance(b).state, "completed");
  EXPECT_EQ(Instance(b).variables["amount"], 99);
  // Another tenant's message with the same name and key reaches nothing here.
  auto other = engine_->PublishMessage("t2", "payment-received", "A-1");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->correlated, 0);
  EXPECT_EQ(Instance(a).state, "active");
}

// The hard one: the message arrives before the receive task is reached.
TEST_P(EngineScenario, MessagePublishedEarlyIsBufferedUntilTheReceiveTaskIsReached) {
  Deploy(Model("early", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("prepare", "prepare") + R"(
    <bpmn:receiveTask id="wait_payment" messageRef="msg_paid"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "prepare") + Flow("f2", "prepare", "wait_payment") + Flow("f3", "wait_payment", "end"),
             kMessageRoots));
  std::string id = Start("early", {{"orderId", "X-9"}});
  auto r = engine_->PublishMessage("t1", "payment-received", "X-9", {{"paid", true}}, minutes(10));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->correlated, 0);
  EXPECT_TRUE(r->buffered);
  CompleteOne("prepare");
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables["paid"], true);
  // The buffered message was consumed: a second instance waits.
  std::string second = Start("early", {{"orderId", "X-9"}});
  CompleteOne("prepare");
  EXPECT_EQ(Instance(second).state, "active");
}

TEST_P(EngineScenario, BufferedMessageExpiresAfterItsTtl) {
  Deploy(Model("late", R"(
    <bpmn:startEvent id="start"/>
    )" + ServiceTask("prepare", "prepare") + R"(
    <bpmn:receiveTask id="wait_payment" messageRef="msg_paid"/>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "prepare") + Flow("f2", "prepare", "wait_payment") + Flow("f3", "wait_payment", "end"),
             kMessageRoots));
  std::string id = Start("late", {{"orderId", "Y"}});
  ASSERT_TRUE(engine_->PublishMessage("t1", "payment-received", "Y", Json::object(), seconds(30)).ok());
  clock_.Advance(seconds(31));
  CompleteOne("prepare");
  EXPECT_EQ(Instance(id).state, "active");
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"wait_payment"});
  auto r = engine_->PublishMessage("t1", "payment-received", "Y");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->correlated, 1);
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(EngineScenario, InterruptingMessageBoundaryWithdrawsTheTask) {
  Deploy(Model("withdraw", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review"/>
    <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="done"/><bpmn:endEvent id="cancelled"/>
    )" + Flow("f1", "start", "review") + Flow("f2", "review", "done") + Flow("f3", "withdrawn", "cancelled"),
             kMessageRoots));
  std::string id = Start("withdraw", {{"orderId", 42}});
  auto r = engine_->PublishMessage("t1", "payment-received", "42", {{"reason", "withdrawn"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->correlated, 1);
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_TRUE(Has(Events(id, "element_completed"), "cancelled"));
  EXPECT_EQ(Instance(id).variables["reason"], "withdrawn");
}

const std::string kSubProcessWithError = Model("sub", R"(
  <bpmn:startEvent id="start"/>
  <bpmn:subProcess id="check">
    <bpmn:startEvent id="s_start"/>
    )" + ServiceTask("validate", "validate") + R"(
    <bpmn:exclusiveGateway id="s_gw" default="s_ok"/>
    <bpmn:endEvent id="s_end"/>
    <bpmn:endEvent id="s_fail"><bpmn:errorEventDefinition errorRef="err_invalid"/></bpmn:endEvent>
    )" + Flow("s1", "s_start", "validate") + Flow("s2", "validate", "s_gw") + Flow("s_bad", "s_gw", "s_fail", "=valid = false") +
                                              Flow("s_ok", "s_gw", "s_end") + R"(
  </bpmn:subProcess>
  <bpmn:boundaryEvent id="on_invalid" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err_invalid"/></bpmn:boundaryEvent>
  <bpmn:endEvent id="end"/><bpmn:endEvent id="rejected"/>
  )" + Flow("f1", "start", "check") + Flow("f2", "check", "end") + Flow("f3", "on_invalid", "rejected"),
                                               R"(<bpmn:error id="err_invalid" name="invalid" errorCode="INVALID"/>)");

TEST_P(EngineScenario, EmbeddedSubProcessCompletesWhenItsTokensEnd) {
  Deploy(kSubProcessWithError);
  std::string id = Start("sub");
  EXPECT_EQ(Instance(id).active_elements, (std::vector<std::string>{"check", "validate"}));
  CompleteOne("validate", {{"valid", true}});
  EXPECT_EQ(Instance(id).state, "completed");
  auto completed = Events(id, "element_completed");
  ASSERT_FALSE(completed.empty());
  EXPECT_EQ(completed.back(), "end");
  EXPECT_TRUE(Has(completed, "check"));
}

TEST_P(EngineScenario, ErrorEndEventInSubProcessIsCaughtByItsBoundary) {
  Deploy(kSubProcessWithError);
  std::string id = Start("sub");
  CompleteOne("validate", {{"valid", false}});
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "rejected"));
  // The error end event is left when its sub-process is terminated.
  EXPECT_EQ(Events(id, "element_terminated"), (std::vector<std::string>{"s_fail", "check"}));
  EXPECT_FALSE(Has(Events(id, "element_completed"), "end"));
}

TEST_P(EngineScenario, JobErrorIsCaughtByTheBoundaryOfTheEnclosingSubProcess) {
  Deploy(kSubProcessWithError);
  std::string id = Start("sub");
  auto jobs = Activate("validate");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "INVALID", "bad document", {{"why", "stamp missing"}}).ok());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Has(Events(id, "element_completed"), "rejected"));
  EXPECT_EQ(Instance(id).variables["why"], "stamp missing");
}

TEST_P(EngineScenario, UncaughtJobErrorRaisesAnIncident) {
  Deploy(kSubProcessWithError);
  std::string id = Start("sub");
  auto jobs = Activate("validate");
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(engine_->ThrowJobError("t1", jobs[0].job_id, "OTHER").ok());
  auto incidents = Incidents(id);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].kind, "unhandled_error");
  EXPECT_EQ(incidents[0].element_id, "validate");
  // Resolving retries the task: a new job is created.
  ASSERT_TRUE(engine_->ResolveIncident("t1", incidents[0].incident_id).ok());
  CompleteOne("validate", {{"valid", true}});
  EXPECT_EQ(Instance(id).state, "completed");
}

TEST_P(EngineScenario, TerminateEndEventEndsEveryBranch) {
  Deploy(Model("term", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="slow"/>
    <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
    <bpmn:endEvent id="end"/>
    )" + ServiceTask("fast", "fast") +
             Flow("f1", "start", "fork") + Flow("f2", "fork", "slow") + Flow("f3", "fork", "fast") +
             Flow("f4", "fast", "stop") + Flow("f5", "slow", "end")));
  std::string id = Start("term");
  CompleteOne("fast");
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_EQ(Events(id, "element_terminated"), std::vector<std::string>{"slow"});
}

TEST_P(EngineScenario, CancelRemovesEverythingTheInstanceWaitsOn) {
  Deploy(Model("cancel", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="ut"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    )" + ServiceTask("svc", "svc") + R"(<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
    )" + Flow("f1", "start", "fork") + Flow("f2", "fork", "ut") + Flow("f3", "fork", "wait") + Flow("f4", "fork", "svc") +
             Flow("f5", "ut", "e1") + Flow("f6", "wait", "e2") + Flow("f7", "svc", "e3")));
  std::string id = Start("cancel");
  ASSERT_TRUE(engine_->CancelInstance("t1", id).ok());
  EXPECT_EQ(Instance(id).state, "terminated");
  EXPECT_TRUE(Tasks(id).empty());
  EXPECT_TRUE(Activate("svc").empty());
  clock_.Advance(minutes(2));
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Events(id, "element_terminated").size(), 3u);
  EXPECT_EQ(engine_->CancelInstance("t1", id).error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(engine_->CancelInstance("t1", "nope").error().code(), core::ErrorCode::kNotFound);
}

TEST_P(EngineScenario, TenantsDoNotSeeEachOthersWork) {
  Deploy(kOneTask);
  std::string id = Start("one_task");
  EXPECT_EQ(engine_->GetInstance("t2", id).error().code(), core::ErrorCode::kNotFound);
  auto other = engine_->ActivateJobs("t2", "work", "w", 10, minutes(1));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  auto jobs = Activate("work");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(engine_->CompleteJob("t2", jobs[0].job_id).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(engine_->CancelInstance("t2", id).error().code(), core::ErrorCode::kNotFound);
}

AW_STORE_INSTANTIATE(EngineScenario);

}  // namespace
}  // namespace amtsweg::engine::testing
