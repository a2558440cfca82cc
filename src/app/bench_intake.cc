// `amtsweg bench intake`: validated, durable submissions over HTTP.
//
// An in-process server (2 threads) with a tenant, a ~30-field form, a process
// whose first wait state is a user task, and a service; wrk (200 connections,
// --latency) posts submissions: 9 of 10 JSON, 1 of 10 multipart with a
// 200 KB PDF attachment. Each answered 201 is one case with its process
// instance, committed (SQLite synchronous=FULL on ./data, the real disk).
// Prints `intake.<backend> 1 p50_us p99_us submissions_per_s`, then checks that
// the number of cases equals wrk's 2xx count.
//
// `--rate R` (open loop, like wrk2): instead of wrk, 200 keep-alive
// connections send request k at its intended time t0 + k/R (connection k mod
// 200), whatever the server's speed; latency is measured from that intended
// time, so a stalled server is charged for every request it held back (no
// coordinated omission). Prints `intake_open.<backend> R p50_us p99_us
// achieved_per_s` and p99.9.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>

#include "api/catalog_api.h"
#include "api/intake_api.h"
#include "app/commands.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "http/http_bench.h"
#include "http/server.h"
#include "intake/intake.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

using core::Json;

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/bench">
<bpmn:process id="antrag" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Antrag prüfen"><bpmn:extensionElements>
    <zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

// 30 input fields of the kinds a real application has, and matching data.
std::pair<Json, Json> FormAndData() {
  Json comps = Json::array();
  Json data = Json::object();
  for (int i = 0; i < 12; ++i) {
    std::string k = fmt::format("text{}", i);
    comps.push_back({{"type", "textfield"}, {"key", k}, {"label", fmt::format("Angabe {}", i)},
                     {"validate", {{"required", true}, {"maxLength", 200}}}});
    data[k] = fmt::format("Müllerstraße {} in Süderbrarup", i);
  }
  for (int i = 0; i < 6; ++i) {
    std::string k = fmt::format("num{}", i);
    comps.push_back({{"type", "number"}, {"key", k}, {"label", fmt::format("Zahl {}", i)},
                     {"validate", {{"min", 0}, {"max", 100000}}}, {"decimalDigits", 2}});
    data[k] = 12.5 + i;
  }
  for (int i = 0; i < 4; ++i) {
    std::string k = fmt::format("choice{}", i);
    comps.push_back({{"type", "select"}, {"key", k}, {"label", fmt::format("Auswahl {}", i)},
                     {"values", {{{"label", "Ja"}, {"value", "ja"}}, {{"label", "Nein"}, {"value", "nein"}}}}});
    data[k] = "ja";
  }
  for (int i = 0; i < 4; ++i) {
    std::string k = fmt::format("date{}", i);
    comps.push_back({{"type", "datetime"}, {"key", k}, {"subtype", "date"}, {"dateLabel", "Datum"}});
    data[k] = "2026-03-01";
  }
  comps.push_back({{"type", "textfield"}, {"key", "email"}, {"label", "E-Mail"}, {"validate", {{"validationType", "email"}}}});
  data["email"] = "antrag@example.org";
  comps.push_back({{"type", "checkbox"}, {"key", "consent"}, {"label", "Einverstanden"}, {"validate", {{"required", true}}}});
  data["consent"] = true;
  comps.push_back({{"type", "textarea"}, {"key", "remarks"}, {"label", "Bemerkungen"}});
  data["remarks"] = "Bitte um zügige Bearbeitung.";
  comps.push_back({{"type", "filepicker"}, {"key", "plan"}, {"label", "Lageplan"}, {"accept", ".pdf"}});
  Json form{{"id", "bench-antrag"}, {"type", "default"}, {"components", comps}};
  return {form, data};
}

