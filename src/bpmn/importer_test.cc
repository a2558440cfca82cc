#include "bpmn/importer.h"

#include <gtest/gtest.h>

#include "bpmn/exporter.h"
#include "bpmn/test_util.h"

namespace amtsweg::bpmn {
namespace {

using testing::Doc;
using testing::MustImport;

const FlowNode& NodeOf(const Definitions& d, std::string_view id) {
  const FlowNode* n = d.processes.at(0).Node(id);
  EXPECT_NE(n, nullptr) << id;
  static const FlowNode kMissing;
  return n ? *n : kMissing;
}

TEST(BpmnImporter, ReadsDefinitionsAndProcess) {
  auto d = MustImport(Doc(R"(<bpmn:startEvent id="S" name="Start"/>)"));
  EXPECT_EQ(d->id, "Defs");
  EXPECT_EQ(d->target_namespace, "http://amtsweg.de/test");
  ASSERT_EQ(d->processes.size(), 1u);
  EXPECT_EQ(d->processes[0].id, "P");
  EXPECT_TRUE(d->processes[0].is_executable);
  EXPECT_EQ(NodeOf(*d, "S").name, "Start");
  EXPECT_EQ(NodeOf(*d, "S").kind, NodeKind::kStartEvent);
}

TEST(BpmnImporter, ResolvesNamespacesByUriNotPrefix) {
  const char* kBody = R"(<%1:process id="P" isExecutable="true"><%1:startEvent id="S"/>
      <%1:task id="T"/><%1:sequenceFlow id="F" sourceRef="S" targetRef="T"/></%1:process>)";
  for (std::string prefix : {"bpmn", "bpmn2", "semantic", "model"}) {
    std::string body = kBody;
    for (size_t pos; (pos = body.find("%1")) != std::string::npos;) body.replace(pos, 2, prefix);
    std::string xml = "<" + prefix + ":definitions xmlns:" + prefix +
                      "=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" id=\"D\">" + body + "</" +
                      prefix + ":definitions>";
    auto d = MustImport(xml);
    ASSERT_EQ(d->processes.size(), 1u) << prefix;
    EXPECT_EQ(d->processes[0].nodes.size(), 2u) << prefix;
  }
  // Default namespace.
  auto d = MustImport(R"(<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
      <process id="P"><task id="T"/></process></definitions>)");
  EXPECT_EQ(d->processes.at(0).nodes.size(), 1u);
  // A "bpmn:" prefix bound to another URI is not BPMN.
  auto wrong = ImportBpmn(R"(<bpmn:definitions xmlns:bpmn="urn:other" id="D"/>)");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("not BPMN 2.0 definitions"), std::string::npos);
}

TEST(BpmnImporter, ImportsEveryFlowNodeKind) {
  auto d = MustImport(Doc(R"(
    <bpmn:startEvent id="a"/><bpmn:endEvent id="b"/><bpmn:intermediateCatchEvent id="c"/>
    <bpmn:intermediateThrowEvent id="d"/><bpmn:task id="e"/><bpmn:serviceTask id="f"/>
    <bpmn:sendTask id="g"/><bpmn:receiveTask id="h"/><bpmn:userTask id="i"/>
    <bpmn:manualTask id="j"/><bpmn:scriptTask id="k"/><bpmn:businessRuleTask id="l"/>
    <bpmn:subProcess id="m"/><bpmn:callActivity id="n"/><bpmn:transaction id="o"/>
    <bpmn:adHocSubProcess id="p"/><bpmn:exclusiveGateway id="q"/><bpmn:parallelGateway id="r"/>
    <bpmn:inclusiveGateway id="s"/><bpmn:eventBasedGateway id="t"/><bpmn:complexGateway id="u"/>
    <bpmn:boundaryEvent id="v" attachedToRef="e"/>)"));
  const Process& p = d->processes[0];
  ASSERT_EQ(p.nodes.size(), 22u);
  const NodeKind kExpected[] = {
      NodeKind::kStartEvent, NodeKind::kEndEvent, NodeKind::kIntermediateCatchEvent,
      NodeKind::kIntermediateThrowEvent, NodeKind::kTask, NodeKind::kServiceTask,
      NodeKind::kSendTask, NodeKind::kReceiveTask, NodeKind::kUserTask, NodeKind::kManualTask,
      NodeKind::kScriptTask, NodeKind::kBusinessRuleTask, NodeKind::kSubProcess,
      NodeKind::kCallActivity, NodeKind::kTransaction, NodeKind::kAdHocSubProcess,
      NodeKind::kExclusiveGateway, NodeKind::kParallelGateway, NodeKind::kInclusiveGateway,
      NodeKind::kEventBasedGateway, NodeKind::kComplexGateway, NodeKind::kBoundaryEvent};
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    EXPECT_EQ(p.nodes[i].kind, kExpected[i]) << p.nodes[i].id;
    EXPECT_EQ(NodeKindName(p.nodes[i].kind), NodeKindName(kExpected[i]));
  }
  // Containers open a scope of their own.
  EXPECT_NE(NodeOf(*d, "m").inner_scope, kNoIndex);
  EXPECT_NE(NodeOf(*d, "o").inner_scope, kNoIndex);
  EXPECT_EQ(NodeOf(*d, "e").inner_scope, kNoIndex);
}

