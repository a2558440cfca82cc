#include "app/process_test_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/json.h"
#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

extern char** environ;

namespace amtsweg::app::testutil {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Spawns the binary with stdout+stderr into `log_path`.
pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const std::filesystem::path& log_path, const std::filesystem::path& stdin_path = "/dev/null") {
  std::vector<std::string> argv{BinaryPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envv;
  for (char** e = environ; *e; ++e) envv.emplace_back(*e);
  envv.insert(envv.end(), env.begin(), env.end());
  auto cargv = CStrings(argv);
  auto cenv = CStrings(envv);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits for `pid` up to `timeout`; SIGKILLs it after that. Exit code or -1.
int WaitFor(pid_t pid, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string BinaryPath() {
  if (const char* b = std::getenv("AMTSWEG_BINARY"); b && *b) return b;
  return AMTSWEG_BUILD_BINARY;  // compile definition: the build tree's binary
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("amtsweg-test-" + std::to_string(rd()) + std::to_string(getpid()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

RunResult RunAmtsweg(const std::vector<std::string>& args, const std::vector<std::string>& env,
              std::chrono::seconds timeout) {
  TempDir dir;
  auto log = dir.path() / "out.log";
  pid_t pid = Spawn(args, env, log);
  if (pid < 0) return {-1, "spawn failed for " + BinaryPath()};
  int code = WaitFor(pid, timeout);
  return {code, ReadFile(log)};
}

RunResult RunAmtswegWithInput(const std::vector<std::string>& args, const std::string& input,
                              const std::vector<std::string>& env, std::chrono::seconds timeout) {
  TempDir dir;
  auto log = dir.path() / "out.log";
  auto in = dir.path() / "stdin";
  std::ofstream(in) << input;
  pid_t pid = Spawn(args, env, log, in);
  if (pid < 0) return {-1, "spawn failed for " + BinaryPath()};
  int code = WaitFor(pid, timeout);
  return {code, ReadFile(log)};
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::vector<std::string>& args,
                                                    const std::vector<std::string>& env) {
  auto sp = std::unique_ptr<ServerProcess>(new ServerProcess());
  TempDir probe;  // only for a unique name
  sp->dir_ = probe.path().string() + "-srv";
  std::filesystem::create_directories(sp->dir_);
  auto port_file = sp->dir_ / "port";
  std::vector<std::string> all{"serve", "--port", "0", "--port-file", port_file.string()};
  all.insert(all.end(), args.begin(), args.end());
  sp->pid_ = Spawn(all, env, sp->dir_ / "server.log");
  if (sp->pid_ < 0) return nullptr;
  for (int i = 0; i < 300; ++i) {  // up to 30 s on a loaded 2-core machine
    std::string text = ReadFile(port_file);
    if (!text.empty() && text.back() == '\n') {
      sp->port_ = std::stoi(text);
      return sp;
    }
    int status = 0;
    if (waitpid(sp->pid_, &status, WNOHANG) == sp->pid_) {
      sp->pid_ = -1;  // exited early: Output() shows why
      return sp;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return sp;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int ServerProcess::Signal(int sig, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int code = WaitFor(pid_, timeout);
  pid_ = -1;
  return code;
}

std::string ServerProcess::Output() const { return ReadFile(dir_ / "server.log"); }

HttpResult HttpGet(int port, const std::string& target) {
  HttpResult result;
  try {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    result.status = res.result_int();
    result.content_type = std::string(res[bhttp::field::content_type]);
    result.body = res.body();
    for (const auto& f : res) {
      result.header_dump += std::string(f.name_string()) + ": " + std::string(f.value()) + "\n";
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

std::string AdminApiToken(const std::string& db_url, int port, const std::string& tenant) {
  const std::string password = "ein Passwort nur fuer diesen Test";
  RunResult added = RunAmtswegWithInput({"user", "add", "--db", db_url, "--tenant", tenant, "--login", "test-admin",
                                         "--email", "admin@test.example", "--role", "administrator",
                                         "--password-stdin"},
                                        password + "\n");
  EXPECT_EQ(added.exit_code, 0) << added.out;
  if (added.exit_code != 0) return "";
  std::string base = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/tenants/" + tenant;
  http::FetchRequest login{.method = "POST", .url = base + "/session"};
  login.headers.Add("Content-Type", "application/json");
  login.body = core::DumpJson(core::Json{{"login", "test-admin"}, {"password", password}});
  auto in = http::Fetch(login);
  EXPECT_TRUE(in.ok() && in->status == 201) << (in.ok() ? in->body : in.error().ToString());
  if (!in.ok() || in->status != 201) return "";
  std::string cookie(in->headers.Get("Set-Cookie").value_or(""));
  cookie = cookie.substr(0, cookie.find(';'));
  auto session = core::ParseJson(in->body);
  EXPECT_TRUE(session.ok());
  if (!session.ok()) return "";
  http::FetchRequest create{.method = "POST", .url = base + "/api-tokens"};
  create.headers.Add("Content-Type", "application/json");
  create.headers.Add("Cookie", cookie);
  create.headers.Add("X-CSRF-Token", (*session)["csrfToken"].get<std::string>());
  create.body = core::DumpJson(core::Json{{"name", "test"}, {"roles", {"administrator"}}});
  auto token = http::Fetch(create);
  EXPECT_TRUE(token.ok() && token->status == 201) << (token.ok() ? token->body : token.error().ToString());
  if (!token.ok() || token->status != 201) return "";
  auto body = core::ParseJson(token->body);
  return body.ok() ? (*body)["token"].get<std::string>() : "";
}

}  // namespace amtsweg::app::testutil
