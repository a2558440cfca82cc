// Helpers for bpmn tests: small BPMN documents around a process body.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "bpmn/importer.h"

namespace amtsweg::bpmn::testing {

// A definitions document with bpmn:, zeebe: and camunda: prefixes: `roots`
// (messages, errors, ...) before the process, `body` inside it. With empty or
// one-line `roots`, `body` starts on line 9.
inline std::string Doc(std::string_view body, std::string_view roots = "",
                       bool executable = true) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="Defs" targetNamespace="http://amtsweg.de/test">
)") + std::string(roots) +
         "\n<bpmn:process id=\"P\" isExecutable=\"" + (executable ? "true" : "false") + "\">\n" +
         std::string(body) + "\n</bpmn:process>\n</bpmn:definitions>\n";
}

// Imports `xml` and fails the test on error.
inline std::shared_ptr<const Definitions> MustImport(const std::string& xml) {
  auto r = ImportBpmn(xml);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? *r : std::make_shared<const Definitions>();
}

}  // namespace amtsweg::bpmn::testing
