#include "core/config.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>

#include <fmt/format.h>
#include <toml++/toml.h>

extern char** environ;

namespace amtsweg::core {
namespace {

enum class Kind { kString, kInt, kInt64, kBool, kLevel, kFormat };

// One known key: where it lives in Config, how to parse it, what is allowed.
struct Key {
  const char* section;
  const char* name;
  Kind kind;
  int64_t min = 0;
  int64_t max = 0;
  const char* help;
  std::function<void*(Config&)> field;
};

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      {"server", "address", Kind::kString, 0, 0, "IP address to listen on",
       [](Config& c) -> void* { return &c.server.address; }},
      {"server", "port", Kind::kInt, 0, 65535, "TCP port (0: any free port)",
       [](Config& c) -> void* { return &c.server.port; }},
      {"server", "threads", Kind::kInt, 0, 256, "HTTP worker threads (0: one per core)",
       [](Config& c) -> void* { return &c.server.threads; }},
      {"server", "static_dir", Kind::kString, 0, 0, "folder of the built web app",
       [](Config& c) -> void* { return &c.server.static_dir; }},
      {"server", "max_body_bytes", Kind::kInt64, 1024, int64_t{1} << 32, "largest request body (413 beyond)",
       [](Config& c) -> void* { return &c.server.max_body_bytes; }},
      {"server", "max_header_bytes", Kind::kInt64, 1024, 1 << 20, "largest request head (431 beyond)",
       [](Config& c) -> void* { return &c.server.max_header_bytes; }},
      {"server", "read_timeout_ms", Kind::kInt, 100, 3'600'000, "time to receive a request (408 beyond)",
       [](Config& c) -> void* { return &c.server.read_timeout_ms; }},
      {"server", "idle_timeout_ms", Kind::kInt, 100, 3'600'000, "keep-alive idle time",
       [](Config& c) -> void* { return &c.server.idle_timeout_ms; }},
      {"server", "max_connections", Kind::kInt, 1, 1'000'000, "open connections at most",
       [](Config& c) -> void* { return &c.server.max_connections; }},
      {"server", "shutdown_timeout_ms", Kind::kInt, 0, 600'000, "drain time on SIGTERM",
       [](Config& c) -> void* { return &c.server.shutdown_timeout_ms; }},
      {"database", "url", Kind::kString, 0, 0, "sqlite:PATH or postgresql://user@host:port/db",
       [](Config& c) -> void* { return &c.database.url; }},
      {"database", "readers", Kind::kInt, 1, 256, "SQLite reader connections",
       [](Config& c) -> void* { return &c.database.readers; }},
      {"database", "pool_size", Kind::kInt, 1, 1024, "PostgreSQL connections",
       [](Config& c) -> void* { return &c.database.pool_size; }},
      {"database", "busy_timeout_ms", Kind::kInt, 0, 600'000, "wait for a locked database",
       [](Config& c) -> void* { return &c.database.busy_timeout_ms; }},
      {"database", "max_batch", Kind::kInt, 1, 100'000, "group-commit batch limit",
       [](Config& c) -> void* { return &c.database.max_batch; }},
      {"storage", "files_dir", Kind::kString, 0, 0, "folder of uploaded attachments",
       [](Config& c) -> void* { return &c.storage.files_dir; }},
      {"log", "level", Kind::kLevel, 0, 0, "trace, debug, info, warn, error or off",
       [](Config& c) -> void* { return &c.log.level; }},
      {"log", "format", Kind::kFormat, 0, 0, "human or json",
       [](Config& c) -> void* { return &c.log.format; }},
      {"log", "access_log", Kind::kBool, 0, 0, "one log line per HTTP request",
       [](Config& c) -> void* { return &c.log.access_log; }},
      {"auth", "session_idle_timeout_s", Kind::kInt, 60, 7 * 86'400, "session ends after this idle time",
       [](Config& c) -> void* { return &c.auth.session_idle_timeout_s; }},
      {"auth", "session_absolute_timeout_s", Kind::kInt, 60, 30 * 86'400, "session ends this long after login",
       [](Config& c) -> void* { return &c.auth.session_absolute_timeout_s; }},
      {"auth", "cookie_secure", Kind::kBool, 0, 0, "Secure attribute on the session cookie",
       [](Config& c) -> void* { return &c.auth.cookie_secure; }},
      {"auth", "max_failures_per_account", Kind::kInt, 1, 1000, "failed logins before an account name is locked",
       [](Config& c) -> void* { return &c.auth.max_failures_per_account; }},
      {"auth", "max_failures_per_address", Kind::kInt, 1, 100'000, "failed logins before a client address is locked",
       [](Config& c) -> void* { return &c.auth.max_failures_per_address; }},
      {"auth", "failure_window_s", Kind::kInt, 1, 86'400, "failed logins are counted within this window",
       [](Config& c) -> void* { return &c.auth.failure_window_s; }},
      {"auth", "lockout_s", Kind::kInt, 1, 86'400, "duration of a lockout",
       [](Config& c) -> void* { return &c.auth.lockout_s; }},
      {"auth", "min_password_length", Kind::kInt, 8, 1024, "shortest password accepted",
       [](Config& c) -> void* { return &c.auth.min_password_length; }},
      {"auth", "client_ip_header", Kind::kString, 0, 0, "header with the client address set by a trusted proxy",
       [](Config& c) -> void* { return &c.auth.client_ip_header; }},
      {"intake", "sweep_interval_s", Kind::kInt, 0, 7 * 86'400, "how often orphaned attachment files are removed (0: never)",
       [](Config& c) -> void* { return &c.intake.sweep_interval_s; }},
      {"intake", "sweep_min_age_s", Kind::kInt, 60, 30 * 86'400, "only orphaned attachment files at least this old",
       [](Config& c) -> void* { return &c.intake.sweep_min_age_s; }},
      {"smtp", "host", Kind::kString, 0, 0, "SMTP server for Postfach notifications; empty: no e-mail",
       [](Config& c) -> void* { return &c.smtp.host; }},
      {"smtp", "port", Kind::kInt, 1, 65535, "SMTP port", [](Config& c) -> void* { return &c.smtp.port; }},
      {"smtp", "from", Kind::kString, 0, 0, "sender address of notifications",
       [](Config& c) -> void* { return &c.smtp.from; }},
      {"smtp", "starttls", Kind::kBool, 0, 0, "require STARTTLS", [](Config& c) -> void* { return &c.smtp.starttls; }},
      {"smtp", "user", Kind::kString, 0, 0, "SMTP AUTH user; empty: no AUTH",
       [](Config& c) -> void* { return &c.smtp.user; }},
      {"smtp", "password", Kind::kString, 0, 0, "SMTP AUTH password (never logged)",
       [](Config& c) -> void* { return &c.smtp.password; }},
      {"smtp", "portal_url", Kind::kString, 0, 0, "base URL of the portal for the Postfach link",
       [](Config& c) -> void* { return &c.smtp.portal_url; }},
      {"smtp", "max_attempts", Kind::kInt, 1, 100, "attempts per mail before it is given up",
       [](Config& c) -> void* { return &c.smtp.max_attempts; }},
      {"webhooks", "enabled", Kind::kBool, 0, 0, "dispatch and deliver webhooks in serve",
       [](Config& c) -> void* { return &c.webhooks.enabled; }},
      {"webhooks", "max_attempts", Kind::kInt, 1, 100, "attempts per delivery before it is given up",
       [](Config& c) -> void* { return &c.webhooks.max_attempts; }},
      {"webhooks", "first_backoff_s", Kind::kInt, 1, 86'400, "wait after the first failed attempt (doubled after each)",
       [](Config& c) -> void* { return &c.webhooks.first_backoff_s; }},
      {"outbound", "allow_http", Kind::kBool, 0, 0, "allow plain http:// for webhooks and the HTTP connector",
       [](Config& c) -> void* { return &c.outbound.allow_http; }},
      {"outbound", "allow_private", Kind::kBool, 0, 0,
       "allow loopback, private, link-local and other non-public destinations (SSRF guard off)",
       [](Config& c) -> void* { return &c.outbound.allow_private; }},
      {"outbound", "allow_networks", Kind::kString, 0, 0, "comma-separated CIDRs allowed although not public",
       [](Config& c) -> void* { return &c.outbound.allow_networks; }},
      {"outbound", "allow_hosts", Kind::kString, 0, 0, "comma-separated host names allowed whatever they resolve to",
       [](Config& c) -> void* { return &c.outbound.allow_hosts; }},
      {"outbound", "ca_file", Kind::kString, 0, 0,
       "PEM file of further trusted CAs for https (beside the system store)",
       [](Config& c) -> void* { return &c.outbound.ca_file; }},
  };
  return keys;
}

