// amtsweg: one binary for the whole platform. See README.md for the commands.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  using namespace amtsweg::app;
  CLI::App cli{"Amtsweg: online services and processes for municipalities", "amtsweg"};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "All commands and their options");

  CommonFlags common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", common.config_file, "Configuration file (default: ./amtsweg.toml if present)");
    cmd->add_option("--db", common.db_url, "Database URL: sqlite:PATH or postgresql://user@host:port/db");
  };

  ServeFlags serve;
  auto* serve_cmd = cli.add_subcommand("serve", "Serve the web app and the API");
  add_common(serve_cmd);
  serve_cmd->add_option("--port", serve.port, "TCP port (0: any free port)")->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--address", serve.address, "Address to listen on");
  serve_cmd->add_option("--static-dir", serve.static_dir, "Folder of the built web app");
  serve_cmd->add_option("--port-file", serve.port_file, "Write the port to this file once listening");

  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply pending database migrations");
  add_common(migrate_cmd);

  std::string backup_file;
  auto* backup_cmd = cli.add_subcommand("backup", "Write a consistent copy of the SQLite database to FILE");
  add_common(backup_cmd);
  backup_cmd->add_option("FILE", backup_file, "Where to write the copy")->required();

  auto* version_cmd = cli.add_subcommand("version", "Print version, commit and build");

  std::string lint_file;
  auto* bpmn_cmd = cli.add_subcommand("bpmn", "BPMN 2.0 models");
  bpmn_cmd->require_subcommand(1);
  auto* lint_cmd = bpmn_cmd->add_subcommand("lint", "Report modelling errors and unsupported elements of FILE");
  lint_cmd->add_option("FILE", lint_file, "A .bpmn file")->required()->check(CLI::ExistingFile);

  std::string dmn_model, dmn_decision, dmn_input = "{}";
  auto* dmn_cmd = cli.add_subcommand("dmn", "DMN decision models");
  dmn_cmd->require_subcommand(1);
  auto* eval_cmd = dmn_cmd->add_subcommand("eval", "Evaluate a decision of MODEL with JSON input");
  eval_cmd->add_option("MODEL", dmn_model, "A .dmn file")->required()->check(CLI::ExistingFile);
  eval_cmd->add_option("--decision", dmn_decision, "Name or id of the decision")->required();
  eval_cmd->add_option("--input", dmn_input, "Input data as a JSON object");

  std::string tck_dir;
  auto* tck_cmd = cli.add_subcommand("dmn-tck", "Run DMN TCK test cases in DIR");
  tck_cmd->add_option("DIR", tck_dir, "TCK root, level folder or case folder")->required();

  std::string xdf_file;
  std::vector<std::string> xdf_code_lists;
  std::optional<std::string> xdf_report;
  auto* forms_cmd = cli.add_subcommand("forms", "Form schemas");
  forms_cmd->require_subcommand(1);
  auto* xdf_cmd = forms_cmd->add_subcommand("import-xdf", "Turn an XDatenfelder 2/3 file into a form-js schema");
  xdf_cmd->add_option("FILE", xdf_file, "XDatenfelder XML")->required()->check(CLI::ExistingFile);
  xdf_cmd->add_option("--code-list", xdf_code_lists, "genericode code list file (repeatable)")
      ->check(CLI::ExistingFile);
  xdf_cmd->add_option("--report", xdf_report, "Write the import report as JSON to this file");

  BenchFlags bench;
  auto* bench_cmd = cli.add_subcommand("bench", "Run a benchmark and print its figures");
  bench_cmd->add_option("NAME", bench.name, "store, feel, engine, http, serve, intake, mining, cases or all (all without cases)")
      ->required()
      ->check(CLI::IsMember({"store", "feel", "engine", "http", "serve", "intake", "mining", "cases", "all"}));
  bench_cmd->add_option("--pg", bench.pg_url, "Also run against this PostgreSQL URL");
  bench_cmd->add_option("--seconds", bench.seconds, "Duration of timed phases");
  bench_cmd->add_option("--rate", bench.rate, "intake: open loop, requests per second on a fixed schedule")
      ->check(CLI::Range(1, 1'000'000));
  bench_cmd->add_option("--db", bench.db_url, "bench cases: SQLite database URL to reuse (seeded once)");
  bench_cmd->add_option("--cases", bench.cases, "bench cases: number of cases (default 1,000,000)");

  UserAddFlags user_add;
  auto* user_cmd = cli.add_subcommand("user", "Staff accounts");
  user_cmd->require_subcommand(1);
  auto* user_add_cmd = user_cmd->add_subcommand("add", "Create a staff account (e.g. the first administrator)");
  add_common(user_add_cmd);
  user_add_cmd->add_option("--tenant", user_add.tenant, "Tenant id (required unless --operator)");
  user_add_cmd->add_option("--login", user_add.login, "Login name")->required();
  user_add_cmd->add_option("--email", user_add.email, "E-mail address")->required();
  user_add_cmd->add_option("--name", user_add.display_name, "Display name (default: the login)");
  user_add_cmd->add_option("--role", user_add.roles,
                            "administrator, process_designer, case_worker or manager (repeatable; required unless --operator)");
  user_add_cmd->add_flag("--operator", user_add.platform_operator,
                         "A platform operator (creates tenants): an account of the tenant 'platform', role operator");
  user_add_cmd->add_option("--department", user_add.departments, "Department id (repeatable)");
  user_add_cmd->add_flag("--password-stdin", user_add.password_stdin,
                         "Read the password from the first line of stdin (else one is generated and printed once)");

  TokenFlags token;
  auto* token_cmd = cli.add_subcommand("token", "API tokens (a tenant's, or with --operator the platform operator's)");
  token_cmd->require_subcommand(1);
  auto* token_add_cmd = token_cmd->add_subcommand("add", "Create an API token; its secret is printed once");
  auto* token_list_cmd = token_cmd->add_subcommand("list", "List API tokens (never their secrets)");
  auto* token_revoke_cmd = token_cmd->add_subcommand("revoke", "Revoke an API token");
  for (auto* c : {token_add_cmd, token_list_cmd, token_revoke_cmd}) {
    add_common(c);
    c->add_option("--tenant", token.tenant, "Tenant id (required unless --operator)");
    c->add_flag("--operator", token.platform_operator,
                "The platform operator's tokens (tenant 'platform', role operator: platform-level routes only)");
  }
  token_add_cmd->add_option("--name", token.name, "What the token is for, e.g. Landesportal")->required();
  token_add_cmd->add_option("--role", token.roles, "Role of the token (repeatable; required unless --operator)");
  token_add_cmd->add_option("--expires-at", token.expires_at, "Expiry, ISO 8601 with offset (default: none)");
  token_revoke_cmd->add_option("--id", token.id, "Token id (from token list)")->required();

  std::optional<std::string> audit_tenant;
  auto* audit_cmd = cli.add_subcommand("audit", "The audit trail");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "Check the audit hash chains; name the first bad entry");
  add_common(audit_verify_cmd);
  audit_verify_cmd->add_option("--tenant", audit_tenant, "Only this tenant's chain");

  bool retention_dry_run = false;
  std::optional<std::string> retention_tenant;
  auto* cases_cmd = cli.add_subcommand("cases", "Case files (E-Akte)");
  cases_cmd->require_subcommand(1);
  auto* retention_cmd =
      cases_cmd->add_subcommand("retention", "Remove personal data of cases whose retention period has passed");
  add_common(retention_cmd);
  retention_cmd->add_flag("--dry-run", retention_dry_run, "Only report what would be removed");
  retention_cmd->add_option("--tenant", retention_tenant, "Only this tenant");

  std::string demo_dir = "demo/services";
  auto* demo_cmd = cli.add_subcommand("demo", "The demo municipality");
  demo_cmd->require_subcommand(1);
  auto* demo_seed_cmd = demo_cmd->add_subcommand("seed", "Create Amt Musterland with its services and staff (once)");
  add_common(demo_seed_cmd);
  demo_seed_cmd->add_option("--dir", demo_dir, "Folder of the demo services");
  int demo_history = 300;
  demo_seed_cmd->add_option("--history", demo_history,
                            "Applications run through the engine over the last six months for the dashboards (0: none)")
      ->check(CLI::Range(0, 100000));

  PackageFlags pkg;
  std::string keygen_out;
  auto* package_cmd = cli.add_subcommand("package", "Signed process packages: export, import, diff, XProzess");
  package_cmd->require_subcommand(1);
  auto* pkg_keygen_cmd = package_cmd->add_subcommand("keygen", "Create an Ed25519 signing key: OUT.key and OUT.pub");
  pkg_keygen_cmd->add_option("--out", keygen_out, "Path without extension")->required();
  auto* pkg_export_cmd = package_cmd->add_subcommand("export", "Write SERVICE of a tenant as a signed package");
  add_common(pkg_export_cmd);
  pkg_export_cmd->add_option("SERVICE", pkg.service, "Service id")->required();
  pkg_export_cmd->add_option("--tenant", pkg.tenant, "Tenant id")->required();
  pkg_export_cmd->add_option("--out", pkg.out, "Package file to write (.zip)")->required();
  pkg_export_cmd->add_option("--key", pkg.key, "Secret key file (package keygen)")->required()->check(CLI::ExistingFile);
  pkg_export_cmd->add_option("--version", pkg.version, "Package version (default: the process version)");
  pkg_export_cmd->add_option("--templates", pkg.templates, "Folder of templates to include (templates/...)");
  auto* pkg_import_cmd = package_cmd->add_subcommand("import", "Verify a package and install it as a new version");
  add_common(pkg_import_cmd);
  pkg_import_cmd->add_option("FILE", pkg.file, "Package file")->required()->check(CLI::ExistingFile);
  pkg_import_cmd->add_option("--tenant", pkg.tenant, "Tenant id")->required();
  pkg_import_cmd->add_option("--params", pkg.params, "JSON object of parameter values by name")
      ->check(CLI::ExistingFile);
  pkg_import_cmd->add_option("--trust", pkg.trust, "Public key file to trust for this import (repeatable)")
      ->check(CLI::ExistingFile);
  pkg_import_cmd->add_option("--service-id", pkg.service_id, "Service id (default: TENANT-NAME)");
  pkg_import_cmd->add_flag("--dry-run", pkg.dry_run, "Show what would be installed; change nothing");
  auto* pkg_trust_cmd = package_cmd->add_subcommand("trust", "Trust packages signed by PUBKEY in a tenant");
  add_common(pkg_trust_cmd);
  pkg_trust_cmd->add_option("PUBKEY", pkg.file, "Public key file")->required()->check(CLI::ExistingFile);
  pkg_trust_cmd->add_option("--tenant", pkg.tenant, "Tenant id")->required();
  pkg_trust_cmd->add_option("--label", pkg.label, "Whose key it is");
  auto* pkg_diff_cmd = package_cmd->add_subcommand("diff", "What changed from package A to package B");
  pkg_diff_cmd->add_option("A", pkg.file, "Older package")->required()->check(CLI::ExistingFile);
  pkg_diff_cmd->add_option("B", pkg.file_b, "Newer package")->required()->check(CLI::ExistingFile);
  pkg_diff_cmd->add_flag("--json", pkg.json, "The changes as JSON");
  auto* pkg_xprozess_cmd = package_cmd->add_subcommand("import-xprozess", "Import the BPMN model of an XProzess 2 file");
  add_common(pkg_xprozess_cmd);
  pkg_xprozess_cmd->add_option("FILE", pkg.file, "XProzess message (.xml)")->required()->check(CLI::ExistingFile);
  pkg_xprozess_cmd->add_option("--tenant", pkg.tenant, "Tenant id")->required();
  pkg_xprozess_cmd->add_flag("--dry-run", pkg.dry_run, "Report what would be taken; store nothing");
  DevSeedFlags dev_seed;
  auto* dev_cmd = cli.add_subcommand("dev", "Development tools");
  dev_cmd->require_subcommand(1);
  auto* dev_seed_cmd = dev_cmd->add_subcommand("seed", "Create many cases through the real intake path");
  add_common(dev_seed_cmd);
  dev_seed_cmd->add_option("--tenant", dev_seed.tenant, "Tenant (amt-musterland: the demo is created when missing)");
  dev_seed_cmd->add_option("--cases", dev_seed.cases, "How many cases");
  dev_seed_cmd->add_option("--in-flight", dev_seed.in_flight, "Submissions in flight at once");
  dev_seed_cmd->add_option("--dir", dev_seed.demo_dir, "Folder of the demo services");

  // CLI11 only says "A subcommand is required" for a mistyped command: name it.
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1];
    bool known = false;
    std::string names;
    for (const auto* sub : cli.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == word;
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "amtsweg: unknown command '%s' (commands: %s)\n", word.c_str(), names.c_str());
      return 2;
    }
  }
  CLI11_PARSE(cli, argc, argv);

  if (*serve_cmd) return RunServe(common, serve);
  if (*migrate_cmd) return RunMigrate(common);
  if (*backup_cmd) return RunBackup(common, backup_file);
  if (*version_cmd) return RunVersion();
  if (*bench_cmd) return RunBench(bench);
  if (*lint_cmd) return RunBpmnLint(lint_file);
  if (*eval_cmd) return RunDmnEval(dmn_model, dmn_decision, dmn_input);
  if (*tck_cmd) return RunDmnTck(tck_dir);
  if (*xdf_cmd) return RunFormsImportXdf(xdf_file, xdf_code_lists, xdf_report);
  if (*user_add_cmd) return RunUserAdd(common, user_add);
  if (*token_add_cmd || *token_list_cmd || *token_revoke_cmd) {
    token.action = *token_add_cmd ? "add" : *token_list_cmd ? "list" : "revoke";
    return RunToken(common, token);
  }
  if (*demo_seed_cmd) return RunDemoSeed(common, demo_dir, demo_history);
  if (*audit_verify_cmd) return RunAuditVerify(common, audit_tenant);
  if (*pkg_keygen_cmd) return RunPackageKeygen(keygen_out);
  if (*pkg_export_cmd) return RunPackageExport(common, pkg);
  if (*pkg_import_cmd) return RunPackageImport(common, pkg);
  if (*pkg_trust_cmd) return RunPackageTrust(common, pkg);
  if (*pkg_diff_cmd) return RunPackageDiff(pkg);
  if (*pkg_xprozess_cmd) return RunPackageImportXProzess(common, pkg);
  if (*retention_cmd) return RunCasesRetention(common, retention_dry_run, retention_tenant);
  if (*dev_seed_cmd) return RunDevSeed(common, dev_seed);
  return 2;
}
