#include "dmn/bench_models.h"

namespace amtsweg::dmn {

std::string HundredRuleTable(const char* hit_policy) {
  std::string xml = R"(<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" name="b" namespace="bench">)";
  const char* names[] = {"amount", "kind", "age", "district", "urgent"};
  for (const char* n : names) xml += std::string("<inputData id=\"i_") + n + "\" name=\"" + n + "\"/>";
  xml += "<decision id=\"d\" name=\"Fee\">";
  for (const char* n : names)
    xml += std::string("<informationRequirement><requiredInput href=\"#i_") + n + "\"/></informationRequirement>";
  xml += std::string("<decisionTable hitPolicy=\"") + hit_policy + "\">";
  for (const char* n : names) xml += std::string("<input><inputExpression><text>") + n + "</text></inputExpression></input>";
  xml += "<output name=\"fee\"/>";
  for (int r = 0; r < 100; ++r) {
    xml += "<rule><inputEntry><text>[" + std::to_string(r * 10) + ".." + std::to_string(r * 10 + 9) +
           "]</text></inputEntry><inputEntry><text>\"k" + std::to_string(r % 7) +
           "\"</text></inputEntry><inputEntry><text>&gt;= " + std::to_string(r % 60) +
           "</text></inputEntry><inputEntry><text>-</text></inputEntry><inputEntry><text>" +
           (r % 2 ? "true" : "false") + "</text></inputEntry><outputEntry><text>" + std::to_string(r) +
           "</text></outputEntry></rule>";
  }
  return xml + "</decisionTable></decision></definitions>";
}

}  // namespace amtsweg::dmn
