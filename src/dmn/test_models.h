// Small DMN documents for the dmn/ unit tests.
#pragma once

#include <string>

namespace amtsweg::dmn::testing {

// Wraps elements in a DMN 1.3 <definitions>.
inline std::string Dmn13(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="test"
             namespace="http://amtsweg.test/dmn">)" +
         body + "</definitions>";
}

// A decision table with the given hit policy over input "x" (number) and
// rules given as (input entry, output entry) pairs, returning a string.
inline std::string Table(const std::string& hit, const std::string& rules,
                         const std::string& extra_attrs = "", const std::string& output_values = "") {
  return Dmn13(R"(
  <inputData id="i_x" name="x"><variable name="x" typeRef="number"/></inputData>
  <decision id="d" name="Result">
    <informationRequirement><requiredInput href="#i_x"/></informationRequirement>
    <decisionTable id="t" hitPolicy=")" + hit + "\" " + extra_attrs + R"(>
      <input id="in1" label="x"><inputExpression typeRef="number"><text>x</text></inputExpression></input>
      <output id="o1" name="out">)" +
               (output_values.empty() ? "" : "<outputValues><text>" + output_values + "</text></outputValues>") +
               R"(</output>)" + rules + R"(
    </decisionTable>
  </decision>)");
}

inline std::string Rule(const std::string& in, const std::string& out) {
  return "<rule><inputEntry><text>" + in + "</text></inputEntry><outputEntry><text>" + out +
         "</text></outputEntry></rule>";
}

}  // namespace amtsweg::dmn::testing