const Key* FindKey(std::string_view section, std::string_view name) {
  for (const auto& k : Keys()) {
    if (section == k.section && name == k.name) return &k;
  }
  return nullptr;
}

std::string KindName(Kind k) {
  switch (k) {
    case Kind::kString: return "string";
    case Kind::kInt:
    case Kind::kInt64: return "integer";
    case Kind::kBool: return "boolean";
    case Kind::kLevel: return "log level";
    case Kind::kFormat: return "log format";
  }
  return "value";
}

Status StoreInt(const Key& key, Config& cfg, int64_t v, const std::string& where) {
  if (v < key.min || v > key.max) {
    return InvalidArgument(fmt::format("{}: {}.{} = {} is out of range {}..{}", where, key.section, key.name, v,
                                       key.min, key.max));
  }
  void* f = key.field(cfg);
  if (key.kind == Kind::kInt64) *static_cast<int64_t*>(f) = v;
  else *static_cast<int*>(f) = static_cast<int>(v);  // fits: the range check bounds it
  return OkStatus();
}

// Sets `key` from its text form (environment variables are text).
Status SetFromText(const Key& key, Config& cfg, const std::string& text, const std::string& where) {
  void* f = key.field(cfg);
  switch (key.kind) {
    case Kind::kString:
      *static_cast<std::string*>(f) = text;
      return OkStatus();
    case Kind::kInt:
    case Kind::kInt64: {
      char* end = nullptr;
      errno = 0;
      long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) {
        return InvalidArgument(fmt::format("{}: {}.{} must be an integer, got '{}'", where, key.section, key.name, text));
      }
      return StoreInt(key, cfg, v, where);
    }
    case Kind::kBool:
      if (text == "true" || text == "1") *static_cast<bool*>(f) = true;
      else if (text == "false" || text == "0") *static_cast<bool*>(f) = false;
      else return InvalidArgument(fmt::format("{}: {}.{} must be true or false, got '{}'", where, key.section, key.name, text));
      return OkStatus();
    case Kind::kLevel: {
      auto l = ParseLogLevel(text);
      if (!l.ok()) return InvalidArgument(fmt::format("{}: {}.{}: {}", where, key.section, key.name, l.error().message()));
      *static_cast<LogLevel*>(f) = *l;
      return OkStatus();
    }
    case Kind::kFormat: {
      auto l = ParseLogFormat(text);
      if (!l.ok()) return InvalidArgument(fmt::format("{}: {}.{}: {}", where, key.section, key.name, l.error().message()));
      *static_cast<LogFormat*>(f) = *l;
      return OkStatus();
    }
  }
  return Internal("unhandled config kind");
}

