#include "bpmn/lint.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "bpmn/test_util.h"

namespace amtsweg::bpmn {
namespace {

using testing::Doc;
using testing::MustImport;

std::vector<Finding> LintOf(const std::string& xml) { return Lint(*MustImport(xml)); }

const Finding* FindCode(const std::vector<Finding>& fs, std::string_view code,
                        std::string_view element = {}) {
  auto it = std::find_if(fs.begin(), fs.end(), [&](const Finding& f) {
    return f.code == code && (element.empty() || f.element_id == element);
  });
  return it == fs.end() ? nullptr : &*it;
}

// A minimal runnable process: start -> body... -> end, with `body` wired by the caller.
constexpr const char* kStartEnd = R"(<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/>)";

TEST(BpmnLint, CleanZeebeProcessHasNoErrorsAndIsExecutable) {
  auto d = MustImport(Doc(std::string(kStartEnd) + R"(
    <bpmn:serviceTask id="T" name="Gebühr berechnen"><bpmn:extensionElements>
      <zeebe:taskDefinition type="gebuehr"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T"/>
    <bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E"/>)"));
  for (const Finding& f : Lint(*d)) {
    EXPECT_NE(f.severity, Severity::kError) << FormatFinding(f);
  }
  EXPECT_TRUE(CheckExecutable(*d).ok());
}

TEST(BpmnLint, ReportsMissingTaskType) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(<bpmn:serviceTask id="T" name="x"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T"/><bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E"/>)"));
  const Finding* f = FindCode(fs, "task-type-missing", "T");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->pos.line, 9);
  EXPECT_FALSE(f->unsupported);
}

TEST(BpmnLint, ExecutionChecksAreWarningsInNonExecutableProcesses) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(<bpmn:serviceTask id="T" name="x"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T"/><bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E"/>)",
                       "", /*executable=*/false));
  const Finding* f = FindCode(fs, "task-type-missing", "T");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_NE(FindCode(fs, "no-executable-process"), nullptr);
}

TEST(BpmnLint, ReportsJuelConditionAsUnsupportedLanguage) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:exclusiveGateway id="G" name="ok?" default="F3"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G"/>
    <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E">
      <bpmn:conditionExpression>${approved}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F3" sourceRef="G" targetRef="E"/>)"));
  const Finding* f = FindCode(fs, "unsupported-expression-language", "F2");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->unsupported);
  EXPECT_EQ(f->subject, "JUEL");
  EXPECT_NE(f->message.find("${approved}"), std::string::npos);
}

TEST(BpmnLint, CallMappingsAcceptJuelVariableReferencesOnly) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:callActivity id="C" calledElement="child"><bpmn:extensionElements>
      <camunda:in sourceExpression="${amount}" target="a"/>
      <camunda:out sourceExpression="${total * 2}" target="b"/></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="C"/>
    <bpmn:sequenceFlow id="F2" sourceRef="C" targetRef="E"/>)"));
  int juel = 0;
  for (const Finding& f : fs) {
    if (f.subject != "JUEL") continue;
    ++juel;
    EXPECT_NE(f.message.find("${total * 2}"), std::string::npos) << FormatFinding(f);
  }
  EXPECT_EQ(juel, 1);
  EXPECT_EQ(Expression::Parse("${amount}").JuelVariable(), "amount");
  EXPECT_EQ(Expression::Parse("#{ a_1 }").JuelVariable(), "a_1");
  EXPECT_EQ(Expression::Parse("${a.b}").JuelVariable(), "");
  EXPECT_EQ(Expression::Parse("amount").JuelVariable(), "");
}

