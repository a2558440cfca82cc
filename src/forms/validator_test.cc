#include "forms/validator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace amtsweg::forms {
namespace {

using core::Json;

std::unique_ptr<const Form> MustForm(const std::string& components) {
  auto f = ParseForm(R"({"type":"default","id":"t","components":[)" + components + "]}");
  EXPECT_TRUE(f.ok()) << f.error().ToString();
  return f.ok() ? std::move(*f) : nullptr;
}

// "pointer code" of each violation, in order.
std::vector<std::string> Problems(const ValidationOutcome& o) {
  std::vector<std::string> out;
  for (const auto& v : o.violations) out.push_back(v.pointer + " " + v.code);
  return out;
}

using P = std::vector<std::string>;

ValidationOutcome Validated(const Form& f, const char* data, ValidateOptions o = {}) {
  return Check(f, Json::parse(data), o);
}

// ---- textfield / textarea ----

TEST(FormValidator, RequiredTextMissingEmptyOrNull) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"name","validate":{"required":true}})");
  EXPECT_EQ(Problems(Validated(*f, "{}")), P{"/name required"});
  EXPECT_EQ(Problems(Validated(*f, R"({"name":""})")), P{"/name required"});
  EXPECT_EQ(Problems(Validated(*f, R"({"name":null})")), P{"/name required"});
  auto ok = Validated(*f, R"({"name":"Erika"})");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.data, Json::parse(R"({"name":"Erika"})"));
}

TEST(FormValidator, OptionalEmptyTextIsNotStored) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"name"})");
  auto o = Validated(*f, R"({"name":""})");
  EXPECT_TRUE(o.ok());
  EXPECT_EQ(o.data, Json::object());
}

TEST(FormValidator, TextLengthCountsTrimmedCodePoints) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"n","validate":{"minLength":3,"maxLength":4}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"  ab  "})")), P{"/n min_length"});
  EXPECT_TRUE(Validated(*f, R"({"n":"Öäüß"})").ok());  // 4 code points, 8 bytes
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"abcde"})")), P{"/n max_length"});
}

TEST(FormValidator, TextareaMaxLength) {
  auto f = MustForm(R"({"type":"textarea","id":"n","key":"n","validate":{"maxLength":5}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"line1\nline2"})")), P{"/n max_length"});
  EXPECT_TRUE(Validated(*f, R"({"n":"a\nb"})").ok());
}

TEST(FormValidator, PatternIsUnanchoredLikeFormJs) {
  auto f = MustForm(R"({"type":"textfield","id":"z","key":"zip","validate":{"pattern":"[0-9]{5}"}},
                       {"type":"textfield","id":"a","key":"exact","validate":{"pattern":"^[0-9]{5}$"}})");
  EXPECT_TRUE(Validated(*f, R"({"zip":"D-24837"})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"zip":"2483"})")), P{"/zip pattern"});
  EXPECT_EQ(Problems(Validated(*f, R"({"exact":"D-24837"})")), P{"/exact pattern"});
}

TEST(FormValidator, EmailAndPhone) {
  auto f = MustForm(R"({"type":"textfield","id":"e","key":"mail","validate":{"validationType":"email"}},
                       {"type":"textfield","id":"p","key":"tel","validate":{"validationType":"phone"}})");
  EXPECT_TRUE(Validated(*f, R"({"mail":"amt@mittelangeln.de","tel":"+494621123456"})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"mail":"amt@","tel":"04621 123"})")), (P{"/mail email", "/tel phone"}));
}

TEST(FormValidator, TextWrongTypeAndLimits) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"n","validate":{"pattern":"a"}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"n":12})")), P{"/n type_text"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":["a"]})")), P{"/n type_text"});
  ValidateOptions small;
  small.max_string_length = 4;
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"aaaaa"})", small)), P{"/n too_long"});
  ValidateOptions no_regex;
  no_regex.max_pattern_input = 3;
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"aaaa"})", no_regex)), P{"/n pattern_input_too_long"});
}

TEST(FormValidator, InvalidUtf8InAStringIsRejected) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"n"})");
  Json data = Json::object();
  data["n"] = std::string("abc\xed\xa0\x80");  // an encoded surrogate
  EXPECT_EQ(Problems(Check(*f, data, {})), P{"/n invalid_utf8"});
}

// ---- number ----

