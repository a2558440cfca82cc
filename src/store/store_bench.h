// `amtsweg bench store`: durable small inserts per second, one transaction
// per insert versus the group-commit writer, on SQLite and PostgreSQL.
#pragma once

#include <ostream>
#include <string>

#include "core/result.h"

namespace amtsweg::store {

struct StoreBenchOptions {
  std::string sqlite_dir = "./data/bench";  // a fresh database file is made here and removed after
  std::string pg_url;                       // empty: PostgreSQL is skipped
  int single_inserts = 300;                 // inserts per run, one transaction each, sequential
  int group_inserts = 20000;                // inserts per run through the group-commit writer
  int concurrency = 64;                     // threads submitting to the writer at once
  int async_window = 1024;                  // inserts in flight in the callback scenario
  int runs = 5;                             // timed runs, after one untimed warm-up run
  std::string build_info;                   // printed in the header, e.g. "commit 1a2b3c build RelWithDebInfo"
};

// Runs three scenarios per backend:
//   <backend>_insert_single       one thread, one transaction (one commit) per insert
//   <backend>_insert_group        `concurrency` threads, each blocking on its insert
//   <backend>_insert_group_async  no submitter threads: `async_window` inserts in
//                                 flight through Writer::Submit callbacks
// and prints a header, one stable line per scenario
//   name runs median_us p99_us ops_per_s
// (latency of one insert from submission to durable commit; ops_per_s is the
// median of the runs), then a table with the ratio to single, the average
// batch size and the process CPU time per insert.
// PostgreSQL runs in a schema of its own that is dropped afterwards.
// Not thread-safe (uses the folders and schema it creates). Errors as Database::Open.
core::Status RunStoreBench(const StoreBenchOptions& options, std::ostream& out);

}  // namespace amtsweg::store
