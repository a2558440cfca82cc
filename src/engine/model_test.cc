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
    <bpmn:intermediateThrowEvent id="mt"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="multi"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition><bpmn:signalEventDefinition signalRef="sg"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e1"/>)" + Flow("f1", "s", "mt") + Flow("f2", "mt", "multi") + Flow("f3", "multi", "e1"),
                           R"(<bpmn:signal id="sg" name="alarm"/><bpmn:message id="m" name="note"/>)"));
  auto cp = CompiledProcess::Compile(defs, 0, "key", 1);
  ASSERT_FALSE(cp.ok());
  EXPECT_EQ(cp.error().code(), core::ErrorCode::kUnimplemented);
  std::vector<std::string> ids;
  for (const auto& d : cp.error().details()) ids.push_back(d.pointer);
  EXPECT_EQ(ids, (std::vector<std::string>{"mt", "multi"}));
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

TEST(CompiledProcess, PairsLinksAndFindsEventSubProcessStarts) {
  auto defs = Import(Model("p", R"(<bpmn:startEvent id="s"/>
    <bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="esp_s" isInterrupting="false"><bpmn:signalEventDefinition signalRef="sg"/></bpmn:startEvent>
      <bpmn:endEvent id="esp_e"/>
      )" + Flow("f3", "esp_s", "esp_e") + R"(
    </bpmn:subProcess>)" + Flow("f1", "s", "go") + Flow("f2", "land", "e"),
                           R"(<bpmn:signal id="sg" name="alarm"/>)"));
  auto cp = CompiledProcess::Compile(defs, 0, "key", 1);
  ASSERT_TRUE(cp.ok()) << cp.error().ToString();
  const auto& p = (*cp)->process();
  EXPECT_EQ((*cp)->info(p.FindNode("go")).link_target, p.FindNode("land"));
  EXPECT_EQ((*cp)->info(p.FindNode("esp")).esp_start, p.FindNode("esp_s"));
  EXPECT_TRUE((*cp)->IsEventSubProcessStart(p.FindNode("esp_s")));
  EXPECT_FALSE((*cp)->IsEventSubProcessStart(p.FindNode("s")));
  EXPECT_EQ((*cp)->info(p.FindNode("esp_s")).signal_name.text, "alarm");
}

}  // namespace
}  // namespace amtsweg::engine
