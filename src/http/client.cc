// The HTTP client: Asio/Beast with asynchronous operations on a private
// io_context, so every step has a deadline (Beast's synchronous calls have none).
#include "http/client.h"

#include <charconv>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace amtsweg::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

core::Result<ParsedUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.starts_with("https://")) {
    return core::InvalidArgument("url: https is not supported by the built-in client (use a TLS-terminating proxy): " +
                                 std::string(url));
  }
  if (!url.starts_with(kScheme)) return core::InvalidArgument("url: must start with http:// : " + std::string(url));
  std::string_view rest = url.substr(kScheme.size());
  size_t path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? std::string_view() : rest.substr(path_at);
  if (size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos) {
    return core::InvalidArgument("url: user information in the URL is not supported");
  }
  ParsedUrl out;
  std::string_view port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return core::InvalidArgument("url: unclosed [ in the host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return core::InvalidArgument("url: junk after the IPv6 host");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
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
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return core::InvalidArgument("url: spaces or control characters must be percent-encoded");
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

// One exchange on its own io_context; each phase arms the stream's deadline.
class Exchange {
 public:
  Exchange(const FetchRequest& req, const ParsedUrl& url, const FetchOptions& o)
      : req_(req), url_(url), options_(o), resolver_(ioc_), stream_(ioc_) {}

  core::Result<FetchResponse> Run() {
    bhttp::request<bhttp::string_body> out;
    out.method_string(req_.method);
    out.target(url_.target);
    out.version(11);
    std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    if (url_.port != 80) host += ":" + std::to_string(url_.port);
    out.set(bhttp::field::host, host);
    out.set(bhttp::field::user_agent, "amtsweg");
    for (const auto& [name, value] : req_.headers) {
      if (EqualsIgnoreCase(name, "Host") || EqualsIgnoreCase(name, "Content-Length") ||
          EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Transfer-Encoding")) {
        continue;
      }
      out.insert(name, value);
    }
    out.set(bhttp::field::connection, "close");
    out.body() = req_.body;
    if (!req_.body.empty() || req_.method == "POST" || req_.method == "PUT" || req_.method == "PATCH") {
      out.prepare_payload();
    }
    parser_.emplace();
    parser_->body_limit(options_.max_response_bytes);
    parser_->header_limit(static_cast<uint32_t>(std::min<uint64_t>(options_.max_response_bytes, 64 * 1024)));

    // Resolution has no cancellable deadline of its own in the stream; the
    // io_context run below bounds it together with connecting.
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [this, &out](beast::error_code ec, tcp::resolver::results_type results) {
                              if (ec) return Fail(core::Unavailable("cannot resolve " + url_.host + ": " + ec.message()));
                              stream_.expires_after(options_.connect_timeout);
                              stream_.async_connect(results, [this, &out](beast::error_code ec2, const tcp::endpoint&) {
                                if (ec2) return Fail(Phase("connect", ec2));
                                stream_.expires_after(options_.timeout);
                                bhttp::async_write(stream_, out, [this](beast::error_code ec3, size_t) {
                                  if (ec3) return Fail(Phase("send", ec3));
                                  ReadHead();
                                });
                              });
                            });
    // A stuck resolver is bounded by connect_timeout, the rest by the stream's deadlines.
    ioc_.run_for(options_.connect_timeout + options_.timeout + std::chrono::milliseconds(100));
    if (!done_ && !error_) {
      resolver_.cancel();
      return core::DeadlineExceeded("no response from " + url_.host + " in time");
    }
    if (error_) return *error_;
    FetchResponse res;
    auto& msg = parser_->get();
    res.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) res.headers.Add(std::string(f.name_string()), std::string(f.value()));
    res.body = std::move(msg.body());
    return res;
  }

 private:
  // The head first, so a declared Content-Length over the limit is refused
  // before any of the body is read (Boost 1.81's parser did not refuse it in
  // async_read); bodies without a length are bounded by the parser's limit.
  void ReadHead() {
    bhttp::async_read_header(stream_, buffer_, *parser_, [this](beast::error_code ec, size_t) {
      if (ec) return Fail(Phase("read", ec));
      if (auto length = parser_->content_length(); length && *length > options_.max_response_bytes) {
        return Fail(TooLarge());
      }
      bhttp::async_read(stream_, buffer_, *parser_, [this](beast::error_code ec2, size_t) {
        if (ec2) return Fail(Phase("read", ec2));
        if (parser_->get().body().size() > options_.max_response_bytes) return Fail(TooLarge());
        done_ = true;
      });
    });
  }
  core::Error TooLarge() const {
    return core::ResourceExhausted("response from " + url_.host + " exceeds " +
                                   std::to_string(options_.max_response_bytes) + " bytes");
  }

  core::Error Phase(std::string_view what, const beast::error_code& ec) {
    if (ec == beast::error::timeout) {
      return core::DeadlineExceeded(std::string(what) + " to " + url_.host + ":" + std::to_string(url_.port) +
                                    " timed out");
    }
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      return TooLarge();
    }
    return core::Unavailable(std::string(what) + " to " + url_.host + ":" + std::to_string(url_.port) +
                             " failed: " + ec.message());
  }
  void Fail(core::Error e) { error_ = std::move(e); }

  const FetchRequest& req_;
  const ParsedUrl& url_;
  const FetchOptions& options_;
  asio::io_context ioc_;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  bool done_ = false;
  std::optional<core::Error> error_;
};

}  // namespace

core::Result<FetchResponse> Fetch(const FetchRequest& request, const FetchOptions& options) {
  AW_ASSIGN_OR_RETURN(ParsedUrl url, ParseHttpUrl(request.url));
  if (!ValidToken(request.method)) return core::InvalidArgument("method: not an HTTP method token: " + request.method);
  for (const auto& [name, value] : request.headers) {
    if (!ValidToken(name)) return core::InvalidArgument("headers: bad header name '" + name + "'");
    if (!ValidFieldValue(value)) return core::InvalidArgument("headers: value of '" + name + "' contains CR, LF or NUL");
  }
  try {
    Exchange ex(request, url, options);
    return ex.Run();
  } catch (const std::exception& e) {  // Asio reports resource exhaustion (no sockets) by exception
    return core::Unavailable(std::string("HTTP client: ") + e.what());
  }
}

}  // namespace amtsweg::http