TEST(FormValidator, NumberRangeDecimalsAndIncrement) {
  auto f = MustForm(R"({"type":"number","id":"n","key":"n","decimalDigits":1,"increment":"0.5",
                        "validate":{"min":1,"max":10}})");
  EXPECT_TRUE(Validated(*f, R"({"n":2.5})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"n":0.5})")), P{"/n min"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":11})")), P{"/n max"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":2.25})")), (P{"/n decimal_digits", "/n increment"}));
  auto inc = Validated(*f, R"({"n":2.2})");
  ASSERT_EQ(Problems(inc), P{"/n increment"});
  EXPECT_NE(inc.violations[0].message_en.find("2 and 2.5"), std::string::npos) << inc.violations[0].message_en;
}

TEST(FormValidator, NumberIntegerAndType) {
  auto f = MustForm(R"({"type":"number","id":"n","key":"n","decimalDigits":0,"validate":{"required":true}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"n":1.5})")), P{"/n integer"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"3"})")), P{"/n type_number"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":true})")), P{"/n type_number"});
  EXPECT_TRUE(Validated(*f, R"({"n":0})").ok());  // 0 is a value, not "missing"
}

TEST(FormValidator, NumberSerializedToString) {
  auto f = MustForm(R"({"type":"number","id":"n","key":"n","serializeToString":true,"validate":{"max":5}})");
  EXPECT_TRUE(Validated(*f, R"({"n":"4.75"})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"5.01"})")), P{"/n max"});
  EXPECT_EQ(Problems(Validated(*f, R"({"n":"NaN"})")), P{"/n type_number"});
}

// ---- datetime ----

TEST(FormValidator, DateTimeSubtypes) {
  auto f = MustForm(R"({"type":"datetime","id":"d","key":"d","subtype":"date"},
                       {"type":"datetime","id":"t","key":"t","subtype":"time"},
                       {"type":"datetime","id":"x","key":"x","subtype":"datetime"})");
  EXPECT_TRUE(Validated(*f, R"({"d":"2024-02-29","t":"23:59","x":"2024-02-29T10:15+01:00"})").ok());
  EXPECT_TRUE(Validated(*f, R"({"t":"08:00Z","x":"2024-01-01T00:00:00Z"})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"d":"2023-02-29","t":"24:00","x":"2024-01-01"})")),
            (P{"/d date_format", "/t time_format", "/x datetime_format"}));
  EXPECT_EQ(Problems(Validated(*f, R"({"d":"29.02.2024"})")), P{"/d date_format"});
}

TEST(FormValidator, DisallowPassedDatesUsesTheGivenToday) {
  auto f = MustForm(R"({"type":"datetime","id":"d","key":"d","subtype":"date","disallowPassedDates":true})");
  ValidateOptions o;
  o.today = feel::Date{feel::DaysFromCivil(2026, 3, 1)};
  EXPECT_TRUE(Validated(*f, R"({"d":"2026-03-01"})", o).ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"d":"2026-02-28"})", o)), P{"/d date_passed"});
  auto no_today = Validated(*f, R"({"d":"2000-01-01"})");
  EXPECT_TRUE(no_today.ok());
  ASSERT_EQ(no_today.notes.size(), 1u);
  EXPECT_NE(no_today.notes[0].find("today"), std::string::npos);
}

// ---- checkbox and choices ----

TEST(FormValidator, RequiredCheckboxMustBeTicked) {
  auto f = MustForm(R"({"type":"checkbox","id":"c","key":"consent","validate":{"required":true}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"consent":false})")), P{"/consent required"});
  EXPECT_EQ(Problems(Validated(*f, R"({"consent":"yes"})")), P{"/consent type_boolean"});
  EXPECT_TRUE(Validated(*f, R"({"consent":true})").ok());
}

TEST(FormValidator, SelectAndRadioAllowOnlyTheirValues) {
  auto f = MustForm(R"({"type":"select","id":"s","key":"s","values":[{"label":"A","value":"a"},{"label":"Eins","value":1}]},
                       {"type":"radio","id":"r","key":"r","values":[{"label":"Ja","value":"ja"}],"validate":{"required":true}})");
  EXPECT_TRUE(Validated(*f, R"({"s":1,"r":"ja"})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"s":"1","r":"nein"})")), (P{"/s not_allowed", "/r not_allowed"}));
  EXPECT_EQ(Problems(Validated(*f, R"({"s":{"a":1}})")), (P{"/s type_scalar", "/r required"}));
}

