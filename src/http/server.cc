// The only file of Amtsweg that includes Asio and Beast for serving.
//
// Shape (after Beast's advanced_server, reworked for our limits):
// - one io_context run by Options::threads threads; every connection and the
//   acceptor live on their own strand, so a blocking handler holds one thread
//   and never another connection;
// - Beast's basic_parser, subclassed to fill our Request directly (no
//   intermediate beast::http::fields), fed from a flat_buffer by hand so the
//   header can be inspected (route, body limit, Expect) before the body is read;
// - responses serialised by hand into a per-connection buffer and written with
//   one gather write, the body not copied;
// - timeouts as per-connection deadlines checked by one sweeper timer instead
//   of a timer per operation: arming a deadline is a store, not a timer-queue
//   operation plus a cancelled wait per read and per write.
#include "http/server.h"

#include <time.h>

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include "core/id.h"
#include "core/log.h"
#include "http/problem.h"

namespace amtsweg::http {
namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;
using Acceptor = net::basic_socket_acceptor<tcp, Strand>;
using SteadyClock = std::chrono::steady_clock;

constexpr int64_t kNever = INT64_MAX;
constexpr size_t kReadChunk = 64 * 1024;
constexpr uint64_t kMaxLingerBytes = 1 << 20;
constexpr std::chrono::milliseconds kLinger{2000};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

std::string_view Sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

// Types used as members of Server::Impl live in a named namespace: a member of
// an anonymous-namespace type would trip -Wsubobject-linkage.
namespace server_internal {

// ---------------------------------------------------------------------------
// Parsing

// Fills a Request straight from Beast's parser callbacks.
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  explicit RequestParser(Request& req) : req_(req) {}