// A quoted Lua string literal (long strings would turn the multipart CRLFs into LF).
std::string LuaLongString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port with blocking sockets:
// send a prepared request, read one response (Content-Length bodies only,
// which is what the server sends). Returns the status, 0 on a broken connection.
class Conn {
 public:
  explicit Conn(uint16_t port) : port_(port) {}
  ~Conn() { Close(); }
  int RoundTrip(const std::string& request) {
    if (fd_ < 0 && !Connect()) return 0;
    size_t off = 0;
    while (off < request.size()) {
      ssize_t n = ::send(fd_, request.data() + off, request.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        Close();
        return 0;
      }
      off += static_cast<size_t>(n);
    }
    // Head, then the body by Content-Length.
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return 0;
    }
    int status = 0;
    if (buf_.size() > 12) status = std::atoi(buf_.c_str() + 9);
    size_t length = 0;
    for (size_t i = 0; i < head_end;) {
      size_t eol = buf_.find("\r\n", i);
      std::string_view line(buf_.data() + i, eol - i);
      if (line.size() > 15 && http_ci(line.substr(0, 15), "content-length:")) {
        length = static_cast<size_t>(std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10));
      }
      i = eol + 2;
    }
    while (buf_.size() < head_end + 4 + length) {
      if (!Fill()) return 0;
    }
    buf_.erase(0, head_end + 4 + length);
    return status;
  }

 private:
  static bool http_ci(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == y; });
  }
  bool Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port_);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      Close();
      return false;
    }
    buf_.clear();
    return true;
  }
  bool Fill() {
    char tmp[16384];
    for (;;) {
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Close();
        return false;
      }
      buf_.append(tmp, static_cast<size_t>(n));
      return true;
    }
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  uint16_t port_;
  int fd_ = -1;
  std::string buf_;
};

struct OpenLoopResult {
  int64_t sent = 0, ok = 0, non_2xx = 0, errors = 0;
  double achieved_per_s = 0, p50_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
};

