// `amtsweg bench engine`: durable process instances per second through the
// whole engine (start command, job activation, job completion command), on
// SQLite and PostgreSQL.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"

namespace amtsweg::engine {

struct EngineBenchOptions {
  std::string sqlite_dir = "./data/bench-engine";  // a fresh database file here, removed after
  std::string pg_url;                              // empty: PostgreSQL is skipped
  int instances = 20000;                           // per timed run
  int window = 2048;                               // start commands in flight at once
  int runs = 3;                                    // timed runs after one untimed warm-up
  int waiting = 10000;                             // instances parked at a user task; 0 skips
};

// What RunEngineBench measured, for callers that compare (app's bench with bpmn-engine).
struct EngineBenchResult {
  struct Scenario {
    std::string name;  // sqlite_engine_service_task, ...
    double ops_per_s = 0;
  };
  std::vector<Scenario> scenarios;
  struct Waiting {
    std::string backend;  // sqlite | postgres
    int instances = 0;
    double rss_bytes_per_instance = 0;  // growth of this process's resident set
    double db_bytes_per_instance = 0;   // growth of the database (SQLite pages; PostgreSQL relation sizes)
  };
  std::vector<Waiting> waiting;
};

// Scenarios per backend:
//   <backend>_engine_service_task  start -> service task -> end; a registered
//                                  in-process worker gets its jobs pushed
//                                  (created activated and locked, up to 1024
//                                  taken at once) and completes each at once
//   <backend>_engine_xor_feel      start -> exclusive gateway (FEEL condition on
//                                  a start variable) -> one of two service tasks -> end
// Prints a header and one line per scenario: `name runs median_us p99_us ops_per_s`,
// where latency is start submission to the completion commit of the instance and
// ops_per_s (completed durable instances per second) is the median of the runs.
//   <backend>_engine_waiting_user_task  `waiting` instances started and left
//                                  at a user task: growth of the process's RSS
//                                  and of the database per waiting instance
//                                  (the engine keeps waiting instances only in
//                                  the database)
// PostgreSQL runs in a schema of its own, dropped afterwards. Not thread-safe.
// `result`, when given, receives the figures as numbers.
core::Status RunEngineBench(const EngineBenchOptions& options, std::ostream& out,
                            EngineBenchResult* result = nullptr);

}  // namespace amtsweg::engine
