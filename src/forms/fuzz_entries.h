// The bodies of the two libFuzzer entries (validator_fuzz.cc, xdf_importer_fuzz.cc),
// callable from forms_test so the corpus replays in the normal g++ build.
// Each returns 0 and traps (__builtin_trap) when a property is violated.
#pragma once

#include <cstddef>
#include <cstdint>

namespace amtsweg::forms {

int FuzzValidatorOne(const uint8_t* data, size_t size);
int FuzzXdfImporterOne(const uint8_t* data, size_t size);

}  // namespace amtsweg::forms
