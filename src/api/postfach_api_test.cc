// The Postfach and webhook routes over real HTTP (SQLite and PostgreSQL): the
// staff and citizen sides of a thread with a multipart upload, 404 for a wrong
// key, 422 per field; webhooks signed and verified by a receiver the test
// starts (the project's http::Server), delivered once, retried on failure.
#include "api/postfach_api.h"

#include <mutex>

#include <gtest/gtest.h>

#include "api/webhooks_api.h"
#include "audit/audit.h"
#include "core/json.h"
#include "core/metrics.h"
#include "http/server.h"
#include "http/test_client.h"
#include "http/tls_test_util.h"
#include "intake/intake_test_util.h"
#include "postfach/postfach_test_util.h"

namespace amtsweg::api {
namespace {

using core::Json;
namespace fs = std::filesystem;

class PostfachRoutes : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-postfach-api-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_, intake::IntakeOptions{.files_dir = files_dir_});
    postfach_ = std::make_unique<postfach::Postfach>(*db_, *engine_, postfach::Options{.files_dir = files_dir_});
    // This test installation allows plain http and loopback explicitly (its
    // receivers run on 127.0.0.1); tests that check the guard tighten it.
    policy_ = std::make_shared<http::OutboundPolicy>(http::OutboundPolicy{.allow_http = true, .allow_private = true});
    hooks_ = std::make_unique<postfach::Webhooks>(
        *db_, postfach::WebhookOptions{.first_backoff = std::chrono::seconds(10), .clock = &clock_,
                                       .check_url = WebhookUrlCheck(policy_)});
    postfach::testing::SetUpTenant(*catalog_, *engine_, "amt-a");
    RegisterPostfachRoutes(router_, *postfach_);
    RegisterWebhookRoutes(router_, *hooks_);
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    hooks_.reset();
    postfach_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }
  std::pair<int, Json> Call(const std::string& method, const std::string& target, const std::string& body = "",
                            const std::string& content_type = "application/json", const std::string& extra = "") {
    std::string headers = extra;
    if (!body.empty() || method == "POST") headers += "Content-Type: " + content_type + "\r\n";
    auto r = http::testutil::RoundTrip(server_->port(), http::testutil::MakeRequest(method, target, headers, body));
    EXPECT_TRUE(r.has_value());
    if (!r) return {0, Json()};
    auto j = core::ParseJson(r->body);
    return {r->status, j.ok() ? *j : Json(r->body)};
  }

  core::ManualClock clock_{core::FromUnixMillis(1'800'000'000'000)};
  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<postfach::Postfach> postfach_;
  std::shared_ptr<http::OutboundPolicy> policy_;  // read at every check: a test may change it
  std::unique_ptr<postfach::Webhooks> hooks_;
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(PostfachRoutes, StaffAndCitizenCorrespondOverHttp) {
  auto c = postfach::testing::Submit(*intake_, *db_, "amt-a", Json{{"applicant", "Erika"}, {"district", "nord"}});
  std::string staff = "/api/v1/tenants/amt-a/cases/" + c.case_id + "/messages";
  std::string boundary = "XyZ123";
  std::string multipart = "--" + boundary +
                          "\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n"
                          R"({"subject":"Ihr Antrag","text":"Bitte Anlage beachten."})"
                          "\r\n--" + boundary +
                          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Hinweis.pdf\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n" +
                          intake::testing::TinyPdf() + "\r\n--" + boundary + "--\r\n";
  auto [st, posted] = Call("POST", staff, multipart, "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(st, 201) << posted;
  std::string id = posted["id"];
  EXPECT_EQ(posted["attachments"][0]["filename"], "Hinweis.pdf");

  // 422 naming the field; unknown fields refused.
  auto [st422, problem] = Call("POST", staff, R"({"subject":"","text":"x","cc":"y"})");
  EXPECT_EQ(st422, 422) << problem;
  EXPECT_NE(problem.dump().find("/cc"), std::string::npos) << problem;

  std::string citizen = "/api/v1/postfach/" + c.tracking_code + "/messages";
  auto [s1, thread] = Call("GET", citizen, "", "", "X-Postfach-Key: " + c.key + "\r\n");
  ASSERT_EQ(s1, 200) << thread;
  ASSERT_EQ(thread["items"].size(), 1u);
  EXPECT_EQ(thread["items"][0]["text"], "Bitte Anlage beachten.");
  auto file = http::testutil::Get(server_->port(), citizen + "/" + id + "/attachments/0?key=" + c.key);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->body, intake::testing::TinyPdf());
  EXPECT_EQ(file->Header("Content-Type"), "application/pdf");

  auto [s404, p404] = Call("GET", citizen + "?key=falsch");
  EXPECT_EQ(s404, 404);
  auto [s404b, p404b] = Call("GET", "/api/v1/postfach/ZZZZ-ZZZZ-ZZZZ/messages?key=" + c.key);
  EXPECT_EQ(s404b, 404);
  EXPECT_EQ(p404["detail"], p404b["detail"]);

  auto [s2, read] = Call("POST", citizen + "/" + id + "/read?key=" + c.key);
  EXPECT_EQ(s2, 200) << read;
  EXPECT_TRUE(read["readByCitizenAt"].is_string());
  auto [s3, reply] = Call("POST", citizen + "?key=" + c.key, R"({"subject":"Re: Ihr Antrag","text":"Danke!"})");
  ASSERT_EQ(s3, 201) << reply;
  auto [s4, all] = Call("GET", staff);
  ASSERT_EQ(s4, 200);
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_EQ(all["items"][1]["direction"], "toOffice");
  EXPECT_EQ(all["items"][1]["author"], "citizen");
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-b/cases/" + c.case_id + "/messages").first, 404);
}

