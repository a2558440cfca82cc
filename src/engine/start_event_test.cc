// Scenario tests of message and timer start events and of message throw and
// end events, each on SQLite and PostgreSQL.
#include <chrono>
#include <set>

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

class StartEvents : public EngineTest {
 protected:
  core::Result<PublishResult> Publish(std::string_view name, std::string_view key, const Json& vars = Json::object(),
                                      milliseconds ttl = milliseconds(0)) {
    return engine_->PublishMessage("t1", name, key, vars, ttl);
  }
  // The data of the first history event named `event` of `instance_id`.
  Json FirstData(const std::string& instance_id, std::string_view event) {
    auto h = engine_->History("t1", instance_id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == event) return e.data;
      }
    }
    return nullptr;
  }
  // Instances waiting at a job of `type` (activates them all).
  std::vector<std::string> WaitingAt(std::string_view type) {
    std::vector<std::string> out;
    for (const auto& j : Activate(type, 100)) out.push_back(j.instance_id);
    return out;
  }
};

const std::string kOrderMessage = R"(<bpmn:message id="msg_order" name="order"/>)";

// A message start event for `message` (a root element id), then a service task of `type`.
std::string MessageStarted(std::string_view id, std::string_view message_ref = "msg_order",
                           std::string_view roots = kOrderMessage, std::string_view type = "handle") {
  return Model(id, fmt::format(R"(
    <bpmn:startEvent id="on_message"><bpmn:messageEventDefinition messageRef="{}"/></bpmn:startEvent>
    {}
    <bpmn:endEvent id="end"/>
    )", message_ref, ServiceTask("work", type)) + Flow("f1", "on_message", "work") + Flow("f2", "work", "end"),
               roots);
}

// A timer start event (`kind` is timeDate / timeDuration / timeCycle), then a service task "tick".
std::string TimerStarted(std::string_view id, std::string_view kind, std::string_view value) {
  return Model(id, fmt::format(R"(
    <bpmn:startEvent id="on_timer"><bpmn:timerEventDefinition><bpmn:{0}>{1}</bpmn:{0}></bpmn:timerEventDefinition></bpmn:startEvent>
    {2}
    <bpmn:endEvent id="end"/>
    )", kind, value, ServiceTask("work", "tick")) + Flow("f1", "on_timer", "work") + Flow("f2", "work", "end"));
}

TEST_P(StartEvents, AMessageStartsAnInstanceWithItsVariables) {
  Deploy(MessageStarted("orders"));
  auto r = Publish("order", "", {{"item", "passport"}, {"count", 2}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->started_instances.size(), 1u);
  EXPECT_EQ(r->correlated, 0);
  EXPECT_FALSE(r->buffered);
  InstanceInfo info = Instance(r->started_instances[0]);
  EXPECT_EQ(info.process_id, "orders");
  EXPECT_EQ(info.variables, (Json{{"item", "passport"}, {"count", 2}}));
  EXPECT_EQ(info.active_elements, std::vector<std::string>{"work"});
  Json started = FirstData(info.instance_id, "instance_started");
  EXPECT_EQ(started["trigger"], "message");
  EXPECT_EQ(started["name"], "order");
  EXPECT_EQ(started["messageId"], r->message_id);
  EXPECT_EQ(Events(info.instance_id, "element_completed"), std::vector<std::string>{"on_message"});
  // Without a none start event it cannot be started directly.
  EXPECT_EQ(engine_->StartInstance("t1", "orders").error().code(), core::ErrorCode::kInvalidArgument);
  // Another name starts nothing; another tenant neither.
  EXPECT_TRUE(Publish("other", "")->started_instances.empty());
  EXPECT_TRUE(engine_->PublishMessage("t2", "order", "")->started_instances.empty());
}

TEST_P(StartEvents, AMessageStartsOneInstancePerProcessAndCorrelatesWaitingOnesToo) {
  Deploy(MessageStarted("orders"), "a.bpmn");
  Deploy(MessageStarted("audit", "msg_order", kOrderMessage, "audit"), "b.bpmn");
  Deploy(Model("waiter", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "wait") + Flow("f2", "wait", "end"),
               R"(<bpmn:message id="m" name="order"><bpmn:extensionElements><zeebe:subscription correlationKey="=key"/></bpmn:extensionElements></bpmn:message>)"),
         "c.bpmn");
  std::string waiter = Start("waiter", {{"key", "K1"}});
  auto r = Publish("order", "K1");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->correlated, 1);
  ASSERT_EQ(r->started_instances.size(), 2u);
  std::set<std::string> processes;
  for (const auto& id : r->started_instances) processes.insert(Instance(id).process_id);
  EXPECT_EQ(processes, (std::set<std::string>{"orders", "audit"}));
  EXPECT_EQ(Instance(waiter).state, "completed");
}

