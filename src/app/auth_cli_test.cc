// `amtsweg user add` and `amtsweg audit verify`, run as the real binary.
#include <regex>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/process_test_util.h"
#include "catalog/catalog_test_util.h"
#include "core/json.h"
#include "http/test_client.h"

namespace amtsweg::app {
namespace {

using testutil::RunAmtsweg;
using testutil::RunAmtswegWithInput;
using testutil::ServerProcess;
using testutil::TempDir;

void SqliteExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

int LoginStatus(int port, const std::string& tenant, const std::string& login, const std::string& password) {
  std::string body = core::DumpJson({{"login", login}, {"password", password}});
  auto r = http::testutil::RoundTrip(
      static_cast<uint16_t>(port),
      http::testutil::MakeRequest("POST", "/api/v1/tenants/" + tenant + "/session",
                                  "Content-Type: application/json\r\n", body));
  return r ? r->status : 0;
}

TEST(AuthCli, UserAddBootstrapsAnAdministratorWhoCanSignIn) {
  TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "a.db").string();
  const std::string password = "Erstes Passwort fuer den Chef";
  auto added = RunAmtswegWithInput({"user", "add", "--db", db, "--tenant", "amt-a", "--login", "chef", "--email",
                                    "chef@amt.example", "--role", "administrator", "--password-stdin"},
                                   password + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_NE(added.out.find("created user chef"), std::string::npos) << added.out;
  EXPECT_EQ(added.out.find(password), std::string::npos) << "the password must not be printed";

  // Without --password-stdin a password is generated and shown once.
  auto generated = RunAmtsweg({"user", "add", "--db", db, "--tenant", "amt-a", "--login", "clara", "--email",
                               "clara@amt.example", "--role", "case_worker", "--department", "bauamt"});
  ASSERT_EQ(generated.exit_code, 0) << generated.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(generated.out, m, std::regex("password \\(shown once\\): (\\S+)"))) << generated.out;
  std::string clara_password = m[1];
  EXPECT_EQ(clara_password.size(), 24u);

  auto dup = RunAmtswegWithInput({"user", "add", "--db", db, "--tenant", "amt-a", "--login", "chef", "--email",
                                  "x@amt.example", "--role", "manager", "--password-stdin"},
                                 password + "\n");
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.out.find("already taken"), std::string::npos) << dup.out;
  auto bad_role = RunAmtswegWithInput({"user", "add", "--db", db, "--tenant", "amt-a", "--login", "x", "--email",
                                       "x@amt.example", "--role", "king", "--password-stdin"},
                                      password + "\n");
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_NE(bad_role.out.find("/roles/0"), std::string::npos) << bad_role.out;

  auto server = ServerProcess::Start({"--db", db});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(LoginStatus(server->port(), "amt-a", "chef", password), 201);
  EXPECT_EQ(LoginStatus(server->port(), "amt-a", "clara", clara_password), 201);
  EXPECT_EQ(LoginStatus(server->port(), "amt-a", "chef", "wrong"), 401);
  EXPECT_EQ(LoginStatus(server->port(), "amt-b", "chef", password), 401);
  EXPECT_EQ(server->Signal(SIGTERM), 0);
  EXPECT_EQ(server->Output().find(password), std::string::npos) << "the password must not be logged";
}

int BearerStatus(int port, const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body) {
  std::string headers = "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) headers += "Content-Type: application/json\r\n";
  auto r = http::testutil::RoundTrip(static_cast<uint16_t>(port),
                                     http::testutil::MakeRequest(method, target, headers, body));
  return r ? r->status : 0;
}