// A receiver on the project's own HTTP server: verifies every signature,
// records each webhook-id, answers 204 (or 500 on /fail).
struct Receiver {
  std::mutex mu;
  std::string secret;
  std::vector<std::string> ids, types;
  int bad_signatures = 0, failures = 0;
  http::Router router;
  core::metrics::Registry metrics;
  std::unique_ptr<http::Server> server;

  void Start() {
    router.Post("/hook",
                [this](http::Request& req) -> core::Result<http::Response> {
                  std::lock_guard lock(mu);
                  std::string id(req.Header("webhook-id").value_or(""));
                  bool ok = postfach::VerifyWebhook(secret, id, req.Header("webhook-timestamp").value_or(""),
                                                    req.body, req.Header("webhook-signature").value_or(""));
                  if (!ok) {
                    ++bad_signatures;
                    return core::Unauthenticated("bad signature");
                  }
                  ids.push_back(id);
                  types.push_back(core::ParseJson(req.body)->value("type", ""));
                  return http::Response::NoContent();
                },
                {.summary = "test receiver", .public_route = true});
    router.Post("/fail",
                [this](http::Request&) -> core::Result<http::Response> {
                  std::lock_guard lock(mu);
                  ++failures;
                  return core::Internal("receiver down");
                },
                {.summary = "failing receiver", .public_route = true});
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = http::Server::Start(o, router, metrics);
    ASSERT_TRUE(s.ok());
    server = std::move(*s);
  }
  ~Receiver() {
    if (server) server->Stop(std::chrono::seconds(1));
  }
};

