#include "bpmn/lint.h"

#include <algorithm>
#include <deque>
#include <set>
#include <string_view>
#include <tuple>

namespace amtsweg::bpmn {
namespace {

using EK = EventDefinitionKind;

bool Has(std::initializer_list<EK> allowed, EK k) {
  return std::find(allowed.begin(), allowed.end(), k) != allowed.end();
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

class Linter {
 public:
  explicit Linter(const Definitions& d) : d_(d) {}

  std::vector<Finding> Run() {
    bool any_executable = false;
    for (const Process& p : d_.processes) {
      any_executable = any_executable || p.is_executable;
      LintProcess(p);
    }
    if (!any_executable) {
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "no-executable-process";
      f.element_id = d_.id;
      f.message = "no process is marked isExecutable=\"true\"; nothing can be deployed to run";
      out_.push_back(std::move(f));
    }
    return std::move(out_);
  }

 private:
  // --- reporting ---

  void Report(Severity sev, std::string code, const FlowNode* n, std::string subject,
              std::string message, bool unsupported = false) {
    Finding f;
    f.severity = sev;
    f.code = std::move(code);
    f.process_id = p_->id;
    f.element_id = n ? n->id : p_->id;
    f.pos = n ? n->pos : p_->pos;
    f.subject = std::move(subject);
    f.message = std::move(message);
    f.unsupported = unsupported;
    out_.push_back(std::move(f));
  }
  void ReportFlow(Severity sev, std::string code, const SequenceFlow& fl, std::string message,
                  bool unsupported = false, std::string subject = "sequenceFlow") {
    Finding f;
    f.severity = sev;
    f.code = std::move(code);
    f.process_id = p_->id;
    f.element_id = fl.id;
    f.pos = fl.pos;
    f.subject = std::move(subject);
    f.message = std::move(message);
    f.unsupported = unsupported;
    out_.push_back(std::move(f));
  }
  // Execution checks: errors only where the engine would run the process.
  Severity Exec() const { return p_->is_executable ? Severity::kError : Severity::kWarning; }
  void Unsupported(std::string code, const FlowNode* n, std::string subject, std::string message) {
    Report(Exec(), std::move(code), n, std::move(subject), std::move(message), true);
  }

  const FlowNode& N(Index i) const { return p_->nodes[static_cast<size_t>(i)]; }
  const SequenceFlow& F(Index i) const { return p_->flows[static_cast<size_t>(i)]; }

  // An expression the engine must evaluate: FEEL, or a literal where literals
  // are allowed.
  void CheckExpr(const FlowNode* n, const Expression& e, std::string_view what, bool literal_ok) {
    if (e.empty()) return;
    switch (e.kind) {
      case ExprKind::kFeel: return;
      case ExprKind::kStatic:
        if (literal_ok) return;
        Unsupported("unsupported-expression-language", n, "non-FEEL expression",
                    std::string(what) + " " + Quote(e.text) +
                        " is not a FEEL expression (write it as '=" + e.text + "')");
        return;
      case ExprKind::kJuel:
        Unsupported("unsupported-expression-language", n, "JUEL",
                    std::string(what) + " " + Quote(e.text) +
                        " is a JUEL expression (Camunda 7); only FEEL ('=...') is executed");
        return;
      case ExprKind::kOther:
        Unsupported("unsupported-expression-language", n, "expression language " + e.language,
                    std::string(what) + " " + Quote(e.text) + " uses language " +
                        Quote(e.language) + "; only FEEL is executed");
        return;
      case ExprKind::kEmpty: return;
    }
  }

  // --- per process ---

  void LintProcess(const Process& p) {
    p_ = &p;
    for (const std::string& u : p.unmodelled) {
      if (u == "ioSpecification" || u == "property" || u == "dataInputAssociation" ||
          u == "dataOutputAssociation") {
        continue;  // data modelling; variables carry data here
      }
      Report(Severity::kWarning, "ignored-element", nullptr, u,
             "process child <" + u + "> is recognised but has no effect on execution");
    }
    LintExtensions(nullptr, p.ext);
    for (size_t s = 0; s < p.scopes.size(); ++s) LintScope(static_cast<Index>(s));
    for (const FlowNode& n : p.nodes) LintNode(n);
    for (const SequenceFlow& f : p.flows) LintFlow(f);
    LintDuplicateFlows();
    LintLinks();
    LintReachability();
  }

  void LintScope(Index si) {
    const Scope& s = p_->scopes[static_cast<size_t>(si)];
    const FlowNode* container = s.node == kNoIndex ? nullptr : &N(s.node);
    if (container && container->kind == NodeKind::kAdHocSubProcess) return;  // no start needed
    bool event_sub = container && container->triggered_by_event;
    int blank = 0;
    int typed = 0;
    for (Index i : s.start_events) {
      (N(i).event_definitions.empty() ? blank : typed)++;
    }
    bool has_end = false;
    for (Index i : s.nodes) has_end = has_end || N(i).kind == NodeKind::kEndEvent;
    if (s.start_events.empty()) {
      Report(Severity::kError, "no-start-event", container,
             container ? "subProcess" : "process",
             container ? "sub-process has no start event" : "process has no start event");
    }
    if (blank > 1) {
      Report(Severity::kError, "multiple-blank-start-events", container, "startEvent",
             std::to_string(blank) + " blank start events in one scope; the engine cannot choose");
    }
    if (container && !event_sub && container->kind == NodeKind::kSubProcess && typed > 0) {
      Report(Severity::kError, "sub-process-start-not-blank", container, "startEvent",
             "an embedded sub-process must start with a blank start event");
    }
    if (event_sub && (s.start_events.size() != 1 || typed != 1)) {
      Report(Severity::kError, "event-sub-process-start", container, "startEvent",
             "an event sub-process needs exactly one start event with an event definition");
    }
    if (!has_end && !s.nodes.empty()) {
      Report(Severity::kWarning, "no-end-event", container, container ? "subProcess" : "process",
             "scope has no end event");
    }
  }

  void LintEventDefinitions(const FlowNode& n) {
    const auto& defs = n.event_definitions;
    if (defs.size() > 1) {
      Unsupported("multiple-event-definitions", &n, "multiple event definitions",
                  std::string(NodeKindName(n.kind)) + " with " + std::to_string(defs.size()) +
                      " event definitions (multiple/parallel-multiple) is not executed");
    }
    bool in_event_sub = false;
    if (n.kind == NodeKind::kStartEvent && n.scope != 0) {
      const FlowNode& c = N(p_->scopes[static_cast<size_t>(n.scope)].node);
      in_event_sub = c.triggered_by_event;
    }
    for (const EventDefinition& ed : defs) {
      bool ok = false;
      switch (n.kind) {
        case NodeKind::kStartEvent:
          ok = in_event_sub ? Has({EK::kMessage, EK::kTimer, EK::kSignal, EK::kError, EK::kEscalation}, ed.kind)
                            : Has({EK::kMessage, EK::kTimer, EK::kSignal}, ed.kind);
          break;
        case NodeKind::kEndEvent:
          ok = Has({EK::kTerminate, EK::kError, EK::kMessage, EK::kSignal, EK::kEscalation}, ed.kind);
          break;
        case NodeKind::kIntermediateCatchEvent:
          ok = Has({EK::kMessage, EK::kTimer, EK::kSignal, EK::kLink}, ed.kind);
          break;
        case NodeKind::kIntermediateThrowEvent:
          ok = Has({EK::kMessage, EK::kSignal, EK::kLink, EK::kEscalation}, ed.kind);
          break;
        case NodeKind::kBoundaryEvent:
          ok = Has({EK::kTimer, EK::kMessage, EK::kError, EK::kSignal, EK::kEscalation}, ed.kind);
          break;
        default: break;
      }
      if (!ok) {
        Unsupported("unsupported-event-definition", &n, EventDefinitionKindName(ed.kind),
                    std::string(EventDefinitionKindName(ed.kind)) + " on " + NodeKindName(n.kind) +
                        (in_event_sub ? " of an event sub-process" : "") + " is not executed");
        continue;
      }
      LintEventDefinition(n, ed, in_event_sub);
    }
    if (defs.empty()) {
      if (n.kind == NodeKind::kIntermediateCatchEvent) {
        Report(Severity::kError, "missing-event-definition", &n, NodeKindName(n.kind),
               "an intermediate catch event needs an event definition");
      } else if (n.kind == NodeKind::kBoundaryEvent) {
        Report(Severity::kError, "missing-event-definition", &n, NodeKindName(n.kind),
               "a boundary event needs an event definition");
      }
    }
  }

  void LintEventDefinition(const FlowNode& n, const EventDefinition& ed, bool in_event_sub) {
    bool catching = n.kind == NodeKind::kStartEvent || n.kind == NodeKind::kBoundaryEvent ||
                    n.kind == NodeKind::kIntermediateCatchEvent;
    switch (ed.kind) {
      case EK::kMessage: {
        if (!catching) {
          // Throwing message events are served by a job worker or publish by name.
          if (ed.ref_index == kNoIndex && n.ext.task_type.empty()) {
            Report(Exec(), "message-ref-missing", &n, "messageEventDefinition",
                   "message throw event needs a message (messageRef) or a task type");
          }
          CheckExpr(&n, n.ext.task_type, "task type", true);
          break;
        }
        CheckMessage(n, ed.ref_index, /*needs_key=*/n.kind != NodeKind::kStartEvent || in_event_sub);
        break;
      }
      case EK::kTimer:
        if (ed.timer.empty()) {
          Report(Exec(), "timer-missing", &n, "timerEventDefinition",
                 "timer event has no timeDate, timeDuration or timeCycle value");
        } else {
          CheckExpr(&n, ed.timer, "timer", true);
        }
        if (ed.timer_expressions > 1) {
          Report(Severity::kWarning, "timer-ambiguous", &n, "timerEventDefinition",
                 "timer has several of timeDate/timeDuration/timeCycle; only one is used");
        }
        break;
      case EK::kSignal:
        if (ed.ref_index == kNoIndex ||
            d_.signals[static_cast<size_t>(ed.ref_index)].name.empty()) {
          Report(Exec(), "signal-ref-missing", &n, "signalEventDefinition",
                 "signal event needs a signal (signalRef) with a name");
        }
        break;
      case EK::kError:
        if (!catching && (ed.ref_index == kNoIndex ||
                          d_.errors[static_cast<size_t>(ed.ref_index)].error_code.empty())) {
          Report(Exec(), "error-code-missing", &n, "errorEventDefinition",
                 "error end event needs an error (errorRef) with an errorCode");
        }
        break;
      case EK::kEscalation:
        if (!catching && (ed.ref_index == kNoIndex ||
                          d_.escalations[static_cast<size_t>(ed.ref_index)].escalation_code.empty())) {
          Report(Exec(), "escalation-code-missing", &n, "escalationEventDefinition",
                 "escalation throw event needs an escalation (escalationRef) with an escalationCode");
        }
        break;
      case EK::kLink:
        if (ed.link_name.empty()) {
          Report(Severity::kError, "link-name-missing", &n, "linkEventDefinition",
                 "link event has no name");
        }
        break;
      default: break;
    }
  }

  void CheckMessage(const FlowNode& n, Index message, bool needs_key) {
    if (message == kNoIndex) {
      Report(Exec(), "message-ref-missing", &n, "message",
             std::string(NodeKindName(n.kind)) + " needs a message (messageRef)");
      return;
    }
    const Message& m = d_.messages[static_cast<size_t>(message)];
    if (m.name.empty()) {
      Report(Exec(), "message-name-missing", &n, "message",
             "message " + Quote(m.id) + " has no name to correlate by");
    }
    if (needs_key && m.correlation_key.empty()) {
      Report(Exec(), "correlation-key-missing", &n, "message",
             "message " + Quote(m.id) + " needs a correlation key (zeebe:subscription) for " +
                 NodeKindName(n.kind));
    }
    CheckExpr(&n, m.correlation_key, "correlation key", false);
  }

  void LintExtensions(const FlowNode* n, const Extensions& e) {
    for (const std::string& u : e.unmodelled) {
      Unsupported("unsupported-extension", n, u, "extension element " + u + " is not executed");
    }
    for (const std::string& u : e.unmodelled_attributes) {
      Report(Severity::kWarning, "ignored-extension-attribute", n, u,
             "extension attribute " + u + " has no effect here");
    }
    if (!e.java_implementation.empty()) {
      Unsupported("unsupported-implementation", n, "Java delegate",
                  "Camunda 7 implementation " + e.java_implementation +
                      " cannot run here; use a job worker task type");
    }
    if (!e.camunda_type.empty() && e.camunda_type != "external") {
      Unsupported("unsupported-implementation", n, "camunda:type=" + e.camunda_type,
                  "camunda:type=" + Quote(e.camunda_type) + " is not executed");
    }
    CheckExpr(n, e.task_type, "task type", true);
    CheckExpr(n, e.retries, "retries", true);
    for (const Mapping& m : e.inputs) CheckExpr(n, m.source, "input mapping to " + Quote(m.target), true);
    for (const Mapping& m : e.outputs) CheckExpr(n, m.source, "output mapping to " + Quote(m.target), true);
    // camunda:in/out: "${name}" names a variable and runs; other JUEL does not.
    for (const Mapping& m : e.call_inputs) {
      if (m.source.JuelVariable().empty()) CheckExpr(n, m.source, "call input mapping", true);
    }
    for (const Mapping& m : e.call_outputs) {
      if (m.source.JuelVariable().empty()) CheckExpr(n, m.source, "call output mapping", true);
    }
    CheckExpr(n, e.assignee, "assignee", true);
    CheckExpr(n, e.candidate_groups, "candidate groups", true);
    CheckExpr(n, e.candidate_users, "candidate users", true);
    CheckExpr(n, e.due_date, "due date", true);
    CheckExpr(n, e.follow_up_date, "follow-up date", true);
    CheckExpr(n, e.called_process, "called process", true);
    CheckExpr(n, e.called_decision, "called decision", true);
    CheckExpr(n, e.script, "script", false);
  }

  bool HasEmbeddedForm(std::string_view id) const {
    return std::any_of(p_->forms.begin(), p_->forms.end(),
                       [&](const EmbeddedForm& f) { return f.id == id; });
  }

  void LintNode(const FlowNode& n) {
    switch (n.kind) {
      case NodeKind::kComplexGateway:
      case NodeKind::kTransaction:
      case NodeKind::kAdHocSubProcess:
        Unsupported("unsupported-element", &n, NodeKindName(n.kind),
                    std::string(NodeKindName(n.kind)) + " is recognised but not executed");
        break;
      default: break;
    }
    if (n.standard_loop) {
      Unsupported("unsupported-element", &n, "standardLoopCharacteristics",
                  "standard loops are not executed; use multi-instance");
    }
    if (n.is_for_compensation) {
      Unsupported("unsupported-element", &n, "compensation activity",
                  "compensation handlers (isForCompensation) are not executed");
    }
    for (const std::string& u : n.unmodelled) {
      if (u == "ioSpecification" || u == "property" || u == "dataInputAssociation" ||
          u == "dataOutputAssociation") {
        Report(Severity::kWarning, "ignored-data-association", &n, u,
               "<" + u + "> is not executed; data flows through process variables");
      } else if (u == "performer" || u == "potentialOwner" || u == "humanPerformer" ||
                 u == "resourceRole") {
        Unsupported("unsupported-resource-assignment", &n, u,
                    "<" + u + "> is not evaluated; assign with zeebe:assignmentDefinition");
      } else {
        Report(Severity::kWarning, "ignored-element", &n, u,
               "<" + u + "> is recognised but has no effect on execution");
      }
    }
    LintExtensions(&n, n.ext);
    if (IsEvent(n.kind)) LintEventDefinitions(n);
    const Extensions& e = n.ext;
    switch (n.kind) {
      case NodeKind::kServiceTask:
      case NodeKind::kSendTask:
        if (e.task_type.empty() && e.java_implementation.empty()) {
          Report(Exec(), "task-type-missing", &n, NodeKindName(n.kind),
                 std::string(NodeKindName(n.kind)) + " needs a job type (zeebe:taskDefinition type)");
        }
        break;
      case NodeKind::kBusinessRuleTask:
        if (e.called_decision.empty() && e.task_type.empty() && e.java_implementation.empty()) {
          Report(Exec(), "task-type-missing", &n, NodeKindName(n.kind),
                 "business rule task needs a decision (zeebe:calledDecision) or a job type");
        }
        break;
      case NodeKind::kScriptTask:
        if (e.script.empty() && e.task_type.empty()) {
          if (!n.script.empty()) {
            Unsupported("unsupported-script-language", &n, "scriptFormat " + n.script_format,
                        "script in " + Quote(n.script_format) +
                            " is not executed; only FEEL scripts (zeebe:script) run");
          } else {
            Report(Exec(), "task-type-missing", &n, NodeKindName(n.kind),
                   "script task needs a FEEL script (zeebe:script) or a job type");
          }
        }
        if (!e.script.empty() && e.result_variable.empty()) {
          Report(Exec(), "result-variable-missing", &n, NodeKindName(n.kind),
                 "FEEL script task needs a result variable");
        }
        break;
      case NodeKind::kReceiveTask:
        CheckMessage(n, n.message_index, true);
        break;
      case NodeKind::kCallActivity:
        if (e.called_process.empty()) {
          Report(Exec(), "called-element-missing", &n, NodeKindName(n.kind),
                 "call activity needs a called process id (zeebe:calledElement)");
        }
        break;
      case NodeKind::kUserTask:
        if (e.form_key.starts_with("camunda-forms:bpmn:") &&
            !HasEmbeddedForm(std::string_view(e.form_key).substr(19))) {
          Report(Severity::kError, "form-not-found", &n, "formKey",
                 "form key " + Quote(e.form_key) + " names no zeebe:userTaskForm of the process");
        }
        break;
      default: break;
    }
    if (n.multi_instance) {
      const MultiInstance& mi = *n.multi_instance;
      if (mi.input_collection.empty() && mi.loop_cardinality.empty()) {
        Report(Exec(), "multi-instance-collection-missing", &n, "multiInstanceLoopCharacteristics",
               "multi-instance needs an input collection (or loop cardinality)");
      }
      CheckExpr(&n, mi.input_collection, "input collection", false);
      CheckExpr(&n, mi.loop_cardinality, "loop cardinality", true);
      CheckExpr(&n, mi.output_element, "output element", false);
      CheckExpr(&n, mi.completion_condition, "completion condition", false);
      if (!mi.output_collection.empty() && mi.output_element.empty()) {
        Report(Exec(), "multi-instance-output-element-missing", &n, "multiInstanceLoopCharacteristics",
               "output collection " + Quote(mi.output_collection) + " needs an output element");
      }
    }
    LintConnections(n);
  }

  void LintConnections(const FlowNode& n) {
    size_t in = n.incoming.size();
    size_t out = n.outgoing.size();
    if (n.kind == NodeKind::kStartEvent && in > 0) {
      Report(Severity::kError, "start-event-incoming", &n, "startEvent",
             "start event has incoming sequence flows");
    }
    if (n.kind == NodeKind::kBoundaryEvent && in > 0) {
      Report(Severity::kError, "boundary-event-incoming", &n, "boundaryEvent",
             "boundary event has incoming sequence flows");
    }
    if (n.kind == NodeKind::kEndEvent && out > 0) {
      Report(Severity::kError, "end-event-outgoing", &n, "endEvent",
             "end event has outgoing sequence flows");
    }
    if (n.triggered_by_event && (in > 0 || out > 0)) {
      Report(Severity::kError, "event-sub-process-connected", &n, "subProcess",
             "an event sub-process must not have sequence flows");
    }
    bool is_link_throw = n.kind == NodeKind::kIntermediateThrowEvent && !n.event_definitions.empty() &&
                         n.event_definitions[0].kind == EK::kLink;
    if (out == 0 && n.kind != NodeKind::kEndEvent && !n.triggered_by_event && !is_link_throw &&
        !n.is_for_compensation && !(n.kind == NodeKind::kBoundaryEvent && !n.event_definitions.empty() &&
                                     n.event_definitions[0].kind == EK::kCompensate)) {
      Report(Severity::kWarning, "implicit-end", &n, NodeKindName(n.kind),
             "element has no outgoing sequence flow (implicit end)");
    }
    if (IsGateway(n.kind)) {
      if (in > 1 && out > 1) {
        Report(Severity::kWarning, "gateway-join-fork", &n, NodeKindName(n.kind),
               "gateway both joins and forks; model two gateways");
      }
      if (in == 1 && out == 1) {
        Report(Severity::kWarning, "superfluous-gateway", &n, NodeKindName(n.kind),
               "gateway has one incoming and one outgoing flow");
      }
    } else {
      if (in > 1 && n.kind != NodeKind::kStartEvent && n.kind != NodeKind::kBoundaryEvent) {
        Report(Severity::kWarning, "implicit-join", &n, NodeKindName(n.kind),
               "several incoming flows do not join: each token runs the element again; use a gateway");
      }
      size_t unconditional = 0;
      for (Index f : n.outgoing) {
        if (F(f).condition.empty() && !F(f).is_default) ++unconditional;
      }
      if (unconditional > 1) {
        Report(Severity::kWarning, "implicit-split", &n, NodeKindName(n.kind),
               "several unconditional outgoing flows split implicitly; use a parallel gateway");
      }
    }
    if ((IsActivity(n.kind) || (IsGateway(n.kind) && out > 1 && n.kind != NodeKind::kParallelGateway &&
                                n.kind != NodeKind::kEventBasedGateway)) &&
        n.name.empty() && n.kind != NodeKind::kSubProcess) {
      Report(Severity::kWarning, "label-missing", &n, NodeKindName(n.kind), "element has no name");
    }
    if (n.kind == NodeKind::kExclusiveGateway || n.kind == NodeKind::kInclusiveGateway) {
      if (out > 1) {
        size_t with_condition = 0;
        for (Index f : n.outgoing) with_condition += F(f).condition.empty() ? 0 : 1;
        if (with_condition == 0) {
          Report(Severity::kError, "gateway-without-conditions", &n, NodeKindName(n.kind),
                 "forking gateway has no conditions on its outgoing flows");
        } else {
          for (Index f : n.outgoing) {
            if (F(f).condition.empty() && !F(f).is_default) {
              ReportFlow(Severity::kError, "missing-condition", F(f),
                         "flow out of " + Quote(n.id) + " has neither a condition nor is the default flow");
            }
          }
        }
        if (n.default_flow == kNoIndex) {
          Report(Severity::kWarning, "missing-default-flow", &n, NodeKindName(n.kind),
                 "no default flow: if no condition is true the instance stops with an incident");
        }
      }
    }
    if (n.kind == NodeKind::kEventBasedGateway) {
      if (out < 2) {
        Report(Severity::kError, "invalid-event-based-gateway", &n, NodeKindName(n.kind),
               "event-based gateway needs at least two outgoing flows");
      }
      for (Index f : n.outgoing) {
        const FlowNode& t = N(F(f).target);
        bool ok = t.kind == NodeKind::kReceiveTask ||
                  (t.kind == NodeKind::kIntermediateCatchEvent && t.event_definitions.size() == 1 &&
                   Has({EK::kMessage, EK::kTimer, EK::kSignal}, t.event_definitions[0].kind));
        if (!ok) {
          Report(Severity::kError, "invalid-event-based-gateway", &n, NodeKindName(n.kind),
                 "event-based gateway leads to " + Quote(t.id) +
                     ", which is not a message/timer/signal catch event or receive task");
        }
      }
    }
    if (n.default_flow != kNoIndex && !IsGateway(n.kind)) {
      Unsupported("unsupported-conditional-flow", &n, "default flow on activity",
                  "default flows out of activities are not executed; use an exclusive gateway");
    }
  }

  void LintFlow(const SequenceFlow& f) {
    if (f.source == kNoIndex) return;
    const FlowNode& s = N(f.source);
    if (!f.condition.empty()) {
      if (s.kind == NodeKind::kParallelGateway || s.kind == NodeKind::kEventBasedGateway) {
        ReportFlow(Severity::kWarning, "ignored-condition", f,
                   "condition on a flow out of a " + std::string(NodeKindName(s.kind)) +
                       " is ignored");
      } else if (!IsGateway(s.kind)) {
        ReportFlow(Exec(), "unsupported-conditional-flow", f,
                   "conditional flow out of " + Quote(s.id) +
                       " (not a gateway) is not executed; use an exclusive gateway",
                   true, "conditional sequence flow");
      } else if (s.kind == NodeKind::kExclusiveGateway || s.kind == NodeKind::kInclusiveGateway) {
        if (f.is_default) {
          ReportFlow(Severity::kWarning, "ignored-condition", f,
                     "the default flow's condition is ignored");
        } else {
          Expression c = f.condition;
          size_t before = out_.size();
          CheckExpr(&s, c, "condition of flow " + Quote(f.id), false);
          // Attribute the finding to the flow, which carries the condition.
          for (size_t i = before; i < out_.size(); ++i) {
            out_[i].element_id = f.id;
            out_[i].pos = f.pos;
          }
        }
      }
    }
  }

  void LintDuplicateFlows() {
    std::set<std::tuple<Index, Index, std::string>> seen;
    for (const SequenceFlow& f : p_->flows) {
      if (f.source == kNoIndex) continue;
      if (!seen.insert({f.source, f.target, f.condition.text}).second) {
        ReportFlow(Severity::kWarning, "duplicate-sequence-flow", f,
                   "another flow connects " + Quote(N(f.source).id) + " to " +
                       Quote(N(f.target).id) + " the same way");
      }
    }
  }

  static const EventDefinition* LinkOf(const FlowNode& n) {
    if (n.event_definitions.size() != 1 || n.event_definitions[0].kind != EK::kLink) return nullptr;
    return &n.event_definitions[0];
  }

  void LintLinks() {
    // Link events pair by name within one scope.
    for (const Scope& s : p_->scopes) {
      std::multiset<std::string> catches;
      for (Index i : s.nodes) {
        const EventDefinition* l = LinkOf(N(i));
        if (l && N(i).kind == NodeKind::kIntermediateCatchEvent) catches.insert(l->link_name);
      }
      for (Index i : s.nodes) {
        const FlowNode& n = N(i);
        const EventDefinition* l = LinkOf(n);
        if (!l || l->link_name.empty()) continue;
        if (n.kind == NodeKind::kIntermediateThrowEvent && catches.count(l->link_name) == 0) {
          Report(Severity::kError, "link-unmatched", &n, "linkEventDefinition",
                 "no link catch event named " + Quote(l->link_name) + " in this scope");
        }
        if (n.kind == NodeKind::kIntermediateCatchEvent && catches.count(l->link_name) > 1) {
          Report(Severity::kError, "link-duplicate", &n, "linkEventDefinition",
                 "several link catch events are named " + Quote(l->link_name));
        }
      }
    }
  }

  // Marks what tokens can reach: from start events along sequence flows,
  // through boundary events of reached activities, link throws to catches,
  // into sub-processes and event sub-processes of reached scopes.
  void LintReachability() {
    std::vector<bool> reached(p_->nodes.size(), false);
    std::deque<Index> work;
    auto enter_scope = [&](Index si) {
      const Scope& s = p_->scopes[static_cast<size_t>(si)];
      for (Index i : s.start_events) work.push_back(i);
      for (Index i : s.event_subprocesses) work.push_back(i);
      // Compensation handlers and ad-hoc content are entered without flows.
      for (Index i : s.nodes) {
        if (N(i).is_for_compensation) work.push_back(i);
        if (si != 0 && N(p_->scopes[static_cast<size_t>(si)].node).kind == NodeKind::kAdHocSubProcess &&
            N(i).incoming.empty()) {
          work.push_back(i);
        }
      }
    };
    enter_scope(0);
    while (!work.empty()) {
      Index i = work.front();
      work.pop_front();
      if (reached[static_cast<size_t>(i)]) continue;
      reached[static_cast<size_t>(i)] = true;
      const FlowNode& n = N(i);
      for (Index f : n.outgoing) work.push_back(F(f).target);
      for (Index b : n.boundary_events) work.push_back(b);
      if (n.inner_scope != kNoIndex) enter_scope(n.inner_scope);
      const EventDefinition* l = LinkOf(n);
      if (l && n.kind == NodeKind::kIntermediateThrowEvent) {
        for (Index j : p_->scopes[static_cast<size_t>(n.scope)].nodes) {
          const EventDefinition* lc = LinkOf(N(j));
          if (lc && N(j).kind == NodeKind::kIntermediateCatchEvent && lc->link_name == l->link_name) {
            work.push_back(j);
          }
        }
      }
    }
    for (size_t i = 0; i < p_->nodes.size(); ++i) {
      if (reached[i]) continue;
      const FlowNode& n = p_->nodes[i];
      // Report the outermost unreached element only.
      if (n.scope != 0 && !reached[static_cast<size_t>(p_->scopes[static_cast<size_t>(n.scope)].node)]) continue;
      Report(Severity::kWarning, "unreachable-element", &n, NodeKindName(n.kind),
             "no token can reach this element from a start event");
    }
  }

  const Definitions& d_;
  const Process* p_ = nullptr;
  std::vector<Finding> out_;
};

}  // namespace

const char* SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::vector<Finding> Lint(const Definitions& definitions) { return Linter(definitions).Run(); }

core::Status CheckExecutable(const Definitions& definitions) {
  std::vector<core::FieldError> details;
  bool modelling_error = false;
  bool any_executable = false;
  for (const Process& p : definitions.processes) any_executable = any_executable || p.is_executable;
  if (!any_executable) {
    return core::InvalidArgument("no executable process: mark one isExecutable=\"true\"",
                                 {{definitions.id, "no-executable-process"}});
  }
  for (const Finding& f : Lint(definitions)) {
    if (f.severity != Severity::kError) continue;
    const Process* p = nullptr;
    for (const Process& q : definitions.processes) {
      if (q.id == f.process_id) p = &q;
    }
    if (p == nullptr || !p->is_executable) continue;
    modelling_error = modelling_error || !f.unsupported;
    details.push_back({f.element_id, f.code + ": " + f.message + " (line " +
                                         std::to_string(f.pos.line) + ":" +
                                         std::to_string(f.pos.column) + ")"});
  }
  if (details.empty()) return core::OkStatus();
  std::string msg = std::to_string(details.size()) + " problem" + (details.size() == 1 ? "" : "s") +
                    " prevent execution; first: " + details[0].pointer + ": " + details[0].message;
  if (modelling_error) return core::InvalidArgument(std::move(msg), std::move(details));
  core::Error e = core::Unimplemented(std::move(msg));
  for (auto& d : details) e.AddDetail(std::move(d.pointer), std::move(d.message));
  return e;
}

std::string FormatFinding(const Finding& f) {
  std::string out = SeverityName(f.severity);
  out.resize(8, ' ');
  out += "line " + std::to_string(f.pos.line) + ":" + std::to_string(f.pos.column) + "  ";
  out += f.element_id.empty() ? "-" : f.element_id;
  out += "  " + f.code + "  " + f.message;
  return out;
}

}  // namespace amtsweg::bpmn