 private:
  void on_request_impl(bhttp::verb, boost::beast::string_view method, boost::beast::string_view target,
                       int version, error_code&) override {
    req_.method.assign(method.data(), method.size());
    req_.target.assign(target.data(), target.size());
    req_.version = version;
  }
  void on_response_impl(int, boost::beast::string_view, int, error_code& ec) override {
    ec = bhttp::error::bad_version;  // unreachable for a request parser
  }
  void on_field_impl(bhttp::field, boost::beast::string_view name, boost::beast::string_view value,
                     error_code&) override {
    req_.headers.Add(std::string(Sv(name)), std::string(Sv(value)));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    // The session checked the length against the body limit before the body
    // starts. Reserve at most 1 MiB up front: a header alone must not make
    // every connection allocate the full limit.
    if (length) req_.body.reserve(static_cast<size_t>(std::min<std::uint64_t>(*length, 1 << 20)));
  }
  std::size_t on_body_impl(boost::beast::string_view body, error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& req_;
};

}  // namespace server_internal

namespace {

// Checks the request head beyond Beast's syntax and fills `path` and `query`
// from the target. Returns nullptr, or what is wrong. `*raw_path` is the
// still-encoded path, a view into r.target.
const char* ApplyTarget(Request& r, std::string_view* raw_path) {
  std::string_view target = r.target;
  if (target.starts_with("http://") || target.starts_with("https://")) {  // absolute-form
    size_t authority = target.find("//") + 2;
    size_t slash = target.find('/', authority);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target[0] != '/') return "request target must be an absolute path";
  if (r.version >= 11 && !r.headers.Has("Host")) return "HTTP/1.1 request without Host header";  // RFC 9112 3.2
  size_t q = target.find('?');
  *raw_path = target.substr(0, q);
  r.query.clear();
  if (q != std::string_view::npos) r.query.assign(target.substr(q + 1));
  size_t hash = r.query.find('#');
  if (hash != std::string::npos) r.query.resize(hash);
  auto decoded = PercentDecode(*raw_path);
  if (!decoded || decoded->find('\0') != std::string::npos) return "request path has a malformed %-escape";
  r.path = std::move(*decoded);
  return nullptr;
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// A header value a handler set must not smuggle a second header or response.
bool SafeHeaderValue(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// A field name is an RFC 9110 token.
bool SafeHeaderName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// IMF-fixdate for the Date header, formatted once per second per thread.
std::string_view HttpDate() {
  struct Cache {
    time_t sec = -1;
    char text[32] = {};
    size_t len = 0;
  };
  thread_local Cache cache;
  time_t now = ::time(nullptr);
  if (now != cache.sec) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm {};
    gmtime_r(&now, &tm);
    int n = std::snprintf(cache.text, sizeof(cache.text), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                          tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cache.len = n > 0 ? static_cast<size_t>(n) : 0;
    cache.sec = now;
  }
  return {cache.text, cache.len};
}

void AppendInt(std::string& out, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

// ---------------------------------------------------------------------------
// Metrics

constexpr std::array<std::string_view, 8> kMethodLabels = {"GET", "HEAD",    "POST",  "PUT",
                                                           "PATCH", "DELETE", "OPTIONS", "OTHER"};
int MethodIndex(std::string_view m) {
  for (size_t i = 0; i + 1 < kMethodLabels.size(); ++i) {
    if (kMethodLabels[i] == m) return static_cast<int>(i);
  }
  return static_cast<int>(kMethodLabels.size() - 1);
}

}  // namespace

namespace server_internal {

// The series of one route label, cached so the hot path does no registry
// lookup (which takes the registry's mutex and renders a label string).
class RouteMetrics {
 public:
  RouteMetrics(core::metrics::Registry& registry, std::string label)
      : registry_(registry),
        label_(std::move(label)),
        latency_(registry.Histogram("amtsweg_http_request_duration_seconds",
                                    "Time from the first byte of a request to its response written",
                                    core::metrics::LatencyBuckets(), {{"route", label_}})) {}

  const std::string& label() const { return label_; }

  void Record(int method_index, int status, double seconds) {
    Requests(method_index, status).Inc();
    latency_.Observe(seconds);
  }

 private:
  static constexpr int kSlots = 32;

  core::metrics::Counter& Requests(int method_index, int status) {
    uint32_t key = static_cast<uint32_t>(method_index + 1) << 16 | static_cast<uint32_t>(status & 0xFFFF);
    // Lock-free read: a slot's counter is stored before its key is published.
    for (int i = 0; i < kSlots; ++i) {
      uint32_t k = keys_[i].load(std::memory_order_acquire);
      if (k == key) return *counters_[i].load(std::memory_order_relaxed);
      if (k == 0) break;
    }
    std::lock_guard lock(mu_);
    auto& counter = registry_.Counter("amtsweg_http_requests_total", "HTTP requests answered",
                                      {{"method", std::string(kMethodLabels[static_cast<size_t>(method_index)])},
                                       {"route", label_},
                                       {"status", std::to_string(status)}});
    for (int i = 0; i < kSlots; ++i) {
      uint32_t k = keys_[i].load(std::memory_order_relaxed);
      if (k == key) break;
      if (k == 0) {
        counters_[i].store(&counter, std::memory_order_relaxed);
        keys_[i].store(key, std::memory_order_release);
        break;
      }
    }
    return counter;  // more than kSlots combinations: correct, only slower
  }

  core::metrics::Registry& registry_;
  std::string label_;
  core::metrics::Histogram& latency_;
  std::array<std::atomic<uint32_t>, kSlots> keys_{};
  std::array<std::atomic<core::metrics::Counter*>, kSlots> counters_{};
  std::mutex mu_;
};

class Session;

}  // namespace server_internal

using server_internal::RequestParser;
using server_internal::RouteMetrics;
using server_internal::Session;

// ---------------------------------------------------------------------------
// Server state shared by all sessions

class Server::Impl {
 public:
  Impl(Options options, const Router& router, core::metrics::Registry& registry)
      : options_(std::move(options)),
        router_(router),
        in_flight_(registry.Gauge("amtsweg_http_requests_in_flight", "HTTP requests being handled")),
        open_connections_(registry.Gauge("amtsweg_http_open_connections", "Open HTTP connections")),
        rejected_(registry.Counter("amtsweg_http_connections_rejected_total",
                                   "Connections answered with 503 because max_connections was reached")),
        static_metrics_(registry, "static"),
        unmatched_metrics_(registry, "unmatched"),
        none_metrics_(registry, "none"),
        acceptor_(Strand(ioc_.get_executor())),
        sweeper_(acceptor_.get_executor()) {
    route_metrics_.reserve(router.routes().size());
    for (const auto& r : router.routes()) route_metrics_.push_back(std::make_unique<RouteMetrics>(registry, r->pattern));
  }

  core::Status Listen();
  void Run();
  void Stop(std::chrono::milliseconds drain_timeout);
  void Wait();
  uint16_t port() const { return port_; }

  // Called by sessions.
  void Unregister(Session* s, bool counted);
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  const Options& options() const { return options_; }
  const Router& router() const { return router_; }
  const StaticFiles* static_files() const { return static_files_.get(); }
  core::metrics::Gauge& in_flight() { return in_flight_; }
  core::metrics::Gauge& open_connections() { return open_connections_; }
  RouteMetrics& metrics_for(const Route* r) { return *route_metrics_[r->index]; }
  RouteMetrics& static_metrics() { return static_metrics_; }
  RouteMetrics& unmatched_metrics() { return unmatched_metrics_; }
  RouteMetrics& none_metrics() { return none_metrics_; }

 private:
  void DoAccept();
  void OnAccept(error_code ec, Socket socket);
  void ArmSweeper();
  void Sweep();
  template <typename Fn>
  void ForEachSession(Fn&& fn);

  Options options_;
  const Router& router_;
  std::unique_ptr<StaticFiles> static_files_;
  core::metrics::Gauge& in_flight_;
  core::metrics::Gauge& open_connections_;
  core::metrics::Counter& rejected_;
  std::vector<std::unique_ptr<RouteMetrics>> route_metrics_;
  RouteMetrics static_metrics_;
  RouteMetrics unmatched_metrics_;
  RouteMetrics none_metrics_;
  std::atomic<bool> stopping_{false};
  uint16_t port_ = 0;

  // Sessions unregister in their destructor, which may run while ioc_ is
  // destroyed: everything they touch is declared before ioc_.
  std::mutex mu_;
  std::condition_variable drained_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // GUARDED_BY(mu_)
  int counted_ = 0;  // GUARDED_BY(mu_) sessions that count against max_connections

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_started_ = false;  // GUARDED_BY(stop_mu_)
  bool stopped_ = false;       // GUARDED_BY(stop_mu_)

  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  Acceptor acceptor_;
  net::basic_waitable_timer<SteadyClock, net::wait_traits<SteadyClock>, Strand> sweeper_;
  std::vector<std::thread> threads_;

  friend class Server;
};

namespace server_internal {

// ---------------------------------------------------------------------------
// One connection. All members are touched only on the session's strand, except
// deadline_ns_ (read by the sweeper).

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, Socket socket, bool reject)
      : server_(server),
        socket_(std::move(socket)),
        reject_(reject),
        buffer_(server.options().max_header_bytes + kReadChunk) {
    error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    if (!reject_) server_.open_connections().Inc();
  }

  ~Session() {
    if (!reject_) server_.open_connections().Dec();
    server_.Unregister(this, !reject_);
  }

  void Start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->OnStart(); });
  }
  // From Server::Stop: close if idle, else finish the current request with Connection: close.
  void NotifyStop() {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->OnStop(); });
  }
  void ForceClose() {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }
  void NotifyTimeout() {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->OnTimeout(); });
  }
  bool Expired(int64_t now_ns) const { return deadline_ns_.load(std::memory_order_relaxed) <= now_ns; }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  void SetDeadline(std::chrono::milliseconds d) {
    deadline_ns_.store(NowNs() + std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(),
                       std::memory_order_relaxed);
  }
  void ClearDeadline() { deadline_ns_.store(kNever, std::memory_order_relaxed); }

  void OnStart() {
    if (reject_) {
      request_id_ = core::NewId();
      auto r = ProblemResponse(503, "overloaded", "the server has reached its connection limit; retry shortly", "/");
      r.headers.Add("Retry-After", "1");
      metrics_ = &server_.none_metrics();
      Send(std::move(r), /*close=*/true, /*head=*/false);
      return;
    }
    if (server_.stopping()) {
      Close();
      return;
    }
    WaitForRequest();
  }

  void OnStop() {
    stop_requested_ = true;
    if (state_ == State::kIdle) Close();
    // kReading/kHandling/kWriting: answered with Connection: close, then closed.
  }

  void OnTimeout() {
    if (state_ == State::kClosed || !Expired(NowNs())) return;
    timed_out_ = true;
    ClearDeadline();
    switch (state_) {
      case State::kReading: {
        // Cancel the pending read; OnRead answers 408.
        error_code ec;
        socket_.cancel(ec);
        break;
      }
      default:
        Close();
    }
  }

  void WaitForRequest() {
    state_ = State::kIdle;
    parser_.reset();
    timed_out_ = false;
    if (buffer_.size() > 0) {  // pipelined: the next request is already here
      BeginRequest();
      Process();
      return;
    }
    // A fresh connection gets read_timeout for its first byte (nobody holds a
    // connection open for a minute without saying anything); between
    // keep-alive requests the longer idle_timeout applies.
    SetDeadline(served_ == 0 ? server_.options().read_timeout : server_.options().idle_timeout);
    Read();
  }

  void BeginRequest() {
    state_ = State::kReading;
    start_ = SteadyClock::now();
    SetDeadline(server_.options().read_timeout);
  }

  void Read() {
    size_t room = buffer_.max_size() - buffer_.size();
    if (room == 0) {  // cannot happen while the parser enforces the header limit
      SendLimit(431, "header_too_large", "request header fields too large");
      return;
    }
    socket_.async_read_some(buffer_.prepare(std::min(room, kReadChunk)),
                            [self = shared_from_this()](error_code ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(error_code ec, size_t n) {
    if (state_ == State::kClosed) return;
    if (ec) {
      if (timed_out_ && state_ == State::kReading) {
        SendLimit(408, "request_timeout", "the request was not received completely in time");
        return;
      }
      Close();  // EOF, reset, or closed by Stop/timeout while idle
      return;
    }
    if (timed_out_ && state_ == State::kReading) {  // bytes raced with the deadline: still too late
      SendLimit(408, "request_timeout", "the request was not received completely in time");
      return;
    }
    buffer_.commit(n);
    if (state_ == State::kIdle) BeginRequest();
    Process();
  }

  // Feeds buffered bytes to the parser until the request is complete, more
  // bytes are needed, or an error has been answered.
  void Process() {
    if (!parser_) {
      request_.Clear();
      parser_.emplace(request_);
      parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
      // The body limit is checked per route once the header is in. Not
      // boost::none: Beast 1.74 compares Content-Length > none as true.
      parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
      header_checked_ = false;
      request_complete_ = false;
      match_ = RouteMatch{};
    }
    while (!parser_->is_done()) {
      if (buffer_.size() == 0) {
        Read();
        return;
      }
      error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) {
        Read();
        return;
      }
      if (ec) {
        ParseError(ec);
        return;
      }
      if (parser_->is_header_done() && !header_checked_) {
        header_checked_ = true;
        if (!CheckHeader()) return;
      } else if (used == 0) {
        Read();
        return;
      }
    }
    Handle();
  }

  void ParseError(error_code ec) {
    if (ec == bhttp::error::header_limit) {
      SendLimit(431, "header_too_large", "request header fields exceed " +
                                             std::to_string(server_.options().max_header_bytes) + " bytes");
    } else if (ec == bhttp::error::body_limit) {
      SendLimit(413, "payload_too_large", "request body exceeds " + std::to_string(body_limit_) + " bytes");
    } else {
      SendLimit(400, "malformed_request", "malformed HTTP request: " + ec.message());
    }
  }

  // Runs once the header is parsed, before any body byte is consumed. Returns
  // false when it answered the request or continues asynchronously.
  bool CheckHeader() {
    std::string_view raw_path;
    if (const char* problem = ApplyTarget(request_, &raw_path)) {
      SendLimit(400, "malformed_request", problem);
      return false;
    }
    match_ = server_.router().Find(request_.method, raw_path, &request_.path_params);

    body_limit_ = server_.options().max_body_bytes;
    if (match_.route && match_.route->options.max_body_bytes) body_limit_ = *match_.route->options.max_body_bytes;
    auto length = parser_->content_length();
    if (length && *length > body_limit_) {
      SendLimit(413, "payload_too_large", "request body of " + std::to_string(*length) + " bytes exceeds " +
                                              std::to_string(body_limit_) + " bytes");
      return false;
    }
    parser_->body_limit(body_limit_);  // enforced while chunks arrive

    auto expect = request_.headers.Get("Expect");
    if (expect && EqualsIgnoreCase(*expect, "100-continue") && request_.version >= 11 && !parser_->is_done() &&
        buffer_.size() == 0) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](error_code ec, size_t) {
                         if (self->state_ == State::kClosed) return;
                         if (ec) {
                           self->Close();
                           return;
                         }
                         self->Process();
                       });
      return false;
    }
    return true;
  }

  void AssignRequestId() {
    auto incoming = request_.headers.Get("X-Request-Id");
    if (incoming && ValidRequestId(*incoming)) {
      request_id_.assign(*incoming);
    } else {
      request_id_ = core::NewId();
    }
    request_.request_id = request_id_;
  }

  void Handle() {
    state_ = State::kHandling;
    request_complete_ = true;
    ClearDeadline();  // a handler may take as long as it needs; Stop's drain bounds it
    AssignRequestId();
    request_.remote = remote_;
    Response response;
    server_.in_flight().Inc();
    switch (match_.kind) {
      case RouteMatch::Kind::kFound: {
        const Route* route = match_.route;
        request_.route = route->pattern;
        metrics_ = &server_.metrics_for(route);
        // Who may call it is decided before any handler runs.
        if (auto denied = Authorize(*route); !denied.ok()) {
          response = ToResponse(std::move(denied).error(), *route);
          break;
        }
        if (route->async_handler) {
          CallAsyncHandler(*route);  // answers through Finish on this strand later
          return;
        }
        response = ToResponse(CallHandler(*route), *route);
        break;
      }
      case RouteMatch::Kind::kMethodNotAllowed:
        metrics_ = &server_.unmatched_metrics();
        response = ProblemResponse(405, "method_not_allowed",
                                   "method " + request_.method + " is not allowed here; allowed: " + match_.allow,
                                   request_.path);
        response.headers.Add("Allow", match_.allow);
        break;
      case RouteMatch::Kind::kNotFound: {
        const StaticFiles* files = server_.static_files();
        std::optional<Response> file;
        if (files && (request_.method == "HEAD" || request_.method == "GET")) {
          file = files->Serve(request_.path, request_.headers.Get("If-None-Match").value_or(""),
                              request_.headers.Get("Accept-Encoding").value_or(""));
        }
        if (file) {
          metrics_ = &server_.static_metrics();
          response = std::move(*file);
        } else {
          metrics_ = &server_.unmatched_metrics();
          response = ProblemResponse(404, "not_found", "no resource at this path", request_.path);
        }
        break;
      }
    }
    Finish(std::move(response));
  }

  // Sends the answer to the request being handled (on this session's strand).
  void Finish(Response response) {
    server_.in_flight().Dec();
    bool close = !parser_->keep_alive() || stop_requested_ || server_.stopping();
    Send(std::move(response), close, request_.method == "HEAD");
  }

  // The async handler gets a Responder that may run on any thread: it hops back
  // to this session's strand, and does nothing if the connection was closed
  // meanwhile (drain timeout). The captured shared_ptr keeps the session, and so
  // request_, alive until the answer.
  void CallAsyncHandler(const Route& route) {
    auto self = shared_from_this();
    Responder respond([self, &route](core::Result<Response> result) {
      net::post(self->socket_.get_executor(), [self, &route, result = std::move(result)]() mutable {
        if (self->state_ != State::kHandling) {
          self->server_.in_flight().Dec();
          return;
        }
        self->Finish(self->ToResponse(std::move(result), route));
      });
    });
    if (!Guarded(route, [&] { route.async_handler(request_, respond); })) respond(core::Internal("handler threw"));
  }

  // The router's authorizer; an exception becomes kInternal.
  core::Status Authorize(const Route& route) {
    core::Status status = core::Internal("authorizer threw");
    Guarded(route, [&] { status = server_.router().Authorize(request_, route); });
    return status;
  }

  // Runs a synchronous handler; an exception becomes kInternal.
  core::Result<Response> CallHandler(const Route& route) {
    core::Result<Response> result = core::Internal("handler threw");
    Guarded(route, [&] { result = route.handler(request_); });
    return result;
  }

  // Runs `fn`; false (and a log line) when it threw.
  template <class Fn>
  bool Guarded(const Route& route, Fn&& fn) {
    try {
      fn();
      return true;
    } catch (const std::exception& e) {
      core::LogError("handler threw", {{"route", route.pattern}, {"request_id", request_id_}, {"what", e.what()}});
    } catch (...) {
      core::LogError("handler threw", {{"route", route.pattern}, {"request_id", request_id_}});
    }
    return false;
  }

  // A handler's result as the response to send: errors become problem+json.
  Response ToResponse(core::Result<Response> result, const Route& route) {
    if (result.ok()) {
      if (result->status >= 200 && result->status <= 599) return std::move(*result);
      // 1xx and nonsense cannot be a final response: a bug in the handler.
      core::LogError("handler returned an invalid status", {{"route", route.pattern},
                                                            {"request_id", request_id_},
                                                            {"status", std::to_string(result->status)}});
      return ProblemResponse(core::Internal("invalid status"), request_.path, request_id_);
    }
    const core::Error& err = result.error();
    if (err.code() == core::ErrorCode::kInternal) {
      core::LogError("handler failed", {{"route", route.pattern}, {"request_id", request_id_}, {"error", err.ToString()}});
    }
    return ProblemResponse(err, request_.path, request_id_);
  }

  // Answers a request that could not be read (limits, syntax, timeout) and closes.
  void SendLimit(int status, std::string_view code, const std::string& detail) {
    auto incoming = request_.headers.Get("X-Request-Id");
    request_id_ = incoming && ValidRequestId(*incoming) ? std::string(*incoming) : core::NewId();
    if (state_ == State::kIdle) start_ = SteadyClock::now();
    metrics_ = &server_.none_metrics();
    std::string_view instance = request_.path.empty() ? std::string_view("/") : std::string_view(request_.path);
    Send(ProblemResponse(status, code, detail, instance), /*close=*/true, /*head=*/false);
  }

  void Send(Response&& response, bool close, bool head) {
    state_ = State::kWriting;
    close_after_write_ = close;
    response_ = std::move(response);
    status_ = response_.status;
    int status = response_.status;
    bool bodyless = status == 204 || status == 304 || (status >= 100 && status < 200);

    std::string& out = out_;
    out.clear();
    out += "HTTP/1.1 ";
    AppendInt(out, static_cast<uint64_t>(status));
    out += ' ';
    out += ReasonPhrase(status);
    out += "\r\n";
    bool has_csp = false, has_nosniff = false, has_referrer = false, has_frame = false;
    for (const auto& [name, value] : response_.headers) {
      if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
          EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "X-Request-Id") ||
          !SafeHeaderName(name) || !SafeHeaderValue(value)) {
        continue;
      }
      has_csp |= EqualsIgnoreCase(name, "Content-Security-Policy");
      has_nosniff |= EqualsIgnoreCase(name, "X-Content-Type-Options");
      has_referrer |= EqualsIgnoreCase(name, "Referrer-Policy");
      has_frame |= EqualsIgnoreCase(name, "X-Frame-Options");
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    if (!has_csp) {
      out += "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
             "object-src 'none'\r\n";
    }
    if (!has_nosniff) out += "X-Content-Type-Options: nosniff\r\n";
    if (!has_referrer) out += "Referrer-Policy: no-referrer\r\n";
    if (!has_frame) out += "X-Frame-Options: DENY\r\n";
    out += "X-Request-Id: ";
    out += request_id_;
    out += "\r\nDate: ";
    out += HttpDate();
    out += "\r\n";
    std::string_view body = bodyless ? std::string_view() : response_.Body();
    if (!bodyless) {
      out += "Content-Length: ";
      AppendInt(out, body.size());
      out += "\r\n";
    }
    if (close) {
      out += "Connection: close\r\n";
    } else if (request_.version == 10) {
      out += "Connection: keep-alive\r\n";
    }
    out += "\r\n";
    if (head) body = {};
    bytes_ = body.size();

    SetDeadline(server_.options().write_timeout);
    std::array<net::const_buffer, 2> buffers = {net::buffer(out.data(), out.size()),
                                                net::buffer(body.data(), body.size())};
    net::async_write(socket_, buffers,
                     [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(error_code ec) {
    if (state_ == State::kClosed) return;
    ++served_;
    Finish();
    if (ec) {
      Close();
      return;
    }
    if (close_after_write_ || stop_requested_ || server_.stopping()) {
      Linger();
      return;
    }
    WaitForRequest();
  }

  // Metrics and access log for the response just written.
  void Finish() {
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    int method_index = MethodIndex(request_.method);
    if (metrics_ != nullptr) metrics_->Record(method_index, status_, seconds);
    if (server_.options().access_log && core::LogEnabled(core::LogLevel::kInfo)) {
      char status[8], bytes[24], ms[32];
      auto s_end = std::to_chars(status, status + sizeof(status), status_).ptr;
      auto b_end = std::to_chars(bytes, bytes + sizeof(bytes), bytes_).ptr;
      int ms_len = std::snprintf(ms, sizeof(ms), "%.3f", seconds * 1000.0);
      core::LogInfo("request", {{"method", request_.method.empty() ? std::string_view("-") : request_.method},
                                {"path", request_.path.empty() ? std::string_view("-") : request_.path},
                                {"route", metrics_ ? std::string_view(metrics_->label()) : "none"},
                                {"status", std::string_view(status, static_cast<size_t>(s_end - status))},
                                {"bytes", std::string_view(bytes, static_cast<size_t>(b_end - bytes))},
                                {"duration_ms", std::string_view(ms, ms_len > 0 ? static_cast<size_t>(ms_len) : 0)},
                                {"request_id", request_id_},
                                {"remote", remote_}});
    }
    response_ = Response();
    request_id_.clear();
    metrics_ = nullptr;
  }

  // Half-closes and drains what the client still sends before closing, so
  // the kernel does not answer unread bytes with a reset that could destroy
  // the response (a 413 or 431 is usually sent with request bytes unread).
  // After a completely read request with nothing else pending, closing at
  // once is safe and does not hold Stop() up.
  void Linger() {
    state_ = State::kLingering;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec || (request_complete_ && buffer_.size() == 0 && socket_.available(ec) == 0 && !ec)) {
      Close();
      return;
    }
    SetDeadline(kLinger);
    buffer_.consume(buffer_.size());
    DrainSome();
  }

  void DrainSome() {
    socket_.async_read_some(buffer_.prepare(std::min(kReadChunk, buffer_.max_size())),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              if (self->state_ == State::kClosed) return;
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kMaxLingerBytes) {
                                self->Close();
                                return;
                              }
                              self->buffer_.consume(self->buffer_.size());
                              self->DrainSome();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    ClearDeadline();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  Server::Impl& server_;
  Socket socket_;
  const bool reject_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  Request request_;
  std::optional<RequestParser> parser_;
  RouteMatch match_;
  Response response_;  // alive until written
  std::string out_;    // serialised response header, reused
  std::string request_id_;
  State state_ = State::kIdle;
  std::atomic<int64_t> deadline_ns_{kNever};
  bool header_checked_ = false;
  bool request_complete_ = false;  // the current request was read entirely
  bool timed_out_ = false;
  bool close_after_write_ = false;
  bool stop_requested_ = false;
  uint64_t body_limit_ = 0;
  uint64_t lingered_ = 0;
  uint64_t served_ = 0;  // responses written on this connection
  RouteMetrics* metrics_ = nullptr;
  int status_ = 0;
  uint64_t bytes_ = 0;
  SteadyClock::time_point start_ = SteadyClock::now();
};

}  // namespace server_internal

