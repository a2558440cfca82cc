#include "postfach/mail.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "postfach/postfach_store.h"
#include "store/store_test_util.h"

namespace amtsweg::postfach {
namespace {

namespace fs = std::filesystem;
using core::Json;

// A local SMTP sink: Debian's python3-aiosmtpd (/usr/bin/python3, not a pyenv one), started by the test, writing
// every mail it accepts (with its envelope) to a file.
constexpr const char* kSinkScript = R"PY(
import os, socket, sys, time
from aiosmtpd.controller import Controller
out, port_file = sys.argv[1], sys.argv[2]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith(".eml")])
        path = os.path.join(out, "mail-%03d.eml" % n)
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
c = Controller(Handler(), hostname="127.0.0.1", port=port)
c.start()
with open(port_file + ".tmp", "w") as f: f.write(str(port))
os.rename(port_file + ".tmp", port_file)
while True: time.sleep(1)
)PY";

class SmtpSink {
 public:
  SmtpSink() {
    dir_ = fs::temp_directory_path() / ("aw-smtp-" + store::testing::RandomSuffix());
    fs::create_directories(dir_ / "mail");
    std::ofstream(dir_ / "sink.py") << kSinkScript;
    std::string script = (dir_ / "sink.py").string(), out = (dir_ / "mail").string(),
                port_file = (dir_ / "port").string();
    pid_ = fork();
    if (pid_ == 0) {
      execl("/usr/bin/python3", "python3", script.c_str(), out.c_str(), port_file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::ifstream in(port_file);
      if (!(in >> port_)) port_ = 0;
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int port() const { return port_; }
  std::vector<std::string> Mails() const {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_ / "mail")) {
      if (e.path().extension() == ".eml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string Header(const std::string& mail, const std::string& name) {
  std::string text = "\n" + mail;
  auto pos = text.find("\n" + name + ": ");
  if (pos == std::string::npos) return {};
  size_t start = pos + 1 + name.size() + 2;
  size_t end = text.find('\n', start);
  std::string v = text.substr(start, end - start);
  if (!v.empty() && v.back() == '\r') v.pop_back();
  return v;
}

std::string DecodedBody(const std::string& mail) {
  auto pos = mail.find("\r\n\r\n");
  std::string b64 = mail.substr(pos + 4);
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), "\r\n",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<not base64>";
  }
  out.resize(len);
  return out;
}

int UnusedPort() {
  // A port nothing listens on: bind, read it, close.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t l = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l);
  int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

TEST(Mail, SentOverSmtpToALocalSink) {
  SmtpSink sink;
  ASSERT_NE(sink.port(), 0) << "python3-aiosmtpd did not start";
  SmtpOptions smtp{.host = "127.0.0.1", .port = sink.port(), .from = "Amt Musterland <postfach@amt.example>"};
  Notification n = RenderNotification("Amt Musterland", "2026-000042", "Jürgen Müller",
                                      "https://portal.example/portal/postfach/7K2M-9QXH-4T0B");
  auto s = SendMail(smtp, {"juergen@example.org", n.subject, n.body, "m1@amtsweg"},
                    core::SystemClock::Instance().Now());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto mails = sink.Mails();
  ASSERT_EQ(mails.size(), 1u);
  const std::string& m = mails[0];
  EXPECT_EQ(Header(m, "X-Envelope-From"), "postfach@amt.example");
  EXPECT_EQ(Header(m, "X-Envelope-To"), "juergen@example.org");
  EXPECT_EQ(Header(m, "To"), "<juergen@example.org>");
  EXPECT_TRUE(Header(m, "Subject").starts_with("=?UTF-8?B?")) << Header(m, "Subject");
  EXPECT_EQ(Header(m, "Content-Type"), "text/plain; charset=UTF-8");
  std::string body = DecodedBody(m);
  EXPECT_EQ(body, n.body);
  EXPECT_NE(body.find("Guten Tag Jürgen Müller,"), std::string::npos);
  EXPECT_NE(body.find("Vorgang 2026-000042"), std::string::npos);
}

TEST(Mail, RefusesHeaderInjectionAndReportsAnUnreachableServer) {
  SmtpOptions smtp{.host = "127.0.0.1", .port = UnusedPort(), .from = "postfach@amt.example"};
  auto now = core::SystemClock::Instance().Now();
  EXPECT_EQ(SendMail(smtp, {"a@b.example\r\nBcc: x@y.example", "S", "B", "m@x"}, now).error().code(),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(SendMail(smtp, {"a@b.example", "S\r\nBcc: x@y.example", "B", "m@x"}, now).error().code(),
            core::ErrorCode::kInvalidArgument);
  auto s = SendMail(smtp, {"a@b.example", "S", "B", "m@x"}, now);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message().find("smtp 127.0.0.1"), std::string::npos) << s.error().message();
}

TEST(Mail, AddressAndNameFromFormData) {
  EXPECT_EQ(FindEmail(Json{{"kontakt", {{"eMail", "x@y.example"}}}, {"email", "kaputt"}}), "x@y.example");
  EXPECT_EQ(FindEmail(Json{{"email", "a@b.example"}}), "a@b.example");
  EXPECT_EQ(FindEmail(Json{{"name", "a@b.example"}}), "");
  EXPECT_EQ(FindName(Json{{"name", "Erika Mustermann"}}), "Erika Mustermann");
  EXPECT_EQ(FindName(Json{{"name", "Zeile\nZwei"}}), "");
  EXPECT_EQ(Backoff(1, std::chrono::seconds(30), std::chrono::hours(1)), std::chrono::seconds(30));
  EXPECT_EQ(Backoff(3, std::chrono::seconds(30), std::chrono::hours(1)), std::chrono::seconds(120));
  EXPECT_EQ(Backoff(30, std::chrono::seconds(30), std::chrono::hours(1)), std::chrono::hours(1));
}

class MailDeliveryTest : public store::testing::StoreTest {};

TEST_P(MailDeliveryTest, SendsDueMailsRetriesWithBackoffAndGivesUp) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  core::ManualClock clock(core::FromUnixMillis(1'800'000'000'000));
  int64_t now = core::ToUnixMillis(clock.Now());
  for (const char* id : {"m1", "m2"}) {
    internal::MailRow m{"amt-a", id, "case-1", "msg-1", std::string(id) + "@example.org", "Neue Nachricht",
                        "Guten Tag,\nÄnderung.", "pending", 0, now, "", now, std::nullopt};
    ASSERT_TRUE(db->writer().Run([&](store::Tx& tx) { return internal::InsertMail(tx, m); }).ok());
  }
  auto row = [&](const std::string& id) {
    auto r = db->Read([&](store::Tx& tx) -> core::Result<std::optional<store::Row>> {
      return tx.QueryOne("SELECT status, attempts, next_attempt_at, last_error, sent_at FROM postfach_mail_outbox "
                         "WHERE tenant_id = 'amt-a' AND mail_id = $1",
                         {id});
    });
    EXPECT_TRUE(r.ok() && r->has_value());
    return **r;
  };

  // No server: both stay pending, the next attempt after the first back-off.
  MailDeliveryOptions o{.max_attempts = 2, .first_backoff = std::chrono::seconds(30), .clock = &clock};
  MailDelivery down(*db, {.host = "127.0.0.1", .port = UnusedPort(), .from = "postfach@amt.example"}, o);
  EXPECT_EQ(*down.RunOnce(), 0);
  EXPECT_EQ(row("m1").Text(0), "pending");
  EXPECT_EQ(row("m1").Int(1), 1);
  EXPECT_EQ(row("m1").Int(2), now + 30'000);
  EXPECT_NE(row("m1").Text(3).find("smtp"), std::string::npos);
  // Not due yet: nothing is tried.
  EXPECT_EQ(*down.RunOnce(), 0);
  EXPECT_EQ(row("m1").Int(1), 1);

  // m1 reaches a server 30 s later; m2 fails its second (last) attempt.
  SmtpSink sink;
  ASSERT_NE(sink.port(), 0);
  clock.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(db->writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("UPDATE postfach_mail_outbox SET next_attempt_at = $1 WHERE mail_id = 'm2'",
                   {now + 3'600'000}));
    return core::OkStatus();
  }).ok());
  MailDelivery up(*db, {.host = "127.0.0.1", .port = sink.port(), .from = "postfach@amt.example"}, o);
  EXPECT_EQ(*up.RunOnce(), 1);
  EXPECT_EQ(row("m1").Text(0), "sent");
  EXPECT_EQ(row("m1").Int(1), 2);
  EXPECT_FALSE(row("m1").IsNull(4));
  ASSERT_EQ(sink.Mails().size(), 1u);
  EXPECT_EQ(Header(sink.Mails()[0], "X-Envelope-To"), "m1@example.org");
  EXPECT_EQ(*up.RunOnce(), 0) << "a sent mail is not sent again";

  clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(*down.RunOnce(), 0);
  EXPECT_EQ(row("m2").Text(0), "failed");
  EXPECT_EQ(row("m2").Int(1), 2);
  clock.Advance(std::chrono::hours(10));
  EXPECT_EQ(*up.RunOnce(), 0) << "a failed mail is given up";
  EXPECT_EQ(sink.Mails().size(), 1u);
}

AW_STORE_INSTANTIATE(MailDeliveryTest);

}  // namespace
}  // namespace amtsweg::postfach