// Request k goes out at t0 + k/rate on connection k % connections; its
// latency counts from that intended time (a late send is the server's delay).
OpenLoopResult RunOpenLoop(uint16_t port, int rate, int seconds, int connections, const std::string& json_req,
                           const std::string& multipart_req) {
  using Clock = std::chrono::steady_clock;
  const int64_t total = static_cast<int64_t>(rate) * seconds;
  const auto t0 = Clock::now() + std::chrono::milliseconds(200);
  const double step_ns = 1e9 / rate;
  std::vector<std::vector<int64_t>> lat(static_cast<size_t>(connections));
  std::atomic<int64_t> ok{0}, non_2xx{0}, errors{0};
  std::atomic<int64_t> last_done_ns{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      Conn conn(port);
      auto& mine = lat[static_cast<size_t>(c)];
      mine.reserve(static_cast<size_t>(total / connections + 1));
      for (int64_t k = c; k < total; k += connections) {
        auto intended = t0 + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(k) * step_ns));
        std::this_thread::sleep_until(intended);
        int status = conn.RoundTrip(k % 10 == 9 ? multipart_req : json_req);
        auto done = Clock::now();
        if (status == 0) {
          ++errors;
          continue;
        }
        (status >= 200 && status < 300 ? ok : non_2xx)++;
        mine.push_back(std::chrono::duration_cast<std::chrono::microseconds>(done - intended).count());
        int64_t d = std::chrono::duration_cast<std::chrono::nanoseconds>(done - t0).count();
        int64_t prev = last_done_ns.load();
        while (d > prev && !last_done_ns.compare_exchange_weak(prev, d)) {
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<int64_t> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  OpenLoopResult r;
  r.sent = total;
  r.ok = ok;
  r.non_2xx = non_2xx;
  r.errors = errors;
  auto pct = [&](double q) -> double {
    if (all.empty()) return 0;
    size_t i = std::min(all.size() - 1, static_cast<size_t>(q * static_cast<double>(all.size())));
    return static_cast<double>(all[i]);
  };
  r.p50_us = pct(0.50);
  r.p99_us = pct(0.99);
  r.p999_us = pct(0.999);
  r.max_us = all.empty() ? 0 : static_cast<double>(all.back());
  double span_s = static_cast<double>(last_done_ns.load()) / 1e9;
  r.achieved_per_s = span_s > 0 ? static_cast<double>(r.ok + r.non_2xx) / span_s : 0;
  return r;
}

std::string HttpRequest(uint16_t port, const std::string& content_type, const std::string& body) {
  return fmt::format("POST /api/v1/services/bench-antrag/submissions HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n"
                     "Content-Type: {}\r\nContent-Length: {}\r\n\r\n",
                     port, content_type, body.size()) +
         body;
}

core::Status Run(const BenchFlags& flags, const std::string& url, const std::string& label, std::ostream& out) {
  store::Options so;
  so.url = url;
  core::metrics::Registry metrics;
  so.metrics = &metrics;
  AW_ASSIGN_OR_RETURN(auto db, store::Database::Open(so));
  AW_TRY(db->Migrate());
  AW_TRY(db->writer().Start());
  std::string files = fmt::format("./data/bench-intake-files-{}", getpid());
  engine::Engine engine(*db);
  catalog::Catalog catalog(*db);
  intake::Intake intake(*db, catalog, engine, {.files_dir = files});
  auto [form, data] = FormAndData();
  AW_TRY(catalog.CreateTenant({{"id", "amt-bench"}, {"name", "Amt Bench"}, {"type", "Amt"}, {"ars", "010595988000"}}));
  AW_TRY(catalog.CreateDepartment("amt-bench", {{"id", "ordnungsamt"}, {"name", "Ordnungsamt"}}));
  AW_TRY(catalog.AddFormVersion("amt-bench", form));
  AW_TRY(engine.Deploy("amt-bench", {{"antrag.bpmn", kProcess}}));
  AW_TRY(catalog.CreateService("amt-bench", {{"id", "bench-antrag"}, {"leika", "99108011000000"}, {"published", true},
                                             {"name", {{"de", "Antrag"}}}, {"processingTimeDays", 14},
                                             {"form", {{"id", "bench-antrag"}, {"version", 1}}},
                                             {"process", {{"id", "antrag"}}},
                                             {"responsibility", {{"department", "ordnungsamt"}}}}));
  http::Router router;
  api::RegisterIntakeRoutes(router, intake);
  http::Options ho;
  ho.port = 0;
  ho.threads = 2;
  ho.access_log = false;
  AW_ASSIGN_OR_RETURN(auto server, http::Server::Start(ho, router, metrics));

  std::string json_body = data.dump();
  Json with_file = data;
  with_file["plan"] = "files::plan";
  std::string pdf = "%PDF-1.4\n";
  while (pdf.size() < 200 * 1024) pdf += "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n";
  pdf += "%%EOF\n";
  std::string mp = "--BENCH\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" + with_file.dump() +
                   "\r\n--BENCH\r\nContent-Disposition: form-data; name=\"files::plan\"; filename=\"plan.pdf\"\r\n"
                   "Content-Type: application/pdf\r\n\r\n" + pdf + "\r\n--BENCH--\r\n";
  int seconds = flags.seconds > 0 ? flags.seconds : 10;
  if (flags.rate > 0) {
    uint16_t port = server->port();
    OpenLoopResult o = RunOpenLoop(port, flags.rate, seconds, 200, HttpRequest(port, "application/json", json_body),
                                   HttpRequest(port, "multipart/form-data; boundary=BENCH", mp));
    server->Stop(std::chrono::seconds(5));
    AW_TRY(db->writer().Flush());
    AW_ASSIGN_OR_RETURN(int64_t cases, db->Read([](store::Tx& tx) -> core::Result<int64_t> {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM cases WHERE tenant_id = $1", {"amt-bench"}));
      return row ? row->Int(0) : 0;
    }));
    out << fmt::format("intake_open.{} {} {:.0f} {:.0f} {:.0f}\n", label, flags.rate, o.p50_us, o.p99_us,
                       o.achieved_per_s);
    out << fmt::format("# {}: open loop {}/s for {} s over 200 connections: {} scheduled, {} 2xx, {} non-2xx, "
                       "{} connection errors, {} cases stored; achieved {:.0f}/s; latency from the intended send "
                       "time p50 {:.1f} ms, p99 {:.1f} ms, p99.9 {:.1f} ms, max {:.1f} ms; 10% with a 200 KB PDF\n",
                       label, flags.rate, seconds, o.sent, o.ok, o.non_2xx, o.errors, cases, o.achieved_per_s,
                       o.p50_us / 1000, o.p99_us / 1000, o.p999_us / 1000, o.max_us / 1000);
    db->writer().Stop().ok();
    db->Close();
    std::error_code ec;
    std::filesystem::remove_all(files, ec);
    return core::OkStatus();
  }
  std::string script = fmt::format("./data/bench-intake-{}.lua", getpid());
  {
    std::ofstream lua(script);
    lua << "local n = 0\n"
        << "local jb = " << LuaLongString(json_body) << "\n"
        << "local mb = " << LuaLongString(mp) << "\n"
        << "request = function()\n  n = n + 1\n"
        << "  if n % 10 == 0 then return wrk.format('POST', '/api/v1/services/bench-antrag/submissions', "
           "{['Content-Type'] = 'multipart/form-data; boundary=BENCH'}, mb) end\n"
        << "  return wrk.format('POST', '/api/v1/services/bench-antrag/submissions', "
           "{['Content-Type'] = 'application/json'}, jb)\nend\n";
  }
  std::string cmd = fmt::format("wrk -t2 -c200 -d{}s --latency -s {} http://127.0.0.1:{}/ 2>&1", seconds, script,
                                server->port());
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  server->Stop(std::chrono::seconds(5));
  AW_TRY(db->writer().Flush());
  std::filesystem::remove(script);
  auto r = http::ParseWrkOutput(text);
  if (!r.ok()) {
    out << text;
    return std::move(r).error();
  }
  auto cases = db->Read([](store::Tx& tx) -> core::Result<int64_t> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM cases WHERE tenant_id = $1", {"amt-bench"}));
    return row ? row->Int(0) : 0;
  });
  AW_TRY(cases.ok() ? core::OkStatus() : core::Status(cases.error()));
  out << fmt::format("intake.{} 1 {:.0f} {:.0f} {:.0f}\n", label, r->p50_us, r->p99_us, r->requests_per_sec);
  out << fmt::format("# {}: {} requests, {} non-2xx, {} socket errors, {} cases stored; 200 connections, "
                     "10% with a 200 KB PDF\n",
                     label, r->requests, r->non_2xx, r->socket_errors, *cases);
  db->writer().Stop().ok();
  db->Close();
  std::error_code ec;
  std::filesystem::remove_all(files, ec);
  return core::OkStatus();
}

}  // namespace

int BenchIntake(const BenchFlags& flags, std::ostream& out) {
  std::error_code ec;
  std::filesystem::create_directories("./data", ec);
  std::string dir = fmt::format("./data/bench-intake-{}", getpid());
  std::filesystem::create_directories(dir, ec);
  int rc = 0;
  if (auto s = Run(flags, "sqlite:" + dir + "/amtsweg.db", "sqlite", out); !s.ok()) {
    ReportError(s.error());
    rc = 1;
  }
  std::filesystem::remove_all(dir, ec);
  if (flags.pg_url) {
    if (auto s = Run(flags, *flags.pg_url, "postgres", out); !s.ok()) {
      ReportError(s.error());
      rc = 1;
    }
  }
  out << "\n";
  return rc;
}

}  // namespace amtsweg::app