// ---------------------------------------------------------------------------
// Server::Impl

core::Status Server::Impl::Listen() {
  if (!options_.static_dir.empty()) {
    AW_ASSIGN_OR_RETURN(static_files_, StaticFiles::Open(options_.static_dir, options_.static_options));
  }
  error_code ec;
  auto address = net::ip::make_address(options_.address, ec);
  if (ec) return core::InvalidArgument("listen address '" + options_.address + "' is not an IP address");
  tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](std::string_view what) {
    return core::Unavailable("cannot " + std::string(what) + " " + options_.address + ":" +
                             std::to_string(options_.port) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open socket for");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("set SO_REUSEADDR on");
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) return fail("read the port of");
  return core::OkStatus();
}

void Server::Impl::Run() {
  work_.emplace(ioc_.get_executor());
  net::post(acceptor_.get_executor(), [this] {
    DoAccept();
    ArmSweeper();
  });
  int threads = options_.threads > 0 ? options_.threads
                                     : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      // A handler's exception is caught in the session; anything escaping here
      // is a bug in this file, and a server thread must not die silently.
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          core::LogError("http server thread caught an exception", {{"what", e.what()}});
        }
      }
    });
  }
}

void Server::Impl::DoAccept() {
  acceptor_.async_accept(Strand(ioc_.get_executor()),
                         [this](error_code ec, Socket socket) { OnAccept(ec, std::move(socket)); });
}