Status SetFromToml(const Key& key, Config& cfg, const toml::node& node, const std::string& where) {
  auto wrong_type = [&] {
    return InvalidArgument(fmt::format("{}: {}.{} must be a {}", where, key.section, key.name, KindName(key.kind)));
  };
  switch (key.kind) {
    case Kind::kInt:
    case Kind::kInt64:
      if (!node.is_integer()) return wrong_type();
      return StoreInt(key, cfg, node.as_integer()->get(), where);
    case Kind::kBool:
      if (!node.is_boolean()) return wrong_type();
      *static_cast<bool*>(key.field(cfg)) = node.as_boolean()->get();
      return OkStatus();
    case Kind::kString:
    case Kind::kLevel:
    case Kind::kFormat:
      if (!node.is_string()) return wrong_type();
      return SetFromText(key, cfg, node.as_string()->get(), where);
  }
  return Internal("unhandled config kind");
}

std::string Where(const std::string& path, const toml::source_region& src) {
  return fmt::format("{}:{}", path, src.begin.line);
}

Status ApplyFile(const std::string& path, Config& cfg) {
  // Debian's toml++ is built with exceptions: catch here, none leaves core/.
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    return InvalidArgument(fmt::format("{}:{}:{}: {}", path, err.source().begin.line, err.source().begin.column,
                                       err.description()));
  }
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    const toml::table* table = section_node.as_table();
    bool known_section = section == "server" || section == "database" || section == "log" || section == "auth" ||
                         section == "storage" || section == "intake" || section == "smtp" || section == "webhooks" ||
                         section == "outbound";
    if (!known_section || !table) {
      return InvalidArgument(fmt::format("{}: unknown configuration section '{}' (known: server, database, log, auth, "
                                         "storage, intake, smtp, webhooks, outbound)",
                                         Where(path, section_node.source()), section));
    }
    for (const auto& [name_key, node] : *table) {
      std::string name(name_key.str());
      const Key* key = FindKey(section, name);
      if (!key) {
        return InvalidArgument(
            fmt::format("{}: unknown configuration key '{}.{}'", Where(path, node.source()), section, name));
      }
      AW_TRY(SetFromToml(*key, cfg, node, Where(path, node.source())));
    }
  }
  return OkStatus();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status ApplyEnv(const std::map<std::string, std::string>& env, Config& cfg) {
  for (const auto& [var, value] : env) {
    for (const char* section :
         {"server", "database", "log", "storage", "auth", "intake", "smtp", "webhooks", "outbound"}) {
      std::string prefix = "AMTSWEG_" + std::string(section) + "_";
      for (auto& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (!var.starts_with(prefix)) continue;
      std::string name = Lower(var.substr(prefix.size()));
      const Key* key = FindKey(section, name);
      if (!key) {
        return InvalidArgument(
            fmt::format("environment: unknown configuration variable {} (no key {}.{})", var, section, name));
      }
      AW_TRY(SetFromText(*key, cfg, value, "environment " + var));
    }
  }
  return OkStatus();
}

}  // namespace

