// DMN engine: compiles imported DMN models (importer.h) once and evaluates
// decisions and decision services many times.
//
//   AW_ASSIGN_OR_RETURN(auto engine, ImportDmn(xml));
//   EvalResult r = engine->EvaluateDecision("Approval Status", inputs);
//
// Evaluation follows the DRG: a decision sees its required decisions (evaluated
// first, each once per call), its required input data (coerced to their item
// definitions) and its business knowledge models / decision services as
// functions. Problems in the model (unknown reference, cycle, FEEL syntax
// error, type mismatch) are reported with the element id; a decision that
// cannot be evaluated yields null with messages, never an exception.
//
// Thread-safety: an Engine is immutable after creation; Evaluate* may be
// called concurrently.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "dmn/model.h"
#include "feel/evaluator.h"
#include "feel/types.h"
#include "feel/value.h"

namespace amtsweg::dmn {

struct EvalResult {
  feel::Value value;
  // Warnings and errors, each prefixed with the element: "decision 'X' (_id): ...".
  std::vector<std::string> messages;
  // False when the model element could not be evaluated at all (unknown name,
  // compile error, cycle). FEEL null results with warnings still count as ok.
  bool ok = true;
};

class Engine {
 public:
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compiles `models`; the first is the main model, the others can be referenced
  // through its <import>s (and theirs) by namespace. Compile problems do not
  // fail creation: they are listed in problems() and reported when the element
  // is evaluated. kInvalidArgument only when `models` is empty.
  static core::Result<std::unique_ptr<Engine>> Create(std::vector<Definitions> models);

  const Definitions& main() const;
  // Model problems found while compiling, e.g. "decision 'X' (_1): 1:5: expected ...".
  const std::vector<std::string>& problems() const;

  // Evaluates the decision named `name` (or with that id) of the main model.
  // `inputs` holds input data by name; an entry named like an import holds a
  // context with that imported model's input data.
  EvalResult EvaluateDecision(std::string_view name, const feel::Context& inputs) const;
  // As EvaluateDecision, and every entry of `variables` is also visible by name
  // in each decision of the main model (below what the decision requires, which
  // wins). This is how BPMN engines (Zeebe, Camunda 7) evaluate a decision with
  // the process variables: their DMN often reads variables it does not declare
  // as input data. `variables` serve as input data too.
  EvalResult EvaluateDecisionWithVariables(std::string_view name, const feel::Context& variables) const;
  // Evaluates every decision of the main model in dependency order (each once)
  // and returns a context of their values by name, in document order.
  EvalResult EvaluateAll(const feel::Context& inputs) const;

  // Invokes a decision service of the main model with parameters by name;
  // the value is a context of its output decisions by name.
  EvalResult EvaluateService(std::string_view name, const feel::Context& params) const;

  // Declared type of a main-model input data (nullptr if untyped or unknown),
  // used to convert JSON input.
  feel::TypePtr InputType(std::string_view name) const;

  struct Impl;

 private:
  EvalResult Evaluate(std::string_view name, const feel::Context& inputs, bool as_variables) const;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses `xml` (and the `imported` documents available to its <import>s) and
// compiles them. kInvalidArgument for malformed XML.
core::Result<std::unique_ptr<Engine>> ImportDmn(std::string_view xml,
                                                const std::vector<std::string>& imported = {});

}  // namespace amtsweg::dmn
