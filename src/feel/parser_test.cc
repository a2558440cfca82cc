#include "feel/parser.h"

#include <gtest/gtest.h>

namespace amtsweg::feel {
namespace {

TEST(FeelParser, JoinsKnownMultiWordNames) {
  NameSet names;
  names.Add("Date of Birth");
  auto n = ParseExpression("Date of Birth", names);
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ((*n)->kind, NodeKind::kName);
  EXPECT_EQ((*n)->text, "Date of Birth");
}

TEST(FeelParser, JoinsNamesWithOperatorCharacters) {
  NameSet names;
  names.Add("income/month");
  auto n = ParseExpression("income/month * 12", names);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->kind, NodeKind::kArith);
  EXPECT_EQ((*n)->kids[0]->text, "income/month");
}

TEST(FeelParser, UnknownNameIsOneToken) {
  auto n = ParseExpression("income/month", NameSet());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->kind, NodeKind::kArith);
  EXPECT_EQ((*n)->text, "/");
}

TEST(FeelParser, BuiltinMultiWordFunctionNames) {
  auto n = ParseExpression("date and time(\"2020-01-01T00:00:00\")", NameSet());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->kind, NodeKind::kCall);
  EXPECT_EQ((*n)->kids[0]->text, "date and time");
}

TEST(FeelParser, ContextKeysBecomeKnownForLaterEntries) {
  auto n = ParseExpression("{first name: \"a\", full: first name + \"b\"}", NameSet());
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ((*n)->names[0], "first name");
  EXPECT_EQ((*n)->kids[1]->kids[0]->text, "first name");
}

TEST(FeelParser, PrecedenceOfArithmeticAndComparison) {
  auto n = ParseExpression("1 + 2 * 3 > 6 and true", NameSet());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->kind, NodeKind::kAnd);
  EXPECT_EQ((*n)->kids[0]->kind, NodeKind::kCompare);
  EXPECT_EQ((*n)->kids[0]->kids[0]->text, "+");
}

TEST(FeelParser, RangesWithAllBracketStyles) {
  for (const char* s : {"[1..2]", "(1..2)", "]1..2[", "[1..2)", "(1..2]"}) {
    auto n = ParseExpression(s, NameSet());
    ASSERT_TRUE(n.ok()) << s;
    EXPECT_EQ((*n)->kind, NodeKind::kRange) << s;
  }
}

TEST(FeelParser, UnaryTestsForms) {
  EXPECT_EQ((*ParseUnaryTests("-", NameSet()))->kind, NodeKind::kTestAny);
  EXPECT_EQ((*ParseUnaryTests("not(1, 2)", NameSet()))->kind, NodeKind::kTestNot);
  auto l = ParseUnaryTests("< 10, [20..30], \"x\"", NameSet());
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->kind, NodeKind::kTestList);
  EXPECT_EQ((*l)->kids.size(), 3u);
}

TEST(FeelParser, NamedArguments) {
  auto n = ParseExpression("substring(string: \"abc\", start position: 2)", NameSet());
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ((*n)->names, (std::vector<std::string>{"string", "start position"}));
}

TEST(FeelParser, ErrorsNameLineColumnAndExpectation) {
  auto n = ParseExpression("if x then 1", NameSet());
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().message(), "1:12: expected 'else', found end of input");
  auto m = ParseExpression("[1,\n 2", NameSet());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(), "2:3: expected ']', found end of input");
}

TEST(FeelParser, ForWithSeveralIterators) {
  auto n = ParseExpression("for i in [1,2], j in [3,4] return i*j", NameSet());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->kind, NodeKind::kFor);
  EXPECT_EQ((*n)->names.size(), 2u);
}

}  // namespace
}  // namespace amtsweg::feel
