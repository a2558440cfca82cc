#include "engine/model.h"

#include <gtest/gtest.h>

#include "bpmn/importer.h"
#include "engine/engine_test_util.h"

namespace amtsweg::engine {
namespace {

using testing::Flow;
using testing::Model;

std::shared_ptr<const bpmn::Definitions> Import(const std::string& xml) {
  auto d = bpmn::ImportBpmn(xml);
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return *d;
}

TEST(CompiledProcess, CompilesConditionsOnce) {
  auto defs = Import(Model("p", R"(<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" default="f3"/>
    <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>)" + Flow("f1", "s", "g") + Flow("f2", "g", "a", "=x &gt; 1") +
                           Flow("f3", "g", "b")));
  auto cp = CompiledProcess::Compile(defs, 0, "key", 1);
  ASSERT_TRUE(cp.ok()) << cp.error().ToString();
  bpmn::Index f2 = (*cp)->process().FindFlow("f2");
  EXPECT_TRUE((*cp)->condition(f2).is_feel());
  EXPECT_TRUE((*cp)->condition(f2).compiled.valid());
  EXPECT_FALSE((*cp)->condition((*cp)->process().FindFlow("f3")).present());
  EXPECT_EQ((*cp)->NoneStart(0), (*cp)->process().FindNode("s"));
}

TEST(CompiledProcess, RefusesEveryUnsupportedElementById) {
  auto defs = Import(Model("p", R"(<bpmn:startEvent id="s"/>
    <bpmn:eventBasedGateway id="ebg"/>
    <bpmn:intermediateCatchEvent id="sig"><bpmn:signalEventDefinition signalRef="sg"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>)" + Flow("f1", "s", "ebg") + Flow("f2", "ebg", "sig") +
                           Flow("f3", "ebg", "tm") + Flow("f4", "sig", "e1") + Flow("f5", "tm", "e2"),
                           R"(<bpmn:signal id="sg" name="alarm"/>)"));
  auto cp = CompiledProcess::Compile(defs, 0, "key", 1);
  ASSERT_FALSE(cp.ok());
  EXPECT_EQ(cp.error().code(), core::ErrorCode::kUnimplemented);
  std::vector<std::string> ids;
  for (const auto& d : cp.error().details()) ids.push_back(d.pointer);
  EXPECT_EQ(ids, (std::vector<std::string>{"ebg", "sig"}));
}

TEST(CompiledProcess, ReachabilityFollowsFlowsAndBoundaryEvents) {
  auto defs = Import(Model("p", R"(<bpmn:startEvent id="s"/><bpmn:inclusiveGateway id="fork"/>
    <bpmn:task id="a"/><bpmn:task id="b"/>
    <bpmn:boundaryEvent id="bt" attachedToRef="b"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:inclusiveGateway id="join"/><bpmn:endEvent id="e"/><bpmn:endEvent id="x"/>)" +
                           Flow("f1", "s", "fork") + Flow("fa", "fork", "a", "=true") + Flow("fb", "fork", "b", "=true") +
                           Flow("ja", "a", "join") + Flow("jb", "b", "join") + Flow("fe", "join", "e") +
                           Flow("fx", "bt", "x")));
  auto cp = CompiledProcess::Compile(defs, 0, "key", 1);
  ASSERT_TRUE(cp.ok()) << cp.error().ToString();
  const auto& p = (*cp)->process();
  EXPECT_TRUE((*cp)->CanReach(p.FindNode("b"), p.FindFlow("jb")));
  EXPECT_FALSE((*cp)->CanReach(p.FindNode("a"), p.FindFlow("jb")));
  EXPECT_FALSE((*cp)->CanReach(p.FindNode("bt"), p.FindFlow("jb")));
  EXPECT_TRUE((*cp)->CanReach(p.FindNode("b"), p.FindFlow("fx")));
}

}  // namespace
}  // namespace amtsweg::engine
