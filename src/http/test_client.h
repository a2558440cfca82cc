// A tiny blocking HTTP/1.1 client on POSIX sockets for the server tests: it
// sends exactly the bytes a test writes (malformed, slow, pipelined requests)
// and parses responses with Content-Length. Test-only code.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amtsweg::http::testutil {

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first header called `name` (case-insensitive); "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

class TestConnection {
 public:
  // nullptr if the connection fails; `*error` (if given) receives errno.
  static std::unique_ptr<TestConnection> Connect(uint16_t port, int* error = nullptr);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool Send(std::string_view bytes);
  // Reads one response (for HEAD: `head`, no body is read). nullopt on EOF,
  // reset, timeout or garbage.
  std::optional<ClientResponse> Read(bool head = false,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closes the connection (EOF or reset) within `timeout`
  // and sends nothing before that.
  bool WaitClosed(std::chrono::milliseconds timeout);
  // Half-closes the sending side.
  void ShutdownWrite();

 private:
  explicit TestConnection(int fd) : fd_(fd) {}
  // Reads more bytes into buf_; false on EOF, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::string buf_;
};

// "GET <target> HTTP/1.1" with Host and `extra` header lines ("Name: value\r\n" each).
std::string MakeRequest(std::string_view method, std::string_view target, std::string_view extra = {},
                        std::string_view body = {});

// Connect, send `raw`, read one response, close.
std::optional<ClientResponse> RoundTrip(uint16_t port, std::string_view raw, bool head = false);
std::optional<ClientResponse> Get(uint16_t port, std::string_view target, std::string_view extra = {});

}  // namespace amtsweg::http::testutil
