#include "bpmn/importer.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace amtsweg::bpmn {
namespace {

using core::Error;
using core::FieldError;

constexpr std::string_view kBpmnNs = "http://www.omg.org/spec/BPMN/20100524/MODEL";
constexpr std::string_view kBpmnDiNs = "http://www.omg.org/spec/BPMN/20100524/DI";
constexpr std::string_view kZeebeNs = "http://camunda.org/schema/zeebe/1.0";
constexpr std::string_view kCamundaNs = "http://camunda.org/schema/1.0/bpmn";
// Camunda 7 forked from Activiti and kept its attribute names; Flowable too.
constexpr std::string_view kActivitiNs = "http://activiti.org/bpmn";
constexpr std::string_view kFlowableNs = "http://flowable.org/bpmn";
constexpr std::string_view kModelerNs = "http://camunda.org/schema/modeler/1.0";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

enum class Ns { kNone, kOther, kBpmn, kBpmnDi, kZeebe, kCamunda, kModeler };

Ns ClassifyNs(std::string_view uri) {
  if (uri.empty()) return Ns::kNone;
  if (uri == kBpmnNs) return Ns::kBpmn;
  if (uri == kBpmnDiNs) return Ns::kBpmnDi;
  if (uri == kZeebeNs) return Ns::kZeebe;
  if (uri == kCamundaNs || uri == kActivitiNs || uri == kFlowableNs) return Ns::kCamunda;
  if (uri == kModelerNs) return Ns::kModeler;
  return Ns::kOther;
}

struct QName {
  Ns ns = Ns::kNone;
  std::string_view local;
};

std::pair<std::string_view, std::string_view> SplitName(std::string_view qname) {
  size_t colon = qname.find(':');
  if (colon == std::string_view::npos) return {{}, qname};
  return {qname.substr(0, colon), qname.substr(colon + 1)};
}

// Looks the prefix up on the element and its ancestors (xmlns / xmlns:p).
// BPMN files are shallow, so walking up beats keeping a scope stack.
std::string_view ResolvePrefix(pugi::xml_node node, std::string_view prefix) {
  if (prefix == "xml") return kXmlNs;
  for (pugi::xml_node n = node; n; n = n.parent()) {
    if (n.type() != pugi::node_element) continue;
    for (pugi::xml_attribute a : n.attributes()) {
      std::string_view name = a.name();
      if (prefix.empty() ? name == "xmlns"
                         : (name.size() == prefix.size() + 6 && name.substr(0, 6) == "xmlns:" &&
                            name.substr(6) == prefix)) {
        return a.value();
      }
    }
  }
  return {};
}

QName ElementName(pugi::xml_node node) {
  auto [prefix, local] = SplitName(node.name());
  std::string_view uri = ResolvePrefix(node, prefix);
  // An unbound prefix is not BPMN, whatever it is called.
  return {uri.empty() ? (prefix.empty() ? Ns::kNone : Ns::kOther) : ClassifyNs(uri), local};
}

bool IsBpmn(pugi::xml_node node, std::string_view local) {
  if (node.type() != pugi::node_element) return false;
  QName q = ElementName(node);
  return q.ns == Ns::kBpmn && q.local == local;
}

std::string_view Attr(pugi::xml_node node, const char* name) {
  return node.attribute(name).value();
}

bool AttrBool(pugi::xml_node node, const char* name, bool fallback) {
  pugi::xml_attribute a = node.attribute(name);
  if (!a) return fallback;
  std::string_view v = a.value();
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return fallback;
}

// QName references ("tns:Message_1") point at local ids; ids cannot contain ':'.
std::string StripPrefix(std::string_view ref) {
  size_t colon = ref.rfind(':');
  std::string_view s = colon == std::string_view::npos ? ref : ref.substr(colon + 1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// Concatenated text and CDATA children.
std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

Expression ExprOf(pugi::xml_node node) {
  return Expression::Parse(Text(node), Attr(node, "language"));
}

std::optional<NodeKind> NodeKindOf(std::string_view local) {
  static const std::unordered_map<std::string_view, NodeKind> kKinds = {
      {"startEvent", NodeKind::kStartEvent},
      {"endEvent", NodeKind::kEndEvent},
      {"intermediateCatchEvent", NodeKind::kIntermediateCatchEvent},
      {"intermediateThrowEvent", NodeKind::kIntermediateThrowEvent},
      {"boundaryEvent", NodeKind::kBoundaryEvent},
      {"task", NodeKind::kTask},
      {"serviceTask", NodeKind::kServiceTask},
      {"sendTask", NodeKind::kSendTask},
      {"receiveTask", NodeKind::kReceiveTask},
      {"userTask", NodeKind::kUserTask},
      {"manualTask", NodeKind::kManualTask},
      {"scriptTask", NodeKind::kScriptTask},
      {"businessRuleTask", NodeKind::kBusinessRuleTask},
      {"subProcess", NodeKind::kSubProcess},
      {"callActivity", NodeKind::kCallActivity},
      {"transaction", NodeKind::kTransaction},
      {"adHocSubProcess", NodeKind::kAdHocSubProcess},
      {"exclusiveGateway", NodeKind::kExclusiveGateway},
      {"parallelGateway", NodeKind::kParallelGateway},
      {"inclusiveGateway", NodeKind::kInclusiveGateway},
      {"eventBasedGateway", NodeKind::kEventBasedGateway},
      {"complexGateway", NodeKind::kComplexGateway},
  };
  auto it = kKinds.find(local);
  if (it == kKinds.end()) return std::nullopt;
  return it->second;
}

std::optional<EventDefinitionKind> EventDefinitionKindOf(std::string_view local) {
  static const std::unordered_map<std::string_view, EventDefinitionKind> kKinds = {
      {"messageEventDefinition", EventDefinitionKind::kMessage},
      {"timerEventDefinition", EventDefinitionKind::kTimer},
      {"signalEventDefinition", EventDefinitionKind::kSignal},
      {"errorEventDefinition", EventDefinitionKind::kError},
      {"escalationEventDefinition", EventDefinitionKind::kEscalation},
      {"linkEventDefinition", EventDefinitionKind::kLink},
      {"terminateEventDefinition", EventDefinitionKind::kTerminate},
      {"compensateEventDefinition", EventDefinitionKind::kCompensate},
      {"conditionalEventDefinition", EventDefinitionKind::kConditional},
      {"cancelEventDefinition", EventDefinitionKind::kCancel},
  };
  auto it = kKinds.find(local);
  if (it == kKinds.end()) return std::nullopt;
  return it->second;
}

std::optional<ArtifactKind> ArtifactKindOf(std::string_view local) {
  if (local == "dataObject") return ArtifactKind::kDataObject;
  if (local == "dataObjectReference") return ArtifactKind::kDataObjectReference;
  if (local == "dataStoreReference") return ArtifactKind::kDataStoreReference;
  if (local == "textAnnotation") return ArtifactKind::kTextAnnotation;
  if (local == "association") return ArtifactKind::kAssociation;
  if (local == "group") return ArtifactKind::kGroup;
  return std::nullopt;
}

// Children of a container element that belong to its inner scope, not to the
// container node itself.
bool IsScopeContent(std::string_view local) {
  return NodeKindOf(local).has_value() || ArtifactKindOf(local).has_value() ||
         local == "sequenceFlow" || local == "laneSet";
}

// Children every flow node may have that carry nothing for execution.
bool IsInert(std::string_view local) {
  return local == "documentation" || local == "incoming" || local == "outgoing" ||
         local == "extensionElements" || local == "auditing" || local == "monitoring" ||
         local == "categoryValueRef";
}

// Things that are not flow nodes but can appear among flow elements; listed
// so tools see them.
bool IsOtherFlowElement(std::string_view local) {
  return local == "callChoreography" || local == "choreographyTask" ||
         local == "subChoreography" || local == "implicitThrowEvent";
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

struct PendingFlow {
  Index process;
  Index flow;
  std::string source;
  std::string target;
};

class Importer {
 public:
  explicit Importer(std::string_view xml) : xml_(xml) {}

  core::Result<std::shared_ptr<const Definitions>> Run() {
    if (xml_.size() > kMaxBpmnBytes) {
      return core::ResourceExhausted("BPMN document of " + std::to_string(xml_.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(kMaxBpmnBytes));
    }
    BuildLineTable();
    // No parse_doctype expansion happens in pugixml: external entities are
    // never fetched and custom entities never expanded (no XXE, no billion laughs).
    pugi::xml_parse_result parsed = doc_.load_buffer(
        xml_.data(), xml_.size(), pugi::parse_default | pugi::parse_declaration,
        pugi::encoding_auto);
    if (!parsed) {
      SourcePos p = PosOf(parsed.offset);
      return core::InvalidArgument("malformed XML at line " + std::to_string(p.line) + ":" +
                                       std::to_string(p.column) + ": " + parsed.description(),
                                   {{Loc(p), parsed.description()}});
    }
    pugi::xml_node root = doc_.document_element();
    if (!root) return core::InvalidArgument("empty XML document");
    AW_TRY(CheckDepth());
    QName rq = ElementName(root);
    if (rq.ns != Ns::kBpmn || rq.local != "definitions") {
      SourcePos p = PosOf(root);
      return core::InvalidArgument(
          "line " + Loc(p) + ": root element <" + std::string(root.name()) +
              "> is not BPMN 2.0 definitions (namespace " + std::string(kBpmnNs) + ")",
          {{Loc(p), "root element is not bpmn:definitions"}});
    }
    auto defs = std::make_shared<Definitions>();
    d_ = defs.get();
    d_->source_xml = std::string(xml_);
    d_->id = Attr(root, "id");
    d_->name = Attr(root, "name");
    d_->target_namespace = Attr(root, "targetNamespace");
    d_->exporter = Attr(root, "exporter");
    d_->exporter_version = Attr(root, "exporterVersion");
    for (pugi::xml_attribute a : root.attributes()) {
      auto [prefix, local] = SplitName(a.name());
      if (!prefix.empty() && prefix != "xmlns" && local == "executionPlatform" &&
          ClassifyNs(ResolvePrefix(root, prefix)) == Ns::kModeler) {
        d_->execution_platform = a.value();
      }
    }

    CollectIds(root);
    // Root elements first: event definitions and collaborations refer to them.
    for (pugi::xml_node c : root.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      if (q.ns == Ns::kBpmn) {
        if (q.local == "message") ParseMessage(c);
        else if (q.local == "signal") d_->signals.push_back({std::string(Attr(c, "id")), std::string(Attr(c, "name"))});
        else if (q.local == "error") d_->errors.push_back({std::string(Attr(c, "id")), std::string(Attr(c, "name")), std::string(Attr(c, "errorCode"))});
        else if (q.local == "escalation") d_->escalations.push_back({std::string(Attr(c, "id")), std::string(Attr(c, "name")), std::string(Attr(c, "escalationCode"))});
      }
    }
    for (pugi::xml_node c : root.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      if (q.ns == Ns::kBpmn) {
        if (q.local == "process") {
          ParseProcess(c);
        } else if (q.local == "collaboration") {
          ParseCollaboration(c);
        } else if (q.local != "message" && q.local != "signal" && q.local != "error" &&
                   q.local != "escalation" && q.local != "documentation" &&
                   q.local != "extensionElements") {
          d_->other_elements.push_back({std::string(q.local), std::string(Attr(c, "id")), PosOf(c)});
        }
      } else if (q.ns == Ns::kBpmnDi && q.local == "BPMNDiagram") {
        CountDiagram(c);
      }
    }
    for (size_t p = 0; p < d_->processes.size(); ++p) ResolveProcess(static_cast<Index>(p));
    ResolveCollaborations();

    if (!problems_.empty()) {
      std::string msg = "invalid BPMN: " + std::to_string(problems_.size()) + " problem" +
                        (problems_.size() == 1 ? "" : "s") + "; first: " + problems_[0].pointer +
                        ": " + problems_[0].message;
      return core::InvalidArgument(std::move(msg), std::move(problems_));
    }
    return std::shared_ptr<const Definitions>(std::move(defs));
  }

 private:
  // --- positions and problems ---

  void BuildLineTable() {
    line_starts_.push_back(0);
    for (size_t i = 0; i < xml_.size(); ++i) {
      if (xml_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  SourcePos PosOf(ptrdiff_t offset) const {
    if (offset < 0) return {};
    size_t off = std::min(static_cast<size_t>(offset), xml_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {static_cast<int>(line), static_cast<int>(off - line_starts_[line - 1] + 1)};
  }
  // offset_debug points at the name; the '<' is one byte before.
  SourcePos PosOf(pugi::xml_node n) const {
    ptrdiff_t off = n.offset_debug();
    return PosOf(off > 0 ? off - 1 : off);
  }
  static std::string Loc(SourcePos p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
  }

  void Problem(std::string_view id, SourcePos pos, std::string message) {
    if (problems_.size() >= 100) return;  // enough to fix the file; bounded for fuzzing
    problems_.push_back({id.empty() ? Loc(pos) : std::string(id),
                         "line " + Loc(pos) + ": " + std::move(message)});
  }

  // --- whole-document passes ---

  core::Status CheckDepth() {
    std::vector<std::pair<pugi::xml_node, int>> stack{{doc_.document_element(), 1}};
    while (!stack.empty()) {
      auto [n, depth] = stack.back();
      stack.pop_back();
      if (depth > kMaxBpmnDepth) {
        SourcePos p = PosOf(n);
        return core::ResourceExhausted("line " + Loc(p) + ": XML nesting deeper than " +
                                       std::to_string(kMaxBpmnDepth) + " levels");
      }
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) stack.push_back({c, depth + 1});
      }
    }
    return core::OkStatus();
  }

  // Every id of a BPMN model element, for duplicate detection and message flows.
  void CollectIds(pugi::xml_node root) {
    std::vector<pugi::xml_node> stack{root};
    while (!stack.empty()) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      QName q = ElementName(n);
      if (q.ns == Ns::kBpmn) {
        std::string_view id = Attr(n, "id");
        if (!id.empty()) {
          auto [it, inserted] = ids_.emplace(std::string(id), PosOf(n));
          if (!inserted) {
            Problem(id, PosOf(n),
                    "duplicate id '" + std::string(id) + "' (first defined at line " +
                        Loc(it->second) + ")");
          }
        }
      }
      // Vendor extension content may reuse ids freely; it is not BPMN.
      if (q.ns == Ns::kBpmn && q.local == "extensionElements") continue;
      for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) {
        if (c.type() == pugi::node_element) stack.push_back(c);
      }
    }
  }

  void CountDiagram(pugi::xml_node diagram) {
    ++d_->diagram_count;
    std::vector<pugi::xml_node> stack{diagram};
    while (!stack.empty()) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        QName q = ElementName(c);
        if (q.ns == Ns::kBpmnDi && q.local == "BPMNShape") ++d_->shape_count;
        if (q.ns == Ns::kBpmnDi && q.local == "BPMNEdge") ++d_->edge_count;
        stack.push_back(c);
      }
    }
  }

  // --- root elements ---

  void ParseMessage(pugi::xml_node n) {
    Message m{std::string(Attr(n, "id")), std::string(Attr(n, "name")), {}};
    for (pugi::xml_node ext : n.children()) {
      if (!IsBpmn(ext, "extensionElements")) continue;
      for (pugi::xml_node c : ext.children()) {
        if (c.type() != pugi::node_element) continue;
        QName q = ElementName(c);
        if (q.ns == Ns::kZeebe && q.local == "subscription") {
          m.correlation_key = Expression::Parse(Attr(c, "correlationKey"));
        }
      }
    }
    d_->messages.push_back(std::move(m));
  }

  void ParseCollaboration(pugi::xml_node n) {
    Collaboration c;
    c.id = Attr(n, "id");
    c.name = Attr(n, "name");
    for (pugi::xml_node e : n.children()) {
      if (e.type() != pugi::node_element) continue;
      QName q = ElementName(e);
      if (q.ns != Ns::kBpmn) continue;
      if (q.local == "participant") {
        c.participants.push_back({std::string(Attr(e, "id")), std::string(Attr(e, "name")),
                                  StripPrefix(Attr(e, "processRef")), kNoIndex});
      } else if (q.local == "messageFlow") {
        c.message_flows.push_back({std::string(Attr(e, "id")), std::string(Attr(e, "name")),
                                   StripPrefix(Attr(e, "sourceRef")),
                                   StripPrefix(Attr(e, "targetRef")),
                                   StripPrefix(Attr(e, "messageRef"))});
        flow_pos_[c.message_flows.back().id] = PosOf(e);
      } else if (auto ak = ArtifactKindOf(q.local)) {
        c.artifacts.push_back(MakeArtifact(e, *ak, 0));
      } else if (q.local != "documentation" && q.local != "extensionElements") {
        d_->other_elements.push_back({std::string(q.local), std::string(Attr(e, "id")), PosOf(e)});
      }
    }
    d_->collaborations.push_back(std::move(c));
  }

  Artifact MakeArtifact(pugi::xml_node e, ArtifactKind kind, Index scope) {
    Artifact a{kind, std::string(Attr(e, "id")), std::string(Attr(e, "name")), scope};
    if (kind == ArtifactKind::kTextAnnotation) {
      for (pugi::xml_node t : e.children()) {
        if (IsBpmn(t, "text")) a.name = Text(t);
      }
    }
    return a;
  }

  // --- processes ---

  void ParseProcess(pugi::xml_node n) {
    Process p;
    p.id = Attr(n, "id");
    p.name = Attr(n, "name");
    p.is_executable = AttrBool(n, "isExecutable", false);
    p.pos = PosOf(n);
    p.scopes.push_back(Scope{});
    d_->processes.push_back(std::move(p));
    Index pi = static_cast<Index>(d_->processes.size() - 1);
    Process& proc = d_->processes.back();
    ParseExtensionAttributes(n, proc.ext);
    for (pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      if (q.ns != Ns::kBpmn) continue;
      if (q.local == "extensionElements") {
        ParseExtensionElements(c, proc.ext, &proc);
      } else if (!IsScopeContent(q.local) && !IsInert(q.local) && !IsOtherFlowElement(q.local)) {
        AddUnique(proc.unmodelled, std::string(q.local));
      }
    }
    ParseScope(n, pi, 0);
  }

  void ParseLanes(pugi::xml_node lane_set, Process& p, Index parent) {
    for (pugi::xml_node l : lane_set.children()) {
      if (!IsBpmn(l, "lane")) continue;
      Lane lane{std::string(Attr(l, "id")), std::string(Attr(l, "name")), parent, {}};
      for (pugi::xml_node r : l.children()) {
        if (IsBpmn(r, "flowNodeRef")) lane.flow_node_refs.push_back(StripPrefix(Text(r)));
      }
      p.lanes.push_back(std::move(lane));
      Index self = static_cast<Index>(p.lanes.size() - 1);
      for (pugi::xml_node child : l.children()) {
        if (IsBpmn(child, "childLaneSet")) ParseLanes(child, p, self);
      }
    }
  }

  // Flow elements directly inside `container` (a process or a sub-process).
  void ParseScope(pugi::xml_node container, Index pi, Index scope) {
    for (pugi::xml_node c : container.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      if (q.ns != Ns::kBpmn) continue;
      Process& p = d_->processes[static_cast<size_t>(pi)];
      if (auto kind = NodeKindOf(q.local)) {
        ParseNode(c, *kind, pi, scope);
      } else if (q.local == "sequenceFlow") {
        SequenceFlow f;
        f.id = Attr(c, "id");
        f.name = Attr(c, "name");
        f.pos = PosOf(c);
        f.scope = scope;
        for (pugi::xml_node e : c.children()) {
          if (IsBpmn(e, "conditionExpression")) f.condition = ExprOf(e);
        }
        p.flows.push_back(std::move(f));
        pending_flows_.push_back({pi, static_cast<Index>(p.flows.size() - 1),
                                  StripPrefix(Attr(c, "sourceRef")),
                                  StripPrefix(Attr(c, "targetRef"))});
      } else if (auto ak = ArtifactKindOf(q.local)) {
        p.artifacts.push_back(MakeArtifact(c, *ak, scope));
      } else if (q.local == "laneSet") {
        ParseLanes(c, p, kNoIndex);
      } else if (IsOtherFlowElement(q.local)) {
        d_->other_elements.push_back({std::string(q.local), std::string(Attr(c, "id")), PosOf(c)});
      }
    }
  }

  void ParseNode(pugi::xml_node n, NodeKind kind, Index pi, Index scope) {
    FlowNode node;
    node.id = Attr(n, "id");
    node.name = Attr(n, "name");
    node.kind = kind;
    node.pos = PosOf(n);
    node.scope = scope;
    if (kind == NodeKind::kStartEvent) node.interrupting = AttrBool(n, "isInterrupting", true);
    if (kind == NodeKind::kBoundaryEvent) node.interrupting = AttrBool(n, "cancelActivity", true);
    node.parallel_multiple = AttrBool(n, "parallelMultiple", false);
    node.triggered_by_event = AttrBool(n, "triggeredByEvent", false);
    node.is_for_compensation = AttrBool(n, "isForCompensation", false);
    node.called_element = StripPrefix(Attr(n, "calledElement"));
    node.script_format = Attr(n, "scriptFormat");
    node.implementation = Attr(n, "implementation");
    node.message_ref = StripPrefix(Attr(n, "messageRef"));
    node.gateway_direction = Attr(n, "gatewayDirection");
    ParseExtensionAttributes(n, node.ext);
    if (kind == NodeKind::kCallActivity && node.ext.called_process.empty() &&
        !node.called_element.empty()) {
      node.ext.called_process = Expression::Parse(Attr(n, "calledElement"));
    }

    for (pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      if (q.ns != Ns::kBpmn) continue;
      if (auto ek = EventDefinitionKindOf(q.local)) {
        node.event_definitions.push_back(ParseEventDefinition(c, *ek));
      } else if (q.local == "extensionElements") {
        ParseExtensionElements(c, node.ext, nullptr);
      } else if (q.local == "multiInstanceLoopCharacteristics") {
        node.multi_instance = ParseMultiInstance(c);
      } else if (q.local == "standardLoopCharacteristics") {
        node.standard_loop = true;
      } else if (q.local == "script" && kind == NodeKind::kScriptTask) {
        node.script = Text(c);
      } else if (IsContainer(kind) && (IsScopeContent(q.local) || IsOtherFlowElement(q.local))) {
        // handled by ParseScope below
      } else if (!IsInert(q.local)) {
        AddUnique(node.unmodelled, std::string(q.local));
      }
    }
    // A script task whose format is FEEL is executed like zeebe:script.
    if (kind == NodeKind::kScriptTask && node.ext.script.empty() && !node.script.empty()) {
      std::string_view fmt = node.script_format;
      bool feel = fmt == "feel" || fmt == "FEEL" || fmt == "application/feel";
      if (feel) node.ext.script = Expression::Parse(node.script, "feel");
    }

    Process& p = d_->processes[static_cast<size_t>(pi)];
    Index ni = static_cast<Index>(p.nodes.size());
    std::string attached = StripPrefix(Attr(n, "attachedToRef"));
    std::string default_flow = StripPrefix(Attr(n, "default"));
    if (!attached.empty()) pending_attach_.push_back({pi, ni, std::move(attached)});
    else if (kind == NodeKind::kBoundaryEvent) {
      Problem(node.id, node.pos, "boundary event '" + node.id + "' has no attachedToRef");
    }
    if (!default_flow.empty()) pending_default_.push_back({pi, ni, std::move(default_flow)});
    bool container = IsContainer(kind);
    bool event_sub = node.triggered_by_event;
    NodeKind k = node.kind;
    p.nodes.push_back(std::move(node));
    Scope& s = p.scopes[static_cast<size_t>(scope)];
    s.nodes.push_back(ni);
    if (k == NodeKind::kStartEvent) s.start_events.push_back(ni);
    if (k == NodeKind::kSubProcess && event_sub) s.event_subprocesses.push_back(ni);
    if (container) {
      Scope inner;
      inner.node = ni;
      inner.parent = scope;
      p.scopes.push_back(std::move(inner));
      Index si = static_cast<Index>(p.scopes.size() - 1);
      p.nodes[static_cast<size_t>(ni)].inner_scope = si;
      ParseScope(n, pi, si);  // depth is bounded by CheckDepth
    }
  }

  EventDefinition ParseEventDefinition(pugi::xml_node c, EventDefinitionKind kind) {
    EventDefinition ed;
    ed.kind = kind;
    ed.id = Attr(c, "id");
    switch (kind) {
      case EventDefinitionKind::kMessage: ed.ref = StripPrefix(Attr(c, "messageRef")); break;
      case EventDefinitionKind::kSignal: ed.ref = StripPrefix(Attr(c, "signalRef")); break;
      case EventDefinitionKind::kError: ed.ref = StripPrefix(Attr(c, "errorRef")); break;
      case EventDefinitionKind::kEscalation: ed.ref = StripPrefix(Attr(c, "escalationRef")); break;
      case EventDefinitionKind::kCompensate: ed.ref = StripPrefix(Attr(c, "activityRef")); break;
      case EventDefinitionKind::kLink: ed.link_name = Attr(c, "name"); break;
      default: break;
    }
    for (pugi::xml_node t : c.children()) {
      if (t.type() != pugi::node_element) continue;
      QName q = ElementName(t);
      if (q.ns != Ns::kBpmn) continue;
      TimerKind tk = q.local == "timeDate"       ? TimerKind::kDate
                     : q.local == "timeDuration" ? TimerKind::kDuration
                     : q.local == "timeCycle"    ? TimerKind::kCycle
                                                 : TimerKind::kNone;
      if (kind == EventDefinitionKind::kTimer && tk != TimerKind::kNone) {
        ++ed.timer_expressions;
        Expression e = ExprOf(t);
        // An empty <timeDate/> next to a real one must not hide it.
        if (ed.timer_kind == TimerKind::kNone || (ed.timer.empty() && !e.empty())) {
          ed.timer_kind = tk;
          ed.timer = std::move(e);
        }
      } else if (kind == EventDefinitionKind::kConditional && q.local == "condition") {
        ed.condition = ExprOf(t);
      } else if (q.local == "messageRef" && kind == EventDefinitionKind::kMessage && ed.ref.empty()) {
        ed.ref = StripPrefix(Text(t));
      }
    }
    return ed;
  }

  MultiInstance ParseMultiInstance(pugi::xml_node c) {
    MultiInstance mi;
    mi.sequential = AttrBool(c, "isSequential", false);
    for (pugi::xml_attribute a : c.attributes()) {
      auto [prefix, local] = SplitName(a.name());
      if (prefix.empty() || prefix == "xmlns") continue;
      if (ClassifyNs(ResolvePrefix(c, prefix)) != Ns::kCamunda) continue;
      if (local == "collection") mi.input_collection = Expression::Parse(a.value());
      if (local == "elementVariable") mi.input_element = a.value();
    }
    for (pugi::xml_node e : c.children()) {
      if (e.type() != pugi::node_element) continue;
      QName q = ElementName(e);
      if (q.ns == Ns::kBpmn) {
        if (q.local == "loopCardinality") mi.loop_cardinality = ExprOf(e);
        else if (q.local == "completionCondition") mi.completion_condition = ExprOf(e);
        else if (q.local == "loopDataInputRef" && mi.input_collection.empty())
          mi.input_collection = Expression::Parse(StripPrefix(Text(e)));
        else if (q.local == "loopDataOutputRef" && mi.output_collection.empty())
          mi.output_collection = StripPrefix(Text(e));
        else if (q.local == "inputDataItem" && mi.input_element.empty()) {
          std::string_view name = Attr(e, "name");
          mi.input_element = std::string(name.empty() ? Attr(e, "id") : name);
        } else if (q.local == "outputDataItem" && mi.output_element.empty()) {
          std::string_view name = Attr(e, "name");
          mi.output_element = Expression::Parse(name.empty() ? Attr(e, "id") : name);
        } else if (q.local == "extensionElements") {
          for (pugi::xml_node z : e.children()) {
            if (z.type() != pugi::node_element) continue;
            QName zq = ElementName(z);
            if (zq.ns == Ns::kZeebe && zq.local == "loopCharacteristics") {
              mi.input_collection = Expression::Parse(Attr(z, "inputCollection"));
              mi.input_element = Attr(z, "inputElement");
              mi.output_collection = Attr(z, "outputCollection");
              mi.output_element = Expression::Parse(Attr(z, "outputElement"));
            }
          }
        }
      }
    }
    return mi;
  }

  // --- extensions ---

  static void MarkDialect(Extensions& e, Dialect d) {
    if (e.dialect == Dialect::kNone) e.dialect = d;
  }

  void ParseExtensionAttributes(pugi::xml_node n, Extensions& e) {
    for (pugi::xml_attribute a : n.attributes()) {
      auto [prefix, local] = SplitName(a.name());
      if (prefix.empty() || prefix == "xmlns") continue;
      Ns ns = ClassifyNs(ResolvePrefix(n, prefix));
      if (ns == Ns::kZeebe) {
        // Modeler element templates are tooling metadata.
        if (local.starts_with("modelerTemplate")) continue;
        MarkDialect(e, Dialect::kZeebe);
        e.unmodelled_attributes.push_back("zeebe:" + std::string(local));
        continue;
      }
      if (ns != Ns::kCamunda) continue;
      MarkDialect(e, Dialect::kCamunda7);
      std::string_view v = a.value();
      if (local == "assignee") e.assignee = Expression::Parse(v);
      else if (local == "candidateGroups") e.candidate_groups = Expression::Parse(v);
      else if (local == "candidateUsers") e.candidate_users = Expression::Parse(v);
      else if (local == "formKey") e.form_key = v;
      else if (local == "dueDate") e.due_date = Expression::Parse(v);
      else if (local == "followUpDate") e.follow_up_date = Expression::Parse(v);
      else if (local == "type") e.camunda_type = v;
      else if (local == "topic") e.task_type = Expression::Parse(v);
      else if (local == "class" || local == "expression" || local == "delegateExpression")
        e.java_implementation = "camunda:" + std::string(local) + "=" + std::string(v);
      else if (local == "resultVariable") e.result_variable = v;
      else if (local == "decisionRef") e.called_decision = Expression::Parse(v);
      else if (local == "mapDecisionResult") e.map_decision_result = v;
      else if (local == "collection" || local == "elementVariable") continue;  // on MI only
      else e.unmodelled_attributes.push_back("camunda:" + std::string(local));
    }
  }

  static Mapping ZeebeMapping(pugi::xml_node c) {
    Mapping m;
    m.source = Expression::Parse(Attr(c, "source"));
    m.target = Attr(c, "target");
    return m;
  }

  // camunda:inputParameter / outputParameter: text, or a nested script/list/map.
  Mapping CamundaParameter(pugi::xml_node c) {
    Mapping m;
    m.target = Attr(c, "name");
    for (pugi::xml_node nested : c.children()) {
      if (nested.type() == pugi::node_element) {
        auto [prefix, local] = SplitName(nested.name());
        (void)prefix;
        m.source.text = "camunda:" + std::string(local);
        m.source.kind = ExprKind::kOther;
        m.source.language = std::string(Attr(nested, "scriptFormat"));
        return m;
      }
    }
    m.source = Expression::Parse(Text(c));
    return m;
  }

  static Mapping CamundaInOut(pugi::xml_node c) {
    Mapping m;
    m.target = Attr(c, "target");
    m.local = AttrBool(c, "local", false);
    if (Attr(c, "variables") == std::string_view("all")) m.all_variables = true;
    if (c.attribute("sourceExpression")) {
      m.source = Expression::Parse(Attr(c, "sourceExpression"));
    } else if (c.attribute("source")) {
      m.source = Expression::Parse(Attr(c, "source"));
      m.source_is_variable = true;
    } else if (c.attribute("businessKey")) {
      m.source = Expression::Parse(Attr(c, "businessKey"));
      m.target = "businessKey";
      m.business_key = true;
    }
    return m;
  }

  void ParseExtensionElements(pugi::xml_node ext, Extensions& e, Process* process) {
    for (pugi::xml_node c : ext.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = ElementName(c);
      std::string_view l = q.local;
      if (q.ns == Ns::kZeebe) {
        MarkDialect(e, Dialect::kZeebe);
        if (l == "taskDefinition") {
          e.task_type = Expression::Parse(Attr(c, "type"));
          e.retries = Expression::Parse(Attr(c, "retries"));
        } else if (l == "ioMapping") {
          for (pugi::xml_node m : c.children()) {
            if (m.type() != pugi::node_element) continue;
            QName mq = ElementName(m);
            if (mq.ns == Ns::kZeebe && mq.local == "input") e.inputs.push_back(ZeebeMapping(m));
            else if (mq.ns == Ns::kZeebe && mq.local == "output") e.outputs.push_back(ZeebeMapping(m));
          }
        } else if (l == "assignmentDefinition") {
          e.assignee = Expression::Parse(Attr(c, "assignee"));
          e.candidate_groups = Expression::Parse(Attr(c, "candidateGroups"));
          e.candidate_users = Expression::Parse(Attr(c, "candidateUsers"));
        } else if (l == "formDefinition") {
          e.form_key = Attr(c, "formKey");
          e.form_id = Attr(c, "formId");
          if (e.form_key.empty()) e.form_key = Attr(c, "externalReference");
        } else if (l == "calledElement") {
          e.called_process = Expression::Parse(Attr(c, "processId"));
          e.propagate_all_child_variables = AttrBool(c, "propagateAllChildVariables", true);
          e.propagate_all_parent_variables = AttrBool(c, "propagateAllParentVariables", true);
        } else if (l == "calledDecision") {
          e.called_decision = Expression::Parse(Attr(c, "decisionId"));
          e.result_variable = Attr(c, "resultVariable");
        } else if (l == "taskHeaders" || l == "properties") {
          auto& out = l == "taskHeaders" ? e.headers : e.properties;
          for (pugi::xml_node h : c.children()) {
            if (h.type() != pugi::node_element) continue;
            out.push_back({std::string(l == "taskHeaders" ? Attr(h, "key") : Attr(h, "name")),
                           std::string(Attr(h, "value"))});
          }
        } else if (l == "script") {
          e.script = Expression::Parse(Attr(c, "expression"));
          e.result_variable = Attr(c, "resultVariable");
        } else if (l == "taskSchedule") {
          e.due_date = Expression::Parse(Attr(c, "dueDate"));
          e.follow_up_date = Expression::Parse(Attr(c, "followUpDate"));
        } else if (l == "userTask") {
          e.zeebe_user_task = true;
        } else if (l == "userTaskForm" && process != nullptr) {
          process->forms.push_back({std::string(Attr(c, "id")), Text(c)});
        } else if (l == "versionTag") {
          // deployment metadata, no runtime effect
        } else {
          AddUnique(e.unmodelled, "zeebe:" + std::string(l));
        }
      } else if (q.ns == Ns::kCamunda) {
        MarkDialect(e, Dialect::kCamunda7);
        if (l == "inputOutput") {
          for (pugi::xml_node m : c.children()) {
            if (m.type() != pugi::node_element) continue;
            QName mq = ElementName(m);
            if (mq.ns != Ns::kCamunda) continue;
            if (mq.local == "inputParameter") e.inputs.push_back(CamundaParameter(m));
            else if (mq.local == "outputParameter") e.outputs.push_back(CamundaParameter(m));
          }
        } else if (l == "in") {
          e.call_inputs.push_back(CamundaInOut(c));
        } else if (l == "out") {
          e.call_outputs.push_back(CamundaInOut(c));
        } else if (l == "properties") {
          for (pugi::xml_node h : c.children()) {
            if (h.type() != pugi::node_element) continue;
            e.properties.push_back({std::string(Attr(h, "name")), std::string(Attr(h, "value"))});
          }
        } else if (l == "connector") {
          std::string id;
          for (pugi::xml_node h : c.children()) {
            if (h.type() == pugi::node_element && SplitName(h.name()).second == "connectorId") id = Text(h);
          }
          e.java_implementation = "camunda:connector " + id;
        } else {
          AddUnique(e.unmodelled, "camunda:" + std::string(l));
        }
      }
      // Other vendors (Signavio, Trisotech, ...) keep their data in source_xml.
    }
  }

  // --- resolution ---

  void ResolveProcess(Index pi) {
    Process& p = d_->processes[static_cast<size_t>(pi)];
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      p.node_index.emplace(p.nodes[i].id, static_cast<Index>(i));
    }
    for (size_t i = 0; i < p.flows.size(); ++i) {
      p.flow_index.emplace(p.flows[i].id, static_cast<Index>(i));
    }
    for (const PendingFlow& pf : pending_flows_) {
      if (pf.process != pi) continue;
      SequenceFlow& f = p.flows[static_cast<size_t>(pf.flow)];
      Index s = p.FindNode(pf.source);
      Index t = p.FindNode(pf.target);
      if (pf.source.empty() || pf.target.empty()) {
        Problem(f.id, f.pos, "sequence flow '" + f.id + "' lacks sourceRef or targetRef");
        continue;
      }
      if (s == kNoIndex) {
        Problem(f.id, f.pos, "sequence flow '" + f.id + "' has unknown source '" + pf.source + "'");
      }
      if (t == kNoIndex) {
        Problem(f.id, f.pos, "sequence flow '" + f.id + "' has unknown target '" + pf.target + "'");
      }
      if (s == kNoIndex || t == kNoIndex) continue;
      FlowNode& sn = p.nodes[static_cast<size_t>(s)];
      FlowNode& tn = p.nodes[static_cast<size_t>(t)];
      if (sn.scope != f.scope || tn.scope != f.scope) {
        Problem(f.id, f.pos, "sequence flow '" + f.id + "' from '" + sn.id + "' to '" + tn.id +
                                 "' crosses a sub-process boundary");
        continue;
      }
      f.source = s;
      f.target = t;
      sn.outgoing.push_back(pf.flow);
      tn.incoming.push_back(pf.flow);
    }
    for (const PendingRef& pr : pending_default_) {
      if (pr.process != pi) continue;
      FlowNode& n = p.nodes[static_cast<size_t>(pr.node)];
      Index f = p.FindFlow(pr.ref);
      if (f == kNoIndex || p.flows[static_cast<size_t>(f)].source != pr.node) {
        Problem(n.id, n.pos, "default flow '" + pr.ref + "' of '" + n.id +
                                 "' is not an outgoing sequence flow of it");
        continue;
      }
      n.default_flow = f;
      p.flows[static_cast<size_t>(f)].is_default = true;
    }
    for (const PendingRef& pr : pending_attach_) {
      if (pr.process != pi) continue;
      FlowNode& b = p.nodes[static_cast<size_t>(pr.node)];
      Index a = p.FindNode(pr.ref);
      if (a == kNoIndex || !IsActivity(p.nodes[static_cast<size_t>(a)].kind)) {
        Problem(b.id, b.pos, "boundary event '" + b.id + "' is attached to '" + pr.ref +
                                 "', which is not an activity of this process");
        continue;
      }
      b.attached_to = a;
      p.nodes[static_cast<size_t>(a)].boundary_events.push_back(pr.node);
    }
    for (FlowNode& n : p.nodes) {
      for (EventDefinition& ed : n.event_definitions) ResolveEventRef(n, ed);
      if (!n.message_ref.empty()) {
        n.message_index = FindRoot(d_->messages, n.message_ref);
        if (n.message_index == kNoIndex) {
          Problem(n.id, n.pos, "'" + n.id + "' refers to unknown message '" + n.message_ref + "'");
        }
      }
    }
  }

  template <typename T>
  static Index FindRoot(const std::vector<T>& v, std::string_view id) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i].id == id) return static_cast<Index>(i);
    }
    return kNoIndex;
  }

  void ResolveEventRef(const FlowNode& n, EventDefinition& ed) {
    if (ed.ref.empty()) return;
    Index i = kNoIndex;
    const char* what = "";
    switch (ed.kind) {
      case EventDefinitionKind::kMessage: i = FindRoot(d_->messages, ed.ref); what = "message"; break;
      case EventDefinitionKind::kSignal: i = FindRoot(d_->signals, ed.ref); what = "signal"; break;
      case EventDefinitionKind::kError: i = FindRoot(d_->errors, ed.ref); what = "error"; break;
      case EventDefinitionKind::kEscalation: i = FindRoot(d_->escalations, ed.ref); what = "escalation"; break;
      default: return;  // compensation activityRef: checked by the lint, not executed
    }
    if (i == kNoIndex) {
      Problem(n.id, n.pos, "'" + n.id + "' refers to unknown " + what + " '" + ed.ref + "'");
    }
    ed.ref_index = i;
  }

  void ResolveCollaborations() {
    for (Collaboration& c : d_->collaborations) {
      for (Participant& part : c.participants) {
        if (part.process_ref.empty()) continue;  // a black-box pool
        part.process = d_->FindProcess(part.process_ref);
        if (part.process == kNoIndex) {
          auto it = ids_.find(part.id);
          Problem(part.id, it == ids_.end() ? SourcePos{} : it->second,
                  "participant '" + part.id + "' refers to unknown process '" + part.process_ref + "'");
        }
      }
      for (const MessageFlow& mf : c.message_flows) {
        for (const std::string* ref : {&mf.source_ref, &mf.target_ref}) {
          if (ref->empty() || ids_.count(*ref) == 0) {
            Problem(mf.id, flow_pos_[mf.id],
                    "message flow '" + mf.id + "' refers to unknown element '" + *ref + "'");
          }
        }
      }
    }
  }

  struct PendingRef {
    Index process;
    Index node;
    std::string ref;
  };

  std::string_view xml_;
  std::vector<size_t> line_starts_;
  pugi::xml_document doc_;
  Definitions* d_ = nullptr;
  std::unordered_map<std::string, SourcePos> ids_;
  std::unordered_map<std::string, SourcePos> flow_pos_;
  std::vector<PendingFlow> pending_flows_;
  std::vector<PendingRef> pending_default_;
  std::vector<PendingRef> pending_attach_;
  std::vector<FieldError> problems_;
};

}  // namespace

core::Result<std::shared_ptr<const Definitions>> ImportBpmn(std::string_view xml) {
  // pugixml reports failure by result, but allocation failure throws
  // std::bad_alloc; nothing else in here throws.
  try {
    return Importer(xml).Run();
  } catch (const std::bad_alloc&) {
    return core::ResourceExhausted("out of memory while importing BPMN");
  }
}

}  // namespace amtsweg::bpmn
