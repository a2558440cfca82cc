// The BPMN 2.0 model: what ImportBpmn (bpmn/importer.h) builds from XML and the
// engine executes. Immutable once built: the importer hands it out as
// std::shared_ptr<const Definitions>, so any number of threads may read it.
//
// Engine-friendly: flow nodes and sequence flows of a process live in flat
// vectors and refer to each other by Index (int32_t), never by string, so the
// engine's hot path (take outgoing flows, enter a scope, find boundary events)
// is array access. String lookups (FindNode) are for deployment and tooling.
//
// The model covers what the engine executes (see README.md) and *recognises*
// the rest of BPMN (compensation, complex gateway, transaction, ad-hoc
// sub-process, conditional and cancel events, data, lanes, collaborations,
// artifacts), so the lint (bpmn/lint.h) can name what it will not execute
// instead of silently dropping it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace amtsweg::bpmn {

using Index = int32_t;
inline constexpr Index kNoIndex = -1;

// 1-based position in the original XML text (column counts bytes).
struct SourcePos {
  int line = 0;
  int column = 0;
  bool operator==(const SourcePos&) const = default;
};

// --- Expressions ---------------------------------------------------------

enum class ExprKind : uint8_t {
  kEmpty,   // no text at all
  kFeel,    // "=..." (Zeebe style) or an explicit FEEL language URI; executable
  kStatic,  // plain text without "=": a literal (task type "mail", timer "PT5M", variable name)
  kJuel,    // "${...}" / "#{...}" (Camunda 7 / Activiti JUEL): recognised, NOT executable
  kOther,   // an explicit non-FEEL language (XPath, JavaScript, ...): NOT executable
};

// An expression as written in the model. The engine compiles FEEL later
// (feel/ is a separate layer); here we keep the text and what kind it is.
struct Expression {
  std::string text;      // verbatim, trimmed of surrounding whitespace, including a leading '='
  ExprKind kind = ExprKind::kEmpty;
  std::string language;  // the `language` attribute if one was given, else empty

  bool empty() const { return kind == ExprKind::kEmpty; }
  bool is_feel() const { return kind == ExprKind::kFeel; }
  // The FEEL source without the leading '=' (only meaningful when is_feel()).
  std::string_view feel() const;
  // For JUEL text that is exactly one variable reference ("${name}", "#{name}"):
  // the name; empty otherwise. Camunda 7 call-activity mappings use this form.
  std::string_view JuelVariable() const;

  // Classifies `text` (trimmed) with an optional `language` attribute.
  static Expression Parse(std::string_view text, std::string_view language = {});
  bool operator==(const Expression&) const = default;
};

const char* ExprKindName(ExprKind kind);

// --- Flow nodes ----------------------------------------------------------

enum class NodeKind : uint8_t {
  // Events
  kStartEvent,
  kEndEvent,
  kIntermediateCatchEvent,
  kIntermediateThrowEvent,
  kBoundaryEvent,
  // Tasks
  kTask,
  kServiceTask,
  kSendTask,
  kReceiveTask,
  kUserTask,
  kManualTask,
  kScriptTask,
  kBusinessRuleTask,
  // Containers and calls
  kSubProcess,  // embedded, or event sub-process when triggered_by_event
  kCallActivity,
  kTransaction,       // recognised, not executed
  kAdHocSubProcess,   // recognised, not executed
  // Gateways
  kExclusiveGateway,
  kParallelGateway,
  kInclusiveGateway,
  kEventBasedGateway,
  kComplexGateway,  // recognised, not executed
};

// The BPMN XML local name ("serviceTask").
const char* NodeKindName(NodeKind kind);
bool IsEvent(NodeKind kind);
bool IsActivity(NodeKind kind);  // tasks, sub-processes, call activities
bool IsGateway(NodeKind kind);
bool IsContainer(NodeKind kind);  // has an inner scope (sub-process, transaction, ad-hoc)

