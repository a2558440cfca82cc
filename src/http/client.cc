// The HTTP client on libcurl (http and https, OpenSSL), driven through the
// multi interface so that both phases have their own deadline: connecting
// (resolution, TCP, TLS handshake) and the exchange after it.
#include "http/client.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>
#include <mutex>
#include <optional>

#include <curl/curl.h>
#include <fmt/format.h>

namespace amtsweg::http {

namespace {

bool ValidHostName(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) return false;
  }
  return true;
}

bool ValidV6Literal(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
  }
  return true;
}

}  // namespace

core::Result<ParsedUrl> ParseHttpUrl(std::string_view url) {
  ParsedUrl out;
  std::string_view rest;
  if (url.starts_with("https://")) {
    out.tls = true;
    out.port = 443;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return core::InvalidArgument("url: must start with https:// or http:// : " + std::string(url));
  }
  size_t path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? std::string_view() : rest.substr(path_at);
  if (size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos) {
    return core::InvalidArgument("url: user information in the URL is not supported");
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return core::InvalidArgument("url: unclosed [ in the host");
    out.host = std::string(authority.substr(1, close - 1));
    if (!ValidV6Literal(out.host)) return core::InvalidArgument("url: not an IPv6 address in [ ]: " + out.host);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return core::InvalidArgument("url: junk after the IPv6 host");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (!out.host.empty() && !ValidHostName(out.host)) {
      return core::InvalidArgument("url: the host may hold only letters, digits, '.', '-' and '_' (IDN names as "
                                   "xn--): " + out.host);
    }
  }
  if (out.host.empty()) return core::InvalidArgument("url: no host: " + std::string(url));
  if (!port.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535) {
      return core::InvalidArgument("url: bad port '" + std::string(port) + "'");
    }
    out.port = static_cast<uint16_t>(p);
  }
  out.target = target.empty() ? "/" : std::string(target);
  if (out.target[0] == '?') out.target.insert(0, "/");
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\') {
      return core::InvalidArgument("url: spaces, backslashes or control characters must be percent-encoded");
    }
  }
  return out;
}

