#include "bpmn/model.h"

#include <gtest/gtest.h>

namespace amtsweg::bpmn {
namespace {

TEST(BpmnExpression, ClassifiesFeelByEqualsPrefix) {
  Expression e = Expression::Parse("  = a > 1 \n");
  EXPECT_EQ(e.kind, ExprKind::kFeel);
  EXPECT_EQ(e.text, "= a > 1");
  EXPECT_EQ(e.feel(), "a > 1");
}

TEST(BpmnExpression, ClassifiesJuelStaticOtherAndEmpty) {
  EXPECT_EQ(Expression::Parse("${approved}").kind, ExprKind::kJuel);
  EXPECT_EQ(Expression::Parse("#{bean.x}").kind, ExprKind::kJuel);
  EXPECT_EQ(Expression::Parse("PT5M").kind, ExprKind::kStatic);
  EXPECT_EQ(Expression::Parse("true", "http://www.w3.org/1999/XPath").kind, ExprKind::kOther);
  EXPECT_EQ(Expression::Parse("a > 1", "https://www.omg.org/spec/DMN/20191111/FEEL/").kind,
            ExprKind::kFeel);
  EXPECT_EQ(Expression::Parse(" \n ").kind, ExprKind::kEmpty);
  EXPECT_TRUE(Expression::Parse("").empty());
}

TEST(BpmnNodeKind, GroupsKinds) {
  EXPECT_TRUE(IsEvent(NodeKind::kBoundaryEvent));
  EXPECT_FALSE(IsEvent(NodeKind::kTask));
  EXPECT_TRUE(IsActivity(NodeKind::kCallActivity));
  EXPECT_TRUE(IsActivity(NodeKind::kAdHocSubProcess));
  EXPECT_FALSE(IsActivity(NodeKind::kExclusiveGateway));
  EXPECT_TRUE(IsGateway(NodeKind::kComplexGateway));
  EXPECT_TRUE(IsContainer(NodeKind::kTransaction));
  EXPECT_FALSE(IsContainer(NodeKind::kCallActivity));
  EXPECT_STREQ(NodeKindName(NodeKind::kBusinessRuleTask), "businessRuleTask");
  EXPECT_STREQ(EventDefinitionKindName(EventDefinitionKind::kEscalation), "escalationEventDefinition");
}

}  // namespace
}  // namespace amtsweg::bpmn