enum class EventDefinitionKind : uint8_t {
  kMessage,
  kTimer,
  kSignal,
  kError,
  kEscalation,
  kLink,
  kTerminate,
  kCompensate,   // recognised, not executed
  kConditional,  // recognised, not executed
  kCancel,       // recognised, not executed
};

const char* EventDefinitionKindName(EventDefinitionKind kind);  // "messageEventDefinition"

enum class TimerKind : uint8_t { kNone, kDate, kDuration, kCycle };

struct EventDefinition {
  EventDefinitionKind kind = EventDefinitionKind::kMessage;
  std::string id;
  // messageRef / signalRef / errorRef / escalationRef (local id, prefix stripped),
  // activityRef for compensation. Empty when absent.
  std::string ref;
  // Index into Definitions::messages/signals/errors/escalations matching `kind`,
  // kNoIndex when `ref` is empty. The importer refuses unresolved refs.
  Index ref_index = kNoIndex;
  TimerKind timer_kind = TimerKind::kNone;
  Expression timer;          // timeDate / timeDuration / timeCycle
  int timer_expressions = 0; // how many of the three were given (BPMN allows one)
  std::string link_name;     // linkEventDefinition name
  Expression condition;      // conditionalEventDefinition
  bool operator==(const EventDefinition&) const = default;
};

// An input/output or call-activity variable mapping.
struct Mapping {
  Expression source;  // zeebe: source="=a.b"; camunda: text of inputParameter / sourceExpression
  std::string target;
  bool source_is_variable = false;  // camunda:in/out source="x": copies variable x
  bool all_variables = false;       // camunda:in/out variables="all"
  bool local = false;               // camunda:in/out local="true"
  bool business_key = false;        // camunda:in businessKey="..." (source holds the expression)
  bool operator==(const Mapping&) const = default;
};

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// Which engine dialect an extension came from.
enum class Dialect : uint8_t { kNone, kZeebe, kCamunda7 };

// Execution details from zeebe: and camunda: (also activiti:, which Camunda 7
// descends from and shares attribute names with) extensions.
struct Extensions {
  Dialect dialect = Dialect::kNone;
  // Job workers: zeebe:taskDefinition type/retries; camunda:type="external" + camunda:topic.
  Expression task_type;
  Expression retries;
  std::string camunda_type;  // camunda:type ("external", "mail", ...)
  // Java / JUEL implementations from Camunda 7: camunda:class, :expression,
  // :delegateExpression, camunda:connector. Not executable here.
  std::string java_implementation;
  // zeebe:ioMapping, camunda:inputOutput.
  std::vector<Mapping> inputs;
  std::vector<Mapping> outputs;
  // User tasks: zeebe:assignmentDefinition, camunda:assignee/candidateGroups/candidateUsers.
  Expression assignee;
  Expression candidate_groups;
  Expression candidate_users;
  // zeebe:formDefinition formKey/formId, camunda:formKey.
  std::string form_key;
  std::string form_id;
  // zeebe:taskSchedule, camunda:dueDate/followUpDate.
  Expression due_date;
  Expression follow_up_date;
  // Call activities: zeebe:calledElement, or bpmn calledElement (+ camunda:in/out).
  Expression called_process;
  bool propagate_all_child_variables = true;
  bool propagate_all_parent_variables = true;
  std::vector<Mapping> call_inputs;   // camunda:in
  std::vector<Mapping> call_outputs;  // camunda:out
  // Business rule tasks: zeebe:calledDecision decisionId/resultVariable, camunda:decisionRef.
  Expression called_decision;
  std::string result_variable;  // also zeebe:script resultVariable, camunda:resultVariable
  // camunda:mapDecisionResult (singleEntry, singleResult, collectEntries, resultList); empty when absent.
  std::string map_decision_result;
  // Script tasks: zeebe:script expression.
  Expression script;
  std::vector<KeyValue> headers;     // zeebe:taskHeaders
  std::vector<KeyValue> properties;  // zeebe:properties, camunda:properties
  bool zeebe_user_task = false;      // zeebe:userTask marker
  // Extension elements/attributes of a known engine namespace that the model
  // does not map ("camunda:executionListener", "zeebe:executionListeners").
  // The lint reports them; they are never dropped silently.
  std::vector<std::string> unmodelled;
  // Attributes of those namespaces that the model does not map ("camunda:asyncBefore").
  std::vector<std::string> unmodelled_attributes;
  bool operator==(const Extensions&) const = default;
};

