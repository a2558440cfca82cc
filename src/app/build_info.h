// Version, commit and compiler of this build (generated at build time).
#pragma once

namespace amtsweg::app {
extern const char* const kVersion;
extern const char* const kCommit;
extern const char* const kCompiler;
extern const char* const kBuildType;
}  // namespace amtsweg::app
