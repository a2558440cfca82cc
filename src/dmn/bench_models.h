// Models for benchmarks (dmn_bench and `amtsweg bench feel`), generated as XML
// text so that both measure the same decision.
#pragma once

#include <string>

namespace amtsweg::dmn {

// A decision "Fee" with a 100-rule, 5-input decision table: inputs amount
// (ranges [r*10..r*10+9], disjoint, so UNIQUE holds), kind ("k0".."k6"), age
// (>= r%60), district (any), urgent (boolean); output the rule number.
std::string HundredRuleTable(const char* hit_policy);

}  // namespace amtsweg::dmn
