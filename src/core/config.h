// Configuration of an Amtsweg process: a TOML file (`amtsweg.toml`) plus
// AMTSWEG_<SECTION>_<KEY> environment overrides, e.g. AMTSWEG_SERVER_PORT=9090.
//
// Every key is known: an unknown key in the file or an unknown
// AMTSWEG_SERVER_*/_DATABASE_*/_LOG_*/_AUTH_*/_INTAKE_* variable is an error that
// names it (with the file's line), and so is a value of the wrong type or out
// of range. Other AMTSWEG_* variables (AMTSWEG_CONFIG, AMTSWEG_CONFORMANCE,
// test settings) are not configuration keys and are left alone.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/log.h"
#include "core/result.h"

namespace amtsweg::core {

struct ServerConfig {
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 0;  // 0: one per core
  std::string static_dir = "web/dist";
  int64_t max_body_bytes = 10 * 1024 * 1024;
  int64_t max_header_bytes = 16 * 1024;
  int read_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  int max_connections = 10'000;
  int shutdown_timeout_ms = 10'000;
};

struct DatabaseConfig {
  std::string url = "sqlite:./data/amtsweg.db";
  int readers = 4;           // SQLite reader connections
  int pool_size = 8;         // PostgreSQL connections
  int busy_timeout_ms = 5'000;
  int max_batch = 1'024;     // group-commit batch limit
};

struct StorageConfig {
  std::string files_dir = "./data/files";  // attachments, content-addressed
};

// Intake housekeeping (intake/orphan_sweeper.h). Times in seconds.
struct IntakeConfig {
  int sweep_interval_s = 3600;  // how often attachment files nothing refers to are removed; 0: never
  int sweep_min_age_s = 3600;   // only files at least this old (a submission in flight keeps its file young)
};

struct LogConfig {
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kHuman;
  bool access_log = true;
};

// Staff login, sessions and lockout (auth/). Times in seconds.
struct AuthConfig {
  int session_idle_timeout_s = 30 * 60;          // no request for this long: session ends
  int session_absolute_timeout_s = 12 * 60 * 60; // session ends this long after login regardless
  bool cookie_secure = true;                     // Secure attribute; false only for plain-HTTP development
  int max_failures_per_account = 5;              // failed logins before the account name is locked
  int max_failures_per_address = 20;             // failed logins before the client address is locked
  int failure_window_s = 15 * 60;                // failures older than this are forgotten
  int lockout_s = 15 * 60;                       // how long a lock lasts
  int min_password_length = 12;
  std::string client_ip_header;                  // e.g. "X-Forwarded-For" behind a proxy; empty: peer address
};

// E-mail notification of the Postfach (postfach/). Off while host is empty.
// The password is never logged.
struct SmtpConfig {
  std::string host;
  int port = 25;
  std::string from;           // "Amt Musterland <postfach@amt-musterland.de>"
  bool starttls = true;       // require STARTTLS
  std::string user;           // empty: no AUTH
  std::string password;
  std::string portal_url = "http://localhost:8080";  // base of the Postfach link in the mail
  int max_attempts = 8;
};

// Outgoing webhooks (postfach/webhooks.h).
struct WebhooksConfig {
  bool enabled = true;        // run the dispatch and delivery loop in `serve`
  int max_attempts = 10;
  int first_backoff_s = 10;   // doubled per failed attempt
};

// Outgoing HTTP of the server itself: webhooks and the HTTP connector
// (http/outbound.h). The defaults suit an installation on the internet:
// https only, no loopback, private, link-local (cloud metadata) or other
// non-public destination. Lists are comma-separated.
struct OutboundConfig {
  bool allow_http = false;      // plain http:// allowed
  bool allow_private = false;   // loopback, RFC 1918, fc00::/7, link-local, CGNAT, ... allowed
  std::string allow_networks;   // "10.20.0.0/16, fd00:1::/48": allowed although not public
  std::string allow_hosts;      // "fachverfahren.intern": allowed whatever they resolve to
  std::string ca_file;          // PEM file of further trusted CAs (an internal CA); the system store stays
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  LogConfig log;
  StorageConfig storage;
  AuthConfig auth;
  IntakeConfig intake;
  SmtpConfig smtp;
  WebhooksConfig webhooks;
  OutboundConfig outbound;
};

// Loads `path` if given (it must exist), else ./amtsweg.toml if it exists,
// else the defaults; then applies the overrides in `env` (name → value; pass
// the process environment via EnvironmentMap()). kInvalidArgument names the
// key and, for the file, "file:line".
Result<Config> LoadConfig(const std::optional<std::string>& path,
                          const std::map<std::string, std::string>& env);

// The process environment as a map (only AMTSWEG_* variables).
std::map<std::string, std::string> EnvironmentMap();

// Every key as "section.key", its type and default, for docs and `--help`.
struct ConfigKeyInfo {
  std::string name;
  std::string type;
  std::string default_value;
  std::string help;
};
std::vector<ConfigKeyInfo> ConfigKeys();

}  // namespace amtsweg::core
