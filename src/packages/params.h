// Parameters of a package: the values an importing municipality sets, and how
// they reach the process.
//
// Values reach the process as the variable `params` (binding.variable): the
// bound script task (binding.element in binding.file, a zeebe:script with
// that resultVariable) gets the expression `={name: value, ...}`, a FEEL
// context literal of every value, so that the tenant's version of the
// process carries its own values, versioned with the deployment. Department
// parameters also map the publisher's department ids to the importer's:
// every static candidate group equal to the default becomes the value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "packages/package.h"

namespace amtsweg::packages {

struct ResolvedParameter {
  const ParameterDecl* decl = nullptr;
  core::Json value;
  bool from_default = false;
};

// Takes each declared parameter's value from `given` (a JSON object by name);
// a required parameter must be given (its default is the publisher's value,
// shown as an example), an optional one falls back to its default. kInvalidArgument naming the parameter: a required one
// missing, a value of the wrong type, an invalid e-mail address, a name the
// package does not declare (details point at /<name>).
core::Result<std::vector<ResolvedParameter>> ResolveParameters(const std::vector<ParameterDecl>& decls,
                                                               const core::Json& given);

// The FEEL literal of a JSON value ("text" with escapes, lists, contexts).
std::string FeelLiteral(const core::Json& value);

// The values as one JSON object by name.
core::Json ParameterValues(const std::vector<ResolvedParameter>& params);

// Rewrites BPMN `xml`: the bound script task's expression (when `binding`
// names an element of this file) and the static candidate groups of
// department parameters. kInvalidArgument: the element or its zeebe:script
// with the result variable is missing.
core::Result<std::string> BindParameters(const std::string& xml, const Manifest::Binding& binding,
                                         const std::vector<ResolvedParameter>& params, bool bind_script);

}  // namespace amtsweg::packages
