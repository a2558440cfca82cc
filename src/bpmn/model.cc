#include "bpmn/model.h"

#include <algorithm>
#include <cctype>

namespace amtsweg::bpmn {
namespace {

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(a) == lower(b);
  });
  return it != hay.end();
}

}  // namespace

std::string_view Expression::feel() const {
  std::string_view t = text;
  if (!t.empty() && t.front() == '=') return Trim(t.substr(1));
  return t;
}

std::string_view Expression::JuelVariable() const {
  if (kind != ExprKind::kJuel || text.size() < 4 || (text[0] != '$' && text[0] != '#') || text[1] != '{' ||
      text.back() != '}') {
    return {};
  }
  std::string_view name = Trim(std::string_view(text).substr(2, text.size() - 3));
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return {};
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return {};
  }
  return name;
}

Expression Expression::Parse(std::string_view text, std::string_view language) {
  Expression e;
  e.text = std::string(Trim(text));
  e.language = std::string(Trim(language));
  if (e.text.empty()) {
    e.kind = ExprKind::kEmpty;
  } else if (e.text.front() == '=') {
    e.kind = ExprKind::kFeel;
  } else if (e.text.find("${") != std::string::npos || e.text.find("#{") != std::string::npos) {
    e.kind = ExprKind::kJuel;
  } else if (!e.language.empty()) {
    // DMN/FEEL language URIs ("https://www.omg.org/spec/DMN/20191111/FEEL/") or "feel".
    e.kind = ContainsNoCase(e.language, "feel") ? ExprKind::kFeel : ExprKind::kOther;
  } else {
    e.kind = ExprKind::kStatic;
  }
  return e;
}

const char* ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kEmpty: return "empty";
    case ExprKind::kFeel: return "FEEL";
    case ExprKind::kStatic: return "static";
    case ExprKind::kJuel: return "JUEL";
    case ExprKind::kOther: return "other";
  }
  return "?";
}

const char* NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kStartEvent: return "startEvent";
    case NodeKind::kEndEvent: return "endEvent";
    case NodeKind::kIntermediateCatchEvent: return "intermediateCatchEvent";
    case NodeKind::kIntermediateThrowEvent: return "intermediateThrowEvent";
    case NodeKind::kBoundaryEvent: return "boundaryEvent";
    case NodeKind::kTask: return "task";
    case NodeKind::kServiceTask: return "serviceTask";
    case NodeKind::kSendTask: return "sendTask";
    case NodeKind::kReceiveTask: return "receiveTask";
    case NodeKind::kUserTask: return "userTask";
    case NodeKind::kManualTask: return "manualTask";
    case NodeKind::kScriptTask: return "scriptTask";
    case NodeKind::kBusinessRuleTask: return "businessRuleTask";
    case NodeKind::kSubProcess: return "subProcess";
    case NodeKind::kCallActivity: return "callActivity";
    case NodeKind::kTransaction: return "transaction";
    case NodeKind::kAdHocSubProcess: return "adHocSubProcess";
    case NodeKind::kExclusiveGateway: return "exclusiveGateway";
    case NodeKind::kParallelGateway: return "parallelGateway";
    case NodeKind::kInclusiveGateway: return "inclusiveGateway";
    case NodeKind::kEventBasedGateway: return "eventBasedGateway";
    case NodeKind::kComplexGateway: return "complexGateway";
  }
  return "?";
}

bool IsEvent(NodeKind kind) { return kind <= NodeKind::kBoundaryEvent; }
bool IsActivity(NodeKind kind) {
  return kind >= NodeKind::kTask && kind <= NodeKind::kAdHocSubProcess;
}
bool IsGateway(NodeKind kind) { return kind >= NodeKind::kExclusiveGateway; }
bool IsContainer(NodeKind kind) {
  return kind == NodeKind::kSubProcess || kind == NodeKind::kTransaction ||
         kind == NodeKind::kAdHocSubProcess;
}

const char* EventDefinitionKindName(EventDefinitionKind kind) {
  switch (kind) {
    case EventDefinitionKind::kMessage: return "messageEventDefinition";
    case EventDefinitionKind::kTimer: return "timerEventDefinition";
    case EventDefinitionKind::kSignal: return "signalEventDefinition";
    case EventDefinitionKind::kError: return "errorEventDefinition";
    case EventDefinitionKind::kEscalation: return "escalationEventDefinition";
    case EventDefinitionKind::kLink: return "linkEventDefinition";
    case EventDefinitionKind::kTerminate: return "terminateEventDefinition";
    case EventDefinitionKind::kCompensate: return "compensateEventDefinition";
    case EventDefinitionKind::kConditional: return "conditionalEventDefinition";
    case EventDefinitionKind::kCancel: return "cancelEventDefinition";
  }
  return "?";
}

const char* ArtifactKindName(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::kDataObject: return "dataObject";
    case ArtifactKind::kDataObjectReference: return "dataObjectReference";
    case ArtifactKind::kDataStoreReference: return "dataStoreReference";
    case ArtifactKind::kTextAnnotation: return "textAnnotation";
    case ArtifactKind::kAssociation: return "association";
    case ArtifactKind::kGroup: return "group";
  }
  return "?";
}

Index Process::FindNode(std::string_view id) const {
  auto it = node_index.find(std::string(id));
  return it == node_index.end() ? kNoIndex : it->second;
}

Index Process::FindFlow(std::string_view id) const {
  auto it = flow_index.find(std::string(id));
  return it == flow_index.end() ? kNoIndex : it->second;
}

const FlowNode* Process::Node(std::string_view id) const {
  Index i = FindNode(id);
  return i == kNoIndex ? nullptr : &nodes[static_cast<size_t>(i)];
}

Index Definitions::FindProcess(std::string_view id) const {
  for (size_t i = 0; i < processes.size(); ++i) {
    if (processes[i].id == id) return static_cast<Index>(i);
  }
  return kNoIndex;
}

}  // namespace amtsweg::bpmn
