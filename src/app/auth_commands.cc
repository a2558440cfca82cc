// `amtsweg user add`, `amtsweg token add|list|revoke` and `amtsweg audit verify`.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/database.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/secrets.h"

namespace amtsweg::app {

namespace {

// --operator: the account or token (`what`) belongs to the tenant 'platform'
// with the role operator; false (reported) when --tenant or --role say otherwise.
bool AsOperator(std::string& tenant, std::vector<std::string>& roles, const char* what) {
  if (!tenant.empty() && tenant != auth::kPlatformTenant) {
    ReportError(core::InvalidArgument(std::string("--operator: the ") + what +
                                      " belongs to the tenant 'platform'; leave out --tenant"));
    return false;
  }
  if (!roles.empty()) {
    ReportError(core::InvalidArgument("--operator: the role is operator; leave out --role"));
    return false;
  }
  tenant = std::string(auth::kPlatformTenant);
  roles = {std::string(auth::kOperator)};
  return true;
}

}  // namespace

int RunUserAdd(const CommonFlags& common, const UserAddFlags& flags_in) {
  UserAddFlags flags = flags_in;
  if (flags.platform_operator) {
    if (!AsOperator(flags.tenant, flags.roles, "account")) return 1;
  } else if (flags.tenant.empty() || flags.roles.empty()) {
    ReportError(core::InvalidArgument("--tenant and --role are required (or --operator for a platform operator)"));
    return 1;
  } else if (flags.tenant == auth::kPlatformTenant) {
    ReportError(core::InvalidArgument("--tenant: 'platform' holds the platform operators; use --operator"));
    return 1;
  }
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  std::string password;
  bool generated = false;
  if (flags.password_stdin) {
    if (!std::getline(std::cin, password)) password.clear();
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      ReportError(core::InvalidArgument("--password-stdin: no password on stdin"));
      return 1;
    }
  } else {
    password = auth::RandomSecret(18);  // 144 bits, 24 characters
    generated = true;
  }
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  auth::Service service(*db, cfg->auth, core::SystemClock::Instance());
  auto user = service.CreateUser(flags.tenant, "cli",
                                 {.login = flags.login,
                                  .display_name = flags.display_name.value_or(flags.login),
                                  .email = flags.email,
                                  .password = password,
                                  .roles = flags.roles,
                                  .departments = flags.departments});
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!user.ok()) {
    ReportError(user.error());
    return 1;
  }
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  std::string roles;
  for (const auto& r : user->roles) roles += (roles.empty() ? "" : ",") + r;
  std::printf("created user %s (%s) in tenant %s with roles %s\n", user->login.c_str(), user->id.c_str(),
              flags.tenant.c_str(), roles.c_str());
  if (generated) std::printf("password (shown once): %s\n", password.c_str());
  return 0;
}

int RunToken(const CommonFlags& common, const TokenFlags& flags_in) {
  TokenFlags flags = flags_in;
  if (flags.platform_operator) {
    if (!AsOperator(flags.tenant, flags.roles, "token")) return 1;
  } else if (flags.tenant.empty() || (flags.action == "add" && flags.roles.empty())) {
    ReportError(core::InvalidArgument(flags.action == "add"
                                          ? "--tenant and --role are required (or --operator for the platform operator)"
                                          : "--tenant is required (or --operator for the platform operator)"));
    return 1;
  } else if (flags.tenant == auth::kPlatformTenant) {
    ReportError(core::InvalidArgument("--tenant: 'platform' holds the platform operator's tokens; use --operator"));
    return 1;
  }
  std::optional<core::Timestamp> expires_at;
  if (flags.expires_at) {
    auto t = core::ParseIso8601(*flags.expires_at);
    if (!t.ok()) {
      ReportError(core::InvalidArgument("--expires-at: must be an ISO 8601 date-time with offset"));
      return 1;
    }
    expires_at = *t;
  }
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  auth::Service service(*db, cfg->auth, core::SystemClock::Instance());
  int rc = 0;
  if (flags.action == "add") {
    auto made = service.CreateToken(flags.tenant, "cli", flags.name, flags.roles, expires_at);
    if (!made.ok()) {
      ReportError(made.error());
      rc = 1;
    } else {
      std::printf("created API token %s (%s) in tenant %s\ntoken (shown once): %s\n", made->token.name.c_str(),
                  made->token.id.c_str(), flags.tenant.c_str(), made->secret.c_str());
    }
  } else if (flags.action == "list") {
    auto tokens = service.ListTokens(flags.tenant);
    if (!tokens.ok()) {
      ReportError(tokens.error());
      rc = 1;
    } else {
      for (const auto& t : *tokens) {
        std::string roles;
        for (const auto& r : t.roles) roles += (roles.empty() ? "" : ",") + r;
        std::printf("%s  %s  roles=%s  created=%s%s%s\n", t.id.c_str(), t.name.c_str(), roles.c_str(),
                    core::FormatIso8601(t.created_at).c_str(),
                    t.expires_at ? ("  expires=" + core::FormatIso8601(*t.expires_at)).c_str() : "",
                    t.revoked_at ? ("  revoked=" + core::FormatIso8601(*t.revoked_at)).c_str() : "");
      }
    }
  } else {
    core::Status s = service.RevokeToken(flags.tenant, "cli", flags.id);
    if (!s.ok()) {
      ReportError(s.error());
      rc = 1;
    } else {
      std::printf("revoked API token %s in tenant %s\n", flags.id.c_str(), flags.tenant.c_str());
    }
  }
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  return rc;
}

int RunAuditVerify(const CommonFlags& common, const std::optional<std::string>& tenant) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenDatabase(cfg->database, nullptr);
  if (!db.ok()) {
    ReportError(db.error());
    return 1;
  }
  auto reports = audit::Verify(**db, tenant);
  (*db)->Close();
  if (!reports.ok()) {
    ReportError(reports.error());
    return 1;
  }
  if (reports->empty()) {
    std::printf("no audit entries%s\n", tenant ? (" for tenant " + *tenant).c_str() : "");
    return tenant ? 1 : 0;
  }
  int broken = 0;
  for (const auto& r : *reports) {
    if (r.intact) {
      std::printf("tenant %s: %lld entries, chain intact\n", r.tenant.c_str(), static_cast<long long>(r.entries));
    } else {
      ++broken;
      std::printf("tenant %s: BROKEN at entry %lld: %s\n", r.tenant.c_str(), static_cast<long long>(r.first_bad_seq),
                  r.problem.c_str());
    }
  }
  return broken == 0 ? 0 : 1;
}

}  // namespace amtsweg::app
