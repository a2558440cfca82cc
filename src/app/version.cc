#include <cstdio>

#include "app/build_info.h"
#include "app/commands.h"

namespace amtsweg::app {

int RunVersion() {
  std::printf("amtsweg %s\ncommit %s\nbuilt with %s (%s)\n", kVersion, kCommit, kCompiler, kBuildType);
  return 0;
}

}  // namespace amtsweg::app