TEST(BpmnImporter, WiresSequenceFlowsByIndex) {
  auto d = MustImport(Doc(R"(
    <bpmn:startEvent id="S"/>
    <bpmn:exclusiveGateway id="G" default="F2"/>
    <bpmn:task id="A"/><bpmn:task id="B"/>
    <bpmn:sequenceFlow id="F0" sourceRef="S" targetRef="G"/>
    <bpmn:sequenceFlow id="F1" sourceRef="G" targetRef="A">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 100</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="B"/>)"));
  const Process& p = d->processes[0];
  Index g = p.FindNode("G");
  ASSERT_NE(g, kNoIndex);
  const FlowNode& gw = p.nodes[static_cast<size_t>(g)];
  ASSERT_EQ(gw.outgoing.size(), 2u);
  ASSERT_EQ(gw.incoming.size(), 1u);
  EXPECT_EQ(p.flows[static_cast<size_t>(gw.incoming[0])].id, "F0");
  const SequenceFlow& f1 = p.flows[static_cast<size_t>(p.FindFlow("F1"))];
  EXPECT_EQ(f1.source, g);
  EXPECT_EQ(p.nodes[static_cast<size_t>(f1.target)].id, "A");
  EXPECT_TRUE(f1.condition.is_feel());
  EXPECT_EQ(f1.condition.text, "= amount > 100");
  EXPECT_EQ(f1.condition.feel(), "amount > 100");
  EXPECT_EQ(gw.default_flow, p.FindFlow("F2"));
  EXPECT_TRUE(p.flows[static_cast<size_t>(p.FindFlow("F2"))].is_default);
  EXPECT_FALSE(f1.is_default);
}

TEST(BpmnImporter, ReadsEventDefinitionsWithRefsAndTimers) {
  auto d = MustImport(Doc(R"(
    <bpmn:startEvent id="S1"><bpmn:messageEventDefinition messageRef="M"/></bpmn:startEvent>
    <bpmn:startEvent id="S2"><bpmn:timerEventDefinition>
      <bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT10M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:startEvent id="S3"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:startEvent>
    <bpmn:endEvent id="E1"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>
    <bpmn:endEvent id="E2"><bpmn:terminateEventDefinition/></bpmn:endEvent>
    <bpmn:intermediateThrowEvent id="T1"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateThrowEvent id="T2"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="C1"><bpmn:timerEventDefinition>
      <bpmn:timeDuration>=duration("PT" + string(days) + "D")</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="C2"><bpmn:timerEventDefinition>
      <bpmn:timeDate>2026-12-24T18:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="C3"><bpmn:conditionalEventDefinition>
      <bpmn:condition>${x}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>)",
                          R"(<bpmn:message id="M" name="antrag"/><bpmn:signal id="Sig" name="alarm"/>
    <bpmn:error id="Err" name="Fehler" errorCode="E42"/>
    <bpmn:escalation id="Esc" name="Eskalation" escalationCode="ESC1"/>)"));
  ASSERT_EQ(d->messages.size(), 1u);
  EXPECT_EQ(d->messages[0].name, "antrag");
  EXPECT_EQ(d->errors.at(0).error_code, "E42");
  EXPECT_EQ(d->escalations.at(0).escalation_code, "ESC1");
  EXPECT_EQ(d->signals.at(0).name, "alarm");

  const EventDefinition& m = NodeOf(*d, "S1").event_definitions.at(0);
  EXPECT_EQ(m.kind, EventDefinitionKind::kMessage);
  EXPECT_EQ(m.ref, "M");
  EXPECT_EQ(m.ref_index, 0);
  const EventDefinition& cyc = NodeOf(*d, "S2").event_definitions.at(0);
  EXPECT_EQ(cyc.timer_kind, TimerKind::kCycle);
  EXPECT_EQ(cyc.timer.text, "R3/PT10M");
  EXPECT_EQ(cyc.timer.kind, ExprKind::kStatic);
  EXPECT_EQ(NodeOf(*d, "S3").event_definitions.at(0).ref_index, 0);
  EXPECT_EQ(NodeOf(*d, "E1").event_definitions.at(0).kind, EventDefinitionKind::kError);
  EXPECT_EQ(NodeOf(*d, "E2").event_definitions.at(0).kind, EventDefinitionKind::kTerminate);
  EXPECT_EQ(NodeOf(*d, "T1").event_definitions.at(0).ref, "Esc");
  EXPECT_EQ(NodeOf(*d, "T2").event_definitions.at(0).link_name, "L");
  const EventDefinition& dur = NodeOf(*d, "C1").event_definitions.at(0);
  EXPECT_EQ(dur.timer_kind, TimerKind::kDuration);
  EXPECT_TRUE(dur.timer.is_feel());
  EXPECT_EQ(NodeOf(*d, "C2").event_definitions.at(0).timer_kind, TimerKind::kDate);
  const EventDefinition& cond = NodeOf(*d, "C3").event_definitions.at(0);
  EXPECT_EQ(cond.kind, EventDefinitionKind::kConditional);
  EXPECT_EQ(cond.condition.kind, ExprKind::kJuel);
}

TEST(BpmnImporter, AttachesBoundaryEvents) {
  auto d = MustImport(Doc(R"(
    <bpmn:userTask id="T"/>
    <bpmn:boundaryEvent id="B1" attachedToRef="T"><bpmn:timerEventDefinition>
      <bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="B2" attachedToRef="T" cancelActivity="false">
      <bpmn:messageEventDefinition/></bpmn:boundaryEvent>)"));
  const Process& p = d->processes[0];
  const FlowNode& t = NodeOf(*d, "T");
  ASSERT_EQ(t.boundary_events.size(), 2u);
  EXPECT_EQ(p.nodes[static_cast<size_t>(t.boundary_events[0])].id, "B1");
  EXPECT_EQ(NodeOf(*d, "B1").attached_to, p.FindNode("T"));
  EXPECT_TRUE(NodeOf(*d, "B1").interrupting);
  EXPECT_FALSE(NodeOf(*d, "B2").interrupting);
}

TEST(BpmnImporter, NestsSubProcessScopes) {
  auto d = MustImport(Doc(R"(
    <bpmn:startEvent id="S"/>
    <bpmn:subProcess id="Sub">
      <bpmn:startEvent id="SubS"/><bpmn:task id="SubT"/>
      <bpmn:sequenceFlow id="SF" sourceRef="SubS" targetRef="SubT"/>
      <bpmn:subProcess id="Evt" triggeredByEvent="true">
        <bpmn:startEvent id="EvtS" isInterrupting="false"><bpmn:timerEventDefinition>
          <bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
      </bpmn:subProcess>
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="Sub"/>)"));
  const Process& p = d->processes[0];
  ASSERT_EQ(p.scopes.size(), 3u);
  const FlowNode& sub = NodeOf(*d, "Sub");
  const Scope& inner = p.scopes[static_cast<size_t>(sub.inner_scope)];
  EXPECT_EQ(inner.node, p.FindNode("Sub"));
  EXPECT_EQ(inner.parent, 0);
  EXPECT_EQ(inner.nodes.size(), 3u);
  ASSERT_EQ(inner.start_events.size(), 1u);
  EXPECT_EQ(inner.start_events[0], p.FindNode("SubS"));
  ASSERT_EQ(inner.event_subprocesses.size(), 1u);
  EXPECT_TRUE(NodeOf(*d, "Evt").triggered_by_event);
  EXPECT_FALSE(NodeOf(*d, "EvtS").interrupting);
  EXPECT_EQ(NodeOf(*d, "SubT").scope, sub.inner_scope);
  EXPECT_EQ(p.scopes[0].start_events.size(), 1u);  // S only, not nested starts
  EXPECT_EQ(p.flows[static_cast<size_t>(p.FindFlow("SF"))].scope, sub.inner_scope);
}

TEST(BpmnImporter, ReadsMultiInstanceFromBpmnZeebeAndCamunda) {
  auto d = MustImport(Doc(R"(
    <bpmn:serviceTask id="Z"><bpmn:multiInstanceLoopCharacteristics isSequential="true">
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"
        outputCollection="results" outputElement="=result"/></bpmn:extensionElements>
      <bpmn:completionCondition>=nrOfCompletedInstances &gt;= 2</bpmn:completionCondition>
    </bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
    <bpmn:userTask id="C"><bpmn:multiInstanceLoopCharacteristics camunda:collection="${users}"
        camunda:elementVariable="user"/></bpmn:userTask>
    <bpmn:task id="K"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
    <bpmn:task id="L"><bpmn:standardLoopCharacteristics/></bpmn:task>)"));
  const auto& z = NodeOf(*d, "Z").multi_instance;
  ASSERT_TRUE(z.has_value());
  EXPECT_TRUE(z->sequential);
  EXPECT_EQ(z->input_collection.text, "=items");
  EXPECT_EQ(z->input_element, "item");
  EXPECT_EQ(z->output_collection, "results");
  EXPECT_EQ(z->output_element.text, "=result");
  EXPECT_EQ(z->completion_condition.feel(), "nrOfCompletedInstances >= 2");
  const auto& c = NodeOf(*d, "C").multi_instance;
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->sequential);
  EXPECT_EQ(c->input_collection.kind, ExprKind::kJuel);
  EXPECT_EQ(c->input_element, "user");
  EXPECT_EQ(NodeOf(*d, "K").multi_instance->loop_cardinality.text, "3");
  EXPECT_TRUE(NodeOf(*d, "L").standard_loop);
  EXPECT_FALSE(NodeOf(*d, "L").multi_instance.has_value());
}

TEST(BpmnImporter, ReadsZeebeExtensions) {
  auto d = MustImport(Doc(R"(
    <bpmn:extensionElements>
      <zeebe:userTaskForm id="form1">{"components":[]}</zeebe:userTaskForm>
    </bpmn:extensionElements>
    <bpmn:serviceTask id="S"><bpmn:extensionElements>
      <zeebe:taskDefinition type="gebuehr-berechnen" retries="5"/>
      <zeebe:ioMapping><zeebe:input source="=antrag.betrag" target="betrag"/>
        <zeebe:input source="EUR" target="waehrung"/>
        <zeebe:output source="=ergebnis" target="gebuehr"/></zeebe:ioMapping>
      <zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>
      <zeebe:properties><zeebe:property name="p" value="q"/></zeebe:properties>
    </bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="U"><bpmn:extensionElements>
      <zeebe:assignmentDefinition assignee="=antrag.bearbeiter" candidateGroups="bauamt, ordnungsamt" candidateUsers="anna"/>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:form1"/>
      <zeebe:taskSchedule dueDate="=now() + duration(&quot;P3D&quot;) " followUpDate="2026-01-01T00:00:00Z"/>
      <zeebe:userTask/>
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:callActivity id="C"><bpmn:extensionElements>
      <zeebe:calledElement processId="unterprozess" propagateAllChildVariables="false"/>
    </bpmn:extensionElements></bpmn:callActivity>
    <bpmn:businessRuleTask id="R"><bpmn:extensionElements>
      <zeebe:calledDecision decisionId="gebuehren" resultVariable="gebuehr"/>
    </bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:scriptTask id="X"><bpmn:extensionElements>
      <zeebe:script expression="=a + b" resultVariable="summe"/>
      <zeebe:executionListeners/>
    </bpmn:extensionElements></bpmn:scriptTask>)",
                          R"(<bpmn:message id="M" name="m"><bpmn:extensionElements>
      <zeebe:subscription correlationKey="=antragId"/></bpmn:extensionElements></bpmn:message>)"));
  const Extensions& s = NodeOf(*d, "S").ext;
  EXPECT_EQ(s.dialect, Dialect::kZeebe);
  EXPECT_EQ(s.task_type.text, "gebuehr-berechnen");
  EXPECT_EQ(s.task_type.kind, ExprKind::kStatic);
  EXPECT_EQ(s.retries.text, "5");
  ASSERT_EQ(s.inputs.size(), 2u);
  EXPECT_EQ(s.inputs[0].target, "betrag");
  EXPECT_TRUE(s.inputs[0].source.is_feel());
  EXPECT_EQ(s.inputs[1].source.kind, ExprKind::kStatic);
  ASSERT_EQ(s.outputs.size(), 1u);
  EXPECT_EQ(s.outputs[0].target, "gebuehr");
  EXPECT_EQ(s.headers, (std::vector<KeyValue>{{"k", "v"}}));
  EXPECT_EQ(s.properties, (std::vector<KeyValue>{{"p", "q"}}));

  const Extensions& u = NodeOf(*d, "U").ext;
  EXPECT_EQ(u.assignee.text, "=antrag.bearbeiter");
  EXPECT_EQ(u.candidate_groups.text, "bauamt, ordnungsamt");
  EXPECT_EQ(u.candidate_users.text, "anna");
  EXPECT_EQ(u.form_key, "camunda-forms:bpmn:form1");
  EXPECT_TRUE(u.due_date.is_feel());
  EXPECT_EQ(u.follow_up_date.kind, ExprKind::kStatic);
  EXPECT_TRUE(u.zeebe_user_task);
  ASSERT_EQ(d->processes[0].forms.size(), 1u);
  EXPECT_EQ(d->processes[0].forms[0].id, "form1");
  EXPECT_EQ(d->processes[0].forms[0].body, R"({"components":[]})");

  const Extensions& c = NodeOf(*d, "C").ext;
  EXPECT_EQ(c.called_process.text, "unterprozess");
  EXPECT_FALSE(c.propagate_all_child_variables);
  EXPECT_TRUE(c.propagate_all_parent_variables);
  EXPECT_EQ(NodeOf(*d, "R").ext.called_decision.text, "gebuehren");
  EXPECT_EQ(NodeOf(*d, "R").ext.result_variable, "gebuehr");
  EXPECT_EQ(NodeOf(*d, "X").ext.script.feel(), "a + b");
  EXPECT_EQ(NodeOf(*d, "X").ext.result_variable, "summe");
  // Unknown zeebe elements are kept by name, not dropped.
  EXPECT_EQ(NodeOf(*d, "X").ext.unmodelled, (std::vector<std::string>{"zeebe:executionListeners"}));
  EXPECT_EQ(d->messages.at(0).correlation_key.text, "=antragId");
}

TEST(BpmnImporter, ReadsCamunda7Extensions) {
  auto d = MustImport(Doc(R"(
    <bpmn:serviceTask id="Ext" camunda:type="external" camunda:topic="rechnung" camunda:asyncBefore="true"/>
    <bpmn:serviceTask id="Java" camunda:class="de.amt.Delegate"/>
    <bpmn:userTask id="U" camunda:assignee="${starter}" camunda:candidateGroups="bauamt"
        camunda:formKey="embedded:app:forms/a.html" camunda:dueDate="${due}">
      <bpmn:extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="x">${a}</camunda:inputParameter>
          <camunda:inputParameter name="y">fest</camunda:inputParameter>
          <camunda:inputParameter name="z"><camunda:list><camunda:value>1</camunda:value></camunda:list></camunda:inputParameter>
          <camunda:outputParameter name="o">${r}</camunda:outputParameter>
        </camunda:inputOutput>
        <camunda:properties><camunda:property name="n" value="v"/></camunda:properties>
        <camunda:taskListener event="create" class="de.amt.L"/>
      </bpmn:extensionElements></bpmn:userTask>
    <bpmn:callActivity id="C" calledElement="sub">
      <bpmn:extensionElements>
        <camunda:in source="a" target="b"/><camunda:in variables="all"/>
        <camunda:out sourceExpression="${x + 1}" target="y"/>
      </bpmn:extensionElements></bpmn:callActivity>
    <bpmn:businessRuleTask id="R" camunda:decisionRef="gebuehren" camunda:resultVariable="g"/>)"));
  const Extensions& ext = NodeOf(*d, "Ext").ext;
  EXPECT_EQ(ext.dialect, Dialect::kCamunda7);
  EXPECT_EQ(ext.camunda_type, "external");
  EXPECT_EQ(ext.task_type.text, "rechnung");
  EXPECT_EQ(ext.unmodelled_attributes, (std::vector<std::string>{"camunda:asyncBefore"}));
  EXPECT_EQ(NodeOf(*d, "Java").ext.java_implementation, "camunda:class=de.amt.Delegate");
  const Extensions& u = NodeOf(*d, "U").ext;
  EXPECT_EQ(u.assignee.kind, ExprKind::kJuel);
  EXPECT_EQ(u.candidate_groups.text, "bauamt");
  EXPECT_EQ(u.form_key, "embedded:app:forms/a.html");
  EXPECT_EQ(u.due_date.kind, ExprKind::kJuel);
  ASSERT_EQ(u.inputs.size(), 3u);
  EXPECT_EQ(u.inputs[0].source.kind, ExprKind::kJuel);
  EXPECT_EQ(u.inputs[1].source.kind, ExprKind::kStatic);
  EXPECT_EQ(u.inputs[2].source.kind, ExprKind::kOther);
  EXPECT_EQ(u.inputs[2].source.text, "camunda:list");
  ASSERT_EQ(u.outputs.size(), 1u);
  EXPECT_EQ(u.properties, (std::vector<KeyValue>{{"n", "v"}}));
  EXPECT_EQ(u.unmodelled, (std::vector<std::string>{"camunda:taskListener"}));
  const Extensions& c = NodeOf(*d, "C").ext;
  EXPECT_EQ(c.called_process.text, "sub");
  ASSERT_EQ(c.call_inputs.size(), 2u);
  EXPECT_TRUE(c.call_inputs[0].source_is_variable);
  EXPECT_EQ(c.call_inputs[0].target, "b");
  EXPECT_TRUE(c.call_inputs[1].all_variables);
  ASSERT_EQ(c.call_outputs.size(), 1u);
  EXPECT_EQ(c.call_outputs[0].source.kind, ExprKind::kJuel);
  EXPECT_EQ(NodeOf(*d, "R").ext.called_decision.text, "gebuehren");
  EXPECT_EQ(NodeOf(*d, "R").ext.result_variable, "g");
}

TEST(BpmnImporter, ReadsScriptTaskWithFeelFormat) {
  auto d = MustImport(Doc(R"(
    <bpmn:scriptTask id="F" scriptFormat="feel"><bpmn:script>a * 2</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="G" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>)"));
  EXPECT_TRUE(NodeOf(*d, "F").ext.script.is_feel());
  EXPECT_EQ(NodeOf(*d, "F").ext.script.feel(), "a * 2");
  EXPECT_TRUE(NodeOf(*d, "G").ext.script.empty());
  EXPECT_EQ(NodeOf(*d, "G").script, "x = 1");
  EXPECT_EQ(NodeOf(*d, "G").script_format, "groovy");
}

TEST(BpmnImporter, ReadsCollaborationLanesAndArtifacts) {
  std::string xml = R"(<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
      xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="D">
    <bpmn:collaboration id="Col">
      <bpmn:participant id="Amt" name="Bauamt" processRef="P"/>
      <bpmn:participant id="Buerger" name="Bürger"/>
      <bpmn:messageFlow id="MF" sourceRef="Buerger" targetRef="S"/>
      <bpmn:textAnnotation id="TA"><bpmn:text>Hinweis</bpmn:text></bpmn:textAnnotation>
    </bpmn:collaboration>
    <bpmn:process id="P">
      <bpmn:laneSet id="LS"><bpmn:lane id="L1" name="Sachbearbeitung">
        <bpmn:flowNodeRef>S</bpmn:flowNodeRef>
        <bpmn:childLaneSet id="CLS"><bpmn:lane id="L2" name="Team"><bpmn:flowNodeRef>S</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet>
      </bpmn:lane></bpmn:laneSet>
      <bpmn:startEvent id="S"/>
      <bpmn:dataObject id="DO"/><bpmn:dataObjectReference id="DOR" dataObjectRef="DO" name="Antrag"/>
      <bpmn:dataStoreReference id="DSR"/><bpmn:association id="As" sourceRef="TA" targetRef="S"/>
      <bpmn:group id="Gr"/>
    </bpmn:process>
    <bpmn:dataStore id="DS"/>
    <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Pl" bpmnElement="Col">
      <bpmndi:BPMNShape id="Sh1" bpmnElement="S"/><bpmndi:BPMNEdge id="Ed1" bpmnElement="MF"/>
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
  </bpmn:definitions>)";
  auto d = MustImport(xml);
  ASSERT_EQ(d->collaborations.size(), 1u);
  const Collaboration& c = d->collaborations[0];
  ASSERT_EQ(c.participants.size(), 2u);
  EXPECT_EQ(c.participants[0].process, 0);
  EXPECT_EQ(c.participants[1].process, kNoIndex);
  ASSERT_EQ(c.message_flows.size(), 1u);
  EXPECT_EQ(c.message_flows[0].target_ref, "S");
  ASSERT_EQ(c.artifacts.size(), 1u);
  EXPECT_EQ(c.artifacts[0].name, "Hinweis");
  const Process& p = d->processes[0];
  ASSERT_EQ(p.lanes.size(), 2u);
  EXPECT_EQ(p.lanes[1].parent, 0);
  EXPECT_EQ(p.lanes[0].flow_node_refs, (std::vector<std::string>{"S"}));
  ASSERT_EQ(p.artifacts.size(), 5u);
  EXPECT_EQ(p.artifacts[1].kind, ArtifactKind::kDataObjectReference);
  EXPECT_EQ(p.artifacts[1].name, "Antrag");
  ASSERT_EQ(d->other_elements.size(), 1u);
  EXPECT_EQ(d->other_elements[0].type, "dataStore");
  EXPECT_EQ(d->diagram_count, 1);
  EXPECT_EQ(d->shape_count, 1);
  EXPECT_EQ(d->edge_count, 1);
}

TEST(BpmnImporter, RecordsUnmodelledBpmnChildren) {
  auto d = MustImport(Doc(R"(<bpmn:userTask id="U">
      <bpmn:ioSpecification id="io"/><bpmn:potentialOwner id="po"/></bpmn:userTask>)"));
  EXPECT_EQ(NodeOf(*d, "U").unmodelled,
            (std::vector<std::string>{"ioSpecification", "potentialOwner"}));
}

// --- errors ---

std::string ErrorOf(const std::string& xml) {
  auto r = ImportBpmn(xml);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().ToString();
}

TEST(BpmnImporter, MalformedXmlNamesLineAndColumn) {
  auto r = ImportBpmn("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
                      "  <bpmn:process id=\"P\">\n"
                      "    <bpmn:task id=\"T\">\n"
                      "  </bpmn:process>\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("line 4:"), std::string::npos) << r.error().message();
  ASSERT_EQ(r.error().details().size(), 1u);
  EXPECT_EQ(r.error().details()[0].pointer.substr(0, 2), "4:");
}

TEST(BpmnImporter, RejectsEmptyAndNonBpmnDocuments) {
  EXPECT_FALSE(ImportBpmn("").ok());
  EXPECT_NE(ErrorOf("<html><body/></html>").find("line 1:1"), std::string::npos);
}

TEST(BpmnImporter, RejectsDuplicateIdsWithBothLines) {
  std::string e = ErrorOf(Doc("<bpmn:task id=\"T\"/>\n<bpmn:task id=\"T\"/>"));
  EXPECT_NE(e.find("duplicate id 'T'"), std::string::npos) << e;
  EXPECT_NE(e.find("line 10:1"), std::string::npos) << e;
  EXPECT_NE(e.find("first defined at line 9:1"), std::string::npos) << e;
}

TEST(BpmnImporter, RejectsFlowToUnknownElement) {
  std::string e = ErrorOf(Doc(R"(<bpmn:task id="A"/>
<bpmn:sequenceFlow id="F" sourceRef="A" targetRef="Nowhere"/>)"));
  EXPECT_NE(e.find("F: line 10:1: sequence flow 'F' has unknown target 'Nowhere'"), std::string::npos) << e;
}

TEST(BpmnImporter, RejectsFlowCrossingSubProcessBoundary) {
  std::string e = ErrorOf(Doc(R"(<bpmn:task id="A"/>
    <bpmn:subProcess id="Sub"><bpmn:task id="In"/></bpmn:subProcess>
    <bpmn:sequenceFlow id="F" sourceRef="A" targetRef="In"/>)"));
  EXPECT_NE(e.find("crosses a sub-process boundary"), std::string::npos) << e;
}

TEST(BpmnImporter, RejectsBadDefaultFlowAndAttachment) {
  std::string e = ErrorOf(Doc(R"(<bpmn:exclusiveGateway id="G" default="F"/>
    <bpmn:task id="A"/><bpmn:task id="B"/>
    <bpmn:sequenceFlow id="F" sourceRef="A" targetRef="B"/>
    <bpmn:boundaryEvent id="BE" attachedToRef="G"/>)"));
  EXPECT_NE(e.find("default flow 'F' of 'G' is not an outgoing"), std::string::npos) << e;
  EXPECT_NE(e.find("boundary event 'BE' is attached to 'G', which is not an activity"), std::string::npos) << e;
}

TEST(BpmnImporter, RejectsUnknownEventDefinitionRefsAndMessageFlows) {
  std::string e = ErrorOf(Doc(R"(<bpmn:startEvent id="S"><bpmn:messageEventDefinition messageRef="Nope"/></bpmn:startEvent>)"));
  EXPECT_NE(e.find("'S' refers to unknown message 'Nope'"), std::string::npos) << e;
  std::string mf = ErrorOf(R"(<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
    <bpmn:collaboration id="C"><bpmn:messageFlow id="MF" sourceRef="X" targetRef="Y"/></bpmn:collaboration>
    </bpmn:definitions>)");
  EXPECT_NE(mf.find("message flow 'MF' refers to unknown element 'X'"), std::string::npos) << mf;
}

TEST(BpmnImporter, RejectsTooDeepNesting) {
  std::string xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">";
  for (int i = 0; i < kMaxBpmnDepth + 5; ++i) xml += "<a>";
  for (int i = 0; i < kMaxBpmnDepth + 5; ++i) xml += "</a>";
  xml += "</bpmn:definitions>";
  auto r = ImportBpmn(xml);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kResourceExhausted);
}

TEST(BpmnImporter, DoesNotExpandEntities) {
  // A billion-laughs style DOCTYPE must neither expand nor hang.
  auto r = ImportBpmn(R"(<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
<bpmn:process id="P"><bpmn:task id="T" name="&b;"/></bpmn:process></bpmn:definitions>)");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_LT((*r)->processes[0].nodes[0].name.size(), 10u);
}

// --- export / round trip ---

TEST(BpmnExporter, ReturnsOriginalTextAndRoundTrips) {
  std::string xml = Doc(R"(<!-- comment kept -->
    <bpmn:startEvent id="S"/>  <bpmn:task id="T" name="Prüfen"/>
    <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T"/>)");
  auto d = MustImport(xml);
  EXPECT_EQ(ExportBpmn(*d), xml);
  auto again = MustImport(ExportBpmn(*d));
  EXPECT_TRUE(*again == *d);
  // The equality is structural, not vacuous: a changed name makes it differ.
  std::string changed = xml;
  changed.replace(changed.find("Prüfen"), 7, "Pruefen");
  EXPECT_FALSE(*MustImport(changed) == *d);
}

}  // namespace
}  // namespace amtsweg::bpmn