TEST(FormValidator, ValuesKeyComesFromServerContextNeverFromData) {
  auto f = MustForm(R"({"type":"select","id":"s","key":"s","valuesKey":"areas"})");
  ValidateOptions o;
  o.context = Json::parse(R"({"areas":[{"label":"Nord","value":"N"},"S"]})");
  EXPECT_TRUE(Validated(*f, R"({"s":"S"})", o).ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"s":"X"})", o)), P{"/s not_allowed"});
  // Without the context the check cannot run; the outcome says so.
  auto unknown = Validated(*f, R"({"s":"X"})");
  EXPECT_TRUE(unknown.ok());
  ASSERT_EQ(unknown.notes.size(), 1u);
  EXPECT_NE(unknown.notes[0].find("areas"), std::string::npos);
}

TEST(FormValidator, ValuesExpressionIsEvaluatedOnTheData) {
  auto f = MustForm(R"({"type":"number","id":"n","key":"max"},
                       {"type":"select","id":"s","key":"s","valuesExpression":"=for i in 1..max return {label: string(i), value: i}"})");
  EXPECT_TRUE(Validated(*f, R"({"max":3,"s":3})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"max":3,"s":4})")), P{"/s not_allowed"});
}

TEST(FormValidator, ChecklistAndTaglist) {
  auto f = MustForm(R"({"type":"checklist","id":"c","key":"c","values":[{"label":"A","value":"a"},{"label":"B","value":"b"}],"validate":{"required":true}},
                       {"type":"taglist","id":"t","key":"t","values":[{"label":"X","value":"x"}]})");
  EXPECT_TRUE(Validated(*f, R"({"c":["a","b"],"t":["x"]})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"c":[]})")), P{"/c required"});
  EXPECT_EQ(Problems(Validated(*f, R"({"c":["a","z","a"],"t":"x"})")),
            (P{"/c/1 not_allowed", "/c/2 duplicate_value", "/t type_list"}));
  ValidateOptions o;
  o.max_list_items = 1;
  EXPECT_EQ(Problems(Validated(*f, R"({"c":["a","b"]})", o)), P{"/c too_many_items"});
}

TEST(FormValidator, FilepickerTakesFileReferences) {
  auto f = MustForm(R"({"type":"filepicker","id":"f","key":"plan","validate":{"required":true}},
                       {"type":"filepicker","id":"g","key":"more","multiple":true})");
  EXPECT_TRUE(Validated(*f, R"({"plan":"files::1","more":["files::2","files::3"]})").ok());
  EXPECT_EQ(Problems(Validated(*f, R"({"plan":42,"more":[1]})")), (P{"/plan type_file", "/more/0 type_file"}));
}

// ---- conditional visibility ----

TEST(FormValidator, HiddenFieldIsNeitherRequiredNorStored) {
  auto f = MustForm(R"({"type":"checkbox","id":"c","key":"company"},
    {"type":"textfield","id":"n","key":"companyName","validate":{"required":true},"conditional":{"hide":"=company != true"}})");
  auto hidden = Validated(*f, R"({"company":false,"companyName":"sent anyway"})");
  EXPECT_TRUE(hidden.ok()) << Problems(hidden)[0];
  EXPECT_EQ(hidden.data, Json::parse(R"({"company":false})"));
  EXPECT_EQ(Problems(Validated(*f, R"({"company":true})")), P{"/companyName required"});
  EXPECT_EQ(Validated(*f, R"({"company":true,"companyName":"ACME"})").data,
            Json::parse(R"({"company":true,"companyName":"ACME"})"));
}

TEST(FormValidator, HiddenGroupHidesEverythingInside) {
  auto f = MustForm(R"({"type":"radio","id":"k","key":"kind","values":[{"label":"P","value":"person"},{"label":"O","value":"org"}]},
    {"type":"group","id":"g","path":"org","conditional":{"hide":"=kind != \"org\""},
     "components":[{"type":"textfield","id":"n","key":"name","validate":{"required":true}}]})");
  auto o = Validated(*f, R"({"kind":"person","org":{"name":"x"}})");
  EXPECT_TRUE(o.ok());
  EXPECT_EQ(o.data, Json::parse(R"({"kind":"person"})"));
  EXPECT_EQ(Problems(Validated(*f, R"({"kind":"org"})")), P{"/org/name required"});
}

// ---- groups and dynamic lists ----

