// Look-ahead from a user task (look_ahead.h), on SQLite and PostgreSQL.
#include "engine/look_ahead.h"

#include "engine/engine_test_util.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;

std::string SendTask(std::string_view id, std::string_view vorlage) {
  return fmt::format(
      R"(<bpmn:sendTask id="{}" name="Send {}"><bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:bescheid"/>)"
      R"(<zeebe:taskHeaders><zeebe:header key="vorlage" value="{}"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:sendTask>)",
      id, vorlage, vorlage);
}

// decide -> XOR(genehmigt / default) -> grant letter -> wait for a message
//                                    -> refusal letter -> end
const std::string kDecide = Model("deciding", R"(
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="decide" name="Decide"/>
  <bpmn:exclusiveGateway id="gw" default="no"/>
  )" + SendTask("grant", "genehmigung") + SendTask("refuse", "ablehnung") + R"(
  <bpmn:scriptTask id="fee"><bpmn:extensionElements><zeebe:script expression="=amount * 2" resultVariable="fee"/></bpmn:extensionElements></bpmn:scriptTask>
  <bpmn:exclusiveGateway id="gw_fee" default="cheap"/>
  )" + SendTask("invoice", "rechnung") + R"(
  <bpmn:intermediateCatchEvent id="done"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end"/>
  )" + Flow("f1", "start", "decide") + Flow("f2", "decide", "gw") + Flow("yes", "gw", "fee", "=genehmigt") +
                                  Flow("no", "gw", "refuse") + Flow("f3", "refuse", "end") + Flow("f4", "fee", "gw_fee") +
                                  Flow("dear", "gw_fee", "invoice", "=fee > 100") + Flow("cheap", "gw_fee", "grant") +
                                  Flow("f5", "invoice", "grant") + Flow("f6", "grant", "done") + Flow("f7", "done", "end"),
                                  R"(<bpmn:message id="m" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="=key"/></bpmn:extensionElements></bpmn:message>)");

class LookAheadTest : public EngineTest {
 protected:
  LookAhead Ahead(const std::string& instance, const Json& data) {
    auto tasks = Tasks(instance);
    EXPECT_EQ(tasks.size(), 1u);
    if (tasks.empty()) return {};
    auto la = LookAheadFromUserTask(*engine_, *db_, "t1", tasks[0].task_id, data);
    EXPECT_TRUE(la.ok()) << la.error().ToString();
    return la.ok() ? *la : LookAhead{};
  }
  static std::vector<std::string> Vorlagen(const LookAhead& la) {
    std::vector<std::string> out;
    for (const auto& t : la.tasks) out.push_back(t.headers.value("vorlage", ""));
    return out;
  }
};

TEST_P(LookAheadTest, TheFormValuesDecideTheWayLikeTheEngineWould) {
  Deploy(kDecide);
  std::string id = Start("deciding", {{"amount", 30}, {"key", "k"}});

  LookAhead grant = Ahead(id, {{"genehmigt", true}});
  EXPECT_EQ(Vorlagen(grant), std::vector<std::string>{"genehmigung"});
  EXPECT_EQ(grant.tasks[0].element_id, "grant");
  EXPECT_EQ(grant.tasks[0].kind, "sendTask");
  EXPECT_EQ(grant.tasks[0].type, "amtsweg:bescheid");
  EXPECT_EQ(grant.waits, std::vector<std::string>{"intermediateCatchEvent done"});
  EXPECT_EQ(grant.undetermined, "");

  LookAhead refuse = Ahead(id, {{"genehmigt", false}});
  EXPECT_EQ(Vorlagen(refuse), std::vector<std::string>{"ablehnung"});
  EXPECT_EQ(refuse.waits, std::vector<std::string>{"endEvent end"});

  // A script on the way is evaluated: amount 60 makes the fee 120, so an invoice goes first.
  LookAhead dear = Ahead(id, {{"genehmigt", true}, {"amount", 60}});
  EXPECT_EQ(Vorlagen(dear), (std::vector<std::string>{"rechnung", "genehmigung"}));

  // Nothing happened: the task is still open and no job was created.
  EXPECT_EQ(Tasks(id).size(), 1u);
  EXPECT_TRUE(Activate("amtsweg:bescheid").empty());
}

TEST_P(LookAheadTest, AFieldNotFilledInLeavesTheWayUndetermined) {
  Deploy(kDecide);
  std::string id = Start("deciding", {{"amount", 30}, {"key", "k"}});
  LookAhead la = Ahead(id, Json::object());
  EXPECT_TRUE(la.tasks.empty());
  EXPECT_NE(la.undetermined.find("condition of flow yes at gw"), std::string::npos) << la.undetermined;
  EXPECT_NE(la.undetermined.find("genehmigt"), std::string::npos) << la.undetermined;
}

TEST_P(LookAheadTest, OutputMappingsDecideWhatTheNextElementsSee) {
  Deploy(Model("mapped", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="decide"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=answer = &quot;ja&quot;" target="genehmigt"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>
    <bpmn:exclusiveGateway id="gw" default="no"/>
    )" + SendTask("grant", "genehmigung") + SendTask("refuse", "ablehnung") + R"(
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "decide") + Flow("f2", "decide", "gw") + Flow("yes", "gw", "grant", "=genehmigt") +
                     Flow("no", "gw", "refuse") + Flow("f3", "grant", "end") + Flow("f4", "refuse", "end")));
  std::string id = Start("mapped");
  EXPECT_EQ(Vorlagen(Ahead(id, {{"answer", "ja"}})), std::vector<std::string>{"genehmigung"});
  EXPECT_EQ(Vorlagen(Ahead(id, {{"answer", "nein"}})), std::vector<std::string>{"ablehnung"});
  // Without the mapping the form's own `genehmigt` would count; with it, it does not.
  EXPECT_EQ(Vorlagen(Ahead(id, {{"answer", "nein"}, {"genehmigt", true}})), std::vector<std::string>{"ablehnung"});
}

TEST_P(LookAheadTest, ParallelBranchesAndDecisionsAreShown) {
  Deploy(Model("split", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="decide"/>
    <bpmn:parallelGateway id="fork"/>
    )" + SendTask("a", "eins") + R"(
    <bpmn:businessRuleTask id="rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "decide") + Flow("f2", "decide", "fork") + Flow("f3", "fork", "a") +
                     Flow("f4", "fork", "rule") + Flow("f5", "a", "end") + Flow("f6", "rule", "end")));
  std::string id = Start("split");
  LookAhead la = Ahead(id, Json::object());
  EXPECT_EQ(Vorlagen(la), std::vector<std::string>{"eins"});
  EXPECT_NE(la.undetermined.find("decision of rule"), std::string::npos) << la.undetermined;
}

TEST_P(LookAheadTest, UnknownTaskOrOtherTenantIsNotFound) {
  Deploy(kDecide);
  std::string id = Start("deciding", {{"amount", 30}, {"key", "k"}});
  auto tasks = Tasks(id);
  ASSERT_EQ(tasks.size(), 1u);
  auto other = LookAheadFromUserTask(*engine_, *db_, "t2", tasks[0].task_id, Json::object());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), core::ErrorCode::kNotFound);
  auto none = LookAheadFromUserTask(*engine_, *db_, "t1", "no-such-task", Json::object());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), core::ErrorCode::kNotFound);
}

AW_STORE_INSTANTIATE(LookAheadTest);

}  // namespace
}  // namespace amtsweg::engine::testing