TEST_P(PostfachRoutes, WebhooksAreSignedDeliveredOnceAndRetried) {
  Receiver rx;
  rx.Start();
  std::string url = "http://127.0.0.1:" + std::to_string(rx.server->port());
  auto [s1, good] = Call("POST", "/api/v1/tenants/amt-a/webhooks",
                         Json{{"url", url + "/hook"}, {"eventTypes", {"intake.*", "postfach.*"}}}.dump());
  ASSERT_EQ(s1, 201) << good;
  rx.secret = good["secret"];
  auto [s2, bad] = Call("POST", "/api/v1/tenants/amt-a/webhooks",
                        Json{{"url", url + "/fail"}, {"eventTypes", {"*"}}}.dump());
  ASSERT_EQ(s2, 201) << bad;
  auto [s422, p422] = Call("POST", "/api/v1/tenants/amt-a/webhooks", R"({"url":"https://x","eventTypes":[]})");
  EXPECT_EQ(s422, 422) << p422;

  // Real events: a submission and an office message.
  auto c = postfach::testing::Submit(*intake_, *db_, "amt-a", Json{{"applicant", "Erika"}, {"district", "nord"}});
  auto [sm, msg] = Call("POST", "/api/v1/tenants/amt-a/cases/" + c.case_id + "/messages",
                        R"({"subject":"Hallo","text":"Text"})");
  ASSERT_EQ(sm, 201) << msg;

  auto queued = hooks_->Dispatch();
  ASSERT_TRUE(queued.ok()) << queued.error().ToString();
  EXPECT_EQ(*queued, 4);  // two events for each of the two subscriptions
  auto sender = HttpWebhookSender({.policy = policy_});
  auto delivered = hooks_->Deliver(sender);
  ASSERT_TRUE(delivered.ok()) << delivered.error().ToString();
  EXPECT_EQ(*delivered, 2);
  {
    std::lock_guard lock(rx.mu);
    EXPECT_EQ(rx.bad_signatures, 0);
    EXPECT_EQ(rx.types, (std::vector<std::string>{"intake.case_submitted", "postfach.message_sent"}));
    EXPECT_EQ(rx.failures, 2);
  }
  // Nothing twice: the delivered ones are done, the failed ones wait for their back-off.
  EXPECT_EQ(*hooks_->Dispatch(), 0);
  EXPECT_EQ(*hooks_->Deliver(sender), 0);
  EXPECT_EQ(rx.ids.size(), 2u);
  EXPECT_EQ(rx.failures, 2);

  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(*hooks_->Deliver(sender), 0);
  EXPECT_EQ(rx.failures, 4);
  std::string bad_id = bad["id"];
  auto [sd, log] = Call("GET", "/api/v1/tenants/amt-a/webhooks/" + bad_id + "/deliveries");
  ASSERT_EQ(sd, 200) << log;
  ASSERT_EQ(log["items"].size(), 2u);
  for (const auto& d : log["items"]) {
    EXPECT_EQ(d["status"], "pending");
    EXPECT_EQ(d["attempts"], 2);
    EXPECT_EQ(d["responseStatus"], 500);
    EXPECT_EQ(d["lastError"], "HTTP 500");
    EXPECT_EQ(d["nextAttemptAt"], core::FormatIso8601(clock_.Now() + std::chrono::seconds(20)));
  }
  std::string good_id = good["id"];
  auto [sg, glog] = Call("GET", "/api/v1/tenants/amt-a/webhooks/" + good_id + "/deliveries");
  EXPECT_EQ(glog["items"][0]["status"], "delivered");
  EXPECT_EQ(glog["items"][0]["responseStatus"], 204);
  EXPECT_EQ(glog["items"][0]["attempts"], 1);

  auto [sl, list] = Call("GET", "/api/v1/tenants/amt-a/webhooks");
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_FALSE(list["items"][0].contains("secret"));
  EXPECT_EQ(Call("DELETE", "/api/v1/tenants/amt-a/webhooks/" + bad_id).first, 204);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/amt-a/webhooks/" + bad_id).first, 404);
}

// The installation's defaults refuse plain http and non-public receivers up
// front (422 naming /url and the reason).
TEST_P(PostfachRoutes, WebhookUrlsAreCheckedAgainstTheOutboundPolicy) {
  *policy_ = http::OutboundPolicy{};  // the defaults: https only, public addresses only
  auto refused = [&](const std::string& url) {
    auto [status, problem] =
        Call("POST", "/api/v1/tenants/amt-a/webhooks", Json{{"url", url}, {"eventTypes", {"*"}}}.dump());
    EXPECT_EQ(status, 422) << url << " " << problem;
    if (!problem.contains("errors") || problem["errors"].empty()) return std::string();
    EXPECT_EQ(problem["errors"][0]["pointer"], "/url") << problem;
    return problem["errors"][0]["detail"].get<std::string>();
  };
  EXPECT_NE(refused("http://hooks.example/x").find("plain http:// is not allowed"), std::string::npos);
  EXPECT_NE(refused("https://localhost:8443/hook").find("localhost resolves to a loopback address"),
            std::string::npos);
  EXPECT_NE(refused("https://10.0.0.5/hook").find("10.0.0.5 is a private address"), std::string::npos);
  std::string metadata = refused("https://169.254.169.254/latest/meta-data/");
  EXPECT_NE(metadata.find("link-local"), std::string::npos) << metadata;
  EXPECT_NE(metadata.find("allow_private"), std::string::npos) << metadata;
  EXPECT_NE(refused("https://[::1]:5432/").find("loopback"), std::string::npos);

  // Allowed by the installation: its network in allow_networks.
  auto with_net = http::OutboundPolicy::FromConfig(false, false, "127.0.0.0/8, ::1/128", "");
  ASSERT_TRUE(with_net.ok());
  *policy_ = *with_net;
  auto [ok, created] = Call("POST", "/api/v1/tenants/amt-a/webhooks",
                            Json{{"url", "https://localhost:8443/hook"}, {"eventTypes", {"*"}}}.dump());
  EXPECT_EQ(ok, 201) << created;
}

// A delivery over https (the installation's CA file), its signature checked
// by the receiver with Python's hmac; then the destination becomes refused
// (as after a DNS change to an internal address, or a tightened policy): the
// next delivery re-checks at send time and records why it was not sent.
TEST_P(PostfachRoutes, WebhooksOverHttpsAndReCheckedAtSendTime) {
  std::string error;
  auto certs = http::testing::TestCertificates::Create(&error);
  ASSERT_NE(certs, nullptr) << error;
  auto rx = http::testing::HttpsReceiver::Start(*certs, "server", &error);
  ASSERT_NE(rx, nullptr) << error;
  *policy_ = http::OutboundPolicy{.allow_private = true};  // https only; the receiver is on loopback
  std::string url = "https://localhost:" + std::to_string(rx->port()) + "/hook";
  auto [sc, sub] = Call("POST", "/api/v1/tenants/amt-a/webhooks",
                        Json{{"url", url}, {"eventTypes", {"intake.*", "postfach.*"}}}.dump());
  ASSERT_EQ(sc, 201) << sub;
  rx->SetSecret(sub["secret"]);

  auto c = postfach::testing::Submit(*intake_, *db_, "amt-a", Json{{"applicant", "Erika"}, {"district", "nord"}});
  ASSERT_EQ(*hooks_->Dispatch(), 1);
  // Without the CA file the receiver's certificate is not trusted: recorded, retried later.
  auto untrusting = HttpWebhookSender({.policy = policy_});
  EXPECT_EQ(*hooks_->Deliver(untrusting), 0);
  std::string id = sub["id"];
  auto [s1, log1] = Call("GET", "/api/v1/tenants/amt-a/webhooks/" + id + "/deliveries");
  ASSERT_EQ(log1["items"].size(), 1u) << log1;
  EXPECT_EQ(log1["items"][0]["status"], "pending");
  EXPECT_NE(log1["items"][0]["lastError"].get<std::string>().find("certificate"), std::string::npos) << log1;

  clock_.Advance(std::chrono::seconds(10));
  auto sender = HttpWebhookSender({.connect_timeout = std::chrono::seconds(5), .timeout = std::chrono::seconds(10),
                                   .max_response_bytes = 64 * 1024, .ca_file = certs->ca_file(), .policy = policy_});
  EXPECT_EQ(*hooks_->Deliver(sender), 1);
  std::string received = rx->Log();
  EXPECT_NE(received.find("valid msg_"), std::string::npos) << received;
  EXPECT_NE(received.find(" intake.case_submitted"), std::string::npos) << received;
  EXPECT_EQ(received.find("invalid"), std::string::npos) << received;

  // The installation no longer allows loopback: the next event is not sent.
  *policy_ = http::OutboundPolicy{};
  auto [sm, msg] = Call("POST", "/api/v1/tenants/amt-a/cases/" + c.case_id + "/messages",
                        R"({"subject":"Hallo","text":"Text"})");
  ASSERT_EQ(sm, 201) << msg;
  ASSERT_EQ(*hooks_->Dispatch(), 1);
  EXPECT_EQ(*hooks_->Deliver(sender), 0);
  auto [s2, log2] = Call("GET", "/api/v1/tenants/amt-a/webhooks/" + id + "/deliveries");
  ASSERT_EQ(log2["items"].size(), 2u) << log2;
  EXPECT_EQ(log2["items"][0]["eventType"], "postfach.message_sent");
  EXPECT_EQ(log2["items"][0]["status"], "pending");
  EXPECT_TRUE(log2["items"][0]["responseStatus"].is_null());
  std::string why = log2["items"][0]["lastError"];
  EXPECT_NE(why.find("destination not allowed: localhost resolves to a loopback address"), std::string::npos) << why;
  EXPECT_EQ(log2["items"][1]["status"], "delivered");
  EXPECT_EQ(rx->Log(), received) << "nothing more reached the receiver";
}

AW_STORE_INSTANTIATE(PostfachRoutes);

}  // namespace
}  // namespace amtsweg::api