TEST(FormValidator, GroupPathsNestAndPathlessGroupsFlatten) {
  auto f = MustForm(R"({"type":"group","id":"a","path":"applicant","components":[
      {"type":"textfield","id":"n","key":"name","validate":{"required":true}},
      {"type":"group","id":"adr","path":"address.home","components":[{"type":"textfield","id":"s","key":"street","validate":{"required":true}}]}]},
    {"type":"group","id":"flat","components":[{"type":"textfield","id":"x","key":"note"}]})");
  EXPECT_EQ(Problems(Validated(*f, "{}")), (P{"/applicant/name required", "/applicant/address/home/street required"}));
  auto ok = Validated(*f, R"({"applicant":{"name":"A","address":{"home":{"street":"B"}}},"note":"n"})");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.data, Json::parse(R"({"applicant":{"name":"A","address":{"home":{"street":"B"}}},"note":"n"})"));
  EXPECT_EQ(Problems(Validated(*f, R"({"applicant":"A"})")), P{"/applicant type_object"});
}

TEST(FormValidator, DottedKeysNest) {
  auto f = MustForm(R"({"type":"textfield","id":"a","key":"person.name","validate":{"required":true}})");
  EXPECT_EQ(Problems(Validated(*f, R"({"person":{}})")), P{"/person/name required"});
  EXPECT_EQ(Validated(*f, R"({"person":{"name":"X"}})").data, Json::parse(R"({"person":{"name":"X"}})"));
}

const char* kLocations = R"({"type":"dynamiclist","id":"l","path":"locations","isRepeating":true,
   "properties":{"minItems":"1","maxItems":"3"},"components":[
     {"type":"textfield","id":"s","key":"street","validate":{"required":true}},
     {"type":"number","id":"n","key":"posters","validate":{"min":1}},
     {"type":"textfield","id":"why","key":"reason","validate":{"required":true},"conditional":{"hide":"=this.posters = null or this.posters <= 10"}}]})";

TEST(FormValidator, DynamicListErrorsCarryTheItemIndex) {
  auto f = MustForm(kLocations);
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":[{"street":"A"},{"street":"B","posters":0},{"posters":2}]})")),
            (P{"/locations/1/posters min", "/locations/2/street required"}));
}

TEST(FormValidator, DynamicListItemLimitsAndShapes) {
  auto f = MustForm(kLocations);
  EXPECT_EQ(Problems(Validated(*f, "{}")), P{"/locations min_items"});
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":[]})")), P{"/locations min_items"});
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":[{"street":"a"},{"street":"b"},{"street":"c"},{"street":"d"}]})")),
            P{"/locations max_items"});
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":{"street":"a"}})")), P{"/locations type_list"});
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":["a"]})")), P{"/locations/0 type_object"});
  ValidateOptions o;
  o.max_list_items = 2;
  EXPECT_EQ(Problems(Validated(*f, R"({"locations":[{},{},{}]})", o)), P{"/locations too_many_items"});
}

TEST(FormValidator, ConditionsInsideListItemsSeeThis) {
  auto f = MustForm(kLocations);
  auto o = Validated(*f, R"({"locations":[{"street":"A","posters":5,"reason":"dropped"},{"street":"B","posters":20}]})");
  EXPECT_EQ(Problems(o), P{"/locations/1/reason required"});
  auto ok = Validated(*f, R"({"locations":[{"street":"A","posters":5,"reason":"dropped"},{"street":"B","posters":20,"reason":"Wahl"}]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.data, Json::parse(R"({"locations":[{"street":"A","posters":5},{"street":"B","posters":20,"reason":"Wahl"}]})"));
}

// ---- computed fields ----

TEST(FormValidator, ExpressionFieldsAreComputedServerSide) {
  auto f = MustForm(R"({"type":"number","id":"d","key":"days"},
    {"type":"number","id":"p","key":"posters"},
    {"type":"expression","id":"fee","key":"fee","expression":"=days * posters * 0.5","computeOn":"change"},
    {"type":"textfield","id":"r","key":"reason","validate":{"required":true},"conditional":{"hide":"=fee < 100"}})");
  auto o = Validated(*f, R"({"days":10,"posters":4,"fee":0})");  // client-sent fee is ignored
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.data["fee"], 20);
  EXPECT_EQ(Problems(Validated(*f, R"({"days":100,"posters":4,"fee":1})")), P{"/reason required"});
}

