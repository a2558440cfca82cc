#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/database.h"
#include "app/http_connector.h"
#include "app/routes.h"
#include "app/wiring.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "intake/intake.h"
#include "opendata/opendata.h"
#include "intake/orphan_sweeper.h"
#include "api/webhooks_api.h"
#include "postfach/mail.h"
#include "postfach/postfach.h"
#include "postfach/webhooks.h"
#include "core/log.h"
#include "engine/scheduler.h"
#include "records/postbox_delivery.h"
#include "records/records.h"
#include "records/scheduler.h"
#include "http/outbound.h"
#include "http/server.h"

namespace amtsweg::app {
namespace {

// Written to a temporary name and renamed, so a reader never sees half a number.
core::Status WritePortFile(const std::string& path, uint16_t port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
    if (!out) return core::Unavailable("cannot write port file " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::Unavailable("cannot write port file " + path + ": " + ec.message());
  return core::OkStatus();
}

http::Options HttpOptions(const core::ServerConfig& s, const core::LogConfig& log) {
  http::Options o;
  o.address = s.address;
  o.port = static_cast<uint16_t>(s.port);
  o.threads = s.threads;
  o.max_header_bytes = static_cast<size_t>(s.max_header_bytes);
  o.max_body_bytes = static_cast<uint64_t>(s.max_body_bytes);
  o.read_timeout = std::chrono::milliseconds(s.read_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(s.idle_timeout_ms);
  o.max_connections = s.max_connections;
  o.static_dir = s.static_dir;
  // The designer's editors (bpmn-js properties panel, dmn-js, form-js editor)
  // write style attributes through innerHTML and use data: images (drag
  // previews); everywhere else, citizens' pages included, the strict default
  // stays. Scripts stay 'self' only. The web app loads /designer/ pages with a
  // full page load (its router's scope), so this header is the one in force.
  o.static_options.csp_by_prefix = {
      {"/designer/", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                     "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"}};
  o.access_log = log.access_log;
  return o;
}

// The `[outbound]` section as a policy; a ca_file that cannot be read is
// refused at startup rather than at the first https call.
core::Result<std::shared_ptr<const http::OutboundPolicy>> OutboundFromConfig(const core::OutboundConfig& c) {
  AW_ASSIGN_OR_RETURN(http::OutboundPolicy p, http::OutboundPolicy::FromConfig(c.allow_http, c.allow_private,
                                                                               c.allow_networks, c.allow_hosts));
  if (!c.ca_file.empty()) {
    std::ifstream in(c.ca_file);
    std::string first;
    std::getline(in, first);
    if (!in || first.find("-----BEGIN") == std::string::npos) {
      return core::InvalidArgument("outbound.ca_file: not a readable PEM file: " + c.ca_file);
    }
  }
  if (p.allow_private) {
    core::LogWarn("outbound: non-public destinations allowed ([outbound] allow_private = true): webhooks and the "
                  "HTTP connector may reach loopback and internal addresses");
  }
  return std::make_shared<const http::OutboundPolicy>(std::move(p));
}

// The Postfach's background work, once a second: template messages of
// process steps (amtsweg:postfach-nachricht), e-mail notifications and
// webhooks (dispatch from the audit log, delivery with retries).
class PostfachLoop {
 public:
  PostfachLoop(postfach::Postfach& pf, postfach::MailDelivery* mail, postfach::Webhooks* hooks,
               postfach::WebhookSender sender)
      : pf_(pf), mail_(mail), hooks_(hooks), sender_(std::move(sender)) {}
  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  static void Report(const char* what, const core::Status& s) {
    if (!s.ok()) core::LogWarn("postfach loop", {{"step", what}, {"error", s.error().message()}});
  }
  template <class R>
  static void Report(const char* what, const core::Result<R>& r) {
    if (!r.ok()) core::LogWarn("postfach loop", {{"step", what}, {"error", r.error().message()}});
  }
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      Report("jobs", pf_.RunJobs());
      if (hooks_ != nullptr) {
        Report("webhook dispatch", hooks_->Dispatch());
        Report("webhook delivery", hooks_->Deliver(sender_));
      }
      if (mail_ != nullptr) Report("mail", mail_->RunOnce());
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
    }
  }
  postfach::Postfach& pf_;
  postfach::MailDelivery* mail_;
  postfach::Webhooks* hooks_;
  postfach::WebhookSender sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

int RunServe(const CommonFlags& common, const ServeFlags& flags) {
  auto start = std::chrono::steady_clock::now();
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  if (flags.port) cfg->server.port = *flags.port;
  if (flags.address) cfg->server.address = *flags.address;
  if (flags.static_dir) cfg->server.static_dir = *flags.static_dir;
  core::InitLogging(cfg->log.level, cfg->log.format);
  // What the server may call itself (webhooks, HTTP connector): the SSRF guard.
  auto outbound = OutboundFromConfig(cfg->outbound);
  if (!outbound.ok()) {
    ReportError(outbound.error());
    return 1;
  }
  std::shared_ptr<const http::OutboundPolicy> outbound_policy = *outbound;

  // SIGINT and SIGTERM are blocked before any thread starts, so every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // The built web app is optional for the default location (the API works
  // without it); a folder named explicitly must exist.
  if (!flags.static_dir && cfg->server.static_dir == core::ServerConfig{}.static_dir &&
      !std::filesystem::is_directory(cfg->server.static_dir)) {
    core::LogWarn("no web app to serve: folder missing, run `make build`",
                  {{"static_dir", cfg->server.static_dir}});
    cfg->server.static_dir.clear();
  }

  core::metrics::Registry metrics;
  auto opened = OpenAndMigrate(cfg->database, &metrics);
  if (!opened.ok()) {
    ReportError(opened.error());
    return 1;
  }
  std::unique_ptr<store::Database>& db = opened->db;
  for (const auto& m : opened->applied) core::LogInfo("migration applied", {{"name", m.name}});
  if (auto s = db->writer().Start(); !s.ok()) {
    ReportError(s.error());
    return 1;
  }

  // The engine and its scheduler (due timers, in-process workers such as the
  // HTTP connector). Several serve processes may share one PostgreSQL database.
  engine::Engine engine(*db);
  RegisterHttpConnector(engine, {.policy = outbound_policy, .ca_file = cfg->outbound.ca_file});
  // The amtsweg:opendata-publish jobs of the tenants' timer processes (opendata/README.md).
  opendata::OpenData opendata(*db, engine);
  opendata.RegisterWorker();
  engine::Scheduler scheduler(engine);
  scheduler.Start();
  catalog::Catalog catalog(*db);
  // Cases fill their E-Akte columns and search text in intake's transaction.
  intake::Intake intake(*db, catalog, engine,
                        {.files_dir = cfg->storage.files_dir, .on_case_created = cases::OnCaseCreated});
  cases::Cases cases(*db, engine, catalog);
  // Case documents, the Bescheid worker (amtsweg:bescheid jobs) and the daily
  // retention job; started below, once the postbox delivery is wired.
  records::Records records(*db, catalog, engine, {.files_dir = cfg->storage.files_dir});
  records::Scheduler records_scheduler(records);
  // Attachment files no case refers to (a crash between fsync and commit),
  // across all tenants of this installation.
  intake::OrphanSweeper sweeper(intake,
                                {.interval = std::chrono::seconds(cfg->intake.sweep_interval_s),
                                 .min_age = std::chrono::seconds(cfg->intake.sweep_min_age_s)},
                                &metrics);
  sweeper.Start();
  bool mail_on = !cfg->smtp.host.empty();
  postfach::Postfach postfach(*db, engine,
                              {.files_dir = cfg->storage.files_dir, .mail_enabled = mail_on,
                               .public_url = cfg->smtp.portal_url});
  postfach::MailDelivery mail(*db,
                              {.host = cfg->smtp.host, .port = cfg->smtp.port, .from = cfg->smtp.from,
                               .starttls = cfg->smtp.starttls, .user = cfg->smtp.user, .password = cfg->smtp.password},
                              {.max_attempts = cfg->smtp.max_attempts});
  postfach::Webhooks webhooks(*db, {.max_attempts = cfg->webhooks.max_attempts,
                                    .first_backoff = std::chrono::seconds(cfg->webhooks.first_backoff_s),
                                    .check_url = api::WebhookUrlCheck(outbound_policy)});
  PostfachLoop postfach_loop(postfach, mail_on ? &mail : nullptr, cfg->webhooks.enabled ? &webhooks : nullptr,
                             api::HttpWebhookSender({.connect_timeout = std::chrono::seconds(5),
                                                     .timeout = std::chrono::seconds(10),
                                                     .max_response_bytes = 64 * 1024,
                                                     .ca_file = cfg->outbound.ca_file,
                                                     .policy = outbound_policy}));
  // Bescheid delivery to the postbox (and closing the case it ended), full-text index hooks.
  WireDomainHooks(records, postfach);
  records_scheduler.Start();
  postfach_loop.Start();
  if (!mail_on) core::LogInfo("postfach e-mail notification off ([smtp] host not set)");

  http::Router router;
  RegisterRoutes(router, {.db = db.get(),
                          .metrics = &metrics,
                          .engine = &engine,
                          .catalog = &catalog,
                          .intake = &intake,
                          .records = &records,
                          .auth = cfg->auth,
                          .postfach = &postfach,
                          .webhooks = &webhooks,
                          .cases = &cases});
  auto server = http::Server::Start(HttpOptions(cfg->server, cfg->log), router, metrics);
  if (!server.ok()) {
    ReportError(server.error());
    records_scheduler.Stop();
    sweeper.Stop();
    scheduler.Stop();
    postfach_loop.Stop();
    db->Close();
    return 1;
  }
  uint16_t port = (*server)->port();
  if (flags.port_file) {
    if (auto s = WritePortFile(*flags.port_file, port); !s.ok()) {
      ReportError(s.error());
      (*server)->Stop(std::chrono::milliseconds(0));
      records_scheduler.Stop();
      sweeper.Stop();
      scheduler.Stop();
      postfach_loop.Stop();
      db->Close();
      return 1;
    }
  }
  auto startup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  std::string url = "http://" + (cfg->server.address == "0.0.0.0" ? std::string("localhost") : cfg->server.address) +
                    ":" + std::to_string(port);
  core::LogInfo("listening", {{"url", url},
                              {"database", db->dialect() == store::Dialect::kSqlite ? "sqlite" : "postgresql"},
                              {"version", VersionString()},
                              {"startup_ms", std::to_string(startup_ms.count())}});

  int sig = 0;
  sigwait(&stop_signals, &sig);
  core::LogInfo("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // Order matters: no new requests, finish those in flight (they may still
  // write), then commit everything the writer holds, then close.
  (*server)->Stop(std::chrono::milliseconds(cfg->server.shutdown_timeout_ms));
  records_scheduler.Stop();
  sweeper.Stop();
  scheduler.Stop();
  postfach_loop.Stop();
  core::Status flushed = db->writer().Stop();
  db->Close();
  if (!flushed.ok()) {
    ReportError(flushed.error());
    return 1;
  }
  core::LogInfo("stopped");
  return 0;
}

}  // namespace amtsweg::app