TEST(AuthCli, TokenCommandsMakeAnOperatorTokenThatCreatesTenantsOnly) {
  TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "t.db").string();
  auto made = RunAmtsweg({"token", "add", "--db", db, "--operator", "--name", "Landesportal"});
  ASSERT_EQ(made.exit_code, 0) << made.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(made.out, m, std::regex("created API token Landesportal \\((\\S+)\\)"))) << made.out;
  std::string id = m[1];
  ASSERT_TRUE(std::regex_search(made.out, m, std::regex("token \\(shown once\\): (awt_platform\\.\\S+)"))) << made.out;
  std::string token = m[1];
  auto listed = RunAmtsweg({"token", "list", "--db", db, "--operator"});
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("roles=operator"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(token.substr(token.find('.') + 1)), std::string::npos) << "the secret is shown once";
  // Refused: another role for the operator, the operator role for a tenant, a tenant token without a role.
  EXPECT_EQ(RunAmtsweg({"token", "add", "--db", db, "--operator", "--name", "x", "--role", "administrator"}).exit_code,
            1);
  auto foreign = RunAmtsweg({"token", "add", "--db", db, "--tenant", "amt-a", "--name", "x", "--role", "operator"});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.out.find("/roles/0"), std::string::npos) << foreign.out;
  EXPECT_EQ(RunAmtsweg({"token", "add", "--db", db, "--tenant", "amt-a", "--name", "x"}).exit_code, 1);

  auto server = ServerProcess::Start({"--db", db});
  ASSERT_NE(server, nullptr);
  std::string tenant = catalog::testing::SampleTenant("amt-prov").dump();
  EXPECT_EQ(BearerStatus(server->port(), "POST", "/api/v1/tenants", token, tenant), 201);
  auto shown = http::testutil::RoundTrip(static_cast<uint16_t>(server->port()),
                                         http::testutil::MakeRequest("GET", "/api/v1/tenants/amt-prov", "", ""));
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, 200);
  EXPECT_EQ(BearerStatus(server->port(), "GET", "/api/v1/tenants/platform/api-tokens", token, ""), 403);
  EXPECT_EQ(BearerStatus(server->port(), "GET", "/api/v1/tenants/amt-prov/departments", token, ""), 403);
  auto revoked = RunAmtsweg({"token", "revoke", "--db", db, "--operator", "--id", id});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.out;
  EXPECT_EQ(BearerStatus(server->port(), "POST", "/api/v1/tenants", token,
                         catalog::testing::SampleTenant("amt-spaet").dump()), 401);
  EXPECT_EQ(server->Signal(SIGTERM), 0);
  EXPECT_EQ(server->Output().find(token), std::string::npos) << "the token must not be logged";
}

TEST(AuthCli, AuditVerifyNamesTheTamperedEntry) {
  TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  std::string db = "sqlite:" + path;
  for (const char* login : {"anna", "bert", "cleo", "dana"}) {
    auto r = RunAmtsweg({"user", "add", "--db", db, "--tenant", "amt-a", "--login", login, "--email",
                         std::string(login) + "@amt.example", "--role", "administrator"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  auto ok = RunAmtsweg({"audit", "verify", "--db", db});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("tenant amt-a: 4 entries, chain intact"), std::string::npos) << ok.out;

  SqliteExec(path, "UPDATE audit_log SET details = '{\"login\":\"mallory\"}' WHERE tenant_id = 'amt-a' AND seq = 3");
  auto altered = RunAmtsweg({"audit", "verify", "--db", db, "--tenant", "amt-a"});
  EXPECT_EQ(altered.exit_code, 1) << altered.out;
  EXPECT_NE(altered.out.find("BROKEN at entry 3: entry 3 was altered"), std::string::npos) << altered.out;
}

TEST(AuthCli, AuditVerifyNamesTheRemovedEntry) {
  TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  std::string db = "sqlite:" + path;
  for (const char* login : {"anna", "bert", "cleo"}) {
    auto r = RunAmtsweg({"user", "add", "--db", db, "--tenant", "amt-a", "--login", login, "--email",
                         std::string(login) + "@amt.example", "--role", "manager"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  SqliteExec(path, "DELETE FROM audit_log WHERE tenant_id = 'amt-a' AND seq = 2");
  auto removed = RunAmtsweg({"audit", "verify", "--db", db});
  EXPECT_EQ(removed.exit_code, 1) << removed.out;
  EXPECT_NE(removed.out.find("BROKEN at entry 2: entry 2 was removed"), std::string::npos) << removed.out;
}

}  // namespace
}  // namespace amtsweg::app