Result<Config> LoadConfig(const std::optional<std::string>& path, const std::map<std::string, std::string>& env) {
  Config cfg;
  std::optional<std::string> file = path;
  if (!file) {
    auto from_env = env.find("AMTSWEG_CONFIG");
    if (from_env != env.end()) file = from_env->second;
  }
  if (file) {
    if (!std::filesystem::exists(*file)) return InvalidArgument("configuration file not found: " + *file);
    AW_TRY(ApplyFile(*file, cfg));
  } else if (std::filesystem::exists("amtsweg.toml")) {
    AW_TRY(ApplyFile("amtsweg.toml", cfg));
  }
  AW_TRY(ApplyEnv(env, cfg));
  return cfg;
}

std::map<std::string, std::string> EnvironmentMap() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("AMTSWEG_")) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

std::vector<ConfigKeyInfo> ConfigKeys() {
  Config defaults;
  std::vector<ConfigKeyInfo> out;
  for (const auto& k : Keys()) {
    void* f = k.field(defaults);
    std::string def;
    switch (k.kind) {
      case Kind::kString: def = "\"" + *static_cast<std::string*>(f) + "\""; break;
      case Kind::kInt: def = std::to_string(*static_cast<int*>(f)); break;
      case Kind::kInt64: def = std::to_string(*static_cast<int64_t*>(f)); break;
      case Kind::kBool: def = *static_cast<bool*>(f) ? "true" : "false"; break;
      case Kind::kLevel: def = "\"info\""; break;
      case Kind::kFormat: def = "\"human\""; break;
    }
    out.push_back({std::string(k.section) + "." + k.name, KindName(k.kind), def, k.help});
  }
  return out;
}

}  // namespace amtsweg::core