// multiInstanceLoopCharacteristics with bpmn, zeebe:loopCharacteristics and
// camunda:collection/elementVariable details merged.
struct MultiInstance {
  bool sequential = false;
  Expression loop_cardinality;
  Expression input_collection;   // zeebe inputCollection, camunda:collection, loopDataInputRef
  std::string input_element;     // zeebe inputElement, camunda:elementVariable, inputDataItem
  std::string output_collection; // zeebe outputCollection, loopDataOutputRef
  Expression output_element;     // zeebe outputElement, outputDataItem
  Expression completion_condition;
  bool operator==(const MultiInstance&) const = default;
};

// A flow node (event, activity, gateway) of a process at any nesting depth.
struct FlowNode {
  std::string id;
  std::string name;
  NodeKind kind = NodeKind::kTask;
  SourcePos pos;
  Index scope = 0;            // index into Process::scopes of the scope containing this node
  Index inner_scope = kNoIndex;  // for containers: the scope they open
  std::vector<Index> incoming;  // indices into Process::flows
  std::vector<Index> outgoing;
  Index default_flow = kNoIndex;  // gateways and activities: `default` attribute
  std::vector<EventDefinition> event_definitions;
  bool parallel_multiple = false;  // events with several definitions
  // Start events: isInterrupting; boundary events: cancelActivity.
  bool interrupting = true;
  Index attached_to = kNoIndex;         // boundary events: the activity
  std::vector<Index> boundary_events;   // activities: their attached boundary events
  bool triggered_by_event = false;      // event sub-process
  bool is_for_compensation = false;
  std::optional<MultiInstance> multi_instance;
  bool standard_loop = false;           // standardLoopCharacteristics (not executed)
  std::string called_element;           // callActivity calledElement attribute
  std::string script_format;            // scriptTask scriptFormat
  std::string script;                   // scriptTask <script> text
  std::string implementation;           // implementation attribute (##WebService, ...)
  std::string message_ref;              // send/receive task messageRef
  Index message_index = kNoIndex;
  std::string gateway_direction;
  Extensions ext;
  // BPMN child elements present in the XML but not mapped to this struct
  // ("ioSpecification", "dataInputAssociation", "potentialOwner", ...).
  std::vector<std::string> unmodelled;
  bool operator==(const FlowNode&) const = default;
};

struct SequenceFlow {
  std::string id;
  std::string name;
  SourcePos pos;
  Index source = kNoIndex;  // indices into Process::nodes
  Index target = kNoIndex;
  Index scope = 0;
  Expression condition;
  bool is_default = false;  // the source's default flow
  bool operator==(const SequenceFlow&) const = default;
};

// A level of nesting: the process itself (scope 0) or the inside of a
// sub-process / transaction / ad-hoc sub-process.
struct Scope {
  Index node = kNoIndex;    // the container node, kNoIndex for the process
  Index parent = kNoIndex;  // enclosing scope
  std::vector<Index> nodes;               // direct children
  std::vector<Index> start_events;        // direct start events (not in event sub-processes)
  std::vector<Index> event_subprocesses;  // direct event sub-processes
  bool operator==(const Scope&) const = default;
};

enum class ArtifactKind : uint8_t {
  kDataObject,
  kDataObjectReference,
  kDataStoreReference,
  kTextAnnotation,
  kAssociation,
  kGroup,
};
const char* ArtifactKindName(ArtifactKind kind);

// Data and annotations: recognised and kept for tooling, not executed.
struct Artifact {
  ArtifactKind kind = ArtifactKind::kTextAnnotation;
  std::string id;
  std::string name;  // name, or text for annotations
  Index scope = 0;
  bool operator==(const Artifact&) const = default;
};

