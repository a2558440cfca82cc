// Replays the importer fuzz entry over deterministic mutations of a model
// that uses every boxed expression kind: nothing may crash or throw.
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "dmn/engine.h"
#include "dmn/test_models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace amtsweg::dmn {
namespace {

int FuzzOne(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

const char* kSeed = R"(
  <itemDefinition name="tP"><itemComponent name="age"><typeRef>number</typeRef></itemComponent></itemDefinition>
  <inputData id="i" name="p"><variable name="p" typeRef="tP"/></inputData>
  <businessKnowledgeModel id="b" name="twice"><encapsulatedLogic><formalParameter name="n"/>
    <literalExpression><text>n * 2</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>
  <decision id="d1" name="ctx"><informationRequirement><requiredInput href="#i"/></informationRequirement>
    <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
    <context><contextEntry><variable name="a"/><invocation><literalExpression><text>twice</text></literalExpression>
      <binding><parameter name="n"/><literalExpression><text>3</text></literalExpression></binding></invocation></contextEntry>
    <contextEntry><variable name="r"/><relation><column name="x"/><row><literalExpression><text>a</text></literalExpression></row></relation></contextEntry>
    <contextEntry><list><literalExpression><text>r[1].x</text></literalExpression></list></contextEntry></context></decision>
  <decision id="d2" name="tab"><informationRequirement><requiredDecision href="#d1"/></informationRequirement>
    <decisionTable hitPolicy="COLLECT" aggregation="SUM"><input><inputExpression><text>ctx[1]</text></inputExpression></input>
    <output name="o"/><rule><inputEntry><text>&gt; 1</text></inputEntry><outputEntry><text>1</text></outputEntry></rule></decisionTable></decision>
  <decision id="d3" name="cond"><conditional><if><literalExpression><text>true</text></literalExpression></if>
    <then><for iteratorVariable="x"><in><literalExpression><text>[1,2]</text></literalExpression></in>
    <return><literalExpression><text>x</text></literalExpression></return></for></then>
    <else><literalExpression><text>0</text></literalExpression></else></conditional></decision>
  <decisionService id="s" name="svc"><outputDecision href="#d2"/></decisionService>)";

TEST(DmnFuzzReplay, SeedModelEvaluates) {
  auto e = ImportDmn(testing::Dmn13(kSeed));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE((*e)->problems().empty()) << (*e)->problems()[0];
  EXPECT_EQ((*e)->EvaluateDecision("tab", {}).value.DebugString(), "1");
  EXPECT_EQ((*e)->EvaluateDecision("cond", {}).value.DebugString(), "[1, 2]");
}

TEST(DmnFuzzReplay, MutatedModelsNeverCrash) {
  std::string seed = testing::Dmn13(kSeed);
  std::mt19937 rng(42);
  static const char* kInserts[] = {"<", ">", "\"", "#", "&amp;", "</text>", "<text>", "[", "..", "d1",
                                   "\xC3", "\0", "function(", "for x in", "-", " "};
  for (int i = 0; i < 600; ++i) {
    std::string m = seed;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t pos = rng() % m.size();
      switch (rng() % 3) {
        case 0: m.erase(pos, 1 + rng() % 8); break;
        case 1: m.insert(pos, kInserts[rng() % (sizeof(kInserts) / sizeof(kInserts[0]))]); break;
        default: m[pos] = static_cast<char>(rng() % 256);
      }
    }
    EXPECT_EQ(FuzzOne(m), 0);
  }
}

}  // namespace
}  // namespace amtsweg::dmn