TEST(FormValidator, ExpressionFieldsInsideListsUseTheItem) {
  auto f = MustForm(R"({"type":"dynamiclist","id":"l","path":"rows","components":[
      {"type":"number","id":"q","key":"qty"},{"type":"expression","id":"x","key":"twice","expression":"=this.qty * 2"}]})");
  auto o = Validated(*f, R"({"rows":[{"qty":2},{"qty":5,"twice":0}]})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.data, Json::parse(R"({"rows":[{"qty":2,"twice":4},{"qty":5,"twice":10}]})"));
}

// ---- unknown keys, bad input, limits ----

TEST(FormValidator, UnknownKeysAreRejectedEverywhereByDefault) {
  auto f = MustForm(std::string(R"({"type":"textfield","id":"a","key":"a"},
    {"type":"group","id":"g","path":"g","components":[{"type":"textfield","id":"b","key":"b"}]},)") + kLocations);
  EXPECT_EQ(Problems(Validated(*f, R"({"a":"x","admin":true,"g":{"b":"y","c":1},"locations":[{"street":"s","x":1}]})")),
            (P{"/admin unknown_field", "/g/c unknown_field", "/locations/0/x unknown_field"}));
  ValidateOptions drop;
  drop.unknown_keys = UnknownKeys::kDrop;
  auto o = Validated(*f, R"({"a":"x","admin":true,"g":{"b":"y","c":1},"locations":[{"street":"s","x":1}]})", drop);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.data, Json::parse(R"({"a":"x","g":{"b":"y"},"locations":[{"street":"s"}]})"));
}

TEST(FormValidator, KeysOfDisplayComponentsAndButtonsAreUnknown) {
  auto f = MustForm(R"({"type":"text","id":"t","text":"x"},{"type":"button","id":"b","action":"submit"})");
  EXPECT_EQ(Problems(Validated(*f, R"({"t":"x"})")), P{"/t unknown_field"});
  EXPECT_TRUE(Validated(*f, "{}").ok());
}

TEST(FormValidator, RejectsNonObjectsAndDeepNesting) {
  auto f = MustForm(R"({"type":"textfield","id":"a","key":"a"})");
  EXPECT_EQ(Problems(Validated(*f, "[]")), P{" not_object"});
  Json deep = Json::array();
  for (int i = 0; i < 40; ++i) deep = Json::array({deep});
  Json data = Json::object();
  data["a"] = deep;
  EXPECT_EQ(Problems(Check(*f, data, {})), P{" too_deep"});
}

// ---- messages ----

TEST(FormValidator, MessagesInGermanByDefaultAndInEnglishOnRequest) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"name","validate":{"required":true,"maxLength":2}})");
  auto de = Validate(*f, Json::parse("{}"), {});
  ASSERT_FALSE(de.ok());
  EXPECT_EQ(de.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(de.error().details().size(), 1u);
  EXPECT_EQ(de.error().details()[0], (core::FieldError{"/name", "Dieses Feld ist ein Pflichtfeld."}));
  ValidateOptions en;
  en.language = Language::kEnglish;
  auto e = Validate(*f, Json::parse(R"({"name":"abc"})"), en);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().details()[0], (core::FieldError{"/name", "Must have at most 2 characters."}));
  auto o = Validated(*f, R"({"name":"abc"})");
  EXPECT_EQ(o.violations[0].message_de, "Bitte geben Sie höchstens 2 Zeichen ein.");
  EXPECT_EQ(ToError(o, Language::kEnglish).details()[0].message, o.violations[0].message_en);
}

TEST(FormValidator, ValidateReturnsCleanedData) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"name"})");
  auto r = Validate(*f, Json::parse(R"({"name":"X"})"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Json::parse(R"({"name":"X"})"));
}

TEST(FormValidator, PointersEscapeSlashAndTilde) {
  auto f = MustForm(R"({"type":"textfield","id":"n","key":"a/b~c","validate":{"required":true}})");
  EXPECT_EQ(Problems(Validated(*f, "{}")), P{"/a~1b~0c required"});
}

TEST(FormValidator, LanguageFromAcceptLanguage) {
  EXPECT_EQ(LanguageFromAcceptLanguage(""), Language::kGerman);
  EXPECT_EQ(LanguageFromAcceptLanguage("en-US,en;q=0.9"), Language::kEnglish);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=0.5, de-DE;q=0.8"), Language::kGerman);
  EXPECT_EQ(LanguageFromAcceptLanguage("fr-FR, EN;q=0.3"), Language::kEnglish);
  EXPECT_EQ(LanguageFromAcceptLanguage("fr"), Language::kGerman);
}

}  // namespace
}  // namespace amtsweg::forms