struct Lane {
  std::string id;
  std::string name;
  Index parent = kNoIndex;  // enclosing lane (childLaneSet), index into Process::lanes
  std::vector<std::string> flow_node_refs;
  bool operator==(const Lane&) const = default;
};

// zeebe:userTaskForm: a form embedded in the process, referenced by
// formKey "camunda-forms:bpmn:<id>".
struct EmbeddedForm {
  std::string id;
  std::string body;
  bool operator==(const EmbeddedForm&) const = default;
};

struct Process {
  std::string id;
  std::string name;
  bool is_executable = false;
  SourcePos pos;
  std::vector<FlowNode> nodes;
  std::vector<SequenceFlow> flows;
  std::vector<Scope> scopes;  // scopes[0] is the process itself
  std::vector<Lane> lanes;
  std::vector<Artifact> artifacts;
  std::vector<EmbeddedForm> forms;
  Extensions ext;  // process-level extensions (properties, ...)
  std::vector<std::string> unmodelled;

  // kNoIndex when absent. Not for the hot path.
  Index FindNode(std::string_view id) const;
  Index FindFlow(std::string_view id) const;
  const FlowNode* Node(std::string_view id) const;

  bool operator==(const Process&) const = default;

  // Filled by the importer.
  std::unordered_map<std::string, Index> node_index;
  std::unordered_map<std::string, Index> flow_index;
};

// --- Root elements ------------------------------------------------------

struct Message {
  std::string id;
  std::string name;
  Expression correlation_key;  // zeebe:subscription correlationKey
  bool operator==(const Message&) const = default;
};
struct Signal {
  std::string id;
  std::string name;
  bool operator==(const Signal&) const = default;
};
struct ErrorDef {
  std::string id;
  std::string name;
  std::string error_code;
  bool operator==(const ErrorDef&) const = default;
};
struct Escalation {
  std::string id;
  std::string name;
  std::string escalation_code;
  bool operator==(const Escalation&) const = default;
};

struct Participant {
  std::string id;
  std::string name;
  std::string process_ref;
  Index process = kNoIndex;  // into Definitions::processes
  bool operator==(const Participant&) const = default;
};
struct MessageFlow {
  std::string id;
  std::string name;
  std::string source_ref;
  std::string target_ref;
  std::string message_ref;
  bool operator==(const MessageFlow&) const = default;
};
struct Collaboration {
  std::string id;
  std::string name;
  std::vector<Participant> participants;
  std::vector<MessageFlow> message_flows;
  std::vector<Artifact> artifacts;
  bool operator==(const Collaboration&) const = default;
};

// A BPMN-namespace element the importer does not map at all (globalTask,
// choreography, ...), kept so tools can list what a file uses.
struct OtherElement {
  std::string type;  // XML local name
  std::string id;
  SourcePos pos;
  bool operator==(const OtherElement&) const = default;
};

struct Definitions {
  std::string id;
  std::string name;
  std::string target_namespace;
  std::string exporter;
  std::string exporter_version;
  std::string execution_platform;  // modeler:executionPlatform ("Camunda Cloud", ...)
  // The XML exactly as imported: ExportBpmn returns it so a deployed file is
  // downloaded unchanged, diagram interchange (BPMNDI) and vendor data included.
  std::string source_xml;
  std::vector<Process> processes;
  std::vector<Collaboration> collaborations;
  std::vector<Message> messages;
  std::vector<Signal> signals;
  std::vector<ErrorDef> errors;
  std::vector<Escalation> escalations;
  std::vector<OtherElement> other_elements;
  int diagram_count = 0;  // bpmndi:BPMNDiagram
  int shape_count = 0;    // bpmndi:BPMNShape
  int edge_count = 0;     // bpmndi:BPMNEdge

  Index FindProcess(std::string_view id) const;
  bool operator==(const Definitions&) const = default;
};

}  // namespace amtsweg::bpmn