TEST(BpmnLint, ReportsGatewayConditionsAndDefaults) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/>
    <bpmn:exclusiveGateway id="G1" name="g1"/><bpmn:exclusiveGateway id="G2" name="g2"/>
    <bpmn:sequenceFlow id="F0" sourceRef="S" targetRef="G1"/>
    <bpmn:sequenceFlow id="F1" sourceRef="G1" targetRef="A"/>
    <bpmn:sequenceFlow id="F2" sourceRef="G1" targetRef="G2"/>
    <bpmn:sequenceFlow id="F3" sourceRef="G2" targetRef="B"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F4" sourceRef="G2" targetRef="E"/>
    <bpmn:sequenceFlow id="F5" sourceRef="A" targetRef="E"/><bpmn:sequenceFlow id="F6" sourceRef="B" targetRef="E"/>)"));
  EXPECT_NE(FindCode(fs, "gateway-without-conditions", "G1"), nullptr);
  EXPECT_NE(FindCode(fs, "missing-condition", "F4"), nullptr);
  EXPECT_EQ(FindCode(fs, "missing-condition", "F3"), nullptr);
  EXPECT_NE(FindCode(fs, "missing-default-flow", "G2"), nullptr);
  EXPECT_NE(FindCode(fs, "implicit-join", "E"), nullptr);
}

TEST(BpmnLint, ReportsImplicitSplitAndUnreachable) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/><bpmn:task id="Lost" name="lost"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="A"/><bpmn:sequenceFlow id="F2" sourceRef="S" targetRef="B"/>
    <bpmn:sequenceFlow id="F3" sourceRef="A" targetRef="E"/><bpmn:sequenceFlow id="F4" sourceRef="B" targetRef="E"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Lost" targetRef="E"/>)"));
  EXPECT_NE(FindCode(fs, "implicit-split", "S"), nullptr);
  EXPECT_NE(FindCode(fs, "unreachable-element", "Lost"), nullptr);
  EXPECT_EQ(FindCode(fs, "unreachable-element", "A"), nullptr);
}

TEST(BpmnLint, ReportsStartEventProblems) {
  auto none = LintOf(Doc(R"(<bpmn:task id="T" name="t"/>)"));
  EXPECT_NE(FindCode(none, "no-start-event", "P"), nullptr);
  auto two = LintOf(Doc(R"(<bpmn:startEvent id="S1"/><bpmn:startEvent id="S2"/>)"));
  EXPECT_NE(FindCode(two, "multiple-blank-start-events"), nullptr);
  auto sub = LintOf(Doc(R"(<bpmn:startEvent id="S"/><bpmn:subProcess id="Sub">
      <bpmn:startEvent id="SS"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="Sub"/>)"));
  EXPECT_NE(FindCode(sub, "sub-process-start-not-blank", "Sub"), nullptr);
}

TEST(BpmnLint, RefusesUnsupportedElementsWithTheirIds) {
  auto d = MustImport(Doc(R"(<bpmn:startEvent id="S"/>
    <bpmn:complexGateway id="CG"/><bpmn:transaction id="TX"><bpmn:startEvent id="TS"/></bpmn:transaction>
    <bpmn:task id="Comp" isForCompensation="true"/>
    <bpmn:intermediateCatchEvent id="Cond"><bpmn:conditionalEventDefinition>
      <bpmn:condition>=x</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="CG"/>)"));
  auto fs = Lint(*d);
  EXPECT_NE(FindCode(fs, "unsupported-element", "CG"), nullptr);
  EXPECT_NE(FindCode(fs, "unsupported-element", "TX"), nullptr);
  EXPECT_NE(FindCode(fs, "unsupported-element", "Comp"), nullptr);
  const Finding* cond = FindCode(fs, "unsupported-event-definition", "Cond");
  ASSERT_NE(cond, nullptr);
  EXPECT_EQ(cond->subject, "conditionalEventDefinition");
  core::Status st = CheckExecutable(*d);
  ASSERT_FALSE(st.ok());
  std::vector<std::string> ids;
  for (const auto& det : st.error().details()) ids.push_back(det.pointer);
  for (const char* id : {"CG", "TX", "Comp", "Cond"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
}

TEST(BpmnLint, CheckExecutableUsesUnimplementedForUnsupportedOnly) {
  auto d = MustImport(Doc(std::string(kStartEnd) + R"(
    <bpmn:complexGateway id="CG" name="c"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="CG"/><bpmn:sequenceFlow id="F2" sourceRef="CG" targetRef="E"/>)"));
  core::Status st = CheckExecutable(*d);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), core::ErrorCode::kUnimplemented);
  ASSERT_EQ(st.error().details().size(), 1u);
  EXPECT_EQ(st.error().details()[0].pointer, "CG");
  EXPECT_NE(st.error().details()[0].message.find("unsupported-element"), std::string::npos);
}

TEST(BpmnLint, CheckExecutableRefusesModelsWithoutExecutableProcess) {
  auto d = MustImport(Doc(kStartEnd, "", /*executable=*/false));
  core::Status st = CheckExecutable(*d);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), core::ErrorCode::kInvalidArgument);
}

TEST(BpmnLint, ReportsMessageCorrelationAndRefs) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:intermediateCatchEvent id="C" name="c"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent>
    <bpmn:receiveTask id="R" name="r"/>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="C"/><bpmn:sequenceFlow id="F2" sourceRef="C" targetRef="R"/>
    <bpmn:sequenceFlow id="F3" sourceRef="R" targetRef="E"/>)",
                       R"(<bpmn:message id="M" name="antwort"/>)"));
  EXPECT_NE(FindCode(fs, "correlation-key-missing", "C"), nullptr);
  EXPECT_NE(FindCode(fs, "message-ref-missing", "R"), nullptr);
}

