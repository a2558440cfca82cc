#include "cases/extract.h"

#include <gtest/gtest.h>

namespace amtsweg::cases {
namespace {

using core::Json;

TEST(Extract, ApplicantFromDeclaredEmailFieldAndNameKeyInsideAGroup) {
  auto form = forms::CompileForm(Json::parse(R"({
    "id": "f", "type": "default", "components": [
      {"type": "group", "path": "antragsteller", "components": [
        {"type": "textfield", "key": "name", "label": "Name"},
        {"type": "textfield", "key": "kontakt", "label": "Kontakt", "validate": {"validationType": "email"}}]},
      {"type": "textfield", "key": "firma", "label": "Firma"}]})"));
  ASSERT_TRUE(form.ok()) << form.error().ToString();
  Json data{{"antragsteller", {{"name", "Jörg Weiß"}, {"kontakt", "jw@example.org"}}}, {"firma", "Bau GmbH"}};
  Applicant a = ExtractApplicant(form->get(), data);
  EXPECT_EQ(a.name, "Jörg Weiß");  // "name" ranks before "firma"
  EXPECT_EQ(a.email, "jw@example.org");
}

TEST(Extract, FirstAndLastNameWithoutAForm) {
  Json data{{"person", {{"vorname", "Anna"}, {"nachname", "Groß"}, {"eMail", "a@b.de"}}}};
  Applicant a = ExtractApplicant(nullptr, data);
  EXPECT_EQ(a.name, "Anna Groß");
  EXPECT_EQ(a.email, "a@b.de");
  EXPECT_EQ(ExtractApplicant(nullptr, Json{{"x", 1}}).name, "");
}

TEST(Extract, SearchTextCollectsStringsAndNumbersAndStopsAtTheLimit) {
  Json data{{"a", "Straße"}, {"b", {{"c", 12.5}, {"d", Json::array({"x", true})}}}};
  EXPECT_EQ(SearchText(data), "Straße 12.5 x");
  std::string cut = SearchText(Json{{"a", "ääää"}}, 3);
  EXPECT_EQ(cut, "ä");  // not in the middle of a UTF-8 sequence
}

TEST(Extract, FoldAndFtsQuery) {
  EXPECT_EQ(FoldForSearch("Straße ẞ"), "Strasse SS");
  EXPECT_EQ(Fts5Query("Straße \"OR\" müller*"), "\"Strasse\"* \"OR\"* \"müller\"*");
  EXPECT_EQ(Fts5Query("  -- ** "), "");
  EXPECT_EQ(Fts5Query("Straße müller", false), "\"Strasse\" \"müller\"");
}

}  // namespace
}  // namespace amtsweg::cases
