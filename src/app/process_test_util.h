// Test helpers that run the real `amtsweg` binary as a child process and talk
// HTTP to it. Only for *_test.cc files of app/.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace amtsweg::app::testutil {

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;     // stdout and stderr, interleaved
};

// Path of the binary under test: $AMTSWEG_BINARY or the build tree's amtsweg.
std::string BinaryPath();

// Runs the binary with `args` to completion (at most `timeout`), with extra
// environment `env` ("NAME=value").
RunResult RunAmtsweg(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
              std::chrono::seconds timeout = std::chrono::seconds(60));

// The same with `input` as the child's stdin (instead of /dev/null).
RunResult RunAmtswegWithInput(const std::vector<std::string>& args, const std::string& input,
                              const std::vector<std::string>& env = {},
                              std::chrono::seconds timeout = std::chrono::seconds(60));

// A server started in the background; killed (SIGKILL) in the destructor if still running.
class ServerProcess {
 public:
  // Starts `amtsweg serve --port 0 --port-file F` plus `args`, waits until it listens.
  static std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& args,
                                              const std::vector<std::string>& env = {});
  ~ServerProcess();
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits for the exit; returns the exit code (-1 if killed by a signal).
  int Signal(int sig, std::chrono::seconds timeout = std::chrono::seconds(30));
  // Everything the server printed so far.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path dir_;
};

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string header_dump;  // "name: value\n" for every header
};

// One HTTP/1.1 request to 127.0.0.1:port; status 0 on a connection error.
HttpResult HttpGet(int port, const std::string& target);

// Bootstraps an administrator of `tenant` in the database `db_url`
// (`amtsweg user add`), signs in at the server on `port` and creates an API
// token with the administrator role: the value for `Authorization: Bearer`.
// Fails the current test (and returns "") when any step fails.
std::string AdminApiToken(const std::string& db_url, int port, const std::string& tenant);

// A fresh temporary directory, removed with its contents in the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace amtsweg::app::testutil
