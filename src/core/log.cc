#include "core/log.h"

#include <atomic>
#include <memory>
#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/json.h"
#include "core/time.h"

namespace amtsweg::core {
namespace {

struct LogState {
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  std::atomic<int> level{static_cast<int>(LogLevel::kInfo)};
  std::atomic<LogFormat> format{LogFormat::kHuman};
};

LogState& State() {
  static LogState s;
  return s;
}

std::shared_ptr<spdlog::logger> Logger() {
  auto& s = State();
  std::lock_guard lock(s.mu);
  if (!s.logger) {
    // The line is fully formatted by FormatLogLine; spdlog only writes it.
    s.logger = std::make_shared<spdlog::logger>("amtsweg", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s.logger->set_pattern("%v");
    s.logger->set_level(spdlog::level::trace);
    s.logger->flush_on(spdlog::level::trace);
  }
  return s.logger;
}

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "info";
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view t) {
  for (auto l : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError,
                 LogLevel::kOff}) {
    if (t == LevelName(l)) return l;
  }
  return InvalidArgument("unknown log level '" + std::string(t) +
                         "' (expected trace, debug, info, warn, error or off)");
}

Result<LogFormat> ParseLogFormat(std::string_view t) {
  if (t == "human") return LogFormat::kHuman;
  if (t == "json") return LogFormat::kJson;
  return InvalidArgument("unknown log format '" + std::string(t) + "' (expected human or json)");
}

void InitLogging(LogLevel level, LogFormat format) {
  State().level.store(static_cast<int>(level));
  State().format.store(format);
  Logger();
}

bool LogEnabled(LogLevel level) {
  return level != LogLevel::kOff && static_cast<int>(level) >= State().level.load(std::memory_order_relaxed);
}

std::string FormatLogLine(LogFormat format, LogLevel level, std::string_view msg, LogFields fields) {
  std::string ts = FormatIso8601(SystemClock::Instance().Now(), 3);
  if (format == LogFormat::kJson) {
    Json j = Json::object();
    j["ts"] = ts;
    j["level"] = LevelName(level);
    j["msg"] = msg;
    for (const auto& [k, v] : fields) j[std::string(k)] = v;
    return DumpJson(j);
  }
  std::string line = ts;
  line += ' ';
  std::string lvl = LevelName(level);
  for (auto& c : lvl) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  line += lvl;
  line += ' ';
  line += msg;
  for (const auto& [k, v] : fields) {
    line += ' ';
    line += k;
    line += '=';
    if (NeedsQuotes(v)) line += DumpJson(Json(v));  // quoted and escaped
    else line += v;
  }
  return line;
}

void Log(LogLevel level, std::string_view msg, LogFields fields) {
  if (!LogEnabled(level)) return;
  Logger()->info(FormatLogLine(State().format.load(std::memory_order_relaxed), level, msg, fields));
}

}  // namespace amtsweg::core
