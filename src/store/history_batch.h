// The events of one `engine_history` row (migration 0006): the engine writes
// one row per command and instance, holding the events that command appended,
// in order, as a JSON array of arrays:
//
//   [["element_activated","Task_1",3,null],["job_created","Task_1",3,{"jobId":"..."}]]
//
// Each event is [event, element id, element key, data] with data a JSON value
// or null. The row's `seq` is the first event's sequence number; the others
// follow one by one (a command's events are consecutive). Readers accept
// batches of any size and any JSON whitespace (PostgreSQL's json_build_array,
// used by the migration, puts spaces after commas).
//
// Lives in store/ because the engine writes it and analytics/ and records/
// read it, and neither of those includes engine/. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/function_ref.h"

namespace amtsweg::store {

// Appends one event to `batch`, an encoded batch under construction (start
// with an empty string; close it with FinishHistoryBatch). `data_json` must be
// a serialised JSON value, or empty for none.
void AppendHistoryEvent(std::string& batch, std::string_view event, std::string_view element_id,
                        int64_t element_key, std::string_view data_json);
// Closes the array; an empty `batch` becomes "[]".
void FinishHistoryBatch(std::string& batch);

// One decoded event. The views point into the decoded text or into the
// decoder's buffers and are valid during the callback only.
struct HistoryEventView {
  std::string_view event;
  std::string_view element_id;
  int64_t element_key = 0;
  std::string_view data;  // JSON text; empty when the event has none (null)
};

// Calls `fn` for each event of an encoded batch, in order; stops at the first
// error `fn` returns. A batch that is not in the format above is an Internal
// error (stored history is corrupt).
core::Status ForEachHistoryEvent(std::string_view batch, FunctionRef<core::Status(const HistoryEventView&)> fn);

}  // namespace amtsweg::store
