// libFuzzer entry for the form schema compiler and the validator.
// Input: schema JSON, a NUL byte, data JSON. Without a NUL byte the input is
// data for a fixed schema that uses every field type.
// Build: cmake -DAMTSWEG_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ (target forms_validator_fuzz).
// Crashes become files in fuzz_corpus/validator/, replayed by forms_test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "forms/fuzz_entries.h"
#include "forms/schema.h"
#include "forms/validator.h"

namespace amtsweg::forms {

const char* const kFuzzSchema = R"({"type":"default","components":[
 {"type":"textfield","id":"t","key":"name","validate":{"required":true,"minLength":2,"maxLength":5,"pattern":"^[a-z]+$"}},
 {"type":"textfield","id":"e","key":"mail","validate":{"validationType":"email"}},
 {"type":"number","id":"n","key":"count","decimalDigits":1,"increment":"0.5","validate":{"min":0,"max":100}},
 {"type":"datetime","id":"d","key":"day","subtype":"date","disallowPassedDates":true},
 {"type":"checkbox","id":"c","key":"ok"},
 {"type":"select","id":"s","key":"kind","values":[{"label":"A","value":"a"},{"label":"B","value":"b"}],"conditional":{"hide":"=ok = true"}},
 {"type":"taglist","id":"tl","key":"tags","values":[{"label":"X","value":"x"}]},
 {"type":"group","id":"g","path":"addr","components":[{"type":"textfield","id":"st","key":"street"}]},
 {"type":"dynamiclist","id":"l","path":"items","isRepeating":true,"properties":{"maxItems":"3"},"components":[
   {"type":"number","id":"q","key":"qty","validate":{"required":true}},
   {"type":"expression","id":"x","key":"double","expression":"=this.qty * 2"}]},
 {"type":"expression","id":"sum","key":"total","expression":"=count + 1"}]})";

int FuzzValidatorOne(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view schema_text = nul == std::string_view::npos ? std::string_view(kFuzzSchema) : in.substr(0, nul);
  std::string_view data_text = nul == std::string_view::npos ? in : in.substr(nul + 1);
  auto form = ParseForm(schema_text);
  if (!form.ok()) {
    if (form.error().message().empty()) __builtin_trap();
    return 0;
  }
  auto json = ParseJsonBounded(data_text, 64, 1 << 20);
  if (!json.ok()) return 0;
  ValidateOptions opts;
  opts.today = feel::Date{20000};
  ValidationOutcome out = Check(**form, *json, opts);
  for (const auto& v : out.violations) {
    // Every violation is addressable and readable in both languages.
    if ((!v.pointer.empty() && v.pointer[0] != '/') || v.message_de.empty() || v.message_en.empty()) {
      __builtin_trap();
    }
  }
  // Cleaned data validates again to itself (idempotence). Only for the fixed
  // schema: in general, dropping a hidden field can change another's visibility.
  if (out.ok() && nul == std::string_view::npos) {
    ValidationOutcome again = Check(**form, out.data, opts);
    if (!again.ok() || again.data != out.data) __builtin_trap();
  }
  return 0;
}

}  // namespace amtsweg::forms

#ifdef AMTSWEG_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return amtsweg::forms::FuzzValidatorOne(data, size);
}
#endif
