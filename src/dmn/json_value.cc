#include "dmn/json_value.h"

namespace amtsweg::dmn {

core::Result<core::Json> EvaluateDecisionJson(const Engine& engine, std::string_view decision,
                                              const core::Json& input) {
  if (!input.is_object()) return core::InvalidArgument("input must be a JSON object");
  AW_ASSIGN_OR_RETURN(feel::Context ctx,
                      feel::JsonToContext(input, [&engine](const std::string& name) {
                        return engine.InputType(name);
                      }));
  EvalResult r = engine.EvaluateDecision(decision, ctx);
  if (!r.ok && !r.messages.empty() && r.messages[0].rfind("no decision named", 0) == 0) {
    return core::NotFound(r.messages[0]);
  }
  core::Json out = core::Json::object();
  out["result"] = feel::ValueToJson(r.value);
  out["messages"] = r.messages;
  return out;
}

namespace {

core::Result<feel::Context> Inputs(const Engine& engine, const core::Json& input) {
  if (!input.is_object()) return core::InvalidArgument("input must be a JSON object");
  return feel::JsonToContext(input, [&engine](const std::string& name) { return engine.InputType(name); });
}

core::Json Output(const EvalResult& r) {
  core::Json out = core::Json::object();
  out["result"] = feel::ValueToJson(r.value);
  out["messages"] = r.messages;
  return out;
}

}  // namespace

core::Result<core::Json> EvaluateAllJson(const Engine& engine, const core::Json& input) {
  AW_ASSIGN_OR_RETURN(feel::Context ctx, Inputs(engine, input));
  return Output(engine.EvaluateAll(ctx));
}

core::Result<core::Json> EvaluateServiceJson(const Engine& engine, std::string_view service,
                                             const core::Json& params) {
  AW_ASSIGN_OR_RETURN(feel::Context ctx, Inputs(engine, params));
  EvalResult r = engine.EvaluateService(service, ctx);
  if (!r.ok && !r.messages.empty() && r.messages[0].rfind("no decision service named", 0) == 0) {
    return core::NotFound(r.messages[0]);
  }
  return Output(r);
}

}  // namespace amtsweg::dmn
