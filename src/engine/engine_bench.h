// `amtsweg bench engine`: durable process instances per second through the
// whole engine (start command, job activation, job completion command), on
// SQLite and PostgreSQL.
#pragma once

#include <ostream>
#include <string>

#include "core/result.h"

namespace amtsweg::engine {

struct EngineBenchOptions {
  std::string sqlite_dir = "./data/bench-engine";  // a fresh database file here, removed after
  std::string pg_url;                              // empty: PostgreSQL is skipped
  int instances = 20000;                           // per timed run
  int window = 2048;                               // start commands in flight at once
  int runs = 3;                                    // timed runs after one untimed warm-up
};

// Scenarios per backend:
//   <backend>_engine_service_task  start -> service task -> end; an in-process
//                                  worker loop activates jobs (up to 1024 per
//                                  command) and completes each at once
//   <backend>_engine_xor_feel      start -> exclusive gateway (FEEL condition on
//                                  a start variable) -> one of two service tasks -> end
// Prints a header and one line per scenario: `name runs median_us p99_us ops_per_s`,
// where latency is start submission to the completion commit of the instance and
// ops_per_s (completed durable instances per second) is the median of the runs.
// PostgreSQL runs in a schema of its own, dropped afterwards. Not thread-safe.
core::Status RunEngineBench(const EngineBenchOptions& options, std::ostream& out);

}  // namespace amtsweg::engine