TEST_P(StartEvents, ACorrelationKeyHoldsOneActiveInstanceAndTheBufferedMessageStartsTheNext) {
  Deploy(MessageStarted("orders"));
  auto first = Publish("order", "K1", {{"n", 1}});
  ASSERT_EQ(first->started_instances.size(), 1u);
  // While it is active, K1 starts no second instance: buffered with a TTL, dropped without.
  auto dropped = Publish("order", "K1", {{"n", 2}});
  EXPECT_TRUE(dropped->started_instances.empty());
  EXPECT_FALSE(dropped->buffered);
  auto held = Publish("order", "K1", {{"n", 3}}, minutes(10));
  EXPECT_TRUE(held->started_instances.empty());
  EXPECT_TRUE(held->buffered);
  // Another key is free.
  auto other = Publish("order", "K2", {{"n", 4}});
  ASSERT_EQ(other->started_instances.size(), 1u);
  // The first instance ends: the buffered message starts the next one for K1.
  auto jobs = Activate("handle", 10);
  ASSERT_EQ(jobs.size(), 2u);
  for (const auto& j : jobs) {
    if (j.instance_id == first->started_instances[0]) {
      ASSERT_TRUE(engine_->CompleteJob("t1", j.job_id).ok());
    }
  }
  EXPECT_EQ(Instance(first->started_instances[0]).state, "completed");
  jobs = Activate("handle", 10, milliseconds(1));
  ASSERT_EQ(jobs.size(), 1u);
  std::string next = jobs[0].instance_id;
  EXPECT_NE(next, first->started_instances[0]);
  EXPECT_NE(next, other->started_instances[0]);
  EXPECT_EQ(Instance(next).variables["n"], 3);
  Json started = FirstData(next, "instance_started");
  EXPECT_EQ(started["buffered"], true);
  EXPECT_EQ(started["messageId"], held->message_id);
  // Cancelling frees the key too.
  ASSERT_TRUE(engine_->CancelInstance("t1", next).ok());
  EXPECT_EQ(Publish("order", "K1")->started_instances.size(), 1u);
  // An empty key never holds anything.
  EXPECT_EQ(Publish("order", "")->started_instances.size(), 1u);
  EXPECT_EQ(Publish("order", "")->started_instances.size(), 1u);
}

TEST_P(StartEvents, ANewVersionReplacesTheMessageStartOfThePreviousOne) {
  Deploy(MessageStarted("orders"));
  Deploy(MessageStarted("orders", "msg_new", R"(<bpmn:message id="msg_new" name="order_v2"/>)"));
  EXPECT_TRUE(Publish("order", "")->started_instances.empty());
  auto r = Publish("order_v2", "");
  ASSERT_EQ(r->started_instances.size(), 1u);
  EXPECT_EQ(Instance(r->started_instances[0]).version, 2);
  // Redeploying the unchanged file keeps the registration; a version without
  // a message start removes it.
  Deploy(MessageStarted("orders", "msg_new", R"(<bpmn:message id="msg_new" name="order_v2"/>)"));
  EXPECT_EQ(Publish("order_v2", "")->started_instances.size(), 1u);
  Deploy(Model("orders", R"(<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>)" + Flow("f", "s", "e")));
  EXPECT_TRUE(Publish("order_v2", "")->started_instances.empty());
}

TEST_P(StartEvents, RefusesStartEventsItCannotRegisterNamingThem) {
  auto twice = engine_->Deploy("t1", {{"x.bpmn", Model("twice", R"(
    <bpmn:startEvent id="a"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
    <bpmn:startEvent id="b"><bpmn:messageEventDefinition messageRef="m2"/></bpmn:startEvent>
    <bpmn:endEvent id="e"/>)" + Flow("f1", "a", "e") + Flow("f2", "b", "e"),
                                                             R"(<bpmn:message id="m1" name="same"/><bpmn:message id="m2" name="same"/>)")}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(twice.error().details().at(0).pointer, "b");
  auto bad_timer = engine_->Deploy("t1", {{"y.bpmn", TimerStarted("bad_timer", "timeDate", "next tuesday")}});
  ASSERT_FALSE(bad_timer.ok());
  EXPECT_EQ(bad_timer.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_timer.error().details().at(0).pointer, "on_timer");
  auto inner = engine_->Deploy("t1", {{"z.bpmn", Model("inner", R"(
    <bpmn:startEvent id="s"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="sub_start"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
      <bpmn:endEvent id="sub_end"/>)" + Flow("g", "sub_start", "sub_end") + R"(
    </bpmn:subProcess>
    <bpmn:endEvent id="e"/>)" + Flow("f1", "s", "sub") + Flow("f2", "sub", "e"),
                                                             R"(<bpmn:message id="m1" name="x"/>)")}});
  ASSERT_FALSE(inner.ok());
  // The lint refuses it first: an embedded sub-process starts blank.
  EXPECT_EQ(inner.error().details().at(0).pointer, "sub") << inner.error().ToString();
  // Nothing of a refused deployment is registered.
  EXPECT_TRUE(Publish("same", "")->started_instances.empty());
  EXPECT_EQ(Fire(), 0);
}

