#include "feel/lexer.h"

#include <gtest/gtest.h>

namespace amtsweg::feel {
namespace {

TEST(FeelLexer, SplitsNamesNumbersStringsAndOperators) {
  auto t = Tokenize("Date of Birth <= 1.5 ** \"a\\\"b\" .. x");
  ASSERT_TRUE(t.ok());
  std::vector<std::string> texts;
  for (const Token& tok : *t) texts.push_back(tok.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"Date", "of", "Birth", "<=", "1.5", "**", "a\"b",
                                             "..", "x", ""}));
}

TEST(FeelLexer, KeepsRangeDotsApartFromNumbers) {
  auto t = Tokenize("[1..10]");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 6u);
  EXPECT_EQ((*t)[1].text, "1");
  EXPECT_EQ((*t)[2].text, "..");
}

TEST(FeelLexer, SkipsComments) {
  auto t = Tokenize("1 // line\n + /* block */ 2");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[2].line, 2);
}

TEST(FeelLexer, DecodesUnicodeEscapes) {
  auto t = Tokenize("\"\\u00e4\\U01F40E\"");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)[0].text, "\xC3\xA4\xF0\x9F\x90\x8E");
}

TEST(FeelLexer, RejectsUnterminatedStringWithPosition) {
  auto t = Tokenize("x +\n  \"abc");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "2:3: unterminated string literal");
}

}  // namespace
}  // namespace amtsweg::feel