namespace {

bool ValidToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool ValidFieldValue(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// The system's trusted CAs as hashed files (Debian: update-ca-certificates).
constexpr const char* kSystemCaPath = "/etc/ssl/certs";

using Clock = std::chrono::steady_clock;

// The state of one exchange, shared with curl's callbacks.
struct Transfer {
  const FetchOptions* options = nullptr;
  const ParsedUrl* url = nullptr;
  uint64_t received = 0;
  bool too_large = false;
  bool connected = false;
  Clock::time_point connected_at{};
  std::optional<core::Error> refused;
  FetchResponse response;

  bool Count(size_t n) {
    received += n;
    if (received > options->max_response_bytes) too_large = true;
    return !too_large;
  }
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (!t->Count(n)) return 0;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {  // a status line: a new response (after a 1xx) starts
    t->response.headers = Headers{};
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  t->response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (!t->Count(n)) return 0;
  t->response.body.append(data, n);
  return n;
}

// Every socket curl opens for the exchange passes here: the policy sees the
// address actually connected to, whatever DNS answered earlier.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, struct curl_sockaddr* a) {
  auto* t = static_cast<Transfer*>(user);
  if (t->options->policy && purpose == CURLSOCKTYPE_IPCXN) {
    IpAddress ip;
    if (a->family == AF_INET) {
      std::memcpy(ip.bytes.data(), &reinterpret_cast<const sockaddr_in*>(&a->addr)->sin_addr, 4);
    } else if (a->family == AF_INET6) {
      ip.v6 = true;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<const sockaddr_in6*>(&a->addr)->sin6_addr, 16);
    } else {
      t->refused = core::PermissionDenied(fmt::format("{}: not an IP destination", t->url->host));
      return CURL_SOCKET_BAD;
    }
    core::Status verdict = t->options->policy->CheckAddress(t->url->host, ip);
    if (!verdict.ok()) {
      if (!t->refused) t->refused = std::move(verdict).error();
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

// Called once the connection (and the TLS handshake) is established.
int OnConnected(void* user, char*, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  t->connected = true;
  t->connected_at = Clock::now();
  return CURL_PREREQFUNC_OK;
}

struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string Endpoint(const ParsedUrl& u) {
  return (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) + ":" + std::to_string(u.port);
}

bool IsTlsError(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return true;
    default:
      return false;
  }
}

core::Result<FetchResponse> Perform(const FetchRequest& req, const ParsedUrl& url, const FetchOptions& options) {
  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!easy || !multi) return core::Unavailable("HTTP client: cannot initialise libcurl");
  CURL* e = easy.get();
  Transfer t;
  t.options = &options;
  t.url = &url;
  char errbuf[CURL_ERROR_SIZE] = {};

  // The URL as we understood it, rebuilt: curl never sees a form its parser
  // could read differently from ours (and so from the policy's check).
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  std::string rebuilt =
      std::string(url.tls ? "https://" : "http://") + host + ":" + std::to_string(url.port) + url.target;
  curl_easy_setopt(e, CURLOPT_URL, rebuilt.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // no proxy from the environment: the policy judges the real peer
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "amtsweg");
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  // TLS: verified peer and host name, always.
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!options.ca_file.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(e, CURLOPT_CAPATH, kSystemCaPath);  // the system's CAs stay trusted
  }
  // Limits. The phases' deadlines are enforced below; these are curl's backstop.
  auto connect_ms = static_cast<long>(std::max<int64_t>(options.connect_timeout.count(), 1));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(connect_ms + options.timeout.count() + 100));
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes));
  // Callbacks.
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, OnConnected);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, &t);

  // Method and body.
  bool sends_body = !req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (req.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (sends_body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
    if (req.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  // Headers: the caller's, minus those the client owns.
  curl_slist* list = nullptr;
  auto add = [&](const std::string& line) {
    if (curl_slist* next = curl_slist_append(list, line.c_str()); next != nullptr) list = next;
  };
  for (const auto& [name, value] : req.headers) {
    if (EqualsIgnoreCase(name, "Host") || EqualsIgnoreCase(name, "Content-Length") ||
        EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
        EqualsIgnoreCase(name, "Expect")) {
      continue;
    }
    add(value.empty() ? name + ";" : name + ": " + value);  // "Name;" sends an empty value
  }
  add("Connection: close");
  add("Expect:");  // no 100-continue round trip
  if (sends_body && !req.headers.Has("Content-Type")) add("Content-Type:");  // not curl's form type
  std::unique_ptr<curl_slist, SlistDeleter> list_guard(list);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);

  curl_multi_add_handle(multi.get(), e);
  Clock::time_point start = Clock::now();
  bool timed_out = false;
  for (;;) {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi.get(), &running);
    if (mc != CURLM_OK) {
      curl_multi_remove_handle(multi.get(), e);
      return core::Unavailable(std::string("HTTP client: ") + curl_multi_strerror(mc));
    }
    if (running == 0) break;
    Clock::time_point deadline = t.connected ? t.connected_at + options.timeout : start + options.connect_timeout;
    Clock::time_point now = Clock::now();
    if (now >= deadline) {
      timed_out = true;
      break;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(std::min<int64_t>(wait, 1000)), nullptr);
  }
  CURLcode rc = CURLE_OK;
  if (!timed_out) {
    int queued = 0;
    while (CURLMsg* m = curl_multi_info_read(multi.get(), &queued)) {
      if (m->msg == CURLMSG_DONE) rc = m->data.result;
    }
  }
  curl_multi_remove_handle(multi.get(), e);

  std::string where = Endpoint(url);
  // A refused address fails the exchange only when no other address of the host was allowed and reached.
  if (t.refused && (rc != CURLE_OK || timed_out) && !t.connected) {
    return core::PermissionDenied("destination not allowed: " + t.refused->message());
  }
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return core::ResourceExhausted(
        fmt::format("response from {} exceeds {} bytes", url.host, options.max_response_bytes));
  }
  if (timed_out || rc == CURLE_OPERATION_TIMEDOUT) {
    return core::DeadlineExceeded(fmt::format("{} {} timed out", t.connected ? "read from" : "connect to", where));
  }
  std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
  switch (rc) {
    case CURLE_OK: break;
    case CURLE_COULDNT_RESOLVE_HOST: return core::Unavailable(fmt::format("cannot resolve {}: {}", url.host, detail));
    case CURLE_COULDNT_CONNECT: return core::Unavailable(fmt::format("connect to {} failed: {}", where, detail));
    default:
      if (IsTlsError(rc)) return core::Unavailable(fmt::format("TLS with {} failed: {}", where, detail));
      return core::Unavailable(
          fmt::format("{} {} failed: {}", t.connected ? "exchange with" : "connect to", where, detail));
  }
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

}  // namespace

core::Result<FetchResponse> Fetch(const FetchRequest& request, const FetchOptions& options) {
  AW_ASSIGN_OR_RETURN(ParsedUrl url, ParseHttpUrl(request.url));
  if (!ValidToken(request.method)) return core::InvalidArgument("method: not an HTTP method token: " + request.method);
  for (const auto& [name, value] : request.headers) {
    if (!ValidToken(name)) return core::InvalidArgument("headers: bad header name '" + name + "'");
    if (!ValidFieldValue(value)) {
      return core::InvalidArgument("headers: value of '" + name + "' contains CR, LF or NUL");
    }
  }
  if (options.policy) {
    if (auto s = options.policy->CheckUrl(request.url); !s.ok()) {
      if (s.error().code() == core::ErrorCode::kPermissionDenied) {
        return core::PermissionDenied("destination not allowed: " + s.error().message());
      }
      return std::move(s).error();
    }
  }
  return Perform(request, url, options);
}

}  // namespace amtsweg::http