void Server::Impl::OnAccept(error_code ec, Socket socket) {
  if (!acceptor_.is_open() || stopping()) return;
  if (ec) {
    // EMFILE and the like: wait a little instead of spinning on the error.
    core::LogWarn("http accept failed", {{"error", ec.message()}});
    auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), std::chrono::milliseconds(50));
    timer->async_wait([this, timer](error_code) {
      if (acceptor_.is_open() && !stopping()) DoAccept();
    });
    return;
  }
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  bool reject;
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mu_);
    reject = counted_ >= options_.max_connections;
    session = std::make_shared<Session>(*this, std::move(socket), reject);
    sessions_.emplace(session.get(), session);
    if (!reject) ++counted_;
  }
  if (reject) rejected_.Inc();
  session->Start();
  DoAccept();
}

void Server::Impl::Unregister(Session* s, bool counted) {
  std::lock_guard lock(mu_);
  sessions_.erase(s);
  if (counted) --counted_;
  if (sessions_.empty()) drained_.notify_all();
}

template <typename Fn>
void Server::Impl::ForEachSession(Fn&& fn) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu_);
    live.reserve(sessions_.size());
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) fn(*s);
}

void Server::Impl::ArmSweeper() {
  // A quarter of the shortest timeout, within [10 ms, 250 ms]: a deadline is
  // enforced at most that much late.
  auto shortest = std::min({options_.read_timeout, options_.idle_timeout, options_.write_timeout});
  auto period = std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  sweeper_.expires_after(period);
  sweeper_.async_wait([this](error_code ec) {
    if (ec) return;  // cancelled by Stop
    Sweep();
    ArmSweeper();
  });
}

