#include "http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "http/request.h"

namespace amtsweg::http::testutil {

std::string ClientResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return "";
}

bool ClientResponse::HasHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return true;
  }
  return false;
}

std::unique_ptr<TestConnection> TestConnection::Connect(uint16_t port, int* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error) *error = errno;
    return nullptr;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (error) *error = errno;
    ::close(fd);
    return nullptr;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return std::unique_ptr<TestConnection>(new TestConnection(fd));
}

TestConnection::~TestConnection() { ::close(fd_); }

bool TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void TestConnection::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

bool TestConnection::Fill(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char tmp[16384];
    ssize_t n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
}

std::optional<ClientResponse> TestConnection::Read(bool head, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return std::nullopt;
  }
  std::string_view head_text(buf_.data(), end);
  ClientResponse r;
  size_t line_end = head_text.find("\r\n");
  std::string_view status_line = head_text.substr(0, line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) return std::nullopt;
  r.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head_text.substr(line_end + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  buf_.erase(0, end + 4);
  if (head || r.status == 204 || r.status == 304 || r.status / 100 == 1) return r;
  std::string length = r.Header("Content-Length");
  if (length.empty()) {  // read to EOF
    while (Fill(deadline)) {
    }
    r.body = std::move(buf_);
    buf_.clear();
    return r;
  }
  size_t n = static_cast<size_t>(std::strtoull(length.c_str(), nullptr, 10));
  while (buf_.size() < n) {
    if (!Fill(deadline)) return std::nullopt;
  }
  r.body = buf_.substr(0, n);
  buf_.erase(0, n);
  return r;
}

bool TestConnection::WaitClosed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char tmp[4096];
    ssize_t n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
    if (n > 0) return false;  // the server sent something instead
  }
}

std::string MakeRequest(std::string_view method, std::string_view target, std::string_view extra,
                        std::string_view body) {
  std::string r;
  r += method;
  r += ' ';
  r += target;
  r += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  r += extra;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  r += "\r\n";
  r += body;
  return r;
}

std::optional<ClientResponse> RoundTrip(uint16_t port, std::string_view raw, bool head) {
  auto c = TestConnection::Connect(port);
  if (!c || !c->Send(raw)) return std::nullopt;
  return c->Read(head);
}

std::optional<ClientResponse> Get(uint16_t port, std::string_view target, std::string_view extra) {
  return RoundTrip(port, MakeRequest("GET", target, extra));
}

}  // namespace amtsweg::http::testutil