TEST_P(StartEvents, ATimerDateStartsOneInstanceOnce) {
  Deploy(TimerStarted("dated", "timeDate", "2026-01-05T09:00:00Z"));
  EXPECT_EQ(Fire(), 0);
  clock_.Advance(hours(1));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  clock_.Advance(hours(24));
  EXPECT_EQ(Fire(), 0);
  auto started = WaitingAt("tick");
  ASSERT_EQ(started.size(), 1u);
  Json data = FirstData(started[0], "instance_started");
  EXPECT_EQ(data["trigger"], "timer");
  EXPECT_EQ(data["elementId"], "on_timer");
  EXPECT_EQ(data["dueAt"], "2026-01-05T09:00:00.000Z");
}

TEST_P(StartEvents, ATimerCycleFiresOncePerDueTimeAndSurvivesARestart) {
  Deploy(TimerStarted("cycle", "timeCycle", "R3/PT10M"));
  clock_.Advance(minutes(10));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  // A new engine on the same database (a restart) finds the rest.
  engine_ = std::make_unique<Engine>(*db_, EngineOptions{&clock_});
  clock_.Advance(minutes(25));  // two due times passed: each fires once
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  clock_.Advance(hours(5));
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(WaitingAt("tick").size(), 3u);
}

TEST_P(StartEvents, ANewVersionReplacesTheTimerOfThePreviousOne) {
  Deploy(TimerStarted("daily", "timeDuration", "PT1H"));
  Deploy(TimerStarted("daily", "timeDuration", "PT2H"));
  clock_.Advance(hours(1));
  EXPECT_EQ(Fire(), 0);
  clock_.Advance(hours(1));
  EXPECT_EQ(Fire(), 1);
  auto started = WaitingAt("tick");
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(Instance(started[0]).version, 2);
}

TEST_P(StartEvents, MessageThrowAndEndEventsRunAsJobs) {
  Deploy(Model("notify", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="tell"><bpmn:extensionElements><zeebe:taskDefinition type="send_mail"/></bpmn:extensionElements>
      <bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="reply"><bpmn:extensionElements><zeebe:taskDefinition type="send_letter"/></bpmn:extensionElements>
      <bpmn:messageEventDefinition/></bpmn:endEvent>
    )" + Flow("f1", "start", "tell") + Flow("f2", "tell", "reply"),
               R"(<bpmn:message id="m" name="mail"/>)"));
  std::string id = Start("notify", {{"to", "amt@example.org"}});
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"tell"});
  auto mail = Activate("send_mail");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].element_id, "tell");
  EXPECT_EQ(mail[0].variables["to"], "amt@example.org");
  ASSERT_TRUE(engine_->CompleteJob("t1", mail[0].job_id, {{"mailId", 7}}).ok());
  EXPECT_EQ(Instance(id).active_elements, std::vector<std::string>{"reply"});
  CompleteOne("send_letter");
  InstanceInfo info = Instance(id);
  EXPECT_EQ(info.state, "completed");
  EXPECT_EQ(info.variables["mailId"], 7);
  EXPECT_EQ(Events(id, "element_completed"), (std::vector<std::string>{"start", "tell", "reply"}));
}

TEST_P(StartEvents, RefusesMessageThrowEventsWithoutAJobTypeNamingThem) {
  auto d = engine_->Deploy("t1", {{"x.bpmn", Model("mute", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="tell"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="end"><bpmn:messageEventDefinition messageRef="m"/></bpmn:endEvent>
    )" + Flow("f1", "start", "tell") + Flow("f2", "tell", "end"),
                                                         R"(<bpmn:message id="m" name="mail"/>)")}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), core::ErrorCode::kUnimplemented) << d.error().ToString();
  std::set<std::string> named;
  for (const auto& detail : d.error().details()) named.insert(detail.pointer);
  EXPECT_EQ(named, (std::set<std::string>{"tell", "end"}));
  EXPECT_NE(d.error().message().find("job type"), std::string::npos) << d.error().ToString();
}

}  // namespace

AW_STORE_INSTANTIATE(StartEvents);

}  // namespace amtsweg::engine::testing
