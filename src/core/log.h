// Structured logging on spdlog: one process-wide logger, human-readable lines
// or JSON lines (one object per line: ts, level, msg, and key/value fields).
//
// Thread-safety: Log*() may be called from any thread after InitLogging().
// Secrets never go into fields: passwords, tokens, cookies and session ids are
// the caller's duty to leave out.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace amtsweg::core {

enum class LogFormat { kHuman, kJson };
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

Result<LogLevel> ParseLogLevel(std::string_view text);
Result<LogFormat> ParseLogFormat(std::string_view text);

// (Re)configures the process logger; writes to stderr. Safe to call again.
void InitLogging(LogLevel level, LogFormat format);

using LogFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// One log line with `msg` and fields, e.g.
//   LogInfo("request", {{"method", "GET"}, {"path", "/healthz"}, {"status", "200"}});
// Human: `2026-11-27T10:00:00.123Z INFO request method=GET path=/healthz status=200`
// JSON:  `{"ts":"2026-11-27T10:00:00.123Z","level":"info","msg":"request","method":"GET",...}`
void Log(LogLevel level, std::string_view msg, LogFields fields = {});
inline void LogDebug(std::string_view m, LogFields f = {}) { Log(LogLevel::kDebug, m, f); }
inline void LogInfo(std::string_view m, LogFields f = {}) { Log(LogLevel::kInfo, m, f); }
inline void LogWarn(std::string_view m, LogFields f = {}) { Log(LogLevel::kWarn, m, f); }
inline void LogError(std::string_view m, LogFields f = {}) { Log(LogLevel::kError, m, f); }
bool LogEnabled(LogLevel level);

// Formats one line as Log() would, without writing it (tests, and the access log).
std::string FormatLogLine(LogFormat format, LogLevel level, std::string_view msg, LogFields fields);

}  // namespace amtsweg::core
