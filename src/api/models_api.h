// Model routes for the designer: check a BPMN/DMN/form file before it is
// deployed, evaluate a DMN decision on test input, import an XDatenfelder
// file as a form. Stateless: nothing is stored, nothing reads the database.
#pragma once

#include "http/router.h"

namespace amtsweg::api {

// Registers on `router`:
//   POST /api/v1/models/lint                {name, content} -> {findings: [{elementId, rule, severity, message}]}
//   POST /api/v1/models/decisions/evaluate  {name?, content, decisionId, input} -> {result, warnings}
//   POST /api/v1/forms/import-xdf           {name?, content, codeLists?: [string]} -> {schema, report}
void RegisterModelRoutes(http::Router& router);

}  // namespace amtsweg::api