void Server::Impl::Sweep() {
  int64_t now = NowNs();
  std::vector<std::shared_ptr<Session>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto& [ptr, weak] : sessions_) {
      if (ptr->Expired(now)) {
        if (auto s = weak.lock()) expired.push_back(std::move(s));
      }
    }
  }
  for (auto& s : expired) s->NotifyTimeout();
}

void Server::Impl::Stop(std::chrono::milliseconds drain_timeout) {
  {
    std::unique_lock lock(stop_mu_);
    if (stop_started_) {
      stop_cv_.wait(lock, [&] { return stopped_; });
      return;
    }
    stop_started_ = true;
  }
  auto deadline = SteadyClock::now() + drain_timeout;
  stopping_.store(true, std::memory_order_release);

  if (!threads_.empty()) {
    // Close the acceptor on its strand and wait, so that every accepted
    // connection is registered before the sessions are told to stop.
    std::promise<void> closed;
    net::post(acceptor_.get_executor(), [&] {
      error_code ec;
      acceptor_.close(ec);
      closed.set_value();
    });
    closed.get_future().wait();

    ForEachSession([](Session& s) { s.NotifyStop(); });
    {
      std::unique_lock lock(mu_);
      drained_.wait_until(lock, deadline, [&] { return sessions_.empty(); });
    }
    ForEachSession([](Session& s) { s.ForceClose(); });
    {
      // Force-closed sessions go away as soon as their strand runs; a handler
      // still running past the drain timeout is waited for (it cannot be
      // interrupted), but not longer than another second before the pool stops.
      std::unique_lock lock(mu_);
      drained_.wait_for(lock, std::chrono::seconds(1), [&] { return sessions_.empty(); });
    }
    std::promise<void> cancelled;
    net::post(acceptor_.get_executor(), [&] {
      sweeper_.cancel();
      cancelled.set_value();
    });
    cancelled.get_future().wait();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  {
    std::lock_guard lock(stop_mu_);
    stopped_ = true;
  }
  stop_cv_.notify_all();
}

void Server::Impl::Wait() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [&] { return stopped_; });
}