TEST(BpmnLint, ReportsEventBasedGatewayTargets) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:eventBasedGateway id="EB"/><bpmn:task id="T" name="t"/>
    <bpmn:intermediateCatchEvent id="Tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="S" targetRef="EB"/>
    <bpmn:sequenceFlow id="F1" sourceRef="EB" targetRef="T"/><bpmn:sequenceFlow id="F2" sourceRef="EB" targetRef="Tm"/>
    <bpmn:sequenceFlow id="F3" sourceRef="T" targetRef="E"/><bpmn:sequenceFlow id="F4" sourceRef="Tm" targetRef="E"/>)"));
  const Finding* f = FindCode(fs, "invalid-event-based-gateway", "EB");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("'T'"), std::string::npos);
}

TEST(BpmnLint, ReportsUnmatchedLinksAndMultiInstanceGaps) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:intermediateThrowEvent id="LT"><bpmn:linkEventDefinition name="weiter"/></bpmn:intermediateThrowEvent>
    <bpmn:task id="MI" name="m"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics outputCollection="out"/></bpmn:extensionElements>
    </bpmn:multiInstanceLoopCharacteristics></bpmn:task>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="LT"/>)"));
  EXPECT_NE(FindCode(fs, "link-unmatched", "LT"), nullptr);
  EXPECT_NE(FindCode(fs, "multi-instance-collection-missing", "MI"), nullptr);
  EXPECT_NE(FindCode(fs, "multi-instance-output-element-missing", "MI"), nullptr);
}

TEST(BpmnLint, ReportsCamunda7ImplementationsAndListeners) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:serviceTask id="J" name="j" camunda:delegateExpression="${bean}"/>
    <bpmn:userTask id="U" name="u"><bpmn:extensionElements><camunda:taskListener event="create"/>
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:scriptTask id="G" name="g" scriptFormat="groovy"><bpmn:script>1</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="J"/><bpmn:sequenceFlow id="F2" sourceRef="J" targetRef="U"/>
    <bpmn:sequenceFlow id="F3" sourceRef="U" targetRef="G"/><bpmn:sequenceFlow id="F4" sourceRef="G" targetRef="E"/>)"));
  EXPECT_NE(FindCode(fs, "unsupported-implementation", "J"), nullptr);
  const Finding* l = FindCode(fs, "unsupported-extension", "U");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->subject, "camunda:taskListener");
  EXPECT_NE(FindCode(fs, "unsupported-script-language", "G"), nullptr);
}

TEST(BpmnLint, ReportsMissingEmbeddedForm) {
  auto fs = LintOf(Doc(std::string(kStartEnd) + R"(
    <bpmn:userTask id="U" name="u"><bpmn:extensionElements>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:gibtsnicht"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="U"/><bpmn:sequenceFlow id="F2" sourceRef="U" targetRef="E"/>)"));
  EXPECT_NE(FindCode(fs, "form-not-found", "U"), nullptr);
}

TEST(BpmnLint, FormatsFindingsForTheCli) {
  Finding f;
  f.severity = Severity::kWarning;
  f.code = "implicit-split";
  f.element_id = "T";
  f.message = "m";
  f.pos = {3, 5};
  EXPECT_EQ(FormatFinding(f), "warning line 3:5  T  implicit-split  m");
}

}  // namespace
}  // namespace amtsweg::bpmn
