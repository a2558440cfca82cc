// The `amtsweg` commands. Each returns the process exit code: 0 success,
// 1 failure (the message already printed to stderr), 2 usage errors come from CLI11.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/config.h"

namespace amtsweg::app {

// Flags shared by the commands that open the database.
struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> db_url;
};

struct ServeFlags {
  std::optional<int> port;
  std::optional<std::string> address;
  std::optional<std::string> static_dir;
  std::optional<std::string> port_file;  // written once listening: "PORT\n" (tests, scripts)
};

int RunServe(const CommonFlags& common, const ServeFlags& flags);
int RunMigrate(const CommonFlags& common);
int RunBackup(const CommonFlags& common, const std::string& file);
int RunVersion();

// `amtsweg bpmn lint FILE`: modelling errors and what the engine will not
// execute, one line per finding; exit 1 when there is an error.
int RunBpmnLint(const std::string& file);

// `amtsweg dmn eval MODEL --decision NAME --input JSON`: the decision's value as JSON.
int RunDmnEval(const std::string& model_file, const std::string& decision, const std::string& input);
// `amtsweg dmn-tck DIR`: per-case failures and `N passed, M failed, K skipped`.
int RunDmnTck(const std::string& dir);
// `amtsweg forms import-xdf FILE`: the form-js schema on stdout, the report on stderr.
int RunFormsImportXdf(const std::string& file, const std::vector<std::string>& code_list_files,
                      const std::optional<std::string>& report_file);

struct BenchFlags {
  std::string name;  // store, feel, engine, http, serve, intake, mining, all
  std::optional<std::string> pg_url;
  int seconds = 0;   // 0: the benchmark's default
  int rate = 0;      // intake: open loop at this many requests/s (0: closed loop with wrk)
  std::optional<std::string> db_url;  // bench cases: the SQLite database to (re)use
  std::optional<int64_t> cases;       // bench cases: how many cases (default 1,000,000)
};
int RunBench(const BenchFlags& flags);
// `amtsweg bench feel` (bench_feel.cc): FEEL and feelin side by side, the 100x5 table.
int BenchFeel(std::ostream& out);
// `amtsweg bench mining` (bench_mining.cc): DFG and variants of 1,000,000 events from the store.
int BenchMining(const BenchFlags& flags, std::ostream& out);
// `amtsweg bench intake` (bench_intake.cc): submissions over HTTP, SQLite and with --pg PostgreSQL.
int BenchIntake(const BenchFlags& flags, std::ostream& out);
// `amtsweg bench cases` (bench_cases.cc): inbox, case lists, full-text search at 1,000,000 cases.
int BenchCases(const BenchFlags& flags, std::ostream& out);

// `amtsweg user add`: creates a staff account, e.g. the first administrator
// of a tenant. The password comes from stdin (--password-stdin, first line)
// or is generated and printed once; it never appears in argv or logs.
struct UserAddFlags {
  std::string tenant, login, email;
  std::optional<std::string> display_name;
  std::vector<std::string> roles, departments;
  bool password_stdin = false;
  bool platform_operator = false;  // --operator: an account of the tenant "platform" with the role operator
};
int RunUserAdd(const CommonFlags& common, const UserAddFlags& flags);
// `amtsweg token add|list|revoke`: API tokens from the command line — a
// tenant's (--tenant T --role R…) or the platform operator's (--operator: tenant
// "platform", role operator; such a token acts on platform-level routes only,
// e.g. a state's provisioning system creating tenants). `add` prints the
// secret once; `list` never does. Audit actor "cli".
struct TokenFlags {
  std::string action;  // add | list | revoke
  std::string tenant, name, id;
  std::vector<std::string> roles;
  std::optional<std::string> expires_at;  // ISO 8601
  bool platform_operator = false;
};
int RunToken(const CommonFlags& common, const TokenFlags& flags);
// `amtsweg audit verify [--tenant T]`: checks the audit hash chains; exit 1
// naming the first altered or removed entry.
int RunAuditVerify(const CommonFlags& common, const std::optional<std::string>& tenant);
// `amtsweg cases retention [--dry-run] [--tenant T]`: runs the retention job
// (records/retention.h) once and prints its report per tenant as JSON.
int RunCasesRetention(const CommonFlags& common, bool dry_run, const std::optional<std::string>& tenant);
// `amtsweg demo seed [--dir demo/services]`: creates Amt Musterland with its
// departments, staff accounts (passwords printed once) and the three services.
// Does nothing when it exists.
// `history`: applications run through the engine for the dashboards (0: none; see demo.h).
int RunDemoSeed(const CommonFlags& common, const std::string& dir, int history = 0);
// `amtsweg dev seed --tenant T --cases N` (dev_seed.cc): N cases through the
// real intake path in bulk, data generated from each published service's form.
// For amt-musterland the demo municipality is created first when missing.
struct DevSeedFlags {
  std::string tenant = "amt-musterland";
  int64_t cases = 1000;
  int in_flight = 512;
  std::string demo_dir = "demo/services";
};
int RunDevSeed(const CommonFlags& common, const DevSeedFlags& flags);

// `amtsweg package ...` (package_commands.cc): signed process packages.
struct PackageFlags {
  std::string file, file_b;  // the package (import, diff A), diff B; the key (trust); the XProzess file
  std::string service, tenant, out, key, version, templates, params, service_id, label;
  std::vector<std::string> trust;  // public key files trusted for this import
  bool dry_run = false;
  bool json = false;
};
// keygen: OUT.key (0600) and OUT.pub; export SERVICE --tenant --out --key; import FILE --tenant
// [--params] [--trust] [--dry-run]; trust PUBKEY --tenant; diff A B; import-xprozess FILE --tenant.
int RunPackageKeygen(const std::string& out);
int RunPackageExport(const CommonFlags& common, const PackageFlags& flags);
int RunPackageImport(const CommonFlags& common, const PackageFlags& flags);
int RunPackageTrust(const CommonFlags& common, const PackageFlags& flags);
int RunPackageDiff(const PackageFlags& flags);
int RunPackageImportXProzess(const CommonFlags& common, const PackageFlags& flags);

// Loads the configuration (file, environment) and applies --db. Prints the
// error and returns nullopt when it is invalid.
std::optional<core::Config> LoadConfigOrReport(const CommonFlags& common);

// "amtsweg: <message>" on stderr.
void ReportError(const core::Error& error);

}  // namespace amtsweg::app
