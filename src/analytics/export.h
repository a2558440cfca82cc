// Event-log exports of a mining Log: XES (IEEE 1849-2016) for PM4Py, ProM and
// Disco, and CSV (RFC 4180) with PM4Py's column names.
//
// Every activity instance becomes a `start` event at its activation and a
// `complete` event at its completion (`ate_abort` when it was terminated);
// an activity still open has only its `start`. Events of a trace are ordered
// by time, then by activation order. concept:name of an event is the element
// name when it is non-empty and unique in the process, else the element id;
// `elementId` always carries the id. org:resource is the assignee who
// completed a user task, where known.
#pragma once

#include <string>

#include "analytics/mining.h"

namespace amtsweg::analytics {

// A complete XES document (UTF-8, namespace http://www.xes-standard.org/):
// extensions concept, time, lifecycle, org; globals for trace and event;
// classifiers "Activity" (concept:name) and "ActivityLifecycle"
// (concept:name lifecycle:transition); one trace per case with concept:name =
// the process instance id, and `version`, `state`.
std::string ToXes(const Log& log);

// CSV, CRLF line ends, header row:
// case:concept:name,concept:name,lifecycle:transition,time:timestamp,org:resource,elementId,processVersion
std::string ToCsv(const Log& log);

// One RFC 4180 field: quoted when it contains a comma, quote, CR or LF.
std::string CsvField(std::string_view s);

}  // namespace amtsweg::analytics
