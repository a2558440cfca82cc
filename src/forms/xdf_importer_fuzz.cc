// libFuzzer entry for the XDatenfelder importer and the genericode reader:
// every imported schema must compile as a form and validate empty data.
// Build: cmake -DAMTSWEG_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ (target forms_xdf_importer_fuzz).
// Crashes become files in fuzz_corpus/xdf/, replayed by forms_test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "forms/fuzz_entries.h"
#include "forms/schema.h"
#include "forms/validator.h"
#include "forms/xdf_importer.h"

namespace amtsweg::forms {

int FuzzXdfImporterOne(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto list = ParseGenericode(xml);
  if (!list.ok() && list.error().message().empty()) __builtin_trap();
  auto imported = ImportXDatenfelder(xml);
  if (!imported.ok()) {
    if (imported.error().message().empty()) __builtin_trap();
    return 0;
  }
  auto form = CompileForm(imported->schema);
  if (!form.ok()) __builtin_trap();  // an import must always give a valid form
  (void)Check(**form, core::Json::object(), ValidateOptions());
  return 0;
}

}  // namespace amtsweg::forms

#ifdef AMTSWEG_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return amtsweg::forms::FuzzXdfImporterOne(data, size);
}
#endif