// ---------------------------------------------------------------------------
// ParseRequest (request.h): the server's parsing without a socket.

core::Result<Request> ParseRequest(std::string_view bytes, size_t max_header_bytes, uint64_t max_body_bytes) {
  Request request;
  RequestParser parser(request);
  parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(max_header_bytes, UINT32_MAX)));
  parser.body_limit(max_body_bytes);
  parser.eager(true);
  error_code ec;
  size_t used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
  if (ec == bhttp::error::header_limit) return core::ResourceExhausted("request header fields too large");
  if (ec == bhttp::error::body_limit) return core::ResourceExhausted("request body too large");
  if (ec == bhttp::error::need_more || (!ec && !parser.is_done())) {
    return core::InvalidArgument("incomplete request");
  }
  if (ec) return core::InvalidArgument("malformed HTTP request: " + ec.message());
  if (used != bytes.size()) return core::InvalidArgument("bytes after the request");
  std::string_view raw_path;
  if (const char* problem = ApplyTarget(request, &raw_path)) return core::InvalidArgument(problem);
  return request;
}

// ---------------------------------------------------------------------------
// Server

core::Result<std::unique_ptr<Server>> Server::Start(Options options, const Router& router,
                                                    core::metrics::Registry& metrics) {
  auto impl = std::make_unique<Impl>(std::move(options), router, metrics);
  AW_TRY(impl->Listen());
  impl->Run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  if (impl_) impl_->Stop(std::chrono::milliseconds(0));
}

uint16_t Server::port() const { return impl_->port(); }
void Server::Wait() { impl_->Wait(); }
void Server::Stop(std::chrono::milliseconds drain_timeout) { impl_->Stop(drain_timeout); }

}  // namespace amtsweg::http
